# netpatrol — one non-recursive Makefile, out-of-tree builds in build/<variant>/.
#
#   make                 build the library, the CLI and the tests (build/default)
#   make demo            install deps, build, scan examples/posts.jsonl
#   make check           install deps, run every test, then again under ASan+UBSan,
#                        then build everything with clang
#   make check SAN=address,undefined   one sanitizer run only
#   make bench           benchmarks against the peers (needs ../shared/bench)
#
# Modules are the folders of src/; each may add rules in src/<m>/module.mk.

SAN      ?=
VARIANT  ?= $(if $(SAN),san,default)
BUILD    := build/$(VARIANT)
GEN      := build/gen
SHARED   ?= ../shared
CC       ?= cc

PKGS     := libhs libutf8proc jansson libxxhash
SVC_PKGS := sqlite3 libmicrohttpd libsodium

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(SVC_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
SVC_LIBS   := $(shell pkg-config --libs $(SVC_PKGS) 2>/dev/null)

WARN   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
OPT    := $(if $(SAN),-O1 -fno-omit-frame-pointer -fsanitize=$(SAN) -fno-sanitize-recover=all,-O2)
CFLAGS_ALL := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $(OPT) $(WARN) \
              -fvisibility=hidden -MMD -MP -Iinclude -Isrc -I. -I$(GEN) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL := $(if $(SAN),-fsanitize=$(SAN)) $(LDFLAGS)

# Library modules in dependency order (lowest first).  store/server link SQLite etc.
LIB_MODULES := util text match detect similar classify rules engine
SVC_MODULES := store server

srcs_of = $(sort $(wildcard src/$(1)/*.c))
objs_of = $(patsubst %.c,$(BUILD)/obj/%.o,$(call srcs_of,$(1)))

LIB_OBJS := $(foreach m,$(LIB_MODULES),$(call objs_of,$(m)))
SVC_OBJS := $(foreach m,$(SVC_MODULES),$(call objs_of,$(m)))
CLI_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard cli/*.c)))

LIB     := $(BUILD)/lib/libnetpatrol.a
SVC_LIB := $(BUILD)/lib/libnetpatrol_svc.a
BIN     := $(BUILD)/bin/netpatrol

UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TOOL_SRCS  := $(sort $(wildcard bench/bench_*.c))
TOOL_BINS  := $(patsubst %.c,$(BUILD)/%,$(TOOL_SRCS))
# Each fuzz target is built twice: a plain replay binary (replays its corpus in
# make check, gcc + sanitizers) and, with `make fuzz`, a libFuzzer binary (clang).
FUZZ_SRCS  := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BINS  := $(patsubst fuzz/fuzz_%.c,$(BUILD)/fuzz/replay_%,$(FUZZ_SRCS))
TOOL_BINS  += $(FUZZ_BINS)

# Generated tables (src/text/module.mk and friends add to it).
GENERATED :=

# keep intermediate objects (test and tool binaries are built through chains)
.SECONDARY:

.PHONY: all lib cli tests deps demo check check-one test golden-update bench models clean \
        serve-demo fuzz
all: cli tests

-include $(sort $(wildcard src/*/module.mk))

lib: $(LIB)
cli: $(BIN)
tests: $(UNIT_BINS) $(TOOL_BINS)

$(BUILD)/obj/%.o: %.c | $(GENERATED)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SVC_LIB): $(SVC_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^ $(if $(SVC_OBJS),,)

$(BIN): $(CLI_OBJS) $(SVC_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJS) $(SVC_LIB) $(LIB) $(SVC_LIBS) $(PKG_LIBS)

$(BUILD)/tests/test_%: $(BUILD)/obj/tests/unit/test_%.o $(SVC_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(SVC_LIB) $(LIB) $(SVC_LIBS) $(PKG_LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(LIB) $(PKG_LIBS)

$(BUILD)/fuzz/replay_%: $(BUILD)/obj/fuzz/fuzz_%.o $(BUILD)/obj/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

FUZZ_SECONDS ?= 60
fuzz: deps
	@for f in $(FUZZ_SRCS); do t=$$(basename $$f .c); \
	  $(MAKE) --no-print-directory VARIANT=fuzz CC=clang SAN=address,undefined lib && \
	  clang -std=c11 -g -O1 -Iinclude -Isrc -I. -fsanitize=fuzzer,address,undefined -o build/fuzz/$$t \
	    $$f build/fuzz/lib/libnetpatrol.a $(PKG_LIBS) && \
	  build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) fuzz/corpus/$${t#fuzz_}/ || exit 1; done

deps:
	@tools/install-deps.sh

# The README's first command: build and run the main job on the bundled examples.
demo: deps
	@$(MAKE) --no-print-directory cli
	$(BIN) scan examples/posts.jsonl --format text
	@echo
	@echo "== the same posts as JSON Lines verdicts, with the coordination stage (water-army"
	@echo "== clusters need the whole window, so they show in the JSON output): build/demo-verdicts.jsonl"
	@$(BIN) scan examples/posts.jsonl --output build/demo-verdicts.jsonl
	@grep '"spam.coordinated"' build/demo-verdicts.jsonl | cut -c1-160 | head -n 3

NPROC := $(shell nproc 2>/dev/null || echo 2)

# One suite in one build variant (used by check, and by check SAN=...).
check-one:
	@$(MAKE) --no-print-directory -j$(NPROC) all
	@BUILD=$(BUILD) SHARED=$(SHARED) tests/run

# The README's second command: every test, plain and under ASan+UBSan.
check: deps
	@$(MAKE) --no-print-directory check-one
	@$(MAKE) --no-print-directory check-one SAN=address,undefined
	@echo "threads under ThreadSanitizer: one engine shared by many scratches, --jobs N"
	@$(MAKE) --no-print-directory -s -j$(NPROC) SAN=thread VARIANT=tsan build/tsan/tests/test_engine \
	  build/tsan/bin/netpatrol
	@mkdir -p build/tsan && : > build/tsan/test-results.txt
	@TSAN_OPTIONS=halt_on_error=1 tools/record.sh build/tsan/test-results.txt tsan/test_engine \
	  build/tsan/tests/test_engine threads
	@TSAN_OPTIONS=halt_on_error=1 BUILD=build/tsan SHARED=$(SHARED) \
	  tools/record.sh build/tsan/test-results.txt tsan/jobs tests/suites/jobs.sh
	@echo "build with clang (warnings are errors)"
	@$(MAKE) --no-print-directory -s -j$(NPROC) CC=clang VARIANT=clang all
	@tools/sum-results.sh build/default/test-results.txt build/san/test-results.txt \
	  build/tsan/test-results.txt

golden-update: all
	@BUILD=$(BUILD) UPDATE=1 tests/run-golden

bench: deps all
	@BUILD=$(BUILD) SHARED=$(SHARED) bench/run-all.sh

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(SVC_OBJS:.o=.d) $(CLI_OBJS:.o=.d) \
         $(patsubst %.c,$(BUILD)/obj/%.d,$(UNIT_SRCS) $(TOOL_SRCS) $(FUZZ_SRCS))

# Rebuilds the shipped classifier models (models/*.npm) from $(SHARED)/data, bit for bit.
models: cli
	@BIN=$(BIN) SHARED=$(SHARED) tools/make-models.sh
