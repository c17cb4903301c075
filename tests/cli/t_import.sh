# t_import.sh - opcert import: all or nothing, error messages, --update.
. "$OPCERT_SRC/tests/cli/lib.sh"

opcert demo --certificates 300 --roster 40 --today "$TODAY" --out "$T/demo"
check_rc 0 "demo exits 0"
REG=$T/demo/register.csv
[ -s "$REG" ] || die "demo wrote no register.csv"
NREG=$(strip "$REG" | sed 1d | wc -l | tr -d ' ')
check_eq "$NREG" 300 "register.csv has 300 rows"

DB=$T/imp.db
opcert import "$REG" --db "$DB" --today "$TODAY"
check_rc 2 "import into a database that does not exist exits 2"
check_err_has "opcert init" "import without a database tells to run opcert init"

opcert init --db "$DB"
check_rc 0 "init exits 0"

# A base of the last 100 rows, so that the database is not empty; the bad
# copies below are made of the first 200 rows, none of them registered yet.
(head -1 "$REG"; sed -n '202,$p' "$REG") >"$T/base.csv"
opcert import "$T/base.csv" --db "$DB" --today "$TODAY"
check_rc 0 "import of the last 100 rows exits 0"
check_eq "$(db_count "$DB" certificate)" 100 "100 certificates after the first import"

# The middle row that the bad copies replace: an ordinary line of the file.
LINE=150
ROW=$(strip "$REG" | sed -n "${LINE}p")
[ -n "$ROW" ] || die "register.csv has no line $LINE"

# bad_copy DESCRIPTION COLUMN-NAME MESSAGE-PART NEW-ROW
# Writes the first 200 rows of register.csv with line $LINE replaced by
# NEW-ROW (keeping CRLF), imports it and checks nothing was imported.
bad_copy() {
	_desc=$1 _col=$2 _msg=$3 _new=$4
	awk -v n="$LINE" -v r="$_new" '
		NR > 201 { exit } NR == n { printf "%s\r\n", r; next } { print }' "$REG" >"$T/bad.csv"
	_before=$(db_count "$DB" certificate)
	opcert import "$T/bad.csv" --db "$DB" --today "$TODAY"
	check_rc 2 "import with $_desc on line $LINE exits 2"
	check_err_has "bad.csv" "$_desc: the message names the file"
	check_err_has "$LINE" "$_desc: the message names line $LINE"
	check_err_has "$_col" "$_desc: the message names the column $_col"
	if [ -n "$_msg" ]; then
		check_err_has "$_msg" "$_desc: the message says why ($_msg)"
	fi
	check_eq "$(db_count "$DB" certificate)" "$_before" "$_desc: the certificate count is unchanged"
	check_eq "$(db_count "$DB" certificate_change)" 0 "$_desc: no change recorded"
	# --update does not make a bad file acceptable either.
	opcert import "$T/bad.csv" --update --db "$DB" --today "$TODAY"
	check_rc 2 "import --update with $_desc exits 2"
	check_eq "$(db_count "$DB" certificate)" "$_before" "$_desc (--update): the count is unchanged"
}

# with_field N VALUE: $ROW with field N replaced.
with_field() {
	printf '%s\n' "$ROW" | awk -F, -v OFS=, -v n="$1" -v v="$2" '{ $n = v; print }'
}

# The wrong-check-character row: a construction certificate (a T number embeds
# the ID, so a bad ID would make the number itself malformed), given an
# unused serial so that only its ID is wrong.
crow=$(strip "$REG" | sed -n '2,201p' | grep -v '^T' | head -1 |
	LC_ALL=C awk -F, -v OFS=, '{ $1 = substr($1, 1, length($1) - 6) "999999"; print }')
[ -n "$crow" ] || die "register.csv has no construction row"
id=$(printf '%s\n' "$crow" | cut -d, -f4)
first17=$(printf '%s' "$id" | cut -c1-17)
good=$(id_check_char "$first17")
check_eq "$(printf '%s' "$id" | cut -c18)" "$good" "the demo ID $id has the right check character"
case $good in
0) wrong=1 ;;
*) wrong=0 ;;
esac
badrow=$(printf '%s\n' "$crow" | awk -F, -v OFS=, -v v="$first17$wrong" '{ $4 = v; print }')
bad_copy "a wrong ID check character" "身份证号码" "校验码" "$badrow"
# Control: the same row with its right ID imports (so the refusal above was
# for the check character alone).
awk -v n="$LINE" -v r="$crow" 'NR > 201 { exit } NR == n { printf "%s\r\n", r; next } { print }' \
	"$REG" >"$T/ctl.csv"
opcert init --db "$T/ctl.db"
opcert import "$T/ctl.csv" --db "$T/ctl.db" --today "$TODAY"
check_rc 0 "control: the same file with the right check character imports"
check_eq "$(db_count "$T/ctl.db" certificate)" 200 "control: 200 certificates"
bad_copy "an impossible date 2019-02-30" "发证日期" "2019-02-30" "$(with_field 7 2019-02-30)"
bad_copy "an impossible valid-until 2027-13-01" "有效期至" "2027-13-01" "$(with_field 8 2027-13-01)"
bad_copy "an unknown trade" "工种" "" "$(with_field 5 火箭驾驶)"
bad_copy "a missing name" "姓名" "" "$(with_field 2 "")"
gender=$(printf '%s\n' "$ROW" | cut -d, -f3)
case $gender in
男) other=女 ;;
*) other=男 ;;
esac
bad_copy "a gender disagreeing with the ID" "性别" "" "$(with_field 3 "$other")"
bad_copy "a number repeated within the file" "证书编号" "" "$(strip "$REG" | sed -n 20p)"
bad_copy "an ID turned into 5.20102E+17 by Excel" "身份证号码" "文本" "$(with_field 4 5.20102E+17)"
bad_copy "an ID written back as 520102199001011234.0" "身份证号码" "文本" "$(with_field 4 "${first17}1.0")"
bad_copy "a malformed certificate number" "证书编号" "" "$(with_field 1 黔A01201800012)"
bad_copy "a missing ID number" "身份证号码" "" "$(with_field 4 "")"
bad_copy "an unknown status" "状态" "" "$(with_field 10 作废了)"
bad_copy "a valid-until before the issue date" "有效期至" "" "$(with_field 8 2000-01-01)"

# The repeated-number case: the message should point at the earlier line too.
awk -v n="$LINE" -v r="$(strip "$REG" | sed -n 20p)" 'NR > 201 { exit } NR == n { print r; next } { print }' "$REG" >"$T/dup.csv"
opcert import "$T/dup.csv" --db "$DB" --today "$TODAY"
check_err_has "20" "a repeated number: the message names the first line too"

# A bad last row and a bad first row are refused just the same.
(head -201 "$REG"; printf '%s\r\n' "$(strip "$REG" | sed -n 230p | awk -F, -v OFS=, '{ $2 = ""; print }')") >"$T/badlast.csv"
opcert import "$T/badlast.csv" --db "$DB" --today "$TODAY"
check_rc 2 "a bad last row (line 202) exits 2"
check_err_has "202" "a bad last row: the message names line 202"
check_eq "$(db_count "$DB" certificate)" 100 "a bad last row: nothing imported"

# Missing required column.
strip "$REG" | head -201 | cut -d, -f1-3,5- >"$T/nocol.csv"
opcert import "$T/nocol.csv" --db "$DB" --today "$TODAY"
check_rc 2 "a register without 身份证号码 column exits 2"
check_err_has "身份证号码" "a missing column is named"
check_eq "$(db_count "$DB" certificate)" 100 "a missing column: nothing imported"

# --- the whole file; re-import; --update --------------------------------------
opcert import "$REG" --db "$DB" --today "$TODAY"
check_rc 2 "import of a file whose numbers are already registered exits 2"
check_err_has "--update" "re-import without --update mentions --update"
check_eq "$(db_count "$DB" certificate)" 100 "refused re-import: the count is unchanged"

opcert import "$REG" --update --db "$DB" --today "$TODAY"
check_rc 0 "import --update of the whole file exits 0"
check_eq "$(db_count "$DB" certificate)" 300 "import --update adds the 200 new rows"
check_eq "$(db_count "$DB" certificate_change)" 0 "import --update of identical rows records no change"

opcert import "$REG" --update --db "$DB" --today "$TODAY"
check_rc 0 "import --update of the same file again exits 0"
check_eq "$(db_count "$DB" certificate)" 300 "the count stays 300"
check_eq "$(db_count "$DB" certificate_change)" 0 "re-importing identical rows records no change"

# Change one valid certificate's name.  A construction number: the checks
# below read the database directly, where an emergency-management number
# (it holds an ID number) is stored sealed.
vrow=$(reg_valid_rows "$T/demo" | grep -v '^T' | sed -n 3p)
[ -n "$vrow" ] || die "no valid register row to change"
vnum=$(printf '%s\n' "$vrow" | cut -d, -f1)
vold=$(printf '%s\n' "$vrow" | cut -d, -f2)
vnew=欧阳改名
awk -F, -v OFS=, -v n="$vnum" -v v="$vnew" '$1 == n { $2 = v } { print }' "$REG" >"$T/changed.csv"
check_eq "$(cmp "$REG" "$T/changed.csv" >/dev/null 2>&1; echo $?)" 1 "the changed file differs"

opcert verify --number "$vnum" --name "$vold" --today "$TODAY" --db "$DB"
check_rc 0 "before the change $vnum with $vold is valid"

opcert import "$T/changed.csv" --db "$DB" --today "$TODAY"
check_rc 2 "the changed file without --update exits 2"
check_eq "$(db_count "$DB" certificate_change)" 0 "refused: no change recorded"

opcert import "$T/changed.csv" --update --db "$DB" --today "$TODAY"
check_rc 0 "the changed file with --update exits 0"
check_eq "$(db_count "$DB" certificate)" 300 "the count stays 300 after an update"
check_eq "$(db_count "$DB" certificate_change)" 1 "exactly one change is recorded"
check_eq "$(sqlite3 "$DB" "select number from certificate_change" 2>/dev/null)" "$vnum" \
	"the recorded change is of $vnum"
check_eq "$(sqlite3 "$DB" "select name from certificate where number = '$vnum'" 2>/dev/null)" "$vnew" \
	"the register holds the new name"

opcert verify --number "$vnum" --name "$vnew" --today "$TODAY" --db "$DB" --format json
check_rc 0 "after the update the new name is valid"
check_eq "$(jq -r .verdict "$T/out" 2>/dev/null)" valid "new name: verdict valid"
opcert verify --number "$vnum" --name "$vold" --today "$TODAY" --db "$DB" --format json
check_rc 1 "after the update the old name is not valid"
check_eq "$(jq -r .verdict "$T/out" 2>/dev/null)" mismatch "old name: verdict mismatch"
check_eq "$(jq -c .mismatched_fields "$T/out" 2>/dev/null)" '["name"]' "old name: mismatched_fields [\"name\"]"

opcert import "$T/changed.csv" --update --db "$DB" --today "$TODAY"
check_rc 0 "importing the changed file again exits 0"
check_eq "$(db_count "$DB" certificate_change)" 1 "an unchanged row records no second change"

# --- a register in GBK ---------------------------------------------------------
strip "$REG" | iconv -f UTF-8 -t GB18030 >"$T/reg-gbk.csv" || die "iconv failed"
if cmp -s "$T/reg-gbk.csv" "$REG"; then
	fail "the GBK copy differs from the UTF-8 one"
fi
opcert init --db "$T/gbk.db"
opcert import "$T/reg-gbk.csv" --db "$T/gbk.db" --today "$TODAY"
check_rc 0 "a register in GBK imports"
check_eq "$(db_count "$T/gbk.db" certificate)" 300 "the GBK register gives 300 certificates"
check_eq "$(sqlite3 "$T/gbk.db" "select name from certificate where number = '$vnum'" 2>/dev/null)" "$vold" \
	"GBK names are stored as UTF-8"
opcert verify --number "$vnum" --name "$vold" --today "$TODAY" --db "$T/gbk.db"
check_rc 0 "a certificate imported from GBK verifies by its Chinese name"

# English header aliases, LF line ends, no BOM.
strip "$REG" | sed '1s/.*/number,name,gender,id_number,trade,issuer,issued_on,valid_until,review_due,status,training_institution/' >"$T/reg-en.csv"
opcert init --db "$T/en.db"
opcert import "$T/reg-en.csv" --db "$T/en.db" --today "$TODAY"
check_rc 0 "a register with English header aliases imports"
check_eq "$(db_count "$T/en.db" certificate)" 300 "English header: 300 certificates"

# A register whose status and review columns are left out: status defaults to 有效.
strip "$REG" | cut -d, -f1-8 | head -101 >"$T/reg-min.csv"
opcert init --db "$T/min.db"
opcert import "$T/reg-min.csv" --db "$T/min.db" --today "$TODAY"
check_rc 0 "a register without the optional columns imports"
check_eq "$(db_count "$T/min.db" certificate)" 100 "optional columns absent: 100 certificates"

finish
