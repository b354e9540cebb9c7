# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Hostile peers against the driver, on loopback: responses that never
end (a huge Content-Length, an endless chunked body, a drip), a server
that answers twice, an interrupt while data never stops, settings that do
not take. Every case must end in bounded time with a one-line reason and
the right exit code, and keep the worker's counters.
Usage: test_hostile.py BUILD/reqperf"""
import json
import os
import signal
import subprocess
import tempfile
import time

from fake_server import FakeServer
from harness import BIN, check, run, run_all, run_json, skip, test

BASE = ["run", "-w", "1", "-n", "10", "--probe", "off"]


def worker(doc):
    return doc["workers"][0] if doc and doc.get("workers") else {}


@test
def never_ending():
    cases = [
        ("huge_len", [], "--max-response"),
        ("endless_chunked", [], "--max-response"),
        ("huge_len", ["-d", "2"], "--max-response"),
        ("huge_len", ["--max-response", "1T"], None),
        ("endless_chunked", ["--max-response", "1099511627776", "--response-timeout", "1"],
         "--response-timeout"),
        ("drip", ["--response-timeout", "0.5"], "--response-timeout"),
        ("drip", ["-m", "pipeline:4", "-c", "2", "--response-timeout", "0.5"],
         "--response-timeout"),
    ]
    for mode, extra, why in cases:
        name = "never ending %s %s" % (mode, " ".join(extra))
        if why is None:  # a bad size is bad usage
            rc, _, err, _ = run(BASE + ["-t", "127.0.0.1:9"] + extra, timeout=20)
            check(name + ": refused", rc == 2 and "--max-response" in err, err)
            continue
        with FakeServer(mode) as s:
            rc, doc, err = run_json(BASE + ["-t", s.target] + extra, timeout=30)
        w = worker(doc)
        check(name + ": exit 1", rc == 1, "rc %s %s" % (rc, err))
        check(name + ": reason names " + why, why in (w.get("error") or ""), str(w.get("error")))
        check(name + ": unanswered counted", w.get("outstanding", 0) >= 1, str(w))
        check(name + ": partial report", doc and doc.get("partial") is True)


@test
def answers_twice():
    for extra in ([], ["-m", "pingpong"], ["-m", "pipeline:8"], ["-c", "4"],
                  ["-d", "0.5", "-m", "pingpong"]):
        name = "answers twice %s" % " ".join(extra or ["burst"])
        with FakeServer("double") as s:
            rc, doc, err = run_json(BASE + ["-t", s.target] + extra, timeout=30)
        w = worker(doc)
        check(name + ": exit 1", rc == 1, "rc %s %s" % (rc, err))
        check(name + ": counted", w.get("extra_responses", 0) >= 1, str(w.get("error")))
        check(name + ": named", "beyond the requests sent" in (w.get("error") or ""),
              str(w.get("error")))
    # The control: a server that answers once is clean in the same modes.
    for extra in ([], ["-m", "pingpong"], ["-m", "pipeline:8"], ["-c", "4"]):
        with FakeServer("ok") as s:
            rc, doc, err = run_json(BASE + ["-t", s.target] + extra, timeout=30)
        check("answers once %s: exit 0, no extra" % " ".join(extra or ["burst"]),
              rc == 0 and worker(doc).get("extra_responses") == 0, "rc %s %s" % (rc, err))


@test
def interrupt_while_streaming():
    """The data never pauses (no EAGAIN): SIGINT still ends the run within
    the drain grace and the worker's counters are reported."""
    for i in range(3):
        with FakeServer("huge_len") as s, tempfile.NamedTemporaryFile(suffix=".json") as f:
            p = subprocess.Popen([BIN] + BASE + [
                "-t", s.target, "--max-response", "1099511627776", "--response-timeout", "60",
                "--idle-timeout", "60", "--json", f.name, "--quiet"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.0 + 0.3 * i)
            p.send_signal(signal.SIGINT)
            try:
                _, err = p.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.communicate()
                check("interrupt %d: ends" % i, False, "still running 20 s after SIGINT")
                continue
            try:
                w = worker(json.load(open(f.name)))
            except ValueError:
                w = {}
        check("interrupt %d: exit 1" % i, p.returncode == 1, "rc %s %s" % (p.returncode, err))
        check("interrupt %d: result kept" % i, w.get("error") == "interrupted" and
              w["user"]["recv"]["calls"] > 0, str(w.get("error")))
        check("interrupt %d: outstanding reported" % i, w.get("outstanding") == 10,
              str(w.get("outstanding")))


@test
def settings_not_taken():
    if os.geteuid() != 0:
        skip("settings not taken", "needs root to drop to nobody")
        return
    with FakeServer("ok") as s:
        rc, doc, err = run_json(BASE + ["-t", s.target, "--cpus", "99"], timeout=30)
        w = worker(doc)
        check("--cpus 99: warning in JSON", "cannot pin to cpu 99" in (w.get("warning") or ""),
              str(w.get("warning")))
        rc, out, err, _ = run(BASE + ["-t", s.target, "--cpus", "99"], timeout=30)
        text = out + err
        check("--cpus 99: warning printed once", text.count("cannot pin to cpu 99") == 1, text)

        def nobody():
            os.setgid(65534)
            os.setuid(65534)

        with tempfile.TemporaryDirectory() as d:
            os.chmod(d, 0o777)
            path = os.path.join(d, "r.json")
            rc, out, err, _ = run(BASE + ["-t", s.target, "--sched", "fifo", "--priority", "50",
                                          "--json", path], timeout=30, preexec=nobody)
            try:
                w = worker(json.load(open(path)))
            except (OSError, ValueError):
                w = {}
        check("unprivileged --sched fifo: warning in JSON",
              "SCHED_FIFO" in (w.get("warning") or ""), "%s %s" % (w.get("warning"), err))
        check("unprivileged --sched fifo: printed once",
              (out + err).count("cannot set SCHED_FIFO") == 1, out + err)


if __name__ == "__main__":
    run_all()
