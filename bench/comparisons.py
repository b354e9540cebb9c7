# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The six comparisons of `make bench`. Each alternates its two sides over
the rounds (A B A B ...), after one unrecorded warm-up run of each, and
returns a result dict for summary.table()."""
import statistics

import tools
from procs import BenchError
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


def rotate(cfg, runs, rounds):
    """One unrecorded warm-up run of each, then rounds of every run in
    turn (A B A B ...); returns one list of samples per run."""
    for r in runs:
        r(1)
    out = [[] for _ in runs]
    for i in range(rounds):
        for r, samples in zip(runs, out):
            samples.append(r(cfg.seconds))
        log("  round %d: %s" % (i + 1, "  ".join(
            "%s %.0f" % (chr(65 + j), s[-1]) for j, s in enumerate(out))))
    return out


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


def rps(cfg, args):
    return tools.reqperf(cfg.bin, cfg.client_cpu, args,
                         cfg.seconds + 60)["totals"]["rps"]


def driver_vs_wrk(cfg, sink_port, mode, depth):
    log("1. driver vs wrk, %s: reqperf run --probe off (A) vs wrk (B), "
        "1 thread, %d connections" % (mode, cfg.conns))

    def a(sec):
        return rps(cfg, client_args(cfg, sink_port, mode, sec) +
                   ["--probe", "off"])

    def b(sec):
        return tools.wrk(cfg.client_cpu, sink_port, 1, cfg.conns, sec, depth)

    ra, rb = rotate(cfg, [a, b], cfg.rounds)
    return result("1", "driver vs wrk, %s" % mode,
                  side("reqperf", ra, "req/s"), side("wrk", rb, "req/s"),
                  paired_ratio(ra, rb), "reqperf/wrk", ">=", 1.0)


def instructions(cfg, sink_port):
    """User-space instructions per response under callgrind (repeatable
    where timings are not): one pipelined reqperf worker vs wrk."""
    mode = "pipeline:%d" % cfg.depth
    log("1. driver vs wrk, user-space instructions per response "
        "(callgrind, %s, %d responses)" % (mode, cfg.cg_requests))
    args = client_args(cfg, sink_port, mode, 1)
    args = args[:args.index("--duration")] + args[args.index("--duration")
                                                  + 2:]
    args += ["--requests", str(cfg.cg_requests), "--probe", "off",
             "--idle-timeout", "60", "--connect-timeout", "10"]
    total, funcs = tools.callgrind_reqperf(cfg.bin, args, cfg.state)
    mine = total / cfg.cg_requests
    crc = funcs.get("crc32_z", 0) / cfg.cg_requests
    wtotal, wresp = tools.callgrind_wrk(cfg.client_cpu, sink_port, cfg.conns,
                                        cfg.seconds, cfg.depth, cfg.state)
    theirs = wtotal / wresp
    log("  reqperf %.0f per response, of which zlib crc32_z %.0f (%.0f %%); "
        "wrk %.0f (startup included)" % (mine, crc, 100 * crc / mine, theirs))
    c = result("1", "driver vs wrk, instr/response", side(
        "reqperf", [mine], "instr"), side("wrk", [theirs], "instr"),
        mine / theirs, "reqperf/wrk instructions", None, None)
    c["crc32_per_response"] = crc
    return c


def sink_vs_nginx(cfg, sink_port, nginx_ports):
    """wrk against the sink (A), nginx serving a static file (B) and nginx
    answering from memory with `return 200` (C); the goal holds against
    the faster nginx."""
    log("2. sink vs nginx: wrk -t1 -c%d against reqperf sink (A), nginx "
        "static file (B), nginx return 200 (C)" % cfg.conns)
    runs = [lambda sec, p=p: tools.wrk(cfg.client_cpu, p, 1, cfg.conns, sec)
            for p in [sink_port] + nginx_ports]
    ra, rb, rc = rotate(cfg, runs, cfg.rounds)
    fb, fc = side("nginx file", rb, "req/s"), side("nginx return", rc, "req/s")
    best, samples = (fb, rb) if fb["median"] >= fc["median"] else (fc, rc)
    c = result("2", "sink vs nginx (wrk)", side("sink", ra, "req/s"), best,
               paired_ratio(ra, samples), "sink/%s" % best["label"], ">=",
               1.2)
    c["nginx"] = {"file": fb, "return": fc,
                  "ratio_file": paired_ratio(ra, rb),
                  "ratio_return": paired_ratio(ra, rc)}
    log("  sink/nginx file %.2fx, sink/nginx return %.2fx" % (
        c["nginx"]["ratio_file"], c["nginx"]["ratio_return"]))
    return c


def tracing_overhead(cfg, sink_port, reports):
    """Probe off (A) vs auto (B); the auto runs' reports go to reports."""
    log("3. tracing overhead: reqperf run --probe off (A) vs --probe auto "
        "(B), pingpong, %d connections, SCHED_RR" % cfg.conns)
    # reqperf's own scheduling: user-side means would otherwise include
    # preemptions at syscall exit by whatever else runs on the machine.
    base = client_args(cfg, sink_port, "pingpong", 0, sched="rr")

    def a(sec):
        return rps(cfg, with_seconds(base, sec) + ["--probe", "off"])

    def b(sec):
        rep = tools.reqperf(cfg.bin, cfg.client_cpu,
                            with_seconds(base, sec) + ["--probe", "auto"],
                            sec + 60)
        if sec == cfg.seconds:
            reports.append(rep)
        return rep["totals"]["rps"]

    ra, rb = rotate(cfg, [a, b], cfg.trace_rounds)
    loss = 100.0 * (1.0 - paired_ratio(rb, ra))
    c = result("3", "tracing overhead", side("off", ra, "req/s"),
               side("auto", rb, "req/s"), loss,
               "req/s lost with --probe auto", "<=", 3.0, " %")
    try:
        c["bpf"] = bpf_profile(cfg, base)
    except BenchError as e:
        log("  no BPF profile: %s" % e)
        c["bpf"] = {"error": str(e)}
    return c


def bpf_profile(cfg, base):
    """Where the tracing time goes: each program's runs and run time per
    request, from the kernel's BPF statistics during one more auto run."""
    costs, rep, window = tools.bpf_costs(
        cfg.bin, cfg.client_cpu,
        with_seconds(base, cfg.seconds + 3) + ["--probe", "auto"],
        cfg.seconds)
    req = rep["totals"]["rps"] * window
    prof = {k: {"runs_per_req": n / req, "ns_per_run": t / n if n else 0,
                "ns_per_req": t / req} for k, (n, t) in costs.items()}
    total = sum(v["ns_per_req"] for v in prof.values())
    log("  BPF run time per request (kernel.bpf_stats_enabled, one more "
        "run): %.0f ns in all" % total)
    for k, v in sorted(prof.items(), key=lambda kv: -kv[1]["ns_per_req"]):
        if v["ns_per_req"] >= 1:
            log("    %-18s %5.2f runs x %4.0f ns = %5.0f ns" % (
                k, v["runs_per_req"], v["ns_per_run"], v["ns_per_req"]))
    return {"programs": prof, "ns_per_request": total}


def with_seconds(args, sec):
    out = list(args)
    out[out.index("--duration") + 1] = str(sec)
    return out


def overhead_ns(rep, d, stat):
    """user - kernel per call for direction d, over the run's workers,
    weighted by calls."""
    num = den = 0.0
    for w in rep["workers"]:
        u, k = w["user"][d], w["kernel"][d]
        num += (u["ns"][stat] - k["ns"][stat]) * u["calls"]
        den += u["calls"]
    return num / den if den else 0.0


def measurement_overhead(cfg, reports):
    log("4. measurement overhead: user - kernel time per call, from the "
        "--probe auto runs of 3 (%s backend)" %
        (reports[0]["backend"] if reports else "no"))
    send = [overhead_ns(r, "send", "mean") for r in reports]
    recv = [overhead_ns(r, "recv", "mean") for r in reports]
    info = {
        "kernel_time": reports[0].get("kernel_time", "") if reports else "",
        "p50_send_ns": statistics.median(
            overhead_ns(r, "send", "p50") for r in reports),
        "p50_recv_ns": statistics.median(
            overhead_ns(r, "recv", "p50") for r in reports),
        "untraced": tools.syscost(cfg.helper, cfg.client_cpu),
        "traced": tools.syscost_traced(cfg.bin, cfg.helper, cfg.client_cpu),
    }
    log("  p50(user) - p50(kernel): send %.0f ns, recv %.0f ns" %
        (info["p50_send_ns"], info["p50_recv_ns"]))
    log("  floor: two clock reads %.0f ns; timed getppid() %.0f ns, "
        "%.0f ns while the tracepoint backend is attached" %
        (info["untraced"]["clock_pair_ns"], info["untraced"]["getppid_ns"],
         info["traced"]["getppid_ns"]))
    a, b = side("send", send, "ns"), side("recv", recv, "ns")
    c = result("4", "measurement overhead", a, b,
               max(a["median"], b["median"]), "max(send, recv) user - kernel",
               "<=", 150.0, " ns")
    c["details"] = info
    return c


def memory(cfg, sink_port):
    log("5. memory: workers' peak RSS, --duration %d (A) vs %d (B), "
        "pipeline:%d, 2 workers" % (cfg.mem_long, cfg.mem_short, cfg.depth))
    mode = "pipeline:%d" % cfg.depth
    peaks = {}
    for sec in (cfg.mem_long, cfg.mem_short):
        args = client_args(cfg, sink_port, mode, sec, workers=2)
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


def seed_numbers(cfg):
    log("6. the seed's workload (reqperf run -w 2 -n 512 --probe off, "
        "embedded sink) vs the seed's Python figures")
    send, recv = [], []
    for _ in range(cfg.rounds):
        rep = tools.reqperf(cfg.bin, None, ["--probe", "off", "-w", "2",
                                            "-n", "512"], 60)
        ws = rep["workers"]
        for d, out in (("send", send), ("recv", recv)):
            calls = sum(w["user"][d]["calls"] for w in ws)
            out.append(sum(w["user"][d]["ns"]["mean"] * w["user"][d]["calls"]
                           for w in ws) / calls)
    a, b = side("send", send, "ns"), side("recv", recv, "ns")
    c = result("6", "seed's per-call figures", a, b, None,
               "seed (Python) / reqperf", None, None)
    c["seed_us"] = {"send": SEED_SEND_US, "recv": SEED_RECV_US}
    c["ratio_text"] = "send %.1f us / %.2f us = %.1fx, recv %.1f us / " \
        "%.2f us = %.1fx" % (SEED_SEND_US, a["median"] / 1000,
                             SEED_SEND_US * 1000 / a["median"], SEED_RECV_US,
                             b["median"] / 1000,
                             SEED_RECV_US * 1000 / b["median"])
    return c
