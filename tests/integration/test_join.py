# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf join: a run against a standalone sink, and `reqperf trace
--json` of that sink run as a separate process (as it would run on the
server host), joined offline by 4-tuple into one path view: every
connection found, its bytes equal both ways, every view equal; a trace of
other traffic does not join (exit 1); bad input exits 2.
Usage: test_join.py BUILD/reqperf"""
import json
import os
import signal
import subprocess
import tempfile
import time

from harness import BIN, Sink, check, need_root, run, run_all, test


def traced_run(tmp, run_args, name, host="127.0.0.1"):
    """Runs the trace of a fresh sink around one run; returns the run's
    and the trace's JSON paths, or None."""
    sink = Sink(host=host)
    rj, tj = os.path.join(tmp, name + "-run.json"), os.path.join(tmp, name + "-trace.json")
    err = open(os.path.join(tmp, name + "-trace.err"), "w+")
    tr = subprocess.Popen([BIN, "trace", "--pid", str(sink.proc.pid), "--json", tj],
                          stdout=subprocess.DEVNULL, stderr=err, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and tr.poll() is None:
            err.seek(0)
            if "attached" in err.read():
                break
            time.sleep(0.05)
        rc, out, e, _ = run(["run", "-t", sink.target, "--json", rj, "--quiet"] + run_args,
                            timeout=60)
    finally:
        tr.send_signal(signal.SIGINT)
        try:
            tr.wait(30)
        except subprocess.TimeoutExpired:
            tr.kill()
            tr.wait(5)
        sink.stop()
    err.seek(0)
    if not check("join %s: the run and the trace ran" % name,
                 rc == 0 and tr.returncode == 0 and os.path.exists(tj),
                 "run rc %d %s; trace rc %s %s" % (rc, e, tr.returncode, err.read())):
        return None
    return rj, tj


@test
def dual_stack():
    """A server listening on [::] holds the client's address v4-mapped
    (::ffff:127.0.0.1): the join still finds every connection."""
    if not need_root("join dual-stack"):
        return
    tmp = tempfile.mkdtemp()
    got = traced_run(tmp, ["-w", "2", "-n", "100"], "dual", host="[::]")
    if not got:
        return
    rc, out, err, _ = run(["join", got[0], got[1]], timeout=30)
    check("join: a dual-stack server's sockets match the run's connections (exit 0)",
          rc == 0 and "2 of 2" in out, "rc %d %s %s" % (rc, out, err))


@test
def joined():
    if not need_root("join"):
        return
    tmp = tempfile.mkdtemp()
    got = traced_run(tmp, ["-w", "2", "-n", "300", "--wire"], "wire")
    if not got:
        return
    rj, tj = got
    jj = os.path.join(tmp, "join.json")
    rc, out, err, _ = run(["join", rj, tj, "--json", jj], timeout=30)
    doc = json.load(open(jj)) if os.path.exists(jj) else None
    if not check("join: exit 0, text and JSON", rc == 0 and doc and "matched by 4-tuple" in out,
                 "rc %d %s %s" % (rc, out, err)):
        return
    r = json.load(open(rj))
    check("join: every connection of the run found in the server's trace, bytes equal",
          doc["connections"] == len(r["connections"]) == 2 == doc["matched"]
          and doc["bytes_differ"] == 0, str(doc))
    checks = {c["what"]: c for c in doc["path"]["checks"]}
    c2s, s2c = checks["bytes c->s"], checks["bytes s->c"]
    check("join: server kernel == client user == client kernel == wire, both ways",
          all(c2s.get(v) == c2s["client_user"] and s2c.get(v) == s2c["client_user"]
              for v in ("client_kernel", "wire_sent", "server_kernel"))
          and c2s["client_user"] == sum(w["user"]["send"]["bytes"] for w in r["workers"])
          and all(c["equal"] for c in doc["path"]["checks"]) and doc["equal"],
          json.dumps(doc["path"]))
    # the run's path checks read by their "what" key, not their position:
    # the same run with its checks listed in reverse joins to the same path
    rev = os.path.join(tmp, "reversed-run.json")
    r["path"]["checks"].reverse()
    json.dump(r, open(rev, "w"))
    jr = os.path.join(tmp, "join-reversed.json")
    rc, out, err, _ = run(["join", rev, tj, "--json", jr], timeout=30)
    dr = json.load(open(jr)) if rc == 0 and os.path.exists(jr) else None
    check("join: the run's path checks in another order join to the same path",
          dr is not None and dr["path"] == doc["path"],
          "rc %d %s\n%s\n%s" % (rc, err, json.dumps(dr and dr["path"]),
                                 json.dumps(doc["path"])))
    # the same run joined with a trace of other traffic: nothing matches
    got = traced_run(tmp, ["-w", "1", "-n", "20"], "other")
    if got:
        rc, out, err, _ = run(["join", rj, got[1]], timeout=30)
        check("join: a trace without the run's connections: exit 1, one line",
              rc == 1 and "2 of 2 connections are not in the trace" in err
              and len(err.strip().splitlines()) == 1, "rc %d %s" % (rc, err))


@test
def bad_input():
    tmp = tempfile.mkdtemp()
    bad = os.path.join(tmp, "bad.json")
    open(bad, "w").write("{not json")
    trace_like = os.path.join(tmp, "t.json")
    open(trace_like, "w").write('{"tool": "reqperf", "command": "trace", "sockets": []}')
    cases = [(["join"], "expected two files"),
             (["join", trace_like], "expected two files"),
             (["join", "/nonexistent/r.json", trace_like], "/nonexistent/r.json"),
             (["join", bad, trace_like], bad),
             (["join", trace_like, trace_like], "is not a reqperf run report"),
             (["join", trace_like, trace_like, trace_like], "expected two files")]
    for args, msg in cases:
        rc, out, err, _ = run(args, timeout=20)
        check("join bad input %s: exit 2, one line" % " ".join(a.replace(tmp, "T") for a in
                                                             args[1:]),
              rc == 2 and msg in err, "rc %d: %s" % (rc, err))
    run_nc = os.path.join(tmp, "r.json")
    open(run_nc, "w").write('{"tool": "reqperf", "totals": {}}')
    rc, out, err, _ = run(["join", run_nc, trace_like], timeout=20)
    check("join: a run report without connections: exit 2, one line",
          rc == 2 and "lists no connections" in err, "rc %d: %s" % (rc, err))


if __name__ == "__main__":
    run_all()
