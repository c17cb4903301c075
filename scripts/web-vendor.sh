#!/bin/sh
# Installs the public pages' front-end libraries from npm (web/package.json,
# pinned by web/package-lock.json) and copies the files the pages load into
# web/static/vendor/, from where `opcert serve` serves them: nothing is loaded
# from another site at run time.  web/node_modules and web/static/vendor are
# build products (.gitignore).
#
#   scripts/web-vendor.sh            install and copy
#   scripts/web-vendor.sh --check    exit 0 when the vendored files are present
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
web=$root/web
vendor=$web/static/vendor

# package file in node_modules -> file in static/vendor
FILES="
jsqr/dist/jsQR.js jsQR.js
jsqr/LICENSE jsQR.LICENSE
"

if [ "${1:-}" = "--check" ]; then
	echo "$FILES" | while read -r src dst; do
		[ -n "$src" ] || continue
		[ -s "$vendor/$dst" ] || { echo "web-vendor: $vendor/$dst is missing" >&2; exit 1; }
	done
	exit 0
fi

command -v npm >/dev/null 2>&1 || {
	echo "web-vendor: npm is needed (scripts/deps.sh installs it)" >&2
	exit 2
}

cd "$web"
if [ -f package-lock.json ]; then
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
else
	npm install --no-audit --no-fund --ignore-scripts --loglevel=error
fi

mkdir -p "$vendor"
echo "$FILES" | while read -r src dst; do
	[ -n "$src" ] || continue
	cp "node_modules/$src" "$vendor/$dst.tmp"
	mv "$vendor/$dst.tmp" "$vendor/$dst"
done
echo "web-vendor: copied front-end libraries into $vendor"
