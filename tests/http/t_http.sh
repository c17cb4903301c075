# t_http.sh - `opcert serve` end to end: a real server on a free loopback
# port (it takes port 0 and prints the one it got), driven by curl and jq.
# Every route with good and bad input: the public check (byte-identical
# answers for "no such certificate" and "wrong name", masked ID numbers and
# no full ID number in any public body), credentials (valid, official URL,
# unofficial link, forged), rosters (raw, form, GBK, input errors), the
# trust and status lists, checkpoints and proofs (held against the command
# line's), the OpenAPI document, pages and static files (ETag, traversal),
# 404 / 405 / 413 / 415 / 400 / 422, 429 with Retry-After, the security
# headers on every response, the access log, slow clients dropped after
# --timeout while others are served, TLS, a server without keys, and
# SIGTERM during a roster upload: the upload completes and the server exits 0.
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/http/httplib.sh"
. "$OPCERT_SRC/tests/http/routes.sh"

command -v curl >/dev/null && command -v jq >/dev/null || die "curl and jq are needed (scripts/deps.sh)"

# The official verifier's host written into credentials.  It is a setting of
# the register, not the address this test's server listens on.
OFFICIAL=127.0.0.1:8080
KEYS=$T/keys
WEB=$T/web
SERVERS=

cleanup() {
	for _p in $SERVERS; do
		kill -KILL "$_p" 2>/dev/null
	done
}
trap cleanup EXIT

# ---------------------------------------------------------------------------
# Helpers

# stop_server PID NAME: SIGTERM, then the exit status must be 0 and stderr clean.
stop_server() {
	kill -TERM "$1"
	wait "$1"
	_rc=$?
	check_eq "$_rc" 0 "server $2 exits 0 after SIGTERM"
	if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/$2.err"; then
		fail "server $2: sanitizer report" "$(grep -A 20 -e Sanitizer -e 'runtime error:' "$T/$2.err" | head -c 2000)"
	fi
}

NREQ=0
HDR_MISSING=
PUBLIC=$T/public
mkdir -p "$PUBLIC"

# req METHOD PATH [CURL-ARGS...]: one request to $BASE; headers in $T/h, body
# in $T/b, status in $STATUS.  Every response's headers are checked.
req() {
	_m=$1
	_p=$2
	shift 2
	LAST_CMD="curl -X $_m $BASE$_p $*"
	if [ "$_m" = HEAD ]; then
		STATUS=$(curl -s --path-as-is --head -D "$T/h" -o "$T/b" -w '%{http_code}' --max-time 60 "$@" "$BASE$_p")
	else
		STATUS=$(curl -s --path-as-is -X "$_m" -D "$T/h" -o "$T/b" -w '%{http_code}' --max-time 60 "$@" "$BASE$_p")
	fi
	NREQ=$((NREQ + 1))
	for _hv in "Content-Security-Policy: default-src 'self'; script-src 'self'" \
		"frame-ancestors 'none'" "X-Content-Type-Options: nosniff" \
		"Referrer-Policy: no-referrer" "X-Frame-Options: DENY" "Permissions-Policy: camera=(self)"; do
		grep -q -i -F -e "$_hv" "$T/h" || HDR_MISSING="$HDR_MISSING
$_m $_p: $_hv"
	done
	if grep -q -i '^Server:' "$T/h"; then
		HDR_MISSING="$HDR_MISSING
$_m $_p: a Server header"
	fi
}

# get PATH [CURL-ARGS...] / verify NUMBER NAME: shorthands.
get() {
	_gp=$1
	shift
	req GET "$_gp" "$@"
}
verify() {
	LAST_CMD="GET /api/v1/verify number=$1 name=$2"
	STATUS=$(curl -s -G -D "$T/h" -o "$T/b" -w '%{http_code}' --max-time 60 \
		--data-urlencode "number=$1" --data-urlencode "name=$2" "$BASE/api/v1/verify")
	NREQ=$((NREQ + 1))
	grep -q -F "X-Content-Type-Options: nosniff" "$T/h" || HDR_MISSING="$HDR_MISSING
verify $1: security headers"
}
credential() {
	req POST /api/v1/verify/credential -H 'Content-Type: application/json' \
		--data-binary "$(jq -n -c --arg p "$1" '{payload: $p}')"
}

# check_error STATUS CODE DESCRIPTION: a JSON error with a Chinese message.
check_error() {
	check_status "$1" "$3: HTTP $1"
	check_eq "$(jb '.error.code')" "$2" "$3: error code $2"
	if jb '.error.message' | LC_ALL=C grep -q '[^ -~]'; then
		pass
	else
		fail "$3: the error message is in Chinese" "body: $(head -c 300 "$T/b")"
	fi
}

# b64url_decode: stdin base64url without padding -> bytes.
b64url_decode() {
	_s=$(tr -d '\n' | tr '_-' '/+')
	case $((${#_s} % 4)) in
	2) _s="$_s==" ;;
	3) _s="$_s=" ;;
	esac
	printf '%s' "$_s" | base64 -d 2>/dev/null
}

# keep NAME: the last body counts as a public answer (checked for ID numbers).
keep() {
	cp "$T/b" "$PUBLIC/$NREQ-$1"
}

header() {
	tr -d '\r' <"$T/h" | sed -n "s/^$1: //Ip" | head -n 1
}

mask_id() {
	printf '%s' "$1" | sed 's/^\(......\)........\(....\)$/\1********\2/'
}

# ---------------------------------------------------------------------------
# The register, keys, credentials and a web root

opcert init --db "$DB" --official-host "$OFFICIAL"
check_rc 0 "init with an official host"
demo_setup
opcert key init --keys "$KEYS" --db "$DB"
check_rc 0 "key init"
# Rosters need a company, officer or city role: an API token of a district officer.
printf 'Roster-pass-2026x\n' >"$T/pw"
opcert user add http.officer --role district_officer --district 云岩区 --password-stdin --db "$DB" <"$T/pw"
check_rc 0 "user add (roster checks)"
opcert token new http.officer --label t_http --db "$DB"
check_rc 0 "token new"
TOKEN=$(grep -o '[A-Za-z0-9_-]\{32,\}' "$T/out" | head -n 1)
[ -n "$TOKEN" ] || die "token new printed no token"
AUTH="Authorization: Bearer $TOKEN"

CROW=$(reg_valid_rows | grep -v '^T' | head -n 1)
EROW=$(reg_valid_rows | grep '^T' | head -n 1)
[ -n "$CROW" ] && [ -n "$EROW" ] || die "register.csv lacks valid rows"
CN=$(field 1 "$CROW")
CNAME=$(field 2 "$CROW")
CID=$(field 4 "$CROW")
EN=$(field 1 "$EROW")
ENAME=$(field 2 "$EROW")
EID=$(field 4 "$EROW")
SROW=$(strip "$DEMO/register.csv" | awk -F, '$10 == "暂扣"' | head -n 1)
RROW=$(strip "$DEMO/register.csv" | awk -F, '$10 == "注销"' | head -n 1)
XROW=$(strip "$DEMO/register.csv" | awk -F, -v t="$TODAY" 'NR > 1 && $10 == "有效" && $8 < t' | head -n 1)
[ -n "$SROW" ] && [ -n "$RROW" ] && [ -n "$XROW" ] || die "register.csv lacks suspended, revoked or expired rows"

opcert cred issue "$CN" --keys "$KEYS" --db "$DB"
check_rc 0 "cred issue (construction)"
CPAY=$(cat "$T/out")
opcert cred issue "$EN" --keys "$KEYS" --db "$DB"
check_rc 0 "cred issue (emergency management)"
EPAY=$(cat "$T/out")

mkdir -p "$WEB/static/css" "$WEB/static/js" "$WEB/static/vendor/lib"
for _page in index scan v batch help login password home accounts district; do
	printf '<!doctype html><title>%s</title>\n' "$_page" >"$WEB/$_page.html"
done
printf 'body { color: #222 }\n' >"$WEB/static/css/site.css"
printf 'console.log(1);\n' >"$WEB/static/js/app.js"
printf 'self.addEventListener("fetch", function () {});\n' >"$WEB/static/sw.js"
printf '{"name": "x"}\n' >"$WEB/static/manifest.webmanifest"
printf 'export {};\n' >"$WEB/static/vendor/lib/x.min.js"
printf 'hidden\n' >"$WEB/static/.secret"
printf 'outside the web root\n' >"$T/outside.txt"
ln -s "$T/outside.txt" "$WEB/static/escape.txt"
ln -s "$WEB/static/css/site.css" "$WEB/static/inside.css"
cp "$OPCERT_SRC/web/openapi.json" "$WEB/openapi.json" || die "web/openapi.json is missing"

# ---------------------------------------------------------------------------
# The main server: no rate limit, a short idle timeout for the slow clients

start_server main --rate-limit 0 --timeout 2
MAIN=$SPID
MAIN_BASE=$BASE
check_out_lacks "https" "plain HTTP without --tls-cert"

get /healthz
check_status 200 "healthz"
check_eq "$(cat "$T/b")" '{"status":"ok"}' "healthz body"
check_eq "$(header Content-Type)" "application/json; charset=utf-8" "healthz content type"
keep healthz

# --- GET /api/v1/verify ---

verify "$CN" "$CNAME"
check_status 200 "verify a valid construction certificate"
keep verify-valid
check_eq "$(jb .verdict)" valid "valid certificate: verdict"
check_eq "$(jb .label)" 有效 "valid certificate: label"
check_eq "$(jb .certificate.number)" "$CN" "valid certificate: its number"
check_eq "$(jb .certificate.name)" "$CNAME" "valid certificate: the register's name"
check_eq "$(jb .certificate.id_masked)" "$(mask_id "$CID")" "valid certificate: the masked ID number"
check_eq "$(jb .certificate.trade_name)" "$(trade_name "$(field 5 "$CROW")")" "valid certificate: the trade's name"
check_eq "$(jb .certificate.valid_until)" "$(field 8 "$CROW")" "valid certificate: valid until"
check_eq "$(jb '.certificate.issuer')" "$(field 6 "$CROW")" "valid certificate: issuer"
check_eq "$(header Cache-Control)" "no-store" "a verify answer is not cached"

verify "$EN" "$ENAME"
check_status 200 "verify a valid emergency-management certificate"
keep verify-em
check_eq "$(jb .verdict)" valid "T number: verdict"
check_eq "$(jb .certificate.number)" "T$(mask_id "$EID")" "T number: the number is masked like the ID"
check_eq "$(jb .certificate.id_masked)" "$(mask_id "$EID")" "T number: masked ID"

# "No such certificate" and "the name does not match": the same bytes.
ABSENT=$(printf '%s' "$CN" | sed 's/......$/999999/')
verify "$ABSENT" "$CNAME"
check_status 200 "absent number: HTTP 200"
keep verify-absent
cp "$T/b" "$T/absent.json"
cp "$T/h" "$T/absent.h"
verify "$CN" "张冒名"
check_status 200 "wrong name: HTTP 200"
keep verify-wrongname
check_files_same "$T/absent.json" "$T/b" "absent number and wrong name give byte-identical bodies"
check_eq "$(cat "$T/b")" '{"verdict":"not_found","label":"查无此证","message":"查无此证或信息不符"}' \
	"the public not_found answer"
check_eq "$(header Content-Length)" "$(tr -d '\r' <"$T/absent.h" | sed -n 's/^Content-Length: //Ip')" \
	"absent number and wrong name: same length"
# ... and the same for an emergency-management T number (it embeds an ID number).
ABSENT_T=T$(printf '%s' "$EID" | cut -c1-14)
_seq=$(printf '%s' "$EID" | cut -c15-17 | awk '{ printf "%03d", ($1 + 1) % 1000 }')
ABSENT_T=$ABSENT_T$_seq$(id_check_char "$(printf '%s' "$ABSENT_T$_seq" | cut -c2-18)")
grep -q "^$ABSENT_T," "$DEMO/register.csv" && die "the made-up T number $ABSENT_T is in the register"
verify "$ABSENT_T" "$ENAME"
keep verify-absent-t
cp "$T/b" "$T/absent-t.json"
verify "$EN" "张冒名"
keep verify-wrongname-t
check_files_same "$T/absent-t.json" "$T/b" "T number: absent and wrong name give byte-identical bodies"
check_eq "$(jb .verdict)" external "T number not held under that name: external"

verify "$(field 1 "$SROW")" "$(field 2 "$SROW")"
check_eq "$(jb .verdict)" suspended "a suspended certificate"
check_eq "$(jb .label)" 暂扣 "suspended: label"
keep verify-suspended
verify "$(field 1 "$RROW")" "$(field 2 "$RROW")"
check_eq "$(jb .verdict)" revoked "a revoked certificate"
keep verify-revoked
verify "$(field 1 "$XROW")" "$(field 2 "$XROW")"
check_eq "$(jb .verdict)" expired "an expired certificate"
keep verify-expired
verify "ABC123" "某人"
check_eq "$(jb .verdict)" invalid_number "a malformed number"
check_eq "$(jb 'has("certificate")')" false "a malformed number: no certificate"
keep verify-invalid
verify "川A012022000001" "某人"
check_eq "$(jb .verdict)" external "another city's number"
keep verify-external
verify " $CN " " $CNAME "
check_eq "$(jb .verdict)" valid "surrounding spaces are ignored"

get "/api/v1/verify?name=x"
check_error 400 missing_parameter "verify without number"
keep err
get "/api/v1/verify?number=x"
check_error 400 missing_parameter "verify without name"
get "/api/v1/verify?number=x&name="
check_error 400 missing_parameter "verify with an empty name"
get "/api/v1/verify?number=x&name=%20%20"
check_error 400 missing_parameter "verify with a blank name"
LONG65=$(printf '%065d' 0)
get "/api/v1/verify?number=$LONG65&name=x"
check_error 400 parameter_too_long "a 65-byte number"
LONG64=$(printf '%064d' 0)
get "/api/v1/verify?number=$LONG64&name=x"
check_status 200 "a 64-byte number is read"
check_eq "$(jb .verdict)" invalid_number "a 64-byte number: invalid_number"
get "/api/v1/verify?number=x&name=%E5%BC%A0%E4%B8%89$(printf '%%E4%%B8%%89%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)"
check_error 400 parameter_too_long "a name of 22 CJK characters (66 bytes)"
get "/api/v1/verify?number=x&name=%FF%FE"
check_error 400 bad_parameter "a name that is not UTF-8"
get "/api/v1/verify?number=x&name=%C0%AF"
check_error 400 bad_parameter "an overlong UTF-8 sequence"
get "/api/v1/verify?number=x&name=a%01b"
check_error 400 bad_parameter "a control character"
get "/api/v1/verify?number=x%00y&name=a"
check_error 400 bad_parameter "an embedded NUL"
get "/api/v1/verify?number=x&name=a&name=b"
check_error 400 bad_query "a repeated argument"
_q="number=x&name=y"
for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do _q="$_q&a$_i=1"; done
get "/api/v1/verify?$_q"
check_error 400 bad_query "17 query arguments"
get "/api/v1/verify?number=x&name=y" --data-binary 'abc' -H 'Content-Type: text/plain'
check_error 413 payload_too_large "a GET with a body"
req HEAD "/api/v1/verify?number=$CN&name=x"
check_status 200 "HEAD of a GET route"

# --- POST /api/v1/verify/credential ---

credential "$CPAY"
check_status 200 "credential: a genuine payload"
keep cred-valid
check_eq "$(jb .verdict)" valid "credential: valid"
check_eq "$(jb .label)" 有效 "credential: label"
check_eq "$(jb .claims.number)" "$CN" "credential: the signed number"
check_eq "$(jb .claims.name)" "$CNAME" "credential: the signed name"
check_eq "$(jb .claims.id_masked)" "$(mask_id "$CID")" "credential: the masked ID"
check_eq "$(jb .kid | wc -c | tr -d ' ')" 17 "credential: a 16-hex-digit key id"
check_eq "$(jb '.findings|length')" 0 "credential: no findings"
credential "$EPAY"
check_eq "$(jb .verdict)" valid "credential: an emergency-management payload"
check_eq "$(jb .claims.number)" "T$(mask_id "$EID")" "credential: the T number is masked"
keep cred-em
# The URL form as printed in the QR code: '%' and ' ' percent-encoded.
credential "http://$OFFICIAL/v#$(printf '%s' "$CPAY" | sed 's/%/%25/g; s/ /%20/g')"
check_eq "$(jb .verdict)" valid "credential: the official URL"
keep cred-url
credential "https://opcert-verify.example.com/v#$CPAY"
check_status 200 "credential: an unofficial link is an answer, not an error"
check_eq "$(jb .verdict)" unofficial_link "credential: unofficial link"
check_eq "$(jb .host)" opcert-verify.example.com "credential: the host is named"
check_eq "$(jb 'has("claims")')" false "credential: an unofficial link is not decoded"
keep cred-unofficial
# Flip one character in the middle of the signed payload.
_mid=$((${#CPAY} / 2))
_c=$(printf '%s' "$CPAY" | cut -c$_mid)
if [ "$_c" = A ]; then _n=B; else _n=A; fi
FORGED=$(printf '%s' "$CPAY" | cut -c1-$((_mid - 1)))$_n$(printf '%s' "$CPAY" | cut -c$((_mid + 1))-)
credential "$FORGED"
check_status 200 "credential: a forgery is an answer"
check_eq "$(jb .verdict)" forged "credential: an altered payload is forged"
check_eq "$(jb .label)" "签名无效（伪造）" "credential: forged label"
keep cred-forged
credential "hello"
check_eq "$(jb .verdict)" forged "credential: text that is no credential"
req POST /api/v1/verify/credential -H 'Content-Type: text/plain' --data-binary "{\"payload\":\"$CPAY\"}"
check_error 415 unsupported_media_type "credential: not JSON"
req POST /api/v1/verify/credential --data-binary "{\"payload\":\"$CPAY\"}"
check_error 415 unsupported_media_type "credential: form-encoded by default"
req POST /api/v1/verify/credential -H 'Content-Type: application/json' --data-binary '{"payload":'
check_error 400 bad_json "credential: broken JSON"
req POST /api/v1/verify/credential -H 'Content-Type: application/json' --data-binary '{"payload":1}'
check_error 400 bad_json "credential: payload not a string"
req POST /api/v1/verify/credential -H 'Content-Type: application/json' --data-binary '{"payload":"a","payload":"b"}'
check_error 400 bad_json "credential: a repeated key"
req POST /api/v1/verify/credential -H 'Content-Type: application/json' --data-binary '{"payload":""}'
check_error 400 bad_payload "credential: empty payload"
req POST /api/v1/verify/credential -H 'Content-Type: application/json' --data-binary '{"payload":"a\u0000b"}'
check_error 400 bad_json "credential: a NUL in the payload"
head -c 17000 /dev/zero | tr '\0' a >"$T/17k"
req POST /api/v1/verify/credential -H 'Content-Type: application/json' --data-binary @"$T/17k"
check_error 413 payload_too_large "credential: a body over 16 KiB"
req POST /api/v1/verify/credential -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$T/17k"
check_error 413 payload_too_large "credential: a chunked body over 16 KiB"
req GET /api/v1/verify/credential
check_error 405 method_not_allowed "credential: GET"
check_eq "$(header Allow)" POST "credential: Allow: POST"

# --- POST /api/v1/verify/roster ---

"$OPCERT" verify-roster "$DEMO/roster-violations.csv" --format jsonl --today "$TODAY" --db "$DB" |
	jq -s -c . >"$T/roster-cli.json"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$DEMO/roster-violations.csv"
check_status 200 "roster as the raw body"
jq -c . "$T/b" >"$T/roster-api.json" 2>/dev/null
check_files_same "$T/roster-cli.json" "$T/roster-api.json" "roster: the same objects as verify-roster --format jsonl"
check_eq "$(jq length "$T/roster-api.json")" "$(strip "$DEMO/roster-violations.csv" | awk 'NR > 1' | grep -c .)" "roster: one result per row"
req POST /api/v1/verify/roster -H "$AUTH" -F "file=@$DEMO/roster-violations.csv;type=text/csv" -F "note=附件1"
check_status 200 "roster as a form file"
jq -c . "$T/b" >"$T/roster-form.json" 2>/dev/null
check_files_same "$T/roster-cli.json" "$T/roster-form.json" "roster: a form upload gives the same results"
req POST /api/v1/verify/roster -H "$AUTH" -F "a=1" -F "file=@$DEMO/roster-violations.csv" -F "second=@$DEMO/roster-clean.csv"
jq -c . "$T/b" >"$T/roster-form2.json" 2>/dev/null
check_files_same "$T/roster-cli.json" "$T/roster-form2.json" "roster: the first file of a form counts"
strip "$DEMO/roster-violations.csv" | iconv -f UTF-8 -t GB18030 >"$T/roster-gbk.csv"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: application/octet-stream' --data-binary @"$T/roster-gbk.csv"
check_status 200 "roster in GB18030"
jq -c . "$T/b" >"$T/roster-gbk.json" 2>/dev/null
check_files_same "$T/roster-cli.json" "$T/roster-gbk.json" "roster: GB18030 gives the same results"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type:' --data-binary @"$DEMO/roster-clean.csv"
check_status 200 "roster without a Content-Type"
check_eq "$(jq -r '[.[].verdict] | unique | join(",")' "$T/b")" valid "the clean roster is all valid"
printf '姓名,身份证号码,证书编号\n张三,5.20102E+17,%s\n' "$CN" >"$T/mangled.csv"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$T/mangled.csv"
check_error 422 invalid_roster "roster: an ID number Excel mangled"
case $(jb .error.message) in
第2行*身份证号码*) pass ;;
*) fail "roster: the input error names the line and the column" "message: $(jb .error.message)" ;;
esac
printf 'a,b\n1,2\n' >"$T/nohead.csv"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$T/nohead.csv"
check_error 422 invalid_roster "roster: no roster header"
printf 'PK\003\004\000\000binary' >"$T/binary.csv"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$T/binary.csv"
check_error 422 invalid_roster "roster: a binary file"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: text/csv'
check_error 400 empty_body "roster: no body"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: image/png' --data-binary @"$DEMO/roster-clean.csv"
check_error 415 unsupported_media_type "roster: an image type"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: application/x-www-form-urlencoded' --data 'a=b'
check_error 415 unsupported_media_type "roster: a urlencoded form"
req POST /api/v1/verify/roster -H "$AUTH" -F "a=1"
check_error 400 no_file "roster: a form without a file"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: multipart/form-data' --data-binary 'x'
check_error 400 bad_form "roster: multipart without a boundary"
printf '%s\r\n%s\r\n\r\n%s' '--XyZ' 'Content-Disposition: form-data; name="file"; filename="a.csv"' '姓名' >"$T/cut.form"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary @"$T/cut.form"
check_status 400 "roster: a form cut short"
head -c 9000000 /dev/zero | tr '\0' 'a' >"$T/9m"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$T/9m"
check_error 413 payload_too_large "roster: 9 MB with a Content-Length"
req POST /api/v1/verify/roster -H "$AUTH" -H 'Content-Type: text/csv' -H 'Transfer-Encoding: chunked' --data-binary @"$T/9m"
check_error 413 payload_too_large "roster: 9 MB chunked"
req POST /api/v1/verify/roster -H "$AUTH" -F "file=@$T/9m"
check_error 413 payload_too_large "roster: 9 MB in a form"
get /api/v1/verify/roster
check_error 405 method_not_allowed "roster: GET"

# --- the trust list, the status list ---

get /api/v1/trust-list
check_status 200 "trust list"
keep trust
check_eq "$(jb .alg)" Ed25519 "trust list: signed with Ed25519"
check_eq "$(jb .kid)" "$(jq -r '.keys[] | select(.role == "root") | .kid' "$KEYS/keys.json")" "trust list: signed by the root"
check_eq "$(jb .payload | b64url_decode | jq -r '.keys | length')" 1 "trust list: the issuing key"
check_eq "$(header Cache-Control)" "public, max-age=60" "trust list: cacheable for a minute"
cp "$T/b" "$T/trust1"
get /api/v1/trust-list
check_files_same "$T/trust1" "$T/b" "trust list: the same list while nothing changes"
get /api/v1/status-list
check_status 200 "status list"
keep status
check_eq "$(jb .payload | b64url_decode | jq -r .type)" opcert-status "status list: its payload"
_slots=$(jb .payload | b64url_decode | jq -r .size)
[ "${_slots:-0}" -ge 131072 ] && pass || fail "status list: at least 131072 entries" "size: $_slots"
check_eq "$(jb .kid)" "$(jq -r '.keys[] | select(.role == "issuing") | .kid' "$KEYS/keys.json")" "status list: signed by the issuing key"

# --- the transparency log ---

LOGSIZE=$(sqlite3 "$DB" "select count(*) from log_entry")
get /api/v1/log/checkpoint
check_status 200 "checkpoint"
keep checkpoint
check_eq "$(header Content-Type)" "text/plain; charset=utf-8" "checkpoint: plain text"
check_eq "$(sed -n 1p "$T/b")" "$OFFICIAL/log" "checkpoint: origin"
check_eq "$(sed -n 2p "$T/b")" "$LOGSIZE" "checkpoint: the log's size"
check "checkpoint: signed by the log key" grep -q "^— opcert-log-" "$T/b"
cp "$T/b" "$T/cp1"
for _e in 0 1 $((LOGSIZE / 2)) $((LOGSIZE - 1)); do
	get "/api/v1/log/proof?entry=$_e"
	check_status 200 "proof of entry $_e"
	keep proof
	check_eq "$(jb .entry)" "$_e" "proof $_e: entry"
	check_eq "$(jb .tree_size)" "$LOGSIZE" "proof $_e: tree size"
	check_eq "$(jb .checkpoint)" "$(cat "$T/cp1")" "proof $_e: the signed checkpoint of that size"
	check_eq "$(jb .root)" "$(sed -n 3p "$T/cp1")" "proof $_e: the checkpoint's root"
	"$OPCERT" log prove "$_e" --db "$DB" >"$T/prove.txt" 2>&1
	check_eq "$(jb '.proof[]')" "$(sed -n '/包含证明/,$p' "$T/prove.txt" | tail -n +2)" "proof $_e: the same hashes as opcert log prove"
	check_eq "$(jb .leaf_hash)" "$(sed -n 's/^叶子哈希：//p' "$T/prove.txt")" "proof $_e: leaf hash"
done
get "/api/v1/log/proof?entry=$LOGSIZE"
check_error 404 no_such_entry "proof beyond the log"
get "/api/v1/log/proof?entry=abc"
check_error 400 bad_parameter "proof of a non-number"
get "/api/v1/log/proof?entry=-1"
check_error 400 bad_parameter "proof of a negative entry"
get "/api/v1/log/proof?entry=99999999999999999999"
check_error 400 bad_parameter "proof of a 20-digit entry"
get "/api/v1/log/proof?entry="
check_error 400 bad_parameter "proof of an empty entry"
get "/api/v1/log/proof"
check_error 400 missing_parameter "proof without entry"

# --- OpenAPI, pages, static files ---

get /api/v1/openapi.json
check_status 200 "OpenAPI document"
check_eq "$(jb '.openapi | startswith("3.0")')" true "OpenAPI 3.0"
table_routes >"$T/routes"
[ "$(wc -l <"$T/routes")" -ge 20 ] || die "could not read the route table of src/http/routes.c"
while read -r _m _p _prefix _scope; do
	_op=$(openapi_path "$_p" "$_prefix")
	_lm=$(printf '%s' "$_m" | tr 'A-Z' 'a-z')
	check_eq "$(jq -r --arg p "$_op" --arg m "$_lm" '.paths[$p] | has($m)' "$T/b")" true "OpenAPI describes $_m $_op"
done <"$T/routes"
check_eq "$(jq -r '.components.schemas.Error.properties.error.required | join(",")' "$T/b")" "code,message" "OpenAPI: the error shape"

for _page in / /scan /v /help /login; do
	get "$_page"
	check_status 200 "page $_page"
	check_eq "$(header Content-Type)" "text/html; charset=utf-8" "page $_page: HTML"
done
get /
check "page /: index.html" grep -q '<title>index</title>' "$T/b"
check_eq "$(header Cache-Control)" no-cache "pages are revalidated"
# A web root without not-found.html: an object out of scope (another
# district for a 云岩区 officer) and a missing one still get one plain page.
get /districts/%E5%8D%97%E6%98%8E%E5%8C%BA -H "$AUTH"
check_status 404 "a page out of scope: 404"
check_eq "$(header Content-Type)" "text/html; charset=utf-8" "a page out of scope: HTML"
check "a page out of scope: the built-in not-found page" grep -q 'id="not-found"' "$T/b"
check_eq "$(head -n 1 "$T/b")" '<!doctype html>' "the built-in not-found page is a document"
cp "$T/b" "$T/b.nf"
get /districts/%E4%B8%8D%E5%AD%98%E5%9C%A8%E5%8C%BA -H "$AUTH"
check_status 404 "a page for a missing object: 404"
check "out of scope = missing (built-in not-found page)" cmp -s "$T/b" "$T/b.nf"
get /static/css/site.css
check_status 200 "a stylesheet"
check_eq "$(header Content-Type)" "text/css; charset=utf-8" "stylesheet: text/css"
ETAG=$(header ETag)
case $ETAG in \"*\") pass ;; *) fail "static files have an ETag" "ETag: $ETAG" ;; esac
get /static/css/site.css -H "If-None-Match: $ETAG"
check_status 304 "If-None-Match: 304"
get /static/js/app.js
check_eq "$(header Content-Type)" "text/javascript; charset=utf-8" "script: text/javascript"
check_eq "$(header Service-Worker-Allowed)" "" "only the offline worker may widen its scope"
get /static/sw.js
check_status 200 "the offline worker"
check_eq "$(header Content-Type)" "text/javascript; charset=utf-8" "the offline worker: text/javascript"
check_eq "$(header Service-Worker-Allowed)" "/" "the offline worker may control the whole site"
check_eq "$(header Cache-Control)" "no-cache" "the offline worker is always revalidated"
get /static/manifest.webmanifest
check_eq "$(header Content-Type)" "application/manifest+json; charset=utf-8" "the web app manifest"
get /static/vendor/lib/x.min.js
check_status 200 "a vendored library"
get /static/inside.css
check_status 200 "a symbolic link inside the web root"
for _p in /static/../outside.txt /static/..%2f..%2foutside.txt /static/%2e%2e/%2e%2e/outside.txt \
	"/static/css%5c..%5c..%5coutside.txt" /static/escape.txt /static/.secret /static//css/site.css \
	/static/css/ /static/css /static/ /static/nope.js /static/css/./site.css /index.html \
	/static/../../../../etc/passwd /openapi.json /nope /api/v1/nope /api/v1/verify/ /API/v1/verify; do
	get "$_p"
	check_status 404 "not served: $_p"
	check_eq "$(jb .error.code)" not_found "404 as JSON: $_p"
done
get "/static/css/site.css%00.html"
check_error 400 bad_path "a NUL in the path"
req DELETE /api/v1/verify
check_error 405 method_not_allowed "DELETE"
check_eq "$(header Allow)" "GET, HEAD" "405: Allow: GET, HEAD"
req PUT /
check_status 405 "PUT /"
req OPTIONS /healthz
check_status 405 "OPTIONS"
req BREW /healthz
check_status 405 "an unknown method"
req HEAD /healthz
check_status 200 "HEAD /healthz"

# --- slow clients: dropped after --timeout while others are served ---

hexport=$(printf '%04X' "${MAIN_BASE##*:}")
established() {
	awk -v p=":$hexport" '$2 ~ p"$" && $4 == "01"' /proc/net/tcp | wc -l | tr -d ' '
}
(printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n'; sleep 6) | curl -s --max-time 8 "telnet://${MAIN_BASE#http://}" >/dev/null 2>&1 &
SLOW1=$!
(printf 'aaaa'; sleep 6) | curl -s -o /dev/null --max-time 8 -X POST -H 'Content-Type: text/csv' \
	-H "$AUTH" -H 'Content-Length: 1000' -H 'Expect:' -T - "$MAIN_BASE/api/v1/verify/roster" 2>/dev/null &
SLOW2=$!
sleep 0.5
[ "$(established)" -ge 2 ] && pass || fail "two slow clients are connected" "established: $(established)"
get /healthz
check_status 200 "others are served while slow clients hang"
verify "$CN" "$CNAME"
check_eq "$(jb .verdict)" valid "the register is read while slow clients hang"
# --timeout 2: gone within a few seconds (a loaded machine may be late).
_i=0
while [ $_i -lt 50 ] && [ "$(established)" -gt 0 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
check_eq "$(established)" 0 "slow clients are dropped after --timeout"
check "the dropped upload is in the access log" grep -q '"route":"/api/v1/verify/roster","status":0,.*"terminated":"timeout"' "$T/main.err"
kill "$SLOW1" "$SLOW2" 2>/dev/null
wait "$SLOW1" "$SLOW2" 2>/dev/null

# --- a checkpoint is made again once the log grew, at most every 10 s ---

opcert suspend "$CN" --reason "HTTP 测试" --db "$DB"
check_rc 0 "suspend while the server runs"
get /api/v1/log/checkpoint
# The checkpoint first anchors the audit trail (the suspension's entry) in the log: one more entry.
check_eq "$(sed -n 2p "$T/b")" $((LOGSIZE + 2)) "a new checkpoint covers the new entry and the trail's anchor"
get "/api/v1/log/proof?entry=$LOGSIZE"
check_status 200 "proof of the new entry"
check_eq "$(jb .tree_size)" $((LOGSIZE + 2)) "the proof is in the new tree"
verify "$CN" "$CNAME"
check_eq "$(jb .verdict)" suspended "the server sees the change"
credential "$CPAY"
check_eq "$(jb .verdict)" suspended "the credential's status is the register's"
opcert reinstate "$CN" --db "$DB"
check_rc 0 "reinstate while the server runs"
get /api/v1/log/checkpoint
check_eq "$(sed -n 2p "$T/b")" $((LOGSIZE + 2)) "no second checkpoint within 10 s"
verify "$CN" "$CNAME"
check_eq "$(jb .verdict)" valid "reinstated"

# --- the access log ---

check "the access log is JSON, a line a request" sh -c "jq -e -c 'select(.method) | .route, .status, .ms, .bytes' '$T/main.err' >/dev/null"
check_out_lacks "number=" "nothing on stdout but the server's lines"
if grep -q -e 'number=' -e 'name=' -e 'entry=' "$T/main.err"; then
	fail "the access log holds no query string" "$(grep -m1 -e 'number=' "$T/main.err")"
else
	pass
fi
if grep '"method":' "$T/main.err" | grep -q -F -e "$CNAME" -e "$CN" -e "127.0.0.1"; then
	fail "the access log holds no name, number or address"
else
	pass
fi
check "the access log names routes, not paths" grep -q '"route":"/static/\*"' "$T/main.err"

# --- no full ID number in any public answer ---

strip "$DEMO/register.csv" | awk -F, 'NR > 1 {print $4}' >"$T/ids"
_n=$(wc -l <"$T/ids" | tr -d ' ')
_hits=$(cat "$PUBLIC"/* | grep -c -F -f "$T/ids")
check_eq "$_hits" 0 "no full ID number in any public body ($(ls "$PUBLIC" | wc -l | tr -d ' ') bodies, $_n IDs)"

stop_server "$MAIN" main

# ---------------------------------------------------------------------------
# The rate limit: 3 a minute (bursts of 3), then 429 with Retry-After

start_server limited --rate-limit 3
LIMITED=$SPID
for _i in 1 2 3; do
	get "/api/v1/verify?number=x&name=y"
	check_status 200 "rate limit: request $_i passes"
done
get "/api/v1/verify?number=x&name=y"
check_error 429 rate_limited "rate limit: the 4th request"
_ra=$(header Retry-After)
case $_ra in [1-9] | [1-9][0-9]) pass ;; *) fail "429 has a Retry-After in seconds" "Retry-After: $_ra" ;; esac
req POST /api/v1/verify/credential -H 'Content-Type: application/json' --data-binary '{"payload":"x"}'
check_status 429 "rate limit: every public route of the client"
get /healthz
check_status 200 "rate limit: /healthz is not limited"
get /static/css/site.css
check_status 200 "rate limit: static files are not limited"
get "/api/v1/verify?number=x&name=y" -H "X-Forwarded-For: 203.0.113.9"
check_status 429 "rate limit: X-Forwarded-For is ignored without --trust-proxy"
stop_server "$LIMITED" limited

start_server proxied --rate-limit 2 --trust-proxy
PROXIED=$SPID
for _ip in 203.0.113.1 203.0.113.1; do
	get "/api/v1/verify?number=x&name=y" -H "X-Forwarded-For: $_ip"
	check_status 200 "trust-proxy: client $_ip within its limit"
done
get "/api/v1/verify?number=x&name=y" -H "X-Forwarded-For: 203.0.113.1"
check_status 429 "trust-proxy: client 203.0.113.1 over its limit"
get "/api/v1/verify?number=x&name=y" -H "X-Forwarded-For: 203.0.113.2"
check_status 200 "trust-proxy: another client has its own bucket"
get "/api/v1/verify?number=x&name=y" -H "X-Forwarded-For: 203.0.113.1, 203.0.113.3"
check_status 200 "trust-proxy: the proxy's (last) address counts, not what the client wrote"
get "/api/v1/verify?number=x&name=y" -H "X-Forwarded-For: 2001:db8::1"
check_status 200 "trust-proxy: an IPv6 client"
stop_server "$PROXIED" proxied

# ---------------------------------------------------------------------------
# Without keys: the signed routes answer 503, the check still works

mkdir -p "$T/nokeys-parent"
"$OPCERT" serve --db "$DB" --keys "$T/nokeys-parent/none" --web "$WEB" --listen 127.0.0.1:0 \
	--today "$TODAY" --rate-limit 0 >"$T/nokeys.out" 2>"$T/nokeys.err" &
SPID=$!
SERVERS="$SERVERS $SPID"
NOKEYS=$SPID
_i=0
while [ $_i -lt 300 ] && ! grep -q '已启动' "$T/nokeys.out" 2>/dev/null; do sleep 0.1; _i=$((_i + 1)); done
BASE=http://127.0.0.1:$(sed -n 's|.*://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$T/nokeys.out")
check "without keys: the server says so" grep -q '密钥库' "$T/nokeys.err"
for _p in /api/v1/trust-list /api/v1/status-list /api/v1/log/checkpoint "/api/v1/log/proof?entry=0"; do
	get "$_p"
	check_error 503 keys_unavailable "without keys: $_p"
done
credential "$CPAY"
check_error 503 keys_unavailable "without keys: credential"
verify "$EN" "$ENAME"
check_eq "$(jb .verdict)" valid "without keys: the public check works"
stop_server "$NOKEYS" nokeys

# ---------------------------------------------------------------------------
# TLS

if command -v openssl >/dev/null 2>&1; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=127.0.0.1 -keyout "$T/tls.key" -out "$T/tls.crt" >/dev/null 2>&1
	start_server_tls() {
		"$OPCERT" serve --db "$DB" --keys "$KEYS" --web "$WEB" --listen 127.0.0.1:0 \
			--today "$TODAY" --tls-cert "$T/tls.crt" --tls-key "$T/tls.key" \
			>"$T/tls.out" 2>"$T/tls.err" &
		SPID=$!
		SERVERS="$SERVERS $SPID"
		_i=0
		while [ $_i -lt 300 ] && ! grep -q '已启动' "$T/tls.out" 2>/dev/null; do sleep 0.1; _i=$((_i + 1)); done
	}
	start_server_tls
	TLS=$SPID
	BASE=https://127.0.0.1:$(sed -n 's|.*://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$T/tls.out")
	check "TLS: the URL printed is https" grep -q 'https://127.0.0.1:' "$T/tls.out"
	get /healthz -k
	check_status 200 "TLS: healthz over HTTPS"
	check_eq "$(header Strict-Transport-Security)" "max-age=31536000" "TLS: HSTS"
	verify_k() {
		STATUS=$(curl -s -k -G -o "$T/b" -w '%{http_code}' --data-urlencode "number=$1" \
			--data-urlencode "name=$2" "$BASE/api/v1/verify")
	}
	verify_k "$EN" "$ENAME"
	check_eq "$(jb .verdict)" valid "TLS: the public check"
	check_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://${BASE#https://}/healthz")" 000 "TLS: plain HTTP is not answered"
	stop_server "$TLS" tls
fi

# ---------------------------------------------------------------------------
# Usage errors

opcert serve --db "$DB" --listen nonsense
check_rc 2 "serve --listen nonsense"
check_err_has "--listen" "serve --listen nonsense: says which option"
opcert serve --db "$DB" --tls-cert "$T/tls.crt"
check_rc 2 "serve --tls-cert without --tls-key"
opcert serve --db "$DB" --web "$T/no-such-dir"
check_rc 2 "serve --web of a missing directory"
opcert serve --db "$T/missing.db" --listen 127.0.0.1:0
check_rc 2 "serve a missing database"
check_err_has "opcert init" "serve a missing database: names opcert init"
opcert serve --db "$DB" --rate-limit -1
check_rc 2 "serve --rate-limit -1"
opcert serve --db "$DB" --timeout 0
check_rc 2 "serve --timeout 0"
opcert serve --help
check_rc 0 "serve --help"
check_out_has "--rate-limit" "serve --help lists the options"

# ---------------------------------------------------------------------------
# SIGTERM during a roster upload: the upload completes, the server exits 0

{
	strip "$DEMO/roster-clean.csv" | head -n 1
	_i=0
	while [ $_i -lt 120 ]; do
		strip "$DEMO/roster-clean.csv" | tail -n +2
		_i=$((_i + 1))
	done
} >"$T/big-roster.csv"
_rows=$(($(wc -l <"$T/big-roster.csv") - 1))
start_server last --rate-limit 0
LAST=$SPID
curl -s --limit-rate 150K -X POST -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$T/big-roster.csv" \
	-o "$T/upload.json" -w '%{http_code}' "$BASE/api/v1/verify/roster" >"$T/upload.status" &
UPLOAD=$!
sleep 1
kill -TERM "$LAST"
sleep 0.5
check_eq "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/healthz")" 000 "after SIGTERM no new connection is accepted"
wait "$UPLOAD"
check_eq "$(cat "$T/upload.status")" 200 "the upload in flight at SIGTERM completes"
check_eq "$(jq length "$T/upload.json" 2>/dev/null)" "$_rows" "the upload's answer is whole"
wait "$LAST"
check_eq "$?" 0 "the server exits 0 after SIGTERM"
check "the server said it stopped" grep -q '已停止' "$T/last.out"
if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/last.err"; then
	fail "server last: sanitizer report" "$(head -c 2000 "$T/last.err")"
fi

# ---------------------------------------------------------------------------

if [ -n "$HDR_MISSING" ]; then
	fail "security headers on every response ($NREQ requests)" "$(printf '%s\n' "$HDR_MISSING" | head -n 20)"
else
	pass
fi
SERVERS=
finish
