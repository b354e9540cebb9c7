# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf run --lifecycle FILE: every response followed from the server's
write through the wire to the client's recv calls, joined by TCP sequence
ranges. Real traffic on loopback and on --netns; the invariants: one
lifecycle per response and as many as the sink answered, contiguous byte
ranges, the server's bytes and the packets' bytes equal to each response's
size, stage times in order; and the packets per response range counted
again by tshark from the --pcap of the same run, which reads the TCP
headers itself (sequence numbers from the SYN-ACK it captured).
Usage: test_lifecycle.py BUILD/reqperf"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from harness import check, need_root, run, run_all, skip, test


def lifecycle_run(args, pcap=True, wire=True, timeout=90):
    """Runs with --lifecycle, --json (and --pcap) into a temp dir; returns
    (rc, report, lines, pcap path, stderr)."""
    d = tempfile.mkdtemp(prefix="rp-lc-")
    lc, js, pc = (os.path.join(d, f) for f in ("lc.jsonl", "r.json", "p.pcap"))
    rc, out, err, _ = run(["run", "--lifecycle", lc, "--json", js, "--quiet"] +
                          (["--pcap", pc] if pcap else ["--wire"] if wire else []) + args,
                          timeout=timeout)
    doc = json.load(open(js)) if os.path.exists(js) and os.path.getsize(js) else None
    lines = [json.loads(x) for x in open(lc)] if os.path.exists(lc) else []
    if rc or not pcap:  # else the caller reads the pcap, then removes it
        shutil.rmtree(d, ignore_errors=True)
    return rc, doc, lines, pc, err


def ordered(r, lo):
    """The times a response must have in this order, recomputed here."""
    arr = r["tx"]["last_ns"] if lo else r["rx"]["last_ns"]
    chain = [r["request"]["send_ns"], r["request"]["read_ns"], r["server"]["start_ns"],
             r["tx"]["first_ns"], arr, r["client"]["complete_ns"]]
    if None in chain:
        return False
    return (all(a <= b for a, b in zip(chain, chain[1:]))
            and r["tx"]["first_ns"] <= r["client"]["first_copy_ns"] <= r["client"]["complete_ns"]
            and r["client"]["last_recv_ns"] <= r["client"]["complete_ns"])


def invariants(name, doc, lines, lo):
    """The checks every lifecycle run must pass; returns the lines by key."""
    sink = doc["sink"]["responses"] if "sink" in doc else doc["totals"]["responses"]
    keys = {(r["worker"], r["conn"], r["index"]) for r in lines}
    check("%s: one lifecycle per response, as many as the sink answered (%d)" % (name, sink),
          len(lines) == sink == len(keys) == doc["totals"]["responses"],
          "lines %d keys %d sink %d" % (len(lines), len(keys), sink))
    by_conn = {}
    for r in lines:
        by_conn.setdefault(r["cport"], []).append(r)
    contiguous = all(
        rs[i]["off"] == rs[i - 1]["off"] + rs[i - 1]["bytes"] and rs[0]["off"] == 0
        for rs in (sorted(v, key=lambda r: r["off"]) for v in by_conn.values())
        for i in range(1, len(rs)))
    check("%s: each connection's responses tile its stream from byte 0" % name, contiguous)
    bad = [r for r in lines if r["server"]["bytes"] != r["bytes"]]
    check("%s: the server's writes carried exactly each response's bytes" % name, not bad,
          str(bad[:1]))
    place = "tx" if lo else "rx"
    bad = [r for r in lines if r["tx"]["bytes"] != r["bytes"] or r[place]["bytes"] != r["bytes"]]
    check("%s: the packets' bytes of each response == its size (tx%s)" %
          (name, "" if lo else " and rx"), not bad, str(bad[:1]))
    bad = [r for r in lines if not ordered(r, lo) or not r["ordered"]]
    check("%s: stage times ordered: request < read < write < wire < complete" % name,
          not bad, str(bad[:1]))
    bad = [r for r in lines if r["client"]["recvs"] < 1
           or r["client"]["classes"].get("completing", 0) < 1]
    check("%s: every response read by recv calls, the last one completing" % name, not bad,
          str(bad[:1]))
    lc = doc["lifecycle"]
    check("%s: report: every response complete, no check failed, nothing unplaced" % name,
          lc["responses"] == len(lines) == lc["complete"]
          and not any(lc["checks"].values()) and not any(lc["not_placed"].values()),
          json.dumps(lc)[:600])
    lat = [r["stages_ns"]["latency"] for r in lines]
    parts = [sum(r["stages_ns"][k] for k in ("request", "server", "to_wire", "queue", "recv"))
             for r in lines]
    check("%s: the parts add up to each request's latency" % name, lat == parts)
    # The latency report's histogram (<= 0.8 % per bucket) against the
    # exact percentiles of the same requests, taken one by one here.
    hist, st = doc["latency_ns"]["request"], lc["stages_ns"]["latency"]
    close = all(abs(st[q] - hist[q]) <= 0.02 * hist[q] + 1000 for q in ("p50", "p90", "p99"))
    check("%s: the lifecycles' request latency is the latency report's (p50/p90/p99 "
          "within 2 %%)" % name, hist["n"] == len(lines) and close,
          "%s vs %s" % ({q: st[q] for q in ("p50", "p90", "p99")}, hist))
    return by_conn


def tshark_packets(path, server_port):
    """Server-to-client data packets from tshark: (client port, stream
    offset, payload), the offset from the SYN-ACK's raw sequence number."""
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "tcp.srcport",
                          "-e", "tcp.dstport", "-e", "tcp.seq_raw", "-e", "tcp.len",
                          "-e", "tcp.flags.syn"], capture_output=True, text=True,
                         timeout=60).stdout
    isn, pkts = {}, []
    for line in out.splitlines():
        sport, dport, seq, plen, syn = line.split("\t")
        if int(sport) != server_port:
            continue
        if syn in ("1", "True"):
            isn[int(dport)] = int(seq)
        elif int(plen):
            pkts.append((int(dport), int(seq), int(plen)))
    return [(c, (s - isn[c] - 1) % 2**32, n) for c, s, n in pkts if c in isn]


def cross_check_pcap(name, by_conn, pcap, server_port, place):
    """Packets carrying each response's bytes, as tshark counts them."""
    pk = tshark_packets(pcap, server_port)
    check("%s: tshark read data packets from the pcap" % name, len(pk) > 0)
    bad = []
    for cport, rs in by_conn.items():
        mine = [(o, n) for c, o, n in pk if c == cport]
        for r in rs:
            lo, hi = r["off"], r["off"] + r["bytes"]
            over = [min(hi, o + n) - max(lo, o) for o, n in mine if o < hi and o + n > lo]
            if (len(over) != r[place]["packets"] + r[place]["retrans"]
                    or sum(over) < r["bytes"]):
                bad.append((r["cport"], r["off"], len(over), r[place]))
    check("%s: tshark's packets per response range == the lifecycle's (%s)" % (name, place),
          not bad, str(bad[:2]))


def have_tshark(name):
    if shutil.which("tshark"):
        return True
    skip(name, "tshark not installed")
    return False


def server_port(doc):
    return int(doc["config"]["target"].rsplit(":", 1)[1])


@test
def loopback():
    name = "lifecycle lo"
    if not need_root(name):
        return
    for mode in (["-m", "burst"], ["-m", "pipeline:4", "-c", "2"], ["-m", "pingpong"]):
        label = "%s %s" % (name, mode[1])
        rc, doc, lines, pcap, err = lifecycle_run(["-w", "2", "-n", "200"] + mode)
        check("%s: exit 0" % label, rc == 0 and doc is not None, err)
        if rc != 0 or doc is None:
            continue
        by_conn = invariants(label, doc, lines, True)
        if have_tshark(label):
            cross_check_pcap(label, by_conn, pcap, server_port(doc), "tx")
        shutil.rmtree(os.path.dirname(pcap), ignore_errors=True)


@test
def veth():
    """--netns: the response leaves the sink's veth end (tx, GSO skbs) and
    arrives at the client's (rx, after GRO); the pcap is the client's view."""
    for off in ("on", "off"):
        name = "lifecycle veth offloads %s" % off
        if not need_root(name):
            return
        rc, doc, lines, pcap, err = lifecycle_run(
            ["--netns", "--tso", off, "--gso", off, "--gro", off, "-w", "2", "-n", "150"])
        check("%s: exit 0" % name, rc == 0 and doc is not None, err)
        if rc != 0 or doc is None:
            continue
        by_conn = invariants(name, doc, lines, False)
        if have_tshark(name):
            cross_check_pcap(name, by_conn, pcap, server_port(doc), "rx")
        shutil.rmtree(os.path.dirname(pcap), ignore_errors=True)


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start_aiohttp(d):
    """The seed's server shape (headers, then body: two writes), or None."""
    for py in ("/usr/bin/python3", sys.executable):
        if os.path.exists(py) and subprocess.run(
                [py, "-c", "import aiohttp"], capture_output=True, timeout=30).returncode == 0:
            break
    else:
        return None, None
    pf = os.path.join(d, "port")
    p = subprocess.Popen([py, os.path.join(ROOT, "tests", "servers", "aiohttp_server.py"), pf,
                          "3072"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and p.poll() is None:
        if os.path.exists(pf) and open(pf).read().strip():
            return p, int(open(pf).read().strip())
        time.sleep(0.1)
    p.kill()
    p.wait(5)
    return None, None


@test
def aiohttp_two_writes():
    """An external server traced by --server-pid: aiohttp writes the head
    and the body with two calls, so every response has two writes, and
    the packets still carry exactly its bytes."""
    name = "lifecycle aiohttp"
    if not need_root(name):
        return
    with tempfile.TemporaryDirectory() as d:
        p, port = start_aiohttp(d)
        if not p:
            skip(name, "python3-aiohttp not installed or did not start")
            return
        try:
            rc, doc, lines, pcap, err = lifecycle_run(
                ["-t", "127.0.0.1:%d" % port, "--server-pid", str(p.pid), "-w", "1",
                 "-n", "100", "-m", "pingpong"])
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
    check("%s: exit 0" % name, rc == 0 and doc is not None, err)
    if rc != 0 or doc is None:
        return
    by_conn = invariants(name, doc, lines, True)
    check("%s: two server writes per response (head, body)" % name,
          all(r["server"]["writes"] == 2 for r in lines), str(lines[:1]))
    if have_tshark(name):
        cross_check_pcap(name, by_conn, pcap, port, "tx")
    shutil.rmtree(os.path.dirname(pcap), ignore_errors=True)


@test
def echo():
    """--echo: the sink echoes what it has of a message at once, so a
    response may begin before its request was read whole; every byte is
    still placed and the times that must be ordered are."""
    name = "lifecycle --echo"
    if not need_root(name):
        return
    rc, doc, lines, _, err = lifecycle_run(["--echo", "1536", "-w", "2", "-n", "128"], pcap=False)
    check("%s: exit 0" % name, rc == 0 and doc is not None, err)
    if rc != 0 or doc is None:
        return
    check("%s: one per message, server and packet bytes == size, ordered" % name,
          len(lines) == 256 and all(r["server"]["bytes"] == r["tx"]["bytes"] == r["bytes"] == 1536
                                    and r["ordered"] for r in lines),
          str([r for r in lines if not r["ordered"]][:1]))


@test
def without_wire():
    """Without --wire: every response still has its server write and its
    recv calls; the packet stages are null, never guessed."""
    name = "lifecycle without --wire"
    if not need_root(name):
        return
    rc, doc, lines, _, err = lifecycle_run(["-w", "2", "-n", "100"], pcap=False, wire=False)
    check("%s: exit 0" % name, rc == 0 and doc is not None, err)
    if rc != 0 or doc is None:
        return
    check("%s: one per response" % name, len(lines) == doc["sink"]["responses"] == 200)
    check("%s: server bytes == size, no packets, packet stages null" % name,
          all(r["server"]["bytes"] == r["bytes"] and r["tx"] is None
              and r["stages_ns"]["write_wire"] is None
              and r["stages_ns"]["write_done"] is not None for r in lines))
    check("%s: report says so" % name, doc["lifecycle"]["wire"] is False
          and doc["lifecycle"]["complete"] == 200)


@test
def bad_input():
    cases = [(["--lifecycle", ""], "--lifecycle: expected a file name"),
             (["--lifecycle", "/tmp/x.jsonl", "--probe", "off"], "not with --probe off"),
             (["--lifecycle", "/tmp/x.jsonl", "-t", "127.0.0.1:9"], "--server-pid or"),
             (["--lifecycle", "/tmp/x.jsonl", "--json", "/tmp/x.jsonl"], "--lifecycle")]
    for args, msg in cases:
        rc, out, err, _ = run(["run"] + args, timeout=20)
        check("lifecycle bad input %s: exit 2, said in the first line" % " ".join(args),
              rc == 2 and msg in err.splitlines()[0],
              "rc %d: %s" % (rc, err))


if __name__ == "__main__":
    run_all()
