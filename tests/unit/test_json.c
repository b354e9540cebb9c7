// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct buf {
	char *data;
	size_t len;
	FILE *f;
	struct json_writer w;
};

static void open_buf(struct buf *b, bool pretty)
{
	b->data = NULL;
	b->len = 0;
	b->f = open_memstream(&b->data, &b->len);
	assert_non_null(b->f);
	json_init(&b->w, b->f, pretty);
}

/* Finishes the document, checks json_finish's verdict and the text. */
static void expect(struct buf *b, int rc, const char *want)
{
	assert_int_equal(json_finish(&b->w), rc);
	fclose(b->f);
	if (want)
		assert_string_equal(b->data, want);
	free(b->data);
}

static void string_alone(const char *in, const char *want)
{
	struct buf b;

	open_buf(&b, false);
	json_string(&b.w, in);
	expect(&b, 0, want);
}

static void test_escaping(void **state)
{
	(void)state;
	string_alone("plain", "\"plain\"");
	string_alone("say \"hi\"", "\"say \\\"hi\\\"\"");
	string_alone("C:\\dir\\", "\"C:\\\\dir\\\\\"");
	string_alone("a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\"");
	string_alone("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
	string_alone("", "\"\"");
	string_alone(NULL, "null");
}

static void test_utf8(void **state)
{
	(void)state;
	/* U+00AA (the seed's body), U+20AC, U+1F600 pass through unchanged */
	string_alone("\xc2\xaa \xe2\x82\xac \xf0\x9f\x98\x80",
		     "\"\xc2\xaa \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* stray continuation, overlong, surrogate, truncated, out of range */
	string_alone("a\xff"
		     "b",
		     "\"a\\ufffdb\"");
	string_alone("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	string_alone("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	string_alone("\xe2\x82", "\"\\ufffd\\ufffd\"");
	string_alone("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

static void test_nesting_compact(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);
	json_begin_object(&b.w);
	json_kv_u64(&b.w, "a", 1);
	json_key(&b.w, "b");
	json_begin_array(&b.w);
	json_u64(&b.w, 1);
	json_i64(&b.w, -2);
	json_begin_object(&b.w);
	json_key(&b.w, "c");
	json_null(&b.w);
	json_end_object(&b.w);
	json_begin_array(&b.w);
	json_end_array(&b.w);
	json_end_array(&b.w);
	json_key(&b.w, "d");
	json_begin_object(&b.w);
	json_end_object(&b.w);
	json_kv_bool(&b.w, "e", true);
	json_kv_bool(&b.w, "f", false);
	json_kv_string(&b.w, "g\"", "h");
	json_end_object(&b.w);
	expect(&b, 0,
	       "{\"a\":1,\"b\":[1,-2,{\"c\":null},[]],\"d\":{},\"e\":true,\"f\":false,"
	       "\"g\\\"\":\"h\"}");
}

static void test_nesting_pretty(void **state)
{
	static const uint64_t nums[] = {3, 4};
	struct buf b;

	(void)state;
	open_buf(&b, true);
	json_begin_object(&b.w);
	json_kv_u64_array(&b.w, "n", nums, 2);
	json_key(&b.w, "o");
	json_begin_array(&b.w);
	json_begin_object(&b.w);
	json_kv_u64(&b.w, "x", 1);
	json_end_object(&b.w);
	json_end_array(&b.w);
	json_key(&b.w, "e");
	json_begin_object(&b.w);
	json_end_object(&b.w);
	json_end_object(&b.w);
	expect(&b, 0,
	       "{\n  \"n\": [3, 4],\n  \"o\": [\n    {\n      \"x\": 1\n    }\n  ],\n"
	       "  \"e\": {}\n}\n");
}

static void double_alone(double v, const char *want)
{
	struct buf b;

	open_buf(&b, false);
	json_double(&b.w, v);
	expect(&b, 0, want);
}

static void test_doubles(void **state)
{
	static const double round_trip[] = {1.0 / 3,	2.0 / 3, 1e-300,   1.7976931348623157e308,
					    123456.789, 5e-324,	 0.1 + 0.2};
	char text[40];

	(void)state;
	double_alone(0.1, "0.1");
	double_alone(2.5, "2.5");
	double_alone(3, "3");
	double_alone(-0.0, "-0");
	double_alone(1e21, "1e+21");
	double_alone(NAN, "null");
	double_alone(INFINITY, "null");
	double_alone(-INFINITY, "null");
	double_alone(0.1 + 0.2, "0.30000000000000004");
	for (size_t i = 0; i < sizeof(round_trip) / sizeof(round_trip[0]); i++) {
		assert_true(json_format_double(text, sizeof(text), round_trip[i]) > 0);
		assert_true(strtod(text, NULL) == round_trip[i]);
	}
	assert_int_equal(json_format_double(text, sizeof(text), NAN), -1);
}

static void test_integers(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);
	json_begin_array(&b.w);
	json_u64(&b.w, UINT64_MAX);
	json_i64(&b.w, INT64_MIN);
	json_u64(&b.w, 0);
	json_end_array(&b.w);
	expect(&b, 0, "[18446744073709551615,-9223372036854775808,0]");
}

static void test_misuse(void **state)
{
	struct buf b;

	(void)state;
	/* value without a key inside an object */
	open_buf(&b, false);
	json_begin_object(&b.w);
	json_u64(&b.w, 1);
	json_end_object(&b.w);
	expect(&b, -1, NULL);
	/* key inside an array */
	open_buf(&b, false);
	json_begin_array(&b.w);
	json_key(&b.w, "k");
	json_end_array(&b.w);
	expect(&b, -1, NULL);
	/* mismatched and missing ends */
	open_buf(&b, false);
	json_begin_array(&b.w);
	json_end_object(&b.w);
	expect(&b, -1, NULL);
	open_buf(&b, false);
	json_begin_object(&b.w);
	expect(&b, -1, NULL);
	/* a key left without its value */
	open_buf(&b, false);
	json_begin_object(&b.w);
	json_key(&b.w, "k");
	json_end_object(&b.w);
	expect(&b, -1, NULL);
	/* two top-level values, and none at all */
	open_buf(&b, false);
	json_u64(&b.w, 1);
	json_u64(&b.w, 2);
	expect(&b, -1, "1");
	open_buf(&b, false);
	expect(&b, -1, "");
}

static void test_depth_limit(void **state)
{
	struct buf b;

	(void)state;
	open_buf(&b, false);
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		json_begin_array(&b.w);
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		json_end_array(&b.w);
	expect(&b, 0, NULL);
	open_buf(&b, false);
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_begin_array(&b.w);
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_end_array(&b.w);
	expect(&b, -1, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),	cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_nesting_compact), cmocka_unit_test(test_nesting_pretty),
		cmocka_unit_test(test_doubles),		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_misuse),		cmocka_unit_test(test_depth_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
