# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Processes the benchmark starts: CPU pinning, bounded runs, and servers
that lead their own process group (run.sh's trap kills the groups listed
in the state directory, whatever ends the benchmark)."""
import ctypes
import os
import re
import signal
import socket
import subprocess
import time

PR_SET_PDEATHSIG = 1


class BenchError(Exception):
    """A run that failed: the message says which and why, in one line."""


def pinned(cpu, argv):
    """argv under taskset when cpu is not None."""
    return argv if cpu is None else ["taskset", "-c", str(cpu)] + argv


def run(argv, timeout):
    """Runs argv to completion within timeout s; returns its stdout."""
    try:
        p = subprocess.run(argv, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError("%s: no exit within %d s" % (argv[0], timeout))
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise BenchError("%s exited %d: %s" % (" ".join(argv[:4]),
                                              p.returncode, last))
    return p.stdout


def die_with_parent():
    """SIGTERM to this process when its parent dies."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _server_child():
    os.setsid()
    die_with_parent()


def free_port():
    """An ephemeral port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=5.0):
    """Waits until something accepts on 127.0.0.1:port."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def children(pid):
    """pid's child processes."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


class Server:
    """A server process group; stop() ends it, and so does run.sh's trap."""

    def __init__(self, name, argv, state, cwd=None):
        self.name = name
        self.log = os.path.join(state, "%s.log" % name)
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(argv, stdout=log,
                                         stderr=subprocess.STDOUT, cwd=cwd,
                                         preexec_fn=_server_child)
        self.pgid_file = os.path.join(state, "pgid.%d" % self.proc.pid)
        with open(self.pgid_file, "w") as f:
            f.write(str(self.proc.pid))
        self.port = None

    def cpu(self):
        """CPU seconds used so far by the server and its children."""
        total = 0
        for pid in [self.proc.pid] + children(self.proc.pid):
            try:
                with open("/proc/%d/stat" % pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def output(self):
        with open(self.log) as f:
            return f.read()

    def fail(self, why):
        self.stop()
        tail = (self.output().strip().splitlines() or ["(no output)"])[-1]
        raise BenchError("%s %s: %s" % (self.name, why, tail))

    def stop(self, grace=5):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        if os.path.exists(self.pgid_file):
            os.unlink(self.pgid_file)


def start_sink(binary, cpu, state, body_size, wrapper=()):
    """`reqperf sink` with one thread on cpu, on an ephemeral port; under
    wrapper (valgrind) if given."""
    argv = pinned(cpu, list(wrapper) + [
        binary, "sink", "--listen", "127.0.0.1:0", "--threads", "1",
        "--body-size", str(body_size)])
    s = Server("sink", argv, state)
    end = time.monotonic() + 5 + 10 * bool(wrapper)
    while time.monotonic() < end and s.port is None:
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", s.output())
        if m:
            s.port = int(m.group(1))
        elif s.proc.poll() is not None:
            s.fail("did not start")
        else:
            time.sleep(0.05)
    if s.port is None or not wait_port(s.port, s.proc):
        s.fail("did not listen in time")
    return s


NGINX_CONF = """daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    server_tokens off;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    keepalive_requests 1000000000;
    keepalive_timeout 60s;
    sendfile on;
    tcp_nodelay on;
    open_file_cache max=16 inactive=60s;
    default_type text/plain;
    server {{
        listen 127.0.0.1:{port_file};
        root {dir}/www;
        location = / {{ try_files /body =404; }}
    }}
    server {{
        listen 127.0.0.1:{port_return};
        location = / {{ return 200 "@BODY@"; }}
    }}
}}
"""


def start_nginx(cpu, state, body, wrapper=()):
    """nginx with one worker process (pinned with its master) serving body
    at / two ways: a static file (sendfile, open_file_cache) and `return
    200` from memory. Returns (server, file port, return port). wrapper:
    a command to run nginx under (valgrind), with master_process off."""
    wrapper = list(wrapper)
    if any(ch in body for ch in b'"\\$'):
        raise BenchError("nginx: the body has bytes a config string cannot "
                         "hold as they are")
    d = os.path.join(state, "nginx")
    os.chmod(state, 0o711)  # nginx's worker runs as nobody
    for sub in ("www", "tmp"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    with open(os.path.join(d, "www", "body"), "wb") as f:
        f.write(body)
    for _ in range(3):
        ports = (free_port(), free_port())
        conf = NGINX_CONF.format(dir=d, port_file=ports[0],
                                 port_return=ports[1])
        if wrapper:  # one process, so that callgrind sees the worker
            conf = conf.replace("daemon off;",
                                "daemon off;\nmaster_process off;")
        with open(os.path.join(d, "nginx.conf"), "wb") as f:
            f.write(conf.encode().replace(b"@BODY@", body))
        argv = pinned(cpu, wrapper + ["nginx", "-c",
                                      os.path.join(d, "nginx.conf"), "-p", d])
        s = Server("nginx", argv, state)
        if all(wait_port(p, s.proc, 5 + 10 * bool(wrapper)) for p in ports):
            return s, ports[0], ports[1]
        s.stop()
    s.fail("did not listen in time")
