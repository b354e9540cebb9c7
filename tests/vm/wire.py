# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Host side of the VM matrix's wire cell (tests/vm/init `wire`): `reqperf
run --wire --pcap` on the guest's loopback. The tc programs need tcx
(Linux 6.6) and bpf_get_current_pid_tgid() in tc programs (6.10): a kernel
with both must count every packet of the run with every path check equal,
and the pcap it wrote, read here by tshark, must hold exactly the packets
and payload bytes counted; an older kernel must refuse with exit 1 and one
line naming 6.10."""
import base64
import shutil
import subprocess
import tempfile

from paths import section_doc

WIRE_MIN = (6, 10)


def tshark_sums(pcap, port):
    """{dir: [packets, data packets, payload bytes]} as tshark reads the
    file, or None when tshark is not installed."""
    if not shutil.which("tshark"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".pcap") as f:
        f.write(pcap)
        f.flush()
        out = subprocess.run(["tshark", "-r", f.name, "-T", "fields", "-e", "tcp.srcport",
                              "-e", "tcp.len"], capture_output=True, text=True,
                             timeout=60).stdout
    sums = {"c2s": [0, 0, 0], "s2c": [0, 0, 0]}
    for line in out.splitlines():
        sport, plen = line.split("\t")
        s = sums["s2c" if int(sport) == port else "c2s"]
        s[0] += 1
        s[1] += int(plen) > 0
        s[2] += int(plen)
    return sums


def refused(sec):
    """An old kernel: exit 1, one line naming the minimum."""
    # Below 5.11 the run also warns that it has no kernel view (the
    # backends' own minimum, checked in the backend cells).
    lines = [l for l in sec["err"] if l.strip() and "warning: no kernel view" not in l]
    if sec["rc"] != 1:
        return ["exit %s, expected 1 (refused)" % sec["rc"]], ""
    if len(lines) != 1 or "6.10" not in lines[0]:
        return ["expected one line naming Linux 6.10, got %r" % lines[:3]], ""
    return [], lines[0]


def counted(sec, pcap_sec, n, workers, invariants):
    """A kernel that runs it: the run's invariants, every path check
    equal, one SYN per connection, nothing dropped, the pcap == counters."""
    doc = section_doc(sec)
    if sec["rc"] != 0 or doc is None:
        err = [l for l in sec["err"] if l.strip()]
        return ["exit %s: %s" % (sec["rc"], err[-1] if err else "no JSON")], ""
    bad = invariants(doc, n, workers)
    w, checks = doc.get("wire"), doc.get("path", {}).get("checks", [])
    if w is None:
        return bad + ["no wire section"], ""
    tx = w["tx"]
    if len(checks) != 4 or not all(c["equal"] and "wire_sent" in c for c in checks):
        bad.append("path checks %s" % [(c["what"], c["equal"]) for c in checks])
    if not tx["c2s"]["syn"] == tx["s2c"]["syn"] == w["connections"] == workers:
        bad.append("syn %d/%d for %d connections" % (tx["c2s"]["syn"], tx["s2c"]["syn"],
                                                      w["connections"]))
    if any(w["drops"].values()):
        bad.append("drops %s" % w["drops"])
    summary = "%d+%d packets, %d+%d B" % (tx["c2s"]["packets"], tx["s2c"]["packets"],
                                         tx["c2s"]["bytes"], tx["s2c"]["bytes"])
    pcap = base64.b64decode("".join(pcap_sec["json"])) if pcap_sec and pcap_sec["json"] else b""
    want = tx["c2s"]["packets"] + tx["s2c"]["packets"]
    if w["pcap"]["packets"] != want:
        bad.append("pcap wrote %d packets, counted %d" % (w["pcap"]["packets"], want))
    target = doc.get("config", {}).get("target", "")
    port = int(target.rsplit(":", 1)[1]) if ":" in target else None
    sums = tshark_sums(pcap, port) if port else None
    if sums is None:
        summary += "; pcap not read (no tshark or no target port)"
    else:
        mine = {d: [tx[d]["packets"], tx[d]["data_packets"], tx[d]["bytes"]] for d in sums}
        if sums != mine:
            bad.append("tshark reads %s, wire counted %s" % (sums, mine))
        summary += "; pcap %d B, tshark reads %d packets" % (
            len(pcap), sums["c2s"][0] + sums["s2c"][0])
    return bad, summary


def check_wire(name, ver, sections, n, workers, invariants):
    """ok / not ok lines and the cell ('pass', 'refused' or 'FAIL')."""
    sec = sections.get("wire")
    if sec is None or sec["rc"] is None:
        return ["not ok - vm %s wire: did not run" % name], "FAIL"
    if ver >= WIRE_MIN:
        bad, summary = counted(sec, sections.get("wire-pcap"), n, workers, invariants)
        ok = "ok - vm %s wire counted, path equal: %s" % (name, summary)
        cell = "pass"
    else:
        bad, summary = refused(sec)
        ok = "ok - vm %s wire refused as expected: %s" % (name, summary)
        cell = "refused"
    if bad:
        return ["not ok - vm %s wire: %s" % (name, "; ".join(bad))], "FAIL"
    return [ok], cell


def print_wire(rows):
    print("VM wire matrix (--wire --pcap on lo; tc programs need Linux %d.%d)" % WIRE_MIN)
    for r in rows:
        print("  %-22s %s" % (r["release"], r.get("wire", "SKIPPED")))
