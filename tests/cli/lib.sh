# lib.sh - shared helpers of the command-line tests (sourced, POSIX sh).
#
# Environment (set by ctest): OPCERT = the binary, OPCERT_SRC = the source
# tree, OPCERT_TMP = a scratch directory under the build directory.
#
# Each script gets a fresh directory $T under $OPCERT_TMP and runs inside it.
# `run CMD...` runs a command with its stdout in $T/out, stderr in $T/err and
# exit status in $RC; the check_* helpers count passes and failures and print
# what failed; `finish` prints "N passed, M failed" and sets the exit status.

set -u

: "${OPCERT:?OPCERT must name the opcert binary}"
: "${OPCERT_SRC:?OPCERT_SRC must name the source directory}"
: "${OPCERT_TMP:=${TMPDIR:-/tmp}/opcert-clitmp}"

case $OPCERT in
/*) ;;
*) OPCERT=$(pwd)/$OPCERT ;;
esac

TODAY=2026-06-30
BOM=$(printf '\357\273\277')
# Seconds any single command may take before it counts as hanging (generous:
# the suite also runs under AddressSanitizer).
LIMIT=${OPCERT_TEST_LIMIT:-120}

mkdir -p "$OPCERT_TMP" || exit 2
T=$(mktemp -d "$OPCERT_TMP/$(basename "$0" .sh).XXXXXX") || exit 2
cd "$T" || exit 2
# The database path must come from the tests, never from the caller's shell.
unset OPCERT_DB

PASS=0
FAIL=0
RC=0
LAST_CMD=

if command -v timeout >/dev/null 2>&1; then
	TIMEOUT="timeout $LIMIT"
else
	TIMEOUT=
fi

# Quote the arguments for showing a command to a human.
show_cmd() {
	_s=
	for _a in "$@"; do
		case $_a in
		*[!A-Za-z0-9_./:=+-]* | '') _s="$_s '$_a'" ;;
		*) _s="$_s $_a" ;;
		esac
	done
	printf '%s' "${_s# }"
}

pass() {
	PASS=$((PASS + 1))
}

# fail DESCRIPTION [DETAIL...]
fail() {
	FAIL=$((FAIL + 1))
	printf 'FAIL: %s\n' "$1"
	shift
	if [ -n "$LAST_CMD" ]; then
		printf '  command: %s\n' "$LAST_CMD"
	fi
	for _d in "$@"; do
		printf '  %s\n' "$_d"
	done
}

# run CMD [ARGS...]: stdout -> $T/out, stderr -> $T/err, status -> $RC.
# A sanitizer report, a signal or a timeout is always a failure.
run() {
	LAST_CMD=$(show_cmd "$@")
	$TIMEOUT "$@" >"$T/out" 2>"$T/err"
	RC=$?
	if [ -n "$TIMEOUT" ] && [ "$RC" -eq 124 ]; then
		fail "command did not finish within $LIMIT s"
	elif [ "$RC" -gt 128 ]; then
		fail "command was killed by signal $((RC - 128))" "stderr: $(head -c 600 "$T/err")"
	fi
	if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/err"; then
		fail "sanitizer report" "$(head -c 1500 "$T/err")"
	fi
}

# opcert ARGS...: run the binary under test.
opcert() {
	run "$OPCERT" "$@"
}

# stdin_run FILE CMD...: like run, with stdin from FILE.
stdin_run() {
	_in=$1
	shift
	LAST_CMD="$(show_cmd "$@") < $_in"
	$TIMEOUT "$@" <"$_in" >"$T/out" 2>"$T/err"
	RC=$?
}

# check_rc EXPECTED DESCRIPTION
check_rc() {
	if [ "$RC" -eq "$1" ]; then
		pass
	else
		fail "$2" "expected exit status $1, got $RC" \
			"stdout: $(head -c 400 "$T/out")" "stderr: $(head -c 400 "$T/err")"
	fi
}

# check_out_has STRING DESCRIPTION (fixed string in stdout)
check_out_has() {
	if grep -q -F -e "$1" "$T/out"; then
		pass
	else
		fail "$2" "expected stdout to contain: $1" "stdout: $(head -c 400 "$T/out")"
	fi
}

check_out_lacks() {
	if grep -q -F -e "$1" "$T/out"; then
		fail "$2" "expected stdout not to contain: $1" "stdout: $(head -c 400 "$T/out")"
	else
		pass
	fi
}

# check_err_has STRING DESCRIPTION (fixed string in stderr)
check_err_has() {
	if grep -q -F -e "$1" "$T/err"; then
		pass
	else
		fail "$2" "expected stderr to contain: $1" "stderr: $(head -c 400 "$T/err")"
	fi
}

check_out_empty() {
	if [ -s "$T/out" ]; then
		fail "$1" "expected nothing on stdout" "stdout: $(head -c 400 "$T/out")"
	else
		pass
	fi
}

check_err_nonempty() {
	if [ -s "$T/err" ]; then
		pass
	else
		fail "$1" "expected a message on stderr, got none"
	fi
}

# check_eq ACTUAL EXPECTED DESCRIPTION
check_eq() {
	if [ "$1" = "$2" ]; then
		pass
	else
		fail "$3" "expected: $2" "actual:   $1"
	fi
}

# check_ne ACTUAL UNEXPECTED DESCRIPTION
check_ne() {
	if [ "$1" != "$2" ]; then
		pass
	else
		fail "$3" "expected anything but: $2"
	fi
}

# check DESCRIPTION CMD [ARGS...]: passes when the command succeeds.
check() {
	_desc=$1
	shift
	if "$@" >/dev/null; then
		pass
	else
		fail "$_desc" "assertion failed: $(show_cmd "$@")"
	fi
}

# check_files_same A B DESCRIPTION
check_files_same() {
	if cmp -s "$1" "$2"; then
		pass
	else
		fail "$3" "files differ: $1 $2" "$(cmp "$1" "$2" 2>&1 | head -1)"
	fi
}

# Stop the script at once (a setup step failed: the rest would be noise).
die() {
	fail "$1"
	finish
}

finish() {
	printf '%d passed, %d failed\n' "$PASS" "$FAIL"
	if [ "$FAIL" -gt 0 ]; then
		exit 1
	fi
	exit 0
}

# ---------------------------------------------------------------------------
# Data helpers

# The demo data every script starts from: $T/demo/*.csv and the database
# $T/demo.db holding the register.  Arguments are passed on to opcert demo.
DB=$T/demo.db
DEMO=$T/demo
demo_setup() {
	opcert demo --certificates 300 --roster 40 --today "$TODAY" --out "$DEMO" --db "$DB" \
		--import "$@"
	if [ "$RC" -ne 0 ] || [ ! -s "$DEMO/register.csv" ] || [ ! -s "$DEMO/roster-violations.csv" ]; then
		die "opcert demo --import failed (exit $RC): $(head -c 300 "$T/err")"
	fi
}

# strip FILE: the file without its UTF-8 BOM and CRs (plain LF UTF-8).
strip() {
	sed "1s/^$BOM//" "$1" | tr -d '\r'
}

# db_count DBFILE SQL-TABLE: rows in a table, read with the sqlite3 shell.
db_count() {
	sqlite3 "$1" "select count(*) from $2" 2>/dev/null || echo "?"
}

# id_check_char FIRST17: the GB 11643 check character, computed here
# independently of the program.
id_check_char() {
	printf '%s\n' "$1" | awk '{
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		s = 0
		for (i = 1; i <= 17; i++) s += substr($0, i, 1) * w[i]
		print substr("10X98765432", s % 11 + 1, 1)
	}'
}

# id_valid ID: 0 when the ID passes the checksum (case-insensitive x).
id_valid() {
	_id=$(printf '%s' "$1" | tr x X)
	case $_id in
	[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9X]) ;;
	*) return 1 ;;
	esac
	[ "$(id_check_char "$_id")" = "$(printf '%s' "$_id" | cut -c18)" ]
}

# reg_valid_rows [DIR]: register.csv rows (plain text, no header) of certificates
# that are valid on $TODAY by the rules themselves: status 有效, in date,
# review (when any) not overdue.
reg_valid_rows() {
	strip "${1:-$DEMO}/register.csv" | awk -F, -v today="$TODAY" 'NR > 1 &&
		($10 == "有效" || $10 == "" || $10 == "valid") && $8 >= today &&
		($9 == "" || $9 >= today)'
}

# JSON field of every line of a jsonl file, one per line.
jl() {
	jq -r "$1" "$2"
}

# trade_name CODE: the trade's name, from DOMAIN.md section 2 (construction
# codes 01-11) and the emergency-management catalogue (作业类别.操作项目).
trade_name() {
	awk -v c="$1" '$1 "" == c "" { print $2 }' <<'TRADES'
01 建筑电工
02 建筑架子工（普通脚手架）
03 建筑架子工（附着升降脚手架）
04 建筑起重信号司索工
05 建筑起重机械司机（塔式起重机）
06 建筑起重机械司机（施工升降机）
07 建筑起重机械司机（物料提升机）
08 建筑起重机械安装拆卸工（塔式起重机）
09 建筑起重机械安装拆卸工（施工升降机）
10 建筑起重机械安装拆卸工（物料提升机）
11 高处作业吊篮安装拆卸工
1.1 高压电工作业
1.2 低压电工作业
1.3 防爆电气作业
2.1 熔化焊接与热切割作业
2.2 压力焊作业
2.3 钎焊作业
3.1 登高架设作业
3.2 高处安装、维护、拆除作业
TRADES
}
