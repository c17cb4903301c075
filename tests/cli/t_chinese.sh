# t_chinese.sh - the command line speaks Chinese throughout: unknown and
# malformed options (never getopt's English), system errors, a busy port
# for `opcert serve`, options written before the command, `cred verify`
# without a trust list, and trade names beside their codes.
. "$OPCERT_SRC/tests/cli/lib.sh"

demo_setup

# check_err_lacks STRING DESCRIPTION (fixed string not in stderr)
check_err_lacks() {
	if grep -q -F -e "$1" "$T/err"; then
		fail "$2" "expected stderr not to contain: $1" "stderr: $(head -c 400 "$T/err")"
	else
		pass
	fi
}

# No English from getopt: its messages all hold one of these words.
check_no_getopt() {
	for _w in unrecognized invalid requires ambiguous "doesn't allow" "option '"; do
		check_err_lacks "$_w" "$1: no English getopt text ($_w)"
	done
}

# --- unknown and malformed options, on every kind of command path --------

for cmd in verify verify-roster show import check-id demo serve help version "cred verify" \
	"company add" "worker list" "log checkpoint" "audit list" "user list" "key list"; do
	# shellcheck disable=SC2086 # the subcommand is meant to split
	opcert $cmd --no-such-flag --db "$DB"
	check_rc 2 "opcert $cmd --no-such-flag exits 2"
	check_no_getopt "opcert $cmd --no-such-flag"
	name=${cmd%% *}
	check_err_has "opcert $name: 没有选项“--no-such-flag”（可用选项见 opcert $name --help）" \
		"opcert $cmd names the unknown option in Chinese"
	check_out_empty "opcert $cmd --no-such-flag prints nothing on stdout"
done

opcert verify --db
check_rc 2 "an option without its argument exits 2"
check_no_getopt "verify --db"
check_err_has "opcert verify: 选项“--db”缺少参数" "a missing argument is named in Chinese"

opcert company list --db
check_rc 2 "a subcommand's option without its argument exits 2"
check_err_has "opcert company: 选项“--db”缺少参数" "a subcommand's missing argument is named"

opcert serve --listen
check_rc 2 "serve --listen without an address exits 2"
check_err_has "opcert serve: 选项“--listen”缺少参数" "serve names the option lacking its argument"

opcert show --help=yes
check_rc 2 "an argument to an option that takes none exits 2"
check_no_getopt "show --help=yes"
check_err_has "选项“--help”不带参数" "an argument given to --help is refused in Chinese"

opcert check-id -x
check_rc 2 "an unknown short option exits 2"
check_no_getopt "check-id -x"
check_err_has "opcert check-id: 没有选项“-x”" "an unknown short option is named"

# --- options before the command -------------------------------------------

opcert --db "$DB" show "$(field 1 "$(reg_valid_rows | head -1)")"
check_rc 2 "an option before the command exits 2"
check_err_has "选项要写在命令之后" "an option before the command is explained"
check_err_has "应为：opcert show " "the right form starts with the command"
check_err_has " --db $DB" "the right form keeps the option, after the command"
check_err_lacks "没有命令" "an option before the command is not called an unknown command"

opcert --today=2026-01-01 company list
check_rc 2 "an --opt=value before a command with subcommands exits 2"
check_err_has "应为：opcert company list --today=2026-01-01" \
	"the right form puts the option after the subcommand"

opcert --no-such-flag
check_rc 2 "an unknown option alone exits 2"
check_err_has "选项要写在命令之后" "an unknown option alone is explained too"
check_no_getopt "opcert --no-such-flag"

# --- system errors in Chinese ----------------------------------------------

opcert import "$T/no-such-file.csv" --db "$DB"
check_rc 2 "importing a missing file exits 2"
check_err_has "文件或目录不存在" "a missing file is said in Chinese"
check_err_lacks "No such file" "a missing file's error holds no English"

opcert verify-roster "$T/no-such-roster.csv" --db "$DB"
check_rc 2 "a missing roster exits 2"
check_err_has "文件或目录不存在" "a missing roster is said in Chinese"
check_err_lacks "No such file" "a missing roster's error holds no English"

mkdir "$T/adir"
opcert verify-roster "$T/adir" --db "$DB"
check_ne "$RC" 0 "a directory as the roster fails"
check_err_lacks "Is a directory" "a directory as the roster holds no English"

opcert demo --out "$DEMO/register.csv/sub" --db "$T/other.db"
check_ne "$RC" 0 "demo into a path under a file fails"
check_err_lacks "Not a directory" "a path under a file is said without English"
check_err_has "不是目录" "a path under a file is said in Chinese"

# --- a busy port -------------------------------------------------------------

command -v python3 >/dev/null 2>&1 || die "python3 is needed to hold a port"
python3 -c '
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
time.sleep(3600)
' >"$T/port" 2>&1 &
HOLDER=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
PORT=$(cat "$T/port")
case $PORT in
'' | *[!0-9]*)
	kill "$HOLDER" 2>/dev/null
	die "the port holder did not start: $PORT"
	;;
esac
opcert serve --listen "127.0.0.1:$PORT" --db "$DB" --web "$OPCERT_SRC/web"
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
check_rc 3 "serve on a busy port exits 3 (the machine, not the command line)"
check_err_has "opcert serve: 端口 $PORT 已被占用（127.0.0.1:$PORT），请用 --listen 换一个端口或先停止占用它的程序" \
	"a busy port is said in Chinese, naming the port and the address"
check_err_lacks "port 0" "no English line about port 0"
check_err_lacks "Failed" "no English from libmicrohttpd"
check_err_lacks "libmicrohttpd" "libmicrohttpd's own messages are not shown"
check_out_lacks "已启动" "serve on a busy port does not say it started"

# --- cred verify without keys or a trust list -------------------------------

mkdir "$T/verifier"
opcert cred verify 'OC1:XYZ' --db "$DB" --keys "$T/verifier" --official-host opcert.example.gov.cn
check_rc 2 "cred verify without a trust list exits 2"
check_err_has "信任列表" "cred verify without keys speaks of the trust list"
check_err_has "opcert trust export" "it says the issuing side exports the trust list"
check_err_has "--trust FILE" "it says how to give the trust list"
check_err_lacks "key init" "it does not tell a verifier to create issuing keys"

# --- trade names beside codes -------------------------------------------------

ROW=$(reg_valid_rows | grep -v '^T' | head -1)
opcert show "$(field 1 "$ROW")" --db "$DB"
check_rc 0 "show exits 0"
CODE=$(field 5 "$ROW")
check_out_has "工种：$CODE $(trade_name "$CODE")" "show prints the trade's code and its name"

finish
