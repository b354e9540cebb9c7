# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Hostile clients against `reqperf sink`, and the run's own hygiene:
clients that never read (1000 of them, bounded, loopback), idle echo
clients with big messages, requests without or with two Host headers;
output paths (two on one file, symlinks, '-', bad directories), `ip`
planted first in PATH, a foreign client skewing the integrity check.
Usage: test_hostile_sink.py BUILD/reqperf"""
import json
import os
import resource
import signal
import socket
import struct
import subprocess
import tempfile
import time

from fake_server import FakeServer
from harness import BIN, Sink, check, run, run_all, skip, summary_items, test

PAGE = os.sysconf("SC_PAGE_SIZE")


def tcp_mem_pages():
    for line in open("/proc/net/sockstat"):
        if line.startswith("TCP:"):
            f = line.split()
            return int(f[f.index("mem") + 1])
    return 0


def rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def established(s):
    try:
        return struct.unpack("B", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1))[0] == 1
    except OSError:
        return False


def more_fds():
    resource.setrlimit(resource.RLIMIT_NOFILE, (8192, 8192))


def sink_proc(*extra):
    """`reqperf sink` with its summary kept; more fds than clients."""
    return Sink(*extra, quiet=False, preexec=more_fds)


def flood(sink, n, payload, limit):
    """n clients write payload once (what fits) and never read. Samples the
    sink's RSS and the host's TCP memory until the sink closed them all or
    limit seconds; returns (still open, peak pages, peak rss kB, base)."""
    base = tcp_mem_pages()
    socks = []
    peak_mem = peak_rss = 0
    try:
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", sink.port), 2)
            s.setblocking(False)
            try:
                s.send(payload)
            except BlockingIOError:
                pass
            socks.append(s)
        deadline = time.monotonic() + limit
        left = n
        while time.monotonic() < deadline and left:
            peak_mem = max(peak_mem, tcp_mem_pages())
            peak_rss = max(peak_rss, rss_kb(sink.proc.pid))
            left = sum(1 for s in socks if established(s))
            time.sleep(0.2)
    finally:
        for s in socks:
            s.close()
    return left, peak_mem, peak_rss, base


@test
def non_reading_clients():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < 1100:
        skip("1000 non-reading clients", "RLIMIT_NOFILE hard limit %d" % hard)
        return
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    n = 1000
    req = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 20000
    sink = sink_proc("--send-timeout", "1")
    left, peak, rss, base = flood(sink, n, req, 20)
    out = sink.summary()
    mb = (peak - base) * PAGE / 1e6
    print("# %d non-reading clients: host TCP memory peak +%.0f MB (%d pages), sink RSS "
          "peak %d kB" % (n, mb, peak - base, rss))
    check("non-reading clients: all closed by the sink", left == 0, "%d still open" % left)
    check("non-reading clients: counted as not reading (send timeouts)",
          summary_items(out).get("send timeouts", 0) > 0, out)
    # Per client: the sink's 128 KiB receive buffer and 256 KiB owed
    # (--max-owed), plus the clients' own buffers: below the point where
    # the kernel starts TCP memory pressure (tcp_mem[0]); before the bounds
    # 1000 such clients reached its hard limit (tcp_mem[2]).
    pressure = int(open("/proc/sys/net/ipv4/tcp_mem").read().split()[0])
    check("non-reading clients: host TCP memory below pressure", peak < pressure,
          "%d pages, pressure at %d" % (peak, pressure))
    check("non-reading clients: sink RSS bounded", rss < 128 * 1024, "%d kB" % rss)


@test
def idle_echo_clients():
    n = 300
    sink = sink_proc("--echo", "1048576", "--request-timeout", "1", "--send-timeout", "1")
    left, _, rss, _ = flood(sink, n, b"\0" * (512 << 10), 20)
    out = sink.summary()
    print("# %d idle echo clients, 1 MiB messages: sink RSS peak %d kB" % (n, rss))
    check("idle echo clients: all closed", left == 0, "%d still open" % left)
    check("idle echo clients: sink RSS bounded (64 KiB window each)", rss < 64 * 1024,
          "%d kB" % rss)


def status_of(port, request):
    s = socket.create_connection(("127.0.0.1", port), 3)
    s.settimeout(3)
    s.sendall(request)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    parts = data.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


@test
def host_header():
    sink = Sink()
    try:
        cases = [(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 200, "one Host"),
                 (b"GET / HTTP/1.1\r\n\r\n", 400, "HTTP/1.1 without Host"),
                 (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "two Hosts"),
                 (b"GET / HTTP/1.0\r\n\r\n", 200, "HTTP/1.0 without Host")]
        for req, want, name in cases:
            got = status_of(sink.port, req)
            check("sink Host header: %s -> %d" % (name, want), got == want, str(got))
    finally:
        sink.stop()


@test
def output_paths():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "r.out")
        link = os.path.join(d, "link")
        os.symlink(f, link)
        base = ["run", "-w", "1", "-n", "8", "--probe", "off", "--quiet"]
        for extra, what in ([["--json", f, "--csv", f], "same file"],
                            [["--json", f, "--csv", link], "same file through a link"],
                            [["--json", f, "--events", link], "events on the json file"],
                            [["--json", "-", "--events", "-"], "two on stdout"],
                            [["--json", os.path.join(d, "no/such/dir.json")], "no such dir"],
                            [["--csv", d], "a directory"]):
            rc, out, err, _ = run(base + extra, timeout=20)
            lines = [l for l in err.splitlines() if l.strip()]
            check("outputs: %s refused with exit 2 before the run" % what,
                  rc == 2 and "kernel view" not in err and lines and
                  "reqperf run:" in lines[0], "rc %s %s" % (rc, err))
        # a symlink owned by someone else is not followed, as root in /tmp
        if os.geteuid() == 0:
            os.chmod(d, 0o1777)
            victim = os.path.join(d, "victim")
            open(victim, "w").write("keep")
            trap = os.path.join(d, "trap.json")
            os.symlink(victim, trap)
            os.lchown(trap, 65534, 65534)
            rc, out, err, _ = run(base + ["--json", trap], timeout=20)
            check("outputs: another user's symlink refused (exit 2)",
                  rc == 2 and "not following" in err, "rc %s %s" % (rc, err))
            check("outputs: its target untouched", open(victim).read() == "keep")
            mine = os.path.join(d, "mine.json")
            os.symlink(os.path.join(d, "target.json"), mine)
            with FakeServer("ok") as s:
                rc, out, err, _ = run(["run", "-w", "1", "-n", "8", "--probe", "off", "-q",
                                       "-t", s.target, "--json", mine], timeout=30)
            check("outputs: the caller's own symlink is followed",
                  rc == 0 and os.path.getsize(os.path.join(d, "target.json")) > 0, err)
        else:
            skip("outputs: symlink ownership", "needs root")
        # '-' is stdout for --events too, never a file named '-'
        with FakeServer("ok") as s:
            rc, out, err, _ = run(["run", "-w", "1", "-n", "8", "--probe", "off", "-q",
                                   "-t", s.target, "--events", "-"], timeout=30)
        here = os.path.exists("-")
        check("outputs: --events - writes stdout", rc == 0 and not here and
              out.lstrip().startswith("{"), "rc %s here %s %s" % (rc, here, out[:200]))


@test
def ip_from_system_dirs():
    if os.geteuid() != 0:
        skip("ip from system dirs", "--netns needs root")
        return
    with tempfile.TemporaryDirectory() as d:
        marker = os.path.join(d, "ran")
        fake = os.path.join(d, "ip")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\ntouch %s\nexit 1\n" % marker)
        os.chmod(fake, 0o755)
        env = dict(os.environ, PATH=d + ":" + os.environ.get("PATH", "/usr/bin"))
        rc, out, err, _ = run(["run", "-w", "1", "-n", "8", "--netns", "--probe", "off", "-q"],
                              timeout=60, env=env)
        check("ip planted first in PATH is not run", not os.path.exists(marker) and rc == 0,
              "rc %s %s" % (rc, err))


def sink_port_of(pid):
    """The embedded sink's listening port: a child of pid listening on lo."""
    out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, timeout=10).stdout
    kids = set()
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            kids |= set(open("/proc/%d/task/%s/children" % (pid, tid)).read().split())
        except OSError:
            pass
    for line in out.splitlines():
        if any("pid=%s," % k in line for k in kids):
            return int(line.split()[3].rsplit(":", 1)[1])
    return None


@test
def integrity_differ_exit():
    """A foreign request to the embedded sink during the run: the sink saw
    more bytes than the workers sent, the integrity line says DIFFER, and
    the exit code says so (3)."""
    p = subprocess.Popen([BIN, "run", "-w", "1", "-n", "64", "-m", "pingpong", "-d", "2",
                          "--probe", "off"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    try:
        port = None
        deadline = time.monotonic() + 5
        while port is None and time.monotonic() < deadline:
            time.sleep(0.1)
            port = sink_port_of(p.pid)
        if port:
            status_of(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
    check("integrity DIFFER: found the sink", port is not None)
    check("integrity DIFFER: exit 3", p.returncode == 3 and "DIFFER" in out,
          "rc %s %s" % (p.returncode, (out + err)[-400:]))


if __name__ == "__main__":
    run_all()
