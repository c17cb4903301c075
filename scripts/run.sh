#!/bin/sh
# `make run`: a fresh demo database, the verification of the demo rosters,
# one demo account per role, then `opcert serve`.  Everything lands in
# build/demo/ (deleted and made again on every run).  The steps print one
# line each; the last thing on the screen before the server starts is what a
# newcomer needs (address, accounts, what to try, phone, access log), also
# written to build/demo/README.txt.
#
#   TLS=1                    HTTPS with a self-signed certificate (build/demo/tls/),
#                            listening on every address when the machine has a LAN
#                            address: a phone's browser opens the camera only on HTTPS
#   OPCERT=PATH              the binary (default build/opcert)
#   OPCERT_DEMO_DIR=DIR      where the demo goes (default build/demo)
#   OPCERT_DEMO_PORT=N       the port (default 8080)
#   OPCERT_LAN_IP=ADDR       the LAN address (default: the first IPv4 of hostname -I;
#                            empty: none)
#   OPCERT_RUN_NO_SERVE=1    everything but starting the server (the tests)
set -eu
cd "$(dirname "$0")/.."
OPCERT=${OPCERT:-build/opcert}
DIR=${OPCERT_DEMO_DIR:-build/demo}
PORT=${OPCERT_DEMO_PORT:-8080}
TLS=${TLS:-0}
DB=$DIR/opcert.db
LOG=$DIR/access.log
STEPS=$DIR/steps.log

if [ "${OPCERT_LAN_IP+set}" = set ]; then
	lan=$OPCERT_LAN_IP
else
	lan=$(hostname -I 2>/dev/null | tr ' ' '\n' |
		grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | grep -v '^127\.' | head -n 1 || true)
fi
case $TLS in
1 | yes | true) TLS=1 ;;
*) TLS=0 ;;
esac

# Where the server listens and what the QR codes point to (the official host
# must be the address a phone opens, or the page calls the code unofficial).
if [ "$TLS" = 1 ] && [ -n "$lan" ]; then
	listen=0.0.0.0:$PORT
	host=$lan:$PORT
	url=https://$lan:$PORT/
	localurl=https://127.0.0.1:$PORT/
elif [ "$TLS" = 1 ]; then
	listen=127.0.0.1:$PORT
	host=127.0.0.1:$PORT
	url=https://127.0.0.1:$PORT/
	localurl=$url
else
	listen=127.0.0.1:$PORT
	host=127.0.0.1:$PORT
	url=http://127.0.0.1:$PORT/
	localurl=$url
fi

# step TEXT CMD...: one line on the screen; the command's output goes to
# steps.log, shown when it fails.
step() {
	_text=$1
	shift
	printf '%s\n' "== $_text" >>"$STEPS"
	if "$@" >>"$STEPS" 2>&1; then
		printf '  %s\n' "$_text"
	else
		_rc=$?
		tail -n 40 "$STEPS" >&2
		printf 'opcert: 失败（退出状态 %s）：%s；完整输出见 %s\n' "$_rc" "$_text" "$STEPS" >&2
		exit 1
	fi
}

# The expected exit status of verify-roster on the planted violations is 1.
verify_violations() {
	_s=0
	"$OPCERT" verify-roster "$DIR/roster-violations.csv" --db "$DB" || _s=$?
	[ "$_s" -eq 1 ]
}

rm -rf "$DIR"
mkdir -p "$DIR"
: >"$STEPS"
echo "opcert 演示：重新生成 $DIR/"
step "创建数据库（官方核验地址 $host）" "$OPCERT" init --db "$DB" --official-host "$host"
step "生成并导入演示数据：2000 本证书、单位、项目、两份花名册" \
	"$OPCERT" demo --out "$DIR" --certificates 2000 --roster 30 --import --db "$DB"
step "核验 roster-clean.csv：应全部有效" "$OPCERT" verify-roster "$DIR/roster-clean.csv" --db "$DB"
step "核验 roster-violations.csv：植入的违规逐行得出“预期核验结果”列的结论" verify_violations
step "把 roster-clean.csv 的人员登记到各自的项目" "$OPCERT" worker import "$DIR/roster-clean.csv" --db "$DB"
step "创建签名密钥" "$OPCERT" key init --db "$DB"

# A construction certificate of the clean roster: the QR credential and the
# number to look up.
row=$(tr -d '\r' <"$DIR/roster-clean.csv" | awk -F, 'NR > 1 && $6 !~ /^ *T/ { print; exit }')
number=$(echo "$row" | awk -F, '{print $6}' | tr -d ' ')
name=$(echo "$row" | awk -F, '{print $2}' | tr -d ' ')
issue() {
	"$OPCERT" cred issue "$number" --db "$DB" --png "$DIR/qr.png" --pdf "$DIR/certificate.pdf" \
		>"$DIR/payload.txt"
}
# The QR image read back: it must point to the official host and verify.
verify_qr() {
	"$OPCERT" cred verify --image "$DIR/qr.png" --db "$DB" >"$DIR/qr-verify.txt" &&
		grep -q '（valid）' "$DIR/qr-verify.txt"
}
step "签发二维码凭证：qr.png、certificate.pdf" issue
step "核验 qr.png：指向 ${url}v，签名有效" verify_qr
step "日志检查点：checkpoint.txt" sh -c '"$1" log checkpoint --db "$2" >"$3"' sh "$OPCERT" "$DB" \
	"$DIR/checkpoint.txt"

# One demo account per role; the one-time passwords go to the block below
# (and README.txt), nowhere else.
institution=贵阳示例建设职业培训学校
step "登记演示培训机构：$institution" \
	"$OPCERT" institution add --name "$institution" --district 云岩区 --db "$DB"
builder=$(sed -n 2p "$DIR/companies.csv" | tr -d '\r' | cut -d, -f1)
builder_name=$(sed -n 2p "$DIR/companies.csv" | tr -d '\r' | cut -d, -f2)
project_name=$(sed -n 2p "$DIR/projects.csv" | tr -d '\r' | cut -d, -f1)
accounts=$DIR/accounts.txt
: >"$accounts"
add_accounts() {
	for spec in "admin city_admin 市住建局管理员" "city city_officer 市住建局工作人员" \
		"yunyan district_officer 区住建局工作人员（云岩区） --district 云岩区" \
		"nanming district_officer 区住建局工作人员（南明区） --district 南明区" \
		"company company_user 企业用户（$builder_name） --company $builder" \
		"training training_user 培训机构用户（$institution） --institution $institution" \
		"auditor auditor 审计员"; do
		# shellcheck disable=SC2086
		set -- $spec
		_login=$1 _role=$2 _label=$3
		shift 3
		_otp=$("$OPCERT" user add "$_login" --role "$_role" "$@" --db "$DB" | tail -n 1)
		[ -n "$_otp" ] || return 1
		printf '  %-10s %-18s %s\n' "$_login" "$_otp" "$_label" >>"$accounts"
	done
}
step "创建演示账号：每个角色一个，一次性密码" add_accounts

# HTTPS: a self-signed certificate for this machine's addresses, private to
# its owner (directory 0700, files 0600).
tls_args=
if [ "$TLS" = 1 ]; then
	san=IP:127.0.0.1,DNS:localhost
	[ -n "$lan" ] && san=$san,IP:$lan
	mkdir -p "$DIR/tls"
	chmod 700 "$DIR/tls"
	selfsign() {
		(umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-days 30 -subj /CN=opcert-demo -addext "subjectAltName=$san" \
			-keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem")
	}
	step "自签名 HTTPS 证书（30 天，$san）：$DIR/tls/" selfsign
	tls_args="--tls-cert $DIR/tls/cert.pem --tls-key $DIR/tls/key.pem"
fi

# What a newcomer needs, last on the screen and in README.txt.
{
	echo "==================== opcert 演示已就绪 ===================="
	echo "网址：$url"
	[ "$url" != "$localurl" ] && echo "本机也可打开：$localurl"
	[ "$TLS" = 1 ] && echo "证书是自签名的：浏览器提示不安全时选择“继续访问”。"
	echo
	echo "演示账号（登录：${url}login，首次登录须修改密码）："
	echo "  账号       一次性密码         角色（范围）"
	cat "$accounts"
	echo
	echo "先试试："
	echo "  1. 证书查询：打开 $url ，输入证书编号 $number 、姓名 $name"
	echo "  2. 扫码核验：打开 ${url}scan ，选择图片 $DIR/qr.png（或用摄像头扫 $DIR/certificate.pdf）"
	echo "  3. 批量核验：登录后打开 ${url}batch ，上传 $DIR/roster-violations.csv（“预期核验结果”列写明应得结论）"
	echo "  4. 项目页面：以 company 登录，打开 ${url}projects/1（$project_name）"
	echo
	echo "用手机打开："
	if [ "$TLS" = 1 ] && [ -n "$lan" ]; then
		echo "  手机与本机连同一网络，打开 $url （已监听 $listen；摄像头扫码可用）"
	elif [ "$TLS" = 1 ]; then
		echo "  没有找到本机的局域网地址（hostname -I）：手机无法访问。"
	else
		echo "  手机浏览器只在 HTTPS 页面开放摄像头：请改用 make run TLS=1（自签名证书），"
		if [ -n "$lan" ]; then
			echo "  它监听 0.0.0.0:$PORT，手机与本机连同一网络后打开 https://$lan:$PORT/"
		else
			echo "  并用 opcert serve --listen 0.0.0.0:$PORT 监听局域网地址（hostname -I 未找到）"
		fi
	fi
	echo
	echo "再次运行 make run 会删除 $DIR/ 并重新生成全部演示数据（账号密码随之更换）。"
	echo "访问日志：$LOG    各步骤的输出：$STEPS    按 Ctrl+C 停止服务"
	echo "============================================================"
} >"$DIR/README.txt"
rm -f "$accounts"

if [ "${OPCERT_RUN_NO_SERVE:-0}" = 1 ]; then
	cat "$DIR/README.txt"
	exit 0
fi

# The server: its access log to a file; it counts as started once it says so
# and /healthz answers, and an early exit shows the log's tail.
# shellcheck disable=SC2086
"$OPCERT" serve --db "$DB" --web web --listen "$listen" $tls_args >"$DIR/serve.out" 2>"$LOG" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exit 130' INT TERM
i=0
until grep -q '已启动' "$DIR/serve.out" 2>/dev/null &&
	curl -s -k -o /dev/null --max-time 2 "${localurl}healthz"; do
	if ! kill -0 "$pid" 2>/dev/null || [ "$i" -ge 100 ]; then
		kill "$pid" 2>/dev/null || true
		echo "opcert: 服务没有启动（$listen）。$LOG 的最后几行：" >&2
		tail -n 20 "$LOG" >&2
		exit 1
	fi
	sleep 0.2
	i=$((i + 1))
done
echo
cat "$DIR/README.txt"
status=0
wait "$pid" || status=$?
exit "$status"
