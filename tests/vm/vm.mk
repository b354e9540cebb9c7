# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The VM kernel matrix, included from the top-level Makefile.
# `make static` links build/reqperf-static for the qemu guests;
# `make test-vm` boots stock Debian kernels and runs every probe backend.

STATIC_BIN    := $(OUT)/reqperf-static
STATIC_LDLIBS := -static -lbpf -lelf -lz -lzstd -ldeflate -ljansson -lpthread -lm

.PHONY: static test-vm

static: $(STATIC_BIN)

$(STATIC_BIN): $(OUT)/driver/main.o $(OUT)/libreqperf.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(STATIC_LDLIBS) -o $@

test-vm: deps $(STATIC_BIN)
	$(Q)tests/vm/run.sh $(STATIC_BIN)

# `make test` runs the matrix too (tests/run.sh); it needs the static binary.
test: $(STATIC_BIN)
