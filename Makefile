# netvet: `make demo` and `make test` do all set-up on a fresh Debian 12 machine.
BUILD    ?= build
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
# ccache, when installed, makes rebuilds in several checkouts cheap; CI works without it.
LAUNCHER  := $(shell command -v ccache >/dev/null 2>&1 && echo "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache")
NETVET   := $(BUILD)/src/cli/netvet

.PHONY: setup configure build demo serve-demo test sanitize fuzz bench format clean install

setup:
	@scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD) $(GENERATOR) $(LAUNCHER) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@cmake --build $(BUILD) -j2
	@scripts/build-web.sh

# Assess the bundled New Zealand example (exit 1 = risk found, which is the point).
demo: build
	@$(NETVET) assess examples/nz-spark-5g-2018/network.yaml \
	  --proposal examples/nz-spark-5g-2018/proposal.yaml --jurisdiction NZ --date 2018-11-28; \
	  rc=$$?; test $$rc -le 1

# The vetting service's New Zealand journey, step by step with curl (scripts/serve-demo.sh).
serve-demo: build
	@scripts/serve-demo.sh $(NETVET)

# Installs the binary as PREFIX/bin/netvet and the KB as PREFIX/share/netvet/kb,
# where the binary looks for it (or NETVET_KB): make install PREFIX=~/.local
PREFIX ?= /usr/local
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX) >/dev/null && echo "installed $(PREFIX)/bin/netvet and $(PREFIX)/share/netvet/kb"

test: build
	@cd $(BUILD) && ctest --output-on-failure -j2

# The unit and golden tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
sanitize: setup
	@cmake -S . -B build-asan $(GENERATOR) $(LAUNCHER) -DCMAKE_BUILD_TYPE=Debug -DNETVET_SANITIZE=ON -DNETVET_BENCH=OFF >/dev/null
	@cmake --build build-asan -j2
	@cd build-asan && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j2

# libFuzzer targets (clang); FUZZ_SECONDS per target, corpus seeded from tests/cases.
FUZZ_SECONDS ?= 20
fuzz: setup
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DNETVET_FUZZ=ON -DNETVET_TESTS=OFF -DNETVET_BENCH=OFF >/dev/null
	@cmake --build build-fuzz -j2 --target fuzz_all
	@tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	@NETVET_BENCH=1 scripts/setup.sh
	@bench/run.sh $(BUILD)

format:
	@clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf build build-asan build-fuzz
