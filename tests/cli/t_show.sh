# t_show.sh - `opcert show`: one register record, the ID number masked
# unless --full-id, and every full view recorded in the audit trail first.
. "$OPCERT_SRC/tests/cli/lib.sh"

USER=clerk
export USER
demo_setup

CROW=$(reg_valid_rows | grep -v '^T' | head -1)
EROW=$(reg_valid_rows | grep '^T' | head -1)
[ -n "$CROW" ] && [ -n "$EROW" ] || die "register.csv lacks valid rows"
CN=$(field 1 "$CROW")
CNAME=$(field 2 "$CROW")
CID=$(field 4 "$CROW")
EN=$(field 1 "$EROW")
EID=$(field 4 "$EROW")

views() {
	sqlite3 "$DB" "select count(*) from trail where action = 'id.view'"
}

opcert show "$CN" --db "$DB"
check_rc 0 "show of a registered number exits 0"
check_out_has "$CNAME" "show prints the holder's name"
check_out_has "证书编号：$CN" "show prints the construction number as it is"
check_out_lacks "$CID" "show masks the ID number by default"
check_out_has "$(printf '%s' "$CID" | cut -c1-6)********" "show prints the masked ID number"
check_eq "$(views)" 0 "a masked view is not a full-ID view"

opcert show "$EN" --db "$DB"
check_rc 0 "show of an emergency-management number exits 0"
check_out_lacks "$EID" "the emergency-management number is masked too"

opcert show "$CN" --full-id --json --db "$DB"
check_rc 0 "show --full-id exits 0"
check_out_has "\"id_number\": \"$CID\"" "--full-id --json shows the full ID number"
check_eq "$(views)" 1 "the full view is recorded"
opcert audit list --user cli:clerk --db "$DB"
check_out_has "cert:$CN" "the trail names the certificate"
check_out_lacks "$CID" "the trail itself holds no full ID number"

opcert show "$EN" --full-id --db "$DB"
check_rc 0 "show --full-id of an emergency-management number exits 0"
check_out_has "$EID" "--full-id shows the ID number"
check_eq "$(views)" 2 "each full view is recorded"
opcert audit list --db "$DB"
check_out_lacks "$EID" "the trail masks the emergency-management number"

opcert show 黔A012018999998 --db "$DB"
check_rc 1 "a number absent from the register exits 1"
check_err_has "没有证书" "and says so"
opcert show not-a-number --db "$DB"
check_rc 2 "a malformed number exits 2"
opcert show --db "$DB"
check_rc 2 "show without a number exits 2"
opcert audit verify --db "$DB"
check_rc 0 "the trail with its view entries verifies"

finish
