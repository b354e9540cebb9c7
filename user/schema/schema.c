// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Walking a counter family's description: read, write, merge, coverage. */
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "reqperf.h"

uint64_t field_u64(const void *base, const struct rp_field *f)
{
	const char *p = (const char *)base + f->off;
	uint64_t v = 0;
	uint32_t v32;

	if (f->kind == RP_FK_U32 || f->kind == RP_FK_BOOL) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	if (f->kind == RP_FK_U64)
		memcpy(&v, p, sizeof(v));
	return v;
}

void field_set_u64(void *base, const struct rp_field *f, uint64_t v)
{
	char *p = (char *)base + f->off;
	uint32_t v32 = (uint32_t)v;

	if (f->kind == RP_FK_BOOL)
		v32 = v != 0;
	if (f->kind == RP_FK_U32 || f->kind == RP_FK_BOOL)
		memcpy(p, &v32, sizeof(v32));
	else if (f->kind == RP_FK_U64)
		memcpy(p, &v, sizeof(v));
}

static void merge_hist(void *dst, const void *src, const struct rp_field *f)
{
	uint64_t *d = (uint64_t *)((char *)dst + f->off);
	const uint64_t *s = (const uint64_t *)((const char *)src + f->off);

	for (size_t i = 0; i < f->size / sizeof(uint64_t); i++)
		d[i] += s[i];
}

void field_merge_u64(const struct rp_field *f, void *dst, uint64_t v)
{
	uint64_t d = field_u64(dst, f);

	switch (f->merge) {
	case RP_MERGE_SUM:
		field_set_u64(dst, f, d + v);
		break;
	case RP_MERGE_MAX:
		field_set_u64(dst, f, v > d ? v : d);
		break;
	case RP_MERGE_MIN:
		if (v && (!d || v < d))
			field_set_u64(dst, f, v);
		break;
	case RP_MERGE_GAUGE:
		if (!d)
			field_set_u64(dst, f, v);
		break;
	case RP_MERGE_LAST:
		field_set_u64(dst, f, v);
		break;
	default: /* RP_MERGE_SUM128 takes both halves; RP_MERGE_OWN: the caller's */
		break;
	}
}

void field_merge(const struct rp_field *f, void *dst, const void *src)
{
	uint64_t d = field_u64(dst, f), s = field_u64(src, f);

	if (f->flags & RP_FF_ALIAS)
		return;
	if (f->merge == RP_MERGE_SUM && (f->kind == RP_FK_HIST || f->kind == RP_FK_NAMED)) {
		merge_hist(dst, src, f);
	} else if (f->merge == RP_MERGE_SUM128) {
		const struct rp_field *hi = f + 1; /* the high half follows */

		field_set_u64(dst, f, d + s);
		field_set_u64(dst, hi, field_u64(dst, hi) + field_u64(src, hi) + (d + s < s));
	} else {
		field_merge_u64(f, dst, s);
	}
}

void family_fold(const struct rp_family *df, void *dst, const struct rp_family *sf, const void *src)
{
	for (size_t i = 0; i < sf->n; i++) {
		const struct rp_field *s = &sf->fields[i];
		const struct rp_field *d;

		if (s->kind != RP_FK_U64 && s->kind != RP_FK_U32)
			continue;
		d = family_field(df, s->name);
		if (d && (d->kind == RP_FK_U64 || d->kind == RP_FK_U32) &&
		    !(d->flags & RP_FF_ALIAS))
			field_merge_u64(d, dst, field_u64(src, s));
	}
}

void family_merge(const struct rp_family *fam, void *dst, const void *src)
{
	for (size_t i = 0; i < fam->n; i++)
		field_merge(&fam->fields[i], dst, src);
}

const struct rp_field *family_field(const struct rp_family *fam, const char *name)
{
	for (size_t i = 0; i < fam->n; i++)
		if (!strcmp(fam->fields[i].name, name))
			return &fam->fields[i];
	return NULL;
}

const char *family_name_at(const struct rp_family *fam, size_t off)
{
	for (size_t i = 0; i < fam->n; i++)
		if (fam->fields[i].off == off && !(fam->fields[i].flags & RP_FF_ALIAS))
			return fam->fields[i].name;
	return NULL;
}

bool field_have(const struct rp_field *f, int dir, unsigned features)
{
	if (f->flags & RP_FF_SKBS)
		return features & (dir == RP_SEND ? RP_FEAT_SENDMSG_LOCKED : RP_FEAT_SKB_COPY);
	return (features & f->need) == f->need;
}

static int by_off(const void *a, const void *b)
{
	const struct rp_field *x = *(const struct rp_field *const *)a;
	const struct rp_field *y = *(const struct rp_field *const *)b;

	return (x->off > y->off) - (x->off < y->off);
}

/* Padding before a field of this size: at most its alignment - 1. */
static size_t max_pad(size_t size)
{
	return size >= 8 ? 7 : size >= 4 ? 3 : size >= 2 ? 1 : 0;
}

long family_gap(const struct rp_family *fam)
{
	const struct rp_field **s = malloc(fam->n * sizeof(*s));
	size_t end = 0;
	long gap = -1;

	if (!s)
		return 0;
	size_t n = 0;

	for (size_t i = 0; i < fam->n; i++)
		if (!(fam->fields[i].flags & RP_FF_ALIAS))
			s[n++] = &fam->fields[i];
	qsort(s, n, sizeof(*s), by_off);
	for (size_t i = 0; i < n && gap == -1; i++) {
		if (s[i]->off < end)
			gap = -2;
		else if (s[i]->off - end > max_pad(s[i]->size))
			gap = (long)end;
		end = (size_t)s[i]->off + s[i]->size;
	}
	if (gap == -1 && fam->size - end > 7)
		gap = (long)end;
	free(s);
	return gap;
}

uint64_t field_src_u64(const void *src, const struct rp_field *f, size_t index)
{
	const char *p = (const char *)src + f->src_off + index * f->src_size;
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;

	switch (f->src_size) {
	case 8:
		memcpy(&v64, p, sizeof(v64));
		return v64;
	case 4:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	case 2:
		memcpy(&v16, p, sizeof(v16));
		return v16;
	case 1:
		memcpy(&v8, p, sizeof(v8));
		return v8;
	default:
		return 0;
	}
}
