# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""`reqperf trace` against real servers: nginx `return 200` (writev), nginx
serving a static file with sendfile, the sink, an aiohttp server writing
headers and body in two writes, and an io_uring server (tests/servers).
Each is traced while `reqperf run --probe off` loads it; the trace must
equal the client's own byte counts both ways, count no return without a
start (the trace attached before the connections opened; io_uring retries
excepted, see docs/kernel-time.md), and agree with an independent count:
bpftrace on the syscalls tracepoints of the same process (bytes and calls),
or the io_uring server's own totals. Servers listen on ephemeral loopback
ports and are always stopped, every wait bounded."""
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "servers"))
import nginx as nginx_conf  # noqa: E402
from harness import (BIN, Sink, check, free_port, need_root, rp_progs_gone,  # noqa: E402
                     run, run_json, run_all, skip, test)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Built by `make integration` / `make test` (liburing-dev); the sanitizer
# tree's reqperf uses the plain build's server.
URING = next((p for p in (os.path.join(os.path.dirname(BIN), "tests", "servers", "uring_server"),
                          os.path.join(ROOT, "build", "tests", "servers", "uring_server"))
              if os.path.exists(p)), "build/tests/servers/uring_server")
N = 200  # requests per server
# Syscalls a server may move socket bytes with, by direction (bpftrace).
SEND_SYS = ("sendto", "sendmsg", "writev", "sendfile64", "pwritev2")
RECV_SYS = ("recvfrom", "recvmsg", "readv", "preadv2")


def wait_until(cond, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return False


def wait_line(proc, stream, word, timeout):
    """Reads stream until a line holds word; False after timeout or EOF."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        if not r:
            break
        line = stream.readline()
        if not line:
            return False
        if word in line:
            return True
    return False


def stop(proc, sig=signal.SIGTERM, timeout=10):
    """Signals proc, waits bounded, kills if needed; returns (out, err)."""
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate(timeout=5)


def read_port(path, proc, timeout=10):
    ok = wait_until(lambda: proc.poll() is not None or
                    (os.path.exists(path) and open(path).read().strip()), timeout)
    if not ok or proc.poll() is not None:
        return None
    return int(open(path).read().strip())


class Trace:
    """`reqperf trace --pid PID --json FILE`, attached, until stop()."""

    def __init__(self, pid, env=None):
        self.json = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
        self.proc = subprocess.Popen([BIN, "trace", "--pid", str(pid), "--json", self.json],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        self.ok = wait_line(self.proc, self.proc.stderr, "attached", 20)

    def stop(self):
        out, err = stop(self.proc, signal.SIGINT, 20)
        try:
            doc = json.load(open(self.json))
        except (OSError, ValueError):
            doc = None
        os.unlink(self.json)
        return self.proc.returncode, doc, out, err


class Bpftrace:
    """bpftrace summing one process's socket syscalls (calls, bytes > 0),
    in a private mount namespace with its own tracefs mount (nothing is
    left mounted). None of reqperf's programs is involved."""

    def __init__(self, pid, recv_sys=RECV_SYS):
        probes = []
        for d, names in (("send", SEND_SYS), ("recv", recv_sys)):
            sel = ",".join("tracepoint:syscalls:sys_exit_%s" % n for n in names)
            probes.append("%s /pid == %d/ { @%s_calls = count(); "
                          "if (args->ret > 0) { @%s_bytes = sum(args->ret); } }"
                          % (sel, pid, d, d))
        prog = " ".join(probes)
        self.proc = subprocess.Popen(
            ["unshare", "-m", "sh", "-c",
             "mount -t tracefs nodev /sys/kernel/tracing && "
             "exec bpftrace -e \"$0\"", prog],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.ok = wait_line(self.proc, self.proc.stdout, "Attaching", 30)
        time.sleep(0.5)  # "Attaching" is printed before the last attach

    def stop(self):
        out, err = stop(self.proc, signal.SIGINT, 20)
        v = {}
        for line in out.splitlines():
            if line.startswith("@") and ":" in line:
                k, n = line[1:].split(":", 1)
                v[k.strip()] = int(n)
        return v, err


def client(target, path="/", n=N):
    rc, doc, err = run_json(["run", "-w", "1", "-n", str(n), "--target", target,
                             "--path", path, "--probe", "off"], timeout=120)
    if not doc:
        return rc, None, err
    w = doc["workers"][0]
    return rc, {"send": w["user"]["send"]["bytes"], "recv": w["user"]["recv"]["bytes"],
                "responses": w["responses"]}, err


def have_bpftrace():
    return shutil.which("bpftrace") and shutil.which("unshare")


def traced(name, pid, target, path="/", independent=True, uring=False, recv_sys=RECV_SYS,
           trace_env=None):
    """Traces pid while the client loads target; checks the invariants.
    recv_sys: the syscalls bpftrace counts as receives. Returns the
    trace's JSON document (or None)."""
    bt = Bpftrace(pid, recv_sys) if independent and have_bpftrace() else None
    if bt and not bt.ok:
        check("%s: bpftrace attached" % name, False, stop(bt.proc)[1][-400:])
        bt = None
    tr = Trace(pid, trace_env)
    if not check("%s: trace attached" % name, tr.ok):
        stop(tr.proc)
        return None
    rc, cl, cerr = client(target, path)
    trc, doc, tout, terr = tr.stop()
    counts, _ = bt.stop() if bt else (None, None)
    check("%s: client exit 0, %d responses" % (name, N),
          rc == 0 and cl and cl["responses"] == N, cerr[-300:])
    check("%s: trace exit 0 with JSON" % name, trc == 0 and doc is not None, terr[-300:])
    if not (cl and doc):
        return None
    k = doc["kernel"]
    print("# %s: trace send %d calls %d B, recv %d calls %d B, untimed %d/%d; "
          "client sent %d B, received %d B; bpftrace %s" %
          (name, k["send"]["calls"], k["send"]["bytes"], k["recv"]["calls"],
           k["recv"]["bytes"], k["send"]["untimed"], k["recv"]["untimed"], cl["send"],
           cl["recv"], counts))
    check("%s: server send bytes == client recv bytes" % name,
          k["send"]["bytes"] == cl["recv"], "%d vs %d" % (k["send"]["bytes"], cl["recv"]))
    check("%s: server recv bytes == client send bytes" % name,
          k["recv"]["bytes"] == cl["send"], "%d vs %d" % (k["recv"]["bytes"], cl["send"]))
    if uring:
        # An io_uring op that found no data is retried after a poll
        # wake-up without a start of its own: each follows an EAGAIN.
        check("%s: untimed returns only for retried ops (<= inline EAGAINs)" % name,
              k["recv"]["untimed"] <= k["recv"]["eagain"] and k["send"]["untimed"] <=
              k["send"]["eagain"], json.dumps(k["recv"])[:300])
    else:
        check("%s: 0 returns without a start" % name,
              k["send"]["untimed"] == 0 and k["recv"]["untimed"] == 0,
              "%d/%d" % (k["send"]["untimed"], k["recv"]["untimed"]))
    check("%s: no drops" % name, not any(doc["drops"].values()), str(doc["drops"]))
    socks = [s for s in doc["sockets"] if s["send"]["bytes"]]
    check("%s: one socket row carries the traffic, both ways" % name,
          len(socks) == 1 and socks[0]["send"]["bytes"] == cl["recv"] and
          socks[0]["recv"]["bytes"] == cl["send"], str(doc["sockets"])[:400])
    if counts is not None:
        check("%s: bpftrace send bytes == trace" % name,
              counts.get("send_bytes", 0) == k["send"]["bytes"], str(counts))
        check("%s: bpftrace recv bytes == trace" % name,
              counts.get("recv_bytes", 0) == k["recv"]["bytes"], str(counts))
        check("%s: bpftrace send/recv calls == trace" % name,
              counts.get("send_calls", 0) == k["send"]["calls"] and
              counts.get("recv_calls", 0) == k["recv"]["calls"], str(counts))
    elif independent:
        skip("%s: bpftrace count" % name, "bpftrace not installed or not attached")
    return doc




def nginx(name, path, sendfile):
    if not nginx_conf.exe():
        skip(name, "nginx not installed")
        return
    with tempfile.TemporaryDirectory() as d:
        port = free_port()
        p = nginx_conf.start(d, port, sendfile, stdout=subprocess.PIPE)
        try:
            import socket
            up = wait_until(lambda: p.poll() is None and _connects(port), 10)
            if not check("%s: nginx started" % name, up, p.stderr.read() if p.poll() else ""):
                return
            traced(name, p.pid, "127.0.0.1:%d" % port, path)
        finally:
            stop(p, signal.SIGQUIT)


def _connects(port):
    import socket
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False


@test
def nginx_writev():
    if need_root("nginx return 200 (writev)"):
        nginx("nginx return 200 (writev)", nginx_conf.RETURN_PATH, False)


@test
def nginx_sendfile():
    if need_root("nginx static file (sendfile)"):
        nginx("nginx static file (sendfile)", nginx_conf.FILE_PATH, True)


@test
def sink():
    """The sink writing with sendmsg (its default), writev and sendfile."""
    if not need_root("sink"):
        return
    for mode in ("sendmsg", "writev", "sendfile"):
        s = Sink("--write", mode)
        try:
            doc = traced("sink --write %s" % mode, s.proc.pid, s.target)
        finally:
            s.stop()
        if doc and mode == "sendfile":
            check("sink --write sendfile: a head and a body call per response",
                  doc["kernel"]["send"]["calls"] >= 2 * N, doc["kernel"]["send"]["calls"])


@test
def sink_splice_read():
    """The sink reading requests with splice() from the socket into a pipe:
    tcp_splice_read, a receive path with no tcp_recvmsg and no socket
    tracepoint (the tracepoint backend ends it at sys_exit)."""
    name = "sink --read splice"
    if not need_root(name):
        return
    s = Sink("--read", "splice")
    try:
        doc = traced(name, s.proc.pid, s.target, recv_sys=("splice",))
    finally:
        s.stop()
    if doc:
        k = doc["kernel"]["recv"]
        check(name + ": every receive timed, one call per splice",
              k["calls"] > 0 and k["untimed"] == 0 and k["ns"]["n"] == k["calls"],
              json.dumps(k)[:300])


@test
def sink_sendfile_at_exit():
    """The tracepoint backend on 6.3/6.4, where sendfile reaches TCP through
    tcp_sendpage and no sock_send_length fires: each sendfile is one call
    from sys_enter to sys_exit. This kernel takes MSG_SPLICE_PAGES instead,
    so the test knob makes it count that way. A 256 KiB body takes several
    page batches per sendfile (several sock_send_length returns), so only
    the sys_exit path makes bpftrace's syscall counts equal the trace's
    calls one for one."""
    name = "sink --write sendfile, counted at sys_exit (6.3/6.4 path)"
    if not need_root(name):
        return
    env = dict(os.environ, REQPERF_TEST_SENDPAGE_AT_EXIT="1")
    s = Sink("--write", "sendfile", "--body-size", "262144")
    try:
        doc = traced(name, s.proc.pid, s.target, trace_env=env)
    finally:
        s.stop()
    if doc and doc["backend"] == "tracepoint":
        k = doc["kernel"]["send"]
        check(name + ": a head and at least one body call per response, all timed",
              k["calls"] >= 2 * N and k["ns"]["n"] == k["calls"], json.dumps(k)[:300])


def aiohttp_python():
    for py in ("/usr/bin/python3", sys.executable):
        if os.path.exists(py) and subprocess.run(
                [py, "-c", "import aiohttp"], capture_output=True, timeout=30).returncode == 0:
            return py
    return None


@test
def aiohttp_two_writes():
    name = "aiohttp (headers, body: two writes)"
    if not need_root(name):
        return
    py = aiohttp_python()
    if not py:
        skip(name, "python3-aiohttp not installed")
        return
    with tempfile.TemporaryDirectory() as d:
        pf = os.path.join(d, "port")
        p = subprocess.Popen([py, os.path.join(ROOT, "tests", "servers", "aiohttp_server.py"),
                              pf, "3072"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        try:
            port = read_port(pf, p, 30)
            if not check("%s: server started" % name, port is not None):
                return
            doc = traced(name, p.pid, "127.0.0.1:%d" % port)
            if doc:
                check("%s: two sends per response" % name,
                      doc["kernel"]["send"]["calls"] == 2 * N, doc["kernel"]["send"]["calls"])
        finally:
            stop(p)


@test
def io_uring():
    name = "io_uring server"
    if not need_root(name):
        return
    if not os.path.exists(URING):
        skip(name, "%s not built (liburing-dev missing?)" % URING)
        return
    with tempfile.TemporaryDirectory() as d:
        pf = os.path.join(d, "port")
        p = subprocess.Popen([URING, pf, "3072"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            port = read_port(pf, p)
            if not check("%s: server started" % name, port is not None):
                return
            doc = traced(name, p.pid, "127.0.0.1:%d" % port, independent=False, uring=True)
        finally:
            out, _ = stop(p)
        own = [int(x) for x in out.split() if x.isdigit()]
        print("# %s: server's own count: %s" % (name, out.strip()))
        if doc and len(own) == 4:
            k = doc["kernel"]
            # The client's connectivity check opens and closes one
            # connection first: a 0-byte recv, in both counts.
            check("%s: server's own recv/send bytes == trace" % name,
                  own[0] == k["recv"]["bytes"] and own[2] == k["send"]["bytes"], out)
            check("%s: server's completions == trace calls minus inline EAGAINs" % name,
                  own[1] == k["recv"]["calls"] - k["recv"]["eagain"] and
                  own[3] == k["send"]["calls"] - k["send"]["eagain"], out)


def _one_line(err):
    return len([l for l in err.splitlines() if l.strip()]) == 1


@test
def trace_bad_targets():
    """Issue 14's bad input: each gives one line and its exit code, and
    leaves nothing attached (nothing_left below)."""
    if not need_root("trace bad targets"):
        return
    dead = subprocess.Popen(["true"])
    dead.wait()
    rc, out, err, _ = run(["trace", "--pid", str(dead.pid), "-d", "1"], timeout=30)
    check("trace --pid of no process: exit 1, one line",
          rc == 1 and _one_line(err) and "no process %d" % dead.pid in err, err)
    rc, out, err, _ = run(["trace", "--pid", "2", "-d", "1"], timeout=30)
    check("trace --pid of a kernel thread: exit 1, one line",
          rc == 1 and _one_line(err) and "kernel thread" in err, err)
    rc, out, err, _ = run(["trace", "--comm", "nosuchproc-xyz", "-d", "0.5"], timeout=30)
    check("trace --comm matching nothing: exit 1, says so last",
          rc == 1 and err.strip().splitlines()[-1].startswith(
              "reqperf trace: no task named 'nosuchproc-xyz' ran during"), err)
    short = subprocess.Popen(["sleep", "1"])
    try:
        rc, out, err, _ = run(["trace", "--pid", str(short.pid), "-d", "20"], timeout=30)
    finally:
        stop(short)
    check("trace --pid of a process that exits mid-trace: ends, says so, exit 0",
          rc == 0 and "process %d exited after" % short.pid in err and "send" in out,
          err[-300:])
    if not shutil.which("unshare"):
        skip("trace --pid in another netns", "no unshare")
        return
    other = subprocess.Popen(["unshare", "-n", "sleep", "5"])
    try:
        time.sleep(0.3)
        rc, out, err, _ = run(["trace", "--pid", str(other.pid), "-d", "0.5"], timeout=30)
    finally:
        stop(other)
    check("trace --pid in another network namespace: traced, noted once, exit 0",
          rc == 0 and err.count("another network namespace") == 1, err[-300:])


@test
def nothing_left():
    if not need_root("nothing left attached"):
        return
    gone, progs = rp_progs_gone()
    check("servers: no BPF program left after the traces", gone, str(progs))


run_all()
