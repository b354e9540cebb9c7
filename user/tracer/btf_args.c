// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Function arity and tracepoint presence, read from kernel BTF. */
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_args.h"

int btf_func_nargs(const struct btf *btf, const char *name)
{
	const struct btf_type *t;
	__s32 id;

	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, (__u32)id);
	if (!t)
		return -1;
	t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_func_proto(t))
		return -1;
	return btf_vlen(t);
}

bool btf_has_tracepoint(const struct btf *btf, const char *name)
{
	char tname[128];

	if (snprintf(tname, sizeof(tname), "btf_trace_%s", name) >= (int)sizeof(tname))
		return false;
	return btf__find_by_name_kind(btf, tname, BTF_KIND_TYPEDEF) >= 0;
}

int btf_tracepoint_nargs(const struct btf *btf, const char *name)
{
	const struct btf_type *t;
	char tname[128];
	__s32 id;

	if (snprintf(tname, sizeof(tname), "btf_trace_%s", name) >= (int)sizeof(tname))
		return -1;
	id = btf__find_by_name_kind(btf, tname, BTF_KIND_TYPEDEF);
	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, (__u32)id);
	t = t ? btf__type_by_id(btf, t->type) : NULL;
	t = t && btf_is_ptr(t) ? btf__type_by_id(btf, t->type) : NULL;
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 1)
		return -1;
	return btf_vlen(t) - 1;
}

bool btf_has_enum_value(const struct btf *btf, const char *enum_name, const char *value_name)
{
	const struct btf_type *t;
	const struct btf_enum *e;
	__s32 id;

	id = btf__find_by_name_kind(btf, enum_name, BTF_KIND_ENUM);
	t = id < 0 ? NULL : btf__type_by_id(btf, (__u32)id);
	if (!t)
		return false;
	e = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(btf, e[i].name_off);

		if (n && !strcmp(n, value_name))
			return true;
	}
	return false;
}

int btf_kernel_facts(struct rp_kernel_facts *k)
{
	struct btf *btf = btf__load_vmlinux_btf();

	k->btf = btf != NULL;
	k->sendmsg_nargs = -1;
	k->recvmsg_nargs = -1;
	k->sendpage_nargs = -1;
	if (!btf)
		return -1;
	k->sendmsg_nargs = btf_func_nargs(btf, "tcp_sendmsg");
	k->recvmsg_nargs = btf_func_nargs(btf, "tcp_recvmsg");
	k->tp_sys_enter = btf_has_tracepoint(btf, "sys_enter");
	k->tp_send_length = btf_has_tracepoint(btf, "sock_send_length");
	k->tp_recv_length = btf_has_tracepoint(btf, "sock_recv_length");
	k->tp_sendmsg_locked = btf_has_tracepoint(btf, "tcp_sendmsg_locked");
	k->tp_skb_copy = btf_has_tracepoint(btf, "skb_copy_datagram_iovec");
	k->tp_retransmit = btf_has_tracepoint(btf, "tcp_retransmit_skb");
	k->tp_set_state = btf_has_tracepoint(btf, "inet_sock_set_state");
	/* One argument, the request, since 5.19 (before: ctx, req, ...). */
	k->tp_uring_submit = btf_tracepoint_nargs(btf, "io_uring_submit_req") == 1;
	/* sendfile/splice into TCP before 6.5 (sk, page, offset, size, flags). */
	k->sendpage_nargs = btf_func_nargs(btf, "tcp_sendpage");
	k->splice_read = btf_func_nargs(btf, "tcp_splice_read") == 5;
	k->tp_sys_exit = btf_has_tracepoint(btf, "sys_exit");
	/* sched_switch gained prev_state, its fourth argument, in 5.18. */
	k->tp_sched = btf_tracepoint_nargs(btf, "sched_switch") == 4 &&
		      btf_has_tracepoint(btf, "sched_wakeup") &&
		      btf_has_tracepoint(btf, "sched_wakeup_new") &&
		      btf_has_tracepoint(btf, "sched_migrate_task") &&
		      btf_has_tracepoint(btf, "softirq_entry") &&
		      btf_has_tracepoint(btf, "softirq_exit");
	/* Per-thread state lives in task storage: tracing programs got it,
	 * and the BTF-typed current task, in 5.11. */
	k->task_storage = btf_has_enum_value(btf, "bpf_func_id", "BPF_FUNC_task_storage_get") &&
			  btf_has_enum_value(btf, "bpf_func_id", "BPF_FUNC_get_current_task_btf");
	/* fexit reads tcp_recvmsg's return and flags by index (5.17). */
	k->func_ret = btf_has_enum_value(btf, "bpf_func_id", "BPF_FUNC_get_func_ret") &&
		      btf_has_enum_value(btf, "bpf_func_id", "BPF_FUNC_get_func_arg");
	btf__free(btf);
	return 0;
}
