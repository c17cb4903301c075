#!/bin/sh
# Installs the Debian 12 packages opcert needs to build, test, run and
# benchmark, and nothing else. Safe to run again: it only installs what is
# missing. Run as root or as a user allowed to use sudo.
#
#   scripts/deps.sh            build, run and test dependencies
#   scripts/deps.sh --bench    also the benchmark tools
set -eu

PACKAGES="
build-essential
cmake
pkg-config
clang
libclang-rt-14-dev
clang-format
libsqlite3-dev
sqlite3
libjansson-dev
libcmocka-dev
jq
libsodium-dev
libssl-dev
openssl
libcbor-dev
zlib1g-dev
libqrencode-dev
libzbar-dev
libjpeg62-turbo-dev
libcairo2-dev
libpango1.0-dev
fonts-noto-cjk
libmicrohttpd-dev
curl
python3
chromium
"
BENCH_PACKAGES="
time
wrk
nginx-light
"

want="$PACKAGES"
# Node.js and npm fetch and run the browser tests' JavaScript; a machine
# that already has them (from any source) keeps its own.
command -v npm >/dev/null 2>&1 || want="$want nodejs npm"
[ "${1:-}" = "--bench" ] && want="$want $BENCH_PACKAGES"

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "opcert: installing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "opcert: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
