#!/bin/sh
# The browser tests: unit tests of web/static/js/opcert-cred.js under Node
# (known-answer vectors) and the pages in Debian's Chromium, driven by
# playwright-core against `opcert serve`.  Installs playwright-core from npm
# when node_modules is missing (never a browser) and the pages' vendored
# front-end files when they are missing (scripts/web-vendor.sh).
#
# Usage: run.sh [--setup] [FILE.test.js ...]: the named test files (default:
# every *.test.js here); --setup only installs what the tests need (ctest runs
# it once before the per-file entries).
#
# Environment: OPCERT (the binary, default build/opcert), OPCERT_ARTIFACTS
# (screenshots, default build/test-artifacts), OPCERT_CHROMIUM (default
# /usr/bin/chromium).  Ends with a line "N passed, M failed".
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"

export OPCERT="${OPCERT:-$root/build/opcert}"
export OPCERT_ARTIFACTS="${OPCERT_ARTIFACTS:-$root/build/test-artifacts}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PLAYWRIGHT_BROWSERS_PATH=0

if [ ! -d node_modules/playwright-core ]; then
	if [ -f package-lock.json ]; then
		npm ci --no-audit --no-fund --loglevel=error
	else
		npm install --no-audit --no-fund --loglevel=error
	fi
fi
"$root/scripts/web-vendor.sh" --check 2>/dev/null || "$root/scripts/web-vendor.sh"
mkdir -p "$OPCERT_ARTIFACTS"
if [ "${1:-}" = "--setup" ]; then
	exit 0
fi
if [ $# -eq 0 ]; then
	set -- *.test.js
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM
status=0
node --test --test-reporter=tap --test-concurrency=1 "$@" >"$log" 2>&1 || status=$?
cat "$log"

pass=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)
fail=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)
cancelled=$(sed -n 's/^# cancelled \([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)
pass=${pass:-0}
fail=$(( ${fail:-0} + ${cancelled:-0} ))
if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
	fail=1 # the runner itself failed
fi
echo "screenshots: $OPCERT_ARTIFACTS"
echo "$pass passed, $fail failed"
exit "$status"
