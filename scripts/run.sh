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
"$OPCERT" init --db "$DB" >/dev/null
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
echo "数据库：$DB    试一试：$OPCERT verify --db $DB --number 证书编号 --name 姓名"
