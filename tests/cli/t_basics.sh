# t_basics.sh - help texts, usage errors, the database path, init, demo.
. "$OPCERT_SRC/tests/cli/lib.sh"

COMMANDS="init import verify verify-roster check-id demo help version"

# --- help ------------------------------------------------------------------
opcert help
check_rc 0 "opcert help exits 0"
check_out_has "用法" "opcert help prints 用法"
for c in init import verify verify-roster check-id demo; do
	check_out_has "$c" "opcert help lists the command $c"
done

opcert --help
check_rc 0 "opcert --help exits 0"
check_out_has "用法" "opcert --help prints 用法"

opcert -h
check_rc 0 "opcert -h exits 0"

for c in $COMMANDS; do
	opcert "$c" --help
	check_rc 0 "opcert $c --help exits 0"
	check_out_has "用法" "opcert $c --help prints 用法"
	opcert help "$c"
	check_rc 0 "opcert help $c exits 0"
	check_out_has "用法" "opcert help $c prints 用法"
done
opcert verify --help
check_out_has "--number" "verify --help documents --number"
check_out_has "--format" "verify --help documents --format"
opcert verify-roster --help
check_out_has "jsonl" "verify-roster --help documents jsonl"

opcert
check_rc 2 "opcert without a command exits 2"

opcert version
check_rc 0 "opcert version exits 0"
check_out_has "opcert" "opcert version names the program"

# --- usage errors ----------------------------------------------------------
opcert frobnicate
check_rc 2 "unknown command exits 2"
check_err_nonempty "unknown command says so on stderr"
check_out_empty "unknown command prints nothing on stdout"

opcert help frobnicate
check_rc 2 "opcert help UNKNOWN exits 2"

opcert init --frobnicate --db "$T/u.db"
check_rc 2 "init: unknown option exits 2"
check "init with an unknown option creates no database" test ! -e "$T/u.db"
opcert verify --number 黔A012018000123 --name 张三 --frobnicate --today "$TODAY" --db "$T/u.db"
check_rc 2 "verify: unknown option exits 2"
opcert verify-roster --frobnicate x.csv --today "$TODAY"
check_rc 2 "verify-roster: unknown option exits 2"
opcert check-id --frobnicate 11010519491231002X
check_rc 2 "check-id: unknown option exits 2"
opcert import --frobnicate x.csv
check_rc 2 "import: unknown option exits 2"
opcert demo --frobnicate --out "$T/nodemo"
check_rc 2 "demo: unknown option exits 2"
check "demo with an unknown option writes nothing" test ! -e "$T/nodemo"
opcert version --frobnicate
check_rc 2 "version: unknown option exits 2"

opcert verify --name 张三 --today "$TODAY" --db "$T/u.db"
check_rc 2 "verify without --number exits 2"
check_err_has "--number" "verify without --number names the option"
opcert verify --number 黔A012018000123 --today "$TODAY" --db "$T/u.db"
check_rc 2 "verify without --name exits 2"
check_err_has "--name" "verify without --name names the option"
opcert verify --number 黔A012018000123 --name 张三 --format xml --today "$TODAY" --db "$T/u.db"
check_rc 2 "verify --format xml exits 2"
opcert verify --number --name --today "$TODAY"
check_rc 2 "verify --number with no value but an option exits 2"
opcert verify --number
check_rc 2 "verify --number missing its argument exits 2"
opcert verify-roster --today "$TODAY" --db "$T/u.db"
check_rc 2 "verify-roster without a file exits 2"
opcert verify-roster a.csv b.csv --today "$TODAY" --db "$T/u.db"
check_rc 2 "verify-roster with two files exits 2"
opcert verify-roster x.csv --format xml --today "$TODAY"
check_rc 2 "verify-roster --format xml exits 2"
opcert import
check_rc 2 "import without a file exits 2"
opcert check-id
check_rc 2 "check-id without arguments exits 2"
opcert demo --certificates 10 --out "$T/nodemo"
check_rc 2 "demo --certificates below the minimum exits 2"
opcert demo --certificates many --out "$T/nodemo"
check_rc 2 "demo --certificates not a number exits 2"
opcert demo --seed -1 --out "$T/nodemo"
check_rc 2 "demo --seed negative exits 2"
opcert init --db ""
check_rc 2 "--db with an empty path exits 2"

for d in 2026-13-01 2026-02-30 2026-6-31 yesterday "" 2026-06-30x 2026-06-30T00:00; do
	opcert check-id 11010519491231002X --today "$d"
	check_rc 2 "check-id --today '$d' exits 2"
	check_err_has "--today" "bad --today '$d' is named in the message"
	check_out_empty "bad --today '$d' prints nothing on stdout"
	opcert verify --number 黔A012018000123 --name 张三 --today "$d" --db "$T/u.db"
	check_rc 2 "verify --today '$d' exits 2"
done
opcert check-id 11010519491231002X --today 2024-02-29
check_rc 0 "--today 2024-02-29 (a leap day) is accepted"

# --- database path ---------------------------------------------------------
mkdir "$T/cwd" && cd "$T/cwd" || die "cannot make a working directory"

opcert verify --number 黔A012018000123 --name 张三 --today "$TODAY"
check_rc 2 "verify with no database exits 2"
check_err_has "opcert init" "a missing database message tells to run opcert init"
check_out_empty "verify with no database prints nothing on stdout"
check "verify does not create ./opcert.db" test ! -e "$T/cwd/opcert.db"

printf '姓名,身份证号码,证书编号\n张三,11010519491231002X,黔A012018000123\n' >"$T/one.csv"
opcert verify-roster "$T/one.csv" --today "$TODAY"
check_rc 2 "verify-roster with no database exits 2"
check_err_has "opcert init" "verify-roster: missing database message tells to run opcert init"
check_out_empty "verify-roster with no database prints nothing on stdout"
check "verify-roster does not create ./opcert.db" test ! -e "$T/cwd/opcert.db"

opcert verify --number 黔A012018000123 --name 张三 --today "$TODAY" --db "$T/nowhere.db"
check_rc 2 "verify --db MISSING exits 2"
check_err_has "opcert init" "verify --db MISSING tells to run opcert init"
check "verify --db MISSING does not create it" test ! -e "$T/nowhere.db"

opcert init
check_rc 0 "opcert init with no --db exits 0"
check "opcert init with no --db and no OPCERT_DB creates ./opcert.db" test -s "$T/cwd/opcert.db"
opcert init
check_rc 0 "opcert init a second time exits 0"
check_eq "$(db_count "$T/cwd/opcert.db" certificate)" 0 "a fresh database holds no certificate"

OPCERT_DB=$T/env.db
export OPCERT_DB
opcert init
check_rc 0 "opcert init with OPCERT_DB exits 0"
check "OPCERT_DB names the database" test -s "$T/env.db"
opcert init --db "$T/flag.db"
check_rc 0 "opcert init --db with OPCERT_DB set exits 0"
check "--db wins over OPCERT_DB" test -s "$T/flag.db"
opcert init --db "$T/flag.db"
check_rc 0 "opcert init --db twice exits 0"

# The register goes where OPCERT_DB says; --db overrides it for reads.
opcert demo --certificates 300 --roster 40 --today "$TODAY" --out "$T/envdemo" --import
check_rc 0 "demo --import with OPCERT_DB exits 0"
check_eq "$(db_count "$T/env.db" certificate)" 300 "demo --import loaded 300 rows into \$OPCERT_DB"
check_eq "$(db_count "$T/cwd/opcert.db" certificate)" 0 "./opcert.db untouched when OPCERT_DB is set"
row=$(reg_valid_rows "$T/envdemo" | head -1)
num=$(printf '%s\n' "$row" | cut -d, -f1)
name=$(printf '%s\n' "$row" | cut -d, -f2)
[ -n "$row" ] || fail "no valid register row found in $T/envdemo"
opcert verify --number "$num" --name "$name" --today "$TODAY"
check_rc 0 "verify reads \$OPCERT_DB: $num is valid"
opcert verify --number "$num" --name "$name" --today "$TODAY" --db "$T/cwd/opcert.db"
check_rc 1 "verify --db (an empty register) overrides \$OPCERT_DB: not valid there"
unset OPCERT_DB
opcert verify --number "$num" --name "$name" --today "$TODAY"
check_rc 1 "without OPCERT_DB verify reads ./opcert.db (empty register)"
cd "$T" || die "cd"

# --- demo --------------------------------------------------------------------
opcert demo --certificates 300 --roster 40 --today "$TODAY" --out "$T/d1"
check_rc 0 "demo exits 0"
for f in register.csv roster-clean.csv roster-violations.csv; do
	check "demo writes $f" test -s "$T/d1/$f"
done
check_eq "$(strip "$T/d1/register.csv" | sed 1d | wc -l | tr -d ' ')" 300 \
	"register.csv has --certificates 300 data rows"
check_eq "$(strip "$T/d1/roster-clean.csv" | sed 1d | wc -l | tr -d ' ')" 40 \
	"roster-clean.csv has --roster 40 data rows"
check_eq "$(strip "$T/d1/register.csv" | sed 1d | cut -d, -f1 | sort | uniq -d | wc -l | tr -d ' ')" 0 \
	"register.csv numbers are unique"
bad_ids=0
for id in $(strip "$T/d1/register.csv" | sed 1d | cut -d, -f4 | head -60); do
	id_valid "$id" || bad_ids=$((bad_ids + 1))
done
check_eq "$bad_ids" 0 "register.csv ID numbers are valid by checksum (first 60 checked)"

opcert demo --certificates 300 --roster 40 --today "$TODAY" --out "$T/d2"
check_rc 0 "demo (second run) exits 0"
for f in register.csv roster-clean.csv roster-violations.csv; do
	check_files_same "$T/d1/$f" "$T/d2/$f" "demo is deterministic: $f identical on the same seed and day"
done
opcert demo --certificates 300 --roster 40 --today "$TODAY" --seed 1 --out "$T/d3"
check_files_same "$T/d1/register.csv" "$T/d3/register.csv" "the default seed is 1"
opcert demo --certificates 300 --roster 40 --today "$TODAY" --seed 2 --out "$T/d4"
check_rc 0 "demo --seed 2 exits 0"
if cmp -s "$T/d1/register.csv" "$T/d4/register.csv"; then
	fail "a different seed gives a different register.csv"
else
	pass
fi
if cmp -s "$T/d1/roster-clean.csv" "$T/d4/roster-clean.csv"; then
	fail "a different seed gives a different roster-clean.csv"
else
	pass
fi
opcert demo --certificates 300 --roster 40 --today 2025-01-15 --out "$T/d5"
if cmp -s "$T/d1/register.csv" "$T/d5/register.csv"; then
	fail "a different --today gives a different register.csv"
else
	pass
fi

mkdir "$T/cwd2" && cd "$T/cwd2" || die "cd"
opcert demo --certificates 300 --roster 40 --today "$TODAY"
check_rc 0 "demo with no --out exits 0"
check "demo writes into ./demo by default" test -s "$T/cwd2/demo/register.csv"
check_files_same "$T/d1/register.csv" "$T/cwd2/demo/register.csv" "./demo/register.csv is the same data"
check "demo without --import creates no database" test ! -e "$T/cwd2/opcert.db"
cd "$T" || die "cd"

demo_setup
check_eq "$(db_count "$DB" certificate)" 300 "demo --import loads all 300 register rows"
opcert demo --certificates 300 --roster 40 --today "$TODAY" --out "$DEMO" --db "$DB" --import
check_rc 0 "demo --import a second time (refresh) exits 0"
check_eq "$(db_count "$DB" certificate)" 300 "demo --import again keeps 300 rows"
n=0
reg_valid_rows | head -5 >"$T/valid5"
while IFS=, read -r num name _rest; do
	n=$((n + 1))
	opcert verify --number "$num" --name "$name" --today "$TODAY" --db "$DB"
	check_rc 0 "a valid register.csv row verifies: $num"
	check_out_has "valid" "verify $num says valid"
done <"$T/valid5"
check_eq "$n" 5 "register.csv has valid certificates to verify"

finish
