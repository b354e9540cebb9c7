# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf run --call-path: every worker call joined with its syscall's
kernel record (sys_enter, first TCP tracepoint, socket return, sys_exit),
the stages adding up to the user-side time; counts checked against the
workers' own counters; bad input; nothing left attached.
Usage: test_callpath.py BUILD/reqperf"""
import re

from harness import check, need_root, rp_progs_gone, run, run_all, run_json, test



def joined_all(name, doc):
    cp = doc.get("call_path") if doc else None
    if not check(name + ": a call_path section", cp is not None, str(doc and doc.keys())):
        return None
    ws = doc["workers"]
    sends = sum(w["user"]["send"]["calls"] for w in ws)
    recvs = sum(w["user"]["recv"]["calls"] for w in ws)
    empty = sum(w["user"]["recv"]["eagain"] + w["user"]["recv"]["errors"] for w in ws)
    check(name + ": every call joined, none disagreeing, nothing dropped",
          cp["joined"] == sends + recvs and cp["user_only"] == 0 and cp["mismatched"] == 0
          and cp["user_dropped"] == 0 and not any(cp["drops"].values()), str(cp))
    check(name + ": calls per class == the workers' own counters",
          cp["send"]["user"]["calls"] == sends
          and cp["recv_data"]["user"]["calls"] + cp["recv_none"]["user"]["calls"] == recvs
          and cp["recv_none"]["user"]["calls"] == empty,
          "send %d recv %d (empty %d): %s" % (sends, recvs, empty,
                                              {c: cp[c]["user"]["calls"] for c in
                                               ("send", "recv_data", "recv_none")}))
    # The stages telescope from t0 to t1 by construction, so their sum is
    # no test. What is: the joined records' user time, class by class,
    # against the I/O loop's own counters, a separate path through the code.
    tot = doc["totals"]["user"]
    got = {"send": cp["send"]["user"]["mean_ns"] * cp["send"]["user"]["calls"],
           "recv": sum(cp[c]["user"]["mean_ns"] * cp[c]["user"]["calls"]
                       for c in ("recv_data", "recv_none"))}
    want = {d: tot[d]["ns"]["mean"] * tot[d]["ns"]["n"] for d in ("send", "recv")}
    check(name + ": the joined calls' user time == the workers' own counters (send %.0f, "
          "recv %.0f ns)" % (want["send"], want["recv"]),
          all(abs(got[d] - want[d]) <= 1 + 1e-9 * want[d] for d in got)
          and all(cp[c]["kernel"]["mean_ns"] <= cp[c]["user"]["mean_ns"]
                  for c in ("send", "recv_data") if cp[c]["user"]["calls"]),
          "%s vs %s" % (got, want))
    return cp


@test
def call_path():
    if not need_root("call path"):
        return
    for args in (["--mode", "burst"], ["--mode", "pingpong"], ["--probe", "off"]):
        name = "call path %s" % " ".join(args)
        rc, doc, err = run_json(["run", "-w", "2", "-n", "300", "--call-path"] + args)
        if check(name + ": exit 0", rc == 0 and doc is not None, err):
            cp = joined_all(name, doc)
            if cp and args[1] == "burst":
                check(name + ": a burst has recvs that find nothing, and no TCP stage there",
                      cp["recv_none"]["user"]["calls"] > 0
                      and cp["recv_none"]["tcp"]["calls"] == 0
                      and cp["send"]["tcp"]["calls"] == cp["send"]["user"]["calls"], str(cp))
    rc, out, err, _ = run(["run", "-w", "1", "-n", "50", "--call-path"], timeout=30)
    check("call path: the text report's table, every call joined",
          rc == 0 and "call path: one call's time" in out
          and re.search(r"joined \d+ calls", out) and "NOT joined" not in out, out[-800:])
    gone, progs = rp_progs_gone()
    check("call path: nothing attached after exit", gone, str(progs))


@test
def bad_input():
    rc, out, err, _ = run(["run", "--call-path", "--compare", "probe"], timeout=20)
    check("call path with --compare: exit 2, one line",
          rc == 2 and "--call-path times one run, not --compare" in err, err)


if __name__ == "__main__":
    run_all()
