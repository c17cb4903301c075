#!/bin/sh
# `make run`: a fresh demo database, then the verification of the demo
# rosters.  Everything lands in build/demo/.
set -eu
cd "$(dirname "$0")/.."
OPCERT=build/opcert
DIR=build/demo
DB=$DIR/opcert.db

rm -rf "$DIR"
mkdir -p "$DIR"
"$OPCERT" init --db "$DB" --official-host 127.0.0.1:8080 >/dev/null
"$OPCERT" demo --out "$DIR" --certificates 2000 --roster 30 --import --db "$DB"

echo
echo "== 核验 $DIR/roster-clean.csv（应全部有效）=="
"$OPCERT" verify-roster "$DIR/roster-clean.csv" --db "$DB" | tail -n 3
echo
echo "== 核验 $DIR/roster-violations.csv（植入的违规，“预期核验结果”列写明应得结论）=="
status=0
"$OPCERT" verify-roster "$DIR/roster-violations.csv" --db "$DB" || status=$?
echo
if [ "$status" -eq 1 ]; then
	echo "退出状态 1：花名册中存在需要处理的结论（0 = 全部有效，2 = 输入错误）。"
else
	echo "意外的退出状态 $status" >&2
	exit 1
fi

echo
echo "== 登记项目上的特种作业人员：花名册每行登记到“项目名称”列所写的项目 =="
"$OPCERT" worker import "$DIR/roster-clean.csv" --db "$DB"

echo
echo "== 签名凭证：创建密钥，为一本有效证书签发二维码凭证并核验 =="
"$OPCERT" key init --db "$DB" >/dev/null
row=$(sed -n 2p "$DIR/roster-clean.csv" | tr -d '\r')
number=$(echo "$row" | awk -F, '{print $6}' | tr -d ' ')
name=$(echo "$row" | awk -F, '{print $2}' | tr -d ' ')
"$OPCERT" cred issue "$number" --db "$DB" --png "$DIR/qr.png" --pdf "$DIR/certificate.pdf" >"$DIR/payload.txt"
"$OPCERT" cred verify "$(cat "$DIR/payload.txt")" --db "$DB" | head -n 2
"$OPCERT" log checkpoint --db "$DB" >"$DIR/checkpoint.txt"
echo "二维码：$DIR/qr.png    打印件：$DIR/certificate.pdf    日志检查点：$DIR/checkpoint.txt"
echo
echo "== 演示账号：每个角色一个，一次性密码首次登录时必须修改 =="
"$OPCERT" institution add --name 贵阳示例建设职业培训学校 --district 云岩区 --db "$DB" >/dev/null
builder=$(sed -n 2p "$DIR/companies.csv" | cut -d, -f1)
printf '%-10s %-18s %-18s %s\n' login role 一次性密码 范围
for spec in "admin city_admin" "city city_officer" "yunyan district_officer --district 云岩区" \
	"nanming district_officer --district 南明区" "company company_user --company $builder" \
	"training training_user --institution 贵阳示例建设职业培训学校" "auditor auditor"; do
	# shellcheck disable=SC2086
	set -- $spec
	login=$1 role=$2
	shift 2
	otp=$("$OPCERT" user add "$login" --role "$role" "$@" --db "$DB" | tail -n 1)
	printf '%-10s %-18s %-18s %s\n' "$login" "$role" "$otp" "${2:--}"
done
echo "登录：http://127.0.0.1:8080/login"

echo
echo "数据库：$DB    试一试：$OPCERT verify --db $DB --number $number --name $name"
echo
echo "== 启动 HTTP 服务（网页和接口），按 Ctrl+C 停止 =="
exec "$OPCERT" serve --db "$DB" --web web --listen 127.0.0.1:8080
