# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The text report against the JSON report of the same run: every number in
the summary block is checked against the JSON, every line fits in 80
columns, the default report stays short whatever the worker count, and
--detail adds the per-worker blocks. Usage: test_report.py BUILD/reqperf"""
import json
import os
import re
import tempfile

from harness import check, need_root, run, run_all, test


def fmt_ns(ns):
    """report_fmt_ns() in Python: the text report's time format."""
    if ns < 1e3 and ns == int(ns):
        return "%.0f ns" % ns
    if ns < 1e3:
        return "%.1f ns" % ns
    if ns < 1e6:
        return "%.3f us" % (ns / 1e3)
    if ns < 1e9:
        return "%.3f ms" % (ns / 1e6)
    return "%.3f s" % (ns / 1e9)


def run_both(args):
    """One run, text on stdout and JSON in a file: (rc, text, doc, err)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        rc, out, err, _ = run(["run"] + args + ["--json", f.name], timeout=120)
        try:
            doc = json.load(open(f.name))
        except ValueError:
            doc = None
    return rc, out, doc, err


def summary_block(text):
    """The lines from 'summary (' up to the blank line that ends it."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("summary ("))
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    return lines[start:end]


def expectations(doc):
    """(regex, [expected strings]) in the summary's order, from the JSON."""
    t, ws, s = doc["totals"], doc["workers"], doc.get("sink")
    u, k = t["user"], t.get("kernel")
    has_k = k is not None and doc["backend"] != "off"
    x = {key: sum(w["extra_recv"][key] or 0 for w in ws) for key in ws[0]["extra_recv"]
         if key not in ("closes", "responses_per_recv_call", "recv_calls_per_response")}
    segs = lambda key: sum(w["tcp_info"][key] for w in ws)
    kw = [w for w in ws if w.get("kernel")]
    seg_ok = [w for w in kw if w["ktcp"]["data_segs_out"] == w["tcp_info"]["data_segs_out"]
              and w["ktcp"]["data_segs_in"] == w["tcp_info"]["data_segs_in"]]
    rate = lambda v: "%.2f" % v
    exp = [
        (r"summary \((\d+) workers\)", [str(len(ws))]),
        (r"responses: (\d+)/(\d+) in ([\d.]+) s, ([\d.]+) responses/s \(wall\), errors (\d+)",
         [str(t["responses"]), str(t["requests"]), "%.3f" % t["elapsed_s"],
          "%.1f" % t["rps"], str(t["errors"])]),
    ]
    cells = lambda f: [f(u["send"])] + ([f(k["send"])] if has_k else []) + \
        [f(u["recv"])] + ([f(k["recv"])] if has_k else [])
    time_re = r"([\d.]+ [nums]+)"
    n = 4 if has_k else 2
    exp.append((r"calls" + r"\s+(\d+)" * n, cells(lambda c: str(c["calls"]))))
    for row in ("mean", "min", "max"):
        exp.append((row + (r"\s+" + time_re) * n, cells(lambda c: fmt_ns(c["ns"][row]))))
    ratio = "%.2f" % (t["seed_send_rate"] / t["seed_recv_rate"])
    exp.append((r"in total: req\. p/s: ([\d.]+), recv\. p/s: ([\d.]+), "
                r"send/recv ratio: ([\d.]+):1",
                [rate(t["seed_send_rate"]), rate(t["seed_recv_rate"]), ratio]))
    exp.append((r"integrity: (\d+) body bytes checked, CRC errors (\d+)",
                [str(sum(w["body_bytes"] for w in ws)), str(t["crc_errors"])]))
    for d, sink_key in (("send", "bytes_in"), ("recv", "bytes_out")):
        want = [str(u[d]["bytes"])]
        pat = d + r" user (\d+)"
        if has_k:
            pat += r", kernel (\d+)"
            want.append(str(k[d]["bytes"]))
        if s:
            pat += r", sink (\d+)"
            want.append(str(s[sink_key]))
        exp.append((pat, want))
    calls, resp = x["recv_calls"], x["responses"]
    exp.append((r"extra recv: (-?\d+) = (\d+) recv calls - (\d+) responses \(([\d.]+) "
                r"responses per call\): full-buffer (\d+) \(filled the (\d+) B buffer, no "
                r"response ended\), short (\d+) \(no response ended\), eagain (\d+)",
                [str(calls - resp), str(calls), str(resp),
                 "%.2f" % (resp / calls if calls else 0), str(x["full_buffer"]),
                 str(doc["config"]["recv_size"]), str(x["short"]), str(x["eagain"])]))
    if x["failed"]:
        exp.append((r"failed (\d+)", [str(x["failed"])]))
    if x["surplus_responses"]:
        exp.append((r"less (\d+) surplus responses \((\d+) calls completed (\d+) or more\)",
                    [str(x["surplus_responses"]), str(x["multi_response_calls"]), "2"]))
    if has_k:
        exp.append((r"kernel, all data recvs: short\+empty (\d+), full\+queued (\d+)",
                    [str(x["kernel_short_empty"]), str(x["kernel_full_queued"])]))
    exp.append((r"segments: data out (\d+) in (\d+) \(tcp_info\)",
                [str(segs("data_segs_out")), str(segs("data_segs_in"))]))
    if kw:
        exp.append((r"kernel \w+ on (\d+)/(\d+) workers", [str(len(seg_ok)), str(len(kw))]))
    exp.append((r"retrans (\d+)", [str(segs("total_retrans"))]))
    sw = [w["sched_view"] for w in kw if w["sched_view"].get("has_kernel")
          and w["sched_view"].get("rusage")]
    agree = [v for v in sw if v["rusage"]["nvcsw_lo"] <= v["nvcsw"] <= v["rusage"]["nvcsw_hi"]
             and v["rusage"]["nivcsw_lo"] <= v["nivcsw"] <= v["rusage"]["nivcsw_hi"]]
    if sw:
        exp.append((r"switches kernel vs getrusage \w+ on (\d+)/(\d+)",
                    [str(len(agree)), str(len(sw))]))
    return exp


def check_summary(tag, text, doc):
    """Each expected figure is where the summary says it is; no number in
    the summary is left unchecked."""
    flat = " ".join(" ".join(summary_block(text)).split())
    for pat, want in expectations(doc):
        m = re.search(pat, flat)
        if not check("%s: summary has %s" % (tag, pat.split("(")[0].strip() or pat), m,
                     "pattern %r not in %r" % (pat, flat)):
            continue
        check("%s: %s = JSON" % (tag, pat.split("(")[0].strip()), list(m.groups()) == want,
              "text %s, JSON %s" % (list(m.groups()), want))
        flat = flat[:m.start()] + " " + flat[m.end():]
    left = re.findall(r"\d[\d.]*", flat)
    check("%s: every number in the summary was checked" % tag, not left,
          "unchecked %s in %r" % (left, flat))


@test
def summary_equals_json():
    if not need_root("summary_equals_json"):
        return
    for tag, args in (("w2", ["-w", "2", "-n", "64"]),
                      ("pingpong", ["-w", "1", "-n", "32", "--mode", "pingpong"]),
                      ("big recv", ["-w", "2", "-n", "64", "-r", "65536"])):
        rc, text, doc, err = run_both(args)
        if not check("%s: exit 0 with a JSON document" % tag, rc == 0 and doc, err[-300:]):
            continue
        check_summary(tag, text, doc)
        check("%s: lines under 80 columns" % tag,
              all(len(l) < 80 for l in text.splitlines()), max(text.splitlines(), key=len))
        check("%s: summary under 25 lines" % tag, len(summary_block(text)) < 25,
              str(len(summary_block(text))))
        rows = [l for l in text.splitlines() if re.match(r"\s*\d+\s+(\d+|-)\s+\S+/\d+\s", l)]
        check("%s: one table line per worker" % tag, len(rows) == len(doc["workers"]),
              "\n".join(rows))
        for w, row in zip(doc["workers"], rows):
            f = row.split()
            check("%s: worker %d line = JSON (id, responses, extra recv, segments)"
                  % (tag, w["id"]),
                  f[0] == str(w["id"]) and f[3] == str(w["responses"])
                  and f[8] == str(w["extra_recv_calls"])
                  and f[9] == "%d/%d" % (w["tcp_info"]["data_segs_in"],
                                         w["tcp_info"]["data_segs_out"]), row)


@test
def user_only_summary():
    """--probe off: the summary has no kernel columns and still agrees."""
    rc, text, doc, err = run_both(["-w", "2", "-n", "32", "--probe", "off"])
    if check("probe off: exit 0", rc == 0 and doc, err[-300:]):
        check_summary("probe off", text, doc)
        check("probe off: the warning says there is no kernel view",
              "no kernel view" in "\n".join(summary_block(text)), text)


@test
def many_workers_stay_short():
    """More workers than CPUs: the default report grows by one line per
    worker only; --detail adds a block per worker."""
    if not need_root("many_workers_stay_short"):
        return
    n = 2 * (os.cpu_count() or 1) + 4
    rc, out, err, _ = run(["run", "-w", str(n), "-n", "16"], timeout=120)
    rc1, out1, err1, _ = run(["run", "-w", "1", "-n", "16"], timeout=120)
    if not check("w%d and w1: exit 0" % n, rc == 0 and rc1 == 0, err[-300:] + err1[-300:]):
        return
    grow = len(out.splitlines()) - len(out1.splitlines())
    # one table line per worker; wider totals may wrap a summary line or two
    check("w%d: %d more workers add %d lines (+2 for wider sums)" % (n, n - 1, n - 1),
          n - 1 <= grow <= n + 1,
          "%d lines vs %d" % (len(out.splitlines()), len(out1.splitlines())))
    check("w%d: summary under 25 lines" % n, len(summary_block(out)) < 25, out)
    rc, out, err, _ = run(["run", "-w", "2", "-n", "16", "--detail"], timeout=120)
    check("--detail: a block per worker, per-CPU table, totals",
          rc == 0 and "worker 0  cpu" in out and "worker 1  cpu" in out
          and "per cpu (kernel)" in out and "\ntotals (" in out, out[-600:])


if __name__ == "__main__":
    run_all()
