# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Fault injection on loopback: the sink killed mid-run, servers that
misbehave, slow and flooding clients against the sink, the driver stopped
by signals at random points. After each: no crash, no hang, no process
and no BPF program of the run left. Every wait is bounded.
Usage: test_faults.py BUILD/reqperf"""
import json
import os
import random
import signal
import socket
import subprocess
import tempfile
import threading
import time

from fake_server import FakeServer
from harness import need_root, BIN, Sink, check, free_port, run, run_all, summary_items, test

ROOT = os.geteuid() == 0


def proc_pids():
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def read_proc(pid, name):
    try:
        with open("/proc/%d/%s" % (pid, name), "rb") as f:
            return f.read()
    except OSError:
        return b""


def alive(pid):
    """Running (a zombie, exited but not reaped, is not)."""
    stat = read_proc(pid, "stat")
    return bool(stat) and stat.rsplit(b")", 1)[1].split()[0] != b"Z"


def marked(marker):
    """Live processes whose command line holds marker (forks share it)."""
    m = marker.encode()
    return [p for p in proc_pids() if p != os.getpid() and alive(p)
            and m in read_proc(p, "cmdline")]


def children(pid):
    out = []
    for tid in os.listdir("/proc/%d/task" % pid) if alive(pid) else []:
        out += [int(c) for c in read_proc(pid, "task/%s/children" % tid).split()]
    return out


def threads(pid):
    for line in read_proc(pid, "status").splitlines():
        if line.startswith(b"Threads:"):
            return int(line.split()[1])
    return 0


def procs_gone(marker, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        left = marked(marker)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def bpftool(what):
    try:
        out = subprocess.run(["bpftool", "-j", what, "show"], capture_output=True,
                             text=True, timeout=20).stdout
        return json.loads(out or "[]")
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def bpf_holders():
    """prog id -> pids holding it, through a program or a link fd."""
    held = {}
    for pid in proc_pids():
        try:
            fds = os.listdir("/proc/%d/fdinfo" % pid)
        except OSError:
            continue
        for fd in fds:
            for line in read_proc(pid, "fdinfo/" + fd).splitlines():
                if line.startswith(b"prog_id:"):
                    held.setdefault(int(line.split()[1]), set()).add(pid)
    return held


def rp_leftovers(marker, timeout=5.0):
    """rp_* programs and their links still loaded, less those held only by
    other engineers' concurrent runs (processes without our marker). The
    kernel frees a program from deferred work after its last fd closes:
    poll, bounded. Returns [] when clean, None without bpftool."""
    deadline = time.monotonic() + timeout
    while True:
        progs, links = bpftool("prog"), bpftool("link")
        if progs is None or links is None:
            return None
        rp = {p["id"]: p.get("name", "") for p in progs if p.get("name", "").startswith("rp_")}
        left = []
        if rp:
            held, ours = bpf_holders(), set(marked(marker))
            foreign = {i for i in rp if held.get(i) and not held[i] & ours}
            left = ["prog %d %s" % (i, n) for i, n in rp.items() if i not in foreign]
            left += ["link %d -> prog %d" % (l["id"], l["prog_id"]) for l in links
                     if l.get("prog_id") in rp and l["prog_id"] not in foreign]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def check_clean(name, marker):
    left = procs_gone(marker)
    check(name + ": no worker or sink process left", not left, str(left))
    if ROOT:
        bpf = rp_leftovers(marker)
        check(name + ": no rp_ BPF program or link left", bpf == [], str(bpf))


def wait_children(pid, n, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = [k for k in children(pid) if alive(k)]
        if len(kids) >= n:
            return kids
        time.sleep(0.02)
    return []


@test
def sink_killed():
    """SIGKILL to the sink mid-run, embedded (a child of the driver) and
    standalone: a partial report with each worker's error, exit 1."""
    for where in ("embedded", "standalone"):
        name = "sink SIGKILLed mid-run (%s)" % where
        marker = "X-Fault: sink-%s-%d" % (where, os.getpid())
        sink = Sink() if where == "standalone" else None
        args = [BIN, "run", "-w", "2", "--duration", "8", "--mode", "pingpong",
                "--header", marker]
        if sink:
            args += ["--target", sink.target]
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        kids = wait_children(p.pid, 2 if sink else 3)
        time.sleep(0.5)
        victim = sink.proc.pid if sink else [k for k in kids if threads(k) > 1]
        check(name + ": found the sink", sink or len(victim) == 1, str(kids))
        os.kill(victim if sink else victim[0], signal.SIGKILL)
        try:
            out, err = p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            check(name + ": driver ends within 20 s", False)
            continue
        finally:
            if sink:
                sink.stop()
        errs = [l for l in out.splitlines() if l.startswith("worker ") and ": " in l
                and "cpu" not in l]
        check(name + ": exit 1, partial report", p.returncode == 1 and "PARTIAL" in out,
              "rc=%d %s" % (p.returncode, err[-300:]))
        check(name + ": both workers report an error", len(errs) == 2, out[-800:])
        check_clean(name, marker)


# mode -> what each worker must report, in pingpong and in burst mode
# (a burst's unread requests turn the server's close into a reset)
BAD_SERVERS = {
    "garbage": ("malformed response: bad status line",) * 2,
    "close_mid": ("connection closed by the server",
                  ("connection closed by the server", "Connection reset by peer")),
    "short_len": ("malformed response",) * 2,
    "long_len": ("stalled: nothing received", "malformed response"),
    "reset": ("Connection reset by peer",) * 2,
    "bad_chunk": ("malformed response: bad chunk size",) * 2,
}


@test
def bad_servers():
    """Garbage, a close mid-response, a wrong Content-Length (short: the
    rest is garbage; long: the body never ends), a reset (SO_LINGER 0),
    broken chunking: each worker reports it, exit 1, bounded."""
    for mode, wants in sorted(BAD_SERVERS.items()):
        for run_mode, want in zip(("pingpong", "burst"), wants):
            name = "%s server, %s" % (mode, run_mode)
            with FakeServer(mode) as s, tempfile.NamedTemporaryFile(suffix=".json") as f:
                rc, out, err, secs = run(["run", "-w", "2", "-n", "64", "--mode", run_mode,
                                          "--target", s.target, "--idle-timeout", "1",
                                          "--json", f.name], timeout=30)
                try:
                    doc = json.load(open(f.name))
                except ValueError:
                    doc = {"workers": []}
            errors = [w.get("error") or "" for w in doc["workers"]]
            want = (want,) if isinstance(want, str) else want
            check(name + ": exit 1, partial report", rc == 1 and "PARTIAL" in out,
                  "rc=%d %s" % (rc, err[-300:]))
            check(name + ": each worker reports '%s'" % "' or '".join(want),
                  len(errors) == 2 and all(any(x in e for x in want) for e in errors),
                  str(errors))


class Client:
    """One keep-alive HTTP connection to the sink."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=3)
        self.s.settimeout(3)
        self.buf = b""

    def get(self):
        self.s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        while b"\r\n\r\n" not in self.buf:
            data = self.s.recv(65536)
            if not data:
                return 0
            self.buf += data
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        length = [int(l.split(b":")[1]) for l in head.split(b"\r\n")
                  if l.lower().startswith(b"content-length:")][0]
        while len(self.buf) < length:
            data = self.s.recv(65536)
            if not data:
                return 0
            self.buf += data
        self.buf = self.buf[length:]
        return int(head.split(b" ")[1])


def slowloris(port, result, limit=8.0):
    """One header byte per 100 ms, never the blank line, until the sink
    closes the connection; records how many bytes went out by then."""
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    s.settimeout(0.1)
    data = b"GET / HTTP/1.1\r\nX-Slow: " + b"a" * 1000
    result["sent"], result["closed"] = 0, False
    for i in range(int(limit * 10)):
        try:
            s.send(data[i:i + 1])
            result["sent"] += 1
            if s.recv(1) == b"":
                result["closed"] = True
                break
        except socket.timeout:
            continue
        except OSError:
            result["closed"] = True
            break
    s.close()


def fd_count(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return -1


def rss_kb(pid):
    for line in read_proc(pid, "status").splitlines():
        if line.startswith(b"VmRSS:"):
            return int(line.split()[1])
    return -1


def wait_fds(pid, want, timeout=5.0, busy=None):
    """Polls until pid has want fds; busy() keeps a client from idling."""
    deadline = time.monotonic() + timeout
    while fd_count(pid) != want and time.monotonic() < deadline:
        if busy:
            busy()
        time.sleep(0.05)
    return fd_count(pid)


def sink_summary(out):
    """(connections, rejected, timed out) from the sink's summary, by key."""
    d = summary_items(out)
    if not all(k in d for k in ("connections", "rejected", "timeouts")):
        return None
    return d["connections"], d["rejected"], d["timeouts"]


@test
def sink_abusers():
    """A slow client (one header byte per 100 ms) and a flood of idle
    connections beyond --max-conns: the sink keeps answering a client that
    was there first, rejects the excess, sheds every abuser after
    --request-timeout, and gives back their fds and memory."""
    port, flood_n, limit = free_port(), 100, 20
    sink = subprocess.Popen([BIN, "sink", "--listen", "127.0.0.1:%d" % port, "--max-conns",
                             str(limit), "--request-timeout", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    flood, slow, statuses = [], {}, []
    try:
        for _ in range(100):
            try:
                good = Client(port)
                break
            except OSError:
                time.sleep(0.05)
        statuses.append(good.get())
        base_fds, base_rss = fd_count(sink.pid), rss_kb(sink.pid)
        t = threading.Thread(target=slowloris, args=(port, slow), daemon=True)
        t.start()
        # the slow client is in before the flood fills the rest
        wait_fds(sink.pid, base_fds + 1)
        for _ in range(flood_n):
            flood.append(socket.create_connection(("127.0.0.1", port), timeout=3))
        in_fds = wait_fds(sink.pid, base_fds + limit - 1)
        peak_rss = rss_kb(sink.pid)
        check("sink abuse: the sink holds %d connections, its limit" % limit,
              in_fds == base_fds + limit - 1, "%d fds, %d before" % (in_fds, base_fds))
        for _ in range(20):  # 2 s: across the abusers' timeout
            statuses.append(good.get())
            time.sleep(0.1)
        t.join(10)
        fds = wait_fds(sink.pid, base_fds, busy=lambda: statuses.append(good.get()))
        check("sink abuse: the first client got 200 every time, %d requests" % len(statuses),
              statuses == [200] * len(statuses), str(statuses))
        check("sink abuse: the slow client was shed, not refused (%d bytes sent)"
              % slow.get("sent", 0), slow.get("closed") and slow["sent"] >= 5, str(slow))
        check("sink abuse: the abusers' fds were released", fds == base_fds,
              "%d fds, %d before" % (fds, base_fds))
        late = Client(port)
        check("sink abuse: a new client is served after the flood", late.get() == 200)
        late.s.close()
        check("sink abuse: memory stayed bounded (RSS %d -> %d kB)" % (base_rss, peak_rss),
              peak_rss - base_rss < 32 * 1024)
    finally:
        for s in flood:
            s.close()
        sink.send_signal(signal.SIGTERM)
        try:
            out, err = sink.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            sink.kill()
            out, err = sink.communicate()
    got = sink_summary(out)
    check("sink abuse: sink exits 0 on SIGTERM", sink.returncode == 0, err)
    if not got:
        check("sink abuse: summary line", False, out)
        return
    conns, rejected, timed_out = got
    # in: the first client, the slow one, the flood up to the limit, the late one
    check("sink abuse: %d connections, %d over the limit rejected" % (conns, rejected),
          conns == limit + 1 and rejected == flood_n - (limit - 2), out)
    check("sink abuse: every accepted abuser timed out (%d)" % timed_out,
          timed_out == limit - 1, out)


@test
def ring_pressure():
    """The smallest events ring buffer against a burst it cannot hold:
    records the kernel could not queue are counted per worker, the report
    says so, and nothing goes missing silently."""
    if not need_root("ring_pressure"):
        return
    if "--events-ring" not in run(["run", "--help"])[1]:
        print("# skip - ring pressure: this build has no --events-ring")
        return
    with tempfile.TemporaryDirectory() as tmp:
        ev, js = os.path.join(tmp, "ev.jsonl"), os.path.join(tmp, "run.json")
        rc, out, err, _ = run(["run", "-w", "2", "-n", "4000", "--events", ev,
                               "--events-ring", "65536", "--json", js], timeout=60)
        doc = json.load(open(js))
        with open(ev) as f:
            nlines = sum(1 for x in f if '"side":"server"' not in x)
    check("ring pressure: exit 0 (the counters are whole)", rc == 0, err[-300:])
    total = doc["events"]["total"]
    check("ring pressure: kernel records lost (%d)" % total["kernel_lost"],
          total["kernel_lost"] > 0, str(total))
    for w, e in zip(doc["workers"], doc["events"]["workers"]):
        calls = sum(w["kernel"][d]["calls"] for d in ("send", "recv"))
        check("ring pressure w%d: kernel records + lost == kernel calls (%d)" % (w["id"], calls),
              e["kernel_events"] + e["kernel_lost"] == calls,
              "%d + %d" % (e["kernel_events"], e["kernel_lost"]))
        check("ring pressure w%d: marked incomplete, nothing paired" % w["id"],
              e["kernel_lost"] == 0 or (e["state"] == "incomplete" and e["joined"] == 0),
              e["state"])
    check("ring pressure: every recorded call is a line in the file",
          nlines == total["user_events"] + total["kernel_events"],
          "%d lines, %d + %d records" % (nlines, total["user_events"], total["kernel_events"]))
    check("ring pressure: the text report says records were lost",
          "RECORDS LOST" in out and "lost: user" in out, out[-600:])


def storm_plan(n, seed):
    """(signal, delay, external server): first three stops while the tracer
    loads, when workers must never be let go, then n at random."""
    rng = random.Random(seed)
    sigs = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)
    early = [(signal.SIGTERM, 0.02, True), (signal.SIGINT, 0.06, True),
             (signal.SIGTERM, 0.1, True)]
    return early + [(sigs[i % 3], round(rng.uniform(0.0, 1.0), 3), i % 2 == 1)
                    for i in range(n)]


def storm_one(i, sig, delay, server):
    """One run stopped by sig after delay; returns what went wrong."""
    marker = "X-Fault: storm-%d-%d" % (os.getpid(), i)
    args = [BIN, "run", "-w", "2", "--duration", "4", "--mode", "pingpong",
            "--header", marker]
    if server:
        args += ["--target", server.target]
    before = server.requests if server else 0
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    time.sleep(delay)
    if sig == signal.SIGINT:
        os.killpg(p.pid, sig)  # as Ctrl-C does: the whole group
    else:
        os.kill(p.pid, sig)
    try:
        out, err = p.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return ["did not exit within 15 s"]
    bad = []
    rc = p.returncode
    if sig == signal.SIGKILL:
        if rc != -signal.SIGKILL:
            bad.append("rc %d" % rc)
    elif rc not in (1, -sig):
        bad.append("rc %d: %s" % (rc, err[-300:]))
    elif rc == 1 and "PARTIAL" not in out and "reqperf: interrupted" not in err:
        bad.append("exit 1 without a partial report or 'interrupted'")
    if server and "reqperf: interrupted" in err and server.requests != before:
        bad.append("interrupted before the start, yet %d requests were sent"
                   % (server.requests - before))
    left = procs_gone(marker)
    if left:
        bad.append("processes left: %s" % left)
    bpf = rp_leftovers(marker) if ROOT else []
    if bpf:
        bad.append("BPF left: %s" % bpf)
    return bad


@test
def signal_storm():
    """SIGINT (to the group), SIGTERM and SIGKILL at 24 random points of a
    run, half with the embedded sink, half against an external server that
    counts requests: a run stopped before its start sent none."""
    seed = int(os.environ.get("REQPERF_FAULT_SEED", "0")) or random.randrange(1 << 30)
    print("# signal storm seed %d (REQPERF_FAULT_SEED to repeat)" % seed)
    with FakeServer("ok") as server:
        for i, (sig, delay, external) in enumerate(storm_plan(24, seed)):
            bad = storm_one(i, sig, delay, server if external else None)
            check("%s after %.3f s (%s sink): clean stop" %
                  (signal.Signals(sig).name, delay, "external" if external else "embedded"),
                  not bad, "; ".join(bad))


if __name__ == "__main__":
    run_all()
