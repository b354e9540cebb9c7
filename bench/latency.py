# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""`make bench`, request latency (docs/latency.md): what recording it costs,
reqperf's percentiles next to wrk --latency's on the same sink, and the
driver against wrk in every shape a user would pick (BENCH_ONLY=shapes)."""
import re
import statistics

import comparisons as cmp
import procs
import tools
from summary import paired_ratio, side

PCTS = (("p50", "50%"), ("p90", "90%"), ("p99", "99%"))
UNITS = {"us": 1e3, "ms": 1e6, "s": 1e9}


def latency_cost(cfg, sink):
    cmp.log("7. latency recording: reqperf run --latency on (A) vs off (B), "
            "pingpong, %d connections, --probe off" % cfg.conns)
    args = cmp.client_args(cfg, sink.port, "pingpong", 0) + ["--probe", "off"]
    sa, sb = cmp.rotate(cfg, [
        lambda sec: cmp.sample(cmp.reqperf_run(cfg, args, sec), sink),
        lambda sec: cmp.sample(cmp.reqperf_run(
            cfg, args + ["--latency", "off"], sec), sink)], cfg.rounds)
    loss = 100.0 * (1.0 - paired_ratio([s["rps"] for s in sa],
                                       [s["rps"] for s in sb]))
    c = cmp.result("7", "latency recording cost", cmp.rps_side("on", sa),
                   cmp.rps_side("off", sb), loss,
                   "req/s lost with latency on", "<=", 3.0, " %")
    return cmp.add_cpu(c, "client", sa, sb)


def wrk_latency(cpu, port, threads, conns, seconds, depth=1):
    """wrk --latency: (req/s, {p50, p90, p99} in ns)."""
    argv = tools.wrk_argv(port, threads, conns, seconds, depth)
    argv.insert(1, "--latency")
    out = procs.run(procs.pinned(cpu, argv), seconds + 30)
    if re.search(r"(Non-2xx or 3xx responses|Socket errors):", out):
        raise procs.BenchError("wrk --latency: errors: %s" % out[-300:])
    got = {}
    for key, label in PCTS:
        m = re.search(r"^\s*%s\s+([0-9.]+)(us|ms|s)\s*$" % re.escape(label),
                      out, re.M)
        if not m:
            raise procs.BenchError("wrk --latency printed no %s" % label)
        got[key] = float(m.group(1)) * UNITS[m.group(2)]
    rps = re.search(r"Requests/sec:\s*([0-9.]+)", out)
    return float(rps.group(1)) if rps else 0.0, got


def latency_vs_wrk(cfg, sink):
    cmp.log("8. latency percentiles, closed loop: reqperf pingpong (A) vs "
            "wrk --latency (B), 1 thread, %d connections, same sink"
            % cfg.conns)
    args = cmp.client_args(cfg, sink.port, "pingpong", 0) + ["--probe", "off"]
    a, b = {k: [] for k, _ in PCTS}, {k: [] for k, _ in PCTS}
    for i in range(cfg.rounds):
        rep = tools.reqperf(cfg.bin, cfg.client_cpu,
                            cmp.with_seconds(args, cfg.seconds),
                            cfg.seconds + 60)
        lat = rep["latency_ns"]["request"]
        _, w = wrk_latency(cfg.client_cpu, sink.port, 1, cfg.conns,
                           cfg.seconds)
        for k, _ in PCTS:
            a[k].append(lat[k])
            b[k].append(w[k])
        cmp.log("  round %d: reqperf p50 %.1f us p90 %.1f us p99 %.1f us | "
                "wrk p50 %.1f us p90 %.1f us p99 %.1f us" % (
                    i + 1, lat["p50"] / 1e3, lat["p90"] / 1e3,
                    lat["p99"] / 1e3, w["p50"] / 1e3, w["p90"] / 1e3,
                    w["p99"] / 1e3))
    ratios = {k: paired_ratio(a[k], b[k]) for k, _ in PCTS}
    cmp.log("  reqperf/wrk: p50 %.2fx, p90 %.2fx, p99 %.2fx" % (
        ratios["p50"], ratios["p90"], ratios["p99"]))
    c = cmp.result("8", "latency p50 vs wrk --latency",
                   side("reqperf p50", [x / 1e3 for x in a["p50"]], "us"),
                   side("wrk p50", [x / 1e3 for x in b["p50"]], "us"),
                   ratios["p50"], "reqperf/wrk p50", None, None)
    c["percentiles_ns"] = {"reqperf": a, "wrk": b, "ratios": ratios}
    return c


def shape_list(cfg):
    """(workers, total connections, pinned, sched, mode, depth)."""
    out = []
    for workers in (1, 2):
        for conns in (1, 16, 64):
            if conns < workers:
                continue  # wrk needs a connection per thread
            for pin in (True, False):
                for mode, depth in (("pingpong", 1),
                                    ("pipeline:%d" % cfg.depth, cfg.depth)):
                    for sched in ("rr", "other"):
                        out.append((workers, conns, pin, sched, mode, depth))
    return out


def shape_cpus(cfg, workers, pin):
    """The CPUs a shape's client runs on: the client CPU for one worker,
    both (the default, shared with the sink) for two; None: unpinned."""
    if not pin or cfg.client_cpu is None:
        return None
    return str(cfg.client_cpu) if workers == 1 else "%d,%d" % (
        cfg.server_cpu, cfg.client_cpu)


def shapes(cfg, sink):
    cmp.log("9. driver vs wrk per shape: reqperf run --probe off vs wrk, "
            "1 round of %d s each" % cfg.seconds)
    rows, wrk_cache = [], {}
    for workers, conns, pin, sched, mode, depth in shape_list(cfg):
        cpus = shape_cpus(cfg, workers, pin)
        args = ["--target", "127.0.0.1:%d" % sink.port, "-w", str(workers),
                "-c", str(conns // workers), "-m", mode, "-d",
                str(cfg.seconds), "--sched", sched, "--recv-size", "8192",
                "--nodelay", "--probe", "off", "--latency", "off"]
        args += ["--cpus", cpus] if cpus else ["--affinity", "off"]
        rep = tools.reqperf(cfg.bin, None, args, cfg.seconds + 60)
        key = (workers, conns, cpus, depth)
        if key not in wrk_cache:  # wrk has no scheduling policy to vary
            wrk_cache[key] = tools.wrk(cpus, sink.port, workers, conns,
                                       cfg.seconds, depth)[0]
        w = wrk_cache[key]
        r = rep["totals"]["rps"]
        rows.append({"workers": workers, "connections": conns,
                     "pinned": pin, "sched": sched, "mode": mode,
                     "reqperf_rps": r, "wrk_rps": w,
                     "ratio": r / w if w else 0.0})
        cmp.log("  -w %d -c %2d %-6s %-5s %-10s reqperf %8.0f wrk %8.0f  "
                "%.2fx" % (workers, conns, "pinned" if pin else "free",
                           sched, mode, r, w, r / w if w else 0.0))
    ratios = [x["ratio"] for x in rows]
    worst = min(rows, key=lambda x: x["ratio"])
    cmp.log("  reqperf/wrk over %d shapes: median %.2fx, worst %.2fx (-w %d "
            "-c %d %s %s %s)" % (len(rows), statistics.median(ratios),
                                 worst["ratio"], worst["workers"],
                                 worst["connections"],
                                 "pinned" if worst["pinned"] else "free",
                                 worst["sched"], worst["mode"]))
    c = cmp.result("9", "driver vs wrk, every shape",
                   side("reqperf/wrk", ratios, "x"), None,
                   statistics.median(ratios), "median reqperf/wrk", ">=", 1.0)
    c["shapes"] = rows
    return c
