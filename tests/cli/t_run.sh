#!/bin/sh
# t_run.sh - `make run`'s script (scripts/run.sh) as a newcomer finds it, in a
# scratch directory and without starting its server: the closing block on the
# screen and in README.txt (address, every demo account with its Chinese role
# and a one-time password that signs in, what to try first, the phone, the
# access log); with TLS=1 the self-signed certificate, private, for the
# machine's addresses, and QR codes pointing to the LAN address.
. "$(dirname "$0")/lib.sh"
. "$OPCERT_SRC/tests/http/httplib.sh"

cleanup() {
	for _p in $SERVERS; do
		kill "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
}
trap cleanup EXIT

# --- plain HTTP ---------------------------------------------------------------
D=$T/demo-http
# run.sh prints a certificate (cred issue --pdf): fontconfig's and cairo's
# own leaks are suppressed narrowly, as for t_cred.sh (tests/lsan.supp).
LSAN_RENDER="suppressions=$OPCERT_SRC/tests/lsan.supp:fast_unwind_on_malloc=0"
run env LSAN_OPTIONS="$LSAN_RENDER" OPCERT="$OPCERT" OPCERT_DEMO_DIR="$D" OPCERT_RUN_NO_SERVE=1 OPCERT_LAN_IP=192.0.2.7 \
	sh "$OPCERT_SRC/scripts/run.sh"
check_rc 0 "run.sh (no server) succeeds"
[ -s "$D/README.txt" ] || die "run.sh wrote no README.txt: $(head -c 600 "$T/err")"
tail -n "$(wc -l <"$D/README.txt")" "$T/out" >"$T/screen-end"
check_files_same "$T/screen-end" "$D/README.txt" "the screen ends with README.txt"
check "README.txt is UTF-8" iconv -f UTF-8 -t UTF-8 "$D/README.txt"
R=$D/README.txt
for s in "网址：http://127.0.0.1:8080/" "首次登录须修改密码" "证书查询" "扫码核验" "$D/qr.png" \
	"批量核验" "$D/roster-violations.csv" "项目页面" "make run TLS=1" \
	"https://192.0.2.7:8080/" "访问日志：$D/access.log" "再次运行 make run 会删除 $D/"; do
	check "README.txt has: $s" grep -q -F -e "$s" "$R"
done
for s in "admin .* 市住建局管理员$" "city .* 市住建局工作人员$" "yunyan .* 区住建局工作人员（云岩区）$" \
	"nanming .* 区住建局工作人员（南明区）$" "company .* 企业用户（.*有限公司）$" \
	"training .* 培训机构用户（贵阳示例建设职业培训学校）$" "auditor .* 审计员$"; do
	check "README.txt has the account: $s" grep -q -e "^  $s" "$R"
done
# README.md shows this block (passwords, paths and the LAN address aside; the
# number to look up follows the demo data's dates).
norm() {
	sed -e "s|$D/|build/demo/|g" -e 's|192\.0\.2\.7|192.168.1.23|g' \
		-e 's|^\(  [a-z]*  *\)[A-Za-z0-9]\{16\} *|\1（每次运行随机生成） |' \
		-e '/输入证书编号/d' "$1"
}
norm "$R" >"$T/block.txt"
sed -n '/^==* opcert 演示已就绪/,/^==*$/p' "$OPCERT_SRC/README.md" | sed '/输入证书编号/d' >"$T/readme-block.txt"
check_files_same "$T/block.txt" "$T/readme-block.txt" "README.md shows the block make run prints"

# The demo number and name to look up are a real, valid register entry.
num=$(sed -n 's/.*输入证书编号 \([^ ]*\) 、姓名 \(.*\)$/\1/p' "$R")
nm=$(sed -n 's/.*输入证书编号 \([^ ]*\) 、姓名 \(.*\)$/\2/p' "$R")
opcert verify --db "$D/opcert.db" --number "$num" --name "$nm"
check_rc 0 "the number to try ($num $nm) verifies as valid"
check "the QR code was issued" test -s "$D/qr.png"
opcert cred verify --image "$D/qr.png" --db "$D/opcert.db"
check_out_has "（valid）" "qr.png verifies"
opcert user list --db "$D/opcert.db"
for l in admin city yunyan nanming company training auditor; do
	check_out_has "$l" "account $l exists"
done

# Every one-time password signs in (and must be changed first).
DB=$D/opcert.db
KEYS=$D/keys
WEB=$OPCERT_SRC/web
TODAY=$(date +%F)
start_server s --sign-in-rate 0
for l in admin city yunyan nanming company training auditor; do
	pw=$(awk -v l="$l" '$1 == l { print $2; exit }' "$R")
	call POST /api/v1/session -H 'Content-Type: application/json' \
		--data-binary "$(jq -n -c --arg l "$l" --arg p "$pw" '{login: $l, password: $p}')"
	check_status 200 "$l signs in with the password in README.txt"
done
cleanup
SERVERS=

# --- TLS=1 --------------------------------------------------------------------
D=$T/demo-tls
run env LSAN_OPTIONS="$LSAN_RENDER" OPCERT="$OPCERT" OPCERT_DEMO_DIR="$D" OPCERT_RUN_NO_SERVE=1 OPCERT_LAN_IP=192.0.2.7 TLS=1 \
	sh "$OPCERT_SRC/scripts/run.sh"
check_rc 0 "run.sh TLS=1 (no server) succeeds"
check "the address is https on the LAN" grep -q -F "网址：https://192.0.2.7:8080/" "$D/README.txt"
check_eq "$(stat -c %a "$D/tls")" 700 "tls/ is 0700"
check_eq "$(stat -c %a "$D/tls/key.pem")" 600 "the key is 0600"
check_eq "$(stat -c %a "$D/tls/cert.pem")" 600 "the certificate is 0600"
san=$(openssl x509 -in "$D/tls/cert.pem" -noout -ext subjectAltName 2>/dev/null | tail -n 1)
for s in "IP Address:127.0.0.1" "DNS:localhost" "IP Address:192.0.2.7"; do
	case $san in
	*"$s"*) pass ;;
	*) fail "the certificate's SAN has $s" "SAN: $san" ;;
	esac
done
# The QR code points to the address a phone opens.
opcert cred verify --image "$D/qr.png" --db "$D/opcert.db"
check_out_has "（valid）" "qr.png verifies under TLS=1"
opcert cred verify --image "$D/qr.png" --db "$D/opcert.db" --official-host 127.0.0.1:8080
check_out_lacks "（valid）" "qr.png does not point to 127.0.0.1 under TLS=1"

finish
