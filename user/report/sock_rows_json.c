// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A traced socket as a JSON object: `reqperf trace`'s "sockets" and the
 * run report's "connections" share it, so `reqperf join` reads both
 * ends of a connection the same way. It walks rp_sockrow_family. */
#include "json.h"
#include "schema.h"
#include "sock_rows.h"

/* The fields of fam in base; recv-only ones only when recv. */
static void put_fields(struct json_writer *j, const struct rp_family *fam, const void *base,
		       bool recv)
{
	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];
		const char *p = (const char *)base + f->off;

		if ((f->flags & RP_FF_RECV) && !recv && fam == &rp_sockdir_family)
			continue;
		if (f->kind == RP_FK_STR) {
			json_kv_string(j, f->name, p);
		} else if (f->kind == RP_FK_BOOL) {
			json_kv_bool(j, f->name, field_u64(base, f));
		} else if (f->kind == RP_FK_NESTED) {
			json_key(j, f->name);
			json_begin_object(j);
			put_fields(j, &rp_sockdir_family, p, f->flags & RP_FF_RECV);
			json_end_object(j);
		} else {
			json_kv_u64(j, f->name, field_u64(base, f));
		}
	}
}

void sock_row_json(struct json_writer *j, const struct rp_sock_row *s)
{
	json_begin_object(j);
	put_fields(j, &rp_sockrow_family, s, false);
	json_end_object(j);
}
