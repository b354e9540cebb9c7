// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Holds bench/hookfloor.bpf.o's empty programs attached until stdin closes
 * (or SIGTERM/SIGINT); tracepoints this kernel lacks are skipped. Prints
 * "attached N" once they are. The scheduler view's hooks (sched_*,
 * softirq_*) only with --sched, as `reqperf run` loads them only with
 * --sched-view. Usage: hookfloor OBJECT.bpf.o [--sched]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

static void on_signal(int sig)
{
	(void)sig;
}

/* Whether the kernel has the tracepoint a tp_btf/NAME section names. */
static int has_tracepoint(const struct btf *vmlinux, const char *sec)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", sec + strlen("tp_btf/"));
	return btf__find_by_name_kind(vmlinux, name, BTF_KIND_TYPEDEF) >= 0;
}

/* A hook of the scheduler view. */
static int is_sched_hook(const char *sec)
{
	const char *hook = sec + strlen("tp_btf/");

	return !strncmp(hook, "sched_", 6) || !strncmp(hook, "softirq_", 8);
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct bpf_object *obj;
	struct bpf_program *p;
	struct btf *vmlinux;
	int sched = argc == 3 && !strcmp(argv[2], "--sched");
	char c;
	int n = 0;

	if (argc != 2 && !sched) {
		fprintf(stderr, "usage: hookfloor OBJECT.bpf.o [--sched]\n");
		return 2;
	}
	vmlinux = btf__load_vmlinux_btf();
	obj = bpf_object__open_file(argv[1], NULL);
	if (!vmlinux || !obj) {
		fprintf(stderr, "hookfloor: cannot open %s or kernel BTF: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(p, obj)
	{
		const char *sec = bpf_program__section_name(p);

		if (!has_tracepoint(vmlinux, sec) || (!sched && is_sched_hook(sec)))
			bpf_program__set_autoload(p, false);
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "hookfloor: load failed: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(p, obj)
	{
		if (!bpf_program__autoload(p))
			continue;
		if (!bpf_program__attach(p)) {
			fprintf(stderr, "hookfloor: attach %s failed: %s\n", bpf_program__name(p),
				strerror(errno));
			return 1;
		}
		n++;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("attached %d\n", n);
	fflush(stdout);
	/* Until stdin closes or a signal: the links go with the process. */
	while (read(0, &c, 1) > 0)
		;
	bpf_object__close(obj);
	btf__free(vmlinux);
	return 0;
}
