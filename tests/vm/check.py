# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Host side of the VM kernel matrix. Reads what each guest wrote on its
result port (tests/vm/init), checks every backend's run against the
DESIGN.md invariants and the kernel's expected capabilities, prints one
"ok - vm KERNEL BACKEND" / "not ok - ..." line per cell and the kernel x
backend matrix. Exits 1 when any cell failed.

Usage: check.py --requests N [--kernel SERIES PACKAGE OUTDIR]...
                [--skip SERIES REASON]..."""
import argparse
import base64
import json
import os
import re
import sys

from netns import check_netns, print_netns
from paths import check_paths, print_paths
from wire import check_wire, print_wire

BACKENDS = ("fentry", "kprobe", "tracepoint", "auto")
# libbpf's --verbose log: its own lines are kept only when they report a
# failure; the verifier's log lines (no "libbpf:" prefix) are all kept.
LIBBPF_FAIL = re.compile(r"fail|error|invalid|denied|not supported|-- (BEGIN|END)", re.I)


def useful(line):
    line = line.strip()
    if not line.startswith("libbpf:"):
        return bool(line)
    return "relo #" not in line and bool(LIBBPF_FAIL.search(line))


MARK = re.compile(r"@@REQPERF-(BEGIN|END|DONE)(?: (\S+))?(?: rc=(-?\d+))?@@")


def parse_log(path):
    """Sections of a result log: name -> {rc, out, err, json}; and whether
    the guest reached its end. Lines outside sections are ignored."""
    sections, cur, done = {}, None, False
    try:
        text = open(path, "rb").read().decode("utf-8", "replace")
    except OSError:
        return sections, False
    for line in text.replace("\r", "").split("\n"):
        m = MARK.search(line)
        if m and m.group(1) == "BEGIN":
            cur = sections[m.group(2)] = {"rc": None, "out": [], "err": [], "json": []}
        elif m and m.group(1) == "END" and cur is not None:
            cur["rc"] = int(m.group(3)) if m.group(3) is not None else None
            cur = None
        elif m and m.group(1) == "DONE":
            done = True
        elif cur is not None and line[:2] in ("O ", "E ", "J "):
            cur[{"O": "out", "E": "err", "J": "json"}[line[0]]].append(line[2:])
    return sections, done


def machine_of(sections):
    for line in sections.get("info", {}).get("out", []):
        if line.startswith("machine "):
            return line.split()[1]
    return "x86_64"


def off_warning(sec):
    """auto on a kernel below 5.11: the run's one warning names 5.11."""
    warn = [l for l in sec["err"] if "warning: no kernel view" in l]
    if len(warn) != 1 or "5.11" not in warn[0]:
        return "fail", "expected one 'no kernel view' warning naming 5.11, got %r" % warn[:2]
    return "pass", ""


def release_of(sections):
    for line in sections.get("info", {}).get("out", []):
        if line.startswith("kernel "):
            return line.split()[1]
    return None


def version_of(release):
    m = re.match(r"(\d+)\.(\d+)", release or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def decode_json(sec):
    """The section's JSON report, or None with the reason."""
    if not sec["json"]:
        return None, "no JSON report"
    try:
        return json.loads(base64.b64decode("".join(sec["json"]))), None
    except (ValueError, TypeError) as e:
        return None, "bad JSON report: %s" % e


def worker_failures(w, n, resp_size, kernel, skb_copy):
    tag = "w%d " % w["id"]
    u, bad = w["user"], []
    if not w["requests"] == w["responses"] == n:
        bad.append(tag + "requests/responses %d/%d != %d" % (w["requests"], w["responses"], n))
    if w["crc_errors"] != 0:
        bad.append(tag + "crc_errors %d" % w["crc_errors"])
    if resp_size is not None and u["recv"]["bytes"] != n * resp_size:
        bad.append(tag + "recv bytes %d != %d x %d" % (u["recv"]["bytes"], n, resp_size))
    if w["extra_recv_calls"] != u["recv"]["calls"] - w["responses"]:
        bad.append(tag + "extra_recv_calls != recv calls - responses")
    if not kernel:
        return bad
    if "kernel" not in w:
        return bad + [tag + "no kernel section"]
    k = w["kernel"]
    for d in ("send", "recv"):
        for f in ("calls", "bytes", "eagain"):
            if u[d][f] != k[d][f]:
                bad.append(tag + "%s %s user %d kernel %d" % (d, f, u[d][f], k[d][f]))
    ti = w["tcp_info"]
    if k["send"]["data_segs"] != ti["data_segs_out"]:
        bad.append(tag + "data segs out kernel %d tcp_info %d"
                   % (k["send"]["data_segs"], ti["data_segs_out"]))
    if k["recv"]["data_segs"] != ti["data_segs_in"]:
        bad.append(tag + "data segs in kernel %d tcp_info %d"
                   % (k["recv"]["data_segs"], ti["data_segs_in"]))
    # What held each send (read with CO-RE on this kernel's tcp_sock):
    # one class per timed send that wrote bytes.
    s = k["send"]
    timed = s["calls"] - s["eagain"] - s["errors"] - s["untimed"]
    if sum(s["held"].values()) != timed:
        bad.append(tag + "send holds %s do not sum to %d timed sends" % (s["held"], timed))
    if s["held"]["none"] > ti["data_segs_out"]:
        bad.append(tag + "sends fully sent %d > data segs out %d"
                   % (s["held"]["none"], ti["data_segs_out"]))
    data_recvs = u["recv"]["calls"] - u["recv"]["eagain"]
    if skb_copy and k["recv"]["skbs"] < data_recvs:
        bad.append(tag + "skbs drained %d < data recvs %d" % (k["recv"]["skbs"], data_recvs))
    return bad


def invariant_failures(doc, n, workers):
    """The host integration tests' invariants on one report."""
    ws = doc.get("workers", [])
    if len(ws) != workers:
        return ["%d workers in the report, expected %d" % (len(ws), workers)]
    sink = doc.get("sink")
    if sink is None:
        return ["no sink section"]
    resp_size = None
    if sink["requests"] and sink["bytes_out"] % sink["requests"] == 0:
        resp_size = sink["bytes_out"] // sink["requests"]
    bad = []
    skb_copy = doc.get("features", {}).get("skb_copy", False)
    for w in ws:
        bad += worker_failures(w, n, resp_size, doc["backend"] != "off", skb_copy)
    if doc["backend"] != "off":
        lost = {k: v for k, v in doc.get("drops", {"no drops section": 1}).items() if v}
        if lost:
            bad.append("kernel drops %s" % lost)
    t_req = sum(w["requests"] for w in ws)
    if sink["requests"] != t_req:
        bad.append("sink requests %d != %d" % (sink["requests"], t_req))
    for key, d in (("bytes_in", "send"), ("bytes_out", "recv")):
        user = sum(w["user"][d]["bytes"] for w in ws)
        if sink[key] != user:
            bad.append("sink %s %d != user %s bytes %d" % (key, sink[key], d, user))
    return bad


def failed_run(sec, doc):
    """Why a run exited non-zero: its stderr, else the workers' errors."""
    why = [l for l in sec["err"] if useful(l)][-2:]
    if doc is not None:
        why += ["w%d: %s" % (w["id"], w["error"]) for w in doc.get("workers", [])
                if w.get("error")][:2]
        if doc.get("partial"):
            why.append("partial report")
    return "exit %d: %s" % (sec["rc"], "; ".join(why) or "no message")


def run_cell(sec, want, n, workers):
    """A backend expected to work: (status, detail, chosen backend)."""
    if sec is None or sec["rc"] is None:
        return "fail", "run did not finish", None
    doc, why = decode_json(sec)
    chosen = doc.get("backend") if doc else None
    if sec["rc"] != 0:
        return "fail", failed_run(sec, doc), chosen
    if doc is None:
        return "fail", why, None
    if chosen != want:
        return "fail", "backend %s, expected %s" % (chosen, want), chosen
    bad = invariant_failures(doc, n, workers)
    if bad:
        more = " (+%d more)" % (len(bad) - 1) if len(bad) > 1 else ""
        return "fail", bad[0] + more, chosen
    return "pass", "", chosen


def unavailable_cell(sec, names):
    """A backend the kernel cannot run: exit 1 with one clear line that
    names what is missing (names: a word the line must contain)."""
    if sec is None or sec["rc"] is None:
        return "fail", "run did not finish", None
    lines = [l for l in sec["err"] if l.strip()]
    if sec["rc"] != 1:
        return "fail", "exit %d, expected 1 (unavailable)" % sec["rc"], None
    if len(lines) != 1 or names not in lines[0]:
        return "fail", "expected one line naming %s, got %r" % (names, lines[:3]), None
    return "unavailable", lines[0], None


def fentry_refusal(ver, machine):
    """The word fentry's refusal names on this kernel, None if it runs:
    bpf_get_func_ret arrived in 5.17, arm64's trampolines in 6.4."""
    if ver < (5, 17):
        return "5.17"
    if machine == "aarch64" and ver < (6, 4):
        return "6.4"
    return None


def expected(b, ver, machine):
    """What backend b does on kernel version ver: ("run", backend it must
    pick) or ("unavailable", the word its one-line refusal names). Below
    5.11 no backend loads (no task storage for tracing programs) and auto
    runs without the kernel view, saying why."""
    if ver < (5, 11):
        return ("run", "off") if b == "auto" else ("unavailable", "5.11")
    no_fentry = fentry_refusal(ver, machine)
    if b == "fentry" and no_fentry:
        return "unavailable", no_fentry
    if b == "tracepoint" and ver < (6, 3):
        return "unavailable", "tracepoint"
    if b == "auto":
        return "run", "kprobe" if no_fentry else "fentry"
    return "run", b


def nargs_line(name, sections, want):
    """tcp_recvmsg's arity as reqperf detected it, from the JSON report
    (btf.tcp_recvmsg_nargs) or the --verbose log of the auto run."""
    sec = sections.get("auto")
    got = None
    if sec is not None:
        doc, _ = decode_json(sec)
        if doc is not None:
            got = doc.get("btf", {}).get("tcp_recvmsg_nargs")
        for line in sec["err"]:
            m = re.search(r"tcp_recvmsg\D{0,40}?(\d) arg", line)
            if got is None and m:
                got = int(m.group(1))
    if got is None:
        return "ok - vm %s tcp_recvmsg nargs # SKIP reqperf does not report it " \
               "(expected %d)" % (name, want)
    if got == want:
        return "ok - vm %s tcp_recvmsg nargs %d" % (name, got)
    return "not ok - vm %s tcp_recvmsg nargs %d, expected %d" % (name, got, want)


def vm_failure(outdir):
    """Why a guest did not reach its end, and the console's last lines."""
    try:
        rc = int(open(os.path.join(outdir, "rc")).read())
    except (OSError, ValueError):
        rc = None
    why = {None: "vm did not finish", 124: "vm timed out"}.get(rc, "qemu exited %s" % rc)
    try:
        raw = open(os.path.join(outdir, "console.log"), "rb").read().decode("utf-8", "replace")
    except OSError:
        raw = ""
    raw = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]|\x1bc", "", raw).replace("\r", "")
    tail = [l for l in raw.split("\n") if l.strip()][-15:]
    return why, tail


def check_kernel(name, package, outdir, n, workers, full=0):
    """Prints the kernel's ok / not ok lines; returns its matrix row."""
    sections, done = parse_log(os.path.join(outdir, "data.log"))
    release = release_of(sections)
    ver = version_of(release)
    lines, row = [], {"kernel": name, "release": release or name, "package": package,
                      "wall": wall_of(outdir)}
    if ver is None:
        why, tail = vm_failure(outdir)
        for b in BACKENDS:
            lines.append("not ok - vm %s %s %s" % (name, b, why))
            row[b] = ("fail", None)
        print("\n".join(lines))
        print("\n".join("# console: " + l for l in tail))
        row["failed"] = True
        return row
    row["machine"] = machine_of(sections)
    row["bpf"] = {}
    for b in BACKENDS:
        sec = sections.get(b)
        doc = decode_json(sec)[0] if sec else None
        if doc and "bpf_stats" in doc:
            row["bpf"][b] = doc["bpf_stats"]
        kind, what = expected(b, ver, row["machine"])
        if kind == "unavailable":
            status, detail, chosen = unavailable_cell(sec, what)
        else:
            status, detail, chosen = run_cell(sec, what, n, workers)
            if status == "pass" and what == "off":
                status, detail = off_warning(sec)
        row[b] = (status, chosen)
        if status == "pass":
            lines.append("ok - vm %s %s%s" % (name, b, " chose " + chosen if b == "auto" else ""))
        elif status == "unavailable":
            lines.append("ok - vm %s %s unavailable as expected: %s" % (name, b, detail))
        else:
            lines.append("not ok - vm %s %s %s" % (name, b, detail))
            verbose = sections.get(b + "-verbose")
            if verbose and not (sec or {}).get("json"):
                log = [l for l in verbose["err"] if useful(l)]
                lines += ["# %s --verbose: %s" % (b, l) for l in log[-40:]]
    if ver >= (5, 11):
        lines.append(nargs_line(name, sections, 5 if ver >= (5, 19) else 6))
    refusals = {"fentry": fentry_refusal(ver, row["machine"])}
    if ver < (5, 11):
        refusals = {"fentry": "5.11", "kprobe": "5.11"}
    path_lines, row["paths"] = check_paths(name, sections, refusals)
    lines += path_lines
    wire_lines, row["wire"] = check_wire(name, ver, sections, n, workers, invariant_failures)
    lines += wire_lines
    netns_lines, row["netns"] = check_netns(name, sections, invariant_failures, full)
    lines += netns_lines
    if not done:
        why, tail = vm_failure(outdir)
        lines.append("not ok - vm %s guest end marker: %s" % (name, why))
        lines += ["# console: " + l for l in tail]
    print("\n".join(lines))
    row["failed"] = any(l.startswith("not ok") for l in lines)
    return row


CELL = {"pass": "pass", "fail": "FAIL", "unavailable": "unavailable", "skipped": "SKIPPED"}


def wall_of(outdir):
    try:
        return "%s s" % int(open(os.path.join(outdir, "wall")).read())
    except (OSError, ValueError):
        return "-"


def print_matrix(rows):
    print("VM kernel matrix (unavailable: expected on that kernel, and checked)")
    print("  %-22s %-8s %-11s %-11s %-11s %-13s %s" % ("kernel", "machine", *BACKENDS, "wall"))
    for r in rows:
        status, chosen = r["auto"]
        auto = CELL[status] + (" (%s)" % chosen if chosen else "")
        print("  %-22s %-8s %-11s %-11s %-11s %-13s %s" % (
            r["release"], r.get("machine", "-"), CELL[r["fentry"][0]], CELL[r["kprobe"][0]],
            CELL[r["tracepoint"][0]], auto, r.get("wall", "-")))
    for r in rows:
        print("  %s: %s" % (r["kernel"], r["package"]))


def print_costs(rows):
    """The --bpf-stats figures of every run (information, no verdict): run
    time of reqperf's programs per response and, per program, runs per
    response, ns per run and verified instructions. Under TCG every
    nanosecond is emulated: compare backends within one kernel, and runs
    and instructions anywhere."""
    for r in rows:
        for b in BACKENDS:
            c = r.get("bpf", {}).get(b)
            if not c:
                continue
            resp = c["ns_per_response"]
            print("# vm bpf cost %s %s: %.0f ns per response (emulated)" % (
                r["release"], b, resp))
            n = c.get("responses") or 0
            for p in sorted(c["programs"], key=lambda p: -p["run_ns"]):
                if p["runs"] and n:
                    print("#   %-20s %6.2f runs x %6.0f ns = %7.0f ns  %4d insns" % (
                        p["name"], p["runs"] / n, p["run_ns"] / p["runs"],
                        p["run_ns"] / n, p["insns"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--full", type=int, default=0, help="the guests ran the longer --netns runs")
    ap.add_argument("--kernel", nargs=3, action="append", default=[],
                    metavar=("SERIES", "PACKAGE", "OUTDIR"))
    ap.add_argument("--skip", nargs=2, action="append", default=[],
                    metavar=("SERIES", "REASON"))
    a = ap.parse_args()
    rows = []
    for series, package, outdir in a.kernel:
        rows.append(check_kernel(series, package, outdir, a.requests, a.workers, a.full))
    for series, reason in a.skip:
        skipped = ("skipped", None)
        rows.append({"kernel": series, "release": series, "package": "skipped",
                     "failed": False, **{b: skipped for b in BACKENDS}})
    print_matrix(rows)
    print_costs(rows)
    print_paths(rows)
    print_wire(rows)
    print_netns(rows)
    return 1 if any(r["failed"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
