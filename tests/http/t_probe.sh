# t_probe.sh - the probe limit (lib/access/probe.h) against a real `opcert serve`:
# the masked ID number keeps the area code and the check character, so
# trying the ~2,000 birth dates left would recover the full ID number from
# any answer that says whether an ID number matches.  Here the attack is
# made the way an outside tester made it: one roster naming one certificate
# with every candidate (refused whole, naming the rows, nothing answered);
# one guess at a time through the roster check and through worker
# registration (three wrong guesses answered, then the fourth refused with
# 429 probe_limit, the right ID number too, byte for byte like a wrong
# one); the same with emergency-management numbers ("T" + the ID number)
# through the public check and a register record.  Other certificates and
# other accounts go on as before; every refusal is in the audit trail; the
# city sees the counts, its administrator clears them over HTTP, on the
# command line, and nobody else may.
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/http/httplib.sh"
. "$OPCERT_SRC/tests/http/orglib.sh"

command -v curl >/dev/null && command -v jq >/dev/null && command -v sqlite3 >/dev/null ||
	die "curl, jq and sqlite3 are needed (scripts/deps.sh)"

KEYS=$T/keys
WEB=$OPCERT_SRC/web

cleanup() {
	for _p in $SERVERS; do
		kill -KILL "$_p" 2>/dev/null
	done
}
trap cleanup EXIT

# candidates ID N: N valid ID numbers that share ID's mask (its first 6 and
# last 4 characters) with other birth dates: what an attacker who read the
# masked ID would try.  Computed here, independently of the program.
candidates() {
	printf '%s\n' "$1" | awk -v n="$2" '{
		head = substr($0, 1, 6); seq = substr($0, 15, 3); chk = substr($0, 18, 1)
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		found = 0
		for (y = 1965; y <= 2000 && found < n; y++)
			for (m = 1; m <= 12 && found < n; m++)
				for (d = 1; d <= 28 && found < n; d++) {
					f17 = sprintf("%s%04d%02d%02d%s", head, y, m, d, seq)
					if (f17 == substr($0, 1, 17))
						continue
					s = 0
					for (i = 1; i <= 17; i++)
						s += substr(f17, i, 1) * w[i]
					c = substr("10X98765432", s % 11 + 1, 1)
					if (c == chk) {
						print f17 c
						found++
					}
				}
	}'
}

# roster FILE NUMBER NAME ID...: a roster of one row per ID number.
roster() {
	_f=$1
	_n=$2
	_nm=$3
	shift 3
	printf '姓名,身份证号码,证书编号\n' >"$_f"
	for _i in "$@"; do
		printf '%s,%s,%s\n' "$_nm" "$_i" "$_n" >>"$_f"
	done
}

# check_roster LOGIN NUMBER NAME ID STATUS DESCRIPTION: a one-row roster.
check_roster() {
	roster "$T/one.csv" "$2" "$3" "$4"
	as "$1" POST /api/v1/verify/roster -H 'Content-Type: text/csv' --data-binary "@$T/one.csv"
	check_status "$5" "$6"
}

trail_count() {
	sqlite3 "$DB" "select count(*) from trail where action = '$1'${2:+ and login = '$2'}"
}

# ---------------------------------------------------------------------------
# A register, a company with a project, accounts

opcert init --db "$DB"
check_rc 0 "init"
demo_setup
opcert key init --keys "$KEYS" --db "$DB"
check_rc 0 "key init"

# reg N: the Nth construction row of the register: number, name, ID number.
reg() {
	_row=$(grep '^黔A' "$DEMO/register.csv" | sed -n "${1}p")
	REG_NO=$(field 1 "$_row")
	REG_NAME=$(field 2 "$_row")
	REG_ID=$(field 4 "$_row")
	[ -n "$REG_ID" ] || die "register.csv has no construction row $1"
}
reg 1
NA=$REG_NO NAME_A=$REG_NAME ID_A=$REG_ID
reg 2
NB=$REG_NO NAME_B=$REG_NAME ID_B=$REG_ID
reg 3
NC=$REG_NO NAME_C=$REG_NAME ID_C=$REG_ID
reg 4
ND=$REG_NO NAME_D=$REG_NAME ID_D=$REG_ID
ROW_T=$(grep '^T' "$DEMO/register.csv" | sed -n 1p)
NT=$(field 1 "$ROW_T")
NAME_T=$(field 2 "$ROW_T")
ID_T=$(field 4 "$ROW_T")
[ -n "$ID_T" ] || die "register.csv has no emergency-management row"

candidates "$ID_A" 40 >"$T/cand_a"
check_eq "$(wc -l <"$T/cand_a" | tr -d ' ')" 40 "40 candidates share the mask of certificate A's ID number"
W1=$(sed -n 1p "$T/cand_a")
W2=$(sed -n 2p "$T/cand_a")
W3=$(sed -n 3p "$T/cand_a")
W4=$(sed -n 4p "$T/cand_a")
candidates "$ID_C" 8 >"$T/cand_c"
candidates "$ID_T" 4 >"$T/cand_t"

YY=云岩区
new_company builder "$YY" 云岩探测建设有限公司
C_YY=$NEW_USCC
new_project 云岩探测项目 "$YY" "$C_YY"
P=$NEW_PROJECT

PW=Probe-pass-2026-xyz
printf '%s\n' "$PW" >"$T/pw"
add_user() {
	_l=$1
	shift
	opcert user add "$_l" "$@" --password-stdin --db "$DB" <"$T/pw"
	check_rc 0 "user add $_l"
}
add_user p.admin --role city_admin
add_user p.city --role city_officer
add_user p.yy --role district_officer --district "$YY"
add_user p.builder --role company_user --company "$C_YY"
add_user p.builder2 --role company_user --company "$C_YY"

start_server probe --rate-limit 0 --sign-in-rate 0
for _l in p.admin p.city p.yy p.builder p.builder2; do
	signed_in "$_l" "$PW"
done

# ---------------------------------------------------------------------------
# 1. The whole attack in one roster: one certificate, its name, every
# candidate ID number and the real one among them.

roster "$T/attack.csv" "$NA" "$NAME_A" $(sed -n 1,20p "$T/cand_a") "$ID_A" $(sed -n 21,40p "$T/cand_a")
as p.builder POST /api/v1/verify/roster -H 'Content-Type: text/csv' --data-binary "@$T/attack.csv"
check_error 422 probe_roster "a roster of one certificate with 41 ID numbers is refused whole"
check "the refusal answers no row (no verdict, no mismatched fields)" sh -c "! grep -q -e mismatched_fields -e verdict '$T/b'"
check "the refusal does not hold the real ID number" sh -c "! grep -q '$ID_A' '$T/b'"
check_eq "$(jb '.error.numbers | join(",")')" "$NA" "the refusal names the certificate"
check_eq "$(jb '.error.rows[0:3] | map(tostring) | join(",")')" "1,2,3" "the refusal names the rows"
case $(jb .error.message) in
*"$NA"*第*1、2、3*行*) pass ;;
*) fail "the message names the certificate and the rows" "$(jb .error.message)" ;;
esac
check_eq "$(trail_count probe.refused p.builder)" 1 "the refusal is in the audit trail"
check_eq "$(sqlite3 "$DB" "select object from trail where action = 'probe.refused' order by seq desc limit 1")" \
	"cert:$NA" "the trail names the certificate"
check_eq "$(sqlite3 "$DB" "select count(*) from trail where detail like '%$ID_A%' or detail like '%$W1%'")" 0 \
	"no ID number in clear in the trail"

# Two ID numbers for one certificate (a card lent to someone) are still checked.
roster "$T/two.csv" "$NB" "$NAME_B" "$ID_B" "$W1"
as p.builder POST /api/v1/verify/roster -H 'Content-Type: text/csv' --data-binary "@$T/two.csv"
check_status 200 "two ID numbers for one certificate are checked"
check_eq "$(jb 'map(select(.mismatched_fields | index("id_number"))) | length')" 1 "one of the two does not match"

# ---------------------------------------------------------------------------
# 2. One guess at a time through the roster check: three wrong ones are
# answered, then everything for that certificate is refused, the right ID
# number too, with the same bytes as a wrong one.

check_roster p.builder "$NA" "$NAME_A" "$W1" 200 "wrong guess 1 is answered"
check_eq "$(jb '.[0].mismatched_fields | index("id_number") != null')" true "guess 1: the ID number does not match"
check_roster p.builder "$NA" "$NAME_A" "$W2" 200 "wrong guess 2 is answered"
check_roster p.builder "$NA" "$NAME_A" "$W3" 200 "wrong guess 3 is answered"
check_roster p.builder "$NA" "$NAME_A" "$W1" 200 "a wrong guess already answered is answered again (nothing new to learn)"
check_roster p.builder "$NA" "$NAME_A" "$ID_A" 429 "the right ID number after three wrong ones: 429"
check_eq "$(jb .error.code)" probe_limit "error code probe_limit"
case $(jb .error.message) in
*该证书的身份证号核对次数已达上限，请24小时后再试或联系市住建局管理员*) pass ;;
*) fail "the message says the limit is reached" "$(jb .error.message)" ;;
esac
check "a Retry-After header" test -n "$(header Retry-After)"
check "Retry-After is at most a day" test "$(header Retry-After)" -le 86400
cp "$T/b" "$T/refused.right"
check_roster p.builder "$NA" "$NAME_A" "$W4" 429 "a fourth wrong guess: 429"
check_files_same "$T/b" "$T/refused.right" "the right ID number is refused byte for byte like a wrong one"
check_roster p.builder "$NA" "$NAME_A" "$W1" 200 "past the limit a guess already answered as wrong is still answered (the union stays at three)"
check_eq "$(trail_count probe.refused p.builder)" 3 "every refusal is in the audit trail"

# Other certificates, other accounts: unaffected.
check_roster p.builder "$NB" "$NAME_B" "$W2" 200 "the same account, another certificate: answered"
check_roster p.builder2 "$NA" "$NAME_A" "$ID_A" 200 "another account, the same certificate: answered"
check_eq "$(jb '.[0].mismatched_fields // [] | index("id_number")')" null "another account: the right ID number matches"

# ---------------------------------------------------------------------------
# 3. One guess at a time through worker registration (a right guess would
# make a registration that unlocks the full ID number).

workers() {
	as p.builder2 GET "/api/v1/projects/$P/workers"
	jb '.workers | length'
}
register() {
	asj p.builder2 POST "/api/v1/projects/$P/workers" \
		"$(jq -n -c --arg n "$1" --arg m "$2" --arg i "$3" '{number: $n, name: $m, id_number: $i}')"
}
_i=0
for _w in $(cat "$T/cand_c" | head -n 3); do
	_i=$((_i + 1))
	register "$NC" "$NAME_C" "$_w"
	check_status 201 "worker registration, wrong guess $_i: registered as before"
	check_eq "$(jb .worker.verdict)" mismatch "wrong guess $_i: the verdict says mismatch"
done
BEFORE=$(workers)
register "$NC" "$NAME_C" "$ID_C"
check_error 429 probe_limit "worker registration, the right ID number after three wrong ones"
cp "$T/b" "$T/refused.worker"
register "$NC" "$NAME_C" "$(sed -n 4p "$T/cand_c")"
check_error 429 probe_limit "worker registration, a fourth wrong guess"
check_files_same "$T/b" "$T/refused.worker" "the right one refused like a wrong one"
check_eq "$(workers)" "$BEFORE" "nothing registered past the limit"
as p.builder2 GET "/api/v1/certificates/$(uri "$NC")?full_id=1"
check_status 404 "no full ID number unlocked (the record is not the company's to read)"
printf '姓名,身份证号码,证书编号\n%s,%s,%s\n' "$NAME_C" "$ID_C" "$NC" >"$T/import.csv"
as p.builder2 POST "/api/v1/projects/$P/workers/import" -H 'Content-Type: text/csv' --data-binary "@$T/import.csv"
check_error 429 probe_limit "a roster import with the right ID number: refused too"
check_eq "$(workers)" "$BEFORE" "the import registered nothing"
register "$ND" "$NAME_D" "$ID_D"
check_status 201 "worker registration of another certificate: answered"

# The roster rule on imports: one certificate, three ID numbers.
printf '姓名,身份证号码,证书编号\n%s,%s,%s\n%s,%s,%s\n%s,%s,%s\n' \
	"$NAME_B" "$ID_B" "$NB" "$NAME_B" "$W3" "$NB" "$NAME_B" "$W4" "$NB" >"$T/import3.csv"
BEFORE=$(workers)
as p.yy POST "/api/v1/projects/$P/workers/import" -H 'Content-Type: text/csv' --data-binary "@$T/import3.csv"
check_error 422 probe_roster "an import naming one certificate with three ID numbers"
check_eq "$(jb '.error.rows | map(tostring) | join(",")')" "2,3,4" "the refusal names the lines"
check_eq "$(workers)" "$BEFORE" "the refused import registered nothing"
check_eq "$(trail_count probe.refused p.yy)" 1 "the import's refusal is in the trail"

# Many guesses at once: the decision that records a miss is made again in
# the writer's transaction, so no more than three are ever answered.
reg 5
candidates "$REG_ID" 8 >"$T/cand_e"
_k=0
_pids=
for _w in $(cat "$T/cand_e"); do
	_k=$((_k + 1))
	roster "$T/par$_k.csv" "$REG_NO" "$REG_NAME" "$_w"
	curl -s -o /dev/null -w '%{http_code}\n' -b "$T/jar.p.yy" -H "X-CSRF-Token: $(cat "$T/csrf.p.yy")" \
		-H 'Content-Type: text/csv' --data-binary "@$T/par$_k.csv" "$BASE/api/v1/verify/roster" >"$T/par$_k.status" &
	_pids="$_pids $!"
done
for _p in $_pids; do
	wait "$_p"
done
check_eq "$(cat "$T"/par*.status | grep -c '^200$')" 3 "eight guesses at once: three answered"
check_eq "$(cat "$T"/par*.status | grep -c '^429$')" 5 "eight guesses at once: five refused"

# ---------------------------------------------------------------------------
# 4. Emergency-management numbers hold the ID number: whether the register
# has "T" + a candidate says whether the candidate is right.

_i=0
for _c in $(head -n 3 "$T/cand_t"); do
	_i=$((_i + 1))
	call GET "/api/v1/verify?number=T$_c&name=$(uri "$NAME_T")"
	check_status 200 "public check, T number guess $_i: answered"
	check_eq "$(jb .verdict)" external "public check, guess $_i: not in the register"
done
call GET "/api/v1/verify?number=$NT&name=$(uri "$NAME_T")"
check_error 429 probe_limit "public check: the real T number after three absent ones"
check "public check: Retry-After" test -n "$(header Retry-After)"
cp "$T/b" "$T/refused.public"
call GET "/api/v1/verify?number=T$(sed -n 4p "$T/cand_t")&name=$(uri "$NAME_T")"
check_error 429 probe_limit "public check: a fourth absent T number"
check_files_same "$T/b" "$T/refused.public" "public check: the real number refused like an absent one"
call GET "/api/v1/verify?number=$(uri "$NB")&name=$(uri "$NAME_B")"
check_status 200 "public check of a construction number: not limited"
check_eq "$(trail_count probe.refused)" "$(($(trail_count probe.refused p.builder) + $(trail_count probe.refused p.builder2) + $(trail_count probe.refused p.yy) + 1))" \
	"the public's refusals: the first of the address in the trail"

_i=0
for _c in $(head -n 3 "$T/cand_t"); do
	_i=$((_i + 1))
	as p.builder GET "/api/v1/certificates/T$_c"
	check_status 404 "register record, T number guess $_i: absent"
done
as p.builder GET "/api/v1/certificates/$NT"
check_error 429 probe_limit "register record: the real T number after three absent ones"
as p.city GET "/api/v1/certificates/$NT"
check_status 200 "register record: another account reads it"

# ---------------------------------------------------------------------------
# 5. The city sees the counts; only its administrator clears them.

as p.city GET /api/v1/probes
check_status 200 "a city officer lists the counts"
check_eq "$(jb '.limit')" 3 "the list states the limit"
check_eq "$(jb '.subjects[] | select(.subject == "account:p.builder") | .at_limit')" 2 \
	"p.builder: two certificates at the limit"
check_eq "$(jb '.subjects[] | select(.subject == "account:p.builder") | .refusals')" 4 "p.builder: four refusals"
check_eq "$(jb '.subjects[] | select(.subject == "account:p.builder") | .misses')" 8 "p.builder: eight misses"
check_eq "$(jb '.subjects[] | select(.subject == "account:p.builder2") | .misses')" 3 "p.builder2: three misses"
check_eq "$(jb '[.subjects[] | select(.subject == "address:127.0.0.1")] | length')" 1 "the public counted by address"
check "the list holds no ID number" sh -c "! grep -q -e '$ID_A' -e '$W1' '$T/b'"
as p.builder GET /api/v1/probes
check_status 403 "a company user may not list the counts"
as p.city GET /probes
check_status 200 "the page for the city officer"
as p.builder GET /probes
check_status 403 "no page for a company user"

asj p.city POST /api/v1/probes/clear '{"subject":"account:p.builder"}'
check_status 403 "a city officer may not clear"
asj p.builder POST /api/v1/probes/clear '{"subject":"account:p.builder"}'
check_status 403 "a company user may not clear"
asj p.admin POST /api/v1/probes/clear '{"subject":"someone"}'
check_error 400 bad_subject "clear: a subject that is neither account: nor address:"
asj p.admin POST /api/v1/probes/clear "$(jq -n -c --arg n "$NA" '{subject: "account:p.builder", number: $n}')"
check_status 200 "the city administrator clears one certificate"
check_eq "$(jb .cleared)" 6 "that certificate's three misses and three refusals are cleared"
check_eq "$(trail_count probe.clear p.admin)" 1 "clearing is in the audit trail"
check_roster p.builder "$NA" "$NAME_A" "$ID_A" 200 "cleared: the certificate is answered again"
check_eq "$(jb '.[0].mismatched_fields // [] | index("id_number")')" null "cleared: the right ID number matches"
as p.builder GET "/api/v1/certificates/$NT"
check_error 429 probe_limit "the other certificate is still at the limit"

opcert probe list --json --db "$DB"
check_rc 0 "probe list"
check_eq "$(jq -r '.[] | select(.subject == "account:p.builder2") | .at_limit' "$T/out")" 1 \
	"probe list: p.builder2 at the limit for one certificate"
opcert probe list --db "$DB"
check_rc 0 "probe list as a table"
check_out_has "account:p.builder2" "the table names the account"
opcert probe clear --account p.builder2 --db "$DB"
check_rc 0 "probe clear on the command line"
check_out_has "account:p.builder2" "probe clear says whom"
register "$NC" "$NAME_C" "$ID_C"
check_status 201 "cleared on the command line: the registration is made"
check_eq "$(jb '.worker.findings | index("mismatch")')" null "the right ID number registers without a mismatch"
opcert probe clear --db "$DB"
check_rc 2 "probe clear needs --account or --address"
opcert probe clear --address 127.0.0.1 --number "$NT" --db "$DB"
check_rc 0 "probe clear of an address and one T number"
call GET "/api/v1/verify?number=$NT&name=$(uri "$NAME_T")"
check_status 200 "the public check answers that address again"
check_eq "$(trail_count probe.clear)" 3 "every clear is in the audit trail"

# The command line is the local operator: never limited.
for _w in $(sed -n 5,8p "$T/cand_c"); do
	opcert worker add --project "$P" --name "$NAME_C" --id "$_w" --number "$NC" --db "$DB"
	check_rc 1 "the command line registers a wrong guess as a mismatch"
done

kill -TERM "$SPID"
wait "$SPID"
check_eq "$?" 0 "the server exits 0 after SIGTERM"
check "no sanitizer report from the server" sh -c "! grep -q -e Sanitizer -e 'runtime error:' '$T/probe.err'"
finish
