# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""One run of each tool the benchmark compares, returning what it measured:
wrk's requests/s, reqperf's JSON report, the worker processes' peak RSS."""
import http.client
import json
import os
import re
import select
import subprocess
import tempfile
import threading
import time

from procs import BenchError, pinned, run

HERE = os.path.dirname(os.path.abspath(__file__))


def fetch_body(port):
    """The body GET / returns on 127.0.0.1:port."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        c.request("GET", "/")
        r = c.getresponse()
        body = r.read()
    finally:
        c.close()
    if r.status != 200:
        raise BenchError("GET / on port %d: HTTP %d" % (port, r.status))
    return body


def wrk(cpu, port, threads, conns, seconds, depth=1):
    """wrk's Requests/sec; depth > 1 pipelines that many requests per
    connection with bench/pipeline.lua."""
    argv = ["wrk", "-t", str(threads), "-c", str(conns), "-d",
            "%ds" % seconds]
    if depth > 1:
        argv += ["-s", os.path.join(HERE, "pipeline.lua")]
    argv += ["http://127.0.0.1:%d/" % port]
    if depth > 1:
        argv += ["--", str(depth)]
    out = run(pinned(cpu, argv), seconds + 30)
    bad = re.search(r"(Non-2xx or 3xx responses|Socket errors):.*", out)
    if bad:
        raise BenchError("wrk on port %d: %s" % (port, bad.group(0)))
    m = re.search(r"Requests/sec:\s*([0-9.]+)", out)
    if not m:
        raise BenchError("wrk printed no Requests/sec")
    return float(m.group(1))


def reqperf_argv(binary, args, json_path):
    return [binary, "run", "--quiet", "--json", json_path] + args


def reqperf(binary, cpu, args, timeout):
    """Runs `reqperf run ARGS` pinned to cpu; returns its JSON report."""
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        run(pinned(cpu, reqperf_argv(binary, args, f.name)), timeout)
        return json.load(open(f.name))


def _children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _hwm_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            m = re.search(r"^VmHWM:\s*(\d+) kB", f.read(), re.M)
    except OSError:
        return None
    return int(m.group(1)) if m else None


def reqperf_peak_rss(binary, cpu, args, timeout):
    """Runs `reqperf run ARGS` (with --target, so every child of the driver
    is a worker) and samples each worker's VmHWM, the kernel's peak RSS
    of that process, every 20 ms until it exits; VmHWM only grows, so
    the last sample is the peak up to 20 ms before exit, after the I/O
    phase. Returns (report, max over workers in KiB)."""
    peak = {}
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        p = subprocess.Popen(pinned(cpu, reqperf_argv(binary, args, f.name)),
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        done = threading.Event()

        def sample():
            while not done.is_set():
                for c in _children(p.pid):
                    v = _hwm_kib(c)
                    if v is not None:
                        peak[c] = max(v, peak.get(c, 0))
                time.sleep(0.02)

        t = threading.Thread(target=sample)
        t.start()
        try:
            err = p.communicate(timeout=timeout)[1]
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise BenchError("reqperf run: no exit within %d s" % timeout)
        finally:
            done.set()
            t.join()
        if p.returncode != 0:
            raise BenchError("reqperf run exited %d: %s" % (
                p.returncode, (err.strip().splitlines() or [""])[-1]))
        report = json.load(open(f.name))
    if len(peak) != report["config"]["workers"]:
        raise BenchError("sampled %d worker processes, expected %d" % (
            len(peak), report["config"]["workers"]))
    return report, max(peak.values())


def syscost(helper, cpu):
    """The helper's clock-pair and getppid costs (ns)."""
    return json.loads(run(pinned(cpu, [helper]), 60))


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
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + path,
            "wrk", "-t", "1", "-c", str(conns), "-d", "%ds" % seconds]
    if depth > 1:
        argv += ["-s", os.path.join(HERE, "pipeline.lua")]
    argv += ["http://127.0.0.1:%d/" % port]
    if depth > 1:
        argv += ["--", str(depth)]
    out = run(pinned(cpu, argv), seconds + 120)
    m = re.search(r"(\d+) requests in", out)
    if not m:
        raise BenchError("wrk under callgrind printed no request count")
    return _annotate(path)[0], int(m.group(1))
