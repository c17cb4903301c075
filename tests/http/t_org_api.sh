# t_org_api.sh - companies, projects, institutions and the audit trail over
# HTTP against a real `opcert serve`: lists filtered to each role's scope, an
# object out of scope answering exactly like a missing one (API and pages),
# adding, changing and closing with the scope rules the body is held to,
# validation errors that name the field, every change in `opcert audit list`
# under the signed-in login, the auditor refused on every POST, CSRF on
# cookie POSTs, and the audit trail's list and tamper check over HTTP.
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/http/httplib.sh"
. "$OPCERT_SRC/tests/http/routes.sh"
. "$OPCERT_SRC/tests/http/orglib.sh"

command -v curl >/dev/null && command -v jq >/dev/null && command -v sqlite3 >/dev/null ||
	die "curl, jq and sqlite3 are needed (scripts/deps.sh)"

KEYS=$T/keys
WEB=$OPCERT_SRC/web
SPID=

cleanup() {
	[ -n "$SPID" ] && kill -KILL "$SPID" 2>/dev/null
}
trap cleanup EXIT

# check_message TEXT DESCRIPTION: the error message contains TEXT.
check_message() {
	case $(jb '.error.message') in
	*"$1"*) pass ;;
	*) fail "$2" "expected the message to name: $1" "body: $(head -c 400 "$T/b")" ;;
	esac
}

# ---------------------------------------------------------------------------
# Organisations, projects and one account per role

opcert init --db "$DB"
check_rc 0 "init"
opcert key init --keys "$KEYS" --db "$DB"
check_rc 0 "key init"

YY=云岩区
NM=南明区
new_company builder "$YY" 云岩第一建筑有限公司
C_YY=$NEW_USCC
new_company supervisor "$YY" 云岩建设监理有限公司
S_YY=$NEW_USCC
new_company builder "$NM" 南明路桥建设有限公司
C_NM=$NEW_USCC
new_project 云岩安置房项目 "$YY" "$C_YY"
P_YY=$NEW_PROJECT
opcert project change "$P_YY" --supervisor "$S_YY" --db "$DB"
check_rc 0 "project change: a supervisor"
new_project 南明大桥项目 "$NM" "$C_NM"
P_NM=$NEW_PROJECT
opcert project change "$P_NM" --supervisor "$S_YY" --db "$DB"
check_rc 0 "project change: the same supervisor in another district"
new_institution 云岩职业培训学校 "$YY"
I_YY=$NEW_INSTITUTION
new_institution 南明安全培训中心 "$NM"
I_NM=$NEW_INSTITUTION
opcert company change "$C_NM" --phone 13812345678 --db "$DB"
check_rc 0 "company change: a phone number"

PW=Org-api-pass-2026-xyz
printf '%s\n' "$PW" >"$T/pw"
add_user() {
	_l=$1
	shift
	opcert user add "$_l" "$@" --password-stdin --db "$DB" <"$T/pw"
	check_rc 0 "user add $_l"
}
add_user o.admin --role city_admin
add_user o.city --role city_officer
add_user o.yy --role district_officer --district "$YY"
add_user o.nm --role district_officer --district "$NM"
add_user o.builder --role company_user --company "$C_YY"
add_user o.super --role company_user --company "$S_YY"
add_user o.train --role training_user --institution 云岩职业培训学校
add_user o.audit --role auditor

"$OPCERT" serve --db "$DB" --keys "$KEYS" --web "$WEB" --listen 127.0.0.1:0 --today "$TODAY" \
	--rate-limit 0 --sign-in-rate 0 >"$T/server.out" 2>"$T/server.err" &
SPID=$!
_i=0
while [ $_i -lt 300 ] && ! grep -q '已启动' "$T/server.out" 2>/dev/null; do
	kill -0 "$SPID" 2>/dev/null || break
	sleep 0.1
	_i=$((_i + 1))
done
BASE=$(sed -n 's|.*\(http://127\.0\.0\.1:[0-9][0-9]*\)/.*|\1|p' "$T/server.out")
[ -n "$BASE" ] || die "opcert serve did not start: $(head -c 600 "$T/server.err")"

for _l in o.admin o.city o.yy o.nm o.builder o.super o.train o.audit; do
	signed_in "$_l" "$PW"
done

# ---------------------------------------------------------------------------
# Lists follow the scope

as o.city GET /api/v1/companies
check_status 200 "city: companies"
check_eq "$(jb '[.companies[].uscc] | sort | join(",")')" "$(printf '%s\n' "$C_YY" "$S_YY" "$C_NM" | sort | paste -s -d,)" "city: every company"
as o.yy GET /api/v1/companies
check_eq "$(jb '[.companies[].district] | unique | join(",")')" "$YY" "district officer: only their district's companies"
check_eq "$(jb '.companies | length')" 2 "district officer: both companies of 云岩区"
as o.yy GET "/api/v1/companies?district=$(uri "$NM")"
check_status 200 "district officer: another district as a filter"
check_eq "$(jb '.companies | length')" 0 "district officer: nothing of another district"
as o.city GET "/api/v1/companies?district=$(uri "$NM")"
check_eq "$(jb '[.companies[].uscc] | join(",")')" "$C_NM" "city: ?district= filters"
as o.city GET "/api/v1/companies?kind=supervisor"
check_eq "$(jb '[.companies[].uscc] | join(",")')" "$S_YY" "city: ?kind= filters"
as o.city GET "/api/v1/companies?district=$(uri 不存在区)"
check_error 400 bad_argument "an unknown district as a filter"
check_message "district" "the bad argument is named"
as o.builder GET /api/v1/companies
check_eq "$(jb '[.companies[].uscc] | join(",")')" "$C_YY" "company user: only its own company"

as o.yy GET /api/v1/projects
check_eq "$(jb '[.projects[].id] | join(",")')" "$P_YY" "district officer: only their district's projects"
as o.nm GET /api/v1/projects
check_eq "$(jb '[.projects[].id] | join(",")')" "$P_NM" "the other district officer: theirs"
as o.builder GET /api/v1/projects
check_eq "$(jb '[.projects[].id] | join(",")')" "$P_YY" "builder: the projects it builds"
as o.super GET /api/v1/projects
check_eq "$(jb '[.projects[].id] | sort | join(",")')" "$(printf '%s\n' "$P_YY" "$P_NM" | sort | paste -s -d,)" "supervisor: the projects it supervises, in any district"
as o.city GET "/api/v1/projects?company=$C_NM"
check_eq "$(jb '[.projects[].id] | join(",")')" "$P_NM" "city: ?company= filters"

as o.train GET /api/v1/institutions
check_eq "$(jb '[.institutions[].id] | join(",")')" "$I_YY" "training user: only its institution"
as o.nm GET /api/v1/institutions
check_eq "$(jb '[.institutions[].id] | join(",")')" "$I_NM" "district officer: the institutions of their district"
as o.audit GET /api/v1/institutions
check_eq "$(jb '.institutions | length')" 2 "auditor: every institution"

as o.yy GET /api/v1/districts
check_eq "$(jb '.districts | join(",")')" "$YY" "districts: a district officer's own"
as o.city GET /api/v1/districts
check_eq "$(jb '.districts | length')" 14 "districts: the 14 units from the database"
check_eq "$(jb '.districts[0]')" "$YY" "districts: in the plan's order"

# The auditor reads, with phone numbers masked.
as o.audit GET "/api/v1/companies/$C_NM"
check_status 200 "auditor: a company"
check_eq "$(jb .company.phone)" "138****5678" "auditor: the phone number masked"
as o.city GET "/api/v1/companies/$C_NM"
check_eq "$(jb .company.phone)" 13812345678 "city: the phone number in full"

# ---------------------------------------------------------------------------
# Out of scope answers exactly like missing

MISSING=$(uscc_make 91520102MA9999999)
as o.yy GET "/api/v1/companies/$C_NM"
check_status 404 "district officer: another district's company"
cp "$T/b" "$T/b.other"
as o.yy GET "/api/v1/companies/$MISSING"
check_status 404 "a company that does not exist"
check "out of scope = missing (company)" cmp -s "$T/b" "$T/b.other"
as o.yy GET "/api/v1/companies/NOT-A-CODE"
check "malformed = missing (company)" cmp -s "$T/b" "$T/b.other"
as o.builder GET "/api/v1/companies/$S_YY"
check "company user: another company = missing" cmp -s "$T/b" "$T/b.other"
as o.yy GET "/api/v1/projects/$P_NM"
cp "$T/b" "$T/b.other"
check_status 404 "district officer: another district's project"
as o.yy GET /api/v1/projects/999999
check "out of scope = missing (project)" cmp -s "$T/b" "$T/b.other"
as o.builder GET "/api/v1/projects/$P_NM"
check "builder: another builder's project = missing" cmp -s "$T/b" "$T/b.other"
as o.super GET "/api/v1/projects/$P_NM"
check_status 200 "supervisor: a project it supervises in another district"
as o.yy POST "/api/v1/companies/$C_NM/change" -H 'Content-Type: application/json' --data-binary '{"contact":"某人"}'
check "a change out of scope = missing" cmp -s "$T/b" "$T/b.other"
as o.yy GET "/api/v1/institutions/$I_NM"
check_status 404 "district officer: another district's institution"
as o.train GET "/api/v1/institutions/$I_NM"
check_status 404 "training user: another institution"

as o.yy GET "/companies/$C_NM"
check_status 404 "page: another district's company"
check_eq "$(tr -d '\r' <"$T/h" | sed -n 's/^Content-Type: //Ip')" "text/html; charset=utf-8" "page: the not-found page is HTML"
check "page: the not-found page says so" grep -q 'id="not-found"' "$T/b"
cp "$T/b" "$T/b.page"
as o.yy GET "/companies/$MISSING"
check "page: out of scope = missing" cmp -s "$T/b" "$T/b.page"
as o.yy GET "/companies/$C_YY"
check_status 200 "page: their district's company"
check "page: the company page" grep -q 'company.js' "$T/b"
as o.city GET "/companies/$C_NM"
check_status 200 "page: the city opens any company"

# ---------------------------------------------------------------------------
# Adding, changing, closing, and the scope rules of bodies

fresh_uscc
NEW1=$FRESH_USCC
asj o.yy POST /api/v1/companies "{\"uscc\":\"$NEW1\",\"name\":\"南明新建公司\",\"kind\":\"builder\",\"district\":\"$NM\"}"
check_error 403 out_of_scope "district officer: a company in another district"
asj o.yy POST /api/v1/companies "{\"uscc\":\"$NEW1\",\"name\":\"云岩新建公司\",\"kind\":\"施工\",\"contact\":\"王五\",\"phone\":\"0851-86801234\"}"
check_status 201 "district officer: a company, in their district by default"
check_eq "$(jb .company.district)" "$YY" "district officer: the company is in their district"
check_eq "$(jb .company.kind)" builder "施工 is a builder"
asj o.yy POST "/api/v1/companies/$NEW1/change" "{\"district\":\"$NM\"}"
check_error 403 out_of_scope "district officer: moving a company out of their district"
asj o.yy POST "/api/v1/companies/$NEW1/change" "{\"district\":\"${YY}住建局\",\"contact\":\"赵六\"}"
check_status 200 "district officer: naming their district as 云岩区住建局"
check_eq "$(jb .company.contact)" 赵六 "change: the contact"
asj o.builder POST "/api/v1/companies/$C_YY/change" '{"name":"改名公司"}'
check_error 403 out_of_scope "company user: not its name"
asj o.builder POST "/api/v1/companies/$C_YY/change" '{"contact":"钱七","phone":"13900001111"}'
check_status 200 "company user: its contact details"
asj o.builder POST "/api/v1/companies/$C_YY/change" '{"contact":"钱七","phone":"13900001111"}'
check_error 400 invalid "a change that changes nothing"
check_message "没有要修改的内容" "nothing to change: said so"
fresh_uscc
asj o.city POST /api/v1/companies "{\"uscc\":\"$FRESH_USCC\",\"name\":\"南明新建公司\",\"kind\":\"supervisor\",\"district\":\"$NM\"}"
check_status 201 "city: a company in any district"

asj o.builder POST /api/v1/projects "{\"name\":\"别人的项目\",\"district\":\"$YY\",\"builder\":\"$C_NM\"}"
check_error 403 out_of_scope "company user: a project of another builder"
asj o.builder POST /api/v1/projects "{\"name\":\"自建项目\",\"district\":\"$NM\",\"start\":\"2026年9月1日\"}"
check_status 201 "company user: a project, itself the builder"
P_OWN=$(jb .project.id)
check_eq "$(jb .project.builder.uscc)" "$C_YY" "company user: the builder is itself"
check_eq "$(jb .project.state)" planned "a start after today: 未开工"
asj o.super POST "/api/v1/projects/$P_YY/change" '{"address":"某路1号"}'
check_error 403 out_of_scope "supervisor: cannot change a project"
asj o.builder POST "/api/v1/projects/$P_OWN/change" "{\"builder\":\"$C_NM\"}"
check_error 403 out_of_scope "builder: cannot hand the project to another builder"
asj o.builder POST "/api/v1/projects/$P_OWN/change" '{"state":"closed"}'
check_error 403 out_of_scope "builder: cannot close"
asj o.builder POST "/api/v1/projects/$P_OWN/change" '{"address":"花果园路2号","state":"active"}'
check_status 200 "builder: changes its project"
check_eq "$(jb .project.address)" 花果园路2号 "builder: the address"
as o.builder POST "/api/v1/projects/$P_OWN/close"
check_error 403 forbidden "builder: the close route is not theirs"
asj o.yy POST /api/v1/projects "{\"name\":\"区里登记的项目\",\"builder\":\"$C_NM\"}"
check_status 201 "district officer: a project in their district by default"
P_DIST=$(jb .project.id)
check_eq "$(jb .project.district)" "$YY" "district officer: the project's district"
asj o.yy POST "/api/v1/projects/$P_DIST/change" "{\"district\":\"$NM\"}"
check_error 403 out_of_scope "district officer: moving a project out"

# Closing
as o.yy POST "/api/v1/companies/$C_YY/close"
check_error 400 invalid "closing a company with an open project"
check_message "项目" "the open project is named"
as o.yy POST "/api/v1/projects/$P_YY/close"
check_status 200 "district officer: closes a project"
check_eq "$(jb .project.state)" closed "closed"
as o.yy POST "/api/v1/projects/$P_YY/close"
check_error 400 invalid "closing twice"
as o.city POST "/api/v1/projects/$P_OWN/close"
check_status 200 "city: closes a project in another district"
as o.yy POST "/api/v1/companies/$C_YY/close"
check_status 200 "district officer: closes the company once its projects are closed"
check_eq "$(jb .company.closed)" true "the company is closed"
as o.yy GET /api/v1/companies
check_eq "$(jb "[.companies[].uscc] | index(\"$C_YY\")")" null "closed companies leave the list"
as o.yy GET /api/v1/companies?closed=1
check_eq "$(jb "[.companies[] | select(.uscc == \"$C_YY\") | .closed] | join(\",\")")" true "?closed=1 lists them"

asj o.city POST /api/v1/institutions "{\"name\":\"新的培训机构\",\"district\":\"$NM\"}"
check_status 201 "city: an institution"
I_NEW=$(jb .institution.id)
asj o.city POST "/api/v1/institutions/$I_NEW/change" '{"district":"","contact":"孙八"}'
check_status 200 "city: an institution made city-wide"
check_eq "$(jb .institution.district)" null "city-wide: no district"
as o.city POST "/api/v1/institutions/$I_NEW/close"
check_status 200 "city: closes an institution"
as o.train POST "/api/v1/institutions/$I_YY/close"
check_error 403 forbidden "training user: not their institution's record"

# ---------------------------------------------------------------------------
# Validation: JSON errors naming the field

asj o.city POST /api/v1/companies '{"uscc":"91350100M000100Y4Z","name":"坏代码公司","kind":"builder","district":"云岩区"}'
check_error 400 invalid "a code with a wrong check character"
check_message "统一社会信用代码" "wrong check character: the field named"
fresh_uscc
asj o.city POST /api/v1/companies "{\"uscc\":\"$FRESH_USCC\",\"kind\":\"builder\",\"district\":\"云岩区\"}"
check_error 400 invalid "no name"
check_message "单位名称" "no name: the field named"
asj o.city POST /api/v1/companies "{\"uscc\":\"$FRESH_USCC\",\"name\":\"某公司\",\"kind\":\"builder\",\"district\":\"火星区\"}"
check_error 400 invalid "an unknown district"
check_message "所在区" "unknown district: the field named"
asj o.city POST /api/v1/companies "{\"uscc\":\"$FRESH_USCC\",\"name\":\"某公司\",\"kind\":\"施工\",\"district\":\"云岩区\",\"phone\":\"12\"}"
check_error 400 invalid "a bad phone number"
check_message "联系电话" "bad phone: the field named"
asj o.city POST /api/v1/companies "{\"uscc\":\"$FRESH_USCC\",\"name\":42,\"kind\":\"builder\",\"district\":\"云岩区\"}"
check_error 400 bad_field "a number where text belongs"
check_message "name（单位名称）" "wrong type: the field named"
asj o.city POST /api/v1/companies "{\"uscc\":\"$FRESH_USCC\",\"nmae\":\"某公司\"}"
check_error 400 unknown_field "an unknown field"
check_message "nmae" "unknown field: named"
asj o.city POST /api/v1/companies 'not json'
check_error 400 bad_json "not JSON"
as o.city POST /api/v1/companies -H 'Content-Type: text/plain' --data-binary '{}'
check_status 415 "not JSON media type"
asj o.city POST /api/v1/projects "{\"name\":\"日期错误项目\",\"district\":\"云岩区\",\"builder\":\"$C_NM\",\"start\":\"2026-13-45\"}"
check_error 400 invalid "a bad start date"
check_message "开工日期" "bad date: the field named"
asj o.city POST /api/v1/projects "{\"name\":\"监理错误项目\",\"district\":\"云岩区\",\"builder\":\"$C_NM\",\"supervisor\":\"$C_NM\"}"
check_error 400 invalid "a builder as the supervisor"
check_message "监理单位" "wrong kind: the field named"
asj o.city POST "/api/v1/projects/$P_NM/change" '{"state":"flying"}'
check_error 400 invalid "an unknown state"
check_message "项目状态" "unknown state: the field named"
as o.admin GET "/api/v1/audit?limit=0"
check_error 400 bad_argument "audit: limit 0"
check_message "limit" "audit: the argument named"
as o.admin GET "/api/v1/audit?since=yesterday"
check_error 400 bad_argument "audit: a bad date"

# ---------------------------------------------------------------------------
# The auditor changes nothing (every POST but signing in and out, its own
# password and the public credential check); CSRF on cookie POSTs

table_routes | while read -r _m _p _prefix _scope; do
	[ "$_m" = POST ] || continue
	case $_p in /api/v1/session | /api/v1/session/logout | /api/v1/password | /api/v1/verify/credential) continue ;; esac
	_path=$(printf '%s' "$_p" | sed "s|{uscc}|$C_NM|; s|{id}|$P_NM|; s|{login}|o.city|")
	as o.audit POST "$_path" -H 'Content-Type: application/json' --data-binary '{}'
	if [ "$STATUS" = 403 ] && [ "$(jb .error.code)" = forbidden ]; then
		echo pass >>"$T/audit-posts"
	else
		echo "FAIL: auditor POST $_p: $STATUS $(head -c 200 "$T/b")" >>"$T/audit-posts"
	fi
done
check "the auditor gets 403 on every POST" sh -c "! grep -q FAIL '$T/audit-posts'"
check "the auditor POSTs were tried" test "$(grep -c pass "$T/audit-posts")" -ge 15
grep FAIL "$T/audit-posts"

call POST "/api/v1/companies/$C_NM/change" -b "$T/jar.o.city" -H 'Content-Type: application/json' --data-binary '{"contact":"无令牌"}'
check_error 403 csrf_failed "a cookie POST without the CSRF token"
call POST "/api/v1/companies/$C_NM/change" -b "$T/jar.o.city" -H "X-CSRF-Token: $(cat "$T/csrf.o.yy")" -H 'Content-Type: application/json' --data-binary '{"contact":"他人令牌"}'
check_error 403 csrf_failed "another session's CSRF token"
call POST /api/v1/projects -b "$T/jar.o.builder" -H 'Content-Type: application/json' --data-binary '{"name":"无令牌项目"}'
check_error 403 csrf_failed "a company user's POST without the CSRF token"
opcert token new o.nm --label t_org_api --db "$DB"
check_rc 0 "token new"
TOKEN=$(grep -o '[A-Za-z0-9_-]\{32,\}' "$T/out" | head -n 1)
call POST "/api/v1/companies/$C_NM/change" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary '{"contact":"令牌用户"}'
check_status 200 "an API token needs no CSRF token"

# ---------------------------------------------------------------------------
# Every change is in the trail, under the signed-in login

opcert audit list --json --db "$DB"
check_rc 0 "audit list"
cp "$T/out" "$T/trail.json"
trail_has() {
	check_eq "$(jq -r --arg l "$1" --arg a "$2" --arg o "$3" '[.[] | select(.login == $l and .action == $a and .object == $o)] | length > 0' "$T/trail.json")" true "trail: $1 $2 $3"
}
trail_has o.yy company.add "company:$NEW1"
trail_has o.yy company.change "company:$NEW1"
trail_has o.builder company.change "company:$C_YY"
trail_has o.yy company.close "company:$C_YY"
trail_has o.builder project.add "project:$P_OWN"
trail_has o.builder project.change "project:$P_OWN"
trail_has o.yy project.close "project:$P_YY"
trail_has o.city project.close "project:$P_OWN"
trail_has o.city institution.add "institution:$I_NEW"
trail_has o.nm company.change "company:$C_NM"
check_eq "$(jq -r --arg o "company:$NEW1" '[.[] | select(.action == "company.add" and .object == $o)][0] | "\(.role) \(.addr)"' "$T/trail.json")" "district_officer 127.0.0.1" "trail: the role and address"
check_eq "$(jq -r '[.[] | select(.login == "o.city" and (.detail | tostring | contains("无令牌")))] | length' "$T/trail.json")" 0 "trail: refused changes left nothing"
check_eq "$(jq -r '[.[] | select(.login == "o.audit" and (.action | test("^(company|project|institution)")))] | length' "$T/trail.json")" 0 "trail: the auditor changed nothing"
check "trail: phone numbers masked" sh -c "! grep -q 13900001111 '$T/trail.json'"

# ---------------------------------------------------------------------------
# The audit trail over HTTP

as o.audit GET "/api/v1/audit?user=o.builder"
check_status 200 "auditor: the trail"
check_eq "$(jb '[.entries[].login] | unique | join(",")')" o.builder "audit: ?user= filters"
check_eq "$(jb '[.entries[].seq] | . == (sort | reverse)')" true "audit: newest first"
check_eq "$(jb '.entries | map(select(.action == "project.add")) | length')" 1 "audit: the builder's project"
as o.admin GET "/api/v1/audit?limit=3"
check_eq "$(jb '.entries | length')" 3 "audit: ?limit="
check_eq "$(jb .truncated)" true "audit: truncated when more match"
NEWEST=$(sqlite3 "$DB" 'select max(seq) from trail')
check_eq "$(jb '.entries[0].seq')" "$NEWEST" "audit: the newest entry first"
as o.admin GET "/api/v1/audit?since=2099-01-01"
check_eq "$(jb '.entries | length')" 0 "audit: ?since= in the future"
as o.city GET /api/v1/audit
check_error 403 forbidden "city officer: not the trail"

as o.audit GET /api/v1/audit/verify
check_status 200 "audit verify"
check_eq "$(jb .ok)" true "audit verify: nothing found"
check_eq "$(jb .key)" true "audit verify: the log key was used"
check_eq "$(jb .entries)" "$NEWEST" "audit verify: every entry"
TAMPER=$(sqlite3 "$DB" "select seq from trail where action = 'company.change' and login = 'o.builder' limit 1")
sqlite3 "$DB" "drop trigger if exists trail_no_update; update trail set login = 'someone' where seq = $TAMPER" 2>"$T/sql.err" ||
	fail "tampering with the trail" "$(cat "$T/sql.err")"
as o.admin GET /api/v1/audit/verify
check_status 200 "audit verify after tampering"
check_eq "$(jb .ok)" false "audit verify: the edit is found"
check_eq "$(jb '.findings[0].seq')" "$TAMPER" "audit verify: names the entry"
check_eq "$(jb '.findings[0].kind')" edited "audit verify: as edited"
opcert audit verify --db "$DB" --keys "$KEYS"
check_rc 1 "the command line agrees"

kill -TERM "$SPID"
wait "$SPID"
check_eq "$?" 0 "server exits 0 after SIGTERM"
SPID=
if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/server.err"; then
	fail "server: sanitizer report" "$(grep -A 20 -e Sanitizer -e 'runtime error:' "$T/server.err" | head -c 2000)"
fi

finish
