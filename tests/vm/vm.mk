# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The VM kernel matrix, included from the top-level Makefile.
# `make static` links build/reqperf-static for the qemu guests;
# `make test-vm` boots stock Debian kernels and runs every probe backend;
# `make static-arm64` cross-builds build/arm64/reqperf-static for aarch64.

STATIC_BIN    := $(OUT)/reqperf-static
# libpcap.a needs libdbus-1.a, and that two libsystemd functions Debian
# ships no static archive for: tests/vm/static_sd.c answers them.
STATIC_LDLIBS := -static -lbpf -lpcap -ldbus-1 -lelf -lz -lzstd -ldeflate -ljansson -lpthread -lm

.PHONY: static static-arm64 static-arm64-try test-vm test-rest vmlinux-arm64

static: $(STATIC_BIN)

$(OUT)/tests/vm/static_sd.o: tests/vm/static_sd.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(CFLAGS) -c $< -o $@

# Linking glibc statically warns about getpwnam() & co. (libdbus and
# libpcap's name lookups, which reqperf never calls): those lines are
# dropped, any other output is shown.
$(STATIC_BIN): $(OUT)/driver/cli/main.o $(OUT)/libreqperf.a $(OUT)/tests/vm/static_sd.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(STATIC_LDLIBS) -o $@ 2>$@.log; rc=$$?; \
		grep -v -e 'statically linked applications requires at runtime' \
			-e ': in function `' $@.log >&2; rm -f $@.log; exit $$rc

# aarch64: Debian's cross compiler (gcc-aarch64-linux-gnu, from make deps)
# and bookworm's arm64 -dev packages unpacked into a private sysroot in the
# VM cache (tests/vm/sysroot.sh); the BPF object is compiled against
# vmlinux/arm64. A second make builds the same sources in $(OUT)/arm64.
VM_CACHE      ?= $(or $(REQPERF_VM_CACHE),tests/vm/cache)
ARM64_OUT     := $(OUT)/arm64
ARM64_BIN     := $(ARM64_OUT)/reqperf-static
ARM64_CC      ?= aarch64-linux-gnu-gcc

static-arm64:
	$(Q)root=$$(tests/vm/sysroot.sh $(VM_CACHE)) || { echo "$$root" >&2; exit 1; }; \
	CFLAGS="-O2 -g -isystem $$root/usr/include -L$$root/usr/lib/aarch64-linux-gnu" \
		$(MAKE) --no-print-directory OUT=$(ARM64_OUT) ARCH=arm64 CC=$(ARM64_CC) \
		$(ARM64_BIN)

# vmlinux/arm64/vmlinux.h from the BTF inside Debian's arm64 6.12 kernel
# image (the bytes an arm64 guest serves as /sys/kernel/btf/vmlinux).
vmlinux-arm64:
	$(Q)line=$$(tests/vm/kernels.sh $(VM_CACHE) 6.12-arm64:bookworm-backports); \
	case $$line in KERNEL*) ;; *) echo "$$line" >&2; exit 1 ;; esac; \
	python3 tests/vm/image_btf.py $${line##* } $(OUT)/arm64.btf && \
	$(BPFTOOL) btf dump file $(OUT)/arm64.btf format c > vmlinux/arm64/vmlinux.h

# Every kernel of the matrix: `make test` runs the x86_64 6.1 and 6.12
# (tests/vm/run.sh: each backend that exists only there, netem, the wire);
# this adds the 5.10 refusal and the arm64 6.1 and 6.12 with their cross
# build, about 90 s more (docs/vm-matrix.md).
VM_MATRIX_ALL := 6.1:bookworm 6.12:bookworm-backports 5.10:bullseye \
		 6.1-arm64:bookworm 6.12-arm64:bookworm-backports

# Without the cross compiler the arm64 rows print SKIPPED lines.
test-vm: deps $(STATIC_BIN) static-arm64-try
	$(Q)REQPERF_VM_FULL=$${REQPERF_VM_FULL:-1} REQPERF_VM_MATRIX="$(VM_MATRIX_ALL)" \
		tests/vm/run.sh $(STATIC_BIN) $(ARM64_BIN)

# `make test` runs the x86_64 rows too (tests/run.sh): the static binary.
test: $(STATIC_BIN)

# What `make test` leaves out, for CI to run after it (.ci/run): the 5.10
# refusal and the arm64 6.12 guest with its cross build, and the slow
# integration files under the sanitizers (tests/run.sh --rest).
test-rest: deps all $(SERVERS) san $(STATIC_BIN) static-arm64-try
	$(Q)tests/run.sh --rest $(BIN) $(ARM64_BIN)

static-arm64-try:
	-$(Q)$(MAKE) --no-print-directory static-arm64
