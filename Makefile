# liaison — build, run and test.  `make run` and `make test` are the two commands.
PKGS     := libmicrohttpd jansson sqlite3 libsodium
CC       ?= cc
OPT      ?= -O2 -g
CFLAGS   := -std=c17 -D_GNU_SOURCE $(OPT) -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
            -Isrc -Ibuild $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
BUILD    ?= build
BIN      ?= liaison

LIB_SRC  := $(sort $(wildcard src/util/*.c src/store/*.c src/domain/*.c src/http/*.c src/api/*.c src/cli/*.c))
WEB      := $(sort $(shell find web -type f ! -name '.*' 2>/dev/null))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/web_assets.o
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

DB       ?= data/liaison.db
LISTEN   ?= 127.0.0.1:8080
export LIAISON_ADMIN_PASSWORD ?= admin1234

.PHONY: all deps run test test-unit test-api test-e2e test-asan bench clean docs check-docs format

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

run: deps $(BIN)
	@mkdir -p $(dir $(DB))
	@test -f $(DB) || ./$(BIN) init --db $(DB) --demo
	@echo ""
	@echo "  liaison is running at http://$(LISTEN)/"
	@echo "  sign in as admin / $(LIAISON_ADMIN_PASSWORD), or as any demo user with password demo1234:"
	@echo "    wangfang (市场部 staff), liqiang (市场部 head), chenjing (平台部 liaison),"
	@echo "    zhaolei (平台部 head), sunli (财务部 liaison), wugang (生产部 liaison), zhenghua (coordinator)"
	@echo ""
	./$(BIN) serve --db $(DB) --listen $(LISTEN)

test: deps $(BIN) $(BUILD)/unit-tests check-docs
	@mkdir -p tests/out && tools/run-tests.sh | tee tests/out/totals.txt
	@tools/fuzz-replay.sh --add "$$(tail -n 1 tests/out/totals.txt)"

test-asan:
	$(MAKE) BUILD=build/asan BIN=liaison-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -Wno-format-truncation" liaison-asan build/asan/unit-tests build/asan/fuzz-replay
	@mkdir -p tests/out && SANITIZE=1 LIAISON_BIN=$(CURDIR)/liaison-asan UNIT_BIN=build/asan/unit-tests tools/run-tests.sh unit api | tee tests/out/totals.txt
	@SANITIZE=1 FUZZ_REPLAY_BIN=build/asan/fuzz-replay tools/fuzz-replay.sh --add "$$(tail -n 1 tests/out/totals.txt)"

bench: $(BIN)
	@bench/run.sh

# docs/api.md is generated from the route table; check-docs fails when it is stale.
docs: $(BIN)
	./$(BIN) routes --markdown > docs/api.md

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

test: $(BUILD)/fuzz-replay

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
