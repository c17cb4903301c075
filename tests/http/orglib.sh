# orglib.sh - helpers of the HTTP tests that need companies, projects and
# institutions (sourced by t_auth.sh and t_org_api.sh after tests/cli/lib.sh).

# uscc_make FIRST17: the unified social credit code with its check character
# (GB 32100-2015, DOMAIN.md section 3), computed independently of lib/domain/uscc.c.
uscc_make() {
	printf '%s\n' "$1" | awk '{
		a = "0123456789ABCDEFGHJKLMNPQRTUWXY"
		split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", w, " ")
		s = 0
		for (i = 1; i <= 17; i++) s += (index(a, substr($0, i, 1)) - 1) * w[i]
		c = 31 - s % 31
		if (c == 31) c = 0
		print $0 substr(a, c + 1, 1)
	}'
}

# fresh_uscc: a new well-formed code each call, in $FRESH_USCC (not a
# command substitution: the count must survive the call).
FRESH_USCC_N=0
fresh_uscc() {
	FRESH_USCC_N=$((FRESH_USCC_N + 1))
	FRESH_USCC=$(uscc_make "$(printf '91520102MA%07d' "$FRESH_USCC_N")")
}

# new_company KIND DISTRICT NAME: a company by the command line; its code in $NEW_USCC.
new_company() {
	fresh_uscc
	NEW_USCC=$FRESH_USCC
	opcert company add --uscc "$NEW_USCC" --name "$3" --kind "$1" --district "$2" --db "$DB"
	[ "$RC" -eq 0 ] || die "cannot add the company $3: $(cat "$T/err")"
}

# new_project NAME DISTRICT BUILDER: a project by the command line; its number in $NEW_PROJECT.
new_project() {
	opcert project add --name "$1" --district "$2" --builder "$3" --db "$DB"
	[ "$RC" -eq 0 ] || die "cannot add the project $1: $(cat "$T/err")"
	NEW_PROJECT=$(sed -n 's/^已登记项目 \([0-9][0-9]*\)：.*/\1/p' "$T/out")
	[ -n "$NEW_PROJECT" ] || die "project add did not print the number: $(cat "$T/out")"
}

# institution_id NAME: the number of a registered institution.
institution_id() {
	"$OPCERT" institution list --all --json --db "$DB" | jq -r --arg n "$1" '.[] | select(.name == $n) | .id'
}

# new_institution NAME DISTRICT: by the command line; its number in $NEW_INSTITUTION.
new_institution() {
	opcert institution add --name "$1" --district "$2" --db "$DB"
	[ "$RC" -eq 0 ] || die "cannot add the institution $1: $(cat "$T/err")"
	NEW_INSTITUTION=$(institution_id "$1")
	[ -n "$NEW_INSTITUTION" ] || die "no number for the institution $1"
}
