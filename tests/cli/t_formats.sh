# t_formats.sh - rosters as Excel on Chinese Windows writes them: encodings,
# line ends, separators, column order, title rows, totals, date and gender
# spellings.  Each variant must give the same verdicts as the original.
. "$OPCERT_SRC/tests/cli/lib.sh"

demo_setup
VIOL=$DEMO/roster-violations.csv
CLEAN=$DEMO/roster-clean.csv

vr() {
	opcert verify-roster "$1" --format jsonl --today "$TODAY" --db "$DB"
}

vr "$VIOL"
check_rc 1 "the original violations roster exits 1"
cp "$T/out" "$T/ref.jsonl"
check "the original gives jsonl lines" test -s "$T/ref.jsonl"
vr "$CLEAN"
check_rc 0 "the original clean roster exits 0"
cp "$T/out" "$T/refclean.jsonl"

# same_as_ref DESCRIPTION FILE [REF] [EXIT]: FILE gives the reference jsonl.
same_as_ref() {
	vr "$2"
	check_rc "${4:-1}" "$1: exit status"
	check_files_same "$T/out" "${3:-$T/ref.jsonl}" "$1: identical jsonl verdicts"
	check_eq "$(head -c 300 "$T/err")" "" "$1: nothing on stderr"
}

strip "$VIOL" >"$T/plain.csv"
check_ne "$(wc -c <"$T/plain.csv")" 0 "stripped copy is not empty"

# Encodings.
iconv -f UTF-8 -t GB18030 "$T/plain.csv" >"$T/gbk.csv" || fail "iconv to GB18030"
check_eq "$(cmp -s "$T/gbk.csv" "$T/plain.csv"; echo $?)" 1 "the GB18030 copy is different bytes"
check_eq "$(LC_ALL=C grep -c "$BOM" "$T/gbk.csv")" 0 "the GB18030 copy has no BOM"
same_as_ref "GB18030 with LF" "$T/gbk.csv"
sed 's/$/\r/' "$T/plain.csv" | iconv -f UTF-8 -t GBK >"$T/gbk-crlf.csv" || fail "iconv to GBK"
same_as_ref "GBK with CRLF" "$T/gbk-crlf.csv"
same_as_ref "UTF-8 with LF, no BOM" "$T/plain.csv"
sed "1s/^$BOM//" "$VIOL" >"$T/nobom-crlf.csv"
same_as_ref "UTF-8 with CRLF, no BOM" "$T/nobom-crlf.csv"
(printf '%s' "$BOM"; cat "$T/plain.csv") >"$T/bom-lf.csv"
same_as_ref "UTF-8 with BOM and LF" "$T/bom-lf.csv"
(printf '\377\376'; sed 's/$/\r/' "$T/plain.csv" | iconv -f UTF-8 -t UTF-16LE) >"$T/u16.csv"
same_as_ref "UTF-16LE with BOM (Excel's Unicode text)" "$T/u16.csv"

# Separators and quoting.
tr ',' '\t' <"$T/plain.csv" >"$T/tab.csv"
same_as_ref "tab-separated" "$T/tab.csv"
cut -d, -f1-10 "$T/plain.csv" | awk -F, -v OFS=, '{
	for (i = 1; i <= NF; i++) { gsub(/"/, "\"\"", $i); $i = "\"" $i "\"" } print }' >"$T/quoted.csv"
same_as_ref "every field quoted" "$T/quoted.csv"
cut -d, -f1-10 "$T/plain.csv" | awk -F, -v OFS=, '{ $2 = "\"" $2 "\""; $9 = "\"" $9 "，一标段\""; print }' \
	>"$T/quoted2.csv"
vr "$T/quoted2.csv"
check_rc 1 "a quoted project name with a comma: exit 1"
check_eq "$(jq -r .verdict "$T/out" | tr '\n' ' ')" "$(jq -r .verdict "$T/ref.jsonl" | tr '\n' ' ')" \
	"a quoted project name with a comma: same verdicts"
awk -F, -v OFS=, 'NR == 1 { print; next } { $9 = "\"" $9 ",二标段\""; print }' "$T/plain.csv" | cut -d, -f1-11 \
	>"$T/commaproj.csv"
vr "$T/commaproj.csv"
check_eq "$(jq -r .verdict "$T/out" | tr '\n' ' ')" "$(jq -r .verdict "$T/ref.jsonl" | tr '\n' ' ')" \
	"a comma inside a quoted field does not shift the columns"

# Column order, unknown columns, header spellings.
cut -d, -f1-10 "$T/plain.csv" | awk -F, -v OFS=, '{ print $6, $10, $4, $2, $8, $1, $3, $7, $5, $9 }' >"$T/perm.csv"
check_eq "$(head -1 "$T/perm.csv" | cut -d, -f1)" 证书编号 "the permuted copy starts with 证书编号"
same_as_ref "columns in another order" "$T/perm.csv"
cut -d, -f1-10 "$T/plain.csv" | awk -F, -v OFS=, '{ print $5, $3, $2, $4, $6, $1, $7, $8, $9, $10 }' >"$T/perm2.csv"
same_as_ref "columns in a second order" "$T/perm2.csv"
awk -F, -v OFS=, 'NR == 1 { print "联系电话", $0, "进场日期", "安全教育"; next }
	{ print "1380000" NR, $0, "2026-05-0" (NR % 9 + 1), "是" }' "$T/plain.csv" >"$T/extra.csv"
same_as_ref "extra unknown columns" "$T/extra.csv"
sed '1s|特种作业岗位/工种|工种|' "$T/plain.csv" >"$T/h-trade.csv"
same_as_ref "header 工种" "$T/h-trade.csv"
sed '1s|特种作业岗位/工种|岗位|' "$T/plain.csv" >"$T/h-post.csv"
same_as_ref "header 岗位" "$T/h-post.csv"
sed '1s/,/ , /g; 1s/^/ /' "$T/plain.csv" >"$T/h-space.csv"
same_as_ref "spaces around the header names" "$T/h-space.csv"

# Title rows above the header, totals and notes below.
{
	printf '%s\r\n' "施工单位特种作业人员持证情况自查登记表"
	printf '%s\r\n' "填报单位（盖章）：某公司,,,"
	sed 's/$/\r/' "$T/plain.csv"
	printf '%s\r\n' "合计,,,,,,,,,,"
} >"$T/preamble.csv"
same_as_ref "two title rows above the header and a 合计 row" "$T/preamble.csv"
{
	printf '%s' "$BOM"
	printf '%s\r\n' "施工单位特种作业人员持证情况自查登记表,,,,,,,,,,"
	printf '%s\r\n' "填报单位（盖章）：某公司,,统一社会信用代码：91350100M000100Y43,,,,,,,,"
	printf '%s\r\n' "项目名称：示例花园一期项目,,填报日期：2026年6月30日,,,,,,,,"
	sed 's/$/\r/' "$T/plain.csv"
	printf '%s\r\n' "合计,29人,,,,,,,,,"
	printf '%s\r\n' "填表说明：证书编号为空表示无证上岗,,,,,,,,,,"
} >"$T/preamble2.csv"
same_as_ref "three title rows, 合计 and 填表说明 rows" "$T/preamble2.csv"
{ cat "$T/preamble.csv"; } | iconv -f UTF-8 -t GB18030 >"$T/preamble-gbk.csv"
same_as_ref "title rows and 合计, in GB18030" "$T/preamble-gbk.csv"
(cat "$T/plain.csv"; printf ',,,,,,,,,,\n\n') >"$T/blanks.csv"
same_as_ref "empty rows at the end" "$T/blanks.csv"

# The clean roster, in the same variants that matter most.
strip "$CLEAN" | iconv -f UTF-8 -t GB18030 >"$T/cgbk.csv"
same_as_ref "clean roster in GB18030" "$T/cgbk.csv" "$T/refclean.jsonl" 0
strip "$CLEAN" | awk -F, -v OFS=, '{ print $10, $9, $8, $7, $6, $5, $4, $3, $2, $1 }' >"$T/crev.csv"
same_as_ref "clean roster with its columns reversed" "$T/crev.csv" "$T/refclean.jsonl" 0

# --- a small roster written by hand: each accepted spelling ----------------------------------
# Valid construction certificates of trades 01-09 (so "1" can stand for "01")
# and one whose ID ends in X.
reg_valid_rows | awk -F, '$1 !~ /^T/ && $5 ~ /^0[1-9]$/' >"$T/cand"
reg_valid_rows | awk -F, '$4 ~ /X$/' | head -1 >"$T/xrow"
[ "$(wc -l <"$T/cand")" -ge 8 ] || die "not enough valid construction certificates for the hand roster"
[ -s "$T/xrow" ] || die "no valid certificate whose ID ends in X"
r() { sed -n "$1p" "$T/cand" | cut -d, -f"$2"; }
# ymd DATE SEP: 2027-03-05 -> 2027/3/5 (SEP /), 2027.3.5 (.), 2027年3月5日 (年).
ymd() {
	printf '%s\n' "$1" | awk -F- -v s="$2" '{
		y = $1; m = $2 + 0; d = $3 + 0
		if (s == "年") printf "%d年%d月%d日\n", y, m, d; else printf "%d%s%d%s%d\n", y, s, m, s, d }'
}
# long gender words: 男 -> 男性, and M/F
gl() { case $1 in 男) echo 男性 ;; *) echo 女性 ;; esac; }
gm() { case $1 in 男) echo M ;; *) echo F ;; esac; }
# off DATE: the day after (day below 28 assumed false; use the day before when 28+)
off() {
	printf '%s\n' "$1" | awk -F- '{ d = $3 + 0; d = (d < 28) ? d + 1 : d - 1; printf "%s-%s-%02d\n", $1, $2, d }'
}
xr() { cut -d, -f"$1" "$T/xrow"; }

H=序号,姓名,性别,身份证号码,工种,证书编号,有效期至
{
	echo "$H"
	echo "1,$(xr 2),$(xr 3),$(xr 4 | tr X x),$(xr 5),$(xr 1),$(xr 8)"
	echo "2,$(r 1 2),$(r 1 3),$(r 1 4),$(r 1 5),$(r 1 1),$(ymd "$(r 1 8)" /)"
	echo "3,$(r 2 2),$(r 2 3),$(r 2 4),$(r 2 5),$(r 2 1),$(ymd "$(r 2 8)" .)"
	echo "4,$(r 3 2),$(r 3 3),$(r 3 4),$(r 3 5),$(r 3 1),$(ymd "$(r 3 8)" 年)"
	echo "5,$(r 4 2),$(gl "$(r 4 3)"),$(r 4 4),$(r 4 5),$(r 4 1),$(r 4 8)"
	echo "6,$(r 5 2),$(gm "$(r 5 3)"),$(r 5 4),$(r 5 5),$(r 5 1),"
	echo "7,$(r 6 2),$(r 6 3),$(r 6 4),$(r 6 5 | sed 's/^0//'),$(r 6 1),"
	echo "8,$(r 7 2),,$(r 7 4),$(trade_name "$(r 7 5)"),$(r 7 1),"
	echo "9, $(r 8 2) , $(r 8 3) , $(r 8 4) , $(r 8 5) , $(r 8 1) , $(r 8 8) "
} >"$T/hand.csv"
vr "$T/hand.csv"
check_rc 0 "hand-made roster of accepted spellings: exit 0"
for i in 1 2 3 4 5 6 7 8 9; do
	what=$(sed -n "$((i + 1))p" "$T/hand.csv")
	check_eq "$(jq -r --argjson r "$i" 'select(.row == $r) | .verdict' "$T/out")" valid "hand roster row $i is valid: $what"
done
check_eq "$(oracle "$DEMO/register.csv" "$T/hand.csv" | cut -f2 | sort -u)" valid \
	"the hand roster is valid by the rules worked out independently"
# In GB18030 with CRLF too.
sed 's/$/\r/' "$T/hand.csv" | iconv -f UTF-8 -t GB18030 >"$T/hand-gbk.csv"
vr "$T/hand-gbk.csv"
check_rc 0 "hand-made roster in GB18030: exit 0"

# Controls: the same spellings carrying a wrong value are caught, so the
# values above were read, not skipped.
{
	echo "$H"
	echo "1,$(r 1 2),$(r 1 3),$(r 1 4),$(r 1 5),$(r 1 1),$(ymd "$(off "$(r 1 8)")" /)"
	echo "2,$(r 2 2),$(r 2 3),$(r 2 4),$(r 2 5),$(r 2 1),$(ymd "$(off "$(r 2 8)")" .)"
	echo "3,$(r 3 2),$(r 3 3),$(r 3 4),$(r 3 5),$(r 3 1),$(ymd "$(off "$(r 3 8)")" 年)"
	if [ "$(r 4 3)" = 男 ]; then g=女性; else g=男性; fi
	echo "4,$(r 4 2),$g,$(r 4 4),$(r 4 5),$(r 4 1),"
	if [ "$(r 5 3)" = 男 ]; then g=F; else g=M; fi
	echo "5,$(r 5 2),$g,$(r 5 4),$(r 5 5),$(r 5 1),"
	t=$(r 6 5 | sed 's/^0//')
	echo "6,$(r 6 2),$(r 6 3),$(r 6 4),$((t % 9 + 1)),$(r 6 1),"
	echo "7,$(xr 2),$(xr 3),$(xr 4 | cut -c1-17)$(case $(xr 4 | cut -c18) in [Xx]) echo 0 ;; esac),$(xr 5),$(xr 1),"
} >"$T/hand-bad.csv"
vr "$T/hand-bad.csv"
check_rc 1 "hand-made roster with wrong values: exit 1"
jq -r '[.row, (.verdict + (if .verdict == "mismatch" then ":" + (.mismatched_fields | join(",")) else "" end))] | @tsv' \
	"$T/out" >"$T/hb.tsv"
check_eq "$(cut -f2 "$T/hb.tsv" | tr '\n' ' ')" \
	"mismatch:valid_until mismatch:valid_until mismatch:valid_until mismatch:gender mismatch:gender mismatch:trade mismatch:id_number " \
	"a wrong date in each spelling, a wrong 女性/F, a wrong trade 1-9, a wrong check character: each a mismatch on that field"
check_eq "$(jq -r '.findings | sort | join(",")' "$T/out" | tr '\n' ' ')" \
	"mismatch mismatch mismatch invalid_id,mismatch invalid_id,mismatch mismatch invalid_id,mismatch " \
	"a gender disagreeing with the ID and a bad check character are also invalid_id findings"
check_eq "$(oracle "$DEMO/register.csv" "$T/hand-bad.csv" | cut -f1,2)" "$(cat "$T/hb.tsv")" \
	"the wrong-value roster: opcert agrees with the rules worked out independently"

finish
