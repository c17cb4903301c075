# opcert - top-level commands.  CMake + ctest do the work underneath.
#
#   make            build build/opcert
#   make run        demo database + verification of a demo roster, then the server
#                   (TLS=1: HTTPS with a self-signed certificate, for a phone's camera)
#   make test       every suite: unit and CLI tests, the same under ASan+UBSan, short fuzzing
#   make bench      the benchmarks (docs/BENCHMARKS.md)
#   make fuzz       longer fuzzing (FUZZ_SECONDS per target, default 300)
#   make format     clang-format every C file

JOBS ?= 2
FUZZ_SECONDS ?= 300
FUZZ_TEST_SECONDS ?= 15
CMAKE ?= cmake
TLS ?= 0
C_SOURCES = $(shell find lib src tests/unit -name "*.[ch]") $(wildcard fuzz/*.c bench/*.c)

.PHONY: all deps vendor build run test test-format test-unit test-asan test-fuzz fuzz bench format clean

all: build

deps:
	@sh scripts/deps.sh

# Quiet unless something fails: the compiler's output goes to build/build.log.
build: deps vendor
	@$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@$(CMAKE) --build build -j $(JOBS) >build/build.log 2>&1 || \
		{ tail -n 80 build/build.log; echo "opcert: build failed (build/build.log)" >&2; exit 1; }
	@echo "opcert: built build/opcert"

# The web pages' JavaScript libraries, from npm, served locally.
# npm's output goes to build/web-vendor.log, shown when it fails.
vendor: deps
	@sh scripts/web-vendor.sh --check 2>/dev/null || { mkdir -p build && \
		sh scripts/web-vendor.sh >build/web-vendor.log 2>&1; } || \
		{ cat build/web-vendor.log; echo "opcert: npm failed (build/web-vendor.log)" >&2; exit 1; }

build-asan/opcert: deps
	@$(CMAKE) -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DOPCERT_SANITIZE=ON >/dev/null
	@$(CMAKE) --build build-asan -j $(JOBS)

build-fuzz: deps
	@$(CMAKE) -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPCERT_FUZZ=ON \
		-DCMAKE_C_COMPILER=clang >/dev/null
	@$(CMAKE) --build build-fuzz -j $(JOBS)

run: build
	@TLS='$(TLS)' sh scripts/run.sh

test: test-format test-unit test-asan test-fuzz
	@echo "opcert: all suites passed"

test-format: deps
	@clang-format --dry-run --Werror $(C_SOURCES)

test-unit: build
	@cd build && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan/opcert
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

test-fuzz: build-fuzz
	@sh scripts/fuzz.sh $(FUZZ_TEST_SECONDS)

fuzz: build-fuzz
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)

bench: build
	@sh scripts/deps.sh --bench
	@sh bench/run.sh

format:
	@clang-format -i $(C_SOURCES)

clean:
	rm -rf build build-asan build-fuzz
