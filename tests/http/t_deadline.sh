# t_deadline.sh - the request deadline of `opcert serve` (--request-timeout)
# against slow clients from one address.  More trickling connections than
# the per-address cap (128), each sending a byte every half second and never
# finishing its request (the headers of a GET, the next request on a
# kept-alive connection, the small body of a public POST), fill the cap;
# they are cut after the deadline although they keep sending, so that a
# normal request from the same address is served again while they go on
# (without the deadline only --timeout of silence closes a connection, and
# a byte now and then resets it).  A signed-in roster upload (a large body)
# is held to --timeout and its cap only and stays open.  The cut is logged;
# bad values of the option are refused.  The slow clients are
# tests/http/trickle.py.
. "$OPCERT_SRC/tests/cli/lib.sh"
. "$OPCERT_SRC/tests/http/httplib.sh"

command -v curl >/dev/null && command -v python3 >/dev/null || die "curl and python3 are needed (scripts/deps.sh)"

KEYS=$T/keys
WEB=$T/web
TPID=
cleanup() {
	for _p in $SERVERS $TPID; do
		kill -KILL "$_p" 2>/dev/null
	done
}
trap cleanup EXIT
mkdir -p "$WEB"

opcert init --db "$DB"
check_rc 0 "init"
printf 'Roster-pass-2026x\n' >"$T/pw"
opcert user add slow.officer --role district_officer --district 云岩区 --password-stdin --db "$DB" <"$T/pw"
check_rc 0 "user add (a roster upload)"
opcert token new slow.officer --label t_deadline --db "$DB"
check_rc 0 "token new"
TOKEN=$(grep -o '[A-Za-z0-9_-]\{32,\}' "$T/out" | head -n 1)
[ -n "$TOKEN" ] || die "token new printed no token"

opcert serve --db "$DB" --request-timeout 0
check_rc 2 "serve --request-timeout 0"
check_err_has "--request-timeout" "the message names the option"
opcert serve --db "$DB" --request-timeout 3601
check_rc 2 "serve --request-timeout 3601"
opcert serve --db "$DB" --request-timeout x
check_rc 2 "serve --request-timeout x"

# The deadline short for the test, the idle timeout far past its end: only
# the deadline can close a connection that sends a byte every half second.
DEADLINE=3
start_server slow --request-timeout "$DEADLINE" --timeout 120 --rate-limit 0
SLOW=$SPID
PORT=${BASE##*:}

python3 "$OPCERT_SRC/tests/http/trickle.py" --port "$PORT" --keepalive 4 --body 4 --upload 1 \
	--auth "Bearer $TOKEN" --count 140 --interval 0.5 --deadline "$DEADLINE" \
	--run $((DEADLINE + 8)) --ready "$T/ready" >"$T/trickle.out" 2>"$T/trickle.err" &
TPID=$!
_i=0
while [ $_i -lt 300 ] && [ ! -s "$T/ready" ] && kill -0 "$TPID" 2>/dev/null; do
	sleep 0.1
	_i=$((_i + 1))
done
[ -s "$T/ready" ] || die "the slow clients did not start: $(head -c 600 "$T/trickle.err")"

# While they go on sending, a normal request from the same address is
# served again once the deadline has cut them (refused until then: the cap
# is full).
served=
_i=0
while [ $_i -lt 200 ] && kill -0 "$TPID" 2>/dev/null; do
	if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/healthz")" = 200 ]; then
		served=1
		break
	fi
	sleep 0.1
	_i=$((_i + 1))
done
still=
kill -0 "$TPID" 2>/dev/null && still=1
check_eq "$served" 1 "a normal request from the slow clients' address is served after the deadline"
check_eq "$still" 1 "... while the slow clients are still sending"
wait "$TPID"
check_eq "$?" 0 "trickle.py ran"
TPID=
num() {
	sed -n "s/^$1 //p" "$T/trickle.out"
}
echo "slow clients: $(tr '\n' ' ' <"$T/trickle.out")"
[ -n "$(num held)" ] || die "trickle.py printed no summary: $(head -c 600 "$T/trickle.err")"
check "the per-address cap was full (connections past it closed at once)" [ "$(num refused)" -ge 1 ]
check "the cap (128) held most of the slow clients" [ "$(num held)" -ge 100 ]
check "no more than the cap was held" [ "$(num held)" -le 128 ]
check_eq "$(num cut)" "$(num held_small)" "every slow request (headers, next request, small body) is cut although it keeps sending"
check_eq "$(num upload_open)" 1 "a signed-in upload of a large body is left to --timeout"
check "the cut is logged" grep -q '没有发完请求的连接' "$T/slow.err"

get() {
	STATUS=$(curl -s -o "$T/b" -w '%{http_code}' --max-time 60 "$BASE$1")
}
get /healthz
check_eq "$STATUS" 200 "the server answers after the slow clients are gone"

kill -TERM "$SLOW"
wait "$SLOW"
check_eq "$?" 0 "the server exits 0 after SIGTERM"
SERVERS=
if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/slow.err"; then
	fail "server: sanitizer report" "$(grep -A 20 -e Sanitizer -e 'runtime error:' "$T/slow.err" | head -c 2000)"
fi

finish
