# A thin wrapper around CMake. `make help` lists the targets.
BUILD    ?= build
SANITIZE_BUILD ?= build-sanitize
FUZZ_BUILD ?= build-fuzz
BENCH_BUILD ?= build-bench
FUZZ_SECONDS ?= 30
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
PREFIX   ?= /usr/local

.PHONY: all build deps test sanitize fuzz bench demo docs install clean help

all: build

help:
	@echo "make          build the library, tools and tests into $(BUILD)/"
	@echo "make test     install what is missing, build, run every test through ctest"
	@echo "make demo     install what is missing, build, show the tools at work"
	@echo "make sanitize the test suite under AddressSanitizer and UBSan"
	@echo "make bench    Release build in $(BENCH_BUILD)/, then bench/run-all: MB/s, conn/s, ratios to OpenSSH"
	@echo "make fuzz     each libFuzzer harness for FUZZ_SECONDS (default 30) with clang, in $(FUZZ_BUILD)/"
	@echo "make docs     the API reference (HTML) in $(BUILD)/docs/html"
	@echo "make install  install into PREFIX (default /usr/local)"

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: deps
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure

sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSSHKIT_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure

# Builds the harnesses in tests/fuzz with clang, replays their seed corpora
# (ctest -L fuzz), then fuzzes each for FUZZ_SECONDS; fails on any finding.
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DSSHKIT_FUZZ=ON -DSSHKIT_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target sshkit_fuzzers
	cd $(FUZZ_BUILD) && ctest --output-on-failure -L fuzz -j $(JOBS)
	tests/fuzz/run-fuzzers $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Benchmarks (bench/README.md): an optimised build of the library and the
# bench programs, then every benchmark, OpenSSH measured in the same run.
bench: deps
	cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DSSHKIT_BENCH=ON -DSSHKIT_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(BENCH_BUILD) -j $(JOBS)
	bench/run-all $(BENCH_BUILD)/bin

demo: deps
	$(MAKE) build
	@scripts/demo $(BUILD)/bin

docs: deps build
	cmake --build $(BUILD) --target docs

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD) $(BENCH_BUILD)
