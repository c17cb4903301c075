# t_audit.sh - the audit trail end to end: the import and the lifecycle,
# key, setting and credential commands each leave an entry with who did it
# and what changed (ID numbers masked); `audit list` filters by account and
# date; `audit verify` passes on an untouched trail and, after plain SQL on
# the database file, exits 1 naming the entry edited or deleted.
. "$OPCERT_SRC/tests/cli/lib.sh"

TRAIL=trail

USER=alice
export USER
# The register alone (demo --import would also bring the demo's companies
# and projects, each an entry of its own).
opcert demo --certificates 300 --roster 40 --today "$TODAY" --out "$DEMO"
check_rc 0 "demo exits 0"
opcert init --db "$DB"
opcert import "$DEMO/register.csv" --db "$DB"
check_rc 0 "the register imports"
KEYS=$T/keys
OPCERT_KEYS=$KEYS
export OPCERT_KEYS
opcert key init --db "$DB"
check_rc 0 "key init exits 0"

CROW=$(reg_valid_rows | grep -v '^T' | head -1)
CROW2=$(reg_valid_rows | grep -v '^T' | sed -n 2p)
EROW=$(reg_valid_rows | grep '^T' | head -1)
[ -n "$CROW" ] && [ -n "$CROW2" ] && [ -n "$EROW" ] || die "register.csv lacks valid rows"
CN=$(field 1 "$CROW")
CN2=$(field 1 "$CROW2")
CID=$(field 4 "$CROW")
EN=$(field 1 "$EROW")
EID=$(field 4 "$EROW")

entries() {
	db_count "$DB" "$TRAIL"
}

check_eq "$(entries)" 2 "the demo import and key init are two entries"

opcert suspend "$CN" --reason 现场检查发现违规 --db "$DB"
check_rc 0 "suspend exits 0"
opcert reinstate "$CN" --db "$DB"
check_rc 0 "reinstate exits 0"
USER=bob opcert revoke "$EN" --reason 伪造材料 --db "$DB"
check_rc 0 "revoke by another user exits 0"
opcert amend "$CN2" --field id_number --value "$CID" --reason 录入错误 --db "$DB" --today "$TODAY"
check_rc 0 "amend of an ID number exits 0"
opcert renew "$CN2" --valid-until 2036-01-01 --db "$DB" --today "$TODAY"
check_rc 0 "renew exits 0"
opcert config set official-host verify.example.gov.cn --db "$DB"
check_rc 0 "config set exits 0"
opcert suspend "$CN" --db "$DB"
check_rc 2 "a refused suspend exits 2"
check_eq "$(entries)" 8 "each change is one entry; a refused one none"

opcert audit list --db "$DB"
check_rc 0 "audit list exits 0"
for h in 时间 账号 角色 地址 操作 对象 详情; do
	check_out_has "$h" "audit list has the column $h"
done
for a in 导入登记表 创建密钥 暂扣 恢复 注销 更正 延期复核 修改设置; do
	check_out_has "$a" "audit list shows the action $a"
done
check_out_has "cli:alice" "audit list names the account"
check_out_has "命令行" "audit list names the role"
check_out_has '"file":"register.csv"' "the import entry names the file"
check_out_has '"inserted":300' "the import entry counts the rows inserted"
check_out_has '"reason":"现场检查发现违规"' "the suspension entry has its reason"
check_out_has '"status":["valid","suspended"]' "the suspension entry has before and after"
check_out_has "共 8 条" "audit list counts the entries"
check_out_lacks "$CID" "no full ID number in the trail (construction)"
check_out_lacks "$EID" "no full ID number in the trail (emergency management)"
check_out_has "$(printf '%s' "$CID" | cut -c1-6)********$(printf '%s' "$CID" | cut -c15-18)" \
	"the amended ID number appears masked"
check_out_has "cert:T$(printf '%s' "$EID" | cut -c1-6)********" \
	"an emergency-management number is masked as the object"

opcert audit list --user cli:bob --db "$DB"
check_rc 0 "audit list --user exits 0"
check_out_has "共 1 条" "--user cli:bob lists one entry"
check_out_has "注销" "--user cli:bob lists the revocation"
check_out_lacks "cli:alice" "--user cli:bob lists nobody else"
opcert audit list --user nobody --db "$DB"
check_out_has "共 0 条" "--user of an unknown account lists nothing"
opcert audit list --since 2000-01-01 --db "$DB"
check_out_has "共 8 条" "--since a past date lists everything"
opcert audit list --since 2099-01-01 --db "$DB"
check_out_has "共 0 条" "--since a future date lists nothing"
opcert audit list --since 2026-13-45 --db "$DB"
check_rc 2 "--since with a bad date exits 2"
opcert audit list --json --user cli:alice --db "$DB"
check_rc 0 "audit list --json exits 0"
check_eq "$(grep -c '"seq":' "$T/out")" 7 "--json lists alice's seven entries"
check_out_has '"action": "cert.amend"' "--json has the action codes"

opcert audit verify --db "$DB"
check_rc 0 "audit verify of an untouched trail exits 0"
check_out_has "未发现问题" "audit verify finds nothing"
check_out_has "尚未锚定" "audit verify says the newest entries are not anchored yet"

opcert log checkpoint --db "$DB"
check_rc 0 "log checkpoint exits 0"
opcert audit verify --db "$DB"
check_rc 0 "audit verify after a checkpoint exits 0"
check_out_has "锚点确认：第 1 至 8 条（在签名检查点内）" "the checkpoint anchors all eight entries"
opcert log verify --db "$DB"
check_rc 0 "log verify accepts the anchor"
N0=$(db_count "$DB" log_entry)
opcert log checkpoint --db "$DB"
check_eq "$(db_count "$DB" log_entry)" "$N0" "a checkpoint with the trail unchanged anchors nothing more"

# The table refuses honest mistakes.
sqlite3 "$DB" "update $TRAIL set detail = '{}' where seq = 3" 2>/dev/null
check "an UPDATE of the trail is refused" test "$?" -ne 0
check_eq "$(sqlite3 "$DB" "select count(*) from $TRAIL where detail = '{}'")" 0 "nothing changed"

# Someone with the file drops the guards and edits.
cp "$DB" "$T/clean.db"
sqlite3 "$DB" "drop trigger trail_no_update; drop trigger trail_no_delete;
	update $TRAIL set detail = '{\"reason\":\"\"}' where seq = 3" || die "sqlite3 failed"
opcert audit verify --db "$DB"
check_rc 1 "audit verify of an edited entry exits 1"
check_out_has "审计记录第 3 条被修改" "audit verify names the edited entry"

cp "$T/clean.db" "$DB"
sqlite3 "$DB" "drop trigger trail_no_delete; delete from $TRAIL where seq = 5" || die "sqlite3 failed"
opcert audit verify --db "$DB"
check_rc 1 "audit verify of a deleted entry exits 1"
check_out_has "审计记录第 5 条被删除" "audit verify names the deleted entry"

cp "$T/clean.db" "$DB"
sqlite3 "$DB" "drop trigger trail_no_delete; delete from $TRAIL where seq >= 7" || die "sqlite3 failed"
opcert audit verify --db "$DB"
check_rc 1 "audit verify of an anchored tail deleted exits 1"
check_out_has "第 7 至 8 条被删除" "audit verify names the anchored entries deleted"

cp "$T/clean.db" "$DB"
opcert cred issue "$CN2" --db "$DB" --today "$TODAY"
check_rc 0 "cred issue exits 0"
opcert audit list --db "$DB"
check_out_has "签发凭证" "the issuance is in the trail"
check_out_has "共 9 条" "the issuance is one entry"
opcert audit verify --db "$DB"
check_rc 0 "audit verify after an issuance exits 0"
check_out_has "锚点确认：第 1 至 9 条（在签名检查点内）" "the issuance's checkpoint anchors it"

opcert audit --help
check_rc 0 "audit --help exits 0"
check_out_has "如何发现篡改" "audit --help explains tamper detection"
opcert audit
check_rc 2 "audit without a subcommand exits 2"

finish
