# t_pii.sh - personal data at rest: no ID number of the demo register and no
# emergency-management number ("T" + ID) is readable in any database file
# (the database, its -wal and -shm), after the import, a roster check, the
# registration of workers on projects and an issuance; without the data key nothing is read; a database of the earlier
# plaintext form is refused until `opcert init` migrates it, after which
# its files hold no ID number either; `key backup` / `key restore` carry the
# data key, and the database reads with the restored directory.
. "$OPCERT_SRC/tests/cli/lib.sh"

demo_setup
KEYS=$T/keys
check "opcert demo --import made the data key beside the database" test -s "$KEYS/data.key"
check_eq "$(stat -c %a "$KEYS/data.key")" 600 "the data key is mode 0600"
check_eq "$(stat -c %s "$KEYS/data.key")" 120 "the data key file has its documented size"

# Every ID number of the register, and every emergency-management number,
# as the register writes them and upper-cased (one per line).
strip "$DEMO/register.csv" | awk -F, 'NR > 1 { print $4; print toupper($4); if ($1 ~ /^T/) print $1 }' |
	sort -u >"$T/needles.txt"
NNEEDLES=$(wc -l <"$T/needles.txt" | tr -d ' ')
[ "$NNEEDLES" -ge 300 ] || die "expected at least 300 ID numbers to look for, got $NNEEDLES"
grep -q '^T' "$T/needles.txt" || die "the demo register has no emergency-management number"

# scan DESCRIPTION DBFILE: no needle in the database, its -wal or its -shm.
scan() {
	_any=0
	for _f in "$2" "$2-wal" "$2-shm"; do
		[ -f "$_f" ] || continue
		_any=1
		_n=$(grep -c -a -F -f "$T/needles.txt" "$_f")
		if [ "$_n" -eq 0 ]; then
			pass
		else
			fail "$1: $(basename "$_f") holds no ID number" \
				"$_n lines of it hold one, e.g. $(grep -a -o -F -f "$T/needles.txt" "$_f" | head -n 3 | tr '\n' ' ')"
		fi
	done
	[ "$_any" -eq 1 ] || fail "$1: no database file to scan at $2"
}

# The scan itself must be able to fail: a plain copy of the register has them.
cp "$DEMO/register.csv" "$T/control.db"
if [ "$(grep -c -a -F -f "$T/needles.txt" "$T/control.db")" -gt 0 ]; then
	pass
else
	fail "the scan finds ID numbers in a file that has them"
fi

scan "after demo --import" "$DB"
opcert verify-roster "$DEMO/roster-violations.csv" --db "$DB" --today "$TODAY" --format jsonl
check "verify-roster ran (exit 0 or 1)" test "$RC" -le 1
scan "after verify-roster" "$DB"

# Workers registered on the demo projects: the ID numbers they were
# registered with are sealed as well (the roster's own, added to the needles).
strip "$DEMO/roster-clean.csv" | awk -F, 'NR > 1 { print $4; print toupper($4) }' >>"$T/needles.txt"
sort -u -o "$T/needles.txt" "$T/needles.txt"
opcert worker import "$DEMO/roster-clean.csv" --db "$DB" --today "$TODAY"
check_rc 0 "worker import of the clean roster (every row to the project it names) exits 0"
NROSTER=$(strip "$DEMO/roster-clean.csv" | awk 'NR > 1' | wc -l | tr -d ' ')
check_out_has "新登记 $NROSTER 人" "worker import registers every row of the clean roster"
scan "after worker import" "$DB"
opcert worker list --project 1 --json --db "$DB"
check_rc 0 "worker list reads the sealed ID numbers back"
check "worker list shows masked ID numbers only" sh -c "! grep -q -F -f '$T/needles.txt' '$T/out'"

# The register still reads back: a valid emergency-management certificate
# is found by its number, with its holder's full ID checked.
erow=$(reg_valid_rows | grep '^T' | head -n 1)
crow=$(reg_valid_rows | grep -v '^T' | head -n 1)
[ -n "$erow" ] && [ -n "$crow" ] || die "the demo register lacks valid certificates of both systems"
enum=$(printf '%s\n' "$erow" | cut -d, -f1)
ename=$(printf '%s\n' "$erow" | cut -d, -f2)
cnum=$(printf '%s\n' "$crow" | cut -d, -f1)
opcert verify --number "$enum" --name "$ename" --today "$TODAY" --db "$DB"
check_rc 0 "an emergency-management number is found by the number it is sealed under"
opcert verify --number "$enum" --name "${ename}某" --today "$TODAY" --db "$DB"
check_rc 1 "a wrong name on it is still a mismatch"

# An issuance (status slot, credential record, log event) adds none either.
opcert config set official-host opcert.example.cn --db "$DB"
check_rc 0 "config set official-host exits 0"
opcert key init --db "$DB" --today "$TODAY"
check_rc 0 "key init exits 0"
opcert cred issue "$enum" --db "$DB" --today "$TODAY"
check_rc 0 "cred issue of an emergency-management certificate exits 0"
cp "$T/out" "$T/payload-e.txt"
opcert cred issue "$cnum" --db "$DB" --today "$TODAY"
check_rc 0 "cred issue of a construction certificate exits 0"
scan "after cred issue" "$DB"
opcert cred verify "$(cat "$T/payload-e.txt")" --db "$DB" --today "$TODAY" --format json
check_rc 0 "the issued credential verifies (the credential record reads back)"
opcert log verify --db "$DB" --today "$TODAY"
check_rc 0 "log verify passes: sealed log entries open to the events their leaves hash"
opcert log prove 0 --db "$DB" --today "$TODAY"
check_rc 0 "log prove of the first entry exits 0"
scan "after the log commands" "$DB"

# Without the data key: a clear error, nothing read.
mv "$KEYS/data.key" "$T/data.key.away"
opcert verify --number "$enum" --name "$ename" --today "$TODAY" --db "$DB"
check_rc 2 "without the data key verify exits 2"
check_err_has "数据密钥" "the message names the data key"
check_err_has "opcert key restore" "the message says how to get it back"
check_out_empty "without the data key nothing is printed"
opcert demo --certificates 300 --roster 40 --today "$TODAY" --out "$DEMO" --db "$DB" --import
check_rc 2 "demo --import does not make a new key for a sealed database"
check "no new data key was made" test ! -e "$KEYS/data.key"
# Another key is refused.
cp "$T/data.key.away" "$T/data.key.other"
chmod 600 "$T/data.key.other"
printf '\001' | dd of="$T/data.key.other" bs=1 seek=80 conv=notrunc 2>/dev/null
cp "$T/data.key.other" "$KEYS/data.key"
opcert verify --number "$enum" --name "$ename" --today "$TODAY" --db "$DB"
check_rc 2 "another data key is refused"
check_err_has "数据密钥与数据库不符" "the message says the key is not this database's"
cp "$T/data.key.away" "$KEYS/data.key"
chmod 600 "$KEYS/data.key"

# Backup and restore carry the data key.
printf 'backup passphrase\n' >"$T/bpass.txt"
opcert key backup "$T/keys.bak" --backup-passphrase-file "$T/bpass.txt" --db "$DB" --today "$TODAY"
check_rc 0 "key backup exits 0"
mkdir "$T/restored"
opcert key restore "$T/keys.bak" --backup-passphrase-file "$T/bpass.txt" --keys "$T/restored" \
	--db "$DB" --today "$TODAY"
check_rc 0 "key restore exits 0"
check_files_same "$KEYS/data.key" "$T/restored/data.key" "the restored data key is the same"
mkdir "$T/moved"
cp "$DB" "$T/moved/demo.db"
[ -f "$DB-wal" ] && cp "$DB-wal" "$T/moved/demo.db-wal"
opcert verify --number "$enum" --name "$ename" --today "$TODAY" --db "$T/moved/demo.db" \
	--keys "$T/restored"
check_rc 0 "the database reads with the restored key directory"

# A register that signs nothing yet: its key directory holds the data key
# alone, and `key backup` backs that up too.
mkdir "$T/dataonly"
opcert init --db "$T/dataonly/r.db"
opcert import "$DEMO/register.csv" --db "$T/dataonly/r.db"
check_rc 0 "a register without signing keys imports"
check "its key directory has no signing keys" test ! -e "$T/dataonly/keys/keys.json"
opcert key backup "$T/data-only.bak" --backup-passphrase-file "$T/bpass.txt" --db "$T/dataonly/r.db"
check_rc 0 "key backup of the data key alone exits 0"
check_out_has "数据密钥" "it says the data key was backed up"
mkdir "$T/restored-data"
opcert key restore "$T/data-only.bak" --backup-passphrase-file "$T/bpass.txt" \
	--keys "$T/restored-data" --db "$T/dataonly/r.db"
check_rc 0 "key restore of a data-key backup exits 0"
check_eq "$(ls "$T/restored-data")" data.key "the restored directory holds the data key alone"
check_files_same "$T/dataonly/keys/data.key" "$T/restored-data/data.key" "the same data key"
rm "$T/dataonly/keys/data.key"
opcert verify --number "$enum" --name "$ename" --today "$TODAY" --db "$T/dataonly/r.db" \
	--keys "$T/restored-data"
check_rc 0 "the register reads with the restored data key"
mkdir "$T/nokeys"
opcert key backup "$T/none.bak" --backup-passphrase-file "$T/bpass.txt" --keys "$T/nokeys" \
	--db "$T/dataonly/r.db"
check_rc 2 "a key directory with neither kind of key has nothing to back up"
check "and no backup file is written" test ! -e "$T/none.bak"

# ---------------------------------------------------------------------------
# A database of the earlier form: ID numbers as a tagged plain copy, the
# emergency-management number in clear in every table that holds it.
mkdir "$T/old"
V0=$T/old/v0.db
opcert init --db "$V0"
check_rc 0 "init of a new database exits 0"
check "init made the data key beside it" test -s "$T/old/keys/data.key"
r1=$(strip "$DEMO/register.csv" | awk -F, 'NR > 1 && $1 !~ /^T/' | head -n 1)
r2=$(strip "$DEMO/register.csv" | awk -F, 'NR > 1 && $1 ~ /^T/' | head -n 1)
n1=$(printf '%s' "$r1" | cut -d, -f1)
m1=$(printf '%s' "$r1" | cut -d, -f2)
id1=$(printf '%s' "$r1" | cut -d, -f4)
n2=$(printf '%s' "$r2" | cut -d, -f1)
m2=$(printf '%s' "$r2" | cut -d, -f2)
id2=$(printf '%s' "$r2" | cut -d, -f4)
g() { [ $(($(printf '%s' "$1" | cut -c17) % 2)) -eq 1 ] && echo 1 || echo 2; }
sqlite3 "$V0" "
DELETE FROM config WHERE key LIKE 'pii-%';
INSERT INTO issuer_prefix (prefix) VALUES ('$(printf '%s' "$n1" | cut -c1-4)');
INSERT INTO certificate (number, system, name, gender, id_sealed, id_index, trade, issuer,
  issued_on, valid_until, review_due, status, training_institution, created_at, updated_at)
VALUES ('$n1', 1, '$m1', $(g "$id1"), X'00' || CAST('$id1' AS BLOB), CAST('$id1' AS BLOB), '01',
  '贵阳市住房和城乡建设局', 20454, 22646, NULL, 0, '', 0, 0),
 ('$n2', 2, '$m2', $(g "$id2"), X'00' || CAST('$id2' AS BLOB), CAST('$id2' AS BLOB), '1.2',
  '贵州省应急管理厅', 20454, 22646, NULL, 0, '', 0, 0);
INSERT INTO status_slot (slot, number) VALUES (11, '$n2');
INSERT INTO photo (number, mime, data, hash) VALUES ('$n2', 'image/png', X'00', zeroblob(32));
INSERT INTO certificate_change (number, changed_at, change) VALUES ('$n2', 0, '{}');
" || die "could not write the earlier form with sqlite3"
grep -q -a -F "$id2" "$V0" || grep -q -a -F "$id2" "$V0-wal" ||
	die "the fixture does not hold the ID in clear"

opcert verify --number "$n1" --name "$m1" --today "$TODAY" --db "$V0"
check_rc 2 "a database of the earlier form is refused before migration"
check_err_has "opcert init" "the message says to run opcert init"
opcert init --db "$V0"
check_rc 0 "init migrates it"
check_out_has "加密保存" "init says it sealed the personal data"
scan "after the migration" "$V0"
for needle in "$id1" "$id2" "$n2"; do
	for f in "$V0" "$V0-wal"; do
		[ -f "$f" ] || continue
		if grep -q -a -F "$needle" "$f"; then
			fail "after the migration $(basename "$f") holds $needle"
		else
			pass
		fi
	done
done
check_eq "$(sqlite3 "$V0" "select value from config where key = 'pii-format'")" 1 \
	"the database records the form it keeps personal data in"
opcert verify --number "$n2" --name "$m2" --today "$TODAY" --db "$V0"
check_rc 0 "the migrated emergency-management certificate is found and valid"
opcert verify --number "$n1" --name "$m1" --today "$TODAY" --db "$V0"
check_rc 0 "the migrated construction certificate is found and valid"
opcert init --db "$V0"
check_rc 0 "init a second time exits 0"
check_out_lacks "加密保存" "a second init has nothing to migrate"

finish
