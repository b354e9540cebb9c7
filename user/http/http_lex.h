/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Field-level lexing shared by the request and response parsers (RFC 9110
 * tokens, "name: value" lines, numbers, token lists). Private to http*.c. */
#ifndef REQPERF_HTTP_LEX_H
#define REQPERF_HTTP_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct http_field {
	const char *name;
	size_t name_len;
	const char *value; /* without surrounding spaces and tabs */
	size_t value_len;
};

static inline bool http_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool http_is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || http_is_digit(c) ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static inline bool http_is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static inline size_t http_token_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && http_is_tchar(s[i]))
		i++;
	return i;
}

/* "name: value" with no space before the colon; an obs-fold continuation
 * line (leading space) has no name and fails too. */
static inline int http_split_field(const char *s, size_t n, struct http_field *f)
{
	size_t i = http_token_len(s, n), e = n;

	if (i == 0 || i == n || s[i] != ':')
		return -1;
	f->name = s;
	f->name_len = i;
	for (i++; i < e && http_is_ows(s[i]); i++)
		;
	while (e > i && http_is_ows(s[e - 1]))
		e--;
	f->value = s + i;
	f->value_len = e - i;
	return 0;
}

/* lower_name is lower case. */
static inline bool http_name_is(const struct http_field *f, const char *lower_name)
{
	size_t n = strlen(lower_name);

	return f->name_len == n && strncasecmp(f->name, lower_name, n) == 0;
}

/* 1 to 19 decimal digits and nothing else: always fits in 64 bits. */
static inline int http_parse_dec(const char *s, size_t n, uint64_t *v)
{
	size_t i;

	if (n == 0 || n > 19)
		return -1;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (!http_is_digit(s[i]))
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

static inline int http_hex_val(char c)
{
	if (http_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Does the comma-separated list contain tok (case-insensitive)? */
static inline bool http_has_token(const char *s, size_t n, const char *tok)
{
	size_t tlen = strlen(tok), i = 0, b, e;

	while (i < n) {
		for (b = i; b < n && (http_is_ows(s[b]) || s[b] == ','); b++)
			;
		for (e = b; e < n && s[e] != ','; e++)
			;
		i = e;
		while (e > b && http_is_ows(s[e - 1]))
			e--;
		if (e - b == tlen && strncasecmp(s + b, tok, tlen) == 0)
			return true;
	}
	return false;
}

#endif /* REQPERF_HTTP_LEX_H */
