# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Host side of the VM matrix's path cells (tests/vm/init `path`): a sink
writing its responses with writev() or sendfile(), or reading its requests
with splice() from the socket, traced by `reqperf trace --probe
fentry|kprobe` while a run loads it. On 6.1 sendfile reaches TCP through
tcp_sendpage, on 6.5+ through tcp_sendmsg (MSG_SPLICE_PAGES); splice from
a socket goes through tcp_splice_read on both: either way every byte must
be counted, with a start."""
import base64
import json

PATHS = (("fentry", "writev"), ("fentry", "sendfile"), ("kprobe", "writev"),
         ("kprobe", "sendfile"), ("fentry", "splice"), ("kprobe", "splice"))


def section_doc(sec):
    """A section's JSON report, or None."""
    if not sec or not sec["json"]:
        return None
    try:
        return json.loads(base64.b64decode("".join(sec["json"])))
    except (ValueError, TypeError):
        return None


def cell_failures(probe, mode, trace, client):
    """Why one path cell failed ([] when it passed), and a summary."""
    if trace is None or client is None:
        return ["did not run"], ""
    t, c = section_doc(trace), section_doc(client)
    if trace["rc"] != 0 or t is None:
        err = [l for l in trace["err"] if l.strip()]
        return ["trace exit %s: %s" % (trace["rc"], err[-1] if err else "no JSON")], ""
    if client["rc"] != 0 or c is None:
        err = [l for l in client["err"] if l.strip()]
        return ["run exit %s: %s" % (client["rc"], err[-1] if err else "no JSON")], ""
    k, w = t["kernel"], c["workers"][0]
    u = w["user"]
    summary = "send %d calls %d B, recv %d calls %d B, untimed %d/%d; client %d/%d B" % (
        k["send"]["calls"], k["send"]["bytes"], k["recv"]["calls"], k["recv"]["bytes"],
        k["send"]["untimed"], k["recv"]["untimed"], u["send"]["bytes"], u["recv"]["bytes"])
    bad = []
    if t["backend"] != probe:
        bad.append("backend %s" % t["backend"])
    if k["send"]["bytes"] != u["recv"]["bytes"]:
        bad.append("sink send bytes %d != client recv %d" % (k["send"]["bytes"],
                                                             u["recv"]["bytes"]))
    if k["recv"]["bytes"] != u["send"]["bytes"]:
        bad.append("sink recv bytes %d != client send %d" % (k["recv"]["bytes"],
                                                             u["send"]["bytes"]))
    if k["send"]["untimed"] or k["recv"]["untimed"]:
        bad.append("untimed returns %d/%d" % (k["send"]["untimed"], k["recv"]["untimed"]))
    lost = {n: v for n, v in t.get("drops", {}).items() if v}
    if lost:
        bad.append("drops %s" % lost)
    # sendfile: a send() of the head and at least one sendfile() call per
    # response; writev: several responses per call, at least one call.
    if mode == "sendfile" and k["send"]["calls"] < 2 * w["responses"]:
        bad.append("%d send calls for %d responses (head + body each)" %
                   (k["send"]["calls"], w["responses"]))
    if mode == "writev" and not 0 < k["send"]["calls"] <= w["responses"]:
        bad.append("%d writev calls for %d responses" % (k["send"]["calls"], w["responses"]))
    # splice: every request byte came through tcp_splice_read, timed.
    if mode == "splice" and not (k["recv"]["calls"] > 0 and
                                 k["recv"]["ns"]["n"] == k["recv"]["calls"]):
        bad.append("splice reads: %d calls, %d timed" % (k["recv"]["calls"],
                                                          k["recv"]["ns"]["n"]))
    return bad, summary


def refused(trace, names):
    """The trace must exit 1 with one line naming names (the minimum
    kernel): [] when it did, else why not."""
    if trace is None:
        return ["did not run"]
    err = [l for l in trace["err"] if l.strip()]
    if trace["rc"] == 1 and len(err) == 1 and names in err[0]:
        return []
    return ["expected exit 1 and one line naming %s, got exit %s %r" % (names, trace["rc"],
                                                                        err[:2])]


def check_paths(name, sections, refusals=None):
    """ok / not ok lines and {(probe, mode): status} for one kernel;
    refusals: probe -> the word its refusal names where the kernel cannot
    run that backend (None: it can)."""
    lines, cells = [], {}
    for probe, mode in PATHS:
        key = "path-%s-%s" % (probe, mode)
        unavailable = (refusals or {}).get(probe)
        if unavailable:
            bad = refused(sections.get(key), unavailable)
            cells[(probe, mode)] = "FAIL" if bad else "unavailable"
            lines.append("%s - vm %s %s %s %s" % (
                "not ok" if bad else "ok", name, probe, mode,
                "; ".join(bad) if bad else "unavailable as expected"))
            continue
        bad, summary = cell_failures(probe, mode, sections.get(key),
                                     sections.get(key + "-client"))
        cells[(probe, mode)] = "FAIL" if bad else "pass"
        if bad:
            lines.append("not ok - vm %s %s %s: %s" % (name, probe, mode, "; ".join(bad)))
        else:
            lines.append("ok - vm %s %s %s traced: %s" % (name, probe, mode, summary))
    return lines, cells


def print_paths(rows):
    print("VM path matrix (reqperf trace of a sink writing with writev / sendfile,"
          " reading with splice)")
    print("  %-22s %s" % ("kernel", " ".join("%-16s" % ("%s %s" % p) for p in PATHS)))
    for r in rows:
        cells = r.get("paths", {})
        print("  %-22s %s" % (r["release"], " ".join(
            "%-16s" % cells.get(p, "SKIPPED") for p in PATHS)))
