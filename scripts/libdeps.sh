#!/bin/sh
# libdeps.sh - the dependency graph between the object files of lib/, read
# off the built objects with nm: A -> B when A uses a symbol that B defines.
#
#   scripts/libdeps.sh [--dot] [--check] [--backends] [OBJDIR...]
#
# Each OBJDIR is where CMake put one library's objects (default: those of
# every lib/ library, build/CMakeFiles/opcert_*.dir/lib; subfolders are
# searched too; an object whose source file is gone, left behind by CMake, is
# skipped).  The graph is printed one edge a line ("store/store -> util/err"),
# or as Graphviz with --dot.  With --check it prints nothing on success and
# exits 1 when the graph has a cycle (naming the files on it): lib/ is meant
# to be layered, so no two of its files may depend on each other, directly or
# round a loop.  With --backends it exits 1 when an object of a storage backend
# (store_sqlite*, store_pg*) uses a symbol defined in pii, org, trail or
# verdict: a backend keeps stored forms, the policy is the store's front's.
set -eu

dot=0
check=0
backends=0
while [ $# -gt 0 ]; do
	case "$1" in
	--dot) dot=1 ;;
	--check) check=1 ;;
	--backends) backends=1 ;;
	-h | --help)
		sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "libdeps.sh: unknown option $1" >&2
		exit 2
		;;
	*) break ;;
	esac
	shift
done
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then
	set -- "$root"/build/CMakeFiles/opcert_*.dir/lib
fi
for objdir in "$@"; do
	if [ ! -d "$objdir" ]; then
		echo "libdeps.sh: no object directory $objdir (build first)" >&2
		exit 2
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# name<TAB>symbol for every defined and every undefined global symbol.
for objdir in "$@"; do
	find "$objdir" -name '*.o' | sort | while read -r obj; do
		name=${obj#"$objdir"/}
		name=${name%.o}
		name=${name%.c}
		[ -f "$root/lib/$name.c" ] || continue
		nm --defined-only -g "$obj" | awk -v n="$name" 'NF >= 3 { print n "\t" $3 }' >>"$tmp/def"
		nm -u "$obj" | awk -v n="$name" 'NF >= 2 { print n "\t" $2 }' >>"$tmp/undef"
	done
done
touch "$tmp/def" "$tmp/undef"

# Edges: an undefined symbol of A defined in B (B != A), each pair once.
awk -F '\t' 'NR == FNR { owner[$2] = $1; next }
	($2 in owner) && owner[$2] != $1 { print $1 " " owner[$2] }' \
	"$tmp/def" "$tmp/undef" | sort -u >"$tmp/edges"

status=0
if [ "$check" = 1 ]; then
	# An edge lies on a cycle when its head reaches its tail: the
	# transitive closure (Floyd-Warshall; lib/ has about a hundred files).
	awk '{ e[NR] = $1 SUBSEP $2; r[$1, $2] = 1
		if (!($1 in id)) { id[$1] = ++n; nm[n] = $1 }
		if (!($2 in id)) { id[$2] = ++n; nm[n] = $2 } }
	END {
		for (k = 1; k <= n; k++)
			for (i = 1; i <= n; i++)
				if ((nm[i], nm[k]) in r)
					for (j = 1; j <= n; j++)
						if ((nm[k], nm[j]) in r)
							r[nm[i], nm[j]] = 1
		for (x = 1; x <= NR; x++) {
			split(e[x], ab, SUBSEP)
			if ((ab[2], ab[1]) in r)
				print "  " ab[1] " -> " ab[2]
		}
	}' "$tmp/edges" >"$tmp/cycles"
	if [ -s "$tmp/cycles" ]; then
		echo "libdeps.sh: lib/ has dependency cycles; these edges lie on one:" >&2
		cat "$tmp/cycles" >&2
		status=1
	fi
fi
if [ "$backends" = 1 ]; then
	awk -F '\t' 'function base(n) { sub(/.*\//, "", n); return n }
	NR == FNR { b = base($1)
		if (b == "pii" || b == "org" || b == "trail" || b == "verdict")
			policy[$2] = $1
		next }
	base($1) ~ /^store_(sqlite|pg)/ && ($2 in policy) {
		print "  " $1 " uses " $2 " (" policy[$2] ")" }' \
		"$tmp/def" "$tmp/undef" | sort -u >"$tmp/leaks"
	if [ -s "$tmp/leaks" ]; then
		echo "libdeps.sh: a storage backend uses the store front's policy modules:" >&2
		cat "$tmp/leaks" >&2
		status=1
	fi
fi
if [ "$check" = 1 ] || [ "$backends" = 1 ]; then
	exit "$status"
fi
if [ "$dot" = 1 ]; then
	echo 'digraph lib {'
	echo '  rankdir=LR; node [shape=box, fontsize=10];'
	awk '{ printf "  \"%s\" -> \"%s\";\n", $1, $2 }' "$tmp/edges"
	echo '}'
else
	awk '{ print $1 " -> " $2 }' "$tmp/edges"
fi
