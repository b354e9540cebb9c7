# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The rows that explain the comparisons: user-space instructions per
response (callgrind), BPF run time per request by program, and the floor
under user-side timing. Counts, not timings: they repeat on a busy
machine."""
import os

import procs
import profiling
from comparisons import client_args, log, result, with_seconds
from summary import side


def driver_instructions(cfg, sink):
    """One pipelined reqperf worker vs wrk."""
    mode = "pipeline:%d" % cfg.depth
    log("1. driver vs wrk, user-space instructions per response "
        "(callgrind, %s, %d responses)" % (mode, cfg.cg_requests))
    args = client_args(cfg, sink.port, mode, 0)
    at = args.index("--duration")
    args = args[:at] + args[at + 2:] + [
        "--requests", str(cfg.cg_requests), "--probe", "off",
        "--idle-timeout", "60", "--connect-timeout", "10"]
    total, funcs = profiling.callgrind_reqperf(cfg.bin, args, cfg.state)
    mine = total / cfg.cg_requests
    crc = funcs.get("crc32_z", 0) / cfg.cg_requests
    wtotal, wresp = profiling.callgrind_wrk(cfg.client_cpu, sink.port,
                                            cfg.conns, cfg.seconds,
                                            cfg.depth, cfg.state)
    theirs = wtotal / wresp
    log("  reqperf %.0f per response, of which zlib crc32_z %.0f (%.0f %%); "
        "wrk %.0f (its startup included)" % (mine, crc, 100 * crc / mine,
                                             theirs))
    c = result("1", "driver vs wrk, instr/response",
               side("reqperf", [mine], "instr"),
               side("wrk", [theirs], "instr"), mine / theirs,
               "reqperf/wrk instructions", None, None)
    c["crc32_per_response"] = crc
    return c


def server_instructions(cfg, body):
    """The sink vs nginx's return 200, each loaded by wrk."""
    log("2. sink vs nginx, user-space instructions per request (callgrind)")

    def sink(wrapper):
        s = procs.start_sink(cfg.bin, cfg.server_cpu, cfg.state,
                             cfg.body_size, wrapper)
        return s, s.port

    def nginx(wrapper):
        s, _, port = procs.start_nginx(cfg.server_cpu, cfg.state, body,
                                       wrapper)
        return s, port

    mine = profiling.callgrind_server(sink, cfg.seconds, cfg.client_cpu,
                                      cfg.conns, cfg.state, "sink")
    theirs = profiling.callgrind_server(nginx, cfg.seconds, cfg.client_cpu,
                                        cfg.conns, cfg.state, "nginx")
    log("  sink %.0f, nginx return %.0f (startup included)" % (mine, theirs))
    return result("2", "sink vs nginx, instr/request",
                  side("sink", [mine], "instr"),
                  side("nginx return", [theirs], "instr"), mine / theirs,
                  "sink/nginx instructions", None, None)


def bpf_run_profile(cfg, c, extra):
    """{program: runs, ns per run and per request} and the total ns per
    request of one more --probe auto run of comparison 3 (plus extra)."""
    costs, rep, window = profiling.bpf_costs(
        cfg.bin, cfg.client_cpu,
        with_seconds(c["args"], cfg.seconds + 3) + ["--probe", "auto"] +
        extra, cfg.seconds)
    req = rep["totals"]["rps"] * window
    prof = {k: {"runs_per_req": n / req, "ns_per_run": t / n if n else 0,
                "ns_per_req": t / req} for k, (n, t) in costs.items()}
    return prof, sum(v["ns_per_req"] for v in prof.values())


def log_profile(prof):
    for k, v in sorted(prof.items(), key=lambda kv: -kv[1]["ns_per_req"]):
        if v["ns_per_req"] >= 1:
            log("    %-18s %5.2f runs x %4.0f ns = %5.0f ns" % (
                k, v["runs_per_req"], v["ns_per_run"], v["ns_per_req"]))


def bpf_profile(cfg, c):
    """Each program's runs and run time per request, from the kernel's
    BPF statistics during one more --probe auto run of comparison 3; and
    once more with --sched-view, for what the opt-in view costs."""
    prof, total = bpf_run_profile(cfg, c, [])
    log("3. BPF run time per request (kernel.bpf_stats_enabled, one more "
        "auto run): %.0f ns in all" % total)
    log_profile(prof)
    c["bpf"] = {"programs": prof, "ns_per_request": total}
    prof, total = bpf_run_profile(cfg, c, ["--sched-view"])
    log("3. the same with --sched-view: %.0f ns in all" % total)
    log_profile(prof)
    c["bpf_sched_view"] = {"programs": prof, "ns_per_request": total}


SYSCOST_ROUNDS = 2
CALLS = (("recv_eagain", "recv() finding nothing (EAGAIN)"),
         ("send64", "64-byte send()"))


def timing_floor(cfg, c):
    """What two clock reads and an empty syscall cost here, untraced and
    with the tracepoint backend attached; and what tracing adds to one
    user-timed socket call: untraced, empty programs on the hooks, and
    reqperf's programs, in rotation over rounds, the cheapest of each."""
    floor_bin = os.path.join(os.path.dirname(cfg.bin), "bench", "hookfloor")
    variants = [("untraced", lambda: profiling.syscost(cfg.helper,
                                                        cfg.client_cpu)),
                ("traced", lambda: profiling.syscost_traced(
                    cfg.bin, cfg.helper, cfg.client_cpu))]
    if os.path.exists(floor_bin) and os.path.exists(floor_bin + ".bpf.o"):
        variants.insert(1, ("hooks", lambda: profiling.syscost_hooks(
            cfg.helper, cfg.client_cpu, floor_bin)))
    floor = {}
    for _ in range(SYSCOST_ROUNDS):
        for name, fn in variants:
            got = fn()
            old = floor.setdefault(name, got)
            for k, v in got.items():
                old[k] = min(old[k], v)
    log("4. floor: two clock reads %.0f ns; timed getppid() %.0f ns, "
        "%.0f ns while the tracepoint backend is attached" % (
            floor["untraced"]["clock_pair_ns"],
            floor["untraced"]["getppid_ns"], floor["traced"]["getppid_ns"]))
    for key, what in CALLS:
        f, p50 = key + "_ns", key + "_p50_ns"
        base = floor["untraced"][p50]
        log("4. one user-timed %s, p50: untraced %.0f ns%s, traced %.0f ns "
            "(+%.0f ns, %.3fx)" % (
                what, base, ", empty hooks %.0f ns (+%.0f ns)" % (
                    floor["hooks"][p50], floor["hooks"][p50] - base)
                if "hooks" in floor else "", floor["traced"][p50],
                floor["traced"][p50] - base, floor["traced"][p50] / base))
        c.setdefault("observer_call", {})[key] = {
            v: {"mean_ns": floor[v][f], "p50_ns": floor[v][p50]}
            for v in floor}
    c["floor"] = floor
