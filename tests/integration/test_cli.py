# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The CLI's documentation cannot drift: the manual page (reqperf --man and
the built build/reqperf.1), the bash completion and each command's --help
list the same options; the manual renders without groff warnings;
--version reports libbpf and this kernel's features; make install puts
everything under DESTDIR/PREFIX. No traffic, no BPF loaded.
Usage: test_cli.py BUILD/reqperf"""
import os
import re
import subprocess
import tempfile

from harness import BIN, check, run, run_all, skip, test

COMMANDS = ("run", "sink", "trace")
ARGP_OWN = {"help", "usage", "version"}
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def help_options(cmd):
    """{long: (short or None, ARG or None)} from `reqperf CMD --help`."""
    rc, out, err, _ = run([cmd, "--help"], timeout=10)
    opts = {}
    for l in out.splitlines():
        m = re.match(r"^\s+(?:-(\S), )?--([\w-]+)(?:\[=(\S+?)\]|=('[^']*'|\S+))?", l)
        if m and m.group(2) not in ARGP_OWN:
            opts[m.group(2)] = (m.group(1), m.group(3) or m.group(4))
    return rc, opts


def man_options(text, cmd):
    """The same from the manual's section for cmd."""
    sec = text.split('.SH "REQPERF %s"' % cmd.upper(), 1)
    if len(sec) < 2:
        return {}
    sec = sec[1].split("\n.SH ", 1)[0]
    opts = {}
    for m in re.finditer(r"\.TP\n(?:\\fB\\-(\S)\\fR, )?\\fB\\-\\-([\w\\-]+)\\fR"
                         r"(?:\[?=?\s?\\fI(.+?)\\fR\]?)?\n", sec):
        name = m.group(2).replace("\\-", "-")
        if name not in ARGP_OWN:
            arg = m.group(3).replace("\\-", "-") if m.group(3) else None
            opts[name] = (m.group(1), arg)
    return opts


@test
def manual_matches_help():
    rc, man, err, _ = run(["--man"], timeout=10)
    check("--man: exit 0", rc == 0 and man.startswith(".\\\""), err)
    built = os.path.join(os.path.dirname(BIN), "reqperf.1")
    if os.path.exists(built):
        check("build/reqperf.1 is the current --man output", open(built).read() == man)
    for cmd in COMMANDS:
        rc, hopts = help_options(cmd)
        mopts = man_options(man, cmd)
        check("%s --help lists options" % cmd, rc == 0 and len(hopts) >= 4, str(hopts))
        only_help = sorted(set(hopts) - set(mopts))
        only_man = sorted(set(mopts) - set(hopts))
        check("%s: man page and --help list the same options" % cmd,
              not only_help and not only_man,
              "only in --help %s, only in the manual %s" % (only_help, only_man))
        diff = [k for k in hopts if k in mopts and hopts[k] != mopts[k]]
        check("%s: same short names and arguments" % cmd, not diff,
              str([(k, hopts[k], mopts[k]) for k in diff]))


@test
def manual_renders():
    rc, man, err, _ = run(["--man"], timeout=10)
    with tempfile.NamedTemporaryFile("w", suffix=".1") as f:
        f.write(man)
        f.flush()
        g = subprocess.run(["groff", "-man", "-ww", "-z", f.name], capture_output=True,
                           text=True, timeout=20)
        check("groff -man -ww: no warnings", g.returncode == 0 and not g.stderr.strip(),
              g.stderr[:600])
        env = dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="0")
        m = subprocess.run(["man", "-l", f.name], capture_output=True, text=True,
                           timeout=20, env=env)
        text = re.sub(r".\x08", "", m.stdout)  # overstrike bold/underline
        check("man -l renders NAME, SYNOPSIS, every command, EXIT STATUS",
              m.returncode == 0 and all(s in text for s in
                                        ("NAME", "SYNOPSIS", "REQPERF RUN", "REQPERF SINK",
                                         "REQPERF TRACE", "EXIT STATUS", "--detail")),
              text[:400] + m.stderr[:300])


@test
def completion_matches_help():
    rc, comp, err, _ = run(["--completion", "bash"], timeout=10)
    check("--completion bash: exit 0", rc == 0, err)
    b = subprocess.run(["bash", "-n"], input=comp, capture_output=True, text=True, timeout=10)
    check("completion script parses (bash -n)", b.returncode == 0, b.stderr)
    for cmd in COMMANDS:
        _, hopts = help_options(cmd)
        probe = ("source /dev/stdin <<'EOF'\n%s\nEOF\nCOMP_WORDS=(reqperf %s --)\n"
                 "COMP_CWORD=2\n_reqperf\nprintf '%%s\\n' \"${COMPREPLY[@]}\"\n" % (comp, cmd))
        b = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=10)
        words = set(w[2:] for w in b.stdout.split() if w.startswith("--"))
        check("completion of 'reqperf %s --' offers every option" % cmd,
              set(hopts) <= words, "missing %s" % sorted(set(hopts) - words))
    rc, out, err, _ = run(["--completion", "zsh"], timeout=10)
    check("--completion zsh: one line, exit 2", rc == 2 and len(err.splitlines()) == 1, err)


@test
def version_reports_kernel():
    rc, out, err, _ = run(["--version"], timeout=20)
    check("--version: exit 0", rc == 0, err)
    check("--version: the libbpf linked", re.search(r"^libbpf v?\d+\.\d+", out, re.M), out)
    btf = os.path.exists("/sys/kernel/btf/vmlinux")
    check("--version: BTF as /sys/kernel/btf says",
          ("BTF yes" in out) == btf, out)
    for b in ("fentry", "kprobe", "tracepoint"):
        check("--version: backend %s listed" % b, re.search(r"^\s+%s\s" % b, out, re.M), out)
    for tp in ("tcp_retransmit_skb", "inet_sock_set_state", "sys_enter"):
        present = os.path.exists("/sys/kernel/tracing/events") and any(
            os.path.isdir(os.path.join("/sys/kernel/tracing/events", c, tp))
            for c in ("tcp", "sock", "raw_syscalls"))
        line = [l for l in out.splitlines() if tp in l]
        if os.path.isdir("/sys/kernel/tracing/events/tcp") and btf:
            check("--version: %s %s as tracefs says" % (tp, "present" if present else "absent"),
                  line and line[0].endswith("present" if present else "absent"), str(line))
    check("--version: every line under 80 columns",
          all(len(l) < 80 for l in out.splitlines()), out)


@test
def make_install():
    if os.path.dirname(BIN) != os.path.join(REPO, "build"):
        # the sanitizer tree (build/san) must not be relinked by make install
        skip("make install", "checked against the default build/ tree only")
        return
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run(["make", "-C", REPO, "install", "DESTDIR=" + d, "PREFIX=/usr",
                            "OUT=" + os.path.dirname(BIN)],
                           capture_output=True, text=True, timeout=300)
        if not check("make install DESTDIR PREFIX=/usr: exit 0", p.returncode == 0,
                     p.stderr[-600:]):
            return
        want = ["usr/bin/reqperf", "usr/share/man/man1/reqperf.1",
                "usr/share/doc/reqperf/README.md", "usr/share/doc/reqperf/report.md",
                "usr/share/bash-completion/completions/reqperf"]
        missing = [w for w in want if not os.path.isfile(os.path.join(d, w))]
        check("make install: binary, manual, docs, completion", not missing, str(missing))
        exe = os.path.join(d, "usr/bin/reqperf")
        check("installed binary is executable", os.access(exe, os.X_OK))
        v = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=10)
        check("installed binary runs", v.returncode == 0 and "run" in v.stdout, v.stderr)
        p = subprocess.run(["make", "-C", REPO, "uninstall", "DESTDIR=" + d, "PREFIX=/usr",
                            "OUT=" + os.path.dirname(BIN)],
                           capture_output=True, text=True, timeout=60)
        left = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs]
        check("make uninstall removes every file", p.returncode == 0 and not left, str(left))


if __name__ == "__main__":
    run_all()
