// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The side-by-side table (report_table.c) with cells wider than CELL_W. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_text.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* A mean so large that report_fmt_ns fills its whole 48-byte cell: the
 * row is four such cells, longer than the old 160-byte line, and must be
 * printed whole (it used to be cut, and read past the line's end). */
static void test_wide_cells(void **state)
{
	struct rp_calls user[RP_NDIR] = {}, kern[RP_NDIR] = {};
	struct table t = {user, kern, 0, false};
	char cell[48], *text = NULL, *row;
	size_t len = 0;
	FILE *out;

	(void)state;
	for (int d = 0; d < RP_NDIR; d++) {
		user[d].ns.n = kern[d].ns.n = 1;
		user[d].ns.mean = kern[d].ns.mean = 1e300;
	}
	report_fmt_ns(cell, sizeof(cell), 1e300);
	assert_int_equal(strlen(cell), sizeof(cell) - 1);
	out = open_memstream(&text, &len);
	assert_non_null(out);
	print_table(out, &t);
	fclose(out);
	row = strstr(text, "\n mean");
	assert_non_null(row);
	*strchrnul(row + 1, '\n') = '\0';
	assert_int_equal(count(row, cell), 4);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wide_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
