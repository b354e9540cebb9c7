# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Profiles that explain the timings and do not depend on machine load:
callgrind instruction counts, the kernel's BPF run-time statistics, and
the cost floor of a timed syscall (bench/syscost.c)."""
import json
import os
import re
import select
import subprocess
import tempfile
import time

from procs import BenchError, pinned, run
from tools import reqperf_argv, wrk, wrk_argv


def syscost(helper, cpu):
    """The helper's clock-pair, getppid, EAGAIN recv and 64-byte send
    costs (ns)."""
    return json.loads(run(pinned(cpu, [helper]), 60))


def syscost_hooks(helper, cpu, floor):
    """syscost while bench/hookfloor holds empty programs on the hooks."""
    with HookFloor(floor, floor + ".bpf.o"):
        return syscost(helper, cpu)


def syscost_traced(binary, helper, cpu):
    """syscost while reqperf's tracepoint backend is attached (its
    sys_enter program then runs on every syscall of the machine)."""
    argv = [binary, "trace", "--comm", "syscost", "--probe", "tracepoint",
            "--duration", "20"]
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    try:
        ready = select.select([p.stderr], [], [], 10)[0]
        line = p.stderr.readline() if ready else "(nothing within 10 s)"
        if "attached" not in line:
            raise BenchError("reqperf trace did not attach: %s" %
                             line.strip())
        return syscost(helper, cpu)
    finally:
        p.terminate()
        try:
            p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()


class HookFloor:
    """bench/hookfloor.c holding empty programs on the hooks reqperf's
    tracepoint backend attaches, for as long as the with-block runs."""

    def __init__(self, loader, obj, sched=False):
        self.argv = [loader, obj] + (["--sched"] if sched else [])
        self.p = None

    def __enter__(self):
        self.p = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        ready = select.select([self.p.stdout], [], [], 10)[0]
        line = self.p.stdout.readline() if ready else ""
        if not line.startswith("attached"):
            self.__exit__(None, None, None)
            raise BenchError("hookfloor did not attach: %s" %
                             (line.strip() or "(nothing within 10 s)"))
        return self

    def __exit__(self, *exc):
        self.p.stdin.close()  # its signal to detach and exit
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        return False


def _rp_progs():
    out = run(["bpftool", "prog", "show", "--json"], 30)
    return [p for p in json.loads(out) if p.get("name", "").startswith("rp_")]


def _costs(ids):
    got = {}
    for p in _rp_progs():
        if p["id"] in ids:
            got[p["name"]] = (p.get("run_cnt", 0), p.get("run_time_ns", 0))
    return got


STATS = "/proc/sys/kernel/bpf_stats_enabled"


def _new_progs(before, proc):
    """The rp_ programs loaded since before, once their set has stopped
    growing for 0.2 s (the skeleton loads them one by one); 10 s bound."""
    last = []
    for _ in range(50):
        time.sleep(0.2)
        mine = [x for x in _rp_progs() if x["id"] not in before]
        if mine and len(mine) == len(last) and proc.poll() is None:
            return mine
        last = mine
    return []


def bpf_costs(binary, cpu, args, seconds):
    """Runs `reqperf run ARGS` (a --probe auto run of seconds + 3 s) and,
    for `seconds` of its I/O phase, the kernel's BPF run-time statistics
    (kernel.bpf_stats_enabled, restored after). Its programs are the rp_
    ones that appeared after it started; two of a name means another run
    loaded at the same time. Returns ({name: (runs, ns)}, report, window
    in s)."""
    before = set(p["id"] for p in _rp_progs())
    old = open(STATS).read().strip()
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        p = subprocess.Popen(pinned(cpu, reqperf_argv(binary, args, f.name)),
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            mine = _new_progs(before, p)
            names = [x["name"] for x in mine]
            ids = set(x["id"] for x in mine)
            if not ids or len(names) != len(set(names)):
                raise BenchError("cannot tell this run's BPF programs apart "
                                 "(another reqperf run at the same time?)")
            time.sleep(1)  # connections up, I/O phase under way
            with open(STATS, "w") as s:
                s.write("1")
            t0 = time.monotonic()
            a = _costs(ids)
            time.sleep(seconds)
            b = _costs(ids)
            window = time.monotonic() - t0
        finally:
            with open(STATS, "w") as s:
                s.write(old)
            if p.wait(timeout=seconds + 60) != 0:
                raise BenchError("reqperf run (bpf costs) exited %d" %
                                 p.returncode)
        report = json.load(open(f.name))
    costs = {k: (b[k][0] - a.get(k, (0, 0))[0], b[k][1] - a.get(k, (0, 0))[1])
             for k in b}
    return costs, report, window


def _annotate(path):
    """(total Ir, {function: self Ir}) of one callgrind output file."""
    out = run(["callgrind_annotate", "--threshold=100", path], 120)
    total, funcs = None, {}
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in m.group(2):
            total = n
        else:
            name = m.group(2).split(" [")[0].split(":")[-1]
            funcs[name] = funcs.get(name, 0) + n
    if total is None:
        raise BenchError("callgrind_annotate: no total in %s" % path)
    return total, funcs


def callgrind_reqperf(binary, args, outdir):
    """User-space instructions of one worker of `reqperf run ARGS` (one
    worker, a --requests run) under callgrind; returns (total, per
    function). The driver's own file is the one named by its pid."""
    pattern = os.path.join(outdir, "cg.reqperf.%p")
    argv = ["valgrind", "--tool=callgrind", "--trace-children=yes",
            "--callgrind-out-file=" + pattern, binary, "run", "--quiet"]
    p = subprocess.Popen(argv + args, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        rc = p.wait(timeout=300)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise BenchError("reqperf under callgrind: no exit within 300 s")
    if rc != 0:
        raise BenchError("reqperf under callgrind exited %d" % rc)
    files = [f for f in os.listdir(outdir) if f.startswith("cg.reqperf.")]
    workers = [f for f in files if f != "cg.reqperf.%d" % p.pid] \
        if "cg.reqperf.%d" % p.pid in files else []
    if len(workers) != 1:
        raise BenchError("callgrind: expected one worker profile, got %d" %
                         len(workers))
    return _annotate(os.path.join(outdir, workers[0]))


def callgrind_wrk(cpu, port, conns, seconds, depth, outdir):
    """wrk's user-space instructions under callgrind and the responses it
    counted; returns (total, responses)."""
    path = os.path.join(outdir, "cg.wrk")
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + path]
    argv += wrk_argv(port, 1, conns, seconds, depth)
    out = run(pinned(cpu, argv), seconds + 120)
    m = re.search(r"(\d+) requests in", out)
    if not m:
        raise BenchError("wrk under callgrind printed no request count")
    return _annotate(path)[0], int(m.group(1))


def callgrind_server(start, seconds, cpu, conns, outdir, name):
    """User-space instructions per request of a server under callgrind:
    start(wrapper) returns (server, port); wrk loads it for seconds; the
    server is stopped (SIGTERM lets callgrind write its file)."""
    path = os.path.join(outdir, "cg.%s" % name)
    srv, port = start(["valgrind", "--tool=callgrind",
                       "--callgrind-out-file=" + path])
    try:
        n = wrk(cpu, port, 1, conns, seconds)[1]
    finally:
        srv.stop(grace=60)
    return _annotate(path)[0] / n
