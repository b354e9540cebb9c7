# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf run --events / --svg with the real eBPF programs: every user call
has exactly one kernel partner, classes add up and agree with the worker's
own counters, crafted cases land in the right class, the SVG parses.
Usage: test_events.py BUILD/reqperf"""
import atexit
import csv
import json
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET

from harness import need_root, Sink, check, run, run_all, run_json, test

ROOT = os.geteuid() == 0
TMP = tempfile.mkdtemp(prefix="reqperf-events-")
atexit.register(shutil.rmtree, TMP, True)
SVG_NS = "{http://www.w3.org/2000/svg}"


def path(name):
    return os.path.join(TMP, name)


def lines_of(name):
    with open(path(name)) as f:
        return [json.loads(line) for line in f]


def run_events(tag, args, fmt="jsonl"):
    """Runs with --events (and --json); returns (doc, lines)."""
    ev = path(tag + "." + fmt)
    extra = ["--events", ev] + (["--events-format", "csv"] if fmt == "csv" else [])
    rc, doc, err = run_json(["run"] + args + extra)
    check(tag + ": exit 0", rc == 0, err)
    if fmt == "csv":
        with open(ev) as f:
            rows = list(csv.DictReader(f))
        return doc, rows
    return doc, lines_of(tag + ".jsonl")


def count(lines, **kv):
    return sum(1 for l in lines if all(l.get(k) == v for k, v in kv.items()))


def check_joined(tag, doc, lines):
    """Every call on one line, joined with its kernel partner, in order."""
    ev = doc["events"]
    check(tag + ": join state joined", ev["total"]["state"] == "joined", ev["total"]["state"])
    check(tag + ": nothing lost",
          ev["total"]["user_lost"] == 0 and ev["total"]["kernel_lost"] == 0)
    for w in doc["workers"]:
        mine = [l for l in lines if l.get("worker") == w["id"]]
        calls = w["user"]["send"]["calls"] + w["user"]["recv"]["calls"]
        kcalls = w["kernel"]["send"]["calls"] + w["kernel"]["recv"]["calls"]
        t = "%s w%d" % (tag, w["id"])
        check(t + ": lines == user calls == kernel calls",
              len(mine) == calls == kcalls, "%d %d %d" % (len(mine), calls, kcalls))
        check(t + ": lines in call order", [l["index"] for l in mine] == list(range(len(mine))))
        bad = [l for l in mine if l["join"] != "ok" or not l["user"] or not l["kernel"]]
        check(t + ": every user call has exactly one kernel partner", not bad,
              str(bad[:1]))
        off = [l for l in mine if l["user"]["ret"] != l["kernel"]["ret"]
               or l["kernel"]["start_ns"] < l["user"]["start_ns"]
               or l["kernel"]["end_ns"] > l["user"]["end_ns"]]
        check(t + ": same bytes, kernel time inside user time", not off, str(off[:1]))
        check(t + ": one thread", len({l["tid"] for l in mine}) == 1)


def check_classes(tag, doc, lines):
    """Classes add up and agree with the worker's and the kernel's counters."""
    for w, s in zip(doc["workers"], doc["events"]["workers"]):
        t = "%s w%d" % (tag, w["id"])
        recv = [l for l in lines if l.get("worker") == w["id"] and l["dir"] == "recv"]
        by = {}
        for l in recv:
            by[l["class"]] = by.get(l["class"], 0) + 1
        g = lambda c: by.get(c, 0)
        check(t + ": classes add up to the recv calls",
              sum(by.values()) == w["user"]["recv"]["calls"] == sum(s["classes"].values()))
        check(t + ": summary classes == per-line classes",
              all(s["classes"][c] == n for c, n in by.items()), "%s %s" % (by, s["classes"]))
        x = w["extra_recv"]
        check(t + ": completing == responses - surplus",
              g("completing") == x["completing"] == w["responses"] - x["surplus_responses"])
        check(t + ": multi-response calls agree",
              s["multi_response_calls"] == x["multi_response_calls"])
        check(t + ": buffer-limited + exact-fill == worker's full-buffer",
              g("buffer-limited") + g("exact-fill") == x["full_buffer"])
        check(t + ": partial-arrival + short-queued == worker's short",
              g("partial-arrival") + g("short-queued") == x["short"])
        check(t + ": the worker's arithmetic closes", x["closes"])
        check(t + ": eagain and failures agree",
              g("eagain") == x["eagain"] and g("error") + g("eof") == x["failed"])
        check(t + ": extra calls == sum of the non-completing classes - surplus",
              s["extra_recv_calls"] == w["extra_recv_calls"] == x["total"] ==
              len(recv) - g("completing") - s["multi"])
        k = w["kernel"]["recv"]
        short_empty = sum(1 for l in recv if 0 < l["kernel"]["ret"] < l["kernel"]["len"]
                          and l["kernel"]["queued"] == 0)
        full_queued = sum(1 for l in recv if l["kernel"]["ret"] >= l["kernel"]["len"]
                          and l["kernel"]["queued"] > 0)
        check(t + ": ring buffer records agree with the per-CPU counters",
              short_empty == k["short_empty"] and full_queued == k["full_queued"],
              "%d/%d %d/%d" % (short_empty, k["short_empty"], full_queued, k["full_queued"]))
        check(t + ": summary agrees with the worker's counters", s["agrees"], s["disagree"])


def check_svg(tag, name, doc):
    root = ET.parse(path(name)).getroot()
    ids = {e.get("id"): e for e in root.iter() if e.get("id")}
    check(tag + ": svg root", root.tag == SVG_NS + "svg")
    want = ["send-user", "send-kernel", "recv-user", "recv-kernel", "calls-per-response",
            "skbs-per-recv", "classes"]
    check(tag + ": svg has every series", all(i in ids for i in want),
          str(sorted(ids)))
    t = doc["totals"]
    check(tag + ": svg recv series count every call",
          int(ids["recv-user"].get("data-calls")) == t["user"]["recv"]["calls"] and
          int(ids["recv-kernel"].get("data-calls")) == t["kernel"]["recv"]["calls"])
    check(tag + ": svg recv-user has points", len(ids["recv-user"].get("points").split()) > 2)
    bars = [int(r.get("data-count")) for r in ids["classes"] if r.tag == SVG_NS + "rect"]
    check(tag + ": svg class bars add up to the recv calls",
          sum(bars) == int(ids["classes"].get("data-recv-calls")) ==
          t["user"]["recv"]["calls"], str(bars))
    cpr = [int(r.get("data-count")) for r in ids["calls-per-response"]
           if r.tag == SVG_NS + "rect"]
    check(tag + ": svg calls-per-response counts every response",
          sum(cpr) == t["responses"], "%d != %d" % (sum(cpr), t["responses"]))
    check(tag + ": svg self-contained", b"href" not in open(path(name), "rb").read())


def check_server_lines(tag, doc, lines):
    """The embedded sink's calls, kernel records only: as many as the
    server's kernel counted, their bytes the sink's own."""
    srv = [l for l in lines if l.get("side") == "server"]
    k = doc["server"]["kernel"]
    calls = k["send"]["calls"] + k["recv"]["calls"]
    check(tag + ": one server line per server kernel call (%d)" % calls,
          len(srv) == calls and all(l["user"] is None and l["kernel"] for l in srv),
          "%d lines" % len(srv))
    got = {d: sum(max(l["kernel"]["ret"], 0) for l in srv if l["dir"] == d)
           for d in ("send", "recv")}
    check(tag + ": server lines' bytes == the sink's own (in %d, out %d)"
          % (doc["sink"]["bytes_in"], doc["sink"]["bytes_out"]),
          got["recv"] == doc["sink"]["bytes_in"] and got["send"] == doc["sink"]["bytes_out"],
          str(got))


@test
def seed_burst():
    """The seed's HTTP experiment: recv(1024) against 3226-byte responses."""
    if not need_root("seed_burst"):
        return
    doc, lines = run_events("burst", ["-w", "2", "-n", "256", "--svg", path("burst.svg")])
    check_joined("burst", doc, lines)
    check_classes("burst", doc, lines)
    check("burst: recv(1024) < response: buffer-limited calls",
          count(lines, **{"class": "buffer-limited"}) > 0)
    check_svg("burst", "burst.svg", doc)
    check_server_lines("burst", doc, lines)


@test
def small_recv_buffer_limited():
    """A recv size below the body: more was queued than asked."""
    if not need_root("small_recv_buffer_limited"):
        return
    doc, lines = run_events("recv512", ["-w", "1", "-n", "64", "--recv-size", "512"])
    check_joined("recv512", doc, lines)
    bl = [l for l in lines if l["class"] == "buffer-limited"]
    check("recv512: buffer-limited calls", len(bl) >= 64 * 3, str(len(bl)))
    check("recv512: buffer-limited returned 512 with bytes queued",
          all(l["user"]["ret"] == 512 and l["kernel"]["queued"] > 0 for l in bl))


@test
def split_partial_arrival():
    """The sink pauses inside each response: the first half is a partial
    arrival, read while nothing else is queued."""
    if not need_root("split_partial_arrival"):
        return
    doc, lines = run_events("split", ["-w", "1", "-n", "20", "-m", "pingpong",
                                      "--sink-split-ms", "5", "--recv-size", "65536"])
    check_joined("split", doc, lines)
    check_classes("split", doc, lines)
    pa = [l for l in lines if l["class"] == "partial-arrival"]
    check("split: partial-arrival calls", len(pa) > 0, str(len(pa)))
    check("split: partial arrivals left the queue empty and were short",
          all(l["kernel"]["queued"] == 0 and 0 < l["user"]["ret"] < 65536 for l in pa))


@test
def standalone_sink_split():
    """reqperf sink --split-delay, against an external target."""
    if not need_root("standalone_sink_split"):
        return
    sink = Sink("--split-delay", "3")
    try:
        doc, lines = run_events("sinksplit", ["-w", "1", "-n", "10", "-m", "pingpong",
                                              "--target", sink.target, "-r", "65536"])
    finally:
        sink.stop()
    check("sink --split-delay: partial arrivals",
          count(lines, **{"class": "partial-arrival"}) > 0)


@test
def echo_csv():
    """The seed's raw TCP experiment, per-call lines as CSV."""
    if not need_root("echo_csv"):
        return
    doc, rows = run_events("echo", ["-w", "2", "-n", "128", "--echo", "1536"], fmt="csv")
    srv = [r for r in rows if r["worker"] == "server"]
    rows = [r for r in rows if r["worker"] != "server"]
    check("echo csv: the sink's calls as server rows, bytes == the sink's",
          srv and sum(int(r["k_ret"]) for r in srv if r["dir"] == "recv")
          == doc["sink"]["bytes_in"], "%d rows" % len(srv))
    calls = sum(w["user"]["send"]["calls"] + w["user"]["recv"]["calls"]
                for w in doc["workers"])
    check("echo csv: one row per call", len(rows) == calls, "%d != %d" % (len(rows), calls))
    check("echo csv: all joined", all(r["join"] == "ok" for r in rows))
    check("echo csv: user ret == kernel ret", all(r["u_ret"] == r["k_ret"] for r in rows))
    recv = [r for r in rows if r["dir"] == "recv"]
    check("echo csv: classes add up",
          len(recv) == sum(doc["events"]["total"]["classes"].values()))


@test
def limit_incomplete():
    """Records beyond --events-limit are counted, and nothing is paired."""
    if not need_root("limit_incomplete"):
        return
    rc, doc, err = run_json(["run", "-w", "1", "-n", "128", "--events", path("lim.jsonl"),
                             "--events-limit", "50"])
    check("limit: exit 0", rc == 0, err)
    t = doc["events"]["total"]
    check("limit: marked incomplete", t["state"] == "incomplete", t["state"])
    check("limit: drops counted on both sides",
          t["user_lost"] > 0 and t["kernel_lost"] > 0 and t["user_events"] == 50)
    lines = lines_of("lim.jsonl")
    check("limit: no line joined", not any(l["join"] == "ok" for l in lines))


@test
def user_only():
    """Without a kernel view the join says so; classes from the user side."""
    doc, lines = run_events("off", ["-w", "1", "-n", "32", "--probe", "off"])
    t = doc["events"]["total"]
    check("probe off: state user-only", t["state"] == "user-only", t["state"])
    check("probe off: no kernel records", all(l["kernel"] is None for l in lines))
    check("probe off: agrees with the worker", t["agrees"], t["disagree"])


@test
def counters_only_unchanged():
    rc, doc, err = run_json(["run", "-w", "1", "-n", "32"])
    check("no --events: exit 0, no events section", rc == 0 and "events" not in doc, err)


@test
def bad_input():
    cases = [
        (["--events", "x", "--events-format", "xml"], "--events-format"),
        (["--events-format", "csv"], "needs --events"),
        (["--events", "x", "--events-limit", "0"], "--events-limit"),
        (["--events", "x", "--events-ring", "100000"], "--events-ring"),
        (["--events-ring", "65536"], "need --events"),
        (["--sink-split-ms", "5", "--target", "127.0.0.1:9"], "embedded sink"),
        (["--sink-split-ms", "5", "--echo", "64"], "--echo"),
        (["--sink-split-ms", "0"], "--sink-split-ms"),
        (["--svg", "x.svg", "--compare", "affinity"], "--compare"),
    ]
    for args, needle in cases:
        rc, out, err, _ = run(["run"] + args, timeout=30)
        check("bad input %s: exit 2, one clear line" % " ".join(args),
              rc == 2 and needle in err.splitlines()[0], "rc %d: %s" % (rc, err))
    rc, out, err, _ = run(["run", "-w", "1", "-n", "8", "--probe", "off",
                           "--events", "/nonexistent/dir/e.jsonl"], timeout=30)
    check("unwritable --events: fails before the run, the path named",
          rc != 0 and "/nonexistent/dir/e.jsonl" in err and "responses" not in out, err)
    rc, out, err, _ = run(["sink", "--split-delay", "0"], timeout=10)
    check("sink --split-delay 0: exit 2", rc == 2 and "--split-delay" in err, err)


if __name__ == "__main__":
    run_all()
