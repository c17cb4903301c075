# t_checkid.sh - opcert check-id: GB 11643 validity as DOMAIN.md section 3 defines it.
. "$OPCERT_SRC/tests/cli/lib.sh"

ci() {
	opcert check-id --today "$TODAY" "$@"
}
# mkid FIRST17: the ID with its right check character (computed by the test).
mkid() {
	printf '%s%s' "$1" "$(id_check_char "$1")"
}
# wrongcheck FIRST17: the ID with a wrong check character.
wrongcheck() {
	case $(id_check_char "$1") in
	1) printf '%s2' "$1" ;;
	*) printf '%s1' "$1" ;;
	esac
}

# The known-good sample, and the test's own check-character computation.
check_eq "$(id_check_char 11010519491231002)" X "the check character of 11010519491231002 is X"
ci 11010519491231002X
check_rc 0 "11010519491231002X is valid"
check_out_has "11010519491231002X" "the answer names the number"
check_out_has "有效" "the answer says 有效"
check_out_has "女" "sequence 002 (even) is female"
check_out_has "1949-12-31" "the birth date is read from the number"
ci 11010519491231002x
check_rc 0 "a lowercase x is accepted"

ci 110105194912310021
check_rc 1 "a wrong check character exits 1"
check_out_has "校验码" "a wrong check character is named (校验码)"
check_out_has "无效" "a wrong check character says 无效"

male=$(mkid 52010219800101001)
ci "$male"
check_rc 0 "a computed valid ID ($male) is valid"
check_out_has "男" "sequence 001 (odd) is male"

# A mix: one line per number, in order, exit 1.
bad=$(wrongcheck 52010219800101001)
ci 11010519491231002X "$bad" 123 "$male"
check_rc 1 "a mix of good and bad numbers exits 1"
check_eq "$(wc -l <"$T/out" | tr -d ' ')" 4 "a mix of four numbers: four lines"
check_eq "$(sed -n 1p "$T/out" | grep -c 11010519491231002X)" 1 "line 1 is about the first number"
check_eq "$(sed -n 2p "$T/out" | grep -c "$bad")" 1 "line 2 is about the second number"
check_eq "$(sed -n 2p "$T/out" | grep -c 校验码)" 1 "line 2 gives the reason 校验码"
check_eq "$(sed -n 3p "$T/out" | grep -c '^123')" 1 "line 3 is about the third number"
check_eq "$(sed -n 3p "$T/out" | grep -c 无效)" 1 "line 3 says 无效"
check_eq "$(sed -n 4p "$T/out" | grep -c "$male")" 1 "line 4 is about the fourth number"
check_eq "$(sed -n 4p "$T/out" | grep -c 无效)" 0 "line 4 (a valid number) is not 无效"
ci 11010519491231002X "$male"
check_rc 0 "two valid numbers exit 0"

# Birth dates: future (relative to --today), impossible, leap days.
fut=$(mkid 52010220260701001)
ci "$fut"
check_rc 1 "a birth date after --today is invalid ($fut)"
opcert check-id --today 2026-07-01 "$fut"
check_rc 0 "the same ID is valid from its birth day on"
opcert check-id --today 1949-12-30 11010519491231002X
check_rc 1 "11010519491231002X is invalid on a --today before 1949-12-31"
ci "$(mkid 52010219900230001)"
check_rc 1 "birth date 1990-02-30 is invalid"
ci "$(mkid 52010219901301001)"
check_rc 1 "birth month 13 is invalid"
ci "$(mkid 52010219900100001)"
check_rc 1 "birth day 00 is invalid"
ci "$(mkid 52010219000229001)"
check_rc 1 "1900-02-29 is invalid (1900 is not a leap year)"

# Birth years from 1800: DOMAIN asks only for a real date not in the future.
old1899=$(mkid 52010218991231002)
ci "$old1899"
check_rc 0 "a birth date of 1899-12-31 is valid ($old1899)"
check_out_has "1899-12-31" "the 1899 birth date is read from the number"
check_out_has "女" "the 1899 number's gender is read from its sequence digit"
ci "$(mkid 52010218000101001)"
check_rc 0 "a birth date of 1800-01-01 is valid"
check_out_has "1800-01-01" "the 1800 birth date is read from the number"
ci "$(mkid 52010217991231001)"
check_rc 1 "a birth date of 1799-12-31 is refused"
check_out_has "出生日期无效" "1799: the reason is the birth date"
ci "$(mkid 52010218000229001)"
check_rc 1 "1800-02-29 is invalid (1800 is not a leap year)"
# ... and such a number is as valid in the register and in a verification,
# while dates typed by users keep their bounds
printf '证书编号,姓名,性别,身份证号码,工种,发证机关,发证日期,有效期至,复审日期,状态,培训机构\n%s\n' \
	"黔A012025000001,老寿星,女,$old1899,01,贵阳市住房和城乡建设局,2025-09-15,2027-09-14,,有效,贵阳示例建设职业培训学校" \
	>"$T/old.csv"
opcert init --db "$T/old.db"
opcert import "$T/old.csv" --today "$TODAY" --db "$T/old.db"
check_rc 0 "a register row with an 1899 birth date is imported"
opcert verify --number 黔A012025000001 --name 老寿星 --id "$old1899" --today "$TODAY" --db "$T/old.db"
check_rc 0 "a certificate whose holder was born in 1899 verifies as valid with the ID number"
opcert verify --number 黔A012025000001 --name 老寿星 --today 1899-12-31 --db "$T/old.db"
check_rc 2 "--today 1899-12-31 is still out of range"
ci "$(mkid 52010220000229001)"
check_rc 0 "2000-02-29 is valid (2000 is a leap year)"
ci "$(mkid 52010219960229001)"
check_rc 0 "1996-02-29 is valid"

# Province codes: the first two digits only; any county code.
for p in 11 15 21 23 31 37 41 46 50 54 61 65 71 81 82; do
	ci "$(mkid "${p}010219800101001")"
	check_rc 0 "province code $p is accepted"
done
for p in 00 10 16 20 24 30 38 40 47 49 55 60 66 70 72 80 83 99; do
	ci "$(mkid "${p}010219800101001")"
	check_rc 1 "province code $p is refused"
done
ci "$(mkid 52011419800101001)"
check_rc 0 "520114 (an abolished county, still on genuine cards) is accepted"
ci "$(mkid 52999919800101001)"
check_rc 0 "an unknown county code of a real province is accepted"

# Shape.
ci 1101051949123100
check_rc 1 "16 characters is invalid"
ci 11010519491231002X1
check_rc 1 "19 characters is invalid"
ci 1101051949123100XX
check_rc 1 "X anywhere but last is invalid"
ci 11010519491231002Y
check_rc 1 "a Y check character is invalid"
ci 11010519491231002X0
check_rc 1 "extra trailing digit is invalid"
ci "１１０１０５１９４９１２３１００２Ｘ"
check_rc 1 "full-width digits are not an ID number"
check_out_has "含有非法字符“１”（第1位）" "the first full-width digit is named with its place"
ci "52010219800101001０"
check_rc 1 "a full-width last digit is invalid"
check_out_has "含有非法字符“０”（第18位）" "the full-width last digit is named with its place"
ci ""
check_rc 1 "an empty argument is invalid, not a crash"
ci 5.20102E+17
check_rc 1 "an Excel-mangled 5.20102E+17 is invalid"
check_out_has "文本" "an Excel-mangled number: the answer tells to format the column as 文本"

# Usage.
opcert check-id
check_rc 2 "check-id with no number exits 2"
check_out_empty "check-id with no number prints nothing on stdout"
opcert check-id --today 2026-02-30 11010519491231002X
check_rc 2 "check-id with an impossible --today exits 2"

finish
