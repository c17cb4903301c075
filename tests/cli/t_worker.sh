# t_worker.sh - opcert worker: registering the special-operation workers of
# a project from the command line.  add (each verdict, exit 1 when it is
# not valid, refusals with the field named), import of a site roster (by
# --project or by the 项目名称 column, a GBK file from Excel, all or nothing
# with file, line and column, a second import counted as already there),
# list (table and JSON, masked ID numbers, --all for those who left),
# remove, the audit trail and --help.
. "$OPCERT_SRC/tests/cli/lib.sh"

demo_setup

opcert worker --help
check_rc 0 "worker --help exits 0"
check_out_has "opcert worker add --project ID" "help shows add"
check_out_has "import [--project ID] FILE" "help shows import"
check_out_has "完整身份证号码" "help says what a registration entitles to"
opcert help
check_out_has "worker" "opcert help lists worker"

opcert project list --json --db "$DB"
check_rc 0 "project list --json"
P1=$(jq -r '.[0].id' "$T/out")
P1NAME=$(jq -r '.[0].name' "$T/out")
P2=$(jq -r '.[1].id' "$T/out")
[ -n "$P1" ] && [ "$P1" != null ] && [ -n "$P2" ] && [ "$P2" != null ] || die "the demo has no two projects"

ROW=$(reg_valid_rows | grep -v '^T' | head -n 1)
NUM=$(printf '%s' "$ROW" | cut -d, -f1)
NAME=$(printf '%s' "$ROW" | cut -d, -f2)
ID=$(printf '%s' "$ROW" | cut -d, -f4)
MASKED=$(printf '%s' "$ID" | cut -c1-6)********$(printf '%s' "$ID" | cut -c15-18)
[ -n "$NUM" ] && [ -n "$ID" ] || die "no valid construction certificate in the demo register"

# --- add ------------------------------------------------------------------------

opcert worker add --project "$P1" --name "$NAME" --id "$ID" --number "$NUM" --db "$DB" --today "$TODAY"
check_rc 0 "a valid card: exit 0"
check_out_has "核验结论：有效" "add prints the verdict"
check_out_has "$MASKED" "add prints the ID number masked"
check_out_lacks "$ID" "add never prints the full ID number"
W1=$(sed -n 's/^已登记：登记编号 \([0-9][0-9]*\)，.*/\1/p' "$T/out")
[ -n "$W1" ] || die "add printed no registration number"

opcert worker add --project "$P2" --name "${NAME}某" --id "$ID" --number "$NUM" --db "$DB" --today "$TODAY"
check_rc 1 "another name on the card: exit 1, registered all the same"
check_out_has "信息不符" "the verdict is mismatch"
check_out_has "疑似转借/冒用" "the card is on another running project too"
W2=$(sed -n 's/^已登记：登记编号 \([0-9][0-9]*\)，.*/\1/p' "$T/out")

opcert worker add --project "$P1" --name 钱九 --id 11010519491231002X --db "$DB" --today "$TODAY"
check_rc 1 "no certificate: exit 1"
check_out_has "核验结论：无证" "no certificate is 无证"

opcert worker add --project "$P1" --name "$NAME" --id "$ID" --number "$NUM" --db "$DB" --today "$TODAY"
check_rc 2 "the same person and card twice: exit 2"
check_err_has "已登记在这个项目上" "the refusal says why"

opcert worker add --project "$P1" --name 孙七 --id 110105194912310021 --db "$DB" --today "$TODAY"
check_rc 2 "a bad ID number: exit 2"
check_err_has "身份证号码" "the refusal names the field"
opcert worker add --project "$P1" --name 孙七 --id 11010519491231002X --gender 男 --db "$DB" --today "$TODAY"
check_rc 2 "a gender the ID number contradicts: exit 2"
check_err_has "性别" "the refusal names the field"
opcert worker add --project 99999 --name 孙七 --id 11010519491231002X --db "$DB" --today "$TODAY"
check_rc 2 "an unknown project: exit 2"
check_err_has "不存在" "the refusal says the project does not exist"
opcert worker add --project abc --name 孙七 --id 11010519491231002X --db "$DB"
check_rc 2 "a project number that is no number: exit 2"
opcert worker add --name 孙七 --id 11010519491231002X --db "$DB"
check_rc 2 "add without --project: exit 2"
check_err_has "--project" "the usage error names the option"
opcert worker add --project "$P1" --id 11010519491231002X --db "$DB"
check_rc 2 "add without --name: exit 2"

# --- list and remove ------------------------------------------------------------

opcert worker list --project "$P1" --db "$DB"
check_rc 0 "list exits 0"
check_out_has "登记编号" "the table has its header"
check_out_has "$MASKED" "the table shows the ID number masked"
check_out_lacks "$ID" "the table never shows a full ID number"
opcert worker list --project "$P1" --json --db "$DB"
check_rc 0 "list --json exits 0"
check_eq "$(jq length "$T/out")" 2 "two workers on the first project"
check_eq "$(jq -r ".[] | select(.id == $W1) | .verdict" "$T/out")" valid "the JSON has the verdict"
check_eq "$(jq -r ".[] | select(.id == $W1) | .id_number" "$T/out")" "$MASKED" "the JSON masks the ID number"

opcert worker remove "$W1" --db "$DB"
check_rc 0 "remove exits 0"
opcert worker remove "$W1" --db "$DB"
check_rc 2 "removing twice: exit 2"
check_err_has "已离开" "the refusal says the worker has left"
opcert worker list --project "$P1" --json --db "$DB"
check_eq "$(jq length "$T/out")" 1 "a worker who left is not listed"
opcert worker list --project "$P1" --all --json --db "$DB"
check_eq "$(jq -r ".[] | select(.id == $W1) | .removed_at != null" "$T/out")" true "--all lists them, marked"
opcert worker remove "$W2" --db "$DB"
check_rc 0 "the mismatched card leaves the second project"
check_eq "$(sqlite3 "$DB" "select count(*) from trail where action = 'worker.add'")" 3 "each registration is in the trail"
check_eq "$(sqlite3 "$DB" "select count(*) from trail where action = 'worker.remove'")" 2 "each removal is in the trail"
check "the trail holds no full ID number" sh -c "! sqlite3 '$DB' 'select detail from trail' | grep -q '$ID'"

# --- import ---------------------------------------------------------------------

NROWS=$(strip "$DEMO/roster-clean.csv" | awk 'NR > 1' | wc -l | tr -d ' ')
opcert worker import "$DEMO/roster-clean.csv" --db "$DB" --today "$TODAY"
check_rc 0 "the clean roster, each row to the project it names: exit 0"
check_out_has "新登记 $NROWS 人" "every row registered"
opcert worker import "$DEMO/roster-clean.csv" --db "$DB" --today "$TODAY"
check_rc 0 "the same roster again: exit 0"
check_out_has "已在项目上 $NROWS 人" "a second import finds everyone already there"

opcert worker import --project "$P1" "$DEMO/roster-clean.csv" --db "$DB" --today "$TODAY"
check_rc 2 "rows naming other projects than --project: exit 2"
check_err_has "roster-clean.csv" "the error names the file"
check_err_has "项目名称" "the error names the column"

# A GBK file as Excel saves it, without a project column, to --project.
printf '姓名,性别,身份证号码,工种,证书编号\r\n张大力,男,52010219850312001X,建筑电工,\r\n' |
	iconv -f UTF-8 -t GBK >"$T/gbk.csv"
opcert worker import --project "$P2" "$T/gbk.csv" --db "$DB" --today "$TODAY"
check_rc 1 "a GBK roster: registered (无证: exit 1)"
check_out_has "无证 1" "the counts by verdict"
opcert worker list --project "$P2" --json --db "$DB"
check_eq "$(jq -r '.[] | select(.name == "张大力") | .post' "$T/out")" 建筑电工 "the GBK names read right"

# All or nothing: a bad ID number on line 3 of 3 adds nobody.
BEFORE=$(sqlite3 "$DB" "select count(*) from project_worker")
printf '姓名,身份证号码,证书编号\n王小二,11010519491231002X,\n李小三,110105194912310021,\n' >"$T/bad.csv"
opcert worker import --project "$P2" "$T/bad.csv" --db "$DB" --today "$TODAY"
check_rc 2 "a bad row: exit 2"
check_err_has "bad.csv:3" "the error names the file and line"
check_err_has "身份证号码" "the error names the column"
check_eq "$(sqlite3 "$DB" "select count(*) from project_worker")" "$BEFORE" "nothing was registered"
printf '姓名,身份证号码,证书编号\n王小二,11010519491231002X,\n' >"$T/noproj.csv"
opcert worker import "$T/noproj.csv" --db "$DB" --today "$TODAY"
check_rc 2 "no --project and no project column: exit 2"
check_err_has "--project" "the error says how to name the project"
opcert worker import --project "$P2" "$T/missing.csv" --db "$DB"
check_rc 2 "a missing file: exit 2"

finish
