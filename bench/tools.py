# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""One run of each tool the benchmark compares, returning what it measured:
wrk's requests/s, reqperf's JSON report, the worker processes' peak RSS."""
import http.client
import json
import os
import re
import resource
import subprocess
import tempfile
import threading
import time

from procs import BenchError, children, pinned, run

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


def wrk_argv(port, threads, conns, seconds, depth=1):
    """wrk's command line; depth > 1 pipelines that many requests per
    connection with bench/pipeline.lua."""
    argv = ["wrk", "-t", str(threads), "-c", str(conns), "-d",
            "%ds" % seconds]
    if depth > 1:
        argv += ["-s", os.path.join(HERE, "pipeline.lua")]
    argv += ["http://127.0.0.1:%d/" % port]
    if depth > 1:
        argv += ["--", str(depth)]
    return argv


def wrk(cpu, port, threads, conns, seconds, depth=1):
    """wrk's Requests/sec and responses."""
    out = run(pinned(cpu, wrk_argv(port, threads, conns, seconds, depth)),
              seconds + 30)
    bad = re.search(r"(Non-2xx or 3xx responses|Socket errors):.*", out)
    if bad:
        raise BenchError("wrk on port %d: %s" % (port, bad.group(0)))
    m = re.search(r"Requests/sec:\s*([0-9.]+)", out)
    n = re.search(r"(\d+) requests in", out)
    if not m or not n:
        raise BenchError("wrk printed no Requests/sec")
    return float(m.group(1)), int(n.group(1))


def children_cpu():
    """CPU seconds of every child this process has reaped so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def reqperf_argv(binary, args, json_path):
    return [binary, "run", "--quiet", "--json", json_path] + args


def reqperf(binary, cpu, args, timeout):
    """Runs `reqperf run ARGS` pinned to cpu; returns its JSON report."""
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        run(pinned(cpu, reqperf_argv(binary, args, f.name)), timeout)
        return json.load(open(f.name))


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
                for c in children(p.pid):
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
