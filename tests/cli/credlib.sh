# credlib.sh - what the credential tests share (sourced by t_cred.sh,
# t_cred_forgery.sh and t_cred_sm2.sh after lib.sh): `cred verify` on the
# test's database, its JSON verdict and message, and issuing.

# cv ARGS...: cred verify on $DB as of $TODAY; cvj: the same as JSON.
cv() {
	opcert cred verify "$@" --db "$DB" --today "$TODAY"
}
cvj() {
	cv "$@" --format json
}
verdict() { jq -r .verdict "$T/out" 2>/dev/null; }
message() { jq -r .message "$T/out" 2>/dev/null; }

# expect VERDICT EXIT DESCRIPTION: the last JSON verdict and exit status.
expect() {
	check_rc "$2" "$3: exit $2"
	check_eq "$(verdict)" "$1" "$3: verdict $1"
}
# expect_msg TEXT DESCRIPTION: the JSON message contains TEXT.
expect_msg() {
	case $(message) in
	*"$1"*) pass ;;
	*) fail "$2" "expected the message to contain: $1" "message: $(message)" ;;
	esac
}

# issue NUMBER [ARGS...]: cred issue; the payload in $PAYLOAD.
issue() {
	opcert cred issue "$@" --today "$TODAY"
	check_rc 0 "cred issue $1 exits 0"
	PAYLOAD=$(cat "$T/out")
}

# valid_construction MIN: the construction certificates valid today, as
# register rows, in $T/valid.txt (at least MIN of them); num I: the number
# of the I-th.
valid_construction() {
	reg_valid_rows | grep -v '^T' >"$T/valid.txt"
	[ "$(wc -l <"$T/valid.txt")" -ge "$1" ] || die "the demo register lacks valid certificates"
}
num() {
	field 1 "$(sed -n "$1p" "$T/valid.txt")"
}
