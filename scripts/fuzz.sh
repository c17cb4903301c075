#!/bin/sh
# Run every libFuzzer target in build-fuzz/ for SECONDS each, starting from
# its checked-in corpus under fuzz/corpus/NAME/.  New inputs go to a scratch
# directory, so the checked-in corpus only changes by hand.
set -eu
seconds=${1:-15}
cd "$(dirname "$0")/.."
status=0
for bin in build-fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	scratch=build-fuzz/corpus-$name
	mkdir -p "$scratch" fuzz/artifacts
	echo "fuzz: $name for ${seconds}s"
	if ! "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=fuzz/artifacts/"$name"- -print_final_stats=0 \
		"$scratch" "fuzz/corpus/$name" >"build-fuzz/$name.log" 2>&1; then
		echo "fuzz: $name FAILED; last lines of build-fuzz/$name.log:"
		tail -n 40 "build-fuzz/$name.log"
		status=1
	fi
done
exit $status
