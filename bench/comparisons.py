# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The six comparisons of `make bench`. Each alternates its sides over the
rounds (A B A B ...), after one unrecorded warm-up run of each, and returns
a result dict for summary.table(). Besides requests/s, every run records
the CPU time its client and server used per response: on a shared machine
throughput follows the CPU share a process gets, its cost per response
much less."""
import os
import statistics
import tempfile

import profiling
import tools
from summary import paired_ratio, side, verdict

SEED_SEND_US = 1.5  # the seed's README: ~1.5 us per send
SEED_RECV_US = 7.0  # and ~7 us per recv, Python's overhead included


def log(msg):
    print(msg, flush=True)


def result(cid, name, a, b, ratio, what, op, goal, unit="x"):
    c = {"id": cid, "name": name, "a": a, "b": b, "ratio": ratio,
         "ratio_what": what, "ratio_unit": unit, "goal_op": op,
         "goal": goal}
    c["result"] = verdict(ratio, op, goal)
    return c


def sample(fn, server):
    """Runs fn() -> (req/s, responses, extra); adds the CPU time per
    response of the client (this process's children) and of server."""
    c0, s0 = tools.children_cpu(), server.cpu()
    rps, n, extra = fn()
    c1, s1 = tools.children_cpu(), server.cpu()
    return {"rps": rps, "responses": n, "extra": extra,
            "client_us": (c1 - c0) * 1e6 / n if n else 0.0,
            "server_us": (s1 - s0) * 1e6 / n if n else 0.0}


def rotate(cfg, runs, rounds):
    """One unrecorded warm-up run of each, then rounds of every run in
    turn; run(seconds) returns a sample. One list of samples per run."""
    for r in runs:
        r(1)
    out = [[] for _ in runs]
    for i in range(rounds):
        for r, samples in zip(runs, out):
            samples.append(r(cfg.seconds))
        log("  round %d: %s" % (i + 1, "  ".join(
            "%s %.0f req/s" % (chr(65 + j), s[-1]["rps"])
            for j, s in enumerate(out))))
    return out


def rps_side(label, samples):
    return side(label, [s["rps"] for s in samples], "req/s")


def cpu_of(samples, which):
    """Median CPU us per response of the client or the server."""
    return statistics.median(s[which + "_us"] for s in samples)


def add_cpu(c, which, sa, sb):
    """Records and logs the CPU cost per response of both sides."""
    a, b = cpu_of(sa, which), cpu_of(sb, which)
    c["cpu"] = {"side": which, "a_us": a, "b_us": b}
    log("  %s CPU per response: A %.2f us, B %.2f us (B/A %.2fx)" %
        (which, a, b, b / a if a else 0))
    return c


def client_args(cfg, port, mode, seconds, workers=1, sched="other"):
    """`reqperf run` against the external sink on the client CPU, set up
    as wrk runs: W workers, C/W connections each, SCHED_OTHER, TCP_NODELAY,
    8 KiB reads."""
    args = ["--target", "127.0.0.1:%d" % port, "--workers", str(workers),
            "--connections", str(cfg.conns // workers), "--mode", mode,
            "--duration", str(seconds), "--sched", sched,
            "--recv-size", "8192", "--nodelay"]
    if cfg.client_cpu is None:
        return args + ["--affinity", "off"]
    return args + ["--cpus", str(cfg.client_cpu)]


def with_seconds(args, sec):
    out = list(args)
    out[out.index("--duration") + 1] = str(sec)
    return out


def reqperf_run(cfg, args, sec):
    """() -> (req/s, responses, report) for sample()."""
    def fn():
        rep = tools.reqperf(cfg.bin, cfg.client_cpu, with_seconds(args, sec),
                            sec + 60)
        return rep["totals"]["rps"], rep["totals"]["responses"], rep
    return fn


def wrk_run(cfg, port, sec, depth=1):
    def fn():
        rps, n = tools.wrk(cfg.client_cpu, port, 1, cfg.conns, sec, depth)
        return rps, n, None
    return fn


def driver_vs_wrk(cfg, sink, mode, depth):
    log("1. driver vs wrk, %s: reqperf run --probe off (A) vs wrk (B), "
        "1 thread, %d connections" % (mode, cfg.conns))
    args = client_args(cfg, sink.port, mode, 0) + ["--probe", "off"]
    sa, sb = rotate(cfg, [
        lambda sec: sample(reqperf_run(cfg, args, sec), sink),
        lambda sec: sample(wrk_run(cfg, sink.port, sec, depth), sink)],
        cfg.rounds)
    c = result("1", "driver vs wrk, %s" % mode, rps_side("reqperf", sa),
               rps_side("wrk", sb), paired_ratio(
                   [s["rps"] for s in sa], [s["rps"] for s in sb]),
               "reqperf/wrk", ">=", 1.0)
    return add_cpu(c, "client", sa, sb)


def sink_vs_nginx(cfg, sink, nginx, ports):
    """wrk against the sink (A), nginx serving a static file (B) and nginx
    answering from memory with `return 200` (C); the goal holds against
    the faster nginx."""
    log("2. sink vs nginx: wrk -t1 -c%d against reqperf sink (A), nginx "
        "static file (B), nginx return 200 (C)" % cfg.conns)
    sa, sb, sc = rotate(cfg, [
        lambda sec: sample(wrk_run(cfg, sink.port, sec), sink),
        lambda sec: sample(wrk_run(cfg, ports[0], sec), nginx),
        lambda sec: sample(wrk_run(cfg, ports[1], sec), nginx)], cfg.rounds)
    rps = [[s["rps"] for s in x] for x in (sa, sb, sc)]
    ratios = {"file": paired_ratio(rps[0], rps[1]),
              "return": paired_ratio(rps[0], rps[2])}
    best = "file" if ratios["file"] < ratios["return"] else "return"
    other = sb if best == "file" else sc
    c = result("2", "sink vs nginx (wrk)", rps_side("sink", sa),
               rps_side("nginx " + best, other), ratios[best],
               "sink/nginx %s" % best, ">=", 1.2)
    c["nginx"] = {"file": rps_side("nginx file", sb),
                  "return": rps_side("nginx return", sc), "ratios": ratios,
                  "server_cpu_us": {"file": cpu_of(sb, "server"),
                                    "return": cpu_of(sc, "server")}}
    log("  sink/nginx file %.2fx, sink/nginx return %.2fx (the goal is "
        "judged against the faster nginx)" % (ratios["file"],
                                              ratios["return"]))
    return add_cpu(c, "server", sa, other)


def tracing_overhead(cfg, sink, reports):
    """Probe off (A) vs auto (B); the auto runs' reports go to reports.
    With bench/hookfloor built, a third run C (probe off while empty
    programs sit on the same tracepoints) splits B's loss into the hooks'
    floor and what reqperf's programs add."""
    floor = os.path.join(os.path.dirname(cfg.bin), "bench", "hookfloor")
    has_floor = os.path.exists(floor) and os.path.exists(floor + ".bpf.o")
    log("3. tracing overhead: reqperf run --probe off (A) vs --probe auto "
        "(B)%s, pingpong, %d connections, SCHED_RR" % (
            ", off with empty programs on the same hooks (C)"
            if has_floor else "", cfg.conns))
    # reqperf's own scheduling: user-side means would otherwise include
    # preemptions at syscall exit by whatever else runs on the machine.
    if not has_floor:
        log("  (no %s: `make bench` builds it; the hooks' floor is skipped)"
            % floor)
    base = client_args(cfg, sink.port, "pingpong", 0, sched="rr")
    off = base + ["--probe", "off"]

    def hooks_only(sec):
        with profiling.HookFloor(floor, floor + ".bpf.o"):
            return sample(reqperf_run(cfg, off, sec), sink)

    runs = [lambda sec: sample(reqperf_run(cfg, off, sec), sink),
            lambda sec: sample(reqperf_run(cfg, base + ["--probe", "auto"],
                                           sec), sink)]
    out = rotate(cfg, runs + ([hooks_only] if has_floor else []),
                 cfg.trace_rounds)
    sa, sb = out[0], out[1]
    reports.extend(s["extra"] for s in sb)
    loss = 100.0 * (1.0 - paired_ratio([s["rps"] for s in sb],
                                       [s["rps"] for s in sa]))
    c = result("3", "tracing overhead", rps_side("off", sa),
               rps_side("auto", sb), loss, "req/s lost with --probe auto",
               "<=", 3.0, " %")
    c["args"] = base
    if has_floor:
        hooks = 100.0 * (1.0 - paired_ratio([s["rps"] for s in out[2]],
                                            [s["rps"] for s in sa]))
        c["hook_floor"] = {"side": rps_side("empty hooks", out[2]),
                           "loss_pct": hooks}
        log("  floor: empty programs on the same tracepoints cost %.1f %% "
            "(C vs A); reqperf's programs add %.1f points" %
            (hooks, loss - hooks))
    c["observer"] = observer(sa, sb, out[2] if has_floor else None)
    c["cpu_total"] = cpu_total(sa, sb, out[2] if has_floor else None)
    return add_cpu(c, "server", sa, sb)


def wire_overhead(cfg, sink):
    """The wire view's cost: --probe auto (A) vs the same with --wire (B),
    pingpong against the external sink on lo, so the tc programs see every
    packet of the run. --wire adds no syscall; its cost is one program run
    per packet in the sender's (or softirq's) context."""
    log("w. wire view: reqperf run --probe auto (A) vs --probe auto --wire "
        "(B), pingpong, %d connections, SCHED_RR" % cfg.conns)
    base = client_args(cfg, sink.port, "pingpong", 0, sched="rr") + [
        "--probe", "auto", "--server-pid", str(sink.proc.pid)]
    runs = [lambda sec: sample(reqperf_run(cfg, base, sec), sink),
            lambda sec: sample(reqperf_run(cfg, base + ["--wire"], sec), sink)]
    sa, sb = rotate(cfg, runs, cfg.rounds)
    loss = 100.0 * (1.0 - paired_ratio([s["rps"] for s in sb],
                                       [s["rps"] for s in sa]))
    c = result("w", "wire view (--wire)", rps_side("auto", sa),
               rps_side("auto --wire", sb), loss, "req/s lost to --wire",
               None, None, " %")
    add_cpu(c, "client", sa, sb)
    c["args"] = base + ["--wire"]
    return c


def lifecycle_overhead(cfg, sink):
    """The per-response lifecycle's cost: --wire (A) vs --wire --lifecycle
    (B), the same pingpong as row w. B adds the per-call events (user
    records in shared memory, kernel records through a ring buffer), the
    server's records and one ring record per data packet; the join and
    the file are written after the run, outside the measured time."""
    log("l. lifecycle: reqperf run --wire (A) vs --wire --lifecycle FILE "
        "(B), pingpong, %d connections, SCHED_RR" % cfg.conns)
    base = client_args(cfg, sink.port, "pingpong", 0, sched="rr") + [
        "--probe", "auto", "--server-pid", str(sink.proc.pid), "--wire"]
    with tempfile.TemporaryDirectory(prefix="rp-bench-lc-") as d:
        lc = base + ["--lifecycle", os.path.join(d, "lc.jsonl")]
        runs = [lambda sec: sample(reqperf_run(cfg, base, sec), sink),
                lambda sec: sample(reqperf_run(cfg, lc, sec), sink)]
        sa, sb = rotate(cfg, runs, cfg.rounds)
    loss = 100.0 * (1.0 - paired_ratio([s["rps"] for s in sb],
                                       [s["rps"] for s in sa]))
    c = result("l", "lifecycle (--lifecycle)", rps_side("--wire", sa),
               rps_side("--wire --lifecycle", sb), loss,
               "req/s lost to --lifecycle", None, None, " %")
    add_cpu(c, "client", sa, sb)
    c["args"] = lc
    return c


def cpu_side(label, samples):
    return side(label, [s["client_us"] + s["server_us"] for s in samples],
                "us")


def cpu_total(sa, sb, sc):
    """Client + server CPU time per response, off (sa) vs auto (sb) and
    vs empty hooks (sc): BPF programs run on both sides' syscalls, and CPU
    per response moves much less than requests/s when other work shares
    the machine."""
    a, b = cpu_side("off", sa), cpu_side("auto", sb)
    out = {"off": a, "auto": b, "more_pct": 100.0 * (paired_ratio(
        b["samples"], a["samples"]) - 1.0)}
    msg = "  client + server CPU per response: off %.2f us, auto %.2f us " \
        "(+%.1f %%)" % (a["median"], b["median"], out["more_pct"])
    if sc:
        f = cpu_side("empty hooks", sc)
        out["hooks"] = f
        out["hooks_more_pct"] = 100.0 * (paired_ratio(f["samples"],
                                                      a["samples"]) - 1.0)
        msg += ", empty hooks %.2f us (+%.1f %%)" % (f["median"],
                                                    out["hooks_more_pct"])
    log(msg)
    return out


def cpu_rows(c):
    """Comparison 3 in CPU time per response: auto and, when measured, the
    empty hooks, each against off (information rows)."""
    t = c["cpu_total"]
    rows = [result("3", "tracing, CPU per response", t["off"], t["auto"],
                   t["more_pct"], "% more client+server CPU per response",
                   None, None, " %")]
    if "hooks" in t:
        rows.append(result("3", "hooks alone, CPU per response", t["off"],
                           t["hooks"], t["hooks_more_pct"],
                           "% more CPU per response, empty hooks", None,
                           None, " %"))
    return rows


def user_p50(rep, d):
    """Call-weighted user-side p50 per call of direction d (ns)."""
    num = den = 0.0
    for w in rep["workers"]:
        u = w["user"][d]
        num += u["ns"]["p50"] * u["calls"]
        den += u["calls"]
    return num / den if den else 0.0


def observer(sa, sb, sc):
    """User-side p50 per send and recv without (sa) and with (sb)
    tracing, round by round: the observer effect on the user column; with
    sc (empty programs on the hooks), the part the hooks alone cause."""
    out = {}
    for d in ("send", "recv"):
        a = [user_p50(s["extra"], d) for s in sa]
        b = [user_p50(s["extra"], d) for s in sb]
        out[d] = {"off": side("off", a, "ns"), "auto": side("auto", b, "ns"),
                  "ratio": paired_ratio(b, a)}
        floor = ""
        if sc:
            f = [user_p50(s["extra"], d) for s in sc]
            out[d]["hooks"] = side("empty hooks", f, "ns")
            out[d]["hooks_ratio"] = paired_ratio(f, a)
            floor = ", empty hooks %.0f ns (%.3fx)" % (
                out[d]["hooks"]["median"], out[d]["hooks_ratio"])
        log("  user-side p50 %s: off %.0f ns, auto %.0f ns (auto/off %.3fx)%s"
            % (d, out[d]["off"]["median"], out[d]["auto"]["median"],
               out[d]["ratio"], floor))
    return out


def observer_row(c):
    """Comparison 3's observer effect: how much tracing moves the user-timed
    per-call p50 (the larger of send and recv)."""
    o = c["observer"]
    d = "send" if o["send"]["ratio"] >= o["recv"]["ratio"] else "recv"
    r = result("3", "observer effect, user p50 %s" % d, o[d]["off"],
               o[d]["auto"], o[d]["ratio"],
               "user-side p50 per call, auto/off", "<=", 1.05)
    r["observer"] = o
    return r


def programs_row(c):
    """Comparison 3's loss beyond the hooks' floor: what reqperf's programs
    add over empty programs on the same hooks (goal: at most 1 point)."""
    f = c["hook_floor"]
    return result("3", "programs beyond the floor", c["b"], f["side"],
                  c["ratio"] - f["loss_pct"],
                  "loss - floor, percentage points", "<=", 1.0, " pts")


def hook_floor_row(c):
    """Comparison 3's floor as an information row: the same A against the
    runs with empty programs on reqperf's hooks."""
    f = c["hook_floor"]
    return result("3", "hooks alone (empty programs)", c["a"], f["side"],
                  f["loss_pct"], "req/s lost with empty programs on the hooks",
                  None, None, " %")


def overhead_ns(rep, d, stat):
    """user - kernel per call for direction d, over the run's workers,
    weighted by calls."""
    num = den = 0.0
    for w in rep["workers"]:
        u, k = w["user"][d], w["kernel"][d]
        num += (u["ns"][stat] - k["ns"][stat]) * u["calls"]
        den += u["calls"]
    return num / den if den else 0.0


def measurement_overhead(reports):
    log("4. measurement overhead: user - kernel mean per call, from the "
        "--probe auto runs of 3 (%s backend: %s)" % (
            reports[0]["backend"], reports[0].get("kernel_time", "")))
    send = [overhead_ns(r, "send", "mean") for r in reports]
    recv = [overhead_ns(r, "recv", "mean") for r in reports]
    p50 = {d: statistics.median(overhead_ns(r, d, "p50") for r in reports)
           for d in ("send", "recv")}
    log("  p50(user) - p50(kernel): send %.0f ns, recv %.0f ns" %
        (p50["send"], p50["recv"]))
    a, b = side("send", send, "ns"), side("recv", recv, "ns")
    c = result("4", "measurement overhead", a, b,
               max(a["median"], b["median"]), "max(send, recv) user - kernel",
               "<=", 150.0, " ns")
    c["p50_ns"] = p50
    return c


def memory(cfg, sink):
    log("5. memory: workers' peak RSS, --duration %d (A) vs %d (B), "
        "pipeline:%d, 2 workers" % (cfg.mem_long, cfg.mem_short, cfg.depth))
    mode = "pipeline:%d" % cfg.depth
    peaks = {}
    for sec in (cfg.mem_long, cfg.mem_short):
        args = client_args(cfg, sink.port, mode, sec, workers=2)
        rep, kib = tools.reqperf_peak_rss(cfg.bin, cfg.client_cpu, args,
                                          sec + 60)
        peaks[sec] = kib
        log("  --duration %d: %d responses, peak RSS %d KiB" %
            (sec, rep["totals"]["responses"], kib))
    a = side("%d s" % cfg.mem_long, [peaks[cfg.mem_long]], "KiB")
    b = side("%d s" % cfg.mem_short, [peaks[cfg.mem_short]], "KiB")
    return result("5", "memory, long vs short run", a, b,
                  a["median"] / b["median"], "peak RSS long/short", "<=",
                  1.05)


def mean_of(ws, d):
    """Call-weighted mean of the workers' user-side means."""
    calls = sum(w["user"][d]["calls"] for w in ws)
    return sum(w["user"][d]["ns"]["mean"] * w["user"][d]["calls"]
               for w in ws) / calls


def seed_numbers(cfg):
    log("6. the seed's workload (reqperf run -w 2 -n 512 --probe off, "
        "embedded sink) vs the seed's Python figures")
    send, recv = [], []
    for _ in range(cfg.rounds):
        rep = tools.reqperf(cfg.bin, None, ["--probe", "off", "-w", "2",
                                            "-n", "512"], 60)
        send.append(mean_of(rep["workers"], "send"))
        recv.append(mean_of(rep["workers"], "recv"))
    a, b = side("send", send, "ns"), side("recv", recv, "ns")
    c = result("6", "seed's per-call figures", a, b, None,
               "seed (Python) / reqperf", None, None)
    c["seed_us"] = {"send": SEED_SEND_US, "recv": SEED_RECV_US}
    c["ratio_text"] = "=> seed's Python driver / reqperf, user-side means: " \
        "send %.1f us / %.2f us = %.1fx, recv %.1f us / %.2f us = %.1fx" % (
            SEED_SEND_US, a["median"] / 1000,
            SEED_SEND_US * 1000 / a["median"], SEED_RECV_US,
            b["median"] / 1000, SEED_RECV_US * 1000 / b["median"])
    return c
