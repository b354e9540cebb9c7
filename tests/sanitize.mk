# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The AddressSanitizer + UndefinedBehaviorSanitizer pass, included from the
# top-level Makefile. `make san` builds a second tree in $(SAN_OUT) with
# clang (the BPF object keeps its own BPF_CFLAGS); `make test-san` runs the
# unit and integration tests against it and fails on any sanitizer report
# (`make test` runs the same pass without its slowest integration files).

SAN_OUT    := $(OUT)/san
SAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	      -fno-sanitize-recover=all

.PHONY: san test-san

# CFLAGS through the environment: the Makefile appends its own to it.
san:
	$(Q)CFLAGS="$(SAN_CFLAGS)" $(MAKE) --no-print-directory OUT=$(SAN_OUT) CC=$(CLANG) all

test-san: san
	$(Q)tests/sanitize.sh $(SAN_OUT)
