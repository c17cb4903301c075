#!/bin/sh
# bench/http-same.sh OLD NEW - do two builds of `opcert serve` give the same
# answers on the public verify route?  (Not part of `make test`: a check to
# run when the route is changed for speed.)
#
# Both serve the register bench/run.sh builds (bench/out/opcert.db).  The
# same requests go to each: register rows with their own name, a wrong
# name, the number written in lower case or with spaces, emergency (T)
# numbers, numbers the register does not hold (a held prefix, another
# prefix, a T number), malformed numbers (some with quotes, backslashes,
# slashes and other characters an answer may echo), missing, empty,
# too long, non-UTF-8 and control-character arguments, repeated and too
# many arguments, HEAD and POST; then, on a second pair started with the
# default rate limit, a burst past it (429 and Retry-After).  Every
# response's status line, headers (except Date) and body must be
# byte-identical.  Exit 0 when they are, 1 (with the first differences)
# when not.
set -eu
cd "$(dirname "$0")/.."
OLD=${1:?usage: bench/http-same.sh OLD-BINARY NEW-BINARY}
NEW=${2:?usage: bench/http-same.sh OLD-BINARY NEW-BINARY}
OUT=${BENCH_OUT:-bench/out}
DB=$OUT/opcert.db
ROWS=${SAME_ROWS:-200}
TODAY=2026-06-30
[ -s "$DB" ] && [ -s "$OUT/register.csv" ] || { echo "http-same: run bench/run.sh first (it builds $DB)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/opcert-same.XXXXXX")
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# start NAME BINARY [ARGS...]: the server's port in $TMP/NAME.port
start() {
	name=$1
	bin=$2
	shift 2
	"$bin" serve --db "$DB" --listen 127.0.0.1:0 --today "$TODAY" "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.log" &
	PIDS="$PIDS $!"
	i=0
	while [ $i -lt 100 ] && ! grep -q '已启动' "$TMP/$name.out"; do sleep 0.1; i=$((i + 1)); done
	sed -n 's|.*://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$TMP/$name.out" >"$TMP/$name.port"
	[ -s "$TMP/$name.port" ] || { echo "http-same: $bin did not start:" >&2; cat "$TMP/$name.log" >&2; exit 1; }
}

# The request targets (already percent-encoded), one a line: "METHOD TARGET".
enc() { od -An -tx1 -v | tr -d ' \n' | sed 's/\(..\)/%\1/g'; }
{
	awk -F, -v n="$ROWS" 'NR == 1 { next } { total++; line[total] = $1 "," $2 "," $4 }
		END { step = int(total / n); if (step < 1) step = 1
		      for (i = 1; i <= total; i += step) print line[i] }' "$OUT/register.csv"
	# rows of every status and of both systems, wherever they are
	grep -m 20 ',暂扣,' "$OUT/register.csv" | cut -d, -f1,2,4
	grep -m 20 ',注销,' "$OUT/register.csv" | cut -d, -f1,2,4
	grep -m 20 '^T' "$OUT/register.csv" | cut -d, -f1,2,4
} | sed "1s/^\xEF\xBB\xBF//" | tr -d '\r' >"$TMP/rows.csv"

V=/api/v1/verify
while IFS=, read -r number name id; do
	n=$(printf '%s' "$number" | enc)
	m=$(printf '%s' "$name" | enc)
	echo "GET $V?number=$n&name=$m"
	echo "GET $V?name=$m&number=$n"
	echo "GET $V?number=$n&name=$(printf '%s甲' "$name" | enc)"
	first=$(printf '%s' "$name" | cut -c1-3) # the family name alone (3 bytes)
	echo "GET $V?number=$n&name=$(printf '%s' "$first" | enc)"
	echo "GET $V?number=%20$n%20&name=%20$m%20"
	echo "GET $V?number=$(printf '%s' "$number" | tr 'AT' 'at' | enc)&name=$m"
	# the holder's ID number as an emergency number (held or not)
	echo "GET $V?number=$(printf 'T%s' "$id" | enc)&name=$m"
	echo "HEAD $V?number=$n&name=$m"
done <"$TMP/rows.csv" >"$TMP/targets"
{
	h=$(printf '黔A' | enc)
	j=$(printf '京B' | enc)
	z=$(printf '张三' | enc)
	for q in \
		"number=${h}012099999999&name=$z" \
		"number=${h}992025000001&name=$z" \
		"number=${h}012025999999&name=$z" \
		"number=${j}012022000001&name=$z" \
		"number=T11010519491231002X&name=$z" \
		"number=T110105194912310021&name=$z" \
		"number=t11010519491231002x&name=$z" \
		"number=T520112198103289564&name=$z" \
		"number=abc&name=$z" \
		"number=12345&name=$z" \
		"number=%22quoted%22&name=$z" \
		"number=back%5Cslash&name=$z" \
		"number=a%2Fb%2Fc&name=$z" \
		"number=%E2%80%A8sep%E2%80%A9&name=$z" \
		"number=%F0%9F%98%80&name=$z" \
		"number=%3Cscript%3E&name=$z" \
		"number=%E9%BB%94&name=$z" \
		"number=&name=$z" \
		"number=%20%20&name=$z" \
		"name=$z" \
		"number=${h}012022000001" \
		"number=${h}012022000001&name=" \
		"number=${h}012022000001&name=%20" \
		"number=${h}012022000001&name=%FF" \
		"number=%C3%28&name=$z" \
		"number=${h}012022000001&name=a%01b" \
		"number=${h}012022000001&name=a%7Fb" \
		"number=${h}012022000001&name=a%00b" \
		"number=${h}012022000001&name=a%09b" \
		"number=$(printf '%065d' 1)&name=$z" \
		"number=${h}012022000001&name=$(printf '%065d' 1)" \
		"number=$(printf '%064d' 1)&name=$z" \
		"number=${h}012022000001&number=${h}012022000001&name=$z" \
		"number=${h}012022000001&name=$z&extra=1" \
		"a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17" \
		"number=${h}012022000001&name=%E8%A2%81%E5%AE%81%22" \
		"number=${h}012022000001&name=%5C" \
		""; do
		echo "GET $V?$q"
	done
	echo "GET $V"
	echo "POST $V?number=${h}012022000001&name=$z"
	echo "GET /api/v1/verify/"
	echo "GET /healthz"
} >>"$TMP/targets"
grep -c . "$TMP/targets" | awk '{print "http-same: " $1 " requests to each server"}'

# ask PORT OUT: every target, "### METHOD TARGET", status line, headers but Date, body
ask() {
	port=$1
	: >"$2"
	while read -r method target; do
		echo "### $method $target" >>"$2"
		if [ "$method" = HEAD ]; then
			curl -s -I "http://127.0.0.1:$port$target" >"$TMP/one" || echo "curl failed" >"$TMP/one"
		else
			curl -s -i -X "$method" "http://127.0.0.1:$port$target" >"$TMP/one" || echo "curl failed" >"$TMP/one"
		fi
		grep -av '^Date: ' "$TMP/one" >>"$2" || true
		echo >>"$2"
	done <"$TMP/targets"
}

start old "$OLD" --rate-limit 0
start new "$NEW" --rate-limit 0
ask "$(cat "$TMP/old.port")" "$TMP/old.txt"
ask "$(cat "$TMP/new.port")" "$TMP/new.txt"

# The rate limit: the default (20 at once, 60 a minute), 30 requests in a row.
start old429 "$OLD"
start new429 "$NEW"
burst() {
	i=0
	while [ $i -lt 30 ]; do
		echo "### burst $i" >>"$2"
		curl -s -i "http://127.0.0.1:$1$V?number=%E9%BB%94A012022000001&name=%E8%A2%81%E5%AE%81" |
			grep -av '^Date: ' >>"$2" || true
		echo >>"$2"
		i=$((i + 1))
	done
}
burst "$(cat "$TMP/old429.port")" "$TMP/old.txt"
burst "$(cat "$TMP/new429.port")" "$TMP/new.txt"

lines=$(wc -l <"$TMP/old.txt")
statuses=$(grep -a '^HTTP/' "$TMP/old.txt" | sort | uniq -c | awk '{printf " %s×%s", $3, $1}')
verdicts=$(grep -ao '"verdict":"[a-z_]*"' "$TMP/old.txt" | cut -d'"' -f4 | sort | uniq -c | awk '{printf " %s×%s", $2, $1}')
codes=$(grep -ao '"code":"[a-z_]*"' "$TMP/old.txt" | cut -d'"' -f4 | sort | uniq -c | awk '{printf " %s×%s", $2, $1}')
echo "http-same: statuses:$statuses"
echo "http-same: verdicts:$verdicts"
echo "http-same: errors:$codes"
if cmp -s "$TMP/old.txt" "$TMP/new.txt"; then
	echo "http-same: identical ($lines lines of status, headers and bodies)"
	exit 0
fi
echo "http-same: the answers differ:" >&2
diff -a "$TMP/old.txt" "$TMP/new.txt" | head -n 40 >&2
exit 1
