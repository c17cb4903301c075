# t_sm2.sh - SM2 credentials through `opcert serve`: after `key rotate
# --alg sm2`, POST /api/v1/verify/credential answers valid for an SM2
# credential and for one signed with the retired Ed25519 key, forged for an
# SM2 credential with a changed character; the trust list served names the
# SM2 key with its 65-byte point and the status list is signed with it.
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/http/httplib.sh"

command -v curl >/dev/null && command -v jq >/dev/null || die "curl and jq are needed (scripts/deps.sh)"

OFFICIAL=127.0.0.1:8080
KEYS=$T/keys
SPID=

cleanup() {
	[ -n "$SPID" ] && kill -KILL "$SPID" 2>/dev/null
}
trap cleanup EXIT

b64url_decode() {
	_s=$(tr -d '\n' | tr '_-' '/+')
	case $((${#_s} % 4)) in
	2) _s="$_s==" ;;
	3) _s="$_s=" ;;
	esac
	printf '%s' "$_s" | base64 -d 2>/dev/null
}
# credential PAYLOAD: POST it; status in $STATUS, body in $T/b.
credential() {
	STATUS=$(curl -s -o "$T/b" -w '%{http_code}' --max-time 60 -X POST \
		-H 'Content-Type: application/json' \
		--data-binary "$(jq -n -c --arg p "$1" '{payload: $p}')" "$BASE/api/v1/verify/credential")
}
get() {
	STATUS=$(curl -s -o "$T/b" -w '%{http_code}' --max-time 60 "$BASE$1")
}

opcert init --db "$DB" --official-host "$OFFICIAL"
check_rc 0 "init with an official host"
demo_setup
opcert key init --keys "$KEYS" --db "$DB"
check_rc 0 "key init"
reg_valid_rows | grep -v '^T' >"$T/valid.txt"
N1=$(field 1 "$(sed -n 1p "$T/valid.txt")")
N2=$(field 1 "$(sed -n 2p "$T/valid.txt")")
[ -n "$N2" ] || die "register.csv lacks valid rows"

opcert cred issue "$N1" --keys "$KEYS" --db "$DB"
check_rc 0 "cred issue with the Ed25519 key"
PED=$(cat "$T/out")
opcert key rotate --alg sm2 --keys "$KEYS" --db "$DB"
check_rc 0 "key rotate --alg sm2"
KIDSM=$(jq -r '.keys[] | select(.role == "issuing" and .not_after == null) | .kid' "$KEYS/keys.json")
opcert cred issue "$N2" --keys "$KEYS" --db "$DB"
check_rc 0 "cred issue with the SM2 key"
PSM=$(cat "$T/out")

"$OPCERT" serve --db "$DB" --keys "$KEYS" --web "$OPCERT_SRC/web" --listen 127.0.0.1:0 \
	--today "$TODAY" >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
_i=0
while [ $_i -lt 300 ] && ! grep -q '已启动' "$T/serve.out" 2>/dev/null; do
	kill -0 "$SPID" 2>/dev/null || break
	sleep 0.1
	_i=$((_i + 1))
done
_port=$(sed -n 's|.*://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$T/serve.out")
[ -n "$_port" ] || die "opcert serve did not start: $(head -c 600 "$T/serve.err")"
BASE=http://127.0.0.1:$_port

credential "$PSM"
check_eq "$STATUS" 200 "an SM2 credential: HTTP 200"
check_eq "$(jb .verdict)" valid "an SM2 credential: valid"
check_eq "$(jb .kid)" "$KIDSM" "an SM2 credential: its key id"
check_eq "$(jb .claims.number)" "$N2" "an SM2 credential: the signed number"
credential "http://$OFFICIAL/v#$(printf '%s' "$PSM" | sed 's/%/%25/g; s/ /%20/g')"
check_eq "$(jb .verdict)" valid "an SM2 credential in the official URL form: valid"
credential "$PED"
check_eq "$(jb .verdict)" valid "the Ed25519 credential signed before the rotation: valid"
_mid=$((${#PSM} / 2))
_c=$(printf '%s' "$PSM" | cut -c$_mid)
if [ "$_c" = A ]; then _n=B; else _n=A; fi
FORGED=$(printf '%s' "$PSM" | cut -c1-$((_mid - 1)))$_n$(printf '%s' "$PSM" | cut -c$((_mid + 1))-)
credential "$FORGED"
check_eq "$STATUS" 200 "a forged SM2 credential: an answer"
check_eq "$(jb .verdict)" forged "a forged SM2 credential: forged"
check_eq "$(jb 'has("claims")')" false "a forged SM2 credential: no claims"

get /api/v1/trust-list
check_eq "$STATUS" 200 "trust list"
check_eq "$(jb .alg)" Ed25519 "trust list: the root signs with Ed25519"
jb .payload | b64url_decode >"$T/inner.json"
check_eq "$(jq -r ".keys[] | select(.kid == \"$KIDSM\") | .alg" "$T/inner.json")" SM2 "trust list: the SM2 key with its algorithm"
check_eq "$(jq -r ".keys[] | select(.kid == \"$KIDSM\") | .pk | length" "$T/inner.json")" 87 "trust list: its 65-byte point"
check_eq "$(jq -r '.keys | length' "$T/inner.json")" 2 "trust list: the retired Ed25519 key stays"
get /api/v1/status-list
check_eq "$STATUS" 200 "status list"
check_eq "$(jb .alg)" SM2 "status list: signed with the SM2 issuing key"
check_eq "$(jb .kid)" "$KIDSM" "status list: its key id"
cp "$T/b" "$T/status.json"
get /api/v1/trust-list
cp "$T/b" "$T/trust.json"
opcert cred verify "$PSM" --offline --trust "$T/trust.json" --status "$T/status.json" \
	--official-host "$OFFICIAL" --db "$T/none.db" --keys "$T/nokeys" --today "$TODAY" --format json
check_rc 0 "the served trust and status lists verify the SM2 credential offline"
check_eq "$(jq -r .verdict "$T/out")" valid "offline with the served lists: valid"

kill -TERM "$SPID"
wait "$SPID"
check_eq "$?" 0 "the server exits 0 after SIGTERM"
SPID=
if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/serve.err"; then
	fail "server: sanitizer report" "$(grep -A 20 -e Sanitizer -e 'runtime error:' "$T/serve.err" | head -c 2000)"
fi

finish
