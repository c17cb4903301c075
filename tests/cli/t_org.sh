# t_org.sh - opcert company, project and institution: add, list (table and
# JSON), change, close, the imports with good and bad files (GBK, UTF-16,
# header below a title, columns in any order), errors naming file, line and
# column, all or nothing, and the demo's companies.csv and projects.csv.
. "$OPCERT_SRC/tests/cli/lib.sh"

DB=$T/org.db

# uscc FIRST17: the GB 32100 check character appended, computed here
# independently of the program.
uscc() {
	printf '%s\n' "$1" | awk '{
		a = "0123456789ABCDEFGHJKLMNPQRTUWXY"
		split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", w, " ")
		s = 0
		for (i = 1; i <= 17; i++) s += (index(a, substr($0, i, 1)) - 1) * w[i]
		v = 31 - s % 31
		if (v == 31) v = 0
		print $0 substr(a, v + 1, 1)
	}'
}

B1=$(uscc 91520103MA6CXL001)
B2=$(uscc 91520102MA6CXL002)
SV=$(uscc 91520115MA6CXL003)
# The same code with a wrong check character, and the one it should have.
GOOD_CHECK=$(printf '%s' "$B1" | cut -c18)
WRONG_CHECK=0
[ "$GOOD_CHECK" = 0 ] && WRONG_CHECK=1
BAD1=$(printf '%s' "$B1" | cut -c1-17)$WRONG_CHECK

check_eq "$(uscc 91350100M000100Y4)" 91350100M000100Y43 "the test's own check character agrees with DOMAIN"

opcert init --db "$DB"
check_rc 0 "init exits 0"
check_eq "$(sqlite3 "$DB" "select count(*) from org where kind = 'district' and district = id")" 14 \
	"init seeds the 14 district units, each its own scope"
check_eq "$(sqlite3 "$DB" "select name from org where kind = 'city'")" 市住建局 "init seeds the city bureau"

# --- help ----------------------------------------------------------------------
for c in company project institution; do
	opcert "$c" --help
	check_rc 0 "$c --help exits 0"
	check_out_has "用法：opcert $c" "$c --help says how to use it"
	check_out_has "close" "$c --help names its subcommands"
done
opcert company
check_rc 2 "company without a subcommand exits 2"
opcert company frobnicate
check_rc 2 "an unknown subcommand exits 2"

# --- company add ------------------------------------------------------------------
opcert company add --db "$DB" --uscc "$B1" --name 测试建设有限公司 --kind builder --district 云岩区 \
	--contact 张三 --phone 13800001111
check_rc 0 "company add exits 0"
check_out_has "测试建设有限公司" "company add names the company"
check_out_has "云岩区" "company add names the district"

opcert company add --db "$DB" --uscc "$SV" --name 测试监理有限公司 --kind 监理 --district 观山湖区住建局
check_rc 0 "company add with 监理 and a district written with 住建局 exits 0"

opcert company add --db "$DB" --uscc "$BAD1" --name 甲 --kind builder --district 云岩区
check_rc 2 "a wrong check character exits 2"
check_err_has "校验位应为 $GOOD_CHECK" "the error names the expected check character"

# A full-width digit: 18 characters, one not allowed, named with its place
# (not "应为18位（现为18位）").
opcert company add --db "$DB" --uscc '125270０039LA1N14C9' --name 甲 --kind builder --district 云岩区
check_rc 2 "a code with a full-width digit exits 2"
check_err_has "含有非法字符“０”（第7位" "the error names the full-width digit and its place"
if grep -q "应为18位" "$T/err"; then
	fail "a full-width digit is a character not allowed, not a wrong length: $(cat "$T/err")"
else
	pass "a full-width digit is not called a wrong length"
fi
opcert company add --db "$DB" --uscc "$(printf '%s' "$B2" | cut -c1-8)I$(printf '%s' "$B2" | cut -c10-18)" \
	--name 甲 --kind builder --district 云岩区
check_rc 2 "a code with an I exits 2"
check_err_has "含有非法字符“I”（第9位" "the error names the I and its place"

opcert company add --db "$DB" --uscc "$B2" --name 甲 --kind builder --district 朝阳区
check_rc 2 "an unknown district exits 2"
check_err_has "不是本市的区" "the error says the district is not one of the city's"
check_err_has "综保区" "the error lists the district units"

opcert company add --db "$DB" --uscc "$B1" --name 乙 --kind builder --district 云岩区
check_rc 2 "a code already registered exits 2"
check_err_has "已登记" "the error says it is registered"

opcert company add --db "$DB" --uscc "$B2" --name 甲 --kind builder
check_rc 2 "add without --district exits 2"

opcert company add --db "$DB" --uscc "$B2" --name 甲 --kind 设计 --district 云岩区
check_rc 2 "an unknown kind exits 2"

check_eq "$(db_count "$DB" "org where uscc is not null")" 2 "only the two good companies are stored"

# --- company list / show / change ------------------------------------------------------
opcert company list --db "$DB"
check_rc 0 "company list exits 0"
check_out_has "统一社会信用代码" "the table has a Chinese header"
check_out_has "$B1" "the list shows the builder"
check_out_has "监理单位" "the list shows the kind label"

opcert company list --db "$DB" --district 观山湖区
check_out_lacks "$B1" "--district leaves out other districts"
check_out_has "$SV" "--district keeps its own"

opcert company list --db "$DB" --json
check_rc 0 "company list --json exits 0"
check_eq "$(jq length "$T/out")" 2 "the JSON has two companies"
check_eq "$(jq -r '.[0].uscc' "$T/out")" "$B1" "the JSON gives the code"
check_eq "$(jq -r '.[1].kind' "$T/out")" supervisor "the JSON gives the kind code"
check_eq "$(jq -r '.[1].district' "$T/out")" 观山湖区 "the JSON gives the district's name"

opcert company list --db "$DB" --district 火星区
check_rc 2 "list with an unknown district exits 2"

opcert company change "$B1" --db "$DB" --name 测试建设集团有限公司 --phone ""
check_rc 0 "company change exits 0"
opcert company show "$B1" --db "$DB" --json
check_eq "$(jq -r .name "$T/out")" 测试建设集团有限公司 "the name was changed"
check_eq "$(jq -r .phone "$T/out")" "" "the phone was cleared"
check_eq "$(jq -r .contact "$T/out")" 张三 "the contact was left alone"

opcert company change "$B1" --db "$DB"
check_rc 2 "change without anything to change exits 2"
opcert company change "$B2" --db "$DB" --name 甲
check_rc 2 "change of an unregistered company exits 2"
check_err_has "未登记" "the error says it is not registered"

# --- projects --------------------------------------------------------------------------
opcert project add --db "$DB" --name 测试花园项目 --district 花溪区 --builder "$B1" --supervisor "$SV" \
	--address 花溪区测试路1号 --start 2026-01-01 --end 2027年12月31日 --today "$TODAY"
check_rc 0 "project add exits 0"
check_out_has "在建" "a project that has started is 在建"

opcert project add --db "$DB" --name 测试二期 --district 花溪区 --builder "$B1" --start 2026-08-01 \
	--today "$TODAY"
check_rc 0 "a second project exits 0"
check_out_has "未开工" "a project starting after today is 未开工"

opcert project add --db "$DB" --name 测试花园项目 --district 花溪区 --builder "$B1" --today "$TODAY"
check_rc 2 "the same builder and name again exits 2"
opcert project add --db "$DB" --name 丙 --district 花溪区 --builder "$SV" --today "$TODAY"
check_rc 2 "a supervision firm as builder exits 2"
check_err_has "不是施工单位" "the error says it is not a builder"
opcert project add --db "$DB" --name 丙 --district 花溪区 --builder "$B1" --start 2026-06-01 \
	--end 2026-05-01 --today "$TODAY"
check_rc 2 "an end before the start exits 2"

opcert project list --db "$DB"
check_rc 0 "project list exits 0"
check_out_has "测试花园项目" "the list shows the project"
check_out_has "项目名称" "the table has a Chinese header"
opcert project list --db "$DB" --company "$SV" --json
check_eq "$(jq length "$T/out")" 1 "--company of the supervisor lists its one project"
check_eq "$(jq -r '.[0].supervisor.uscc' "$T/out")" "$SV" "the JSON names the supervisor"
check_eq "$(jq -r '.[0].start_on' "$T/out")" 2026-01-01 "dates are YYYY-MM-DD in JSON"
PID=$(jq -r '.[0].id' "$T/out")

opcert project change "$PID" --db "$DB" --state 停工
check_rc 0 "project change --state exits 0"
check_out_has "停工" "the state is now 停工"
opcert project change "$PID" --db "$DB" --state 半停
check_rc 2 "an unknown state exits 2"
opcert project change abc --db "$DB" --state 在建
check_rc 2 "a project id that is not a number exits 2"

opcert company close "$SV" --db "$DB"
check_rc 2 "a supervisor of a project not completed cannot be closed"
check_err_has "测试花园项目" "the error names the project"

opcert project close "$PID" --db "$DB"
check_rc 0 "project close exits 0"
opcert project change "$PID" --db "$DB" --name 新名
check_rc 2 "a closed project cannot be changed"
opcert project list --db "$DB" --json
check_eq "$(jq length "$T/out")" 1 "a closed project is left out of the list"
opcert project list --db "$DB" --json --all
check_eq "$(jq length "$T/out")" 2 "--all lists it"

opcert company close "$SV" --db "$DB"
check_rc 0 "company close exits 0 once its project is closed"
opcert company list --db "$DB" --json
check_eq "$(jq length "$T/out")" 1 "a closed company is left out of the list"
opcert company list --db "$DB" --all
check_out_has "已注销" "--all shows it as 已注销"

# --- institutions ------------------------------------------------------------------------
opcert institution add --db "$DB" --name 测试培训学校 --district 南明区
check_rc 0 "institution add exits 0"
opcert institution add --db "$DB" --name 测试培训学校
check_rc 2 "the same institution again exits 2"
opcert institution change 测试培训学校 --db "$DB" --name 测试职业培训学校 --district ""
check_rc 0 "institution change exits 0"
check_out_has "全市" "an institution without a district is city-wide"
opcert institution list --db "$DB"
check_out_has "测试职业培训学校" "the list shows the renamed institution"
opcert institution close 测试职业培训学校 --db "$DB"
check_rc 0 "institution close exits 0"
opcert institution list --db "$DB" --json
check_eq "$(jq length "$T/out")" 0 "a closed institution is left out"

# --- company import ------------------------------------------------------------------------
IDB=$T/import.db
opcert init --db "$IDB"
C1=$(uscc 91520111MA6CXL011)
C2=$(uscc 91520112MA6CXL012)
C3=$(uscc 91520113MA6CXL013)
# A form with a title row above the header, columns in another order.
{
	printf '%s单位名单（测试）\r\n' "$BOM"
	printf '序号,单位名称,所在区,统一社会信用代码,单位类型,联系电话,联系人\r\n'
	printf '1,花溪测试有限公司,花溪区,%s,施工,13800000011,甲\r\n' "$C1"
	printf '2,乌当测试有限公司,乌当区住建局,%s,施工单位,,\r\n' "$C2"
	printf '3,白云测试监理有限公司,白云区,%s,监理,0851-86000013,乙\r\n' "$C3"
} >"$T/companies.csv"
opcert company import "$T/companies.csv" --db "$IDB"
check_rc 0 "company import exits 0"
check_out_has "新增 3 家" "three companies imported"
check_eq "$(db_count "$IDB" "org where uscc is not null")" 3 "three companies stored"
opcert company import "$T/companies.csv" --db "$IDB"
check_rc 0 "importing the same file again exits 0"
check_out_has "未变 3 家" "identical rows are counted as unchanged"

# bad_import KIND DESCRIPTION LINE COLUMN MESSAGE TABLE: $T/bad.csv must
# fail naming the file, line and column, and import nothing.
bad_import() {
	_what=$1 _desc=$2 _line=$3 _col=$4 _msg=$5
	_before=$(db_count "$IDB" "$6")
	opcert "$_what" import "$T/bad.csv" --db "$IDB" --today "$TODAY"
	check_rc 2 "$_desc: exits 2"
	check_err_has "bad.csv:$_line: 列“$_col”" "$_desc: the error names file, line $_line and column $_col"
	check_err_has "$_msg" "$_desc: the error says: $_msg"
	check_eq "$(db_count "$IDB" "$6")" "$_before" "$_desc: nothing imported"
}

NEW1=$(uscc 91520121MA6CXL021)
NEW2=$(uscc 91520122MA6CXL022)
HDR='统一社会信用代码,单位名称,单位类型,所在区,联系人,联系电话'
{
	echo "$HDR"
	echo "$NEW1,开阳测试有限公司,施工,开阳县,,"
	echo "$NEW2,息烽测试有限公司,施工,息烽县,,"
	echo "$(printf '%s' "$NEW2" | cut -c1-17)$( [ "$(printf '%s' "$NEW2" | cut -c18)" = 0 ] && echo 1 || echo 0),错码有限公司,施工,息烽县,,"
} >"$T/bad.csv"
bad_import company "a wrong check character on line 4" 4 统一社会信用代码 "校验位应为 $(printf '%s' "$NEW2" | cut -c18)" \
	"org where uscc is not null"

{
	echo "$HDR"
	echo "$NEW1,开阳测试有限公司,施工,开阳县,,"
	echo "$NEW1,开阳测试二公司,施工,开阳县,,"
} >"$T/bad.csv"
bad_import company "a code twice in the file" 3 统一社会信用代码 "第2行" "org where uscc is not null"

{
	echo "$HDR"
	echo "$NEW1,开阳测试有限公司,施工,开阳县,,"
	echo "$C1,花溪测试有限公司,施工,南明区,甲,13800000011"
} >"$T/bad.csv"
bad_import company "a row that conflicts with the register" 3 所在区 "花溪区" "org where uscc is not null"

{
	echo "$HDR"
	echo "$NEW1,开阳测试有限公司,设计,开阳县,,"
} >"$T/bad.csv"
bad_import company "an unknown kind" 2 单位类型 "施工或监理" "org where uscc is not null"

{
	echo "$HDR"
	echo "$NEW1,开阳测试有限公司,施工,开阳,,"
} >"$T/bad.csv"
bad_import company "an unknown district" 2 所在区 "不是本市的区" "org where uscc is not null"

printf '%s\n%s\n' "$HDR" "$NEW1,开阳测试有限公司,施工,开阳县,,电话号码" >"$T/bad.csv"
bad_import company "a phone that is no number" 2 联系电话 "无效" "org where uscc is not null"

# GBK, as Excel saves it; the error's line and column in GBK too.
{
	echo "$HDR"
	echo "$NEW1,开阳测试有限公司,施工,开阳县,丙,13800000021"
} | iconv -f UTF-8 -t GBK >"$T/gbk.csv" || die "iconv failed"
opcert company import "$T/gbk.csv" --db "$IDB"
check_rc 0 "a GBK company list imports"
opcert company show "$NEW1" --db "$IDB" --json
check_eq "$(jq -r .name "$T/out")" 开阳测试有限公司 "the GBK name arrives as UTF-8"
check_eq "$(jq -r .contact "$T/out")" 丙 "the GBK contact arrives as UTF-8"
{
	echo "$HDR"
	echo "$NEW2,息烽测试有限公司,施工,息烽区,,"
} | iconv -f UTF-8 -t GBK >"$T/bad.csv"
bad_import company "a GBK file with an unknown district" 2 所在区 "息烽区" "org where uscc is not null"

# UTF-16 with a BOM, tab-separated (Excel's "Unicode text").
{
	printf '统一社会信用代码\t单位名称\t单位类型\t所在区\r\n'
	printf '%s\t息烽测试有限公司\t施工\t息烽县\r\n' "$NEW2"
} | iconv -f UTF-8 -t UTF-16 >"$T/utf16.csv" || die "iconv failed"
opcert company import "$T/utf16.csv" --db "$IDB"
check_rc 0 "a UTF-16 company list imports"

printf '%s\n' "$HDR" >"$T/empty.csv"
opcert company import "$T/empty.csv" --db "$IDB"
check_rc 2 "a file with no data rows exits 2"
printf '统一社会信用代码,单位名称,所在区\n%s,甲,云岩区\n' "$NEW1" >"$T/nocol.csv"
opcert company import "$T/nocol.csv" --db "$IDB"
check_rc 2 "a file without the 单位类型 column exits 2"
check_err_has "单位类型" "the error names the missing column"
opcert company import "$T/missing.csv" --db "$IDB"
check_rc 2 "a missing file exits 2"
head -c 3000 /dev/urandom >"$T/binary.csv"
opcert company import "$T/binary.csv" --db "$IDB"
check_ne "$RC" 0 "a binary file is refused"

# --- project import ----------------------------------------------------------------------------
PHDR='项目名称,所在区,地址,施工单位信用代码,监理单位信用代码,开工日期,竣工日期'
{
	echo "$PHDR"
	echo "花溪测试项目,花溪区,花溪区某路,$C1,$C3,2026-01-01,2027/12/31"
	echo "乌当测试项目,乌当区,,$C2,无,2026年9月1日,"
	echo "白云测试项目,白云区,,$C1,,,"
} >"$T/projects.csv"
opcert project import "$T/projects.csv" --db "$IDB" --today "$TODAY"
check_rc 0 "project import exits 0"
check_out_has "新增 3 个" "three projects imported"
opcert project list --db "$IDB" --json
check_eq "$(jq length "$T/out")" 3 "three projects listed"
check_eq "$(jq -r '.[1].state' "$T/out")" planned "a project starting after today is planned"
check_eq "$(jq -r '.[1].supervisor' "$T/out")" null "无 leaves the supervisor empty"
opcert project import "$T/projects.csv" --db "$IDB" --today "$TODAY"
check_rc 0 "the same project file again exits 0"
check_out_has "未变 3 个" "identical projects are unchanged"

PNEW="新测试项目,白云区,,$C1,,,"
{
	echo "$PHDR"
	echo "$PNEW"
	echo "错测试项目,白云区,,91350100M000100Y43,,,"
} >"$T/bad.csv"
bad_import project "a builder that is not registered" 3 施工单位信用代码 "未登记" project

{
	echo "$PHDR"
	echo "$PNEW"
	echo "错测试项目,白云区,,$C1,$C2,,"
} >"$T/bad.csv"
bad_import project "a builder named as supervisor" 3 监理单位信用代码 "不是监理单位" project

{
	echo "$PHDR"
	echo "$PNEW"
	echo "错测试项目,白云区,,$C1,,2026-02-30,"
} >"$T/bad.csv"
bad_import project "a date that does not exist" 3 开工日期 "不是有效日期" project

{
	echo "$PHDR"
	echo "$PNEW"
	echo "花溪测试项目,花溪区,花溪区另一路,$C1,$C3,2026-01-01,2027/12/31"
} >"$T/bad.csv"
bad_import project "a project that conflicts with the register" 3 地址 "花溪区某路" project

{
	echo "$PHDR"
	echo "$PNEW"
	echo "$PNEW"
} >"$T/bad.csv"
bad_import project "a project twice in the file" 3 项目名称 "重复" project

# --- demo -------------------------------------------------------------------------------------
DB=$T/demo.db
demo_setup
check "the demo wrote companies.csv" test -s "$DEMO/companies.csv"
check "the demo wrote projects.csv" test -s "$DEMO/projects.csv"
check_out_has "新增 6 家" "the demo imports its companies"
NSUP=$(strip "$DEMO/companies.csv" | awk -F, 'NR > 1 && $3 == "监理"' | wc -l | tr -d ' ')
check_eq "$NSUP" 1 "the demo has one supervision firm"
NDIST=$(strip "$DEMO/companies.csv" | awk -F, 'NR > 1 { print $4 }' | sort -u | wc -l | tr -d ' ')
check "the demo's companies are in several districts" test "$NDIST" -ge 4
BADCODES=$(strip "$DEMO/companies.csv" | awk -F, 'NR > 1 { print $1 }' | while read -r c; do
	[ "$(uscc "$(printf '%s' "$c" | cut -c1-17)")" = "$c" ] || echo "$c"
done)
check_eq "$BADCODES" "" "every demo credit code has the right check character"
check_eq "$(db_count "$DB" project)" "$(strip "$DEMO/projects.csv" | sed 1d | wc -l | tr -d ' ')" \
	"every demo project is imported"
ROSTER_PROJECT=$(strip "$DEMO/roster-clean.csv" | awk -F, 'NR == 2 { print $9 }')
check_eq "$(sqlite3 "$DB" "select count(*) from project where name = '$ROSTER_PROJECT'")" 1 \
	"the roster's project is among the demo projects"
opcert demo --certificates 300 --roster 40 --today "$TODAY" --out "$DEMO" --db "$DB" --import
check_rc 0 "running the demo again exits 0"
check_out_has "未变 6 家" "the second run finds the companies unchanged"

finish
