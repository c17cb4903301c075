# t_log.sh - the lifecycle commands (renew, suspend, reinstate, revoke, amend)
# and the transparency log (opcert log checkpoint / prove / consistency /
# verify / backfill) end to end: each change recorded with its log entry,
# every refusal an input error that changes nothing, proofs that agree with
# the signed checkpoint, and `log verify` naming each row or entry changed
# behind the system's back with plain SQL on the database file.
. "$OPCERT_SRC/tests/cli/lib.sh"

# The storage's table names, for changing the file behind the system's back.
LOG_ENTRIES=log_entry
LOG_STATE=log_state
CHECKPOINTS=checkpoint

demo_setup
KEYS=$T/keys
opcert key init --keys "$KEYS" --db "$DB"
check_rc 0 "key init exits 0"
[ -d "$KEYS" ] || die "key init made no key directory"
# Every command below finds the keys through the environment.
OPCERT_KEYS=$KEYS
export OPCERT_KEYS

# Certificates valid today: one construction, two emergency-management.
CROW=$(reg_valid_rows | grep -v '^T' | head -1)
EROW=$(reg_valid_rows | grep '^T' | head -1)
EROW2=$(reg_valid_rows | grep '^T' | sed -n 2p)
[ -n "$CROW" ] && [ -n "$EROW" ] && [ -n "$EROW2" ] || die "register.csv lacks valid rows"
CN=$(field 1 "$CROW")
EN=$(field 1 "$EROW")
EN2=$(field 1 "$EROW2")
CNAME=$(field 2 "$CROW")

changes() {
	db_count "$DB" certificate_change
}

entries() {
	db_count "$DB" "$LOG_ENTRIES"
}

# refused DESCRIPTION MESSAGE-PART: the last command was an input error that
# wrote nothing (the log size and change count as in $N0 / $C0).
refused() {
	check_rc 2 "$1 exits 2"
	check_err_has "$2" "$1: the message says why ($2)"
	check_out_empty "$1 prints nothing on stdout"
	check_eq "$(entries)" "$N0" "$1: nothing appended to the log"
	check_eq "$(changes)" "$C0" "$1: no change recorded"
}

# ---------------------------------------------------------------------------
# Lifecycle

N0=$(entries)
C0=$(changes)
opcert renew "$CN" --valid-until 2035-06-30 --db "$DB" --today "$TODAY"
check_rc 0 "renew exits 0"
check_out_has "已记录延期复核" "renew says what was recorded"
check_out_has "2035-06-30" "renew names the new validity"
check_out_has "日志第 $N0 条" "renew names the log entry ($N0)"
check_eq "$(entries)" $((N0 + 1)) "renew appends one log entry"
check_eq "$(changes)" $((C0 + 1)) "renew records one change"
check_eq "$(sqlite3 "$DB" "select ledger_index from certificate where number = '$CN'")" "$N0" \
	"the renewed row points at its log entry"

N0=$(entries)
C0=$(changes)
opcert renew "$CN" --valid-until 2030-01-01 --db "$DB" --today "$TODAY"
refused "renew to an earlier date" "早于现有的 2035-06-30"
opcert renew 黔A012020999999 --valid-until 2035-06-30 --db "$DB" --today "$TODAY"
refused "renew of an unknown number" "登记库中没有证书 黔A012020999999"
opcert renew "$CN" --db "$DB" --today "$TODAY"
refused "renew without --valid-until" "--valid-until"
opcert renew "$CN" --valid-until 2035-02-30 --db "$DB" --today "$TODAY"
refused "renew to a date that does not exist" "无效"
opcert renew --valid-until 2035-06-30 --db "$DB"
refused "renew without a number" "缺少证书编号"

opcert suspend "$CN" --db "$DB"
refused "suspend without --reason" "--reason"
opcert suspend "$CN" --reason "  " --db "$DB"
refused "suspend with a blank reason" "原因不能为空"
opcert suspend "$CN" --reason "现场检查发现违规操作" --db "$DB"
check_rc 0 "suspend exits 0"
check_out_has "已记录暂扣" "suspend says what was recorded"
check_out_has "日志第 $N0 条" "suspend names the log entry"
check_eq "$(sqlite3 "$DB" "select status from certificate where number = '$CN'")" 1 \
	"the row is suspended"
opcert verify --number "$CN" --name "$CNAME" --db "$DB" --today "$TODAY"
check_rc 1 "verify of a suspended certificate exits 1"
check_out_has "暂扣" "verify says suspended"

N0=$(entries)
C0=$(changes)
opcert suspend "$CN" --reason "再次" --db "$DB"
refused "suspend twice" "已处于暂扣状态"
opcert reinstate "$EN" --db "$DB"
refused "reinstate of a certificate not suspended" "未被暂扣"
opcert reinstate "$CN" --db "$DB"
check_rc 0 "reinstate exits 0"
check_out_has "恢复为有效" "reinstate says what was recorded"
opcert verify --number "$CN" --name "$CNAME" --db "$DB" --today "$TODAY"
check_rc 0 "verify after reinstatement exits 0"

N0=$(entries)
opcert revoke "$EN2" --reason "以欺骗手段取得" --db "$DB"
check_rc 0 "revoke exits 0"
check_out_has "已记录注销" "revoke says what was recorded"
check_out_has "日志第 $N0 条" "revoke names the log entry"
N0=$(entries)
C0=$(changes)
opcert revoke "$EN2" --reason "again" --db "$DB"
refused "revoke twice" "已注销"
opcert renew "$EN2" --valid-until 2035-06-30 --db "$DB" --today "$TODAY"
refused "renew of a revoked certificate" "已注销"

opcert amend "$CN" --field name --value "改名" --reason "录入错误" --db "$DB"
check_rc 0 "amend of the name exits 0"
check_out_has "姓名由“$CNAME”改为“改名”" "amend shows the old and new name"
N0=$(entries)
C0=$(changes)
opcert amend "$EN" --field id_number --value 11010519491231002X --reason "录入错误" --db "$DB"
refused "amend of an emergency certificate's ID" "应急管理证书的编号"
opcert amend "$CN" --field number --value X --reason "录入错误" --db "$DB"
refused "amend of an unknown field" "可更正的项"
opcert amend "$CN" --field name --value "改名" --reason "录入错误" --db "$DB"
refused "an amendment that changes nothing" "没有任何改动"
opcert amend "$CN" --field name --value "又改" --db "$DB"
refused "amend without --reason" "--reason"
opcert amend "$CN" --field trade --value 99 --reason "录入错误" --db "$DB"
refused "amend to a trade not in the table" "工种"
LAST=$(sqlite3 "$DB" "select change from certificate_change order by id desc limit 1")
case $LAST in
*'"action":"amend"'*'"reason":"录入错误"'*) pass ;;
*) fail "the amendment's change record names action and reason" "got: $LAST" ;;
esac

# ---------------------------------------------------------------------------
# Checkpoints and proofs

opcert log checkpoint --db "$DB"
check_rc 0 "log checkpoint exits 0"
cp "$T/out" "$T/cp1.txt"
SIZE=$(sed -n 2p "$T/cp1.txt")
ROOT=$(sed -n 3p "$T/cp1.txt")
check_eq "$(sed -n 1p "$T/cp1.txt")" "opcert.local/log" "the checkpoint's origin"
check_eq "$SIZE" "$(entries)" "the checkpoint's size is the number of entries"
check_eq "$(sed -n 4p "$T/cp1.txt")" "" "a blank line ends the checkpoint's body"
check "the checkpoint carries a signature line" grep -q '^— [^ ]* [A-Za-z0-9+/=]*$' "$T/cp1.txt"

opcert log prove 0 --db "$DB"
check_rc 0 "log prove 0 exits 0"
check_out_has "条目：0" "prove names the entry"
check_out_has "导入" "prove shows the event decoded"
check_out_has "根哈希：$ROOT" "prove's root is the checkpoint's root"
check_out_has "树的大小：$SIZE" "prove's size is the checkpoint's size"
NPROOF=$(sed -n 's/^包含证明（\([0-9]*\) 个哈希）：$/\1/p' "$T/out")
check_eq "$(sed -n '/^包含证明/,$p' "$T/out" | sed 1d | grep -c '^[A-Za-z0-9+/]\{43\}=$')" \
	"$NPROOF" "prove prints its proof, one hash a line"
opcert log prove "$SIZE" --db "$DB"
check_rc 2 "prove of an entry past the end exits 2"
check_err_has "$SIZE" "prove past the end names the log size"
opcert log prove abc --db "$DB"
check_rc 2 "prove of a non-number exits 2"

opcert log consistency 10 "$SIZE" --db "$DB"
check_rc 0 "log consistency exits 0"
check_out_has "新根哈希：$ROOT" "consistency's new root is the checkpoint's root"
check_out_has "一致性证明" "consistency prints a proof"
opcert log consistency 20 10 --db "$DB"
check_rc 2 "consistency with the sizes the wrong way round exits 2"
opcert log consistency 1 $((SIZE + 1)) --db "$DB"
check_rc 2 "consistency past the end exits 2"

opcert log verify --db "$DB"
check_rc 0 "log verify of a clean log exits 0"
check_out_has "未发现问题" "log verify says nothing was found"
opcert log verify --against "$T/cp1.txt" --db "$DB"
check_rc 0 "log verify --against its own checkpoint exits 0"
check_out_has "当前日志是它的延续" "log verify says the log extends the checkpoint"

# The log grows: the old checkpoint is still extended.
opcert renew "$EN" --valid-until 2035-06-30 --db "$DB" --today "$TODAY"
check_rc 0 "renew after the checkpoint exits 0"
opcert log verify --against "$T/cp1.txt" --db "$DB"
check_rc 0 "log verify --against an older checkpoint exits 0"

# Bad --against files and missing keys.
printf 'not a checkpoint\n' >"$T/bad.txt"
opcert log verify --against "$T/bad.txt" --db "$DB"
check_rc 2 "log verify --against a file that is no checkpoint exits 2"
opcert log verify --against "$T/missing.txt" --db "$DB"
check_rc 2 "log verify --against a missing file exits 2"
opcert log verify --db "$DB" --keys "$T/nokeys"
check_rc 0 "log verify without the key store still checks the rest"
check_err_has "检查点的签名不核对" "log verify says the signatures went unchecked"
opcert log verify --against "$T/cp1.txt" --db "$DB" --keys "$T/nokeys"
check_rc 2 "log verify --against without the key store exits 2"
opcert log checkpoint --db "$DB" --keys "$T/nokeys"
check_rc 2 "log checkpoint without the key store exits 2"
check_err_has "opcert key init" "log checkpoint without keys says how to make them"

opcert log --db "$DB"
check_rc 2 "log without a subcommand exits 2"
opcert log frobnicate --db "$DB"
check_rc 2 "log with an unknown subcommand exits 2"
opcert log --help
check_rc 0 "log --help exits 0"
check_out_has "opcert log verify" "log --help describes verify"
opcert log backfill --db "$DB"
check_rc 0 "log backfill exits 0"
check_out_has "无需补记" "backfill of a logged register does nothing"

# ---------------------------------------------------------------------------
# Changes behind the system's back, each on its own copy of the database

sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null || die "sqlite3 cannot read $DB"
opcert log checkpoint --db "$DB"
check_rc 0 "a second checkpoint exits 0"
cp "$T/out" "$T/cp2.txt"
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

# tampered NAME SQL: a copy of the database changed with SQL, in $TDB.
tampered() {
	TDB=$T/$1.db
	cp "$DB" "$TDB" || die "cannot copy the database"
	sqlite3 "$TDB" "$2" || die "SQL failed on the copy: $2"
}

# A row other than those changed above.
XROW=$(reg_valid_rows | sed -n 5p)
XN=$(field 1 "$XROW")
XNAME=$(field 2 "$XROW")

tampered edited "update certificate set name = '冒名' where number = '$XN'"
opcert log verify --db "$TDB"
check_rc 1 "log verify of an edited row exits 1"
check_out_has "[登记记录被修改] 证书 $XN" "log verify names the edited row"
opcert verify --number "$XN" --name "冒名" --db "$TDB" --today "$TODAY"
check_rc 1 "verify of an edited row exits 1"
check_out_has "登记记录被篡改" "verify of an edited row says tampered"

tampered deleted "delete from certificate where number = '$XN'"
opcert log verify --db "$TDB"
check_rc 1 "log verify of a deleted row exits 1"
check_out_has "[登记记录被删除] 日志记录了证书 $XN" "log verify names the deleted row"

tampered rolledback "update certificate set valid_until = valid_until - 730,
	ledger_index = (select min(idx) from $LOG_ENTRIES where number = '$CN')
	where number = '$CN'"
opcert log verify --db "$TDB"
check_rc 1 "log verify of a rolled-back row exits 1"
check_out_has "[登记记录被回退] 证书 $CN" "log verify names the rolled-back row"

tampered entrydeleted "delete from $LOG_ENTRIES where idx = 5"
opcert log verify --db "$TDB"
check_rc 1 "log verify of a deleted log entry exits 1"
check_out_has "日志第 5 条不存在" "log verify names the deleted entry"

tampered entryedited "update $LOG_ENTRIES set data = substr(data, 1, 30) || x'00' || substr(data, 32) where idx = 7"
opcert log verify --db "$TDB"
check_rc 1 "log verify of an edited log entry exits 1"
check_out_has "日志第 7 条" "log verify names the edited entry"

tampered swapped "create table t as select * from $LOG_ENTRIES where idx in (8, 9);
	update $LOG_ENTRIES set number = (select number from t where t.idx = 17 - $LOG_ENTRIES.idx),
	leaf = (select leaf from t where t.idx = 17 - $LOG_ENTRIES.idx),
	data = (select data from t where t.idx = 17 - $LOG_ENTRIES.idx) where idx in (8, 9);
	drop table t"
opcert log verify --db "$TDB"
check_rc 1 "log verify of two swapped entries exits 1"
check_out_has "日志第 8 条，现在出现在第 9 条" "log verify names the first swapped entry"
check_out_has "日志第 9 条，现在出现在第 8 条" "log verify names the second swapped entry"

tampered truncated "delete from $LOG_ENTRIES where idx >= $SIZE; delete from $CHECKPOINTS"
opcert log verify --against "$T/cp2.txt" --db "$TDB"
check_rc 1 "log verify --against of a truncated log exits 1"
check_out_has "[日志被改写]" "log verify --against says the log was rewritten"
check_out_has "当前日志不是它的延续" "the summary says the log does not extend the checkpoint"

# The original is untouched by all of this.
opcert log verify --against "$T/cp2.txt" --db "$DB"
check_rc 0 "log verify of the original still exits 0"

# ---------------------------------------------------------------------------
# A register that predates the log

OLD=$T/old.db
cp "$DB" "$OLD"
sqlite3 "$OLD" "update certificate set ledger_index = null; delete from $LOG_ENTRIES;
	delete from $LOG_STATE; delete from $CHECKPOINTS" || die "cannot make a pre-log database"
opcert log verify --db "$OLD"
check_rc 1 "log verify of a register before backfill exits 1"
check_out_has "不在透明日志中" "log verify says the rows are not in the log"
opcert renew "$EN" --valid-until 2036-06-30 --db "$OLD" --today "$TODAY"
check_rc 2 "renew of a row not yet in the log exits 2"
check_err_has "opcert log backfill" "renew says to backfill first"
opcert log backfill --db "$OLD"
check_rc 0 "log backfill exits 0"
check_out_has "已把 300 本" "backfill records every certificate"
opcert log verify --db "$OLD"
check_rc 0 "log verify after backfill exits 0"

finish
