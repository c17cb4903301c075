# t_badinput.sh - files that are wrong in every way: exit 2, a clear message
# naming the line, nothing on stdout, no crash, no half-written database,
# and promptly.
. "$OPCERT_SRC/tests/cli/lib.sh"

demo_setup
CLEAN=$DEMO/roster-clean.csv
REG=$DEMO/register.csv
NCERT=$(db_count "$DB" certificate)
check_eq "$NCERT" 300 "the demo database holds 300 certificates"

# Seconds one bad file may take, even under AddressSanitizer.
PROMPT=${OPCERT_TEST_PROMPT:-30}

# bad_roster DESCRIPTION FILE LINE MESSAGE-PART...
# verify-roster must refuse FILE: exit 2, stderr naming FILE (and LINE when
# not empty, as ":LINE:" or "第LINE行"), each MESSAGE-PART, nothing on stdout.
bad_roster() {
	_desc=$1 _file=$2 _line=$3
	shift 3
	_t0=$(date +%s)
	opcert verify-roster "$_file" --format jsonl --today "$TODAY" --db "$DB"
	_t1=$(date +%s)
	check_rc 2 "roster $_desc: exit 2"
	check_out_empty "roster $_desc: nothing on stdout"
	check_err_nonempty "roster $_desc: a message on stderr"
	check_err_has "$(basename "$_file")" "roster $_desc: the message names the file"
	if [ -n "$_line" ]; then
		if grep -q -e ":$_line:" -e "第${_line}行" "$T/err"; then
			pass
		else
			fail "roster $_desc: the message names line $_line" "stderr: $(head -c 400 "$T/err")"
		fi
	fi
	for _m in "$@"; do
		check_err_has "$_m" "roster $_desc: the message says $_m"
	done
	check "roster $_desc: finished within $PROMPT s (took $((_t1 - _t0)) s)" test $((_t1 - _t0)) -le "$PROMPT"
	# The same file in the other output formats: still nothing on stdout.
	for _f in table csv; do
		opcert verify-roster "$_file" --format "$_f" --today "$TODAY" --db "$DB"
		check_rc 2 "roster $_desc (--format $_f): exit 2"
		check_out_empty "roster $_desc (--format $_f): nothing on stdout"
	done
}

# bad_import DESCRIPTION FILE LINE MESSAGE-PART...: import must refuse FILE
# and leave the register as it was.
bad_import() {
	_desc=$1 _file=$2 _line=$3
	shift 3
	_t0=$(date +%s)
	opcert import "$_file" --update --db "$DB" --today "$TODAY"
	_t1=$(date +%s)
	check_rc 2 "import $_desc: exit 2"
	check_err_has "$(basename "$_file")" "import $_desc: the message names the file"
	if [ -n "$_line" ]; then
		if grep -q -e ":$_line:" -e "第${_line}行" "$T/err"; then
			pass
		else
			fail "import $_desc: the message names line $_line" "stderr: $(head -c 400 "$T/err")"
		fi
	fi
	for _m in "$@"; do
		check_err_has "$_m" "import $_desc: the message says $_m"
	done
	check_eq "$(db_count "$DB" certificate)" "$NCERT" "import $_desc: the register is unchanged"
	check_eq "$(db_count "$DB" certificate_change)" 0 "import $_desc: no change recorded"
	check "import $_desc: finished within $PROMPT s" test $((_t1 - _t0)) -le "$PROMPT"
}

strip "$CLEAN" >"$T/clean.csv"
strip "$REG" >"$T/reg.csv"
RHEAD=$(head -1 "$T/clean.csv")

# --- binary, empty, header only -------------------------------------------------------
head -c 4096 /bin/sh >"$T/binary.csv"
bad_roster "a binary file" "$T/binary.csv" ""
bad_import "a binary file" "$T/binary.csv" ""
(head -3 "$T/clean.csv"; head -c 2000 /bin/sh) >"$T/halfbinary.csv"
bad_roster "text followed by binary" "$T/halfbinary.csv" ""
printf '%s\n' "$RHEAD" >"$T/nul.csv"
sed -n 2p "$T/clean.csv" | tr 'a' 'a' | awk '{ printf "%s", $0 }' >>"$T/nul.csv"
printf '\000\000\000\n' >>"$T/nul.csv"
bad_roster "a row with NUL bytes" "$T/nul.csv" 2

: >"$T/empty.csv"
bad_roster "an empty file" "$T/empty.csv" ""
bad_import "an empty file" "$T/empty.csv" ""
printf '%s' "$BOM" >"$T/bomonly.csv"
bad_roster "a file with only a BOM" "$T/bomonly.csv" ""
printf '\n\n\r\n' >"$T/blank.csv"
bad_roster "a file of blank lines" "$T/blank.csv" ""
head -1 "$CLEAN" >"$T/headeronly.csv"
bad_roster "a file with only a header" "$T/headeronly.csv" ""
head -1 "$REG" >"$T/regheaderonly.csv"
bad_import "a register with only a header" "$T/regheaderonly.csv" ""

# --- missing columns and fields --------------------------------------------------------
sed '1s/身份证号码/证件号/' "$T/clean.csv" >"$T/noidcol.csv"
bad_roster "without a 身份证号码 column" "$T/noidcol.csv" "" "身份证号码"
sed '1s/姓名/名字/' "$T/clean.csv" >"$T/nonamecol.csv"
bad_roster "without a 姓名 column" "$T/nonamecol.csv" "" "姓名"
awk -F, -v OFS=, 'NR == 12 { $2 = "" } { print }' "$T/clean.csv" >"$T/noname.csv"
bad_roster "with an empty 姓名 on line 12" "$T/noname.csv" 12 "姓名"
awk -F, -v OFS=, 'NR == 7 { $2 = "   " } { print }' "$T/clean.csv" >"$T/blankname.csv"
bad_roster "with a 姓名 of spaces on line 7" "$T/blankname.csv" 7 "姓名"
awk -F, -v OFS=, 'NR == 9 { $4 = "" } { print }' "$T/clean.csv" >"$T/noid.csv"
bad_roster "with an empty 身份证号码 on line 9" "$T/noid.csv" 9 "身份证号码"

# --- Excel damage and impossible dates ---------------------------------------------------
awk -F, -v OFS=, 'NR == 15 { $4 = "5.20102E+17" } { print }' "$T/clean.csv" >"$T/excelid.csv"
bad_roster "with an ID turned into 5.20102E+17 on line 15" "$T/excelid.csv" 15 "身份证号码" "文本"
awk -F, -v OFS=, 'NR == 15 { $4 = "5.20102198303089E+17" } { print }' "$T/clean.csv" >"$T/excelid2.csv"
bad_roster "with an ID turned into 5.20102198303089E+17 on line 15" "$T/excelid2.csv" 15 "文本"
awk -F, -v OFS=, 'NR == 20 { $8 = "2027-02-30" } { print }' "$T/clean.csv" >"$T/baddate.csv"
bad_roster "with 有效期至 2027-02-30 on line 20" "$T/baddate.csv" 20 "有效期至"
awk -F, -v OFS=, 'NR == 21 { $8 = "2027年13月1日" } { print }' "$T/clean.csv" >"$T/baddate2.csv"
bad_roster "with 有效期至 2027年13月1日 on line 21" "$T/baddate2.csv" 21 "有效期至"
awk -F, -v OFS=, 'NR == 22 { $8 = "明年" } { print }' "$T/clean.csv" >"$T/baddate3.csv"
bad_roster "with 有效期至 明年 on line 22" "$T/baddate3.csv" 22 "有效期至"

# --- broken CSV ---------------------------------------------------------------------------
(head -4 "$T/clean.csv"; printf '4,"王五,男,520102198303089417,01,黔A012025000002,,,\n') >"$T/unterminated.csv"
bad_roster "truncated inside a quoted field" "$T/unterminated.csv" 5
(head -4 "$T/reg.csv"; printf '"黔A012025000999,王五,男\n') >"$T/regunterminated.csv"
bad_import "truncated inside a quoted field" "$T/regunterminated.csv" 5

# A 50 MB line after a valid header.
{
	printf '%s\n' "$RHEAD"
	head -c 52428800 /dev/zero | tr '\0' 'a'
	printf '\n'
} >"$T/longline.csv"
bad_roster "with a 50 MB line" "$T/longline.csv" 2
if grep -q -E '过长|太长|超长|too long' "$T/err"; then
	pass
else
	fail "a 50 MB line: the message says the line is too long" "stderr: $(head -c 400 "$T/err")"
fi
{
	head -1 "$T/reg.csv"
	head -c 52428800 /dev/zero | tr '\0' 'a'
	printf '\n'
} >"$T/reglongline.csv"
bad_import "with a 50 MB line" "$T/reglongline.csv" 2
if grep -q -E '过长|太长|超长|too long' "$T/err"; then
	pass
else
	fail "import of a 50 MB line: the message says the line is too long" "stderr: $(head -c 400 "$T/err")"
fi
rm -f "$T/longline.csv" "$T/reglongline.csv"
# A 50 MB quoted field spanning no newline at all (a file that never ends its row).
{
	printf '%s\n' "$RHEAD"
	printf '1,"'
	head -c 52428800 /dev/zero | tr '\0' 'b'
} >"$T/longquote.csv"
bad_roster "with a 50 MB unterminated quoted field" "$T/longquote.csv" 2
rm -f "$T/longquote.csv"

# --- encodings ---------------------------------------------------------------------------------
# \200 alone and \377 are neither UTF-8 nor GB18030 (checked with iconv).
check "a lone \\200 byte is not GB18030 (iconv agrees)" sh -c "! printf '\\200' | iconv -f GB18030 -t UTF-8 >/dev/null 2>&1"
check "a \\377 byte is not GB18030 (iconv agrees)" sh -c "! printf 'a\\377b' | iconv -f GB18030 -t UTF-8 >/dev/null 2>&1"
(head -3 "$T/clean.csv"; printf '3,\200\377\375,男,520102198303089417,01,黔A012025000002,,,,\n') >"$T/badenc.csv"
bad_roster "in an encoding neither UTF-8 nor GB18030" "$T/badenc.csv" 4
(head -3 "$T/clean.csv"; printf '3,abc\200,男,520102198303089417,01,黔A012025000002,,,,\n') >"$T/badenc2.csv"
bad_roster "with a lone \\200 byte" "$T/badenc2.csv" 4
(printf '%s' "$BOM"; head -3 "$T/clean.csv"; printf '3,\326\320\316\304,男,520102198303089417,01,黔A012025000002,,,,\n') >"$T/mixed.csv"
bad_roster "a UTF-8 BOM followed by GBK bytes" "$T/mixed.csv" 4
(head -3 "$T/reg.csv"; printf '黔A012025000999,\377\376\375,男\n') >"$T/regbadenc.csv"
bad_import "in an encoding neither UTF-8 nor GB18030" "$T/regbadenc.csv" 4

# --- the header not where it may be --------------------------------------------------------
{
	for i in 1 2 3 4 5 6 7 8 9 10 11; do printf '标题行%s,,,\n' "$i"; done
	cat "$T/clean.csv"
} >"$T/deepheader.csv"
bad_roster "with its header below line 10" "$T/deepheader.csv" ""

# --- not files -------------------------------------------------------------------------------------
mkdir "$T/adir.csv"
bad_roster "given a directory" "$T/adir.csv" ""
bad_import "given a directory" "$T/adir.csv" ""
bad_roster "given a missing file" "$T/missing.csv" ""
bad_import "given a missing file" "$T/missing.csv" ""

# --- truncated files: cut anywhere, never a crash, never output with exit 2 -----------------------
size=$(wc -c <"$DEMO/roster-violations.csv")
for cut in 1 2 3 50 100 333 1000 1501 2222 $((size - 7)) $((size - 1)); do
	head -c "$cut" "$DEMO/roster-violations.csv" >"$T/trunc.csv"
	opcert verify-roster "$T/trunc.csv" --format jsonl --today "$TODAY" --db "$DB"
	case $RC in
	0 | 1)
		check "truncated at $cut bytes: exit $RC with rows on stdout" test -s "$T/out"
		check "truncated at $cut bytes: every line is JSON" jq -e . "$T/out"
		;;
	2)
		check_out_empty "truncated at $cut bytes: exit 2 and nothing on stdout"
		check_err_nonempty "truncated at $cut bytes: exit 2 with a message"
		;;
	*) fail "truncated at $cut bytes: exit $RC (expected 0, 1 or 2)" ;;
	esac
	head -c "$cut" "$REG" >"$T/trunc.csv"
	before=$(db_count "$DB" certificate)
	opcert init --db "$T/trunc.db" >/dev/null
	opcert import "$T/trunc.csv" --db "$T/trunc.db" --today "$TODAY"
	case $RC in
	0 | 2) pass ;;
	*) fail "register truncated at $cut bytes: import exits $RC (expected 0 or 2)" ;;
	esac
	if [ "$RC" -eq 2 ]; then
		check_eq "$(db_count "$T/trunc.db" certificate)" 0 "register truncated at $cut bytes: refused, nothing imported"
	fi
	rm -f "$T/trunc.db" "$T/trunc.db-wal" "$T/trunc.db-shm"
done
# A UTF-16 file cut at an odd byte: half a character at the end of line 3.
(printf '\377\376'; head -3 "$T/clean.csv" | iconv -f UTF-8 -t UTF-16LE) >"$T/u16full.csv"
u16size=$(wc -c <"$T/u16full.csv")
head -c $((u16size - 1)) "$T/u16full.csv" >"$T/u16odd.csv"
bad_roster "in UTF-16 cut at an odd byte" "$T/u16odd.csv" 3
head -c $((u16size - 41)) "$T/u16full.csv" >"$T/u16odd2.csv"
bad_roster "in UTF-16 cut at an odd byte inside a row" "$T/u16odd2.csv" 3

# The database survived all of it.
check_eq "$(db_count "$DB" certificate)" "$NCERT" "after every bad file the register still holds $NCERT certificates"
opcert verify-roster "$CLEAN" --format jsonl --today "$TODAY" --db "$DB"
check_rc 0 "after every bad file the clean roster still verifies"

finish
