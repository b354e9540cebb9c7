# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf run --netns with --loss/--dup/--link-rate/--delay: the tc program and
the qdiscs are really on the veth ends during the run and gone after it on
every way out; what the program counted agrees with the sockets' own
TCP_INFO; every byte still arrives once with its CRC.
Usage: test_impair.py BUILD/reqperf"""
import os
import signal
import subprocess
import time

import harness
from harness import check, run, run_all, run_json, test
from test_run import check_invariants, embedded_size
import test_netns
from test_netns import Run, check_gone, names_of, netns_names, wait_for

harness.TESTS.clear()  # test_run's and test_netns' own tests run from their files

SIZE = None
NO_OFFLOAD = ["--tso", "off", "--gso", "off"]  # one skb == one segment on the wire


def impair_progs():
    """Ids of the loaded tc programs of ours."""
    out = subprocess.run(["bpftool", "prog", "show"], capture_output=True, text=True,
                         timeout=10).stdout
    return {l.split(":")[0] for l in out.splitlines() if "rp_impair_" in l}


def tc_show(ns, what):
    return subprocess.run(["tc", "-n", ns] + what, capture_output=True, text=True,
                          timeout=10).stdout


def counters(doc, d):
    return doc["impairments"][d]["counters"]


def tcp_sum(doc, key):
    return sum(w["tcp_info"][key] for w in doc["workers"])


def check_retrans(name, doc):
    """Each end's classified retransmissions add up to its TCP_INFO
    total_retrans; the classes are the only ones there are."""
    rt = doc["impairments"]["retransmits"]
    check(name + ": retransmissions classified", rt["classified"] and rt["not_counted"] == 0,
          str(rt))
    for end in ("client", "sink"):
        e = rt[end]
        segs = sum(e[c]["segs"] for c in ("fast", "rto", "probe"))
        # Deterministic loss matches exactly; under random loss a few
        # segments more in total_retrans than the tracepoint showed have
        # been seen on 6.18 (docs/impairments.md): bounded, not hidden.
        ti = e["tcp_info_total_retrans"]
        check("%s: %s fast + rto + probe == tcp_info total_retrans (within 10 %%, 2)"
              % (name, end), segs == e["segs"] and abs(segs - ti) <= max(2, ti // 10),
              str(e))
    for end in ("client", "sink"):
        per_conn = sum(c[k]["segs"] for c in rt["connections"] if c["end"] == end
                       for k in ("fast", "rto", "probe"))
        check("%s: %s connections sum to the end's total" % (name, end),
              per_conn == rt[end]["segs"], "%d != %d" % (per_conn, rt[end]["segs"]))


@test
def loss_every_nth_c2s():
    """Every 7th request packet dropped: exactly that many lost, each lost
    one retransmitted, the program saw every segment the client sent."""
    rc, doc, err = run_json(["run", "--netns", "-w", "1", "-n", "150", "--mode", "pingpong",
                             "--loss", "c2s:every:7"] + NO_OFFLOAD, timeout=120)
    check("loss every:7: exit 0", rc == 0 and doc is not None, err)
    if doc is None:
        return
    check_invariants("loss every:7", doc, 150, SIZE)
    c = counters(doc, "c2s")
    check("loss every:7: lost == data packets / 7", c["lost_pkts"] == c["data_pkts"] // 7,
          str(c))
    check("loss every:7: one segment per packet (offloads off)",
          c["data_segs"] == c["data_pkts"] and c["lost_segs"] == c["lost_pkts"], str(c))
    check("loss every:7: program's data segments == client's TCP_INFO data_segs_out",
          c["data_segs"] == tcp_sum(doc, "data_segs_out"),
          "%d != %d" % (c["data_segs"], tcp_sum(doc, "data_segs_out")))
    retr = tcp_sum(doc, "total_retrans")
    check("loss every:7: retransmissions >= packets lost", retr >= c["lost_pkts"] > 0,
          "retrans %d lost %d" % (retr, c["lost_pkts"]))
    check("loss every:7: extra wire packets == retransmissions",
          c["data_pkts"] - 150 == retr, "%d - 150 != %d" % (c["data_pkts"], retr))
    s = counters(doc, "s2c")
    check("loss every:7: nothing lost or duplicated the other way",
          s["lost_pkts"] == 0 and s["dup_pkts"] == 0 and s["data_pkts"] > 0, str(s))
    check("loss every:7: the sink got every segment not dropped",
          doc["sink"]["tcp_info"]["data_segs_in"] == c["data_segs"] - c["lost_segs"],
          "%s %s" % (doc["sink"]["tcp_info"], c))
    check_retrans("loss every:7", doc)
    # The client's namespace holds only this run's sockets: its kernel
    # counters say the same independently (TCPTimeouts, TCPLossProbes and
    # the retransmit queue's counters add up to what was resent).
    ext = doc.get("tcp_ext") or {}
    cl = ext.get("client")
    check("loss every:7: tcp_ext read in both namespaces", cl is not None and
          ext.get("sink") is not None, str(ext))
    if cl:
        check("loss every:7: the client's kernel retransmitted (TcpExt)",
              cl["TCPFastRetrans"] + cl["TCPSlowStartRetrans"] + cl["TCPLossProbes"] +
              cl["TCPTimeouts"] > 0, str(cl))
        check("loss every:7: nothing the sink sent was retransmitted or reordered",
              ext["sink"]["TCPFastRetrans"] == ext["sink"]["TCPTimeouts"] == 0 and
              cl["TCPOFOQueue"] == 0, str(ext))


@test
def random_loss_s2c():
    rc, doc, err = run_json(["run", "--netns", "-w", "2", "-n", "150", "--mode", "pingpong",
                             "--loss", "s2c:5%", "--seed", "42"] + NO_OFFLOAD, timeout=120)
    check("random loss 5%: exit 0", rc == 0 and doc is not None, err)
    if doc is None:
        return
    check_invariants("random loss 5%", doc, 150, SIZE)
    im = doc["impairments"]
    check("random loss 5%: mechanism tc-bpf, seed 42, 5 %",
          im["seed"] == 42 and im["s2c"]["loss"] == {"mechanism": "tc-bpf", "model": "random",
                                                   "percent": 5, "seed": 42}, str(im))
    c = counters(doc, "s2c")
    frac = c["lost_pkts"] / max(c["data_pkts"], 1)
    check("random loss 5%: 1 % < lost < 12 % of data packets", 0.01 < frac < 0.12, str(c))
    check("random loss 5%: the client sees the sink's resends as data in",
          tcp_sum(doc, "data_segs_in") == c["data_segs"] - c["lost_segs"],
          "%d != %d - %d" % (tcp_sum(doc, "data_segs_in"), c["data_segs"], c["lost_segs"]))
    st = doc["sink"]["tcp_info"]
    check("random loss 5%: program's segments == sink's TCP_INFO data_segs_out",
          c["data_segs"] == st["data_segs_out"], "%d != %d" % (c["data_segs"],
                                                             st["data_segs_out"]))
    per = -(-SIZE // doc["topology"]["snd_mss"])
    cl = (doc.get("tcp_ext") or {}).get("client") or {}
    check("random loss 5%: the client queued segments out of order (TcpExt TCPOFOQueue)",
          cl.get("TCPOFOQueue", 0) > 0, str(cl))
    check("random loss 5%: extra wire segments == sink retransmissions",
          c["data_segs"] - 300 * per == st["total_retrans"] > 0,
          "%d - 300 x %d != %d" % (c["data_segs"], per, st["total_retrans"]))
    check_retrans("random loss 5%", doc)
    check("random loss 5%: the sink was busy sending, its limits are reported",
          st["busy_us"] > 0 and st["delivery_rate_max"] > 0 and
          st["rwnd_limited_us"] <= st["busy_us"] and st["sndbuf_limited_us"] <= st["busy_us"],
          str(st))


@test
def dup_c2s():
    """Every 3rd request packet duplicated: the sink sees each twice and
    says so with a D-SACK the client counts; nothing is resent."""
    rc, doc, err = run_json(["run", "--netns", "-w", "1", "-n", "120", "--mode", "pingpong",
                             "--dup", "c2s:every:3"] + NO_OFFLOAD, timeout=120)
    check("dup every:3: exit 0", rc == 0 and doc is not None, err)
    if doc is None:
        return
    check_invariants("dup every:3", doc, 120, SIZE)
    c = counters(doc, "c2s")
    check("dup every:3: duplicated == data packets / 3, none refused",
          c["dup_pkts"] == c["data_pkts"] // 3 and c["dup_failed"] == 0, str(c))
    check("dup every:3: no retransmission", tcp_sum(doc, "total_retrans") == 0,
          str(tcp_sum(doc, "total_retrans")))
    dsack = tcp_sum(doc, "dsack_dups")
    check("dup every:3: D-SACKs received == duplicates injected", dsack == c["dup_pkts"],
          "dsack %d dup %d" % (dsack, c["dup_pkts"]))
    ext = doc.get("tcp_ext") or {}
    check("dup every:3: the sink's kernel sent a D-SACK per duplicate, the client's "
          "received them (TcpExt TCPDSACKOldSent, TCPDSACKRecv)",
          (ext.get("sink") or {}).get("TCPDSACKOldSent") == c["dup_pkts"] ==
          (ext.get("client") or {}).get("TCPDSACKRecv"), str(ext))
    check("dup every:3: the sink received every segment plus the duplicates",
          doc["sink"]["tcp_info"]["data_segs_in"] == c["data_segs"] + c["dup_segs"],
          "%s %s" % (doc["sink"]["tcp_info"], c))
    check_retrans("dup every:3", doc)
    check("dup every:3: sink bytes in == client bytes out",
          doc["sink"]["bytes_in"] == doc["workers"][0]["user"]["send"]["bytes"],
          str(doc["sink"]))


@test
def attached_during_run():
    """The program and TBF are on the veth ends while the run goes."""
    before = impair_progs()
    r = Run(["-w", "1", "--duration", "3", "--mode", "pingpong", "--loss", "s2c:1%",
             "--link-rate", "c2s:50mbit"])
    ok = r.started()
    check("attached: run started", ok)
    ns = "reqperf-%d-" % r.p.pid
    if ok:
        f = tc_show(ns + "s", ["filter", "show", "dev", "rp-s", "ingress"])
        check("attached: c2s program at rp-s ingress", "rp_impair_c2s" in f, f)
        f = tc_show(ns + "c", ["filter", "show", "dev", "rp-c", "ingress"])
        check("attached: s2c program at rp-c ingress", "rp_impair_s2c" in f, f)
        q = tc_show(ns + "c", ["qdisc", "show", "dev", "rp-c"])
        check("attached: tbf root on rp-c, rate 50Mbit", "tbf" in q and "50Mbit" in q, q)
        q = tc_show(ns + "s", ["qdisc", "show", "dev", "rp-s"])
        check("attached: no tbf on rp-s", "tbf" not in q, q)
        check("attached: three programs loaded (2 tc, 1 tp_btf)",
              len(impair_progs() - before) == 3, str(impair_progs()))
    rc, doc, err = r.finish()
    check("attached: exit 0", rc == 0 and doc is not None, err)
    if doc:
        rate = doc["impairments"]["c2s"]["rate"]
        check("attached: report says tbf 50 Mbit/s", rate and rate["mechanism"] == "tbf" and
              rate["bits_per_s"] == 50000000, str(rate))
    check("attached: programs unloaded after exit",
          wait_for(lambda: not (impair_progs() - before), 10), str(impair_progs()))
    check_gone("attached", r.p.pid)


@test
def signals():
    before = impair_progs()
    for sig in (signal.SIGINT, signal.SIGTERM):
        name = "impair %s" % signal.Signals(sig).name
        r = Run(["-w", "1", "--duration", "10", "--mode", "pingpong", "--dup", "1%",
                 "--link-rate", "100mbit"])
        check(name + ": started", r.started())
        time.sleep(0.3)
        r.p.send_signal(sig)
        rc, doc, err = r.finish(timeout=20)
        check(name + ": exit 1, partial", rc == 1 and doc is not None and doc["partial"],
              "rc=%d %s" % (rc, err))
        check(name + ": programs unloaded",
              wait_for(lambda: not (impair_progs() - before), 10), str(impair_progs()))
        check_gone(name, r.p.pid)


@test
def sigkill_then_next_run():
    """SIGKILL leaves the namespaces with the program attached; the next
    run removes the namespaces and the program with them."""
    before = impair_progs()
    r = Run(["-w", "1", "--duration", "10", "--mode", "pingpong", "--loss", "1%"])
    check("impair SIGKILL: started", r.started())
    r.p.kill()
    r.finish()
    # the tp_btf link dies with the process (freed after an RCU grace
    # period, so wait); the tc filters hold theirs
    check("impair SIGKILL: tc programs left attached",
          wait_for(lambda: len(impair_progs() - before) == 2, 10), str(impair_progs()))
    rc, out, err, _ = run(["run", "--netns", "-w", "1", "-n", "8"], timeout=60)
    check("impair after SIGKILL: next run exit 0, stale namespace removed",
          rc == 0 and "removed stale namespace reqperf-%d-c" % r.p.pid in err, err)
    check("impair after SIGKILL: program gone with the namespaces",
          wait_for(lambda: not (impair_progs() - before), 20), str(impair_progs()))


@test
def no_netem_here():
    """--delay: netem where the kernel has it, one clear line where not."""
    rc, doc, err = run_json(["run", "--netns", "-w", "1", "-n", "20", "--mode", "pingpong",
                             "--delay", "s2c:5"], timeout=60)
    if rc == 0:
        ne = doc["impairments"]["s2c"]["netem"]
        check("delay: netem reported", ne and ne["delay_ms"] == 5, str(ne))
        return
    lines = [l for l in err.splitlines() if "kernel view" not in l]
    check("delay without netem: exit 1, one line naming sch_netem",
          rc == 1 and len(lines) == 1 and "sch_netem" in lines[0], "rc=%d %r" % (rc, err))


@test
def sweep():
    """Two loss settings, one round each: a row per setting, the lossy one
    with retransmissions, the clean one without; the plot written."""
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".svg") as svg:
        rc, out, err, _ = run(["run", "--netns", "-w", "1", "-n", "60", "--mode", "pingpong",
                               "--tso", "off", "--gso", "off", "--sweep-loss", "s2c:0,5",
                               "--sweep-repeat", "1", "--sweep-svg", svg.name], timeout=120)
        plot = open(svg.name).read()
    check("sweep: exit 0", rc == 0, err)
    rows = {}
    for l in out.splitlines():
        f = l.split()
        if len(f) == 12 and f[1] == "1500":
            rows[f[0]] = f
    check("sweep: one row per loss", set(rows) == {"0", "5"}, out)
    if set(rows) == {"0", "5"}:
        # (a clean link may still send a tail-loss probe: not checked)
        check("sweep: no loss, nothing lost", rows["0"][5] == "0", str(rows["0"]))
        rtx = sum(int(x) for x in rows["5"][6:9])
        # Not rtx >= lost: TCP may collapse two lost segments into one
        # retransmitted skb (tcp_retrans_try_collapse), so one retransmission
        # can repair two losses; every byte arriving is checked by the CRCs.
        check("sweep: 5 % loss, lost and retransmitted", int(rows["5"][5]) > 0 and
              rtx > 0, str(rows["5"]))
    check("sweep: svg with a line per figure", plot.count("<polyline") == 4, plot[:200])
    check("sweep: progress per round", err.count("reqperf: sweep ") == 2, err)


@test
def bad_flags():
    cases = [(["--loss", "1%"], "reqperf run: --loss, --dup, --link-rate"),
             (["--seed", "3"], "reqperf run: --loss, --dup, --link-rate"),
             (["--netns", "--loss", "100%"], "reqperf run: --loss: expected"),
             (["--netns", "--loss", "c2s:every:0"], "reqperf run: --loss: every:N"),
             (["--netns", "--dup", "at:5,3"], "reqperf run: --dup: at:"),
             (["--netns", "--link-rate", "0mbit"], "reqperf run: --link-rate: expected"),
             (["--netns", "--delay", "-5"], "reqperf run: --delay: expected"),
             (["--netns", "--reorder", "10%"], "reqperf run: --reorder needs --delay"),
             (["--netns", "--seed", "-1"], "reqperf run: --seed"),
             (["--sweep-loss", "0,1"], "reqperf run: --sweep-loss needs --netns"),
             (["--netns", "--sweep-loss", "1,0"], "reqperf run: --sweep-loss: expected"),
             (["--netns", "--sweep-loss", "0,1", "--loss", "1%"],
              "reqperf run: --sweep-loss sets the loss"),
             (["--netns", "--sweep-mtu", "1500"], "reqperf run: --sweep-mtu, --sweep-repeat"),
             (["--netns", "--sweep-loss", "0", "--sweep-repeat", "0"],
              "reqperf run: --sweep-repeat")]
    for args, msg in cases:
        rc, out, err, _ = run(["run"] + args, timeout=10)
        first = err.strip().splitlines()[0] if err.strip() else ""
        check("impair bad flags %s: exit 2, clear error" % " ".join(args),
              rc == 2 and first.startswith(msg), "rc=%d err=%r" % (rc, err))


if __name__ == "__main__":
    if os.geteuid() != 0:
        harness.skip("impair", "needs root")
        harness.finish()
    SIZE = embedded_size()
    test_netns.SIZE = SIZE
    run_all()
