# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# reqperf: build, run, test, bench, vmlinux. `make V=1` shows the commands.

OUT      := build
CLANG    ?= clang
CC       ?= gcc
BPFTOOL  ?= bpftool
ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VMLINUX  := vmlinux/$(ARCH)/vmlinux.h
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
DATE     := $(shell git log -1 --format=%cs 2>/dev/null || date +%F)

# make install [PREFIX=/usr/local] [DESTDIR=staging root]
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/reqperf
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -DREQPERF_VERSION='"$(VERSION)"'
CFLAGS   += -DREQPERF_DATE='"$(DATE)"'
# user/ by capability: lib (small libraries), http (parsers), sink, tracer
# (the eBPF loaders and readers), report (the run report's model and
# renderers), schema (the counter families, each described once), path
# (lifecycle, call path, wire and cross-host joins), events (per-call
# events, timeline, SVG), compare (--compare, merge, sweep).
USER_DIRS := user/lib user/http user/sink user/tracer user/schema user/report user/path \
	     user/events user/compare
# driver/: cli (the commands and their options), run (one run set up, collected
# and torn down), load (the load generator: workers and their I/O loop).
DRIVER_DIRS := driver/cli driver/run driver/load
CFLAGS   += -I$(OUT) $(addprefix -I,$(USER_DIRS)) -Ibpf
LDLIBS   := -lbpf -lpcap -lelf -lz -ldeflate -ljansson -lpthread -lm
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	      -I$(OUT) -Ibpf -Ivmlinux/$(ARCH)

USER_SRC   := $(wildcard user/*/*.c)
DRIVER_SRC := $(wildcard driver/*/*.c)
BPF_SRC    := $(wildcard bpf/*.bpf.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)

BPF_HDRS   := $(wildcard bpf/rp_*.bpf.h)

USER_OBJ   := $(patsubst %.c,$(OUT)/%.o,$(USER_SRC))
DRIVER_OBJ := $(patsubst %.c,$(OUT)/%.o,$(DRIVER_SRC))
SKELS      := $(patsubst bpf/%.bpf.c,$(OUT)/%.skel.h,$(BPF_SRC))
HDR_CHECKS := $(patsubst bpf/%.bpf.h,$(OUT)/bpf-alone/%.ok,$(BPF_HDRS))
UNIT_BIN   := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRC))
BIN        := $(OUT)/reqperf
# Servers the integration tests trace (tests/servers).
SERVERS    := $(OUT)/tests/servers/uring_server
MAN        := $(OUT)/reqperf.1
COMPLETION := $(OUT)/reqperf.bash
DOCS       := README.md $(wildcard docs/*.md)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.PHONY: all deps run test unit integration bench examples vmlinux clean format install uninstall \
	counters-doc
.DELETE_ON_ERROR:
.SECONDARY:

# Building never installs anything: `make deps` does, and only the
# targets that run things (run, test, integration, bench) call it first.
all: $(BIN) $(MAN) $(COMPLETION) $(UNIT_BIN) $(HDR_CHECKS)

# Installs missing Debian packages (apt-get on Debian/Ubuntu; elsewhere it
# prints the package list and stops); a fast no-op when all are present.
deps:
	$(Q)./.ci/deps.sh

$(OUT)/%.bpf.o: bpf/%.bpf.c bpf/*.h $(VMLINUX) | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# Every bpf/rp_*.bpf.h includes what it uses: each compiles on its own
# (its helpers unused there, hence -Wno-unused-function).
$(OUT)/bpf-alone/%.ok: bpf/%.bpf.h bpf/*.h $(VMLINUX)
	$(call msg,BPF-HDR,$<)
	$(Q)mkdir -p $(@D) && $(CLANG) $(BPF_CFLAGS) -Wno-unused-function -fsyntax-only -x c $< && touch $@

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(OUT)/user/%.o: user/%.c user/*/*.h bpf/*.h | $(OUT)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(CFLAGS) -c $< -o $@

$(OUT)/driver/%.o: driver/%.c driver/*/*.h user/*/*.h bpf/*.h | $(OUT)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(CFLAGS) $(addprefix -I,$(DRIVER_DIRS)) -c $< -o $@

# Only the loaders embed the skeletons.
$(OUT)/user/tracer/tracer.o $(OUT)/user/tracer/tracer_read.o $(OUT)/user/tracer/wire.o \
$(OUT)/user/tracer/callpath_load.o: $(SKELS)
$(OUT)/driver/run/impair_tc.o: $(SKELS)

# The library is everything but main.c, so unit tests reach the driver too.
LIB_OBJ    := $(USER_OBJ) $(filter-out $(OUT)/driver/cli/main.o,$(DRIVER_OBJ))

$(OUT)/libreqperf.a: $(LIB_OBJ)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(OUT)/driver/cli/main.o $(OUT)/libreqperf.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

# The manual page and the completion come from the CLI's own option tables.
$(MAN): $(BIN)
	$(call msg,GEN,$@)
	$(Q)$(BIN) --man > $@

$(COMPLETION): $(BIN)
	$(call msg,GEN,$@)
	$(Q)$(BIN) --completion bash > $@

# Builds what it installs, never runs `make deps` (no apt-get here).
install: $(BIN) $(MAN) $(COMPLETION)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/reqperf
	install -m 0644 $(MAN) $(DESTDIR)$(MANDIR)/man1/reqperf.1
	install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/reqperf

# docs/counters.md from the counter tables (user/schema/); `make unit`
# fails while it differs from them.
counters-doc: $(OUT)/tests/test_schema
	$(OUT)/tests/test_schema --write docs/counters.md

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/reqperf $(DESTDIR)$(MANDIR)/man1/reqperf.1 \
		$(DESTDIR)$(BASHCOMPDIR)/reqperf
	rm -rf $(DESTDIR)$(DOCDIR)

$(OUT)/tests/%: tests/unit/%.c $(OUT)/libreqperf.a driver/*/*.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(CFLAGS) $(addprefix -I,$(DRIVER_DIRS)) $< $(OUT)/libreqperf.a $(LDLIBS) -lcmocka -o $@

$(OUT)/tests/servers/uring_server: tests/servers/uring_server.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(CFLAGS) $< -luring -o $@

$(OUT):
	$(Q)mkdir -p $@

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(VMLINUX)

# deps first (prerequisites are made in order): `sudo make run` and
# `sudo make test` stay the two quick-start commands on a fresh machine.
run: deps all
	$(BIN) run $(ARGS)

unit: all
	$(Q)tests/unit/run.sh $(UNIT_BIN)

integration: deps all $(SERVERS)
	$(Q)tests/integration/run.sh $(BIN)

test: deps all $(SERVERS) san fuzz-build
	$(Q)tests/run.sh $(BIN) $(UNIT_BIN)

# The tracepoint hooks' cost floor for `make bench` (bench/hookfloor.c).
$(OUT)/bench/hookfloor.bpf.o: bench/hookfloor.bpf.c $(VMLINUX)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D) && $(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/bench/hookfloor: bench/hookfloor.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(CFLAGS) $< -lbpf -o $@

bench: deps all $(OUT)/bench/hookfloor $(OUT)/bench/hookfloor.bpf.o
	$(Q)bench/run.sh $(BIN)

# The worked examples in docs/examples.md, regenerated from real runs on
# this machine (root: BPF, network namespaces; about a minute).
examples: all
	$(Q)python3 docs/examples.py $(BIN) docs/examples.md

format:
	clang-format -i $$(git ls-files '*.c' '*.h' | grep -v '^vmlinux/')

clean:
	rm -rf $(OUT)
include tests/vm/vm.mk
include tests/fuzz/fuzz.mk
include tests/sanitize.mk
