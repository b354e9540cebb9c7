#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""make examples: runs the worked examples on this machine and writes
docs/examples.md from their real output, with the machine and the date.
Every figure quoted in prose below is computed from the runs, not typed.
Usage: examples.py BUILD/reqperf OUT.md  (root: BPF and network namespaces)"""
import csv
import datetime
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile

BIN, OUT = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="reqperf-examples-")
doc = []


def run(args, timeout=300):
    """Runs reqperf; returns (text report, JSON document)."""
    j = os.path.join(TMP, "r.json")
    p = subprocess.run([BIN, "run"] + args + ["--json", j], capture_output=True, text=True,
                       timeout=timeout)
    if p.returncode:
        sys.exit("examples: reqperf run %s failed (%d): %s" % (" ".join(args), p.returncode,
                                                               p.stderr.strip()[-300:]))
    return p.stdout, json.load(open(j))


def block(text, start, stop=None):
    """The lines of text from the first starting with start up to (not
    including) the next line starting with stop (or a blank line)."""
    lines, out, on = text.splitlines(), [], False
    for l in lines:
        if l.startswith(start):
            on = True
        elif on and (not l.strip() or (stop and l.startswith(stop))):
            break
        if on:
            out.append(l)
    return "\n".join(out)


def lines_with(text, *starts):
    """Lines starting (after blanks) with one of starts, with their
    continuation lines (indented 12 blanks)."""
    out, keep = [], False
    for l in text.splitlines():
        if l.startswith(" " * 12) and l.strip():
            if keep:
                out.append(l)
            continue
        keep = l.lstrip().startswith(starts)
        if keep:
            out.append(l)
    return "\n".join(out)


def say(*parts):
    doc.append("".join(parts))


def para(*parts):
    """A paragraph: blank line after."""
    doc.append("".join(parts).rstrip("\n") + "\n\n")


def code(cmd, text):
    say("```\n$ ", cmd, "\n", text.rstrip(), "\n```\n\n")


def holds(seg, key="held_out"):
    """'N of M sends left bytes unsent: class n, ...' from segments.held_*."""
    h = seg.get(key)
    if not h:
        return "not measured (no kernel view)"
    total, held = sum(h.values()), sum(v for k, v in h.items() if k != "none")
    top = sorted(((v, k) for k, v in h.items() if k != "none" and v), reverse=True)
    return "%d of %d sends left bytes unsent%s" % (
        held, total, ": " + ", ".join("%s %d" % (k, v) for v, k in top) if top else "")


def cpu_model():
    for l in open("/proc/cpuinfo"):
        if l.startswith("model name"):
            return l.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def version():
    p = subprocess.run([BIN, "--version"], capture_output=True, text=True)
    return (p.stdout or p.stderr).strip().splitlines()[0]


now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
say("# Worked examples (generated)\n\n")
para("Written by `make examples` (`docs/examples.py`) from real runs; do not edit by "
     "hand, run it again. Every number in the prose is computed from the runs "
     "shown.")
para("* date: %s\n* machine: %s, %d CPUs, kernel %s %s\n* tool: %s\n" % (
    now, cpu_model(), os.cpu_count(), platform.release(), platform.machine(), version()))

# 1. the seed's echo experiment, Nagle on and off
say("## 1. The seed's echo experiment: \"about ten packets more\"\n\n")
echo = {}
for nd in ("", "--nodelay"):
    args = ["--echo", "1536", "-w", "2", "-n", "512", "--detail"] + ([nd] if nd else [])
    text, d = run(args)
    echo[nd] = d
    code("reqperf run " + " ".join(args), block(text, "segments per message", "sink:"))
on, off = echo[""]["segments"], echo["--nodelay"]["segments"]
para("With Nagle on (the seed's setting) %d segments came back for %d messages of 1536 B "
    "(%+d against one each); the sink made %d short reads and %d split writes. With "
    "`--nodelay`: %d segments (%+d), %d short reads, %d split writes. The tool's own "
    "sentence is the `why:` line.\n" % (
        on["in"]["data_segs"], on["in"]["messages"], on["in"]["beyond_min"],
        on["causes"]["sink_short_reads"], on["causes"]["sink_split_writes"],
        off["in"]["data_segs"], off["in"]["beyond_min"], off["causes"]["sink_short_reads"],
        off["causes"]["sink_split_writes"]))
para("What held the client's messages, read by the kernel view at each send's return "
     "(docs/segments.md): with Nagle on, %s; with `--nodelay`, %s.\n" % (
         holds(on), holds(off)))

# 2. HTTP burst, Nagle on and off: segments and the recv arithmetic
say("## 2. HTTP burst: segments per response, recv calls per response\n\n")
http = {}
for nd in ("", "--nodelay"):
    args = ["-w", "2", "-n", "512", "--detail"] + ([nd] if nd else [])
    text, d = run(args)
    http[nd] = d["segments"]
    code("reqperf run " + " ".join(args),
         lines_with(block(text, "worker 0 "), "recv ", "extra recv", "evidence") + "\n...\n" + block(text, "segments per message", "sink:"))
para("The seed's \"about ten packets more than intended\" is the other way round for "
     "HTTP requests in a burst: %d data segments carried %d requests with Nagle on (%s), "
     "%d with `--nodelay` (%s).\n" % (
         http[""]["out"]["data_segs"], http[""]["out"]["messages"], holds(http[""]),
         http["--nodelay"]["out"]["data_segs"], holds(http["--nodelay"])))

# 3. recv(65536): many responses per call; the arithmetic stays closed
say("## 3. `-r 65536`: several responses per recv call\n\n")
args = ["--netns", "-r", "65536", "-w", "1", "-n", "512", "--detail"]
text, d = run(args)
code("reqperf run " + " ".join(args),
     lines_with(block(text, "worker 0 "), "recv ", "extra recv", "evidence"))
x = d["workers"][0]["extra_recv"]
para("%d recv calls for %d responses: recv calls - responses = %d = full-buffer %d + short %d "
    "+ eagain %d + failed %d - %d surplus responses (%d calls completed two or more).\n" % (
        x["recv_calls"], x["responses"], x["total"], x["full_buffer"], x["short"],
        x["eagain"], x["failed"], x["surplus_responses"], x["multi_response_calls"]))

# 4. pingpong: recv calls per response on loopback and veth
say("## 4. Pingpong: recv calls per response, loopback and veth\n\n")
rows, parts = [], []
for name, extra in (("loopback", []), ("veth, offloads on", ["--netns", "--tso", "on",
                                                            "--gso", "on", "--gro", "on"]),
                    ("veth, kept", ["--netns"]),
                    ("veth, offloads off", ["--netns", "--tso", "off", "--gso", "off",
                                            "--gro", "off"])):
    text, d = run(["--mode", "pingpong", "-w", "2", "-n", "512"] + extra)
    xs = [w["extra_recv"] for w in d["workers"]]
    seg = d["segments"]["in"]
    n = sum(x["responses"] for x in xs)
    per = {k: sum(x[k] for x in xs) / n for k in ("full_buffer", "short", "eagain")}
    rows.append((name, sum(x["recv_calls"] for x in xs) / n,
                 seg["data_segs"] / seg["messages"], seg["mss"]))
    parts.append(per)
say("| setup | recv calls per response | data segments in per response | sink MSS |\n"
    "|---|---|---|---|\n")
for r in rows:
    say("| %s | %.2f | %.2f | %d |\n" % r)
cpr = sorted({round(r[1], 2) for r in rows})
say("\n")
para("With `--mode pingpong -r 1024` a 3197-byte response took %s recv calls per "
    "response in these setups; per response, on average over the setups: %.2f "
    "full-buffer reads, %.2f short reads, %.2f EAGAIN polls and one completing read." % (
        " to ".join("%.2f" % c for c in (cpr[0], cpr[-1])) if len(cpr) > 1 else "%.2f" % cpr[0],
        statistics.mean(p["full_buffer"] for p in parts),
        statistics.mean(p["short"] for p in parts),
        statistics.mean(p["eagain"] for p in parts)))

# 5. --compare sched, 5 rounds
say("## 5. `--compare sched --repeat 5`\n\n")
p = subprocess.run([BIN, "run", "--compare", "sched", "--repeat", "5", "-w", "2"],
                   capture_output=True, text=True, timeout=600)
if p.returncode:
    sys.exit("examples: --compare failed: " + p.stderr[-300:])
code("reqperf run --compare sched --repeat 5 -w 2", p.stdout)
rps = [l for l in p.stdout.splitlines() if l.startswith("responses/s")]
if rps:
    para("On this machine and day the `responses/s` row reads `%s`: the ratio and its "
        "mark are the measurement, not a constant of SCHED_RR.\n" % " ".join(rps[0].split()))

# 6. a sweep table from the CSV alone
say("## 6. A sweep table from `--csv-append` alone\n\n")
sweep = os.path.join(TMP, "sweep.csv")
for r in ("512", "1024", "4096", "65536"):
    for nd in ("", "--nodelay"):
        p = subprocess.run([BIN, "run", "-q", "-w", "2", "-n", "512", "-r", r, "--csv-append",
                            sweep] + ([nd] if nd else []), capture_output=True, text=True,
                           timeout=120)
        if p.returncode:
            sys.exit("examples: sweep failed: " + p.stderr[-300:])
groups = {}
for row in csv.DictReader(open(sweep)):
    groups.setdefault((int(row["recv_size"]), row["nodelay"]), []).append(row)
say("```\nfor r in 512 1024 4096 65536; do for nd in '' --nodelay; do\n"
    "  reqperf run -q -w 2 -n 512 -r $r $nd --csv-append sweep.csv; done; done\n```\n\n")
say("Grouped by (`recv_size`, `nodelay`), mean over the workers' rows:\n\n"
    "| recv_size | nodelay | recv calls/response | data segs in/response | "
    "data segs out/request | user recv ns/response |\n|---|---|---|---|---|---|\n")
for (r, nd), g in sorted(groups.items()):
    m = lambda k: statistics.mean(float(x[k]) for x in g)
    say("| %d | %s | %.2f | %.3f | %.3f | %.0f |\n" % (
        r, nd, m("per_response_recv_calls"), m("per_response_data_segs_in"),
        m("per_request_data_segs_out"), m("per_response_user_recv_ns")))

with open(OUT, "w") as f:
    f.write("".join(doc))
print("examples: wrote %s" % OUT)
