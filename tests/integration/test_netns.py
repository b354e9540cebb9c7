# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf run --netns: workers and sink in two namespaces joined by veth.
The namespaces exist during the run and are gone after it on every way
out; the invariants hold over the link; segment counts follow the MSS.
Usage: test_netns.py BUILD/reqperf"""
import json
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import harness
from harness import BIN, check, run, run_all, run_json, test
from test_run import check_invariants, embedded_size

harness.TESTS.clear()  # test_run's own tests run from test_run.py

SIZE = None
TS_OVERHEAD = 52  # IPv4 20 + TCP 20 + timestamps 12


def netns_names():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True,
                         timeout=10).stdout
    return {l.split()[0] for l in out.splitlines() if l.strip()}


def names_of(pid):
    return {"reqperf-%d-c" % pid, "reqperf-%d-s" % pid}


def wait_for(cond, timeout):
    """Polls cond (bounded); returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(0.05)


def ns_of(pid):
    """The named namespace a process is in ("" when none)."""
    return subprocess.run(["ip", "netns", "identify", str(pid)], capture_output=True,
                          text=True, timeout=10).stdout.strip()


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True,
                         timeout=10).stdout
    return [int(x) for x in out.split()]


class Run:
    """A reqperf run in the background, its JSON report in a temp file."""

    def __init__(self, args):
        self.json = tempfile.NamedTemporaryFile(suffix=".json")
        self.p = subprocess.Popen([BIN, "run", "--netns"] + args +
                                  ["--json", self.json.name, "--quiet"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)

    def started(self, timeout=10):
        """True once both namespaces exist and every child is in one."""
        def ready():
            kids = children(self.p.pid)
            return (names_of(self.p.pid) <= netns_names() and len(kids) >= 2 and
                    all(ns_of(k) for k in kids))
        return wait_for(ready, timeout)

    def finish(self, timeout=60):
        try:
            out, err = self.p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            out, err = self.p.communicate()
        try:
            doc = json.load(open(self.json.name))
        except ValueError:
            doc = None
        self.json.close()
        return self.p.returncode, doc, err


def check_gone(name, pid):
    left = names_of(pid) & netns_names()
    check(name + ": namespaces removed", not left, str(left))
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True,
                           timeout=10).stdout
    check(name + ": no veth end left in our namespace",
          not re.search(r"\d+: rp-[cs][@:]", links), links)


def check_link(name, doc, mtu, offload):
    t = doc.get("topology") or {}
    check(name + ": topology veth, mtu %d" % mtu,
          t.get("link") == "veth" and t.get("mtu") == mtu, str(t))
    for end in ("client", "sink"):
        e = t.get(end, {})
        check("%s: %s end mtu %d read back" % (name, end, mtu), e.get("mtu") == mtu, str(e))
        for k, v in offload.items():
            check("%s: %s end %s %s read back" % (name, end, k, "on" if v else "off"),
                  e.get(k) is v, str(e))
    check(name + ": sockets' mss == mtu - 52", t.get("snd_mss") == mtu - TS_OVERHEAD,
          str(t.get("snd_mss")))


def segs_per_response(mss):
    return math.ceil(SIZE / mss)


@test
def burst_default():
    """The default workload over veth; nothing left after it."""
    r = Run(["-w", "2", "-n", "512"])
    rc, doc, err = r.finish()
    check("netns burst: exit 0", rc == 0 and doc is not None, err)
    if doc is None:
        return
    check_invariants("netns burst", doc, 512, SIZE)
    check_link("netns burst", doc, 1500, {})
    mss = doc["topology"]["snd_mss"]
    for w in doc["workers"]:
        segs = w["tcp_info"]["data_segs_in"]
        check("netns burst w%d: segments in >= bytes / mss" % w["id"],
              segs >= math.ceil(512 * SIZE / mss), "%d segs" % segs)
    check_gone("netns burst", r.p.pid)


@test
def offloads_off():
    """TSO/GSO/GRO off, one request at a time: every response is exactly
    ceil(response bytes / MSS) segments."""
    rc, doc, err = run_json(["run", "--netns", "-w", "2", "-n", "200", "--mode", "pingpong",
                             "--tso", "off", "--gso", "off", "--gro", "off"])
    check("netns offloads off: exit 0", rc == 0 and doc is not None, err)
    if doc is None:
        return
    check_invariants("netns off", doc, 200, SIZE)
    check_link("netns off", doc, 1500, {"tso": False, "gso": False, "gro": False})
    per = segs_per_response(doc["topology"]["snd_mss"])
    check("netns off: 3 segments per response at mtu 1500", per == 3, str(per))
    for w in doc["workers"]:
        ti = w["tcp_info"]
        # A tail-loss probe re-sends data already here: the receiver counts
        # it as a data segment in and as a duplicate (D-SACK); keep it apart.
        check("netns off w%d: data segs in - dups == responses x %d" % (w["id"], per),
              ti["data_segs_in"] - ti["dsack_dups"] == w["responses"] * per, str(ti))
        check("netns off w%d: one segment per request" % w["id"],
              ti["data_segs_out"] == w["requests"], str(ti))


@test
def small_mtu():
    rc, doc, err = run_json(["run", "--netns", "--mtu", "1000", "-w", "1", "-n", "100",
                             "--mode", "pingpong", "--tso", "off", "--gso", "off"])
    check("netns mtu 1000: exit 0", rc == 0 and doc is not None, err)
    if doc is None:
        return
    check_invariants("netns mtu 1000", doc, 100, SIZE)
    check_link("netns mtu 1000", doc, 1000, {"tso": False, "gso": False})
    per = segs_per_response(doc["topology"]["snd_mss"])
    w = doc["workers"][0]
    ti = w["tcp_info"]
    check("netns mtu 1000: data segs in - dups == responses x ceil(%d / mss)" % SIZE,
          ti["data_segs_in"] - ti["dsack_dups"] == w["responses"] * per,
          "%d - %d != %d x %d" % (ti["data_segs_in"], ti["dsack_dups"], w["responses"], per))


@test
def offloads_on():
    rc, doc, err = run_json(["run", "--netns", "-w", "2", "-n", "256",
                             "--tso", "on", "--gso", "on", "--gro", "on"])
    check("netns offloads on: exit 0", rc == 0 and doc is not None, err)
    if doc is None:
        return
    check_invariants("netns on", doc, 256, SIZE)
    check_link("netns on", doc, 1500, {"tso": True, "gso": True, "gro": True})


@test
def trace_sink_in_netns():
    """The sink runs in the sink namespace, the workers in the client one,
    and `reqperf trace --pid` sees the sink's calls from there."""
    r = Run(["-w", "2", "--duration", "4", "--mode", "pingpong"])
    if not r.started():
        r.p.kill()
        check("netns trace: run started", False, r.finish()[2])
        return
    where = {k: ns_of(k) for k in children(r.p.pid)}
    sinks = [k for k, ns in where.items() if ns == "reqperf-%d-s" % r.p.pid]
    workers = [k for k, ns in where.items() if ns == "reqperf-%d-c" % r.p.pid]
    check("netns trace: one sink in the sink namespace, workers in the client one",
          len(sinks) == 1 and len(workers) == 2, str(where))
    out = ""
    if sinks:
        rc, out, terr, _ = run(["trace", "--pid", str(sinks[0]), "-d", "1"], timeout=30)
        check("netns trace: exit 0", rc == 0, terr)
    rc, doc, err = r.finish()
    check("netns trace: run exit 0", rc == 0 and doc is not None, err)
    if not doc or not sinks:
        return
    rows = {l.split()[0]: l.split() for l in out.splitlines()
            if l.split() and l.split()[0] in ("send", "recv")}
    req = doc["workers"][0]["user"]["send"]["bytes"] // doc["workers"][0]["requests"]
    sent = int(rows["send"][2]) if "send" in rows else 0
    got = int(rows["recv"][2]) if "recv" in rows else 0
    check("netns trace: the sink sent whole responses", sent > 0 and sent % SIZE == 0,
          str(rows))
    check("netns trace: the sink read whole requests", got > 0 and got % req == 0,
          "%s, request %d B" % (rows, req))


@test
def signals():
    for sig in (signal.SIGINT, signal.SIGTERM):
        name = "netns %s" % signal.Signals(sig).name
        r = Run(["-w", "2", "--duration", "10", "--mode", "pingpong"])
        check(name + ": namespaces created", r.started())
        time.sleep(0.5)
        r.p.send_signal(sig)
        rc, doc, err = r.finish(timeout=20)
        check(name + ": exit 1, partial", rc == 1 and doc is not None and doc["partial"],
              "rc=%d %s" % (rc, err))
        check_gone(name, r.p.pid)


@test
def error_exit():
    r = Run(["-w", "1", "-n", "16", "--csv", "/nonexistent-dir/x.csv"])
    rc, doc, err = r.finish()
    check("netns error exit: non-zero", rc != 0, "rc=%d" % rc)
    check_gone("netns error exit", r.p.pid)
    with tempfile.TemporaryDirectory() as d:
        gone = d + "/ip"
        open(gone, "w").close()  # not executable: as if iproute2 were missing
        p = subprocess.run(over_ip(gone, ["run", "--netns", "-w", "1", "-n", "8"]),
                           capture_output=True, text=True, timeout=30)
        rc, err = p.returncode, p.stderr
    check("netns without ip: exit 1, one clear line",
          rc == 1 and "cannot run ip" in err and "iproute2" in err, "rc=%d %s" % (rc, err))


def over_ip(fake, args):
    """reqperf args with fake bind-mounted over every system ip, in a
    private mount namespace (reqperf never looks ip up in PATH)."""
    real = sorted({os.path.realpath(p) for p in ("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip",
                                                 "/bin/ip") if os.path.exists(p)})
    script = "".join("mount --bind %s %s && " % (fake, t) for t in real) + 'exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
            BIN] + args


@test
def setup_fails_halfway():
    """The namespaces exist, the veth pair cannot be made: both removed."""
    with tempfile.TemporaryDirectory() as d:
        real = d + "/ip.real"  # the bind mount hides the system one
        shutil.copy2(os.path.realpath(shutil.which("ip") or "/usr/bin/ip"), real)
        with open(d + "/ip", "w") as f:
            f.write('#!/bin/sh\ncase "$*" in *"link add"*)\n'
                    '\techo "RTNETLINK answers: refused by the test" >&2; exit 2;;\n'
                    'esac\nexec %s "$@"\n' % real)
        os.chmod(d + "/ip", 0o755)
        p = subprocess.Popen(over_ip(d + "/ip", ["run", "--netns", "-w", "1", "-n", "8"]),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = p.communicate(timeout=30)
    check("netns setup fails: exit 1 with ip's reason",
          p.returncode == 1 and "refused by the test" in err and "ip link add" in err,
          "rc=%d %s" % (p.returncode, err))
    check_gone("netns setup fails", p.pid)


@test
def sigkill_then_next_run():
    """A SIGKILLed driver leaves its namespaces; the next run removes them."""
    r = Run(["-w", "1", "--duration", "10", "--mode", "pingpong"])
    check("netns SIGKILL: namespaces created", r.started())
    r.p.kill()
    r.finish()
    left = names_of(r.p.pid) & netns_names()
    check("netns SIGKILL: namespaces left behind", left == names_of(r.p.pid), str(left))
    rc, out, err, _ = run(["run", "--netns", "-w", "1", "-n", "8"], timeout=60)
    check("netns after SIGKILL: next run exit 0", rc == 0, err)
    check("netns after SIGKILL: stale namespaces reported",
          "removed stale namespace reqperf-%d-c" % r.p.pid in err, err)
    check_gone("netns after SIGKILL", r.p.pid)


@test
def bad_flags():
    cases = [(["--netns", "--mtu", "67"], "reqperf run: --mtu"),
             (["--netns", "--mtu", "65536"], "reqperf run: --mtu"),
             (["--netns", "--tso", "yes"], "reqperf run: --tso"),
             (["--netns", "--gro", ""], "reqperf run: --gro"),
             (["--mtu", "1500"], "reqperf run: --mtu, --tso, --gso and --gro need --netns"),
             (["--gso", "off"], "reqperf run: --mtu, --tso, --gso and --gro need --netns"),
             (["--netns", "--target", "127.0.0.1:1"], "reqperf run: --netns runs its own sink")]
    for args, msg in cases:
        rc, out, err, _ = run(["run"] + args, timeout=10)
        first = err.strip().splitlines()[0] if err.strip() else ""
        check("netns bad flags %s: exit 2, clear error" % " ".join(args),
              rc == 2 and first.startswith(msg), "rc=%d err=%r" % (rc, err))


@test
def not_root():
    rc, out, err, _ = run(["run", "--netns", "-w", "1", "-n", "8"], timeout=30,
                          preexec=lambda: (os.setgroups([]), os.setgid(65534),
                                           os.setuid(65534)))
    check("netns as nobody: exit 1, needs root",
          rc == 1 and "--netns needs root" in err, "rc=%d %s" % (rc, err))


@test
def nothing_left():
    """Last: no namespace from a run that has ended, whatever path it took."""
    alive = {int(p) for p in os.listdir("/proc") if p.isdigit()}
    stale = {n for n in netns_names() - BEFORE
             if n.startswith("reqperf-") and int(n.split("-")[1]) not in alive}
    check("netns: no namespace of an ended run left", not stale, str(stale))


if __name__ == "__main__":
    if os.geteuid() != 0:
        harness.skip("netns", "needs root")
        harness.finish()
    BEFORE = netns_names()
    SIZE = embedded_size()
    run_all()
