# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf merge: two runs (two "hosts") against one `reqperf sink`, merged
totals == the sum of the runs and == what the sink counted; bad input
refused in one line. Then two network namespaces as two client hosts,
released together by --start-at, against one sink: merged totals, the
sink's count, the start spread, and merged latency percentiles checked
against the summed histogram. Usage: test_merge.py BUILD/reqperf"""
import json
import math
import os
import socket
import subprocess
import tempfile
import time

from harness import (BIN, Sink, check, free_port, need_root, run, run_all, skip,
                     summary_items, test)

COUNTERS = ("calls", "bytes", "eagain", "short", "errors")


def one_run(target, path, extra=()):
    rc, out, err, _ = run(["run", "--target", target, "-w", "1", "-c", "2", "-n", "300",
                           "--quiet", "--json", path] + list(extra), timeout=60)
    return rc, err


@test
def two_hosts():
    sink = Sink(quiet=False)  # its summary is the independent count
    tmp = tempfile.mkdtemp()
    a, b, m, c = (os.path.join(tmp, x) for x in ("a.json", "b.json", "m.json", "c.json"))
    try:
        ra, ea = one_run(sink.target, a)
        rb, eb = one_run(sink.target, b)
        rc_, ec = one_run(sink.target, c, ["--connections", "3"])
    finally:
        summary = sink.summary()
    check("merge: both runs exit 0", ra == 0 and rb == 0, ea + eb)
    rc, out, err, _ = run(["merge", a, b, "--json", m], timeout=30)
    check("merge: exit 0", rc == 0, err)
    da, db, dm = (json.load(open(p)) for p in (a, b, m))
    ta, tb, tm = da["totals"], db["totals"], dm["totals"]
    for k in ("requests", "responses", "errors", "crc_errors"):
        check("merge: totals %s == a + b" % k, tm[k] == ta[k] + tb[k],
              "%d != %d + %d" % (tm[k], ta[k], tb[k]))
    for side in ("user", "kernel"):
        if side not in ta:
            continue
        for d in ("send", "recv"):
            for k in COUNTERS:
                check("merge: %s %s %s == a + b" % (side, d, k),
                      tm[side][d][k] == ta[side][d][k] + tb[side][d][k])
            check("merge: %s %s log2 == a + b" % (side, d),
                  tm[side][d]["log2"] == [x + y for x, y in
                                          zip(ta[side][d]["log2"], tb[side][d]["log2"])])
            ns = tm[side][d]["ns"]
            check("merge: %s %s ns n, min, max exact" % (side, d),
                  ns["n"] == ta[side][d]["ns"]["n"] + tb[side][d]["ns"]["n"]
                  and ns["min"] == min(ta[side][d]["ns"]["min"], tb[side][d]["ns"]["min"])
                  and ns["max"] == max(ta[side][d]["ns"]["max"], tb[side][d]["ns"]["max"]))
    check("merge: same top-level keys plus hosts",
          set(dm) - {"hosts"} <= set(da) and "hosts" in dm, str(sorted(dm)))
    check("merge: two host rows, two workers",
          [h["host"] for h in dm["hosts"]] == [a, b] and len(dm["workers"]) == 2)
    # The sink saw every request of runs a, b and c.
    n_sink = [summary_items(summary).get("requests")]
    want = tm["requests"] + json.load(open(c))["totals"]["requests"]
    check("merge: sink requests == merged + third run", n_sink == [want],
          "%s != %d %r" % (n_sink, want, summary))
    # Bad input: one line, exit 2; --force only for configs.
    rc, out, err, _ = run(["merge", a, c], timeout=10)
    check("merge: config differs: exit 2, one line naming it",
          rc == 2 and "config connections differs" in err and len(err.splitlines()) == 1,
          "rc=%d %r" % (rc, err))
    rc, out, err, _ = run(["merge", "--force", a, c], timeout=10)
    check("merge: --force merges different configs", rc == 0, err)
    doc = json.load(open(a))
    doc["version"] = "other"
    json.dump(doc, open(b, "w"))
    rc, out, err, _ = run(["merge", "--force", a, b], timeout=10)
    check("merge: version differs: exit 2 even with --force",
          rc == 2 and "version differs" in err, "rc=%d %r" % (rc, err))
    open(b, "w").write("{not json")
    rc, out, err, _ = run(["merge", a, b], timeout=10)
    check("merge: not JSON: exit 2, one line", rc == 2 and len(err.splitlines()) == 1, err)


SUB_BITS = 6  # stats.h RP_HIST_SUB_BITS


def bucket_range(idx):
    """[low, high] of latency histogram bucket idx (bpf/hist_index.h)."""
    if idx < (1 << SUB_BITS):
        return idx, idx
    p = (idx >> SUB_BITS) + SUB_BITS - 1
    low = ((1 << SUB_BITS) + (idx & ((1 << SUB_BITS) - 1))) << (p - SUB_BITS)
    return low, low + (1 << (p - SUB_BITS)) - 1


def rank_bucket(hist, n, q):
    """The bucket holding the sample of rank ceil(q/100 * n)."""
    rank, seen = max(1, math.ceil(q / 100.0 * n)), 0
    for idx, c in sorted(hist.items()):
        seen += c
        if seen >= rank:
            return idx
    return None


def ip(*args):
    subprocess.run(["ip"] + list(args), check=True, capture_output=True, timeout=10)


def make_hosts(tag):
    """Two namespaces, each a "client host" on its own veth link to this
    namespace: 10.201.1.2 and 10.201.2.2; the sink listens on 10.201.1.1,
    which the second reaches over its own link."""
    for i in (1, 2):
        ns, here, there = "%s%d" % (tag, i), "%s%dr" % (tag, i), "%s%dn" % (tag, i)
        ip("netns", "add", ns)
        ip("link", "add", here, "type", "veth", "peer", "name", there, "netns", ns)
        ip("addr", "add", "10.201.%d.1/30" % i, "dev", here)
        ip("link", "set", here, "up")
        ip("-n", ns, "addr", "add", "10.201.%d.2/30" % i, "dev", there)
        ip("-n", ns, "link", "set", there, "up")
        ip("-n", ns, "link", "set", "lo", "up")
    ip("-n", tag + "2", "route", "add", "10.201.1.1/32", "dev", tag + "2n")


def drop_hosts(tag):
    for i in (1, 2):  # the veth pairs go with their namespaces
        subprocess.run(["ip", "netns", "del", "%s%d" % (tag, i)], capture_output=True,
                       timeout=10)


def start_sink(addr, port):
    p = subprocess.Popen([BIN, "sink", "--listen", "%s:%d" % (addr, port)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(250):
        try:
            socket.create_connection((addr, port), 0.2).close()
            return p
        except OSError:
            time.sleep(0.02)
    p.kill()
    raise RuntimeError("sink did not start")


def start_trace(pid, path):
    """`reqperf trace --pid` of the sink, once it says it is attached."""
    errf = tempfile.TemporaryFile("w+")
    t = subprocess.Popen([BIN, "trace", "--pid", str(pid), "--json", path],
                         stdout=subprocess.DEVNULL, stderr=errf, text=True)
    for _ in range(300):
        errf.seek(0)
        if "attached" in errf.read() or t.poll() is not None:
            break
        time.sleep(0.05)
    return t, errf


def stop_trace(t, errf):
    t.send_signal(2)
    try:
        t.wait(30)
    except subprocess.TimeoutExpired:
        t.kill()
        t.wait()
    errf.seek(0)
    return t.returncode, errf.read()


def host_runs(tag, target, paths, start_at):
    procs = [subprocess.Popen(["ip", "netns", "exec", "%s%d" % (tag, i + 1), BIN, "run",
                               "-t", target, "-w", "1", "-c", "2", "-n", "400",
                               "--mode", "pingpong", "--quiet", "--json", path,
                               "--start-at", "%.3f" % start_at],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i, path in enumerate(paths)]
    out = []
    for p in procs:
        try:
            _, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        out.append((p.returncode, err))
    return out


@test
def two_namespace_hosts():
    if not need_root("merge: two namespace hosts"):
        return
    tag = "rq%d" % (os.getpid() % 100000)
    tmp = tempfile.mkdtemp()
    a, b, m, srv = (os.path.join(tmp, x) for x in ("h1.json", "h2.json", "m.json", "s.json"))
    port = free_port()
    try:
        make_hosts(tag)
    except (subprocess.CalledProcessError, OSError) as e:
        drop_hosts(tag)
        skip("merge: two namespace hosts", "cannot make namespaces: %s" % e)
        return
    try:
        sink = start_sink("10.201.1.1", port)
        try:
            trace = start_trace(sink.pid, srv)
            try:
                res = host_runs(tag, "10.201.1.1:%d" % port, (a, b), time.time() + 3)
            finally:
                trc, terr = stop_trace(*trace)
        finally:
            sink.send_signal(15)
            summary, _ = sink.communicate(timeout=10)
    finally:
        drop_hosts(tag)
    check("hosts: both runs exit 0", all(rc == 0 for rc, _ in res), str(res))
    if not all(rc == 0 for rc, _ in res):
        return
    check("hosts: server trace exit 0", trc == 0, terr)
    rc, out, err, _ = run(["merge", a, b, "--server", srv, "--json", m], timeout=30)
    check("hosts: merge exit 0", rc == 0, err)
    da, db, dm = (json.load(open(p)) for p in (a, b, m))
    # The server's own kernel view joined: every byte both hosts sent was
    # received by the sink's process, and every byte it sent arrived.
    st = dm.get("server_trace", {})
    for k in ("server_recv_vs_clients_send", "server_send_vs_clients_recv"):
        c = st.get("bytes", {}).get(k, {})
        check("hosts: %s equal" % k, c.get("equal") is True and c["server"] > 0, str(c))
    # One host counted twice against the server of both: bytes differ.
    rc, out, err, _ = run(["merge", a, a, b, "--server", srv, "--json", m + ".one"], timeout=30)
    check("hosts: a host counted twice against the server: merge written, exit 3, one line",
          rc == 3 and os.path.exists(m + ".one") and "differ" in err
          and len(err.splitlines()) == 1, "rc %d %s" % (rc, err))
    rc, out, err, _ = run(["merge", a, b, "--server", a], timeout=30)
    check("hosts: --server with a run report: exit 2, one line",
          rc == 2 and "not a reqperf trace" in err and len(err.splitlines()) == 1, err)
    for k in ("requests", "responses"):
        check("hosts: merged %s == h1 + h2" % k,
              dm["totals"][k] == da["totals"][k] + db["totals"][k] == 800)
    n_sink = [summary_items(summary).get("requests")]
    check("hosts: sink requests == merged requests", n_sink == [dm["totals"]["requests"]],
          "%s %r" % (n_sink, summary))
    # --start-at: both released at the instant asked (late by the sleep's
    # wake-up only), so they began together.
    for name, d in (("h1", da), ("h2", db)):
        check("hosts: %s released at --start-at" % name, 0 <= d["start"]["late_s"] < 0.5,
              str(d.get("start")))
    check("hosts: merged start spread < 0.5 s", 0 <= dm["start"]["spread_s"] < 0.5,
          str(dm.get("start")))
    print("# start: late %.6f s and %.6f s, spread %.6f s" % (
        da["start"]["late_s"], db["start"]["late_s"], dm["start"]["spread_s"]))
    # Latency: the merged histogram is the sum; each merged percentile lies
    # in the bucket that holds its rank's sample of the union.
    ha, hb, hm = (dict(zip(d["latency_hist"]["index"], d["latency_hist"]["count"]))
                  for d in (da, db, dm))
    union = {k: ha.get(k, 0) + hb.get(k, 0) for k in set(ha) | set(hb)}
    check("hosts: merged latency histogram == h1 + h2", hm == union)
    la, lb, lm = (d["latency_ns"]["request"] for d in (da, db, dm))
    check("hosts: merged latency n == h1 + h2 == 800", lm["n"] == la["n"] + lb["n"] == 800)
    check("hosts: merged latency min/max", lm["min"] == min(la["min"], lb["min"])
          and lm["max"] == max(la["max"], lb["max"]))
    for key, q in (("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9)):
        lo, hi = bucket_range(rank_bucket(union, lm["n"], q))
        lo, hi = max(lo, lm["min"]), min(hi, lm["max"])
        check("hosts: merged latency %s in its rank's bucket of the union" % key,
              lo <= lm[key] <= hi, "%d not in [%d, %d]" % (lm[key], lo, hi))
        check("hosts: merged latency %s between the hosts'" % key,
              min(la[key], lb[key]) <= lm[key] <= max(la[key], lb[key]),
              "%d %d %d" % (la[key], lb[key], lm[key]))
    print("# latency p50/p99: h1 %d/%d, h2 %d/%d, merged %d/%d ns" % (
        la["p50"], la["p99"], lb["p50"], lb["p99"], lm["p50"], lm["p99"]))


@test
def start_at_bad():
    for val, want in (("1", "in the past"), ("%d" % (time.time() + 7200), "3600 s ahead"),
                      ("tomorrow", "expected Unix seconds")):
        rc, out, err, _ = run(["run", "--start-at", val, "-n", "1"], timeout=10)
        check("--start-at %s: exit 2 naming it" % val, rc == 2 and want in err, err)


if __name__ == "__main__":
    run_all()
