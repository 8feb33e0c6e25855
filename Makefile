# liaison — build, run and test.  `make run` and `make test` are the two commands.
#
# They first run `deps` (tools/deps.sh installs what is missing), then go on in a second make: the pkg-config
# flags below are read when a make parses this file, which for the first make on a fresh machine is before
# deps has installed anything; and with -j nothing may start building before deps is done.  The second make
# starts only after deps has finished and parses the file again.  `make run-nodeps` / `make test-nodeps` skip deps.
PKGS     := libmicrohttpd jansson sqlite3 libsodium xlsxwriter libpq
CC       ?= cc
OPT      ?= -O2 -g
CFLAGS   := -std=c17 -D_GNU_SOURCE $(OPT) -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
            -Isrc -Ibuild $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
BUILD    ?= build
BIN      ?= liaison

# Every layer folder under src/ (util, store, domain, ..., and whatever is added); src/main.c is only the entry point.
LIB_SRC  := $(sort $(filter-out src/main.c,$(wildcard src/*/*.c)))
WEB      := $(sort $(shell find web -type f ! -name '.*' 2>/dev/null))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/web_assets.o
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

DB       ?= data/liaison.db
LISTEN   ?= 127.0.0.1:8080
export LIAISON_ADMIN_PASSWORD ?= admin1234

.PHONY: all deps run run-nodeps test test-nodeps test-fresh test-asan bench clean docs doc-shots check-docs format

all: $(BIN)

deps:
	@tools/deps.sh

$(BIN): $(LIB_OBJ) $(BUILD)/src/main.o
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# The web UI is compiled into the binary by our own small generator.
$(BUILD)/embed: tools/embed.c
	@mkdir -p $(BUILD)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/web_assets.c: $(BUILD)/embed $(WEB)
	$(BUILD)/embed web $(WEB) > $@.tmp && mv $@.tmp $@

$(BUILD)/web_assets.o: $(BUILD)/web_assets.c
	@$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/unit-tests: $(LIB_OBJ) $(UNIT_SRC:%.c=$(BUILD)/%.o)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs criterion)

run: deps
	@$(MAKE) --no-print-directory run-nodeps

run-nodeps: $(BIN)
	@mkdir -p $(dir $(DB))
	@test -f $(DB) || ./$(BIN) init --db $(DB) --demo
	@echo ""
	@echo "  liaison is running at http://$(LISTEN)/"
	@echo "  sign in as admin / $(LIAISON_ADMIN_PASSWORD), or as any demo user with password demo1234:"
	@echo "    wangfang (市场部 staff), liqiang (市场部 head), chenjing (平台部 liaison),"
	@echo "    zhaolei (平台部 head), sunli (财务部 liaison), wugang (生产部 liaison), zhenghua (coordinator)"
	@echo ""
	./$(BIN) serve --db $(DB) --listen $(LISTEN)

test: deps
	@$(MAKE) --no-print-directory test-nodeps

test-nodeps: $(BIN) $(BUILD)/unit-tests $(BUILD)/fuzz-replay $(BUILD)/bench/search $(BUILD)/bench/cpm check-docs
	@tools/run-tests.sh

# The proof of the two commands: a brand-new Debian 12 root (mmdebstrap), the committed HEAD cloned into it, and the
# first `make test` there, as root, with Debian's own Node (tools/test-fresh.sh; as root, about 5 minutes).
test-fresh:
	@tools/test-fresh.sh

test-asan: deps
	$(MAKE) BUILD=build/asan BIN=liaison-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -Wno-format-truncation" liaison-asan build/asan/unit-tests build/asan/fuzz-replay
	@SANITIZE=1 LIAISON_BIN=$(CURDIR)/liaison-asan UNIT_BIN=build/asan/unit-tests FUZZ_REPLAY_BIN=build/asan/fuzz-replay tools/run-tests.sh unit unit-pg api api-pg fuzz

bench: $(BIN) $(BUILD)/bench/search $(BUILD)/bench/cpm
	@bench/run.sh
	@$(BUILD)/bench/search $(BENCH_SEARCH_N)
	@$(BUILD)/bench/cpm

# Scheduling: the domain's engine alone.
$(BUILD)/bench/cpm: $(BUILD)/src/domain/cpm.o bench/cpm.c
	@mkdir -p $(BUILD)/bench
	@$(CC) $(CFLAGS) -o $@ $^

# The search benchmark links the store like the unit tests do.
$(BUILD)/bench/search: $(LIB_OBJ) bench/search.c
	@mkdir -p $(BUILD)/bench
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# docs/api.md is generated from the route table; check-docs fails when it is stale.
docs: $(BIN)
	./$(BIN) routes --markdown > docs/api.md

# The user guide's screenshots, taken by the browser tests that walk what they show.
doc-shots: $(BIN)
	@mkdir -p docs/user-guide/img
	LIAISON_DOC_SHOTS=docs/user-guide/img LIAISON_BIN=$(CURDIR)/$(BIN) node --test tests/e2e/approval-actions.test.js tests/e2e/inbox.test.js tests/e2e/delegation.test.js

check-docs: $(BIN)
	@./$(BIN) routes --markdown | diff -u docs/api.md - && echo "docs/api.md is up to date"

format:
	clang-format -i $$(find src tests/unit tools -name '*.[ch]')

clean:
	rm -rf build $(BIN) liaison-asan

# ------------------------------------------------------------------ fuzzing (tests/fuzz)
# `make fuzz` builds the libFuzzer target with clang (gcc has no libFuzzer) and runs it for FUZZ_TIME
# seconds from the checked-in corpus tests/fuzz/corpus/http; what it learns goes to build/fuzz/corpus,
# crashers to build/fuzz/crashes/ (add them to the corpus once fixed).  `make test` replays the corpus
# with the normal compiler through build/fuzz-replay (tools/fuzz-replay.sh).
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
.PHONY: fuzz fuzz-replay

$(BUILD)/fuzz-replay: $(LIB_OBJ) $(BUILD)/tests/fuzz/fuzz_http.o $(BUILD)/tests/fuzz/replay.o
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fuzz-http: $(LIB_OBJ) $(BUILD)/tests/fuzz/fuzz_http.o
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz-replay: $(BUILD)/fuzz-replay
	@tools/fuzz-replay.sh

fuzz:
	$(MAKE) BUILD=build/fuzz CC=$(FUZZ_CC) OPT="-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link" build/fuzz/fuzz-http
	@mkdir -p build/fuzz/corpus build/fuzz/crashes
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 build/fuzz/fuzz-http -max_total_time=$(FUZZ_TIME) -timeout=30 \
		-artifact_prefix=build/fuzz/crashes/ build/fuzz/corpus tests/fuzz/corpus/http

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
