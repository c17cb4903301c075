# t_user.sh - opcert user and opcert token: accounts for every role and
# scope, one-time and given passwords, the password rule, disabling, API
# tokens, listings, and that no password or token is written anywhere but
# the command's standard output (database, WAL, stderr).
. "$OPCERT_SRC/tests/cli/lib.sh"

DB=$T/u.db
USCC=91520103MA6DKAB12Q # check character per GB 32100
SECRETS=$T/secrets      # every secret handed out, one a line
ALLERR=$T/allerr        # every command's stderr
: >"$SECRETS"
: >"$ALLERR"

# u ARGS...: opcert with --db, stderr collected for the final search.
u() {
	opcert "$@" --db "$DB"
	cat "$T/err" >>"$ALLERR"
}

# u_pw PASSWORD ARGS...: the same with PASSWORD on standard input.
u_pw() {
	printf '%s\n' "$1" >"$T/pwin"
	shift
	opcert "$@" --db "$DB" <"$T/pwin"
	cat "$T/err" >>"$ALLERR"
	rm -f "$T/pwin"
}

# The line after the line containing TEXT in stdout.
line_after() {
	awk -v t="$1" 'found { print; exit } index($0, t) { found = 1 }' "$T/out"
}

opcert init --db "$DB"
check_rc 0 "init exits 0"
sqlite3 "$DB" "INSERT INTO org (kind, name, uscc, district, created_at, updated_at)
	SELECT 'builder', '贵阳甲建设有限公司', '$USCC', id, 0, 0 FROM org
	WHERE kind = 'district' AND name = '云岩区';
	INSERT INTO org (kind, name, district, created_at, updated_at)
	SELECT 'institution', '贵阳建设职业培训学校', id, 0, 0 FROM org
	WHERE kind = 'district' AND name = '花溪区';" || die "could not add the company"

# --- help ---
opcert user --help
check_rc 0 "user --help exits 0"
for r in city_admin city_officer district_officer company_user training_user auditor \
	市住建局管理员 市住建局工作人员 区住建局工作人员 企业用户 培训机构用户 审计员 \
	--password-stdin --district --company --institution 一次性密码; do
	check_out_has "$r" "user --help mentions $r"
done
opcert token --help
check_rc 0 "token --help exits 0"
check_out_has "oct_" "token --help shows what a token looks like"
check_out_has "revoke" "token --help names revoke"
opcert user
check_rc 2 "user without a subcommand exits 2"
opcert user frobnicate
check_rc 2 "an unknown subcommand exits 2"

# --- user add with a generated one-time password ---
u user add li.ming --role district_officer --district 云岩区
check_rc 0 "user add (district officer) exits 0"
check_out_has "一次性密码" "user add without --password-stdin prints a one-time password"
check_out_has "必须修改" "and says it must be changed at first sign-in"
check_out_has "云岩区" "user add names the scope"
OTP1=$(line_after "一次性密码")
check_eq "${#OTP1}" 16 "the one-time password has 16 characters"
case $OTP1 in
*[0O1lI]*) fail "the one-time password has an ambiguous character: $OTP1" ;;
*) pass ;;
esac
printf '%s\n' "$OTP1" >>"$SECRETS"
check_eq "$(sqlite3 "$DB" "SELECT must_change FROM account WHERE login = 'li.ming'")" 1 \
	"a one-time password must be changed"

# --- user add with --password-stdin ---
PW1='Tadiao-Siji-2026!'
printf '%s\n' "$PW1" >>"$SECRETS"
u_pw "$PW1" user add zhao.lei --role company_user --company "$USCC" --password-stdin
check_rc 0 "user add --password-stdin (company user) exits 0"
check_out_lacks "一次性密码" "no one-time password with --password-stdin"
check_out_has "贵阳甲建设有限公司" "the company is named"
check_eq "$(sqlite3 "$DB" "SELECT must_change FROM account WHERE login = 'zhao.lei'")" 0 \
	"a chosen password need not be changed"
case $(sqlite3 "$DB" "SELECT pwhash FROM account WHERE login = 'zhao.lei'") in
'$argon2id$'*) pass ;;
*) fail "the password is kept as an Argon2id string" ;;
esac

u user add sun.li --role city_admin
check_rc 0 "user add city_admin exits 0"
OTP2=$(line_after "一次性密码")
printf '%s\n' "$OTP2" >>"$SECRETS"
check_out_has "市住建局" "a city role belongs to the city bureau"
u user add zhou.min --role 审计员
check_rc 0 "user add with the role's Chinese name exits 0"
printf '%s\n' "$(line_after "一次性密码")" >>"$SECRETS"
u user add qian.jun --role training_user --institution 贵阳建设职业培训学校
check_rc 0 "user add training_user exits 0"
printf '%s\n' "$(line_after "一次性密码")" >>"$SECRETS"
check_eq "$(db_count "$DB" account)" 5 "five accounts"

# --- refusals: nothing is written ---
bad_add() {
	_desc=$1 _msg=$2
	shift 2
	u "$@"
	check_rc 2 "$_desc exits 2"
	check_err_has "$_msg" "$_desc: the message says why ($_msg)"
	check_out_empty "$_desc: nothing on stdout"
	check_eq "$(db_count "$DB" account)" 5 "$_desc: no account added"
}
bad_add "a login taken" "已存在" user add li.ming --role auditor
bad_add "an unknown role" "没有角色" user add a.b.c --role boss
bad_add "no role" "--role" user add a.b.c
bad_add "a district officer without --district" "--district" \
	user add a.b.c --role district_officer
bad_add "an unknown district" "云岩" user add a.b.c --role district_officer --district 云岩
bad_add "a wrong check character" "校验" user add a.b.c --role company_user \
	--company 91520103MA6DKAB12R
bad_add "a company not registered" "52520100MJ1234567Y" user add a.b.c --role company_user \
	--company 52520100MJ1234567Y
bad_add "an unknown institution" "没有名为" user add a.b.c --role training_user \
	--institution 不存在的学校
bad_add "a scope for a city role" "不需要" user add a.b.c --role city_officer --district 云岩区
bad_add "two scopes" "只能" user add a.b.c --role district_officer --district 云岩区 \
	--company "$USCC"
bad_add "a bad login" "账号名" user add Li.Ming --role auditor
WEAK='abcdefghij'
u_pw "$WEAK" user add a.b.c --role auditor --password-stdin
check_rc 2 "a weak password exits 2"
check_err_has "三类" "the password rule says what is missing"
check_eq "$(db_count "$DB" account)" 5 "a weak password: no account added"
u_pw 'a.b.c-Long-Pass1' user add a.b.c --role auditor --password-stdin
check_rc 2 "a password containing the login exits 2"
check_err_has "账号名" "the rule names the login"
opcert user add a.b.c --role auditor --password-stdin --db "$DB" </dev/null
check_rc 2 "--password-stdin with nothing on stdin exits 2"

# --- passwd, disable, enable ---
PW2='Shengjiang-Ji-88'
printf '%s\n' "$PW2" >>"$SECRETS"
u_pw "$PW2" user passwd li.ming --password-stdin
check_rc 0 "user passwd --password-stdin exits 0"
check_eq "$(sqlite3 "$DB" "SELECT must_change FROM account WHERE login = 'li.ming'")" 0 \
	"a password set by stdin need not be changed"
u user passwd zhao.lei
check_rc 0 "user passwd without stdin exits 0"
OTP3=$(line_after "一次性密码")
printf '%s\n' "$OTP3" >>"$SECRETS"
check_eq "${#OTP3}" 16 "user passwd prints a new one-time password"
check_ne "$OTP3" "$OTP1" "one-time passwords differ"
u user passwd no.such
check_rc 2 "user passwd of an unknown login exits 2"
check_err_has "no.such" "the message names the login"

u user disable zhao.lei
check_rc 0 "user disable exits 0"
check_eq "$(sqlite3 "$DB" "SELECT disabled FROM account WHERE login = 'zhao.lei'")" 1 \
	"the account is disabled"
u user disable no.such
check_rc 2 "user disable of an unknown login exits 2"

# --- tokens ---
u token new zhao.lei --label 人员系统
check_rc 2 "token new for a disabled account exits 2"
u user enable zhao.lei
check_rc 0 "user enable exits 0"
u token new zhao.lei --label 人员系统
check_rc 0 "token new exits 0"
TOK1=$(tail -n 1 "$T/out")
printf '%s\n' "$TOK1" >>"$SECRETS"
case $TOK1 in
oct_???????????????????????????????????????????) pass ;;
*) fail "token new prints oct_ and 43 characters, got: $TOK1" ;;
esac
check_out_has "只显示这一次" "token new says the token is shown once"
u token new li.ming
check_rc 0 "token new without a label exits 0"
TOK2=$(tail -n 1 "$T/out")
printf '%s\n' "$TOK2" >>"$SECRETS"
check_ne "$TOK1" "$TOK2" "tokens differ"
check_eq "$(sqlite3 "$DB" "SELECT count(*) FROM api_token WHERE length(token_hash) = 32")" 2 \
	"tokens are kept as 32-byte hashes"
u token new no.such
check_rc 2 "token new for an unknown login exits 2"

u token list
check_rc 0 "token list exits 0"
check_out_has "人员系统" "token list shows the label"
check_out_has "共 2 个令牌" "token list counts both"
u token list zhao.lei
check_out_has "共 1 个令牌" "token list LOGIN shows that account's only"
u token list no.such
check_rc 2 "token list of an unknown login exits 2"
u token revoke 1
check_rc 0 "token revoke exits 0"
u token revoke 1
check_rc 2 "revoking twice exits 2"
u token revoke 99
check_rc 2 "revoking an unknown id exits 2"
u token revoke abc
check_rc 2 "a non-numeric id exits 2"
u token list --json
check_rc 0 "token list --json exits 0"
check_eq "$(jq -r '.[] | select(.id == 1) | .revoked_at != null' "$T/out")" true \
	"the revoked token has revoked_at"
check_eq "$(jq -r '.[] | select(.id == 2) | .revoked_at' "$T/out")" null \
	"the other is in force"

# Disabling revokes every token of the account.
u user disable li.ming
check_eq "$(sqlite3 "$DB" "SELECT count(*) FROM api_token WHERE revoked_at IS NULL")" 0 \
	"disabling revoked the account's tokens"

# --- list ---
u user list
check_rc 0 "user list exits 0"
for l in li.ming zhao.lei sun.li zhou.min qian.jun 已停用 审计员 云岩区; do
	check_out_has "$l" "user list shows $l"
done
check_out_has "共 5 个账号" "user list counts 5"
u user list --json
check_rc 0 "user list --json exits 0"
check_eq "$(jq 'length' "$T/out")" 5 "user list --json has 5 accounts"
check_eq "$(jq -r '.[] | select(.login == "zhao.lei") | .role' "$T/out")" company_user \
	"user list --json gives the role code"
check_eq "$(jq -r '.[] | select(.login == "li.ming") | .disabled' "$T/out")" true \
	"user list --json shows li.ming disabled"
check_eq "$(jq -r '.[] | select(.login == "sun.li") | .must_change_password' "$T/out")" true \
	"user list --json shows a pending one-time password"
check_eq "$(jq -r '[.[] | keys[]] | map(select(test("hash|^password$|token"))) | length' "$T/out")" 0 \
	"user list --json has no hash or password field"
u user list extra
check_rc 2 "user list with an operand exits 2"

# --- no secret anywhere but stdout ---
check_eq "$(wc -l <"$SECRETS" | tr -d ' ')" 9 "nine secrets were handed out"
FILES=$(ls "$DB" "$DB"-wal "$DB"-shm 2>/dev/null)
while IFS= read -r s; do
	[ -n "$s" ] || {
		fail "an empty secret was recorded"
		continue
	}
	for f in $FILES "$ALLERR"; do
		if grep -a -q -F -e "$s" "$f"; then
			fail "a secret is in $(basename "$f")" "secret: $s"
		else
			pass
		fi
	done
done <"$SECRETS"
# The search can find things: the logins are there.
if grep -a -q -F "zhao.lei" $FILES; then pass; else fail "the search finds a login in the database"; fi

finish
