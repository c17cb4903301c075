#!/bin/sh
# bench/http-timing.sh - present against absent numbers on the public check
# (docs/BENCHMARKS.md, "Present and absent numbers"), the last part of
# `make bench`; it can be run alone once bench/run.sh has built the
# 1,000,000-certificate register in bench/out.
#
# `opcert serve --rate-limit 0` on loopback answers GET /api/v1/verify for
# four kinds of request, interleaved at random by bench/bench_timing.c over
# one keep-alive connection:
#   construction  present: a register row's number with another row's name
#                 absent:  a well-formed number with a prefix the register
#                          holds (黔A) that it does not hold
#   T             present: an emergency-management number of the register
#                          with another row's name
#                 absent:  "T" + a well-formed ID number no row has
# Each side draws from POOL targets (default 2,000) spread over the whole
# register, so the database pages it reads are not all in cache.  The two
# answers are the same bytes; the time they take should be the same too.
# Reported per group: median, p10 and p90 of each side, the relative
# difference of the medians and the median paired difference.
set -eu
cd "$(dirname "$0")/.."
OPCERT=${OPCERT:-build/opcert}
BENCH_TIMING=${BENCH_TIMING:-build/bench_timing}
OUT=${BENCH_OUT:-bench/out}
DB=$OUT/opcert.db
SAMPLES=${BENCH_TIMING_SAMPLES:-20000}
POOL=${BENCH_TIMING_POOL:-2000}
TODAY=2026-06-30

[ -s "$DB" ] && [ -s "$OUT/register.csv" ] || { echo "bench: run bench/run.sh first (it builds $DB)" >&2; exit 1; }
[ -x "$BENCH_TIMING" ] || { echo "bench: $BENCH_TIMING missing (make build)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/opcert-timing.XXXXXX")
SERVER=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

echo
echo "bench: the public check, present numbers with a wrong name against absent numbers ($SAMPLES pairs a group)"
echo "bench: machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: figures are noisy)"

# The targets: "GROUP<TAB>SIDE<TAB>NUMBER<TAB>NAME".  Absent numbers are made
# from register rows (another serial; another sequence number in the ID,
# with its check character) and kept only when the register lacks them.
sed "1s/^\xEF\xBB\xBF//" "$OUT/register.csv" | tr -d '\r' | awk -F, -v pool="$POOL" '
function check(id,   w, s, i) {
	split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
	s = 0
	for (i = 1; i <= 17; i++) s += substr(id, i, 1) * w[i]
	return substr("10X98765432", s % 11 + 1, 1)
}
NR == 1 { next }
{
	held[$1] = 1
	n++; name[n] = $2
	if ($1 ~ /^T/) { nt++; t[nt] = $1 } else { nc++; c[nc] = $1; crow[nc] = n }
	if ($1 ~ /^T/) trow[nt] = n
}
END {
	srand(7)
	for (i = 1; i <= pool; i++) {
		k = int(rand() * nc) + 1
		other = name[crow[k] % n + 1]
		if (other != name[crow[k]]) print "construction\tpresent\t" c[k] "\t" other
		k = int(rand() * nt) + 1
		other = name[trow[k] % n + 1]
		if (other != name[trow[k]]) print "T\tpresent\t" t[k] "\t" other
	}
	for (i = 1; i <= pool; i++) {
		for (tries = 0; tries < 100; tries++) {
			k = int(rand() * nc) + 1
			num = substr(c[k], 1, length(c[k]) - 6) sprintf("9%05d", int(rand() * 100000))
			if (!(num in held)) break
		}
		print "construction\tabsent\t" num "\t" name[int(rand() * n) + 1]
		for (tries = 0; tries < 100; tries++) {
			k = int(rand() * nt) + 1
			id = substr(t[k], 2, 14) sprintf("%03d", int(rand() * 1000))
			num = "T" id check(id)
			if (!(num in held)) break
		}
		print "T\tabsent\t" num "\t" name[int(rand() * n) + 1]
	}
}' >"$TMP/targets"
awk -F'\t' '{ k[$1 " " $2]++ } END { for (x in k) printf "bench: targets %s: %d\n", x, k[x] }' "$TMP/targets" | sort

"$OPCERT" serve --db "$DB" --listen 127.0.0.1:0 --rate-limit 0 --today "$TODAY" \
	>"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
i=0
while [ $i -lt 100 ] && ! grep -q '已启动' "$TMP/serve.out"; do sleep 0.1; i=$((i + 1)); done
PORT=$(sed -n 's|.*://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$TMP/serve.out")
[ -n "$PORT" ] || { echo "bench: opcert serve did not start:" >&2; cat "$TMP/serve.err" >&2; exit 1; }

"$BENCH_TIMING" --port "$PORT" --targets "$TMP/targets" --samples "$SAMPLES" | tee "$OUT/results-timing.txt"
kill -TERM "$SERVER"
wait "$SERVER" || true
SERVER=
