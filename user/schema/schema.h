/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Counter families described once. Each family (a struct of counters) has
 * one table of fields, in the spirit of the kernel's net/ipv4/proc.c MIB
 * name tables: its JSON key (also the CSV column after the family's
 * prefix), its text label, where it lives in the struct, how it combines
 * across CPUs, workers or sockets, its unit and what one count means.
 * Summing, the text rows, JSON, CSV and `reqperf trace` walk the table, so
 * a new counter is one line here plus its producer. tests/unit/test_schema.c
 * proves every byte of each struct is described (nothing can be added to
 * the struct and forgotten in the table) and every field reaches JSON/CSV.
 */
#ifndef REQPERF_SCHEMA_H
#define REQPERF_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rp_field_kind {
	RP_FK_U64,
	RP_FK_U32,
	RP_FK_SUMMARY, /* struct rp_summary: JSON "ns" {}, CSV ns_*, text time rows */
	RP_FK_HIST, /* uint64_t[size / 8]: a JSON array only */
	RP_FK_NAMED, /* uint64_t[size / 8], each element a field of sub: a JSON object */
	RP_FK_NESTED, /* another family's struct, rendered by its own code */
	RP_FK_OTHER, /* not a counter (flag, id, pointer): the family's own code */
	RP_FK_STR, /* char[size], NUL-terminated: a JSON string, a text cell */
	RP_FK_BOOL, /* int: JSON true/false; text texts[0] (0) or texts[1] */
};

/* How a field combines: two CPUs' values, two workers', two sockets'. */
enum rp_field_merge {
	RP_MERGE_SUM, /* added (histograms: bucket by bucket) */
	RP_MERGE_MAX,
	RP_MERGE_MIN, /* the smallest non-zero (0: no sample yet) */
	RP_MERGE_GAUGE, /* one instance's value: the first non-zero seen */
	RP_MERGE_SUM128, /* low half of a 128-bit sum; the high half follows */
	RP_MERGE_LAST, /* the last instance's value (the last connection closed) */
	RP_MERGE_OWN, /* the family's own code (summaries, nested structs) */
};

enum rp_field_flag {
	RP_FF_KERNEL = 1 << 0, /* calls: the kernel side only */
	RP_FF_SEND = 1 << 1, /* calls: send only (JSON; blank text cell for recv) */
	RP_FF_RECV = 1 << 2, /* calls: recv only */
	RP_FF_SKBS = 1 << 3, /* needs the skb tracepoint of its direction */
	RP_FF_BRIEF = 1 << 4, /* text: also in the summary's table */
	RP_FF_ECHO = 1 << 6, /* sink: echo mode's counters (their own text line) */
	RP_FF_UNIT = 1 << 7, /* text: the value is followed by its unit ("12 us") */
	/* Another key for the field before it at the same offset (JSON: in the
	 * other direction); not merged twice, not a CSV column. */
	RP_FF_ALIAS = 1 << 8,
	RP_FF_SHOWN = 1 << 9, /* text: shown even when 0 (once its line is printed) */
	/* A counter over a connection's life: read whole on an accepted
	 * socket, as its change since connect on a worker's (tcp_info). */
	RP_FF_DELTA = 1 << 15,
	RP_FF_TOTAL = 1 << 14, /* worker: also in the run's totals (JSON "totals") */
};

struct rp_field {
	const char *name; /* JSON key; CSV column after the family's prefix */
	const char *label; /* text row or item; NULL: JSON and CSV only */
	uint16_t off;
	uint16_t size;
	uint8_t kind; /* enum rp_field_kind */
	uint8_t merge; /* enum rp_field_merge */
	uint16_t flags; /* enum rp_field_flag */
	unsigned need; /* RP_FEAT_* bits it needs; without them JSON null, text n/a */
	const char *per_call; /* text: shown per timed call with this format */
	const struct rp_family *sub; /* RP_FK_NAMED: the family of its elements */
	const char *const *texts; /* RP_FK_BOOL: its text when 0 and when 1 */
	const char *unit;
	const char *what;
	/* Where the producer keeps it (struct tcp_info's member for
	 * rp_tcpinfo): offset and size; src_size 0: none. */
	uint16_t src_off;
	uint8_t src_size;
	const char *src; /* the producer's name for it */
};

struct rp_family {
	const char *name;
	const struct rp_field *fields;
	size_t n;
	size_t size; /* sizeof the family's struct */
};

/* Field initializers: F64(struct, member, key, ...) etc. */
#define RP_FIELD(st, m, k, kind_, merge_)                                              \
	.name = k, .off = offsetof(struct st, m), .size = sizeof(((struct st *)0)->m), \
	.kind = kind_, .merge = merge_

/* Element e of a uint64_t array indexed by an enum (drops, holds), a sum:
 * {RP_ELEM(RP_DROP_SOCK_FULL, "sock_full"), ...}. */
#define RP_ELEM(e, k)                                                                          \
	.name = k, .off = (e) * sizeof(uint64_t), .size = sizeof(uint64_t), .kind = RP_FK_U64, \
	.merge = RP_MERGE_SUM

uint64_t field_u64(const void *base, const struct rp_field *f);
/* f's value in its producer's struct at src (src_off, src_size): element
 * index of an array source; 0 when f has no source. */
uint64_t field_src_u64(const void *src, const struct rp_field *f, size_t index);
void field_set_u64(void *base, const struct rp_field *f, uint64_t v);
/* dst's field f merged with src's by f's rule. */
void field_merge(const struct rp_field *f, void *dst, const void *src);
/* dst's scalar field f merged with the value v by f's rule. */
void field_merge_u64(const struct rp_field *f, void *dst, uint64_t v);
/* Each scalar field of src (family sf) merged into dst's field of the
 * same name (family df) by df's rule; fields with no namesake are left. */
void family_fold(const struct rp_family *df, void *dst, const struct rp_family *sf,
		 const void *src);
/* dst += src, field by field, by each field's merge rule (RP_MERGE_OWN
 * fields are left to the caller). */
void family_merge(const struct rp_family *fam, void *dst, const void *src);
/* The field named name, NULL when there is none. */
const struct rp_field *family_field(const struct rp_family *fam, const char *name);
/* The name of the field at byte off (not an alias), NULL when none: an
 * enum-indexed family's name of element off / 8. */
const char *family_name_at(const struct rp_family *fam, size_t off);
/* Whether the RP_FEAT_* bits features give f its data in direction dir. */
bool field_have(const struct rp_field *f, int dir, unsigned features);
/*
 * Coverage: the first byte of the family's struct that no field
 * describes, or -1 when the fields tile it (padding between fields and at
 * the end allowed only up to the next field's alignment); -2 when fields
 * overlap.
 */
long family_gap(const struct rp_family *fam);

/* docs/counters.md from the tables (schema_doc.c). Returns 0 or -1. */
#include <stdio.h>
int schema_doc_md(FILE *out);

/* The families (calls_schema.c, ktcp_schema.c, sink_schema.c, drops_schema.c). */
extern const struct rp_family rp_calls_family; /* struct rp_calls */
extern const struct rp_family rp_kdir_family; /* struct rp_kdir, the per-CPU value */
extern const struct rp_family rp_ktcp_family; /* struct rp_ktcp */
extern const struct rp_family rp_ksum_family; /* struct rp_ksum, closed sockets */
extern const struct rp_family rp_sink_family; /* struct rp_sink_counters */
extern const struct rp_family rp_drops_family; /* uint64_t[RP_NDROPS], enum rp_drop */
extern const struct rp_family rp_cp_drops_family; /* uint64_t[RP_CP_NDROPS], --call-path */
/* The scheduler view (sched_schema.c): the kernel's per-CPU value, folded
 * by name into the worker's, its per-CPU rows and the run's CPU table. */
extern const struct rp_family rp_ksched_family; /* struct rp_ksched */
extern const struct rp_family rp_sched_family; /* struct rp_sched_worker */
extern const struct rp_family rp_sched_wcpu_family; /* struct rp_sched_wcpu */
extern const struct rp_family rp_sched_cpu_family; /* struct rp_sched_cpu */
/* The wire view (wire_schema.c). */
extern const struct rp_family rp_wire_family; /* struct rp_wire_cnt, one place, one direction */
extern const struct rp_family rp_wire_drops_family; /* uint64_t[RP_WIRE_NDROPS] */
/* What held a send's bytes at its return (holds_schema.c). */
extern const struct rp_family rp_holds_family; /* uint64_t[RP_NHOLDS], enum rp_hold */
extern const struct rp_family rp_tcpinfo_family; /* struct rp_tcpinfo (tcpinfo.c) */
extern const struct rp_family rp_worker_family; /* struct rp_wcounts */
/* One traced socket as a report row (sock_schema.c, sock_rows.h). */
extern const struct rp_family rp_sockrow_family; /* struct rp_sock_row */
extern const struct rp_family rp_sockdir_family; /* struct rp_sock_dir, its send and recv */

#endif /* REQPERF_SCHEMA_H */
