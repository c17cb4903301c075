#!/bin/sh
# bench/http.sh - the HTTP benchmark of docs/BENCHMARKS.md (called at the end
# of bench/run.sh, which builds the 1,000,000-certificate register it uses).
#
# In one run, on this machine, over loopback:
#   (a) `opcert serve --rate-limit 0` answering GET /api/v1/verify?number=&name=
#       for a mix of register rows (a wrk Lua script cycles through them,
#       names URL-encoded);
#   (b) nginx (nginx-light, run as this user with a generated configuration
#       in a temporary directory) serving a static file of the same size as
#       a verify answer;
# both with `wrk -t2 -c64 -d15s --latency` after a short warm-up.  Reported:
# requests/s, p50 and p99 latency, the ratio, and the server's peak RSS
# (VmHWM).  Targets: >= 50% of nginx's throughput, p99 <= 5 ms at 64
# connections, RSS <= 64 MB.  wrk, the server and nginx share the machine's
# cores, so the figures are for this machine only (and noisy on a busy one).
set -eu
cd "$(dirname "$0")/.."
OPCERT=${OPCERT:-build/opcert}
OUT=${BENCH_OUT:-bench/out}
DB=$OUT/opcert.db
DURATION=${BENCH_HTTP_SECONDS:-15}
CONNECTIONS=${BENCH_HTTP_CONNECTIONS:-64}
TODAY=2026-06-30
ROWS=1000

for tool in wrk nginx curl; do
	command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] ||
		{ echo "bench: $tool missing (scripts/deps.sh --bench)" >&2; exit 1; }
done
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
[ -s "$DB" ] && [ -s "$OUT/register.csv" ] || { echo "bench: run bench/run.sh first (it builds $DB)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/opcert-http.XXXXXX")
SERVER=
NGINX_PID=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
	[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

echo
echo "bench: HTTP: opcert serve against nginx, wrk -t2 -c$CONNECTIONS -d${DURATION}s on loopback"
echo "bench: machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: figures are noisy)"

# The keys the server signs with (the verify route needs none, but a server
# without them says so on every start).
"$OPCERT" key init --db "$DB" >/dev/null

# A mix of register rows: every (rows / ROWS)th, number and name.
awk -F, -v n="$ROWS" 'NR == 1 { next } { total++; line[total] = $1 "," $2 }
	END { step = int(total / n); if (step < 1) step = 1
	      for (i = 1; i <= total; i += step) print line[i] }' "$OUT/register.csv" |
	sed "1s/^\xEF\xBB\xBF//" | tr -d '\r' >"$TMP/rows.csv"
cat >"$TMP/verify.lua" <<EOF
-- GET /api/v1/verify for each row of rows.csv in turn (one cursor per thread)
local rows = {}
local function enc(s)
	return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end
for line in io.lines("$TMP/rows.csv") do
	local number, name = line:match("^([^,]*),([^,]*)")
	if number then
		rows[#rows + 1] = "/api/v1/verify?number=" .. enc(number) .. "&name=" .. enc(name)
	end
end
local i = math.random(#rows)
request = function()
	i = i % #rows + 1
	return wrk.format("GET", rows[i])
end
EOF

# --- opcert serve ---
"$OPCERT" serve --db "$DB" --listen 127.0.0.1:0 --rate-limit 0 --today "$TODAY" \
	>"$TMP/serve.out" 2>"$OUT/serve-access.log" &
SERVER=$!
i=0
while [ $i -lt 100 ] && ! grep -q '已启动' "$TMP/serve.out"; do sleep 0.1; i=$((i + 1)); done
PORT=$(sed -n 's|.*://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$TMP/serve.out")
[ -n "$PORT" ] || { echo "bench: opcert serve did not start:" >&2; cat "$OUT/serve-access.log" >&2; exit 1; }
first=$(head -n 1 "$TMP/rows.csv")
curl -s -G --data-urlencode "number=${first%%,*}" --data-urlencode "name=${first#*,}" \
	"http://127.0.0.1:$PORT/api/v1/verify" >"$TMP/sample.json"
grep -q '"verdict"' "$TMP/sample.json" || { echo "bench: unexpected answer: $(cat "$TMP/sample.json")" >&2; exit 1; }
SIZE=$(wc -c <"$TMP/sample.json" | tr -d ' ')

# run_wrk NAME URL [ARGS...]: a warm-up, then the measured run into $TMP/NAME.wrk
run_wrk() {
	name=$1
	shift
	wrk -t2 -c"$CONNECTIONS" -d3s "$@" >/dev/null
	wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" >"$TMP/$name.wrk"
}
run_wrk opcert -s "$TMP/verify.lua" "http://127.0.0.1:$PORT/"
RSS=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER/status")
ERRORS=$(grep -c '"status":[45]' "$OUT/serve-access.log" || true)
kill -TERM "$SERVER"
wait "$SERVER" || true
SERVER=

# --- nginx on a free port, the same bytes as a file ---
mkdir -p "$TMP/www" "$TMP/nginx"
cp "$TMP/sample.json" "$TMP/www/verify.json"
in_use() {
	awk -v p=":$(printf '%04X' "$1")" '$2 ~ p"$" && $4 == "0A"' /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q .
}
NPORT=18000
while in_use "$NPORT"; do NPORT=$((NPORT + 1)); done
user_line=
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$TMP/nginx/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log $TMP/nginx/access.log;
	client_body_temp_path $TMP/nginx/body;
	proxy_temp_path $TMP/nginx/proxy;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	server_tokens off;
	server {
		listen 127.0.0.1:$NPORT;
		root $TMP/www;
		default_type application/json;
	}
}
EOF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/start.err" &
NGINX_PID=$!
i=0
while [ $i -lt 50 ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NPORT/verify.json")" != 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ $i -lt 50 ] || { echo "bench: nginx did not start:" >&2; cat "$TMP/nginx/start.err" "$TMP/nginx/error.log" >&2; exit 1; }
run_wrk nginx "http://127.0.0.1:$NPORT/verify.json"
kill -TERM "$NGINX_PID"
wait "$NGINX_PID" || true
NGINX_PID=

# Latency of a wrk report in milliseconds: the line starting with $2 ("50%").
ms() {
	awk -v k="$2" '$1 == k {
		v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000
		print v; exit }' "$TMP/$1.wrk"
}
rps() {
	awk '/^Requests\/sec:/ {print $2}' "$TMP/$1.wrk"
}
non2xx() {
	awk '/Non-2xx/ {print $NF}' "$TMP/$1.wrk"
}
cp "$TMP/opcert.wrk" "$OUT/wrk-opcert.txt"
cp "$TMP/nginx.wrk" "$OUT/wrk-nginx.txt"
awk -v o="$(rps opcert)" -v n="$(rps nginx)" -v o50="$(ms opcert 50%)" -v o99="$(ms opcert 99%)" \
	-v n50="$(ms nginx 50%)" -v n99="$(ms nginx 99%)" -v rss="$RSS" -v size="$SIZE" \
	-v c="$CONNECTIONS" -v e="${ERRORS:-0}" -v bad="$(non2xx opcert)" -v rows="$(wc -l <"$TMP/rows.csv")" 'BEGIN {
	printf "\n%-52s %12s %9s %9s\n", "measure (" c " connections)", "requests/s", "p50 ms", "p99 ms"
	printf "%-52s %12.0f %9.2f %9.2f\n", "opcert serve GET /api/v1/verify (" rows " rows)", o, o50, o99
	printf "%-52s %12.0f %9.2f %9.2f\n", "nginx, static file of " size " bytes", n, n50, n99
	printf "\nthroughput opcert/nginx: %.0f%% (target >= 50%%) %s\n", 100 * o / n, (o / n >= 0.5 ? "MET" : "MISSED")
	printf "opcert p99: %.2f ms (target <= 5 ms) %s\n", o99, (o99 <= 5 ? "MET" : "MISSED")
	printf "opcert peak RSS: %.1f MB (target <= 64 MB) %s\n", rss / 1024, (rss / 1024 <= 64 ? "MET" : "MISSED")
	printf "opcert answers other than 2xx: %d (wrk: %s)\n", e, (bad == "" ? "none" : bad)
}' | tee "$OUT/results-http.txt"
