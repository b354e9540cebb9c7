# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# libFuzzer targets, included from the top-level Makefile.
# `make fuzz` runs each target FUZZ_SECONDS (default 60) from the committed
# seed corpus; `make test-fuzz` runs each one briefly, as `make test` does.
# The parsers are compiled into each target with the fuzzer's coverage and
# ASan + UBSan; crash reproducers land in $(OUT)/fuzz/artifacts.

FUZZ_SECONDS  ?= 60
FUZZ_QUICK    ?= 5
FUZZ_TARGETS  := http_req http_resp cli
FUZZ_DIR      := $(OUT)/fuzz
FUZZ_BIN      := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))
FUZZ_LIB_SRC  := user/http/http.c user/http/http_resp.c user/lib/addr.c user/lib/parse.c
FUZZ_CFLAGS   := -g -O1 -fno-omit-frame-pointer \
		 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		 -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE $(addprefix -I,$(USER_DIRS)) -Ibpf -Itests/fuzz

.PHONY: fuzz fuzz-build test-fuzz

fuzz-build: $(FUZZ_BIN)

fuzz: deps $(FUZZ_BIN)
	$(Q)tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_DIR) $(FUZZ_TARGETS)

test-fuzz: deps $(FUZZ_BIN)
	$(Q)tests/fuzz/run.sh $(FUZZ_QUICK) $(FUZZ_DIR) $(FUZZ_TARGETS)

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_check.h $(FUZZ_LIB_SRC) user/*/*.h
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D) && $(CLANG) $(FUZZ_CFLAGS) $< $(FUZZ_LIB_SRC) -lz -ldeflate -lm -o $@
