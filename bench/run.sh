#!/bin/sh
# `make bench`: the register benchmark of docs/BENCHMARKS.md.
#
# In one run, on this machine:
#   (a) `opcert import` of 1,000,000 register rows, against the sqlite3
#       shell's own `.import` of the same CSV into an equivalent table with
#       the same indexes (both in WAL mode, as opcert runs);
#   (b) `opcert verify-roster` of a 100,000-row roster;
#   (c) the peak resident memory of each.
# Each timing is the median of REPEAT runs (default 3).  Targets: import
# <= 1.5x sqlite3, roster <= 1 s, roster peak RSS <= 64 MB.
set -eu
cd "$(dirname "$0")/.."
OPCERT=${OPCERT:-build/opcert}
OUT=${BENCH_OUT:-bench/out}
CERTS=${BENCH_CERTIFICATES:-1000000}
ROSTER=${BENCH_ROSTER:-100000}
REPEAT=${REPEAT:-3}
TODAY=2026-06-30

command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (scripts/deps.sh --bench)" >&2; exit 1; }
mkdir -p "$OUT"
echo "bench: machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n1)"
echo "bench: sqlite3 $(sqlite3 --version | cut -d' ' -f1), opcert $("$OPCERT" version | cut -d' ' -f2)"

if [ ! -s "$OUT/register.csv" ] || [ "$(wc -l <"$OUT/register.csv")" -ne $((CERTS + 1)) ]; then
	echo "bench: generating $CERTS register rows and a $ROSTER-row roster"
	"$OPCERT" demo --certificates "$CERTS" --roster "$ROSTER" --seed 7 --today "$TODAY" --out "$OUT" >/dev/null
fi
cp "$OUT/roster-clean.csv" "$OUT/roster.csv"
ls -l "$OUT/register.csv" "$OUT/roster.csv" | awk '{print "bench: " $5 " bytes  " $9}'

# time_run LABEL CMD... : appends "LABEL seconds peak_kb" to $OUT/times
time_run() {
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$OUT/time.tmp" "$@" >/dev/null 2>"$OUT/stderr.tmp" || {
		rc=$?
		# verify-roster exits 1 when a verdict is not valid; anything else is a failure
		if [ "$rc" -ne 1 ]; then
			echo "bench: $label failed ($rc):" >&2
			cat "$OUT/stderr.tmp" >&2
			exit 1
		fi
	}
	echo "$label $(tail -n1 "$OUT/time.tmp")" >>"$OUT/times"
}

cat >"$OUT/baseline.sql" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE certificate (
 number TEXT NOT NULL UNIQUE, name TEXT, gender TEXT,
 id_number TEXT, trade TEXT, issuer TEXT, issued_on TEXT, valid_until TEXT,
 review_due TEXT, status TEXT, training_institution TEXT);
CREATE INDEX certificate_by_id ON certificate (id_number);
.import --csv --skip 1 $OUT/register.csv certificate
SQL

# The same with the page cache opcert gives a bulk import (256 MB), so the
# ratio is also shown with SQLite on equal terms.
{ echo "PRAGMA cache_size = -262144;"; cat "$OUT/baseline.sql"; } >"$OUT/baseline-cache.sql"

fresh() { rm -f "$1" "$1-wal" "$1-shm"; }

rm -f "$OUT/times"
i=0
while [ $i -lt "$REPEAT" ]; do
	i=$((i + 1))
	echo "bench: round $i/$REPEAT"
	fresh "$OUT/base.db"
	time_run sqlite3_import sqlite3 "$OUT/base.db" -init "$OUT/baseline.sql" .quit
	fresh "$OUT/base.db"
	time_run sqlite3_import_cache sqlite3 "$OUT/base.db" -init "$OUT/baseline-cache.sql" .quit
	fresh "$OUT/opcert.db"
	"$OPCERT" init --db "$OUT/opcert.db" >/dev/null
	time_run opcert_import "$OPCERT" import "$OUT/register.csv" --db "$OUT/opcert.db" --today "$TODAY"
	time_run verify_roster "$OPCERT" verify-roster "$OUT/roster.csv" --format jsonl --db "$OUT/opcert.db" --today "$TODAY"
done

rows=$(sqlite3 "$OUT/base.db" "select count(*) from certificate")
[ "$rows" -eq "$CERTS" ] || { echo "bench: baseline imported $rows rows, expected $CERTS" >&2; exit 1; }
rows=$(sqlite3 "$OUT/opcert.db" "select count(*) from certificate")
[ "$rows" -eq "$CERTS" ] || { echo "bench: opcert imported $rows rows, expected $CERTS" >&2; exit 1; }
valid=$("$OPCERT" verify-roster "$OUT/roster.csv" --format jsonl --db "$OUT/opcert.db" --today "$TODAY" | grep -c '"verdict":"valid"' || true)

median() { grep "^$1 " "$OUT/times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
peak() { grep "^$1 " "$OUT/times" | awk '{print $3}' | sort -n | tail -n1; }

base=$(median sqlite3_import)
basec=$(median sqlite3_import_cache)
imp=$(median opcert_import)
ros=$(median verify_roster)
echo
echo "result: rows=$CERTS roster=$ROSTER roster_valid=$valid"
awk -v b="$base" -v bc="$basec" -v bcm="$(peak sqlite3_import_cache)" -v i="$imp" -v r="$ros" -v bm="$(peak sqlite3_import)" -v im="$(peak opcert_import)" -v rm="$(peak verify_roster)" -v n="$ROSTER" 'BEGIN {
	printf "%-34s %9s %12s\n", "measure", "seconds", "peak RSS MB"
	printf "%-34s %9.2f %12.1f\n", "sqlite3 .import (baseline)", b, bm/1024
	printf "%-34s %9.2f %12.1f\n", "sqlite3 .import, 256 MB cache", bc, bcm/1024
	printf "%-34s %9.2f %12.1f\n", "opcert import (full validation)", i, im/1024
	printf "%-34s %9.2f %12.1f\n", "opcert verify-roster " n " rows", r, rm/1024
	printf "\nimport ratio opcert/sqlite3: %.2fx (target <= 1.5x) %s\n", i/b, (i/b <= 1.5 ? "MET" : "MISSED")
	printf "import ratio opcert/sqlite3 with the same cache: %.2fx %s\n", i/bc, (i/bc <= 1.5 ? "MET" : "MISSED")
	printf "roster: %.0f rows/s (target >= %d rows in 1 s) %s\n", n/r, n, (r <= 1.0 ? "MET" : "MISSED")
	printf "roster peak RSS: %.1f MB (target <= 64 MB) %s\n", rm/1024, (rm/1024 <= 64 ? "MET" : "MISSED")
}' | tee "$OUT/results.txt"

# ---- Signed credentials (docs/BENCHMARKS.md, "Signed credentials") --------
# bench_cred measures in one process: raw libsodium verification against
# scan_verify (the `cred verify --batch --offline` path), cred_encode and
# issue_credential against raw signing, ledger appends and proof sizes at
# 1,000,000 entries.  It also writes the payloads it signed, the trust list
# and the status list, on which the real command line is then timed end to
# end.  These are made afresh on every run: a status list older than 7 days
# gives status_unknown, and the dates are laid out around today.
BENCH_CRED=${BENCH_CRED:-build/bench_cred}
CRED_COUNT=${BENCH_CRED_COUNT:-100000}
CRED="$OUT/cred"
HOST=opcert.example.cn

echo
echo "bench: signed credentials ($CRED_COUNT payloads)"
rm -rf "$CRED"
mkdir -p "$CRED"
"$BENCH_CRED" --count "$CRED_COUNT" --rounds "$REPEAT" --tmp "$CRED" \
	--write-payloads "$CRED/payloads.txt" --trust-out "$CRED/trust.json" \
	--status-out "$CRED/status.json" --keys "$CRED/keys" | tee "$OUT/results-cred.txt"

# The command line end to end: process start, trust and status lists
# (signatures checked), the payload file read, every payload verified and
# one JSON line written per payload.  Exit 1 = some verdict is not valid.
# Before the first round and after every round, bench_cred times libsodium
# alone over the first RAW_COUNT of the same payloads; each round's raw rate
# is that of the two runs around it, so that its ratio compares figures
# taken under nearly the same load.  The ratio is also given in CPU time
# (user + system of the command line, the process CPU time of the raw loop).
RAW_COUNT=${BENCH_CRED_RAW_COUNT:-20000}
raw_run() {
	"$BENCH_CRED" --raw-verify "$CRED/payloads.txt" --keys "$CRED/keys" --count "$RAW_COUNT" >>"$OUT/times-cred"
}
rm -f "$OUT/times-cred"
raw_run
i=0
while [ $i -lt "$REPEAT" ]; do
	i=$((i + 1))
	echo "bench: cred verify --batch, round $i/$REPEAT"
	/usr/bin/time -f "%e %M %U %S" -o "$OUT/time.tmp" "$OPCERT" cred verify --batch "$CRED/payloads.txt" \
		--offline --trust "$CRED/trust.json" --status "$CRED/status.json" --keys "$CRED/keys" \
		--official-host "$HOST" --db "$CRED/none.db" >"$CRED/verdicts.jsonl" 2>"$OUT/stderr.tmp" || {
		rc=$?
		if [ "$rc" -ne 1 ]; then
			echo "bench: cred verify failed ($rc):" >&2
			cat "$OUT/stderr.tmp" >&2
			exit 1
		fi
	}
	echo "cli_cred_verify $CRED_COUNT $(tail -n1 "$OUT/time.tmp")" >>"$OUT/times-cred"
	raw_run
done
lines=$(wc -l <"$CRED/verdicts.jsonl")
[ "$lines" -eq "$CRED_COUNT" ] || { echo "bench: cred verify wrote $lines verdicts, expected $CRED_COUNT" >&2; exit 1; }
forged=$(grep -c '"verdict":"forged"' "$CRED/verdicts.jsonl" || true)
[ "$forged" -eq 0 ] || { echo "bench: $forged payloads verified as forged" >&2; exit 1; }
verdicts=$(grep -o '"verdict":"[a-z_]*"' "$CRED/verdicts.jsonl" | cut -d'"' -f4 | sort | uniq -c | awk '{printf " %s %s", $2, $1}')
awk -v v="$verdicts" '
function med(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
$1 == "raw_verify" { nr++; rn[nr] = $2; rt[nr] = $3; rc[nr] = $4 }
$1 == "cli_cred_verify" { k++; n = $2; cli[k] = $3; cpu[k] = $5 + $6; if ($4 > m) m = $4 }
END {
	for (i = 1; i <= k; i++) {
		raw = (rn[i] + rn[i + 1]) / (rt[i] + rt[i + 1])
		rawc = (rn[i] + rn[i + 1]) / (rc[i] + rc[i + 1])
		rawrate[i] = raw
		ratio[i] = (n / cli[i]) / raw
		cratio[i] = (n / cpu[i]) / rawc
		rounds = rounds sprintf(" %.2f s, %.2f s CPU (raw around it %.0f/s, %.0f/s CPU);", cli[i], cpu[i], raw, rawc)
	}
	t = med(cli, k); r = med(rawrate, k); q = med(ratio, k); qc = med(cratio, k)
	printf "\n%-58s %9s %9s %11s %12s\n", "measure", "count", "seconds", "per second", "peak RSS MB"
	printf "%-58s %9d %9.2f %11.0f %12.1f\n", "opcert cred verify --batch --offline (CLI, JSON Lines)", n, t, n / t, m / 1024
	printf "%-58s %9s %9s %11.0f\n", "raw crypto_sign_verify_detached, around each CLI round", "", "", r
	printf "CLI rate / raw rate: %.3f wall clock, %.3f CPU time (medians of the rounds; target >= 0.80 %s)\n", q, qc, (q >= 0.80 && qc >= 0.80 ? "MET" : "MISSED")
	printf "bench: CLI rounds:%s\n", rounds
	printf "CLI verdicts:%s\n", v
}' "$OUT/times-cred" | tee -a "$OUT/results-cred.txt"
rm -rf "$CRED/keys" "$CRED/verdicts.jsonl"

# ---- HTTP: opcert serve against nginx (bench/http.sh) ----
OPCERT="$OPCERT" BENCH_OUT="$OUT" sh bench/http.sh

# ---- The public check: present numbers asked with a wrong name against absent ones ----
OPCERT="$OPCERT" BENCH_OUT="$OUT" sh bench/http-timing.sh
