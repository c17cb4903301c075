# t_verify.sh - opcert verify: one certificate, its verdicts and output.
. "$OPCERT_SRC/tests/cli/lib.sh"

demo_setup
REGROWS=$T/reg.txt
strip "$DEMO/register.csv" | sed 1d >"$REGROWS"

# v ARGS...: opcert verify against the demo database on $TODAY, as JSON.
v() {
	opcert verify --today "$TODAY" --db "$DB" --format json "$@"
}
# Fields of the JSON answer.
verdict() { jq -r .verdict "$T/out" 2>/dev/null; }
findings() { jq -r '.findings | join(",")' "$T/out" 2>/dev/null; }
fields() { jq -r '.mismatched_fields | join(",")' "$T/out" 2>/dev/null; }

# expect_verdict VERDICT EXIT DESCRIPTION
expect_verdict() {
	check_rc "$2" "$3: exit $2"
	check_eq "$(verdict)" "$1" "$3: verdict $1"
}

# A construction and an emergency certificate valid today by the rules.
reg_valid_rows >"$T/valid.txt"
C0=$(grep -v '^T' "$T/valid.txt" | grep '^[^,]*,[^,]*,[^,]*,[^,]*,0[1-9],' | head -1)
E=$(grep '^T' "$T/valid.txt" | head -1)
[ -n "$C0" ] && [ -n "$E" ] || die "the demo register lacks valid certificates to verify"
col() { printf '%s\n' "$1" | cut -d, -f"$2"; }

num=$(col "$C0" 1) name=$(col "$C0" 2) id=$(col "$C0" 4) trade=$(col "$C0" 5)

# --- valid, text and JSON ----------------------------------------------------
opcert verify --number "$num" --name "$name" --today "$TODAY" --db "$DB"
check_rc 0 "verify $num $name (text) exits 0"
check_out_has "$num" "text output names the number"
check_out_has "valid" "text output gives the verdict code"
check_out_has "有效" "text output gives the verdict label"

v --number "$num" --name "$name"
expect_verdict valid 0 "valid construction certificate $num"
check_eq "$(jq -r 'keys_unsorted | join(",")' "$T/out" 2>/dev/null)" \
	"number,name,verdict,findings,mismatched_fields,message" \
	"verify --format json has exactly the keys number,name,verdict,findings,mismatched_fields,message"
check_eq "$(jq -r 'has("row")' "$T/out" 2>/dev/null)" false "verify --format json has no row"
check_eq "$(jq -r '.number' "$T/out" 2>/dev/null)" "$num" "JSON number is the certificate number"
check_eq "$(jq -r '.name' "$T/out" 2>/dev/null)" "$name" "JSON name is the presented name"
check_eq "$(jq -c '.findings' "$T/out" 2>/dev/null)" "[]" "a valid certificate has no finding"
check_eq "$(jq -c '.mismatched_fields' "$T/out" 2>/dev/null)" "[]" "a valid certificate has no mismatched field"
check_eq "$(jq -r '.message | length > 0' "$T/out" 2>/dev/null)" true "the JSON message is not empty"
check_eq "$(wc -l <"$T/out" | tr -d ' ')" 1 "verify --format json prints one line"

v --number "$num" --name "$name" --id "$id"
expect_verdict valid 0 "valid with the right --id"

# --- mismatch on the name ------------------------------------------------------
v --number "$num" --name "${name}某"
expect_verdict mismatch 1 "a wrong name"
check_eq "$(jq -c .mismatched_fields "$T/out" 2>/dev/null)" '["name"]' 'a wrong name: mismatched_fields ["name"]'
check_eq "$(findings)" mismatch "a wrong name: findings [mismatch]"
opcert verify --number "$num" --name "${name}某" --today "$TODAY" --db "$DB"
check_rc 1 "a wrong name (text) exits 1"
check_out_has "mismatch" "a wrong name (text) gives the verdict code"

# --- --id --------------------------------------------------------------------
v --number "$num" --name "$name" --id 12345
check_rc 1 "a malformed --id exits 1, not 2"
check "a malformed --id is an invalid_id finding" jq -e '.findings | any(.[]; . == "invalid_id")' "$T/out"
v --number "$num" --name "$name" --id "$(printf '%s' "$id" | cut -c1-17)Q"
check_rc 1 "--id with a letter Q exits 1"
check "--id with a letter Q is an invalid_id finding" jq -e '.findings | any(.[]; . == "invalid_id")' "$T/out"
# A well-formed ID of someone else: mismatch on id_number only.
other=11010519491231002X
v --number "$num" --name "$name" --id "$other"
expect_verdict mismatch 1 "another person's valid --id"
check_eq "$(fields)" id_number "another person's --id: mismatched_fields [id_number]"

# A certificate whose ID ends in X, presented with a lowercase x.
X=$(grep -i '^[^,]*,[^,]*,[^,]*,[0-9]*X,' "$T/valid.txt" | head -1)
if [ -n "$X" ]; then
	xid=$(col "$X" 4 | tr X x)
	v --number "$(col "$X" 1)" --name "$(col "$X" 2)" --id "$xid"
	expect_verdict valid 0 "--id with a lowercase x ($xid)"
else
	fail "the demo register has no valid certificate whose ID ends in X"
fi

# --- --trade -------------------------------------------------------------------
v --number "$num" --name "$name" --trade "$trade"
expect_verdict valid 0 "--trade by code $trade"
v --number "$num" --name "$name" --trade "${trade#0}"
expect_verdict valid 0 "--trade by code without the leading zero (${trade#0})"
tname=$(trade_name "$trade")
v --number "$num" --name "$name" --trade "$tname"
expect_verdict valid 0 "--trade by name ($tname)"
case $trade in
11) wtrade=10 ;;
*) wtrade=11 ;;
esac
v --number "$num" --name "$name" --trade "$wtrade"
expect_verdict mismatch 1 "--trade with another trade's code"
check_eq "$(fields)" trade "another trade: mismatched_fields [trade]"
v --number "$num" --name "$name" --trade "$(trade_name "$wtrade")"
expect_verdict mismatch 1 "--trade with another trade's name"

enum=$(col "$E" 1) ename=$(col "$E" 2) eid=$(col "$E" 4) etrade=$(col "$E" 5)
v --number "$enum" --name "$ename"
expect_verdict valid 0 "valid emergency-management certificate $enum"
v --number "$enum" --name "$ename" --trade "$etrade"
expect_verdict valid 0 "emergency --trade by code $etrade"
etname=$(trade_name "$etrade")
v --number "$enum" --name "$ename" --trade "$etname"
expect_verdict valid 0 "emergency --trade by name $etname"
v --number "$enum" --name "$ename" --id "$eid"
expect_verdict valid 0 "emergency certificate with its own ID"
v --number "$enum" --name "$ename" --id "$other"
expect_verdict mismatch 1 "emergency certificate with another ID"
check_eq "$(fields)" id_number "T number, other ID: mismatched_fields [id_number]"

# --- numbers not in the register -------------------------------------------------
# A well-formed 黔A number absent from the register: not_found.
nf=黔A012026999999
check "$nf is absent from the register" sh -c "! grep -q '^$nf,' '$REGROWS'"
v --number "$nf" --name 张三
expect_verdict not_found 1 "unknown well-formed 黔A number"
check_eq "$(findings)" not_found "unknown 黔A number: findings [not_found]"
opcert verify --number "$nf" --name 张三 --today "$TODAY" --db "$DB"
check_rc 1 "unknown 黔A number (text) exits 1"

v --number 川A012019000001 --name 张三
expect_verdict external 1 "a 川A number (an issuer this register does not hold)"
v --number 黔B012019000001 --name 张三
expect_verdict external 1 "a 黔B number (another city, not held)"

tid=11010519491231002X
check "T$tid is absent from the register" sh -c "! grep -q '^T$tid,' '$REGROWS'"
v --number "T$tid" --name 张三
expect_verdict external 1 "T + a valid ID not imported (other T numbers are)"
v --number "T$tid" --name 张三 --id "$tid"
expect_verdict external 1 "T number not imported, presented with its own ID"
v --number "T$tid" --name 张三 --id "$eid"
expect_verdict mismatch 1 "T number not imported whose embedded ID differs from --id"
check_eq "$(fields)" id_number "T number not imported, other ID: mismatched_fields [id_number]"

for g in garbage ABC-123 黔A01201800012 黔A0120180001234 12345678901234 T12345; do
	v --number "$g" --name 张三
	expect_verdict invalid_number 1 "a number of no known format: $g"
done

# --- status verdicts, found by the rules in register.csv ----------------------------
# row_where AWK-CONDITION: the first register row matching.
row_where() {
	awk -F, "$1" "$REGROWS" | head -1
}
r=$(row_where "\$8 < \"$TODAY\" && \$10 == \"有效\"")
if [ -n "$r" ]; then
	v --number "$(col "$r" 1)" --name "$(col "$r" 2)"
	expect_verdict expired 1 "a certificate past its valid-until ($(col "$r" 8))"
else
	fail "the demo register has no expired certificate"
fi
r=$(row_where '$10 == "暂扣"')
[ -n "$r" ] || fail "the demo register has no suspended certificate"
v --number "$(col "$r" 1)" --name "$(col "$r" 2)"
expect_verdict suspended 1 "a suspended (暂扣) certificate"
r=$(row_where '$10 == "注销"')
[ -n "$r" ] || fail "the demo register has no revoked certificate"
v --number "$(col "$r" 1)" --name "$(col "$r" 2)"
expect_verdict revoked 1 "a revoked (注销) certificate"
r=$(row_where "\$9 != \"\" && \$9 < \"$TODAY\" && \$8 >= \"$TODAY\" && \$10 == \"有效\"")
[ -n "$r" ] || fail "the demo register has no certificate overdue for review"
v --number "$(col "$r" 1)" --name "$(col "$r" 2)"
expect_verdict review_overdue 1 "a certificate whose review date $(col "$r" 9) passed"

# A suspended certificate presented under a wrong name: mismatch outranks suspended.
r=$(row_where '$10 == "暂扣"')
v --number "$(col "$r" 1)" --name "$(col "$r" 2)某"
expect_verdict mismatch 1 "suspended + wrong name: the verdict is the most serious"
check "suspended + wrong name: both findings kept" jq -e '(.findings | any(.[]; . == "suspended")) and (.findings | any(.[]; . == "mismatch"))' "$T/out"

# --- valid up to and including the valid-until day ------------------------------------
# A construction certificate (no review date) valid today whose valid-until
# day is below 28, so the next day is simple to write.
r=$(awk -F, '$1 !~ /^T/ && $9 == "" && $10 == "有效" && substr($8, 9, 2) < "28"' "$T/valid.txt" | head -1)
[ -n "$r" ] || die "no certificate for the boundary test"
until=$(col "$r" 8)
day=$(printf '%s' "$until" | cut -c9-10)
next=$(printf '%s' "$until" | cut -c1-8)$(printf '%02d' $((${day#0} + 1)))
opcert verify --number "$(col "$r" 1)" --name "$(col "$r" 2)" --today "$until" --db "$DB" --format json
expect_verdict valid 0 "valid on its valid-until day $until"
opcert verify --number "$(col "$r" 1)" --name "$(col "$r" 2)" --today "$next" --db "$DB" --format json
expect_verdict expired 1 "expired the day after ($next)"

# --- the JSON of verify is a verify-roster jsonl line without row ---------------------------
{
	echo 姓名,身份证号码,证书编号
	echo "$name,$id,$num"
	echo "${name}某,$id,$num"
	echo "$ename,$other,$enum"
	echo "张三,$tid,$nf"
	echo "张三,$tid,川A012019000001"
	echo "张三,$tid,T$tid"
	echo "张三,$tid,garbage"
} >"$T/same.csv"
opcert verify-roster "$T/same.csv" --format jsonl --today "$TODAY" --db "$DB"
check_rc 1 "the comparison roster exits 1"
cp "$T/out" "$T/same.jsonl"
i=0
sed 1d "$T/same.csv" >"$T/same.rows"
while IFS=, read -r n i_d no; do
	i=$((i + 1))
	v --number "$no" --name "$n" --id "$i_d"
	check_eq "$(jq -c . "$T/out")" "$(sed -n "${i}p" "$T/same.jsonl" | jq -c 'del(.row)')" \
		"verify --format json = verify-roster line $i without row ($no)"
done <"$T/same.rows"
check_eq "$i" 7 "seven comparisons made"

# --- exit 2 is only for usage errors -------------------------------------------------
opcert verify --number "$num" --today "$TODAY" --db "$DB"
check_rc 2 "verify without --name exits 2"
check_out_empty "verify without --name prints nothing on stdout"

finish
