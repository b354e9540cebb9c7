// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --start-at parsing: the two forms, the past and the bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "start_at.h"

#define NOW 1764919800.0 /* 2025-12-05T07:30:00Z */

static void expect_bad(const char *s, const char *want)
{
	char why[200] = "";
	double at = 0;

	assert_int_equal(start_at_parse(s, NOW, 3600, &at, why, sizeof(why)), -1);
	if (!strstr(why, want))
		fail_msg("'%s': reason '%s' lacks '%s'", s, why, want);
	assert_null(strchr(why, '\n'));
}

static void test_forms(void **state)
{
	char why[200];
	double at = 0;

	(void)state;
	assert_int_equal(start_at_parse("1764919830", NOW, 3600, &at, why, sizeof(why)), 0);
	assert_true(at == NOW + 30);
	assert_int_equal(start_at_parse("1764919830.25", NOW, 3600, &at, why, sizeof(why)), 0);
	assert_true(at == NOW + 30.25);
	assert_int_equal(start_at_parse("2025-12-05T07:31:00Z", NOW, 3600, &at, why, sizeof(why)),
			 0);
	assert_true(at == NOW + 60);
	assert_int_equal(start_at_parse("2025-12-05T07:31:00.5Z", NOW, 3600, &at, why, sizeof(why)),
			 0);
	assert_true(at == NOW + 60.5);
}

static void test_bad(void **state)
{
	(void)state;
	expect_bad("", "expected Unix seconds");
	expect_bad("soon", "expected Unix seconds");
	expect_bad("2025-12-05T07:31:00", "expected"); /* no Z: time zone unknown */
	expect_bad("2025-12-05 07:31:00Z", "expected");
	expect_bad("2025-13-05T07:31:00Z", "expected");
	expect_bad("-5", "expected");
	expect_bad("1764919800", "in the past (now 2025-12-05T07:30:00.000Z)");
	expect_bad("2025-12-05T07:29:59Z", "2025-12-05T07:29:59.000Z is in the past");
	expect_bad("1764923401", "more than 3600 s ahead");
	expect_bad("2026-12-05T07:30:00Z", "more than 3600 s ahead");
}

static void test_format(void **state)
{
	char b[40];

	(void)state;
	start_at_format(NOW + 0.123, b, sizeof(b));
	assert_string_equal(b, "2025-12-05T07:30:00.123Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
