# httplib.sh - what the HTTP tests share (sourced after tests/cli/lib.sh):
# starting `opcert serve` on a free port and making requests with curl.
# Uses the test's $DB, $KEYS, $WEB and $TODAY; servers started are listed in
# $SERVERS for the test's cleanup.

SERVERS=

# start_server NAME ARGS...: `opcert serve` on a free port with the test's
# database, keys and web root; sets SPID and BASE (http or https) once the
# server answers /healthz.  Output in $T/NAME.out and $T/NAME.err.
start_server() {
	_name=$1
	shift
	"$OPCERT" serve --db "$DB" --keys "$KEYS" --web "$WEB" --listen 127.0.0.1:0 \
		--today "$TODAY" "$@" >"$T/$_name.out" 2>"$T/$_name.err" &
	SPID=$!
	SERVERS="$SERVERS $SPID"
	_i=0
	while [ $_i -lt 300 ] && ! grep -q '已启动' "$T/$_name.out" 2>/dev/null; do
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	BASE=$(sed -n 's|.*\(https*://127\.0\.0\.1:[0-9][0-9]*\)/.*|\1|p' "$T/$_name.out")
	[ -n "$BASE" ] || die "opcert serve ($_name) did not start: $(head -c 600 "$T/$_name.err")"
	_i=0
	while [ $_i -lt 100 ]; do
		[ "$(curl -s -k -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	die "opcert serve ($_name) does not answer /healthz"
}

# call METHOD PATH [CURL-ARGS...]: headers in $T/h, body in $T/b, status in $STATUS.
call() {
	_m=$1
	_p=$2
	shift 2
	LAST_CMD="curl -X $_m $BASE$_p $*"
	rm -f "$T/b"
	STATUS=$(curl -s -k --path-as-is -X "$_m" -D "$T/h" -o "$T/b" -w '%{http_code}' --max-time 60 "$@" "$BASE$_p")
}

# jb FILTER: jq -r on the last body.
jb() {
	jq -r "$1" "$T/b" 2>/dev/null
}

# header NAME: the last answer's header of that name.
header() {
	tr -d '\r' <"$T/h" | sed -n "s/^$1: //Ip" | head -n 1
}

# sign_in LOGIN PASSWORD [JAR]: POST /api/v1/session; the cookie goes to JAR
# (default $T/jar.LOGIN) and the CSRF token to $T/csrf.LOGIN.
sign_in() {
	_jar=${3:-$T/jar.$1}
	rm -f "$_jar"
	call POST /api/v1/session -c "$_jar" -H 'Content-Type: application/json' \
		--data-binary "$(jq -n -c --arg l "$1" --arg p "$2" '{login: $l, password: $p}')"
	jb '.csrf // ""' >"$T/csrf.$1"
}

# signed_in LOGIN PASSWORD: sign_in, and stop the test when it is refused.
signed_in() {
	sign_in "$1" "$2"
	[ "$STATUS" = 200 ] || die "$1 cannot sign in: $(head -c 300 "$T/b")"
}

# as LOGIN METHOD PATH [CURL-ARGS...]: a request with LOGIN's cookie and CSRF token.
as() {
	_who=$1
	shift
	_am=$1
	_ap=$2
	shift 2
	call "$_am" "$_ap" -b "$T/jar.$_who" -c "$T/jar.$_who" -H "X-CSRF-Token: $(cat "$T/csrf.$_who")" "$@"
}

# asj LOGIN METHOD PATH JSON: as, with a JSON body.
asj() {
	printf '%s' "$4" >"$T/body.json"
	as "$1" "$2" "$3" -H 'Content-Type: application/json' --data-binary "@$T/body.json"
}

# uri TEXT: TEXT percent-encoded for a URL.
uri() {
	printf '%s' "$1" | jq -s -R -r @uri
}

# check_status STATUS DESCRIPTION: the last answer's status.
check_status() {
	if [ "$STATUS" = "$1" ]; then
		pass
	else
		fail "$2" "expected HTTP $1, got $STATUS" "body: $(head -c 400 "$T/b")"
	fi
}

# check_error STATUS CODE DESCRIPTION: the last answer's status and JSON error code.
check_error() {
	check_status "$1" "$3: HTTP $1"
	check_eq "$(jb '.error.code')" "$2" "$3: error code $2"
}
