# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The VM kernel matrix, included from the top-level Makefile.
# `make static` links build/reqperf-static for the qemu guests;
# `make test-vm` boots stock Debian kernels and runs every probe backend.

STATIC_BIN    := $(OUT)/reqperf-static
# libpcap.a needs libdbus-1.a, and that two libsystemd functions Debian
# ships no static archive for: tests/vm/static_sd.c answers them.
STATIC_LDLIBS := -static -lbpf -lpcap -ldbus-1 -lelf -lz -lzstd -ldeflate -ljansson -lpthread -lm

.PHONY: static test-vm

static: $(STATIC_BIN)

$(OUT)/tests/vm/static_sd.o: tests/vm/static_sd.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(CFLAGS) -c $< -o $@

# Linking glibc statically warns about getpwnam() & co. (libdbus and
# libpcap's name lookups, which reqperf never calls): those lines are
# dropped, any other output is shown.
$(STATIC_BIN): $(OUT)/driver/main.o $(OUT)/libreqperf.a $(OUT)/tests/vm/static_sd.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(STATIC_LDLIBS) -o $@ 2>$@.log; rc=$$?; \
		grep -v -e 'statically linked applications requires at runtime' \
			-e ': in function `' $@.log >&2; rm -f $@.log; exit $$rc

test-vm: deps $(STATIC_BIN)
	$(Q)REQPERF_VM_FULL=$${REQPERF_VM_FULL:-1} tests/vm/run.sh $(STATIC_BIN)

# `make test` runs the matrix too (tests/run.sh); it needs the static binary.
test: $(STATIC_BIN)
