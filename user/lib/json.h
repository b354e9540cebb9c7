/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A tiny streaming JSON writer: values go straight to a FILE, the writer
 * only remembers where commas and closing brackets belong. Misuse (a value
 * without a key inside an object, unbalanced ends, nesting deeper than
 * JSON_MAX_DEPTH) is recorded and reported by json_finish(), never UB.
 */
#ifndef REQPERF_JSON_H
#define REQPERF_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* libjansson (reqperf merge reads JSON with it) exports json_string and
 * json_null and calls them itself: ours must not interpose on them. */
#define json_string rp_json_string
#define json_null rp_json_null

#define JSON_MAX_DEPTH 32

struct json_level {
	bool array; /* else object */
	bool multiline; /* a member or a container child was written */
	uint32_t count; /* values (arrays) or keys (objects) written */
};

struct json_writer {
	FILE *out;
	bool pretty; /* newlines and two-space indents; scalars in arrays stay inline */
	bool have_key;
	bool done; /* the top-level value is complete */
	bool error; /* misuse or a failed write */
	int depth;
	struct json_level lv[JSON_MAX_DEPTH];
};

void json_init(struct json_writer *w, FILE *out, bool pretty);
void json_begin_object(struct json_writer *w);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w);
void json_end_array(struct json_writer *w);
void json_key(struct json_writer *w, const char *key);
/* UTF-8 passes through; quotes, backslashes and control characters are
 * escaped; bytes that are not valid UTF-8 become U+FFFD. NULL is null. */
void json_string(struct json_writer *w, const char *s);
void json_u64(struct json_writer *w, uint64_t v);
void json_i64(struct json_writer *w, int64_t v);
/* Shortest "%.17g"-style text that reads back to the same double; NaN and
 * infinities have no JSON form and are written as null. */
void json_double(struct json_writer *w, double v);
void json_bool(struct json_writer *w, bool v);
/* The text json_double writes (cap >= 32); -1 for NaN and infinities. */
int json_format_double(char *buf, size_t cap, double v);
void json_null(struct json_writer *w);
/* 0 when exactly one complete value was written without error, else -1.
 * Writes the trailing newline in pretty mode. */
int json_finish(struct json_writer *w);

/* key + value in one call, for object members */
void json_kv_string(struct json_writer *w, const char *key, const char *s);
void json_kv_u64(struct json_writer *w, const char *key, uint64_t v);
void json_kv_i64(struct json_writer *w, const char *key, int64_t v);
void json_kv_double(struct json_writer *w, const char *key, double v);
void json_kv_bool(struct json_writer *w, const char *key, bool v);
void json_kv_u64_array(struct json_writer *w, const char *key, const uint64_t *v, size_t n);

#endif /* REQPERF_JSON_H */
