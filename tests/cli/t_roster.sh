# t_roster.sh - opcert verify-roster on the demo rosters: every planted
# violation found with the right verdict, no false alarm, three formats.
. "$OPCERT_SRC/tests/cli/lib.sh"

demo_setup
CLEAN=$DEMO/roster-clean.csv
VIOL=$DEMO/roster-violations.csv

# The verdict vocabulary of DOMAIN.md section 6, most serious first, with labels.
VOCAB="unofficial_link forged tampered uncertified mismatch duplicate_use revoked suspended expired review_overdue invalid_id invalid_number not_found external status_unknown valid"
label() {
	case $1 in
	valid) echo 有效 ;; uncertified) echo 无证 ;; not_found) echo 查无此证 ;;
	mismatch) echo 信息不符 ;; expired) echo 已过期 ;; review_overdue) echo 逾期未复审 ;;
	revoked) echo 已注销/吊销 ;; suspended) echo 暂扣 ;; invalid_id) echo 身份证号码无效 ;;
	invalid_number) echo 证书编号无效 ;; duplicate_use) echo 疑似转借/冒用 ;;
	external) echo 需外部核验 ;; forged) echo 签名无效（伪造） ;; tampered) echo 登记记录被篡改 ;;
	status_unknown) echo 状态未知 ;; unofficial_link) echo 非官方查询链接 ;;
	esac
}

# vr FILE FORMAT: verify-roster on $TODAY against the demo database.
vr() {
	opcert verify-roster "$1" --format "$2" --today "$TODAY" --db "$DB"
}

# summary_of JSONL: "ROW<TAB>VERDICT[:FIELDS]" per line.
summary_of() {
	jq -r '[.row, (.verdict + (if .verdict == "mismatch" then ":" + (.mismatched_fields | join(",")) else "" end))] | @tsv' "$1"
}

# expected_of ROSTER: "ROW<TAB>预期核验结果" per data row (the last column,
# quoted when it holds a comma).
expected_of() {
	strip "$1" | awk -F, 'NR == 1 { n = NF; next } {
		s = $0
		for (i = 1; i < n; i++) sub(/^[^,]*,/, "", s)
		gsub(/^"|"$/, "", s)
		printf "%d\t%s\n", NR - 1, s
	}'
}

rows_clean=$(strip "$CLEAN" | sed 1d | wc -l | tr -d ' ')
rows_viol=$(strip "$VIOL" | sed 1d | wc -l | tr -d ' ')
check_eq "$rows_clean" 40 "roster-clean.csv has 40 rows"
check "roster-violations.csv has rows" test "$rows_viol" -gt 0
check_eq "$(strip "$VIOL" | head -1 | awk -F, '{ print $NF }')" 预期核验结果 \
	"roster-violations.csv ends with the 预期核验结果 column"

# --- the clean roster: every row valid, exit 0, in every format -------------------
vr "$CLEAN" jsonl
check_rc 0 "clean roster (jsonl) exits 0"
cp "$T/out" "$T/clean.jsonl"
check_eq "$(wc -l <"$T/clean.jsonl" | tr -d ' ')" "$rows_clean" "clean jsonl: one line per row"
check_eq "$(jq -r .verdict "$T/clean.jsonl" | sort -u | tr '\n' ' ')" "valid " "clean jsonl: every verdict is valid"
check_eq "$(jq -r .row "$T/clean.jsonl" | tr '\n' ' ')" "$(seq 1 "$rows_clean" | tr '\n' ' ')" \
	"clean jsonl: rows numbered 1..$rows_clean in order"
check_eq "$(jq -c '.findings' "$T/clean.jsonl" | sort -u)" "[]" "clean jsonl: no finding anywhere"
check_eq "$(oracle "$DEMO/register.csv" "$CLEAN" | cut -f2 | sort -u)" valid \
	"clean roster: every row is valid by the rules worked out independently"
check_eq "$(jq -r '.number' "$T/clean.jsonl" | tr '\n' ' ')" \
	"$(strip "$CLEAN" | sed 1d | cut -d, -f6 | sed 's/^ *//; s/ *$//' | tr '\n' ' ')" \
	"clean jsonl: numbers are the roster's, trimmed, in order"
check_eq "$(jq -r '.name' "$T/clean.jsonl" | tr '\n' ' ')" \
	"$(strip "$CLEAN" | sed 1d | cut -d, -f2 | sed 's/^ *//; s/ *$//' | tr '\n' ' ')" \
	"clean jsonl: names are the roster's, trimmed, in order"

vr "$CLEAN" csv
check_rc 0 "clean roster (csv) exits 0"
check_eq "$(head -c 3 "$T/out")" "$BOM" "csv output starts with a UTF-8 BOM"
check_eq "$(wc -l <"$T/out" | tr -d ' ')" $((rows_clean + 1)) "csv output: a header and one line per row"
check "csv header names the columns (证书编号)" sh -c "head -1 '$T/out' | grep -q 证书编号"
check "csv header names the columns (姓名)" sh -c "head -1 '$T/out' | grep -q 姓名"
check_eq "$(sed 1d "$T/out" | grep -c ',valid,')" "$rows_clean" "csv output: every row carries the code valid"
cp "$T/out" "$T/clean.csv"

vr "$CLEAN" table
check_rc 0 "clean roster (table) exits 0"
check "table output: one line per row at least" test "$(wc -l <"$T/out")" -gt "$rows_clean"
check "table output shows the 依法持证率 of 100%" grep -q '依法持证率[^0-9]*100' "$T/out"
opcert verify-roster "$CLEAN" --today "$TODAY" --db "$DB"
check_rc 0 "clean roster (default format) exits 0"
check_out_has "依法持证率" "the default format is the table with its summary"

# --- the violations roster: every row as planted ------------------------------------
vr "$VIOL" jsonl
check_rc 1 "violations roster (jsonl) exits 1"
cp "$T/out" "$T/viol.jsonl"
check_eq "$(wc -l <"$T/viol.jsonl" | tr -d ' ')" "$rows_viol" "violations jsonl: one line per row"
check_eq "$(jq -r .row "$T/viol.jsonl" | tr '\n' ' ')" "$(seq 1 "$rows_viol" | tr '\n' ' ')" \
	"violations jsonl: rows numbered 1..$rows_viol in order"
check_eq "$(jq -r 'keys_unsorted | join(",")' "$T/viol.jsonl" | sort -u)" \
	"row,number,name,verdict,findings,mismatched_fields,message" \
	"every jsonl line has exactly the keys row,number,name,verdict,findings,mismatched_fields,message"

expected_of "$VIOL" >"$T/expected.tsv"
summary_of "$T/viol.jsonl" >"$T/actual.tsv"
oracle "$DEMO/register.csv" "$VIOL" >"$T/oracle.tsv"
cut -f1,2 "$T/oracle.tsv" >"$T/oracle2.tsv"

# The planted answers are themselves right by the rules.
check_files_same "$T/expected.tsv" "$T/oracle2.tsv" \
	"the 预期核验结果 column agrees with the rules worked out independently"
if ! cmp -s "$T/expected.tsv" "$T/oracle2.tsv"; then
	diff "$T/expected.tsv" "$T/oracle2.tsv" | sed 's/^/  /' | head -20
fi

# Row by row: opcert's verdict (and mismatched fields) = 预期核验结果.
while IFS="$(printf '\t')" read -r row want; do
	got=$(awk -F'\t' -v r="$row" '$1 == r { print $2 }' "$T/actual.tsv")
	line=$(strip "$VIOL" | sed -n "$((row + 1))p")
	check_eq "$got" "$want" "violations row $row: verdict ($line)"
done <"$T/expected.tsv"

# Every roster verdict is planted at least once.
for code in valid uncertified not_found mismatch expired review_overdue revoked suspended invalid_id invalid_number duplicate_use external; do
	check "roster-violations.csv plants $code" grep -q "^[0-9]*	$code" "$T/expected.tsv"
done
for f in name id_number trade valid_until issuer; do
	check "roster-violations.csv plants a mismatch on $f" grep -q "mismatch:.*$f" "$T/expected.tsv"
done

# The summary line counts by DOMAIN section 5's rules, worked out here from
# the rows' verdicts: 持证上岗 valid only; 查验证书 every row with a number;
# 其中假证 not_found/mismatch/invalid_number/forged/unofficial_link; 转借/冒用
# duplicate_use; 证书失效 expired/review_overdue/revoked/suspended; 待核实
# external (no manual check)/status_unknown/tampered/invalid_id.
vr "$VIOL" table
jq -r .verdict "$T/viol.jsonl" | awk '
	{ n++ }
	$1 == "valid" { c++ }
	$1 != "uncertified" { k++ }
	$1 ~ /^(not_found|mismatch|invalid_number|forged|unofficial_link)$/ { f++ }
	$1 == "duplicate_use" { l++ }
	$1 ~ /^(expired|review_overdue|revoked|suspended)$/ { x++ }
	$1 == "uncertified" { u++ }
	$1 ~ /^(external|status_unknown|tampered|invalid_id)$/ { p++ }
	END { printf "特种作业人员 %d 人，持证上岗 %d 人，查验证书 %d 本，其中假证 %d 本，转借/冒用 %d 本，证书失效 %d 本，无证上岗 %d 人，持假证上岗 %d 人，待核实 %d 人，依法持证率 %.1f%%\n", n, c, k, f, l, x, u, f + l, p, 100 * c / n }' >"$T/want_summary"
check_out_has "$(cat "$T/want_summary")" "the summary line counts by DOMAIN's counting rules"
check "查验证书 and 持证上岗 differ on the violations roster" sh -c "! grep -q '持证上岗 \([0-9]*\) 人，查验证书 \1 本' '$T/out'"

# Rows whose number is claimed by another person carry duplicate_use.
awk -F'\t' '$3 ~ /duplicate_use/ { print $1 }' "$T/oracle.tsv" >"$T/dup_rows"
check "the violations roster has rows sharing a number" test -s "$T/dup_rows"
while read -r row; do
	check "row $row (a number claimed by another person) has duplicate_use among its findings" \
		jq -e -s --argjson r "$row" 'map(select(.row == $r)) | .[0].findings | any(.[]; . == "duplicate_use")' "$T/viol.jsonl"
done <"$T/dup_rows"
# A T number whose embedded ID differs, not in the register: mismatch and external both.
awk -F'\t' '$3 == "mismatch,external" { print $1 }' "$T/oracle.tsv" >"$T/mx_rows"
while read -r row; do
	check_eq "$(jq -r --argjson r "$row" 'select(.row == $r) | .findings | sort | join(",")' "$T/viol.jsonl")" \
		"external,mismatch" "row $row: findings mismatch and external"
done <"$T/mx_rows"

# --- the verdict rules that hold for every line --------------------------------------
for file in "$T/viol.jsonl" "$T/clean.jsonl"; do
	jq -r '.verdict, .findings[]' "$file" | sort -u >"$T/codes"
	while read -r code; do
		case " $VOCAB " in
		*" $code "*) pass ;;
		*) fail "verdict code '$code' is not in DOMAIN section 6" ;;
		esac
	done <"$T/codes"
	jq -r '.mismatched_fields[]' "$file" | sort -u >"$T/fcodes"
	while read -r code; do
		case " name id_number gender trade valid_until issuer " in
		*" $code "*) pass ;;
		*) fail "mismatched field '$code' is not one of name,id_number,gender,trade,valid_until,issuer" ;;
		esac
	done <"$T/fcodes"
done

# The verdict is the most serious finding; valid exactly when there is none;
# mismatched_fields non-empty exactly for a mismatch finding, in the order
# name,id_number,gender,trade,valid_until,issuer.
jq -r --arg vocab "$VOCAB" '
	($vocab | split(" ")) as $p
	| ["name","id_number","gender","trade","valid_until","issuer"] as $order
	| (.findings | map(. as $f | $p | index($f)) | min) as $top
	| (.mismatched_fields | map(. as $x | $order | index($x))) as $ix
	| [ .row,
	    (if (.findings | length) == 0 then "valid" else $p[$top] end) == .verdict,
	    (.findings | any(.[]; . == "mismatch")) == ((.mismatched_fields | length) > 0),
	    $ix == ($ix | sort),
	    ((.message | length) > 0)
	  ] | @tsv' "$T/viol.jsonl" "$T/clean.jsonl" >"$T/rules.tsv"
check_eq "$(wc -l <"$T/rules.tsv" | tr -d ' ')" $((rows_viol + rows_clean)) "the rules were checked on every line"
while IFS="$(printf '\t')" read -r row top fields order msg; do
	check_eq "$top" true "row $row: the verdict is the most serious of its findings"
	check_eq "$fields" true "row $row: mismatched_fields given exactly for a mismatch"
	check_eq "$order" true "row $row: mismatched_fields in the order name,id_number,gender,trade,valid_until,issuer"
	check_eq "$msg" true "row $row: a message is given"
done <"$T/rules.tsv"

# --- the other formats of the violations roster ------------------------------------------
vr "$VIOL" csv
check_rc 1 "violations roster (csv) exits 1"
check_eq "$(head -c 3 "$T/out")" "$BOM" "violations csv starts with a UTF-8 BOM"
check_eq "$(wc -l <"$T/out" | tr -d ' ')" $((rows_viol + 1)) "violations csv: a header and one line per row"
sed 1d "$T/out" | tr -d '\r' >"$T/viol.csv"
i=0
while IFS="$(printf '\t')" read -r row want; do
	i=$((i + 1))
	code=${want%%:*}
	check "csv line $i carries the code $code" sh -c "sed -n '${i}p' '$T/viol.csv' | grep -q ',$code,'"
done <"$T/actual.tsv"

vr "$VIOL" table
check_rc 1 "violations roster (table) exits 1"
while IFS="$(printf '\t')" read -r row want; do
	code=${want%%:*}
	lab=$(label "$code")
	check "table row $row shows the label $lab" sh -c "grep -q '^$row .*$lab' '$T/out'"
done <"$T/actual.tsv"
opcert verify-roster "$VIOL" --today "$TODAY" --db "$DB"
check_rc 1 "violations roster (default format) exits 1"

# --- small rosters written by hand ---------------------------------------------------------
# Valid register rows to build them from.
reg_valid_rows | grep -v '^T' | head -4 >"$T/v4"
[ "$(wc -l <"$T/v4")" -eq 4 ] || die "not enough valid construction certificates"
r() { sed -n "$1p" "$T/v4" | cut -d, -f"$2"; }
gword() { case $1 in 男) echo 男 ;; *) echo 女 ;; esac; }
H=姓名,性别,身份证号码,工种,证书编号

# The same person twice on one roster is not a number used by two people.
{
	echo "$H"
	echo "$(r 1 2),$(r 1 3),$(r 1 4),$(r 1 5),$(r 1 1)"
	echo "$(r 1 2),$(r 1 3),$(r 1 4),$(r 1 5),$(r 1 1)"
} >"$T/same.csv"
vr "$T/same.csv" jsonl
check_rc 0 "the same worker listed twice: exit 0"
check_eq "$(jq -r .verdict "$T/out" | tr '\n' ' ')" "valid valid " "the same worker listed twice: both valid"

# Someone else presenting a worker's certificate: both rows duplicate_use, the
# impostor's row a mismatch on name and ID.
{
	echo "$H"
	echo "$(r 1 2),$(r 1 3),$(r 1 4),$(r 1 5),$(r 1 1)"
	echo "$(r 2 2),$(r 2 3),$(r 2 4),$(r 1 5),$(r 1 1)"
	echo "$(r 3 2),$(r 3 3),$(r 3 4),$(r 3 5),无"
	echo "$(r 4 2),$(r 4 3),$(r 4 4),$(r 4 5),"
} >"$T/lent.csv"
vr "$T/lent.csv" jsonl
check_rc 1 "a lent certificate: exit 1"
check_eq "$(summary_of "$T/out" | tr '\t\n' ': ')" \
	"1:duplicate_use 2:mismatch:name,id_number$([ "$(r 1 3)" = "$(r 2 3)" ] || echo ,gender) 3:uncertified 4:uncertified " \
	"lent certificate, 无 and empty numbers: duplicate_use, mismatch, uncertified, uncertified"
check "the impostor's row also carries duplicate_use" \
	jq -e -s 'map(select(.row == 2)) | .[0].findings | any(.[]; . == "duplicate_use")' "$T/out"
check_eq "$(summary_of "$T/out")" "$(oracle "$DEMO/register.csv" "$T/lent.csv" | cut -f1,2)" \
	"lent certificate: opcert agrees with the rules worked out independently"

finish
