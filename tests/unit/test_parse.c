// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* CLI value validation: integers, numbers, CPU lists, targets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"

static void test_long(void **state)
{
	long v;

	(void)state;
	assert_int_equal(parse_long("42", 1, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_long("1", 1, 1, &v), 0);
	assert_int_equal(parse_long("0", 1, 100, &v), -1);
	assert_int_equal(parse_long("101", 1, 100, &v), -1);
	assert_int_equal(parse_long("", 1, 100, &v), -1);
	assert_int_equal(parse_long("12x", 1, 100, &v), -1);
	assert_int_equal(parse_long(" 12 ", 1, 100, &v), -1);
	assert_int_equal(parse_long("99999999999999999999999", 1, 100, &v), -1);
	assert_int_equal(parse_long(NULL, 1, 100, &v), -1);
}

static void test_double(void **state)
{
	double d;

	(void)state;
	assert_int_equal(parse_double("1.5", 0.001, 10, &d), 0);
	assert_true(d == 1.5);
	assert_int_equal(parse_double("0", 0.001, 10, &d), -1);
	assert_int_equal(parse_double("nan", 0, 10, &d), -1);
	assert_int_equal(parse_double("inf", 0, 1e300, &d), -1);
	assert_int_equal(parse_double("1e", 0, 10, &d), -1);
}

static void test_cpu_list(void **state)
{
	int cpus[8];
	char err[128];

	(void)state;
	assert_int_equal(parse_cpu_list("3,0-1", cpus, 8, err, sizeof(err)), 3);
	assert_int_equal(cpus[0], 0);
	assert_int_equal(cpus[1], 1);
	assert_int_equal(cpus[2], 3);
	assert_int_equal(parse_cpu_list("1-0", cpus, 8, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "range"));
	assert_int_equal(parse_cpu_list("1,1", cpus, 8, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(parse_cpu_list("8", cpus, 8, err, sizeof(err)), -1);
	assert_int_equal(parse_cpu_list("", cpus, 8, err, sizeof(err)), -1);
	assert_int_equal(parse_cpu_list(",", cpus, 8, err, sizeof(err)), -1);
	assert_int_equal(parse_cpu_list("a-b", cpus, 8, err, sizeof(err)), -1);
	assert_int_equal(parse_cpu_list("0-7", cpus, 4, err, sizeof(err)), -1);
}

static void test_target(void **state)
{
	char err[128];

	(void)state;
	assert_int_equal(parse_target("127.0.0.1:8080", err, sizeof(err)), 0);
	assert_int_equal(parse_target("[::1]:80", err, sizeof(err)), 0);
	assert_int_equal(parse_target("localhost:80", err, sizeof(err)), 0);
	assert_int_equal(parse_target("127.0.0.1:0", err, sizeof(err)), -1);
	assert_int_equal(parse_target("127.0.0.1", err, sizeof(err)), -1);
	assert_int_equal(parse_target("127.0.0.1:65536", err, sizeof(err)), -1);
	assert_int_equal(parse_target("example.com:80", err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_cpu_list),
		cmocka_unit_test(test_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
