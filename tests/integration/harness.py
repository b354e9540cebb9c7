# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""A tiny test harness: checks print "ok - name" / "not ok - name", a test
module exits non-zero when any failed. Every subprocess has a timeout."""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/reqperf")
RESULTS = {"passed": 0, "failed": 0, "skipped": 0}


def run(args, timeout=60, env=None, preexec=None):
    """Runs reqperf with args; returns (rc, stdout, stderr, seconds)."""
    t0 = time.monotonic()
    p = subprocess.run([BIN] + args, capture_output=True, text=True,
                       timeout=timeout, env=env, preexec_fn=preexec)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def run_json(args, timeout=60):
    """Runs with --json to a temp file; returns (rc, doc or None, stderr)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        rc, out, err, _ = run(args + ["--json", f.name, "--quiet"], timeout)
        try:
            doc = json.load(open(f.name))
        except ValueError:
            doc = None
    return rc, doc, err


def check(name, cond, detail=""):
    if cond:
        RESULTS["passed"] += 1
        print("ok - %s" % name)
    else:
        RESULTS["failed"] += 1
        print("not ok - %s %s" % (name, detail))
    return cond


def skip(name, reason):
    """A check that cannot run here: said, counted apart, never a pass."""
    RESULTS["skipped"] += 1
    print("skip - %s: %s" % (name, reason))


def need_root(name):
    """False (and a skip line) when not root: the check loads eBPF."""
    if os.geteuid() == 0:
        return True
    skip(name, "needs root")
    return False


TESTS = []


def test(fn):
    """Registers a test function for run_all()."""
    TESTS.append(fn)
    return fn


def run_all():
    """Runs every registered test; an exception is a failure, not a crash."""
    for fn in TESTS:
        try:
            fn()
        except Exception:
            check(fn.__name__, False, "\n" + traceback.format_exc())
    finish()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Sink:
    """A standalone `reqperf sink` on a free loopback port."""

    def __init__(self, *extra, quiet=True, preexec=None, binary=BIN, host="127.0.0.1"):
        """host "[::]": a dual-stack sink, reached at 127.0.0.1 all the same."""
        self.port = free_port()
        self.proc = subprocess.Popen(
            [binary, "sink", "--listen", "%s:%d" % (host, self.port)]
            + (["--quiet"] if quiet else []) + list(extra), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, preexec_fn=preexec)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("sink did not start")

    @property
    def target(self):
        return "127.0.0.1:%d" % self.port

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode

    def summary(self):
        """Stops the sink; returns what it printed (its summary)."""
        self.stop()
        return self.proc.stdout.read() + self.proc.stderr.read()


def summary_items(text, head="sink: "):
    """The "label value" items of the text line that starts with head and
    its indented continuation lines (reqperf sink's summary, the run
    report's sink line), as {label: int}; {} when there is no such line."""
    lines, items = text.splitlines(), {}
    for i, line in enumerate(lines):
        if not line.startswith(head):
            continue
        block = [line[len(head):]]
        for more in lines[i + 1:]:
            if not more.startswith(" "):
                break
            block.append(more.strip())
        for item in " ".join(block).split(","):
            label, _, value = item.strip().rpartition(" ")
            if value.isdigit():
                items[label] = int(value)
        break
    return items


def bpf_progs():
    """Names of loaded BPF programs (bpftool), or None without bpftool."""
    try:
        out = subprocess.run(["bpftool", "-j", "prog", "show"], capture_output=True,
                             text=True, timeout=20).stdout
        return [p.get("name", "") for p in json.loads(out or "[]")]
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def rp_progs_gone(timeout=5.0):
    """True when no rp_* BPF program is loaded. The kernel frees a program
    after its last fd closes from deferred work, so poll, bounded."""
    deadline = time.monotonic() + timeout
    while True:
        progs = bpf_progs()
        if progs is not None and not any(p.startswith("rp_") for p in progs):
            return True, progs
        if time.monotonic() > deadline:
            return False, progs
        time.sleep(0.05)


def finish():
    print("%s: %d passed, %d failed, %d skipped" % (
        os.path.basename(sys.argv[0]), RESULTS["passed"], RESULTS["failed"],
        RESULTS["skipped"]))
    sys.exit(1 if RESULTS["failed"] else 0)
