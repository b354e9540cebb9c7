#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The worked examples of docs/path.md, measured: one pingpong run per
server with the server end traced and the wire watched, and the
embedded sink over veth with the offloads off and on. Prints a markdown
table, per response, with the machine and the date.

Usage: path_examples.py BUILD/reqperf   (root; nginx and python3-aiohttp
for their rows, skipped with a note when missing)"""
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/reqperf")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "servers"))
import nginx  # noqa: E402

N = 400
BODY = 3072


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, secs=10):
    end = time.monotonic() + secs
    while time.monotonic() < end and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def run(args):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        p = subprocess.run([BIN, "run", "-w", "1", "-n", str(N), "--mode", "pingpong",
                            "--wire", "--json", f.name, "-q"] + args,
                           capture_output=True, text=True, timeout=120)
        try:
            return json.load(open(f.name)), p.returncode, p.stderr.strip()
        except ValueError:
            return None, p.returncode, p.stderr.strip()


def row(name, doc, rc, err):
    if not doc:
        return "| %s | run failed (exit %d): %s |" % (name, rc, err.splitlines()[-1:])
    w, s, c = doc["workers"][0], doc.get("server", {}).get("kernel"), doc["path"]["checks"]
    n = w["responses"] or 1
    tx = doc["wire"]["tx"]["s2c"]
    arr = doc["wire"].get("rx", doc["wire"]["tx"])["s2c"]
    per = lambda v: "%.2f" % (v / n)
    cells = [per(s["send"]["calls"]) if s else "-",
             per(tx["data_packets"]), per(tx["data_segs"]), per(arr["data_packets"]),
             per(w["tcp_info"]["data_segs_in"]), per(w["user"]["recv"]["calls"]),
             "equal" if all(k["equal"] for k in c) else "DIFFER"]
    return "| %s | %s |" % (name, " | ".join(cells))


def aiohttp_row():
    script = os.environ.get("AIOHTTP_SERVER") or os.path.join(
        HERE, "..", "tests", "servers", "aiohttp_server.py")
    with tempfile.TemporaryDirectory() as d:
        pf = os.path.join(d, "port")
        # Debian's python3-aiohttp belongs to the system interpreter.
        py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        p = subprocess.Popen([py, script, pf, str(BODY)],
                             stderr=subprocess.PIPE, text=True)
        try:
            end = time.monotonic() + 20
            while time.monotonic() < end and p.poll() is None and not (
                    os.path.exists(pf) and open(pf).read().strip()):
                time.sleep(0.05)
            if p.poll() is not None or not os.path.exists(pf):
                return "| aiohttp (headers, then body) | not run: %s |" % (
                    p.stderr.read().strip().splitlines()[-1:] if p.poll() else "no port")
            port = int(open(pf).read())
            return row("aiohttp (headers, then body)",
                       *run(["-t", "127.0.0.1:%d" % port, "--server-pid", str(p.pid)]))
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(10)


def nginx_row(name, path, sendfile):
    if not nginx.exe():
        return "| %s | not run: nginx not installed |" % name
    with tempfile.TemporaryDirectory() as d:
        port = free_port()
        p = nginx.start(d, port, sendfile, BODY)
        try:
            if not wait_port(port, p):
                return "| %s | not run: nginx did not start |" % name
            return row(name, *run(["-t", "127.0.0.1:%d" % port, "--path", path,
                                   "--server-pid", str(p.pid)]))
        finally:
            p.send_signal(signal.SIGQUIT)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)


def main():
    print("Measured by `bench/path_examples.py` on %s, kernel %s, %s; %d pingpong "
          "requests on one connection, %d-byte bodies, recv(1024), Nagle on.\n" % (
              time.strftime("%Y-%m-%d"), platform.release(), platform.machine(), N, BODY))
    print("| server | server send calls | skbs sent (data) | segments sent | "
          "packets arrived (data) | client data segs in (TCP_INFO) | client recv calls "
          "| views |")
    print("|---|---|---|---|---|---|---|---|")
    print(row("reqperf sink, lo", *run([])))
    print(aiohttp_row())
    print(nginx_row("nginx `return 200` (writev), lo", nginx.RETURN_PATH, False))
    print(nginx_row("nginx static file (sendfile), lo", nginx.FILE_PATH, True))
    for offl in ("off", "on"):
        print(row("reqperf sink, veth MTU 1500, TSO/GSO/GRO %s" % offl,
                  *run(["--netns", "--tso", offl, "--gso", offl, "--gro", offl])))
    print("\n(all figures per response)")


if __name__ == "__main__":
    main()
