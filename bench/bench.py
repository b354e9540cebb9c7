# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""`make bench` (started by bench/run.sh, which installs wrk and nginx and
owns the cleanup trap): runs the comparisons, prints each one's ratio line
and a summary table, writes bench/results.json. Exits 1 when a comparison
could not run; a missed goal is reported, not an error."""
import argparse
import os
import signal
import subprocess
import sys
import traceback

import comparisons as cmp
import diagnostics as diag
import latency as lat
import procs
import summary
import tools

ALL = ("wrk", "nginx", "trace", "wire", "lc", "mem", "seed", "lat")
OPT_IN = ("shapes",)  # BENCH_ONLY only: driver vs wrk in every shape


class Config:
    def __init__(self, a):
        self.bin, self.helper, self.state = a.bin, a.helper, a.state
        self.rounds = int(os.environ.get("BENCH_ROUNDS", "7"))
        self.trace_rounds = self.rounds + 2
        self.seconds = int(os.environ.get("BENCH_SECONDS", "3"))
        self.mem_long = int(os.environ.get("BENCH_MEM_LONG", "30"))
        self.mem_short = int(os.environ.get("BENCH_MEM_SHORT", "5"))
        self.only = os.environ.get("BENCH_ONLY", ",".join(ALL)).split(",")
        self.conns = 16
        self.depth = 8
        self.cg_requests = 20000
        self.body_size = 3072
        # The server gets CPU 0, the client CPU 1; alone, both share it.
        two = len(os.sched_getaffinity(0)) >= 2
        self.server_cpu = 0 if two else None
        self.client_cpu = 1 if two else None
        bad = [x for x in self.only if x not in ALL + OPT_IN]
        if bad or self.rounds < 1 or self.seconds < 1 or \
                self.mem_short < 1 or self.mem_long <= self.mem_short:
            raise SystemExit("bench: bad settings: BENCH_ONLY takes %s; "
                             "rounds, seconds >= 1; BENCH_MEM_LONG > "
                             "BENCH_MEM_SHORT >= 1" % ",".join(ALL + OPT_IN))


def version(binary):
    p = subprocess.run([binary, "--version"], capture_output=True, text=True,
                       timeout=10)
    return (p.stdout.strip().splitlines() or ["unknown"])[0]


def attempt(results, errors, fn, *args):
    """Runs one comparison; a failure is recorded and the others go on."""
    try:
        c = fn(*args)
    except (procs.BenchError, OSError, ValueError, KeyError) as e:
        msg = "%s: %s" % (fn.__name__, e)
        if not isinstance(e, procs.BenchError):
            traceback.print_exc()
        cmp.log("=> %s" % msg)
        errors.append(msg)
        return None
    results.append(c)
    cmp.log(c["ratio_text"] if "ratio_text" in c else
            summary.ratio_line(c))
    return c


def explain(warnings, fn, cfg, c):
    """Adds a diagnostic to comparison c; one that cannot run is a
    warning (e.g. another reqperf run loaded BPF programs meanwhile)."""
    if c is None:
        return
    try:
        fn(cfg, c)
    except (procs.BenchError, OSError, ValueError, KeyError) as e:
        cmp.log("  (no %s: %s)" % (fn.__name__, e))
        warnings.append("%s: %s" % (fn.__name__, e))


def versus_nginx(cfg, sink):
    """nginx serving the sink's body bytes, for the time of comparison 2."""
    body = tools.fetch_body(sink.port)
    nginx, port_file, port_return = procs.start_nginx(cfg.server_cpu,
                                                      cfg.state, body)
    try:
        for p in (port_file, port_return):
            if tools.fetch_body(p) != body:
                raise procs.BenchError("nginx on port %d serves other bytes "
                                       "than the sink" % p)
        return cmp.sink_vs_nginx(cfg, sink, nginx, [port_file, port_return])
    finally:
        nginx.stop()


def nginx_instructions(cfg, sink):
    return diag.server_instructions(cfg, tools.fetch_body(sink.port))


def against_sink(cfg, sink, out):
    """Comparisons 1 to 5, all against one external sink."""
    results, errors, warnings = out
    if "wrk" in cfg.only:
        attempt(results, errors, cmp.driver_vs_wrk, cfg, sink, "pingpong", 1)
        attempt(results, errors, cmp.driver_vs_wrk, cfg, sink,
                "pipeline:%d" % cfg.depth, cfg.depth)
        attempt(results, errors, diag.driver_instructions, cfg, sink)
    if "nginx" in cfg.only:
        attempt(results, errors, versus_nginx, cfg, sink)
        attempt(results, errors, nginx_instructions, cfg, sink)
    if "trace" in cfg.only:
        reports = []
        c = attempt(results, errors, cmp.tracing_overhead, cfg, sink, reports)
        if c and "hook_floor" in c:
            results.append(cmp.hook_floor_row(c))
            results.append(cmp.programs_row(c))
        if c:
            results.append(cmp.observer_row(c))
            results.extend(cmp.cpu_rows(c))
        explain(warnings, diag.bpf_profile, cfg, c)
        if reports:
            c = attempt(results, errors, cmp.measurement_overhead, reports)
            explain(warnings, diag.timing_floor, cfg, c)
    if "wire" in cfg.only:
        attempt(results, errors, cmp.wire_overhead, cfg, sink)
    if "lc" in cfg.only:
        attempt(results, errors, cmp.lifecycle_overhead, cfg, sink)
    if "mem" in cfg.only:
        attempt(results, errors, cmp.memory, cfg, sink)
    if "lat" in cfg.only:
        attempt(results, errors, lat.latency_cost, cfg, sink)
        attempt(results, errors, lat.latency_vs_wrk, cfg, sink)
    if "shapes" in cfg.only:
        attempt(results, errors, lat.shapes, cfg, sink)


def comparisons(cfg, out):
    sink = None
    try:
        sink = procs.start_sink(cfg.bin, cfg.server_cpu, cfg.state,
                                cfg.body_size)
        against_sink(cfg, sink, out)
    except procs.BenchError as e:
        cmp.log("=> %s" % e)
        out[1].append(str(e))
    finally:
        if sink:
            sink.stop()
    if "seed" in cfg.only:
        attempt(out[0], out[1], cmp.seed_numbers, cfg)


def main():
    # Stopped from outside, or run.sh gone: unwind, so that every server
    # is stopped.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda n, f: sys.exit(128 + n))
    procs.die_with_parent()
    ap = argparse.ArgumentParser()
    for opt in ("--bin", "--helper", "--state", "--out"):
        ap.add_argument(opt, required=True)
    cfg = Config(ap.parse_args())
    out = ap.parse_args().out
    mach = summary.machine()
    mach["reqperf"] = version(cfg.bin)
    print("reqperf bench: %s, %d CPUs, kernel %s, %s" % (
        mach["cpu_model"], mach["cpus"], mach["kernel"], mach["reqperf"]))
    print("server on cpu %s, client on cpu %s; %d rounds of %d s, A B A B"
          % (cfg.server_cpu, cfg.client_cpu, cfg.rounds, cfg.seconds),
          flush=True)
    results, errors, warnings = [], [], []
    comparisons(cfg, (results, errors, warnings))
    print("\n" + summary.table(results))
    for w in warnings:
        print("warning: %s" % w)
    for e in errors:
        print("error: %s" % e)
    summary.write_json(out, {"machine": mach, "settings": {
        "rounds": cfg.rounds, "trace_rounds": cfg.trace_rounds,
        "seconds": cfg.seconds, "connections": cfg.conns,
        "pipeline": cfg.depth, "server_cpu": cfg.server_cpu,
        "client_cpu": cfg.client_cpu}, "comparisons": results,
        "errors": errors, "warnings": warnings})
    print("wrote %s" % out)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
