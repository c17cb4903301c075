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
	_cdesc=$1
	shift
	if "$@" >/dev/null; then
		pass
	else
		fail "$_cdesc" "assertion failed: $(show_cmd "$@")"
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

# finish: the one summary line; the scratch directory is kept only when
# something failed (to look at), and the status is non-zero then.
finish() {
	printf '%d passed, %d failed\n' "$PASS" "$FAIL"
	if [ "$FAIL" -gt 0 ]; then
		echo "(files kept in $T)" >&2
		exit 1
	fi
	cd / && rm -rf "$T"
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

# field N LINE: the Nth comma-separated field of a CSV line.
field() {
	printf '%s\n' "$2" | cut -d, -f"$1"
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
	trade_table | awk -F, -v c="$1" '$1 "" == c "" { print $2 }'
}

# trade_table: "CODE,NAME" lines.
trade_table() {
	tr ' ' , <<'TRADES'
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

# oracle REGISTER ROSTER: the verdict of every roster row worked out here,
# from register.csv and the rules of DOMAIN.md and the core issue, without
# the program: one line "ROW<TAB>VERDICT[:FIELD,...]<TAB>FINDING,..." per
# data row.  Both files are plain UTF-8 CSV with no quoted field before the
# last column (as opcert demo writes them); BOM and CR are dropped here.
# Dates compare as ISO text.  An issuer written 住建局 stands for
# 住房和城乡建设局 (the demo rosters use both).
oracle() {
	{
		trade_table | sed 's/^/N,/'
		strip "$1" | sed 's/^/R,/'
		strip "$2" | sed 's/^/S,/'
	} | LC_ALL=C awk -F, -v today="$TODAY" '
	function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
	function iso(s,   a, n) {
		s = trim(s)
		if (s == "") return ""
		gsub(/年|月|\/|\./, "-", s); sub(/日$/, "", s)
		n = split(s, a, "-")
		if (n != 3) return "bad:" s
		return sprintf("%04d-%02d-%02d", a[1], a[2], a[3])
	}
	function gender(s) {
		s = trim(s)
		if (s == "男" || s == "男性" || s == "M" || s == "m") return 1
		if (s == "女" || s == "女性" || s == "F" || s == "f") return 2
		return 0
	}
	function issuer(s) { s = trim(s); sub(/住房和城乡建设局$/, "住建局", s); return s }
	function leap(y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
	function id_ok(id,   w, s, i, y, m, d, mdays, p) {
		if (length(id) != 18 || substr(id, 1, 17) !~ /^[0-9]+$/ || substr(id, 18) !~ /^[0-9X]$/)
			return 0
		p = substr(id, 1, 2) + 0
		if (!((p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
		      (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
		      p == 71 || p == 81 || p == 82)) return 0
		y = substr(id, 7, 4) + 0; m = substr(id, 11, 2) + 0; d = substr(id, 13, 2) + 0
		split("31 28 31 30 31 30 31 31 30 31 30 31", mdays, " ")
		if (m < 1 || m > 12 || d < 1) return 0
		if (d > mdays[m] + (m == 2 && leap(y))) return 0
		if (sprintf("%04d-%02d-%02d", y, m, d) > today) return 0
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		s = 0
		for (i = 1; i <= 17; i++) s += substr(id, i, 1) * w[i]
		return substr("10X98765432", s % 11 + 1, 1) == substr(id, 18, 1)
	}
	function tcode(s) {
		s = trim(s)
		if (s in byname) return byname[s]
		if (s ~ /^[0-9]$/) return "0" s
		return s
	}
	$1 == "N" { byname[$3] = $2; next }
	$1 == "R" {
		if (++rn == 1) next
		n = $2; rname[n] = $3; rgender[n] = gender($4); rid[n] = toupper($5)
		rtrade[n] = tcode($6); rissuer[n] = issuer($7); runtil[n] = $9
		rreview[n] = $10; rstatus[n] = $11
		if (n !~ /^T/) prefix[substr(n, 1, 4)] = 1
		next
	}
	$1 == "S" {
		if (++sn == 1) {
			for (i = 2; i <= NF; i++) {
				h = trim($i)
				if (h == "姓名") cN = i
				else if (h == "性别") cG = i
				else if (h == "身份证号码") cI = i
				else if (h == "工种" || h == "岗位" || h == "特种作业岗位/工种") cT = i
				else if (h == "证书编号") cC = i
				else if (h == "发证机关") cS = i
				else if (h == "有效期至") cU = i
			}
			next
		}
		k = sn - 1
		name[k] = trim($cN); g[k] = cG ? gender($cG) : 0
		id[k] = toupper(trim($cI)); num[k] = cC ? trim($cC) : ""
		tr[k] = cT ? tcode($cT) : ""; is[k] = cS ? issuer($cS) : ""
		un[k] = cU ? iso($cU) : ""
		if (num[k] == "无") num[k] = ""
		if (num[k] != "") {
			if (!(num[k] in who)) who[num[k]] = name[k] "|" id[k]
			else if (who[num[k]] != name[k] "|" id[k]) shared[num[k]] = 1
		}
		nrows = k
		next
	}
	END {
		np = split("unofficial_link forged tampered uncertified mismatch duplicate_use revoked suspended expired review_overdue invalid_id invalid_number not_found external status_unknown", prec, " ")
		for (k = 1; k <= nrows; k++) {
			delete f
			fl = ""
			n = num[k]
			if (n == "") { f["uncertified"] = 1 }
			else {
				if (!id_ok(id[k]) || (g[k] && g[k] != (substr(id[k], 17, 1) % 2 ? 1 : 2)))
					f["invalid_id"] = 1
				cons = (length(n) == 16 && n ~ /^[\200-\377][\200-\377][\200-\377][A-Z]/ &&
					substr(n, 5) ~ /^[0-9]+$/)
				em = (length(n) == 19 && n ~ /^T/ && id_ok(substr(n, 2)))
				if (!cons && !em) f["invalid_number"] = 1
				else {
					mid = 0
					if (em && id[k] != "" && substr(n, 2) != id[k]) { f["mismatch"] = 1; mid = 1 }
					if (n in rname) {
						if (name[k] != rname[n]) fl = fl ",name"
						if (mid || id[k] != rid[n]) fl = fl ",id_number"
						if (g[k] && g[k] != rgender[n]) fl = fl ",gender"
						if (tr[k] != "" && tr[k] != rtrade[n]) fl = fl ",trade"
						if (un[k] != "" && un[k] != runtil[n]) fl = fl ",valid_until"
						if (is[k] != "" && is[k] != rissuer[n]) fl = fl ",issuer"
						if (fl != "") f["mismatch"] = 1
						if (rstatus[n] == "注销") f["revoked"] = 1
						if (rstatus[n] == "暂扣") f["suspended"] = 1
						if (runtil[n] < today) f["expired"] = 1
						else if (rreview[n] != "" && rreview[n] < today) f["review_overdue"] = 1
					} else {
						if (mid) fl = ",id_number"
						if (cons && (substr(n, 1, 4) in prefix)) f["not_found"] = 1
						else f["external"] = 1
					}
				}
				if (n in shared) f["duplicate_use"] = 1
			}
			v = "valid"; all = ""
			for (i = 1; i <= np; i++)
				if (prec[i] in f) {
					if (v == "valid") v = prec[i]
					all = all (all == "" ? "" : ",") prec[i]
				}
			if (v == "mismatch") v = v ":" substr(fl, 2)
			printf "%d\t%s\t%s\n", k, v, all
		}
	}'
}
