# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf run --wire / --pcap: every packet of the run's connections,
counted by tc programs on lo or on both veth ends, joined to the client's
calls and the sink's counters, and checked against counters nobody here
wrote: dumpcap's own capture of the same traffic (AF_PACKET) and tshark's
reading of both files. Nothing stays attached after any way out.
Usage: test_wire.py BUILD/reqperf"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

from harness import (BIN, Sink, check, need_root, rp_progs_gone, run, run_all,
                     run_json, skip, test)


def tshark_sums(path, server_port):
    """(data packets, payload bytes) per direction from tshark, keyed
    c2s/s2c. Data only: the teardown's last FIN/ACKs may leave after the
    workers exited and the wire view detached, while dumpcap still runs."""
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "tcp.srcport",
                          "-e", "tcp.len"], capture_output=True, text=True,
                         timeout=60).stdout
    sums = {"c2s": [0, 0], "s2c": [0, 0]}
    for line in out.splitlines():
        sport, plen = line.split("\t")
        d = "s2c" if int(sport) == server_port else "c2s"
        sums[d][0] += int(plen) > 0
        sums[d][1] += int(plen)
    return sums


def wire_of(doc):
    return doc.get("wire") if doc else None


def all_equal(doc, views=("client_user", "client_kernel", "wire_sent", "server_kernel",
                           "server_user")):
    """Every path check agrees, and the views named are all in it."""
    checks = doc["path"]["checks"]
    return (len(checks) == 4 and all(c["equal"] for c in checks)
            and all(k in checks[0] for k in views))


def have_tshark(name):
    if shutil.which("tshark") and shutil.which("dumpcap"):
        return True
    skip(name, "tshark/dumpcap not installed")
    return False


@test
def loopback_views_agree():
    if not need_root("wire: loopback"):
        return
    for mode in (["--mode", "burst"], ["--mode", "pingpong"], ["--mode", "pipeline:4",
                                                                "-c", "2"]):
        rc, doc, err = run_json(["run", "-w", "2", "-n", "200", "--wire"] + mode)
        w = wire_of(doc)
        name = "wire %s: exit 0, every check equal" % mode[1]
        if not check(name, rc == 0 and w is not None and all_equal(doc),
                     err + str(doc and doc.get("path")) + str(w)):
            continue
        conns = 2 * (2 if "-c" in mode else 1)
        tx = w["tx"]
        check("wire %s: one SYN per connection each way, %d followed" % (mode[1], conns),
              w["connections"] == conns and tx["c2s"]["syn"] == conns
              and tx["s2c"]["syn"] == conns, str(tx["c2s"]))
        check("wire %s: no retransmissions, nothing dropped on loopback" % mode[1],
              tx["c2s"]["retrans_packets"] == 0 and tx["s2c"]["retrans_packets"] == 0
              and not any(w["drops"].values()), str(w["drops"]))
        hist_ok = all(sum(tx[d]["payload_log2_hist"]) == tx[d]["packets"] for d in tx)
        check("wire %s: payload histogram holds every packet" % mode[1], hist_ok)


@test
def pcap_matches_dumpcap():
    """The same traffic captured by dumpcap (AF_PACKET on lo) and by
    --pcap: tshark reads both the same; the wire counters equal them."""
    name = "wire: --pcap == dumpcap's capture == wire counters"
    if not need_root(name) or not have_tshark(name):
        return
    sink = Sink()
    tmp = tempfile.mkdtemp()
    ours, theirs = os.path.join(tmp, "ours.pcap"), os.path.join(tmp, "dumpcap.pcap")
    cap = subprocess.Popen(["dumpcap", "-q", "-i", "lo", "-f", "tcp port %d" % sink.port,
                            "-s", "128", "-w", theirs], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while not os.path.exists(theirs) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # dumpcap's filter is attached once the file exists
        t0 = time.time()
        rc, doc, err = run_json(["run", "-t", sink.target, "-w", "2", "-n", "300", "--wire",
                                 "--pcap", ours, "--server-pid", str(sink.proc.pid)])
        t1 = time.time()
        time.sleep(0.5)
    finally:
        cap.send_signal(signal.SIGINT)
        try:
            cap.wait(10)
        except subprocess.TimeoutExpired:
            cap.kill()
            cap.wait(5)
        sink.stop()
    w = wire_of(doc)
    # an external server: no sink counters; its kernel view instead
    if not check(name + ": run ok", rc == 0 and w is not None and all_equal(
            doc, ("client_user", "client_kernel", "wire_sent", "server_kernel")),
            "rc %d %s %s" % (rc, err, doc and doc.get("path"))):
        return
    a, b = tshark_sums(ours, sink.port), tshark_sums(theirs, sink.port)
    tx = w["tx"]
    mine = {d: [tx[d]["data_packets"], tx[d]["bytes"]] for d in ("c2s", "s2c")}
    check(name + ": our pcap holds exactly what the wire view counted",
          a == mine and w["pcap"]["packets"] == tx["c2s"]["packets"] + tx["s2c"]["packets"],
          "ours %s wire %s" % (a, mine))
    # dumpcap (AF_PACKET) sees lo's packets where the stack may already have
    # cut a GSO skb: its count lies between the skbs and their segments;
    # the payload bytes are the same bytes.
    check(name + ": dumpcap's capture has the same payload bytes, its packet count "
          "between skbs and segments",
          all(b[d][1] == mine[d][1] and tx[d]["data_packets"] <= b[d][0] <= tx[d]["data_segs"]
              for d in ("c2s", "s2c")), "dumpcap %s wire %s" % (b, tx))
    pcap_times(name, ours, t0, t1)
    shutil.rmtree(tmp, ignore_errors=True)


def pcap_times(name, path, t0, t1):
    """libpcap wrote it with nanosecond times (the savefile magic says
    so, tshark prints nine digits), and every packet's time, as tshark
    reads it, lies inside the run's wall-clock window (records come from
    a ring shared by both CPUs: not necessarily in time order)."""
    with open(path, "rb") as f:
        magic = int.from_bytes(f.read(4), "little")
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "frame.time_epoch"],
                         capture_output=True, text=True, timeout=60).stdout.split()
    ts = [float(t) for t in out]
    check(name + ": nanosecond pcap, every time inside the run",
          magic == 0xa1b23c4d and ts and all(len(t.split(".")[1]) == 9 for t in out)
          and t0 <= min(ts) and max(ts) <= t1,
          "magic %#x, %d packets, run %.3f..%.3f, first %s last %s"
          % (magic, len(ts), t0, t1, out[:1], out[-1:]))


@test
def veth_offloads():
    """Over veth the sender's egress and the receiver's ingress are both
    seen. TCP hands the device GSO skbs whatever the offloads say; with
    TSO/GSO/GRO off they are cut after tc egress and arrive one segment
    each; with them on they cross whole, of gso_size MSS."""
    if not need_root("wire: veth"):
        return
    for offl in ("off", "on"):
        rc, doc, err = run_json(["run", "--netns", "--tso", offl, "--gso", offl, "--gro", offl,
                                 "-w", "2", "-n", "128", "--wire"])
        w = wire_of(doc)
        name = "wire veth offloads %s: exit 0, every check equal" % offl
        if not check(name, rc == 0 and w is not None and all_equal(doc),
                     err + str(doc and doc.get("path")) + str(w)):
            continue
        sent, got = w["tx"]["s2c"], w["rx"]["s2c"]
        if offl == "off":
            check("wire veth off: GSO skbs sent, one segment per packet arrived",
                  sent["gso_packets"] > 0 and got["gso_packets"] == 0
                  and got["packets"] == got["segs"] == sent["segs"], str(sent) + str(got))
        else:
            mss = sent["gso_size_sum"] / max(sent["gso_packets"], 1)
            check("wire veth on: GSO packets of about one MSS (%.0f B)" % mss,
                  sent["gso_packets"] > 0 and 1400 <= mss <= 1448, str(sent))
        check("wire veth %s: what left the sender arrived" % offl,
              all(w["tx"][d]["bytes"] == w["rx"][d]["bytes"] for d in ("c2s", "s2c")))


@test
def pcap_on_veth_is_the_client_view():
    name = "wire veth: pcap holds the client interface's packets"
    if not need_root(name) or not have_tshark(name):
        return
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "v.pcap")
    rc, doc, err = run_json(["run", "--netns", "-w", "1", "-n", "64", "--wire", "--pcap", path,
                             "--snaplen", "96"])
    w = wire_of(doc)
    if check(name + ": run ok", rc == 0 and w is not None, err):
        n = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "frame.cap_len"],
                           capture_output=True, text=True, timeout=60).stdout.split()
        want = w["tx"]["c2s"]["packets"] + w["rx"]["s2c"]["packets"]
        check(name, len(n) == want == w["pcap"]["packets"]
              and max(int(x) for x in n) <= 96, "%d vs %d" % (len(n), want))
    shutil.rmtree(tmp, ignore_errors=True)


@test
def server_end_embedded_sink():
    """The embedded sink is traced like a worker: its kernel calls move the
    same bytes the client's did, and its sockets' data segments (counted
    from zero: it accepts them all while traced) match the wire's."""
    if not need_root("server end"):
        return
    for extra in ([], ["--netns"]):
        rc, doc, err = run_json(["run", "-w", "2", "-n", "128", "--wire"] + extra)
        name = "server end %s: sink's kernel == client's, segments == wire" % (
            "veth" if extra else "lo")
        if not check(name + ": run ok", rc == 0 and doc and "server" in doc, err):
            continue
        k, c = doc["server"]["kernel"], doc["path"]["checks"]
        check(name, k["recv"]["bytes"] == doc["sink"]["bytes_in"]
              and k["send"]["bytes"] == doc["sink"]["bytes_out"]
              and c[2].get("server_kernel") == c[2]["wire_sent"]
              and c[3].get("server_kernel") == c[3]["wire_sent"], str(c))


@test
def server_end_external():
    """A standalone sink as an external local server, traced by pid and by
    name: the server column appears, and agrees with the client's."""
    if not need_root("server end external"):
        return
    # A copy of reqperf under its own name, so --server-comm finds it alone.
    tmp = tempfile.mkdtemp()
    shutil.copy(BIN, os.path.join(tmp, "rp-extsink"))
    sink = Sink(binary=os.path.join(tmp, "rp-extsink"))
    try:
        for how in (["--server-pid", str(sink.proc.pid)], ["--server-comm", "rp-extsink"]):
            rc, doc, err = run_json(["run", "-t", sink.target, "-w", "1", "-n", "64"] + how)
            name = "server end %s: traced, bytes agree" % how[0]
            ok = rc == 0 and doc and doc.get("server", {}).get("kernel")
            check(name, ok and doc["server"]["kernel"]["recv"]["bytes"]
                  == doc["totals"]["user"]["send"]["bytes"]
                  and all(c["equal"] for c in doc["path"]["checks"]), err)
        rc, out, err, _ = run(["run", "-t", sink.target, "--server-comm", "nosuchproc-xyz",
                               "-w", "1", "-n", "1"], timeout=30)
        check("server end: --server-comm matching nothing: exit 1, one line",
              rc == 1 and err.strip().splitlines()[-1:] == ["reqperf: --server-comm nosuchproc-xyz: no process "
              "has that name"], err)
        rc, out, err, _ = run(["run", "-t", sink.target, "--server-pid", "4194303",
                               "-w", "1", "-n", "1"], timeout=30)
        check("server end: --server-pid of no process: exit 1, one line",
              rc == 1 and "--server-pid 4194303: no such process" in err, err)
    finally:
        sink.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@test
def timeline():
    """--timeline: a Chrome trace with one slice per call on each side,
    the server's kernel calls, and one flow per response (send -> recv)."""
    if not need_root("timeline"):
        return
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "t.json")
    rc, doc, err = run_json(["run", "-w", "2", "-n", "50", "--mode", "pingpong",
                             "--timeline", path])
    if not check("timeline: run ok", rc == 0 and doc is not None, err):
        return
    import json
    ev = json.load(open(path))["traceEvents"]
    for w in doc["workers"]:
        i = w["id"]
        calls = w["user"]["send"]["calls"] + w["user"]["recv"]["calls"]
        user = [e for e in ev if e["ph"] == "X" and e["pid"] == i and e["tid"] == 0]
        kern = [e for e in ev if e["ph"] == "X" and e["pid"] == i and e["tid"] == 1]
        starts = [e for e in ev if e["ph"] == "s" and e["pid"] == i]
        ends = [e for e in ev if e["ph"] == "f" and e["pid"] == i]
        check("timeline worker %d: a user and a kernel slice per call, a flow per response"
              % i, len(user) == len(kern) == calls
              and len(starts) == len(ends) == w["responses"],
              "%d %d %d %d %d" % (len(user), len(kern), calls, len(starts), len(ends)))
    server = [e for e in ev if e["ph"] == "X" and e["pid"] == 100000]
    k = doc["server"]["kernel"]
    check("timeline: the server's kernel calls", len(server) ==
          k["send"]["calls"] + k["recv"]["calls"], "%d" % len(server))
    ids_s = sorted(e["id"] for e in ev if e["ph"] == "s")
    ids_f = sorted(e["id"] for e in ev if e["ph"] == "f")
    check("timeline: every response's arrow has both ends, ids unique",
          ids_s == ids_f and len(set(ids_s)) == len(ids_s), "%d %d" % (len(ids_s), len(ids_f)))
    inside = True
    for w in doc["workers"]:
        u = [e for e in ev if e["ph"] == "X" and e["pid"] == w["id"] and e["tid"] == 0]
        k = [e for e in ev if e["ph"] == "X" and e["pid"] == w["id"] and e["tid"] == 1]
        for a, b in zip(u, k):  # the i-th call of each side, joined by events
            inside = inside and a["ts"] <= b["ts"] + 1e-3 and \
                b["ts"] + b["dur"] <= a["ts"] + a["dur"] + 1e-3
    check("timeline: every kernel slice lies inside its user slice", inside)
    shutil.rmtree(tmp, ignore_errors=True)


@test
def bad_input():
    cases = [(["--snaplen", "64"], "--snaplen needs --pcap"),
             (["--pcap", "-"], "--pcap: expected a file name"),
             (["--pcap", "/tmp/x.pcap", "--snaplen", "0"], "--snaplen: expected 1..256"),
             (["--pcap", "/tmp/x.pcap", "--snaplen", "257"], "--snaplen: expected 1..256"),
             (["--wire", "--probe", "off"], "not with --probe off"),
             (["--server-pid", "1"], "name a --target's processes"),
             (["--timeline", "-"], "--timeline: expected a file name"),
             (["--server-pid", "0", "-t", "127.0.0.1:9"], "--server-pid: expected"),
             (["--server-comm", "x" * 16, "-t", "127.0.0.1:9"], "--server-comm: expected")]
    for args, msg in cases:
        rc, out, err, _ = run(["run"] + args, timeout=20)
        check("wire bad input %s: exit 2, one line" % " ".join(args),
              rc == 2 and msg in err, "rc %d: %s" % (rc, err))
    if need_root("wire: unwritable pcap"):
        rc, out, err, _ = run(["run", "-w", "1", "-n", "4", "--pcap",
                               "/nonexistent/dir/x.pcap"], timeout=30)
        check("wire: unwritable --pcap refused before the run, exit 2",
              rc == 2 and "--pcap /nonexistent/dir/x.pcap" in err
              and "responses" not in out, err)


@test
def nothing_stays_attached():
    """tcx links belong to the process: after a normal exit, SIGINT and
    SIGKILL no rp_wire program is left."""
    if not need_root("wire: detach"):
        return
    rc, _, err, _ = run(["run", "-w", "1", "-n", "16", "--wire", "-q"], timeout=30)
    gone, progs = rp_progs_gone()
    check("wire: nothing attached after a normal exit", rc == 0 and gone, str(progs))
    for sig in (signal.SIGINT, signal.SIGKILL):
        p = subprocess.Popen([BIN, "run", "-w", "1", "-d", "30", "--wire", "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            progs = subprocess.run(["bpftool", "prog", "show", "name", "rp_wire_egress"],
                                   capture_output=True, text=True, timeout=10).stdout
            if progs.strip():
                break
            time.sleep(0.1)
        time.sleep(0.3)
        if sig == signal.SIGKILL:
            os.killpg(p.pid, signal.SIGKILL)  # the driver and its workers
        else:
            p.send_signal(sig)
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(5)
        gone, progs = rp_progs_gone(10)
        check("wire: nothing attached after %s" % signal.Signals(sig).name, gone, str(progs))


if __name__ == "__main__":
    run_all()
