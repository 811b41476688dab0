# A thin wrapper around CMake. `make help` lists the targets.
BUILD    ?= build
SANITIZE_BUILD ?= build-sanitize
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
PREFIX   ?= /usr/local

.PHONY: all build deps test sanitize demo docs install clean help

all: build

help:
	@echo "make          build the library, tools and tests into $(BUILD)/"
	@echo "make test     install what is missing, build, run every test through ctest"
	@echo "make demo     install what is missing, build, show the tools at work"
	@echo "make sanitize the test suite under AddressSanitizer and UBSan"
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
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSSHKIT_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

demo: deps
	$(MAKE) build
	@scripts/demo $(BUILD)/bin

docs: deps build
	cmake --build $(BUILD) --target docs

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD)
