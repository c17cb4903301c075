# t_pages.sh - the pages as `opcert serve` assembles them from web/layout.html
# and the page files: every page route of src/http/routes.c answers a complete
# page with the shared head, header, navigation and footer, its own title,
# navigation, current link and scripts; ETag, If-None-Match and HEAD; and a
# malformed layout or page stops the server from starting with an error that
# names the file (and the line), instead of serving a broken page.
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/http/httplib.sh"
. "$OPCERT_SRC/tests/http/orglib.sh"

command -v curl >/dev/null && command -v jq >/dev/null || die "curl and jq are needed (scripts/deps.sh)"

KEYS=$T/keys
WEB=$OPCERT_SRC/web
SPID=

cleanup() {
	[ -n "$SPID" ] && kill -KILL "$SPID" 2>/dev/null
}
trap cleanup EXIT

# count PATTERN: lines of the body matching the fixed string.
count() {
	grep -c -F -e "$1" "$T/b"
}

# ---------------------------------------------------------------------------
# A database with a register, a company and a project, and a city
# administrator (every page is open to that role).

opcert init --db "$DB"
check_rc 0 "init"
opcert key init --keys "$KEYS" --db "$DB"
check_rc 0 "key init"
# A register, for a record's page (a missing number gets the not-found page).
demo_setup
CERTNO=$(strip "$DEMO/register.csv" | awk -F, '/^黔A/ { print $1; exit }' | jq -s -R -r @uri)
[ -n "$CERTNO" ] || die "register.csv lacks a construction row"
new_company builder 云岩区 云岩第一建筑有限公司
USCC=$NEW_USCC
new_project 云岩安置房项目 云岩区 "$USCC"
PROJECT=$NEW_PROJECT
new_institution 云岩安全培训中心 云岩区
INST=$NEW_INSTITUTION
PW=Pages-test-pass-2026-xyz
printf '%s\n' "$PW" >"$T/pw"
opcert user add p.admin --role city_admin --password-stdin --db "$DB" <"$T/pw"
check_rc 0 "user add p.admin"

# start_web_server NAME WEB [ARGS...]: opcert serve on the web root WEB in the
# background (SPID); 0 once it says it has started, output in $T/NAME.out/.err.
start_web_server() {
	_sn=$1
	_sw=$2
	shift 2
	"$OPCERT" serve --db "$DB" --keys "$KEYS" --web "$_sw" --listen 127.0.0.1:0 --today "$TODAY" \
		"$@" >"$T/$_sn.out" 2>"$T/$_sn.err" &
	SPID=$!
	_i=0
	while [ $_i -lt 300 ] && ! grep -q '已启动' "$T/$_sn.out" 2>/dev/null; do
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	grep -q '已启动' "$T/$_sn.out"
}

start_web_server server "$WEB" --rate-limit 0 --sign-in-rate 0 ||
	die "opcert serve did not start: $(head -c 600 "$T/server.err")"
BASE=$(sed -n 's|.*\(http://127\.0\.0\.1:[0-9][0-9]*\)/.*|\1|p' "$T/server.out")

call POST /api/v1/session -c "$T/jar" -H 'Content-Type: application/json' \
	--data-binary "$(jq -n -c --arg p "$PW" '{login: "p.admin", password: $p}')"
check_status 200 "p.admin signs in"

# ---------------------------------------------------------------------------
# Every page route: what its page must show.  ROUTE TITLE NAV CURRENT SCRIPTS
# (CURRENT "-" for none; SCRIPTS the page's own, after common.js, comma-separated).

cat >"$T/expect" <<'EOF'
/ 证书查询 public / query.js
/scan 扫码核验 public /scan ../vendor/jsQR.js,opcert-cred.js,credcheck.js,scan.js
/v 证书二维码核验 public - opcert-cred.js,credcheck.js,v.js
/help 如何识别官方查询 public /help help.js
/login 登录 public - login.js
/password 修改密码 public - password.js
/home 我的工作台 public - home.js
/batch 批量核验 public /batch batch.js
/accounts 账号管理 public - accounts.js
/districts/{name} 区住建局 public - district.js
/companies 单位 org /companies org.js,companies.js
/companies/{uscc} 单位 org - org.js,company.js
/projects 项目 org /projects org.js,projects.js
/projects/{id} 项目 org - org.js,project.js
/institutions 培训机构 inst /institutions org.js,institutions.js
/institutions/{id} 培训机构 inst - org.js,institution.js
/certificates/{number} 证书登记记录 public - certificate.js
/audit 审计记录 home - audit.js
/probes 可疑核对 home - probes.js
EOF

nav_links() {
	case $1 in
	public) echo '/ /scan /batch /help' ;;
	org) echo '/home /companies /projects' ;;
	inst) echo '/home /institutions' ;;
	home) echo '/home' ;;
	esac
}

# The GET routes flagged PAGE in the route table.
sed -n 's/^[[:space:]]*{"GET",[[:space:]]*"\([^"]*\)",.*[[:space:]|]PAGE[[:space:]|,].*/\1/p' \
	"$OPCERT_SRC/src/http/routes.c" >"$T/routes"
[ "$(wc -l <"$T/routes")" -ge 19 ] || die "could not read the page routes of src/http/routes.c"

ETAGS=
while read -r _route; do
	_row=$(awk -v r="$_route" '$1 == r' "$T/expect")
	if [ -z "$_row" ]; then
		fail "page route $_route: this test does not say what its page shows"
		continue
	fi
	set -- $_row
	_title=$2
	_nav=$3
	_cur=$4
	_scripts=$5
	case $_route in
	/institutions/*) _id=$INST ;;
	*) _id=$PROJECT ;;
	esac
	_path=$(printf '%s' "$_route" | sed -e 's|{name}|%E4%BA%91%E5%B2%A9%E5%8C%BA|' \
		-e "s|{uscc}|$USCC|" -e "s|{id}|$_id|" -e "s|{number}|$CERTNO|")

	call GET "$_path" -b "$T/jar"
	check_status 200 "page $_route"
	check_eq "$(header Content-Type)" "text/html; charset=utf-8" "page $_route: HTML"
	check_eq "$(header Cache-Control)" no-cache "page $_route: revalidated"
	check_eq "$(head -n 1 "$T/b")" '<!doctype html>' "page $_route: begins with the doctype"
	check_eq "$(tail -n 1 "$T/b")" '</html>' "page $_route: ends with </html>"
	# The shared head.
	check_eq "$(count '<title>')" 1 "page $_route: one title"
	check_eq "$(count "<title>$_title · 特种作业操作证核验</title>")" 1 "page $_route: its own title $_title"
	check_eq "$(count '<meta name="viewport" content="width=device-width, initial-scale=1">')" 1 \
		"page $_route: viewport"
	check_eq "$(count '<meta name="referrer" content="no-referrer">')" 1 "page $_route: referrer"
	check_eq "$(count '<meta name="theme-color" content="#0b4ea2">')" 1 "page $_route: theme colour"
	check_eq "$(count '<link rel="stylesheet" href="/static/css/site.css">')" 1 "page $_route: stylesheet"
	# Scripts: common.js first, then the page's own, all loaded from files.
	_want=$(printf '/static/js/common.js,%s\n' "$_scripts" | tr ',' '\n' |
		sed -e 's|^\([a-z]\)|/static/js/\1|' -e 's|^\.\./|/static/|' | tr '\n' ' ')
	_got=$(sed -n 's|^ *<script src="\([^"]*\)" defer></script>$|\1|p' "$T/b" | tr '\n' ' ')
	check_eq "$_got" "$_want" "page $_route: its scripts, after common.js"
	check_eq "$(grep -c '<script' "$T/b")" "$(printf '%s' "$_want" | wc -w | tr -d ' ')" \
		"page $_route: no other script element"
	# The header: brand, the page's navigation, its current link.
	check_eq "$(count '<header class="site-header">')" 1 "page $_route: the site header"
	check_eq "$(count '<span class="brand-title">特种作业操作证核验</span>')" 1 "page $_route: the brand"
	check_eq "$(count '<span class="brand-sub">贵阳市住房和城乡建设局</span>')" 1 "page $_route: the bureau"
	_links=$(sed -n '/<nav class="site-nav"/,/<\/nav>/p' "$T/b" | grep -o 'href="[^"]*"' |
		sed 's/href="\(.*\)"/\1/' | tr '\n' ' ')
	check_eq "$_links" "$(nav_links "$_nav") " "page $_route: the $_nav navigation"
	_curgot=$(grep -o 'href="[^"]*" aria-current="page"' "$T/b" | sed 's/href="\([^"]*\)".*/\1/')
	[ "$_cur" = - ] && _cur=
	check_eq "$_curgot" "$_cur" "page $_route: the current link"
	# Its own main, and the footer.
	check_eq "$(count '<main id="main" tabindex="-1">')" 1 "page $_route: one main"
	check_eq "$(count '</main>')" 1 "page $_route: main closed once"
	check_eq "$(count '<footer class="site-footer">')" 1 "page $_route: the footer"
	check_eq "$(count '<p>官方核验网站：<strong class="js-origin origin"></strong></p>')" 1 \
		"page $_route: the official origin in the footer"
	check_eq "$(count '<a href="/help">如何识别假查询网站</a>')" 1 "page $_route: the help link in the footer"
	# Nothing of the page file's header, the layout's notes or its placeholders.
	check_eq "$(grep -c -e '{{' -e '<!--' -e '^title:' -e '^nav:' "$T/b")" 0 \
		"page $_route: no placeholder, comment or page header left"

	# ETag over the page's bytes: 304 when it still matches; HEAD has no body.
	_etag=$(header ETag)
	case $_etag in \"*\") pass ;; *) fail "page $_route: an ETag" "ETag: $_etag" ;; esac
	ETAGS="$ETAGS $_etag"
	_len=$(wc -c <"$T/b" | tr -d ' ')
	check_eq "$(header Content-Length)" "$_len" "page $_route: Content-Length"
	call GET "$_path" -b "$T/jar" -H "If-None-Match: $_etag"
	check_status 304 "page $_route: If-None-Match answers 304"
	check "page $_route: 304 without a body" test ! -s "$T/b"
	call GET "$_path" -b "$T/jar" -H 'If-None-Match: "0123"'
	check_status 200 "page $_route: another ETag gets the page"
	call HEAD "$_path" -b "$T/jar" -I
	check_status 200 "page $_route: HEAD"
	check_eq "$(header Content-Length)" "$_len" "page $_route: HEAD has the page's length"
	check_eq "$(header ETag)" "$_etag" "page $_route: HEAD has the same ETag"
done <"$T/routes"
# Pages sharing a file share an ETag (/companies/{uscc} is one file for every code); others differ.
check_eq "$(printf '%s\n' $ETAGS | sort -u | wc -l | tr -d ' ')" 19 "every page file has its own ETag"

# A page route signed out goes to the sign-in page; one out of scope gets the HTML not-found page.
call GET /home
check_status 303 "signed out: /home goes to sign in"
call GET /companies/$(uscc_make 91520102MA9999999) -b "$T/jar"
check_status 404 "a company that does not exist: 404"
check_eq "$(count '没有找到这个页面')" 1 "the not-found page is a page"
# ...in the shared frame (web/not-found.html): head, header, navigation, footer.
check_eq "$(header Content-Type)" "text/html; charset=utf-8" "the not-found page: HTML"
check_eq "$(head -n 1 "$T/b")" '<!doctype html>' "the not-found page: begins with the doctype"
check_eq "$(tail -n 1 "$T/b")" '</html>' "the not-found page: ends with </html>"
check_eq "$(count '<title>没有找到 · 特种作业操作证核验</title>')" 1 "the not-found page: its title"
check_eq "$(count '<meta name="theme-color" content="#0b4ea2">')" 1 "the not-found page: the shared head"
check_eq "$(count '<header class="site-header">')" 1 "the not-found page: the site header"
_links=$(sed -n '/<nav class="site-nav"/,/<\/nav>/p' "$T/b" | grep -o 'href="[^"]*"' |
	sed 's/href="\(.*\)"/\1/' | tr '\n' ' ')
check_eq "$_links" "$(nav_links public) " "the not-found page: the public navigation"
check_eq "$(count '<main id="main" tabindex="-1">')" 1 "the not-found page: one main"
check_eq "$(count '<h1 id="not-found">')" 1 "the not-found page: its heading"
check_eq "$(count '<footer class="site-footer">')" 1 "the not-found page: the footer"
check_eq "$(grep -c -e '{{' -e '<!--' -e '^title:' -e '^nav:' "$T/b")" 0 \
	"the not-found page: no placeholder, comment or page header left"
check_eq "$(header ETag)" "" "the not-found page: no ETag"
cp "$T/b" "$T/b.nf"
# The same bytes for whatever is missing: a project, an institution.
for _p in /projects/999999 /institutions/999999; do
	call GET "$_p" -b "$T/jar"
	check_status 404 "$_p: 404"
	check "$_p: the same not-found page" cmp -s "$T/b" "$T/b.nf"
done
call GET /not-found -b "$T/jar"
check_status 404 "the not-found page file is not served by a name of its own"
check "... only the JSON error" grep -q '"not_found"' "$T/b"
call GET /index.html
check_status 404 "a page file is not served by its name"
call GET /layout.html
check_status 404 "the layout is not served"

kill -TERM "$SPID"
wait "$SPID"
check_eq "$?" 0 "the server exits 0 after SIGTERM"
SPID=
if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/server.err"; then
	fail "the server: sanitizer report" "$(head -c 2000 "$T/server.err")"
fi

# ---------------------------------------------------------------------------
# Malformed layouts and pages: the server refuses to start and names the file.

# broken NAME: a copy of the web root's layout and pages in $T/NAME ($BROKEN).
broken() {
	BROKEN=$T/$1
	mkdir -p "$BROKEN"
	cp "$WEB"/*.html "$BROKEN/"
}

# refuses DESCRIPTION TEXT...: opcert serve on $BROKEN exits 2 without
# starting, and its error holds every TEXT.
refuses() {
	_d=$1
	shift
	run timeout 20 "$OPCERT" serve --db "$DB" --keys "$KEYS" --web "$BROKEN" \
		--listen 127.0.0.1:0 --today "$TODAY"
	check_rc 2 "$_d: opcert serve refuses to start"
	check_out_lacks '已启动' "$_d: nothing served"
	for _t in "$@"; do
		check_err_has "$_t" "$_d: the error names $_t"
	done
}

broken ok
start_web_server ok "$BROKEN"
_started=$?
check_eq "$_started" 0 "a copy of the layout and pages starts (the cases below differ only in what they break)"
kill -TERM "$SPID"
wait "$SPID"
SPID=

broken no-main
sed -i '/{{main}}/d' "$BROKEN/layout.html"
refuses "the layout without {{main}}" "$BROKEN/layout.html" "缺少 {{main}}"

broken unknown
_line=$(grep -n '{{title}}' "$BROKEN/layout.html" | cut -d: -f1)
sed -i 's/{{title}}/{{titel}}/' "$BROKEN/layout.html"
refuses "an unknown placeholder" "$BROKEN/layout.html 第 $_line 行第 10 列" "不认识“{{titel}}”"

broken twice
sed -i 's|^{{main}}$|{{main}}\n{{main}}|' "$BROKEN/layout.html"
refuses "{{main}} twice" "$BROKEN/layout.html" "{{main}} 只能出现一次"

broken open-nav
sed -i '/^{{end}}$/d' "$BROKEN/layout.html"
refuses "a navigation without {{end}}" "$BROKEN/layout.html" "{{end}}"

broken no-layout
rm "$BROKEN/layout.html"
refuses "page files without the layout" "没有 layout.html" "不是完整的 HTML 文档"

broken no-title
sed -i '/^title:/d' "$BROKEN/help.html"
refuses "a page without its title" "$BROKEN/help.html" "缺少 title"

broken whole
{
	printf '<!doctype html>\n<html lang="zh-CN">\n<head><title>帮助</title></head>\n<body>\n'
	sed -n '/<main/,/<\/main>/p' "$WEB/help.html"
	printf '</body>\n</html>\n'
} >"$BROKEN/help.html"
refuses "a page written as a whole document (without the frame)" "$BROKEN/help.html 第 1 行" "完整的 HTML 文档"

broken no-current
sed -i 's|^nav: public /help$|nav: public /helps|' "$BROKEN/help.html"
refuses "a current link not in the navigation" "$BROKEN/help.html 第 3 行" "没有指向 /helps 的链接"

broken no-nav
sed -i 's|^nav: org /projects$|nav: orgs /projects|' "$BROKEN/projects.html"
refuses "a navigation the layout lacks" "$BROKEN/projects.html 第 3 行" "没有导航“orgs”"

broken bad-script
sed -i 's|^script: /static/js/help.js$|script: /static/js/help.js" onload="alert(1)|' "$BROKEN/help.html"
refuses "a script address with a quote" "$BROKEN/help.html 第 4 行" "/static/"

broken after-main
printf '<script>alert(1)</script>\n' >>"$BROKEN/help.html"
refuses "something after </main>" "$BROKEN/help.html" "</main>"

broken bad-title
sed -i 's|^title: 如何识别官方查询$|title: <b>帮助</b>|' "$BROKEN/help.html"
refuses "markup in a title" "$BROKEN/help.html 第 2 行" "标题"

broken unclosed
sed -i 's|^-->$|--|' "$BROKEN/login.html"
refuses "a page header that is not closed" "$BROKEN/login.html" "-->"

finish
