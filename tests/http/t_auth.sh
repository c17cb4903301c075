# t_auth.sh - accounts over HTTP against a real `opcert serve`: signing in
# and out, wrong passwords, the per-account lock (which an account, a
# disabled account and a login that names none answer alike, failure by
# failure) and the per-client sign-in limit (429 with Retry-After), forged,
# ended and idle sessions, the cookie's flags (Secure over TLS), CSRF (a
# cookie without the token is refused, an API token needs none), signing in
# from another site, the one-time password gate, account administration, and
# that no password, one-time password or token appears in any output of the
# server or in the database files.
# Then the authorisation matrix: tests/http/matrix.tsv gives, for every route
# of src/http/routes.c, every role's answer (own and other scope for scoped
# routes); each is requested, and a route of the table missing from the
# file fails the test.  Then the register record routes: who reads which
# record at all, and a record out of scope answering exactly as a missing
# number does.
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/http/httplib.sh"
. "$OPCERT_SRC/tests/http/routes.sh"
. "$OPCERT_SRC/tests/http/orglib.sh"

command -v curl >/dev/null && command -v jq >/dev/null || die "curl and jq are needed (scripts/deps.sh)"

KEYS=$T/keys
WEB=$OPCERT_SRC/web
MATRIX=$OPCERT_SRC/tests/http/matrix.tsv
SERVERS=
SECRETS=$T/secrets # every password, one-time password and token used: none may leak

cleanup() {
	for _p in $SERVERS; do
		kill -KILL "$_p" 2>/dev/null
	done
}
trap cleanup EXIT

stop_server() {
	kill -TERM "$1"
	wait "$1"
	check_eq "$?" 0 "server $2 exits 0 after SIGTERM"
	if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/$2.err"; then
		fail "server $2: sanitizer report" "$(grep -A 20 -e Sanitizer -e 'runtime error:' "$T/$2.err" | head -c 2000)"
	fi
}

secret() {
	printf '%s\n' "$1" >>"$SECRETS"
}

# ---------------------------------------------------------------------------
# A register, keys, organisations and one account per role

opcert init --db "$DB" --official-host 127.0.0.1:8080
check_rc 0 "init"
demo_setup
opcert key init --keys "$KEYS" --db "$DB"
check_rc 0 "key init"
OWN=云岩区
OTHER=南明区
USCC=91350100M000100Y43
# The training user's institution: one the demo register names as where
# holders trained.
INST=贵阳示例建设职业培训学校

# reg_row AWK-CONDITION: the first construction row of the demo register
# whose fields meet the condition (i is $INST).
reg_row() {
	strip "$DEMO/register.csv" | awk -F, -v i="$INST" "/^黔A/ && ($1) { print; exit }"
}
# Construction certificates and their holders' ID numbers, for the record
# routes: CERTROW trained elsewhere and its holder on no project (until the
# full-ID tests register them), so outside the company user's and the
# training user's scope; OWNROW trained at $INST, its holder registered on
# the company user's project below, so inside both.
CERTROW=$(reg_row '$11 != i')
CERTID=$(field 4 "$CERTROW")
CERTNO=$(field 1 "$CERTROW" | jq -s -R -r @uri)
OWNROW=$(reg_row '$11 == i')
OWNID=$(field 4 "$OWNROW")
OWNNO=$(field 1 "$OWNROW" | jq -s -R -r @uri)
[ -n "$CERTID" ] && [ -n "$CERTNO" ] && [ -n "$OWNID" ] && [ -n "$OWNNO" ] ||
	die "register.csv lacks construction rows of $INST and of another institution"
# add_org KIND NAME [USCC]: a company or an institution in $OWN, by the
# command line where it has the command, else straight into the schema's
# organisation table (only the fixture: no route under test writes there).
add_org() {
	if [ "$1" = builder ]; then
		opcert company add --uscc "$3" --name "$2" --kind builder --district "$OWN" --db "$DB"
	else
		opcert institution add --name "$2" --district "$OWN" --db "$DB"
	fi
	[ "$RC" -eq 0 ] && return 0
	sqlite3 "$DB" "INSERT INTO org (kind, name, uscc, district, created_at, updated_at)
		SELECT '$1', '$2', $([ -n "${3:-}" ] && echo "'$3'" || echo NULL), id, unixepoch(), unixepoch()
		FROM org WHERE kind = 'district' AND name = '$OWN'" ||
		die "cannot add the $1 $2"
}
add_org builder 云岩建筑工程有限公司 "$USCC"
add_org institution "$INST"
# The other scope: a company, a project and an institution in $OTHER; the own
# scope's project is built by $USCC (the company user's company) in $OWN.
new_company builder "$OTHER" 南明建设集团有限公司
USCC_OTHER=$NEW_USCC
new_project 云岩矩阵项目 "$OWN" "$USCC"
PROJ_OWN=$NEW_PROJECT
new_project 南明矩阵项目 "$OTHER" "$USCC_OTHER"
PROJ_OTHER=$NEW_PROJECT
INST_OWN=$(institution_id "$INST")
# OWNROW's holder, with the register's ID number, on the own project.
opcert worker add --project "$PROJ_OWN" --name "$(field 2 "$OWNROW")" --id "$OWNID" \
	--number "$(field 1 "$OWNROW")" --db "$DB"
case $RC in 0 | 1) ;; *) die "cannot register OWNROW's holder on $PROJ_OWN: $(cat "$T/err")" ;; esac
new_institution 南明职业技能培训学校 "$OTHER"
INST_OTHER=$NEW_INSTITUTION

ROLES="public city_admin city_officer district_officer company_user training_user auditor"
PW=Matrix-pass-2026-xyz
secret "$PW"
printf '%s\n' "$PW" >"$T/pw"
# A login that names no account may be a password typed in the wrong field.
secret nobody.lockme

# add_user LOGIN ROLE [SCOPE OPTIONS]: with the password $PW.
add_user() {
	_l=$1
	_r=$2
	shift 2
	opcert user add "$_l" --role "$_r" "$@" --password-stdin --db "$DB" <"$T/pw"
	check_rc 0 "user add $_l ($_r)"
}
add_user m.city_admin city_admin
add_user m.city_officer city_officer
add_user m.district_officer district_officer --district "$OWN"
add_user m.company_user company_user --company "$USCC"
add_user m.training_user training_user --institution "$INST"
add_user m.auditor auditor
add_user m.target district_officer --district "$OTHER"
add_user m.admin2 city_admin
add_user m.lockme city_officer
add_user m.nanming district_officer --district "$OTHER"
add_user m.lockreal city_officer
add_user m.lockoff city_officer
opcert user disable m.lockoff --db "$DB"
check_rc 0 "user disable m.lockoff"

# ---------------------------------------------------------------------------
# The main server: no sign-in limit (the per-account lock is tested alone)

start_server main --rate-limit 0 --sign-in-rate 0
MAIN=$SPID

# --- signing in ---

sign_in m.admin2 "$PW"
check_status 200 "sign in"
check_eq "$(jb .principal.login)" m.admin2 "sign in: the principal"
check_eq "$(jb .principal.role)" city_admin "sign in: the role"
check_eq "$(jb .must_change)" false "sign in with a set password: no change required"
check "sign in: a CSRF token" test -s "$T/csrf.m.admin2"
COOKIE=$(tr -d '\r' <"$T/h" | sed -n 's/^Set-Cookie: //Ip')
case $COOKIE in opcert_session=?*) pass ;; *) fail "sign in sets the session cookie" "Set-Cookie: $COOKIE" ;; esac
for _flag in HttpOnly SameSite=Strict Path=/ Max-Age=43200; do
	case "; $COOKIE;" in *"; $_flag;"*) pass ;; *) fail "session cookie: $_flag" "Set-Cookie: $COOKIE" ;; esac
done
case $COOKIE in *Secure*) fail "no Secure flag over plain HTTP" "Set-Cookie: $COOKIE" ;; *) pass ;; esac
secret "$(printf '%s' "$COOKIE" | sed 's/^opcert_session=\([^;]*\).*/\1/')"
secret "$(cat "$T/csrf.m.admin2")"

as m.admin2 GET /api/v1/session
check_eq "$(jb .signed_in)" true "GET /api/v1/session: signed in"
check_eq "$(jb .principal.login)" m.admin2 "GET /api/v1/session: who"
check_eq "$(jb .csrf)" "$(cat "$T/csrf.m.admin2")" "GET /api/v1/session: the same CSRF token"
call GET /api/v1/session
check_eq "$(jb .signed_in)" false "GET /api/v1/session without a cookie"

sign_in m.admin2 wrong-password-1
check_error 401 bad_credentials "wrong password"
cp "$T/b" "$T/b.wrong"
sign_in nobody.here "$PW"
check_error 401 bad_credentials "unknown login"
check "unknown login and wrong password: the same answer" cmp -s "$T/b" "$T/b.wrong"
sign_in m.admin2 ""
check_error 400 bad_field "empty password"
call POST /api/v1/session -H 'Content-Type: application/json' --data-binary 'not json'
check_error 400 bad_json "sign in: not JSON"
call POST /api/v1/session -H 'Content-Type: text/plain' --data-binary '{}'
check_status 415 "sign in: not JSON media type"

# --- signing in from another site ---

call POST /api/v1/session -H 'Content-Type: application/json' -H 'Origin: http://evil.example' \
	--data-binary "$(jq -n -c --arg p "$PW" '{login: "m.admin2", password: $p}')"
check_error 403 bad_origin "sign in with another site's Origin"
call POST /api/v1/session -H 'Content-Type: application/json' -H "Origin: $BASE" \
	--data-binary "$(jq -n -c --arg p "$PW" '{login: "m.auditor", password: $p}')"
check_status 200 "sign in with this site's Origin"

# --- the per-account lock ---

for _i in 1 2 3 4; do
	sign_in m.lockme "wrong-$_i"
	check_error 401 bad_credentials "lock: failure $_i"
done
sign_in m.lockme wrong-5
check_error 429 account_locked "lock: the 5th failure in a row locks the account"
RA=$(header Retry-After)
case $RA in '' | *[!0-9]*) fail "lock: Retry-After in seconds" "Retry-After: $RA" ;; *) check "lock: Retry-After > 0" test "$RA" -gt 0 ;; esac
sign_in m.lockme "$PW"
check_error 429 account_locked "lock: even the right password waits"
sign_in m.auditor "$PW"
check_status 200 "lock: other accounts are not affected"

# --- the lock does not tell which logins exist ---

# answer_shape: the last answer as the client sees it, but for what
# depends on the clock (the date, and the seconds left of a lock, which
# only must be there).
answer_shape() {
	printf '%s\n' "$STATUS"
	tr -d '\r' <"$T/h" | grep -v -i -e '^date:' -e '^retry-after:' -e '^content-length:'
	tr -d '\r' <"$T/h" | grep -i '^retry-after: [1-9][0-9]*$' | sed 's/:.*/: N/'
	sed 's/请 [1-9][0-9]* 秒后/请 N 秒后/' "$T/b"
}
# Six wrong passwords in a row for an account, for a disabled account and
# for a login that names none: the same answers, locked from the fifth on.
for _l in m.lockreal m.lockoff nobody.lockme; do
	: >"$T/lockseq.$_l"
done
for _i in 1 2 3 4 5 6; do
	for _l in m.lockreal m.lockoff nobody.lockme; do
		sign_in "$_l" "wrong-pass-$_i"
		answer_shape >"$T/shape.$_l.$_i"
		printf '%s ' "$STATUS" >>"$T/lockseq.$_l"
	done
	check "lock, failure $_i: an unknown login answers as an account does" \
		cmp -s "$T/shape.m.lockreal.$_i" "$T/shape.nobody.lockme.$_i"
	check "lock, failure $_i: a disabled account answers as an enabled one does" \
		cmp -s "$T/shape.m.lockreal.$_i" "$T/shape.m.lockoff.$_i"
done
for _l in m.lockreal m.lockoff nobody.lockme; do
	check_eq "$(cat "$T/lockseq.$_l")" "401 401 401 401 429 429 " "lock: the statuses for $_l"
done
check_eq "$(jb .error.code)" account_locked "lock: an unknown login is locked too"
sign_in nobody.lockme2 "$PW"
check_error 401 bad_credentials "lock: another unknown login is not affected"

# --- forged, ended and disabled sessions ---

call GET /api/v1/accounts -b 'opcert_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
check_error 401 unauthenticated "a forged session cookie"
call GET /api/v1/accounts -b 'opcert_session=../../etc/passwd'
check_error 401 unauthenticated "a malformed session cookie"
call GET /home -b 'opcert_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
check_status 303 "a page with a forged cookie: redirect"
check_eq "$(header Location)" "/login?next=/home" "redirect to the sign-in page, back to the page"
call GET "/districts/$OWN"
check_status 303 "a district page without signing in: redirect"
case $(header Location) in "/login?next=/districts/%E4%BA%91%E5%B2%A9%E5%8C%BA") pass ;; *) fail "redirect names the page, encoded" "Location: $(header Location)" ;; esac
call GET /api/v1/accounts -H 'Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
check_error 401 unauthenticated "an unknown API token"

sign_in m.city_officer "$PW" "$T/jar.bye"
cp "$T/csrf.m.city_officer" "$T/csrf.bye"
as bye POST /api/v1/session/logout
check_status 200 "sign out"
case $(tr -d '\r' <"$T/h" | sed -n 's/^Set-Cookie: //Ip') in
opcert_session=\;*Max-Age=0*) pass ;;
*) fail "sign out clears the cookie" "$(tr -d '\r' <"$T/h" | grep -i set-cookie)" ;;
esac
call GET /api/v1/districts -b "$T/jar.bye.saved" 2>/dev/null
sed -n 's/.*opcert_session\t//p' "$T/jar.bye" >/dev/null
# The old cookie, sent by hand after the jar was cleared by the answer above.
sign_in m.city_officer "$PW" "$T/jar.bye2"
cp "$T/csrf.m.city_officer" "$T/csrf.bye2"
OLD=$(awk '$6 == "opcert_session" { print $7 }' "$T/jar.bye2")
as bye2 POST /api/v1/session/logout
call GET /api/v1/districts -H "Cookie: opcert_session=$OLD"
check_error 401 unauthenticated "a signed-out session is over"

# --- CSRF ---

sign_in m.city_admin "$PW"
call POST /api/v1/accounts/m.target/enable -b "$T/jar.m.city_admin"
check_error 403 csrf_failed "a cookie without the CSRF token"
call POST /api/v1/accounts/m.target/enable -b "$T/jar.m.city_admin" -H 'X-CSRF-Token: wrong'
check_error 403 csrf_failed "a cookie with a wrong CSRF token"
call POST /api/v1/accounts/m.target/enable -b "$T/jar.m.city_admin" -H "X-CSRF-Token: $(cat "$T/csrf.m.auditor")"
check_error 403 csrf_failed "a cookie with another session's CSRF token"
as m.city_admin POST /api/v1/accounts/m.target/enable
check_status 200 "a cookie with its CSRF token"
call POST /api/v1/verify/roster -b "$T/jar.m.city_admin" -H 'Content-Type: text/csv' --data-binary @"$DEMO/roster-clean.csv"
check_error 403 csrf_failed "roster by cookie without the CSRF token"

opcert token new m.district_officer --label t_auth --db "$DB"
check_rc 0 "token new"
TOKEN=$(grep -o '[A-Za-z0-9_-]\{32,\}' "$T/out" | head -n 1)
[ -n "$TOKEN" ] || fail "token new prints the token" "$(cat "$T/out")"
secret "$TOKEN"
call POST /api/v1/verify/roster -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' --data-binary @"$DEMO/roster-clean.csv"
check_status 200 "roster by API token, without a CSRF token"
check_eq "$(jq -r '[.[].verdict] | unique | join(",")' "$T/b")" valid "roster by API token: the results"
call GET /api/v1/session -H "Authorization: Bearer $TOKEN"
check_eq "$(jb .principal.login)" m.district_officer "API token: who"
check_eq "$(jb 'has("csrf")')" false "API token: no CSRF token handed out"
call POST /api/v1/session/logout -H "Authorization: Bearer $TOKEN"
check_error 400 not_a_session "API token: nothing to sign out of"
call GET /api/v1/accounts -H "Authorization: Bearer $TOKEN"
check_error 403 forbidden "API token: the role still decides"

# --- the one-time password gate ---

opcert user add m.fresh --role city_officer --db "$DB"
check_rc 0 "user add without --password-stdin"
OTP=$(grep -o '[A-Za-z0-9_+=.-]\{8,\}' "$T/out" | grep -v -x 'm.fresh' | tail -n 1)
[ -n "$OTP" ] || fail "user add prints a one-time password" "$(cat "$T/out")"
secret "$OTP"
sign_in m.fresh "$OTP"
check_status 200 "sign in with the one-time password"
check_eq "$(jb .must_change)" true "one-time password: must change"
as m.fresh GET /api/v1/districts
check_error 403 password_change_required "one-time password: the API waits for the change"
as m.fresh GET /home
check_status 303 "one-time password: pages go to /password"
check_eq "$(header Location)" /password "one-time password: Location /password"
as m.fresh GET /password
check_status 200 "one-time password: /password opens"
as m.fresh GET /api/v1/session
check_eq "$(jb .must_change)" true "one-time password: the session says so"
NEWPW=Fresh-pass-2026-abc
secret "$NEWPW"
asj m.fresh POST /api/v1/password "{\"old_password\":\"wrong-one\",\"new_password\":\"$NEWPW\"}"
check_error 400 bad_password "password change with a wrong old password"
cp "$T/jar.m.fresh" "$T/jar.m.fresh.before"
asj m.fresh POST /api/v1/password "{\"old_password\":\"$OTP\",\"new_password\":\"$NEWPW\"}"
check_status 200 "password change"
jb '.csrf // ""' >"$T/csrf.m.fresh"
check "the change hands out a new CSRF token" test -s "$T/csrf.m.fresh"
as m.fresh GET /api/v1/districts
check_status 200 "after the change the role's routes open, in a new session"
call GET /api/v1/session -b "$T/jar.m.fresh.before"
check_eq "$(jb .signed_in)" false "the session from before the change has ended"
sign_in m.fresh "$OTP"
check_error 401 bad_credentials "the one-time password is spent"
sign_in m.fresh "$NEWPW"
check_status 200 "sign in with the new password"

# --- account administration ---

asj m.city_admin POST /api/v1/accounts "{\"login\":\"m.made\",\"role\":\"district_officer\",\"scope\":\"$OTHER\"}"
check_status 201 "admin: create an account"
MADE_OTP=$(jb .one_time_password)
secret "$MADE_OTP"
check_eq "$(jb .account.org_name)" "$OTHER" "admin: its scope"
check_eq "$(jb .account.must_change)" true "admin: it must change its password"
asj m.city_admin POST /api/v1/accounts "{\"login\":\"m.made\",\"role\":\"auditor\"}"
check_status 400 "admin: a login taken"
asj m.city_admin POST /api/v1/accounts '{"login":"m.bad","role":"district_officer","scope":"不存在区"}'
check_error 400 bad_scope "admin: an unknown district"
asj m.city_admin POST /api/v1/accounts '{"login":"m.bad","role":"king"}'
check_error 400 bad_role "admin: an unknown role"
sign_in m.made "$MADE_OTP"
check_status 200 "the new account signs in with its one-time password"
as m.city_admin GET /api/v1/accounts
check_eq "$(jq -r '.accounts[] | select(.login == "m.made") | .role' "$T/b")" district_officer "admin: the list holds it"
check "admin: the list holds no secret" sh -c "! grep -q -F -f '$SECRETS' '$T/b'"
as m.city_admin POST /api/v1/accounts/m.made/disable
check_status 200 "admin: disable"
check_eq "$(jb .account.disabled)" true "admin: disabled"
as m.made GET /api/v1/session
check_eq "$(jb .signed_in)" false "a disabled account's session ends"
sign_in m.made "$MADE_OTP"
check_error 401 bad_credentials "a disabled account cannot sign in"
as m.city_admin POST /api/v1/accounts/m.made/enable
check_status 200 "admin: enable"
as m.city_admin POST /api/v1/accounts/m.made/reset-password
check_status 200 "admin: reset the password"
MADE_OTP2=$(jb .one_time_password)
secret "$MADE_OTP2"
check_ne "$MADE_OTP2" "$MADE_OTP" "admin: a new one-time password"
sign_in m.made "$MADE_OTP"
check_error 401 bad_credentials "the old one-time password no longer works"
sign_in m.made "$MADE_OTP2"
check_status 200 "the new one-time password works"
asj m.city_admin POST /api/v1/accounts/m.made/scope "{\"role\":\"district_officer\",\"scope\":\"$OWN\"}"
check_status 200 "admin: change the scope"
check_eq "$(jb .account.org_name)" "$OWN" "admin: the new scope"
as m.city_admin POST /api/v1/accounts/nobody.here/disable
check_error 404 not_found "admin: an unknown account"
as m.city_admin POST /api/v1/accounts/m.city_admin/disable
check_error 400 own_account "admin: not their own account"

# --- a session idles out ---

sign_in m.auditor "$PW" "$T/jar.idle"
cp "$T/csrf.m.auditor" "$T/csrf.idle"
as idle GET /api/v1/districts
check_status 200 "a fresh session works"
sqlite3 "$DB" "UPDATE session SET last_seen = last_seen - 3600" 2>"$T/sql.err" ||
	fail "ageing the sessions in the database" "$(cat "$T/sql.err")"
as idle GET /api/v1/districts
check_error 401 unauthenticated "a session idle for an hour is over"

# ---------------------------------------------------------------------------
# The authorisation matrix

# Sign every role in again (the tests above changed some sessions).
for _r in $ROLES; do
	[ "$_r" = public ] && continue
	sign_in "m.$_r" "$PW"
	[ "$STATUS" = 200 ] || die "matrix: m.$_r cannot sign in: $(head -c 300 "$T/b")"
done

ROUTES=$T/routes
table_routes >"$ROUTES"
[ "$(wc -l <"$ROUTES")" -ge 20 ] || die "could not read the route table of src/http/routes.c"
grep -v '^#' "$MATRIX" | awk -F'\t' 'NF' >"$T/matrix"

# Every route of the table is in the matrix (scoped ones with both cases)...
while read -r _m _p _prefix _scope; do
	_n=$(awk -F'\t' -v m="$_m" -v p="$_p" '$1 == m && $2 == p' "$T/matrix" | wc -l)
	if [ "$_n" -eq 0 ]; then
		fail "matrix: the route $_m $_p is not in tests/http/matrix.tsv"
	elif [ "$_scope" != NULL ]; then
		for _c in own other; do
			awk -F'\t' -v m="$_m" -v p="$_p" -v c="$_c" '$1 == m && $2 == p && $3 == c { f = 1 } END { exit !f }' "$T/matrix" ||
				fail "matrix: the scoped route $_m $_p has no \"$_c\" row"
		done
	else
		pass
	fi
done <"$ROUTES"
# ...and every row of the matrix is a route of the table, with a status for every role.
while IFS='	' read -r _m _p _c _s1 _s2 _s3 _s4 _s5 _s6 _s7 _extra; do
	grep -q -x -F "$_m $_p 0 NULL" "$ROUTES" || grep -q "^$_m $_p [01] " "$ROUTES" ||
		fail "matrix: $_m $_p is not a route of src/http/routes.c"
	[ -n "$_s7" ] && [ -z "$_extra" ] || fail "matrix: $_m $_p ($_c) needs one status per role"
done <"$T/matrix"

ROSTER=$DEMO/roster-clean.csv
NEWN=0

# fresh_id: a new valid ID number each call, in $FRESH_ID (born 1990-01-01
# in 云岩区; the sequence from a counter, the check character computed here).
FRESH_ID_N=100
fresh_id() {
	FRESH_ID_N=$((FRESH_ID_N + 1))
	_f17=$(printf '52010319900101%03d' "$FRESH_ID_N")
	FRESH_ID=$_f17$(id_check_char "$_f17")
}

# new_worker PROJECT: a worker without a certificate registered on the
# project by the command line; the registration's number in $NEW_WORKER.
new_worker() {
	fresh_id
	opcert worker add --project "$1" --name "矩阵工人$FRESH_ID_N" --id "$FRESH_ID" --db "$DB"
	[ "$RC" -eq 1 ] || die "cannot register a worker on $1: $(cat "$T/err")"
	NEW_WORKER=$(sed -n 's/^已登记：登记编号 \([0-9][0-9]*\)，.*/\1/p' "$T/out")
	[ -n "$NEW_WORKER" ] || die "worker add did not print the number: $(cat "$T/out")"
}

# matrix_request ROLE METHOD ROUTE CASE: the request, well-formed for a
# role the route admits; status in $STATUS.
matrix_request() {
	_role=$1
	_mm=$2
	_route=$3
	_case=$4
	case $_case in
	own) _name=$OWN ;;
	*) _name=$OTHER ;;
	esac
	case $_case in
	own) _uscc=$USCC _proj=$PROJ_OWN _inst=$INST_OWN _cert=$OWNNO ;;
	*) _uscc=$USCC_OTHER _proj=$PROJ_OTHER _inst=$INST_OTHER _cert=$CERTNO ;;
	esac
	NEWN=$((NEWN + 1))
	# Closing is done once: each request closes an object of its own, in
	# the case's district (for the company user, "own" is still the role's
	# refusal, which comes before the scope).
	case $_mm$_route in
	POST/api/v1/companies/*/close)
		new_company builder "$_name" "矩阵关闭单位$NEWN"
		_uscc=$NEW_USCC
		;;
	POST/api/v1/projects/*/close)
		new_project "矩阵关闭项目$NEWN" "$_name" "$([ "$_case" = own ] && echo "$USCC" || echo "$USCC_OTHER")"
		_proj=$NEW_PROJECT
		;;
	POST/api/v1/institutions/*/close)
		new_institution "矩阵关闭机构$NEWN" "$_name"
		_inst=$NEW_INSTITUTION
		;;
	POST/api/v1/workers/*/remove)
		new_worker "$_proj"
		_proj=$NEW_WORKER
		;;
	esac
	_path=$(printf '%s' "$_route" | sed "s|{number}|$_cert|; s|{login}|m.target|; s|{name}|$(printf '%s' "$_name" | jq -s -R -r @uri)|; s|{uscc}|$_uscc|; s|{id}|$(case $_route in /api/v1/institutions/* | /institutions/*) echo "$_inst" ;; *) echo "$_proj" ;; esac)|")
	set --
	case $_mm$_route in
	GET/static/) _path=/static/css/site.css ;;
	GET/api/v1/verify) _path="/api/v1/verify?number=%E9%BB%94A012018000123&name=%E5%BC%A0%E4%B8%89" ;;
	GET/api/v1/log/proof) _path="/api/v1/log/proof?entry=0" ;;
	POST/api/v1/verify/credential) set -- -H 'Content-Type: application/json' --data-binary '{}' ;;
	POST/api/v1/verify/roster) set -- -H 'Content-Type: text/csv' --data-binary "@$ROSTER" ;;
	# (a login of its own each time: an unknown one locks like an account)
	POST/api/v1/session) set -- -H 'Content-Type: application/json' --data-binary "{\"login\":\"nobody.m$NEWN\",\"password\":\"x\"}" ;;
	POST/api/v1/password) set -- -H 'Content-Type: application/json' --data-binary "{\"old_password\":\"not-it\",\"new_password\":\"$NEWPW\"}" ;;
	POST/api/v1/accounts)
		set -- -H 'Content-Type: application/json' --data-binary "{\"login\":\"m.new$NEWN\",\"role\":\"auditor\"}"
		;;
	POST/api/v1/accounts/*/scope) set -- -H 'Content-Type: application/json' --data-binary "{\"role\":\"district_officer\",\"scope\":\"$OTHER\"}" ;;
	POST/api/v1/companies)
		fresh_uscc
		set -- -H 'Content-Type: application/json' --data-binary "{\"uscc\":\"$FRESH_USCC\",\"name\":\"矩阵单位$NEWN\",\"kind\":\"builder\",\"district\":\"$OWN\"}" ;;
	POST/api/v1/companies/*/change) set -- -H 'Content-Type: application/json' --data-binary "{\"contact\":\"联系人$NEWN\"}" ;;
	POST/api/v1/projects) set -- -H 'Content-Type: application/json' --data-binary "{\"name\":\"矩阵项目$NEWN\",\"district\":\"$OWN\",\"builder\":\"$USCC\"}" ;;
	POST/api/v1/projects/*/change) set -- -H 'Content-Type: application/json' --data-binary "{\"address\":\"观山湖路$NEWN号\"}" ;;
	POST/api/v1/projects/*/workers)
		fresh_id
		set -- -H 'Content-Type: application/json' --data-binary "{\"name\":\"矩阵工人$FRESH_ID_N\",\"id_number\":\"$FRESH_ID\",\"post\":\"建筑电工\"}"
		;;
	POST/api/v1/projects/*/workers/import)
		fresh_id
		printf '姓名,身份证号码,工种,证书编号\n矩阵工人%s,%s,建筑电工,\n' "$FRESH_ID_N" "$FRESH_ID" >"$T/workers.csv"
		set -- -H 'Content-Type: text/csv' --data-binary "@$T/workers.csv"
		;;
	POST/api/v1/institutions) set -- -H 'Content-Type: application/json' --data-binary "{\"name\":\"矩阵培训机构$NEWN\",\"district\":\"$OWN\"}" ;;
	POST/api/v1/probes/clear) set -- -H 'Content-Type: application/json' --data-binary '{"subject":"account:m.target"}' ;;
	POST/api/v1/institutions/*/change) set -- -H 'Content-Type: application/json' --data-binary "{\"contact\":\"联系人$NEWN\"}" ;;
	esac
	if [ "$_role" = public ]; then
		call "$_mm" "$_path" "$@"
	elif [ "$_mm$_route" = POST/api/v1/session/logout ]; then
		# A session of its own, so that the role's main one lives on.
		cp "$T/csrf.m.$_role" "$T/csrf.keep"
		sign_in "m.$_role" "$PW" "$T/jar.out"
		cp "$T/csrf.m.$_role" "$T/csrf.out"
		cp "$T/csrf.keep" "$T/csrf.m.$_role"
		as out POST /api/v1/session/logout
	else
		as "m.$_role" "$_mm" "$_path" "$@"
	fi
}

MATRIX_N=0
# (not _m and _p: call() sets those)
while IFS='	' read -r _row_m _row_p _c _s1 _s2 _s3 _s4 _s5 _s6 _s7; do
	_i=0
	for _r in $ROLES; do
		_i=$((_i + 1))
		eval "_want=\$_s$_i"
		matrix_request "$_r" "$_row_m" "$_row_p" "$_c" </dev/null
		MATRIX_N=$((MATRIX_N + 1))
		if [ "$STATUS" = "$_want" ]; then
			pass
		else
			fail "matrix: $_row_m $_row_p ($_c) as $_r: expected $_want, got $STATUS" "path: $_path" "body: $(head -c 300 "$T/b")"
		fi
	done
done <"$T/matrix"
check "matrix: $MATRIX_N requests" test "$MATRIX_N" -ge 200

# A register record in every role's scope: masked for every role; the full
# ID number only on request, for whoever worker_sees_full_id admits, each
# view recorded in the audit trail first.
VIEWS0=$(sqlite3 "$DB" "select count(*) from trail where action = 'id.view'")
for _r in city_admin city_officer district_officer company_user training_user auditor; do
	as "m.$_r" GET "/api/v1/certificates/$OWNNO"
	check_status 200 "$_r reads a register record in its scope"
	check "the record $_r reads has the ID number masked" sh -c "! grep -q '$OWNID' '$T/b'"
done
for _r in training_user auditor; do
	as "m.$_r" GET "/api/v1/certificates/$OWNNO?full_id=1"
	check_status 403 "$_r may not see full ID numbers"
done
as m.district_officer GET "/api/v1/certificates/$CERTNO?full_id=1"
check_status 403 "district_officer may not see the full ID number of a holder on none of its projects"
check_eq "$(sqlite3 "$DB" "select count(*) from trail where action = 'id.view'")" "$VIEWS0" \
	"masked and refused views are not full-ID views"
as m.city_officer GET "/api/v1/certificates/$CERTNO?full_id=1"
check_status 200 "a city officer sees the full record on request"
check_eq "$(jb .certificate.id_number)" "$CERTID" "the full ID number"
check_eq "$(jb .full_id)" true "the answer says it is the full record"
check_eq "$(sqlite3 "$DB" "select login || ' ' || object from trail where action = 'id.view' order by seq desc limit 1")" \
	"m.city_officer cert:$(printf '%s' "$CERTROW" | cut -d, -f1)" "the view is in the trail with who and what"
as m.city_officer GET "/api/v1/certificates/$CERTNO?full_id=2"
check_status 400 "full_id is 0 or 1"

# The holder registered on a running project: the district officer of the
# project's district and the company that builds it may see the full ID
# number; an officer of another district, the training user and the
# auditor may not.  Only a registration that presented the register's own
# ID number counts, and only while the worker is on the project.
CERTRAW=$(field 1 "$CERTROW")
CERTNAME=$(field 2 "$CERTROW")
sign_in m.nanming "$PW"
check_status 200 "the 南明区 officer signs in"
fresh_id
opcert worker add --project "$PROJ_OWN" --name "$CERTNAME" --id "$FRESH_ID" --number "$CERTRAW" --db "$DB"
check_rc 1 "a registration with another ID number is made, as a mismatch"
as m.district_officer GET "/api/v1/certificates/$CERTNO?full_id=1"
check_status 403 "district_officer: a registration with another ID number vouches for nothing"
# Nor does it open the record to the company: registering any number
# would otherwise walk the register.
for _q in "" "?full_id=1"; do
	as m.company_user GET "/api/v1/certificates/$CERTNO$_q"
	check_error 404 not_found "company_user: a registration with another ID number opens no record ($_q)"
done
opcert worker add --project "$PROJ_OWN" --name "$CERTNAME" --id "$CERTID" --number "$CERTRAW" --post 建筑电工 --db "$DB"
case $RC in 0 | 1) pass ;; *) fail "the holder is registered on the 云岩区 project" "$(cat "$T/err")" ;; esac
HOLDER=$(sed -n 's/^已登记：登记编号 \([0-9][0-9]*\)，.*/\1/p' "$T/out")
VIEWS0=$(sqlite3 "$DB" "select count(*) from trail where action = 'id.view'")
for _r in district_officer company_user; do
	as "m.$_r" GET "/api/v1/certificates/$CERTNO?full_id=1"
	check_status 200 "$_r sees the full record of a worker registered in scope"
	check_eq "$(jb .certificate.id_number)" "$CERTID" "$_r: the full ID number"
	check_eq "$(sqlite3 "$DB" "select login from trail where action = 'id.view' order by seq desc limit 1")" \
		"m.$_r" "$_r: the view is in the trail"
done
check_eq "$(sqlite3 "$DB" "select count(*) from trail where action = 'id.view'")" "$((VIEWS0 + 2))" \
	"each full view is recorded once"
for _r in nanming auditor; do
	as "m.$_r" GET "/api/v1/certificates/$CERTNO?full_id=1"
	check_status 403 "$_r: not their worker, no full ID number"
done
as m.training_user GET "/api/v1/certificates/$CERTNO?full_id=1"
check_status 404 "training_user: not their institution's holder, no record at all"
as m.company_user GET "/api/v1/projects/$PROJ_OWN/workers"
check_status 200 "the company lists the workers of its project"
check "the worker list masks ID numbers" sh -c "! grep -q '$CERTID' '$T/b'"
check_eq "$(jb "[.workers[] | select(.id == $HOLDER)] | length")" 1 "the holder is in the list"
as m.company_user POST "/api/v1/workers/$HOLDER/remove"
check_status 200 "the company marks the worker off the project"
check_eq "$(jb '.worker.removed_at != null')" true "the answer says when"
as m.district_officer GET "/api/v1/certificates/$CERTNO?full_id=1"
check_status 403 "district_officer: a worker who left is no longer theirs"
as m.company_user GET "/api/v1/certificates/$CERTNO"
check_status 404 "company_user: the record of a worker who left is out of its scope again"
as m.company_user POST "/api/v1/workers/$HOLDER/remove"
check_error 400 invalid "a worker cannot leave twice"
as m.company_user GET "/api/v1/projects/$PROJ_OWN/workers?all=1"
check_eq "$(jb "[.workers[] | select(.id == $HOLDER and .removed_at != null)] | length")" 1 \
	"the registration stays, marked as left"
as m.city_officer GET "/api/v1/certificates/%E9%BB%94A012018999998"
check_status 404 "a number absent from the register"
as m.city_officer GET "/api/v1/certificates/not-a-number"
check_status 400 "a malformed number"
call GET "/api/v1/certificates/$CERTNO"
check_status 401 "the public has no record route"

# A record out of a company's or a training institution's scope answers
# exactly as a missing number does, the API and the page alike: status,
# headers (but the date) and body.
MISSING=%E9%BB%94A012018999998
# answer_bytes NAME: the last answer into $T/answer.NAME.
answer_bytes() {
	{
		printf '%s\n' "$STATUS"
		tr -d '\r' <"$T/h" | grep -v -i '^date:'
		cat "$T/b"
	} >"$T/answer.$1"
}
for _r in company_user training_user; do
	for _q in "" "?full_id=1"; do
		as "m.$_r" GET "/api/v1/certificates/$MISSING$_q"
		check_error 404 not_found "$_r: a missing number ($_q)"
		answer_bytes missing
		as "m.$_r" GET "/api/v1/certificates/$CERTNO$_q"
		answer_bytes other
		check "$_r: a record out of scope answers as a missing number ($_q)" \
			cmp -s "$T/answer.missing" "$T/answer.other"
	done
	as "m.$_r" GET "/certificates/$MISSING"
	check_status 404 "$_r: the page of a missing number"
	check "$_r: the page of a missing number is the not-found page" grep -q 'id="not-found"' "$T/b"
	answer_bytes missing
	as "m.$_r" GET "/certificates/$CERTNO"
	answer_bytes other
	check "$_r: the page of a record out of scope is the missing number's" \
		cmp -s "$T/answer.missing" "$T/answer.other"
	as "m.$_r" GET "/certificates/$OWNNO"
	check_status 200 "$_r: the page of a record in scope"
done
as m.city_officer GET "/certificates/$MISSING"
check_status 404 "the page of a missing number, for the city too"
as m.city_officer GET "/certificates/not-a-number"
check_status 404 "the page of a malformed number: not found"

# A supervising firm sees the holders registered on the projects it
# supervises, as long as the project is not closed (completed still counts);
# a training user of another institution does not see $INST's holders.
new_company supervisor "$OWN" 云岩工程监理咨询有限公司
USCC_SUP=$NEW_USCC
add_user m.super company_user --company "$USCC_SUP"
add_user m.train2 training_user --institution 南明职业技能培训学校
sign_in m.super "$PW"
check_status 200 "the supervising firm's user signs in"
sign_in m.train2 "$PW"
check_status 200 "the other institution's user signs in"
as m.train2 GET "/api/v1/certificates/$OWNNO"
check_error 404 not_found "another institution's training user: not its holder"
as m.super GET "/api/v1/certificates/$OWNNO"
check_error 404 not_found "a supervising firm, before it supervises the project"
opcert project change "$PROJ_OWN" --supervisor "$USCC_SUP" --db "$DB"
check_rc 0 "the project names its supervising firm"
as m.super GET "/api/v1/certificates/$OWNNO"
check_status 200 "the supervising firm reads the record of a holder on its project"
as m.super GET "/api/v1/certificates/$OWNNO?full_id=1"
check_status 403 "the supervising firm sees no full ID number"
opcert project change "$PROJ_OWN" --state completed --db "$DB"
check_rc 0 "the project is completed"
for _r in super company_user; do
	as "m.$_r" GET "/api/v1/certificates/$OWNNO"
	check_status 200 "$_r: a completed project still counts"
done
opcert project close "$PROJ_OWN" --db "$DB"
check_rc 0 "the project is closed"
for _r in super company_user; do
	as "m.$_r" GET "/api/v1/certificates/$OWNNO"
	check_status 404 "$_r: a closed project counts no more"
done
as m.district_officer GET "/api/v1/certificates/$OWNNO"
check_status 200 "a district officer still reads it"
as m.training_user GET "/api/v1/certificates/$OWNNO"
check_status 200 "and so does its institution"

# Out of scope looks exactly like absent.
as m.district_officer GET "/api/v1/districts/$(printf '%s' "$OTHER" | jq -s -R -r @uri)"
cp "$T/b" "$T/b.other"
as m.district_officer GET "/api/v1/districts/%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E5%8C%BA"
check_status 404 "a district that does not exist"
check "another district's answer is the same as a missing one's" cmp -s "$T/b" "$T/b.other"
as m.district_officer GET /api/v1/districts
check_eq "$(jb '.districts | join(",")')" "$OWN" "a district officer lists only their district"
as m.city_officer GET /api/v1/districts
check_eq "$(jb '.districts | length')" 14 "a city officer lists the 14 districts"

stop_server "$MAIN" main

# ---------------------------------------------------------------------------
# Per-client sign-in limit: 3 a minute, in bursts of 3

start_server limited --rate-limit 0 --sign-in-rate 3
LIMITED=$SPID
for _i in 1 2 3; do
	sign_in m.auditor "wrong-limit-$_i"
	check_error 401 bad_credentials "sign-in limit: attempt $_i"
done
sign_in m.auditor "$PW"
check_error 429 rate_limited "sign-in limit: the 4th attempt in a burst"
RA=$(header Retry-After)
case $RA in '' | *[!0-9]*) fail "sign-in limit: Retry-After" "Retry-After: $RA" ;; *) check "sign-in limit: Retry-After > 0" test "$RA" -gt 0 ;; esac
call GET /api/v1/session
check_status 200 "sign-in limit: other routes are not limited by it"
stop_server "$LIMITED" limited

# ---------------------------------------------------------------------------
# TLS: the cookie is Secure

if command -v openssl >/dev/null 2>&1; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=127.0.0.1 -keyout "$T/tls.key" -out "$T/tls.crt" >/dev/null 2>&1
	start_server tls --tls-cert "$T/tls.crt" --tls-key "$T/tls.key" --sign-in-rate 0
	TLS=$SPID
	sign_in m.auditor "$PW"
	check_status 200 "TLS: sign in"
	case $(tr -d '\r' <"$T/h" | sed -n 's/^Set-Cookie: //Ip') in
	*"; Secure"*) pass ;;
	*) fail "TLS: the session cookie is Secure" "$(tr -d '\r' <"$T/h" | grep -i set-cookie)" ;;
	esac
	stop_server "$TLS" tls
fi

# Behind a trusted proxy on this host that terminates TLS, the proxy's
# X-Forwarded-Proto decides; without --trust-proxy the header is ignored.
start_server proxied --trust-proxy --sign-in-rate 0
PROXIED=$SPID
sign_in m.auditor "$PW" "$T/jar.proxied"
case $(tr -d '\r' <"$T/h" | sed -n 's/^Set-Cookie: //Ip') in
*"; Secure"*) fail "proxy: no Secure flag when the proxy forwarded plain HTTP" ;;
*) pass ;;
esac
call POST /api/v1/session -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.9' \
	-H 'Content-Type: application/json' --data-binary "$(jq -n -c --arg p "$PW" '{login: "m.auditor", password: $p}')"
check_status 200 "proxy: sign in over the proxy's HTTPS"
case $(tr -d '\r' <"$T/h" | sed -n 's/^Set-Cookie: //Ip') in
*"; Secure"*) pass ;;
*) fail "proxy: the session cookie is Secure when the proxy says https" "$(tr -d '\r' <"$T/h" | grep -i set-cookie)" ;;
esac
stop_server "$PROXIED" proxied
start_server direct --sign-in-rate 0
DIRECT=$SPID
call POST /api/v1/session -H 'X-Forwarded-Proto: https' -H 'Content-Type: application/json' \
	--data-binary "$(jq -n -c --arg p "$PW" '{login: "m.auditor", password: $p}')"
check_status 200 "without --trust-proxy: sign in"
case $(tr -d '\r' <"$T/h" | sed -n 's/^Set-Cookie: //Ip') in
*"; Secure"*) fail "without --trust-proxy, X-Forwarded-Proto is ignored" ;;
*) pass ;;
esac
stop_server "$DIRECT" direct

# ---------------------------------------------------------------------------
# No password, one-time password or token anywhere it could leak

sort -u "$SECRETS" | grep -v '^$' >"$T/secrets.u"
for _f in "$T"/*.err "$T"/*.out; do
	check "no secret in $(basename "$_f")" sh -c "! grep -q -F -f '$T/secrets.u' '$_f'"
done
for _f in "$DB" "$DB-wal" "$DB-journal"; do
	[ -f "$_f" ] || continue
	check "no secret in $(basename "$_f")" sh -c "! grep -q -a -F -f '$T/secrets.u' '$_f'"
done
check "the access log has lines" grep -q '"route":"/api/v1/session"' "$T/main.err"
check "the access log holds no cookie or Authorization" sh -c "! grep -q -i -e opcert_session -e bearer '$T/main.err'"

finish
