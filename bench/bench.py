# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""`make bench` (started by bench/run.sh, which installs wrk and nginx and
owns the cleanup trap): runs the comparisons, prints each one's ratio line
and a summary table, writes bench/results.json. Exits 1 when a comparison
could not run; a missed goal is reported, not an error."""
import argparse
import os
import subprocess
import sys
import traceback

import comparisons as cmp
import procs
import summary
import tools

ALL = ("wrk", "nginx", "trace", "mem", "seed")


class Config:
    def __init__(self, a):
        self.bin, self.helper, self.state = a.bin, a.helper, a.state
        self.rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
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
        bad = [x for x in self.only if x not in ALL]
        if bad or self.rounds < 1 or self.seconds < 1 or \
                self.mem_short < 1 or self.mem_long <= self.mem_short:
            raise SystemExit("bench: bad settings: BENCH_ONLY takes %s; "
                             "rounds, seconds >= 1; BENCH_MEM_LONG > "
                             "BENCH_MEM_SHORT >= 1" % ",".join(ALL))


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


def versus_nginx(cfg, sink_port):
    """nginx serving the sink's body bytes, for the time of comparison 2."""
    body = tools.fetch_body(sink_port)
    nginx, port_file, port_return = procs.start_nginx(cfg.server_cpu,
                                                      cfg.state, body)
    try:
        for p in (port_file, port_return):
            if tools.fetch_body(p) != body:
                raise procs.BenchError("nginx on port %d serves other bytes "
                                       "than the sink" % p)
        return cmp.sink_vs_nginx(cfg, sink_port, [port_file, port_return])
    finally:
        nginx.stop()


def comparisons(cfg, results, errors):
    sink = None
    try:
        sink = procs.start_sink(cfg.bin, cfg.server_cpu, cfg.state,
                                cfg.body_size)
        if "wrk" in cfg.only:
            attempt(results, errors, cmp.driver_vs_wrk, cfg, sink.port,
                    "pingpong", 1)
            attempt(results, errors, cmp.driver_vs_wrk, cfg, sink.port,
                    "pipeline:%d" % cfg.depth, cfg.depth)
            attempt(results, errors, cmp.instructions, cfg, sink.port)
        if "nginx" in cfg.only:
            attempt(results, errors, versus_nginx, cfg, sink.port)
        if "trace" in cfg.only:
            reports = []
            attempt(results, errors, cmp.tracing_overhead, cfg, sink.port,
                    reports)
            if reports:
                attempt(results, errors, cmp.measurement_overhead, cfg,
                        reports)
        if "mem" in cfg.only:
            attempt(results, errors, cmp.memory, cfg, sink.port)
    except procs.BenchError as e:
        cmp.log("=> %s" % e)
        errors.append(str(e))
    finally:
        if sink:
            sink.stop()
    if "seed" in cfg.only:
        attempt(results, errors, cmp.seed_numbers, cfg)


def main():
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
    results, errors = [], []
    comparisons(cfg, results, errors)
    print("\n" + summary.table(results))
    for e in errors:
        print("error: %s" % e)
    summary.write_json(out, {"machine": mach, "settings": {
        "rounds": cfg.rounds, "trace_rounds": cfg.trace_rounds,
        "seconds": cfg.seconds, "connections": cfg.conns,
        "pipeline": cfg.depth, "server_cpu": cfg.server_cpu,
        "client_cpu": cfg.client_cpu}, "comparisons": results,
        "errors": errors})
    print("wrote %s" % out)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
