# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf run against real sinks on loopback: invariants user == kernel ==
sink, integrity, modes, errors. Usage: test_run.py BUILD/reqperf"""
import os
import signal
import socket
import subprocess
import time

from harness import need_root, BIN, Sink, check, rp_progs_gone, run, run_all, run_json, skip, test

ROOT = os.geteuid() == 0


def response_size(target):
    """Bytes of one response, measured with a raw socket."""
    host, port = target.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), 2)
    s.settimeout(2)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = [int(l.split(b":")[1]) for l in head.split(b"\r\n")
              if l.lower().startswith(b"content-length:")][0]
    while len(body) < length:
        body += s.recv(65536)
    s.close()
    return len(head) + 4 + length


def check_invariants(name, doc, n_req, resp_size, sink_doc=None):
    """The DESIGN.md invariants on one JSON report."""
    ws = doc["workers"]
    kernel = doc["backend"] != "off"
    for w in ws:
        tag = "%s w%d" % (name, w["id"])
        u = w["user"]
        check(tag + ": responses == requests == %d" % n_req,
              w["requests"] == n_req and w["responses"] == n_req,
              "%d/%d" % (w["requests"], w["responses"]))
        check(tag + ": crc ok", w["crc_errors"] == 0)
        check(tag + ": recv bytes == requests x response size",
              u["recv"]["bytes"] == n_req * resp_size,
              "%d != %d" % (u["recv"]["bytes"], n_req * resp_size))
        check(tag + ": extra recv == recv calls - responses",
              w["extra_recv_calls"] == u["recv"]["calls"] - w["responses"])
        check(tag + ": recv arithmetic closes", w["extra_recv"]["closes"], str(w["extra_recv"]))
        if not kernel:
            continue
        k = w["kernel"]
        for d in ("send", "recv"):
            for f in ("calls", "bytes", "eagain"):
                check("%s: %s %s user == kernel" % (tag, d, f), u[d][f] == k[d][f],
                      "user %d kernel %d" % (u[d][f], k[d][f]))
        ti = w["tcp_info"]
        check(tag + ": data segs out == TCP_INFO",
              k["send"]["data_segs"] == ti["data_segs_out"],
              "kernel %d tcp_info %d" % (k["send"]["data_segs"], ti["data_segs_out"]))
        check(tag + ": data segs in == TCP_INFO",
              k["recv"]["data_segs"] == ti["data_segs_in"],
              "kernel %d tcp_info %d" % (k["recv"]["data_segs"], ti["data_segs_in"]))
        # One connection: the kernel's values at the last call's return and
        # the worker's TCP_INFO at close see the same last ACK.
        if doc["config"].get("connections", 1) == 1:
            kt = w["ktcp"]
            check(tag + ": cwnd, srtt at the last call == TCP_INFO at close",
                  kt["snd_cwnd"] == ti["snd_cwnd"] and kt["srtt_us"] == ti["rtt_us"]
                  and kt["snd_cwnd"] > 0 and kt["srtt_us"] > 0,
                  "kernel %d/%d us, tcp_info %d/%d us" % (
                      kt["snd_cwnd"], kt["srtt_us"], ti["snd_cwnd"], ti["rtt_us"]))
        if doc["features"].get("skb_copy"):
            data_recvs = u["recv"]["calls"] - u["recv"]["eagain"]
            check(tag + ": skbs drained >= successful recvs",
                  k["recv"]["skbs"] >= data_recvs,
                  "%d < %d" % (k["recv"]["skbs"], data_recvs))
    if kernel:
        check(name + ": nothing lost in the kernel (drops all 0)",
              not any(doc["drops"].values()), str(doc["drops"]))
    sink = sink_doc or doc.get("sink")
    if sink is not None:
        t_req = sum(w["requests"] for w in ws)
        got = sink["echo_messages"] if doc["config"].get("echo_size") else sink["requests"]
        check(name + ": sink requests == driver requests", got == t_req,
              "%d != %d" % (got, t_req))
        check(name + ": sink bytes in == user send bytes",
              sink["bytes_in"] == sum(w["user"]["send"]["bytes"] for w in ws))
        check(name + ": sink bytes out == user recv bytes",
              sink["bytes_out"] == sum(w["user"]["recv"]["bytes"] for w in ws))


def embedded_size():
    s = Sink()
    try:
        return response_size(s.target)
    finally:
        s.stop()


SIZE = None


@test
def burst():
    rc, doc, err = run_json(["run", "--workers", "2", "--requests", "512"])
    check("burst: exit 0", rc == 0, err)
    check("burst: backend tracepoint (root)" if ROOT else "burst: backend off",
          doc["backend"] == ("tracepoint" if ROOT else "off"), doc["backend"])
    check_invariants("burst", doc, 512, SIZE)


@test
def workers_1024():
    """The largest slot count: maps sized by workers x CPUs load, and
    every worker's kernel calls and bytes equal its user ones."""
    if not need_root("workers_1024"):
        return
    if "/san/" in BIN:
        # 1024 ASan processes on 2 CPUs stall past any sane idle timeout.
        skip("1024 workers", "too slow under the sanitizers; run in the plain pass")
        return
    rc, doc, err = run_json(["run", "--workers", "1024", "--requests", "4", "--idle-timeout", "30",
                             "--response-timeout", "30",
                             "--sched", "other"], timeout=120)
    check("1024 workers: exit 0", rc == 0, "rc=%d %s %s" % (rc, err, doc and [
        (w["id"], w["error"]) for w in doc["workers"] if w["error"]][:4]))
    ws = doc["workers"] if doc else []
    check("1024 workers: 1024 reports", len(ws) == 1024, str(len(ws)))
    bad = [w["id"] for w in ws if any(
        w["user"][d][f] != w["kernel"][d][f]
        for d in ("send", "recv") for f in ("calls", "bytes"))]
    check("1024 workers: kernel calls/bytes == user for every worker", not bad,
          str(bad[:8]))
    check("1024 workers: no kernel drops",
          doc and not any(doc["drops"].values()), str(doc and doc["drops"]))


@test
def pingpong():
    rc, doc, err = run_json(["run", "--workers", "2", "--requests", "512",
                             "--mode", "pingpong"])
    check("pingpong: exit 0", rc == 0, err)
    check_invariants("pingpong", doc, 512, SIZE)
    check_segments("pingpong", doc)


@test
def multi_response():
    """recv(65536) completes many 3 KiB responses per call: recv calls -
    responses goes negative, and the arithmetic still closes (issue 22)."""
    rc, doc, err = run_json(["run", "-w", "1", "-n", "512", "-r", "65536"])
    check("recv 65536: exit 0", rc == 0, err)
    check_invariants("recv 65536", doc, 512, SIZE)
    w = doc["workers"][0]
    x = w["extra_recv"]
    parts = x["full_buffer"] + x["short"] + x["eagain"] + x["failed"]
    check("recv 65536: multi-response calls", x["multi_response_calls"] > 0, str(x))
    check("recv 65536: recv calls - responses is negative",
          x["total"] == w["extra_recv_calls"] == x["recv_calls"] - x["responses"] < 0, str(x))
    check("recv 65536: extra = full-buffer + short + eagain + failed - surplus",
          x["closes"] and x["total"] == parts - x["surplus_responses"], str(x))
    check("recv 65536: surplus = responses - completing calls",
          x["surplus_responses"] == x["responses"] - x["completing"]
          >= x["multi_response_calls"], str(x))


@test
def pipeline_conns():
    rc, doc, err = run_json(["run", "-w", "2", "-n", "300", "--mode", "pipeline:8",
                             "--connections", "3", "--recv-size", "700", "--nodelay"])
    check("pipeline:8 x3 conns: exit 0", rc == 0, err)
    check_invariants("pipeline", doc, 300, SIZE)


@test
def external_target():
    sink = Sink()
    try:
        rc, doc, err = run_json(["run", "-w", "2", "-n", "200", "--target", sink.target,
                                 "--affinity", "off", "--sched", "other"])
    finally:
        sink.stop()
    check("external target: exit 0", rc == 0, err)
    check("external target: no sink section", "sink" not in doc)
    check_invariants("external", doc, 200, SIZE)
    check("affinity off: cpu -1", all(w["cpu"] == -1 for w in doc["workers"]))
    check("sched other read back", all(w["sched"] == "SCHED_OTHER" for w in doc["workers"]))


@test
def echo():
    rc, doc, err = run_json(["run", "-w", "2", "-n", "256", "--echo", "1536"])
    check("echo: exit 0", rc == 0, err)
    check_invariants("echo", doc, 256, 1536)
    s = doc["sink"]
    check("echo: sink saw every message intact",
          s.get("echo_messages") == 512 and s.get("echo_corrupt") == 0, str(s))
    check_segments("echo", doc)


def check_segments(tag, doc):
    """Segments per message: both ends' TCP_INFO agree, the minimum is
    ceil(bytes per message / the sender's MSS), and the sink's split
    writes bound the extra segments coming in (issue 22)."""
    seg, s, ws = doc["segments"], doc["sink"], doc["workers"]
    out = sum(w["tcp_info"]["data_segs_out"] for w in ws)
    inn = sum(w["tcp_info"]["data_segs_in"] for w in ws)
    check(tag + ": sink's tcp_info segments in == workers' out",
          s["tcp_info"]["data_segs_in"] == out == seg["out"]["data_segs"],
          "%s %d" % (s["tcp_info"], out))
    check(tag + ": sink's tcp_info segments out == workers' in",
          s["tcp_info"]["data_segs_out"] == inn == seg["in"]["data_segs"],
          "%s %d" % (s["tcp_info"], inn))
    i = seg["in"]
    per = -(-(-(-i["bytes"] // i["messages"])) // i["mss"])
    check(tag + ": in: minimum = messages x ceil(bytes per message / sink's mss)",
          i["mss"] == s["tcp_info"]["snd_mss"] and i["min_per_message"] == per and
          i["min"] == per * i["messages"] and i["beyond_min"] == i["data_segs"] - i["min"], str(i))
    check(tag + ": split writes <= sink writes",
          s["split_writes"] <= s["send_calls"], str(s))
    check(tag + ": the answer is printed", seg["why"].startswith("in: "), seg["why"])
    check_holds(tag, doc)


def check_holds(tag, doc):
    """What held each send at its return (issue 22): the classes cover every
    timed send that wrote bytes, and agree with the sender's TCP_INFO."""
    if doc["backend"] == "off":
        return
    nodelay = doc["config"].get("nodelay")
    for w in doc["workers"]:
        k, ti = w["kernel"]["send"], w["tcp_info"]
        h, wt = k["held"], "%s w%d" % (tag, w["id"])
        timed = k["calls"] - k["eagain"] - k["errors"] - k["untimed"]
        check(wt + ": held classes sum to the timed sends with bytes",
              sum(h.values()) == timed, "%s vs %d" % (h, timed))
        # A send that left nothing unsent put its last byte in a segment
        # no other such send shares.
        check(wt + ": sends that left nothing unsent <= TCP_INFO data segments out",
              h["none"] <= ti["data_segs_out"], "%d > %d" % (h["none"], ti["data_segs_out"]))
        check(wt + ": no cork hold (no TCP_CORK, no MSG_MORE)", h["cork"] == 0, str(h))
        if nodelay:
            check(wt + ": TCP_NODELAY: no Nagle hold", h["nagle"] == 0, str(h))
        if h["rwnd"]:
            check(wt + ": rwnd holds and TCP_INFO's rwnd-limited time agree",
                  ti["rwnd_limited_us"] > 0, "%s %s" % (h, ti))
    held = doc["segments"]["held_out"]
    check(tag + ": segments.held_out is the workers' sum",
          held == {c: sum(w["kernel"]["send"]["held"][c] for w in doc["workers"])
                   for c in held}, str(held))


@test
def send_holds():
    """The seed's burst with Nagle on and off: what held the requests."""
    for nd in ([], ["--nodelay"]):
        tag = "burst holds" + (" nodelay" if nd else " nagle")
        rc, doc, err = run_json(["run", "-w", "2", "-n", "512"] + nd)
        check(tag + ": exit 0", rc == 0, err)
        if not doc or doc["backend"] == "off":
            skip(tag, "no kernel view")
            continue
        check_holds(tag, doc)
        held = doc["segments"]["held_out"]
        print("# %s: held_out %s, data segs out %d for 1024 requests" % (
            tag, held, doc["segments"]["out"]["data_segs"]))
        if not nd:
            check(tag + ": Nagle held requests (the seed's 'ten packets more')",
                  held["nagle"] > 0 and "nagle" in doc["segments"]["why"], str(held))


@test
def duration():
    rc, doc, err = run_json(["run", "-w", "2", "--duration", "1", "--mode", "pingpong"])
    check("duration 1 s: exit 0", rc == 0, err)
    t = doc["totals"]
    check("duration: ran about 1 s", 0.9 <= t["elapsed_s"] <= 3.0, str(t["elapsed_s"]))
    check("duration: every request answered", t["requests"] == t["responses"] > 0)


@test
def unreachable():
    rc, out, err, secs = run(["run", "-w", "1", "--target", "127.0.0.1:1"], timeout=30)
    check("unreachable: exit 1", rc == 1, "rc=%d" % rc)
    check("unreachable: one clear line", "cannot connect to 127.0.0.1:1" in err, err)
    check("unreachable: bounded", secs < 10, str(secs))


@test
def sink_killed():
    sink = Sink()
    marker = "/killed-%d" % os.getpid()
    p = subprocess.Popen([BIN, "run",
                          "-w", "2", "--duration", "8", "--mode", "pingpong",
                          "--target", sink.target, "--path", marker],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    sink.proc.kill()
    sink.proc.wait(5)
    try:
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        check("sink killed: driver ends in time", False)
        return
    check("sink killed: exit non-zero", p.returncode != 0, str(p.returncode))
    check("sink killed: partial report", "PARTIAL" in out.upper(), out[-500:])
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout
    check("sink killed: no worker left", left.strip() == "", left)


@test
def bad_flags():
    cases = [["--workers", "0"], ["--workers", "x"], ["--requests", "-1"],
             ["--mode", "zigzag"], ["--mode", "pipeline:0"], ["--recv-size", "0"],
             ["--affinity", "maybe"], ["--cpus", "1-0"], ["--sched", "idle"],
             ["--probe", "magic"], ["--target", "nohost"], ["--target", "1.2.3.4:99999"],
             ["--duration", "0"], ["--trim-sigma", "abc"], ["--bogus"], ["extra"]]
    for c in cases:
        rc, out, err, _ = run(["run"] + c, timeout=10)
        first = err.strip().splitlines()[0] if err.strip() else ""
        check("bad flag %s: exit 2 with an error" % " ".join(c),
              rc == 2 and first.startswith("reqperf run:"), "rc=%d err=%r" % (rc, err))


@test
def csv_output():
    rc, out, err, _ = run(["run", "-w", "2", "-n", "64", "--csv", "-", "--quiet"])
    rows = [l for l in out.splitlines() if l]
    check("csv: header + one row per worker", rc == 0 and len(rows) == 3, out)
    check("csv: same column count", len({len(r.split(",")) for r in rows}) == 1)


@test
def csv_append():
    """--csv-append builds one sweep table: header once, a run id and the
    setting on every row; a file with other columns is left alone."""
    import csv
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "sweep.csv")
        for r in ("1024", "65536"):
            rc, out, err, _ = run(["run", "-w", "2", "-n", "64", "-r", r, "--quiet",
                                   "--csv-append", f])
            check("csv-append -r %s: exit 0" % r, rc == 0, err)
        rows = list(csv.DictReader(open(f)))
        check("csv-append: one header, two rows per run", len(rows) == 4 and
              open(f).read().count("run_id") == 1, str(len(rows)))
        check("csv-append: the setting on every row",
              [r["recv_size"] for r in rows] == ["1024", "1024", "65536", "65536"] and
              all(r["mode"] == "burst" and r["nodelay"] == "off" for r in rows))
        ids = [r["run_id"] for r in rows]
        check("csv-append: one run id per run", ids[0] == ids[1] != ids[2] == ids[3], str(ids))
        check("csv-append: per-response ratios",
              all(abs(float(r["per_response_recv_calls"]) -
                      int(r["user_recv_calls"]) / int(r["responses"])) < 1e-6 for r in rows))
        other = os.path.join(d, "other.csv")
        open(other, "w").write("a,b\n1,2\n")
        rc, out, err, _ = run(["run", "-w", "1", "-n", "8", "--quiet", "--csv-append", other])
        check("csv-append: other columns: exit 1, one line, file untouched",
              rc == 1 and "other columns" in err and len(err.strip().splitlines()) == 1 and
              open(other).read() == "a,b\n1,2\n", "%d %r" % (rc, err))


@test
def text_report():
    rc, out, err, _ = run(["run", "-w", "2", "-n", "128", "--hist"])
    check("text: exit 0", rc == 0, err)
    check("text: lines under 80 columns", all(len(l) < 80 for l in out.splitlines()),
          max(out.splitlines(), key=len))
    check("text: seed's totals line", "in total:" in out, out[-400:])


@test
def kernel_backends():
    if not need_root("kernel_backends"):
        return
    for probe in ("fentry", "kprobe"):
        rc, out, err, _ = run(["run", "-w", "1", "-n", "8", "--probe", probe], timeout=30)
        check("--probe %s fails here with a clear error" % probe,
              rc == 1 and ("--probe %s" % probe) in err, "rc=%d %s" % (rc, err))
    rc, doc, err = run_json(["run", "-w", "1", "-n", "8", "--probe", "auto"])
    check("--probe auto picks tracepoint", doc and doc["backend"] == "tracepoint", err)
    gone, progs = rp_progs_gone()
    check("no BPF program left after runs", gone, str(progs))


@test
def trace_sink():
    """reqperf trace --pid on a standalone sink sees the bytes the driver's
    workers sent and received, from the other end of the connections."""
    if not need_root("trace_sink"):
        return
    sink = Sink()
    try:
        tr = subprocess.Popen([BIN, "trace", "--pid", str(sink.proc.pid), "-d", "3"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        rc, doc, err = run_json(["run", "-w", "2", "-n", "100", "--target", sink.target,
                                 "--probe", "off"])
        out, terr = tr.communicate(timeout=20)
    finally:
        sink.stop()
    check("trace: driver exit 0", rc == 0, err)
    rows = {l.split()[0]: l.split() for l in out.splitlines()
            if l.split() and l.split()[0] in ("send", "recv")}
    sent = sum(w["user"]["send"]["bytes"] for w in doc["workers"])
    got = sum(w["user"]["recv"]["bytes"] for w in doc["workers"])
    check("trace: sink's kernel recv bytes == workers' send bytes",
          "recv" in rows and int(rows["recv"][2]) == sent, "%s vs %d" % (rows, sent))
    check("trace: sink's kernel send bytes == workers' recv bytes",
          "send" in rows and int(rows["send"][2]) == got, "%s vs %d" % (rows, got))


@test
def sigint():
    if not need_root("sigint"):
        return
    p = subprocess.Popen([BIN, "run", "-w", "2", "--duration", "10",
                          "--mode", "pingpong"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        check("SIGINT: driver ends in time", False)
        return
    check("SIGINT: partial report, exit 1", p.returncode == 1 and "PARTIAL" in out.upper(),
          "rc=%d %s" % (p.returncode, err))
    gone, progs = rp_progs_gone()
    check("SIGINT: no BPF program left", gone, str(progs))


@test
def non_root():
    if not need_root("non_root"):
        return
    rc, out, err, _ = run(["run", "-w", "2", "-n", "64"], timeout=60,
                          preexec=lambda: (os.setgroups([]), os.setgid(65534),
                                           os.setuid(65534)))
    check("non-root auto: exit 0", rc == 0, err)
    check("non-root auto: warning, user-only report",
          "warning" in err and "no kernel view" in err, err)
    rc, out, err, _ = run(["run", "-w", "1", "-n", "8", "--probe", "tracepoint"],
                          timeout=60, preexec=lambda: (os.setgroups([]),
                                                       os.setgid(65534), os.setuid(65534)))
    check("non-root explicit backend: exit 1", rc == 1, "rc=%d %s" % (rc, err))


if __name__ == "__main__":
    SIZE = embedded_size()
    run_all()
