# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The scheduler view and --compare on this machine: migrations and the
per-CPU table under --affinity on/off, the policy the kernel ran each
worker with, the kernel's switch counts against the workers' own
getrusage(), and every round of --compare in its JSON.
Usage: test_sched.py BUILD/reqperf"""
import csv
import io
import json
import os
import tempfile

from harness import need_root, check, run, run_all, run_json, test

ROOT = os.geteuid() == 0
NCPU = os.cpu_count() or 1


def sched_run(name, args):
    """A run with the kernel's scheduler view; None when it is missing."""
    rc, doc, err = run_json(["run", "-w", "2", "-n", "512", "--sched-view"] + args)
    if not check(name + ": run completes", rc == 0 and doc is not None, err[-400:]):
        return None
    have = doc["backend"] != "off" and doc["features"].get("sched")
    have = have and all(w["sched_view"]["has_kernel"] for w in doc["workers"])
    if not check(name + ": kernel scheduler view present", have, err[-400:]):
        return None
    return doc


def used_cpus(sv, key):
    return {c["cpu"] for c in sv["cpus"] if c[key] > 0}


def check_consistent(name, w):
    """Figures of one worker that must agree whatever the scheduler did."""
    sv = w["sched_view"]
    tag = "%s w%d" % (name, w["id"])
    unseen = sv["switch_in_unseen"]
    check(tag + ": every switch-out in the window came back in (seen or inferred)",
          sv["switch_in"] + unseen == sv["nvcsw"] + sv["nivcsw"],
          "in %d + unseen %d, out %d + %d" % (sv["switch_in"], unseen, sv["nvcsw"],
                                              sv["nivcsw"]))
    check(tag + ": run-queue wait within off-CPU time",
          sv["runq"]["sum_ns"] <= sv["offcpu_ns"],
          "%d > %d" % (sv["runq"]["sum_ns"], sv["offcpu_ns"]))
    if unseen:
        # Seen on this machine's kernel about once in 30 runs of unpinned
        # workers: the sched_switch tracepoint did not show a switch-in.
        # When the worker came back is unknown, so the per-CPU split of its
        # on-CPU time leaves that interval out; the total cannot match.
        print("# %s: %d switch-in(s) no sched_switch event showed; per-CPU "
              "on-CPU sum not checked" % (tag, unseen))
    else:
        check(tag + ": per-CPU on-CPU time sums to the total",
              sum(c["oncpu_ns"] for c in sv["cpus"]) == sv["oncpu_ns"],
              str(sv["cpus"]))
    calls = sum(c["send_calls"] + c["recv_calls"] for c in sv["cpus"])
    k = w["kernel"]
    check(tag + ": per-CPU calls sum to the kernel's calls",
          calls == k["send"]["calls"] + k["recv"]["calls"])
    ran = used_cpus(sv, "oncpu_ns")
    check(tag + ": calls only on CPUs it ran on",
          used_cpus(sv, "send_calls") | used_cpus(sv, "recv_calls") <= ran,
          str(sv["cpus"]))
    # A task reaches another CPU only by a migration and a switch-in there.
    entered = used_cpus(sv, "switch_in") - {sv["window_cpu"]}
    check(tag + ": CPUs run on were entered by a switch-in",
          ran <= entered | {sv["window_cpu"]}, "ran %s entered %s" % (ran, entered))
    check(tag + ": CPUs entered <= migrations",
          len(entered) <= sv["migrations"],
          "%d CPUs, %d migrations" % (len(entered), sv["migrations"]))


def check_rusage(name, w):
    """The kernel's counts lie in the bounds of the worker's getrusage()
    reads around its window edges (equal bounds: an exact match)."""
    sv = w["sched_view"]
    ru = sv["rusage"]
    tag = "%s w%d" % (name, w["id"])
    check(tag + ": voluntary switches == getrusage ru_nvcsw",
          ru["nvcsw_lo"] <= sv["nvcsw"] <= ru["nvcsw_hi"],
          "kernel %d, getrusage %d..%d" % (sv["nvcsw"], ru["nvcsw_lo"], ru["nvcsw_hi"]))
    check(tag + ": involuntary switches == getrusage ru_nivcsw",
          ru["nivcsw_lo"] <= sv["nivcsw"] <= ru["nivcsw_hi"],
          "kernel %d, getrusage %d..%d" % (sv["nivcsw"], ru["nivcsw_lo"], ru["nivcsw_hi"]))


@test
def affinity_on():
    if not need_root("affinity_on"):
        return
    doc = sched_run("affinity on", ["--affinity", "on", "--sched", "rr"])
    if not doc:
        return
    for w in doc["workers"]:
        sv = w["sched_view"]
        tag = "affinity on w%d" % w["id"]
        check(tag + ": pinned", w["cpu"] >= 0)
        check(tag + ": no migrations", sv["migrations"] == 0, str(sv["migrations"]))
        check(tag + ": ran only on its CPU", used_cpus(sv, "oncpu_ns") == {w["cpu"]},
              str(sv["cpus"]))
        check(tag + ": every kernel call on its CPU",
              used_cpus(sv, "send_calls") | used_cpus(sv, "recv_calls") == {w["cpu"]},
              str(sv["cpus"]))
        check_consistent("affinity on", w)
        check_rusage("affinity on", w)


@test
def affinity_off():
    if not need_root("affinity_off"):
        return
    # More workers than CPUs under SCHED_OTHER: the balancer moves them.
    args = ["run", "-w", str(NCPU + 1), "-n", "2048", "--affinity", "off", "--sched", "other",
            "--sched-view"]
    rc, doc, err = run_json(args)
    if not check("affinity off: run completes", rc == 0 and doc is not None, err[-400:]):
        return
    for w in doc["workers"]:
        check("affinity off w%d: not pinned" % w["id"], w["cpu"] == -1)
        if check("affinity off w%d: kernel view" % w["id"], w["sched_view"]["has_kernel"]):
            check_consistent("affinity off", w)
            check_rusage("affinity off", w)
    cpus = doc["sched_cpus"]
    on = {c["cpu"]: c["worker_oncpu_ns"] for c in cpus}
    per_worker = {}
    for w in doc["workers"]:
        for c in w["sched_view"]["cpus"]:
            per_worker[c["cpu"]] = per_worker.get(c["cpu"], 0) + c["oncpu_ns"]
    check("affinity off: per-CPU table == the workers' time per CPU",
          all(on.get(c, 0) == t for c, t in per_worker.items()), "%s %s" % (on, per_worker))
    check("affinity off: softirq in workers' context <= all softirq",
          all(c["worker_softirq"]["net_rx_ns"] <= c["softirq"]["net_rx_ns"] for c in cpus))
    check("affinity off: NET_RX softirq seen",
          sum(c["softirq"]["net_rx_ns"] for c in cpus) > 0)


@test
def policy_read_back():
    if not need_root("policy_read_back"):
        return
    for args, policy, prio in ((["--sched", "rr"], "SCHED_RR", 99),
                               (["--sched", "fifo", "--priority", "10"], "SCHED_FIFO", 10),
                               (["--sched", "other"], "SCHED_OTHER", 0)):
        name = "policy %s" % " ".join(args)
        doc = sched_run(name, args)
        if not doc:
            continue
        for w in doc["workers"]:
            sv = w["sched_view"]
            tag = "%s w%d" % (name, w["id"])
            check(tag + ": worker reads back %s/%d" % (policy, prio),
                  (w["sched"], w["priority"]) == (policy, prio),
                  "%s/%d" % (w["sched"], w["priority"]))
            check(tag + ": kernel ran it %s/%d" % (policy, prio),
                  (sv["kernel_policy"], sv["kernel_priority"]) == (policy, prio),
                  "%s/%s" % (sv["kernel_policy"], sv["kernel_priority"]))
            check_rusage(name, w)


@test
def compare_rounds():
    rc, doc, err = run_json(["run", "-w", "2", "-n", "256", "--compare", "both", "--repeat", "2"],
                            timeout=300)
    if not check("compare both: completes", rc == 0 and doc is not None, err[-400:]):
        return
    names = [s["name"] for s in doc["settings"]]
    check("compare both: four settings, baseline first",
          names == ["on/other", "on/rr", "off/other", "off/rr"] and
          doc["settings"][0]["baseline"], str(names))
    rounds = doc["rounds"]
    check("compare both: every round of every setting",
          len(rounds) == 8 and all(sum(1 for r in rounds if r["setting"] == n) == 2
                                   for n in names), str([r["setting"] for r in rounds]))
    check("compare both: rounds in run order, each round runs every setting once",
          [r["index"] for r in rounds] == list(range(8)) and
          all(sorted(r["setting"] for r in rounds if r["round"] == k) == sorted(names)
              for k in (0, 1)))
    check("compare both: the order rotates between rounds",
          rounds[0]["setting"] != rounds[4]["setting"])
    check("compare both: summary for every setting and figure",
          [s["setting"] for s in doc["summary"]] == names and
          all(set(s["metrics"]) == set(rounds[0]["metrics"]) for s in doc["summary"]))
    check("compare both: 2 rounds cannot reach p < 0.05, and the JSON says so",
          abs(doc["min_possible_p"] - 1 / 3) < 1e-9 and doc["rounds_needed"] == 4,
          "%s %s" % (doc["min_possible_p"], doc["rounds_needed"]))
    m = doc["summary"][1]["metrics"]["recv_calls"]
    check("compare both: effect size and possible p next to each p",
          abs(m["min_possible_p"] - 1 / 3) < 1e-9 and -1 <= m["cliffs_delta"] <= 1, str(m))
    for r in rounds:
        tag = "compare round %d (%s)" % (r["index"], r["setting"])
        setting = doc["settings"][names.index(r["setting"])]
        check(tag + ": complete, both workers", r["status"] == 0 and len(r["workers"]) == 2)
        for w in r["workers"]:
            pinned = w["cpu"] >= 0
            check(tag + " w%d: affinity as set" % w["id"], pinned == setting["affinity"])
            want = "SCHED_OTHER" if setting["sched"] == "other" else "SCHED_RR"
            check(tag + " w%d: policy as set" % w["id"], w["sched"] == want, w["sched"])
            if w["has_sched"]:
                check(tag + " w%d: kernel policy as set" % w["id"],
                      w["kernel_policy"] == want, str(w["kernel_policy"]))
                ru = w["rusage"]
                check(tag + " w%d: switches == getrusage" % w["id"],
                      ru is not None and
                      ru["nvcsw_lo"] <= w["nvcsw"] <= ru["nvcsw_hi"] and
                      ru["nivcsw_lo"] <= w["nivcsw"] <= ru["nivcsw_hi"], str(ru))
                if pinned:
                    check(tag + " w%d: pinned, no migrations" % w["id"],
                          w["migrations"] == 0)


@test
def compare_text():
    rc, out, err, _ = run(["run", "-w", "2", "-n", "128", "--compare", "affinity", "--repeat", "1"],
                          timeout=120)
    lines = out.splitlines()
    check("compare text: completes", rc == 0, err[-400:])
    check("compare text: every line < 80 columns", all(len(l) < 80 for l in lines),
          max(lines, key=len) if lines else "")
    head = [l for l in lines if l.startswith("setting ")]
    check("compare text: one column per setting",
          len(head) == 1 and head[0].split()[1:] == ["on", "off"], str(head))
    check("compare text: one progress line per round on stderr",
          sum(1 for l in err.splitlines() if l.startswith("reqperf: round ")) == 2, err)


@test
def opt_in():
    """Without --sched-view no scheduler program is loaded: the view's
    figures come from getrusage() alone, as with --probe off."""
    if not need_root("opt_in"):
        return
    rc, doc, err = run_json(["run", "-w", "1", "-n", "128"])
    if not check("default run: completes", rc == 0 and doc is not None, err[-400:]):
        return
    sv = doc["workers"][0]["sched_view"]
    check("default run: kernel view on, scheduler view off",
          doc["backend"] != "off" and not doc["features"].get("sched") and
          not sv["has_kernel"] and sv["rusage"] is not None, str(doc["features"]))


@test
def user_only():
    rc, doc, err = run_json(["run", "-w", "1", "-n", "128", "--probe", "off"])
    if not check("probe off: run completes", rc == 0 and doc is not None, err[-400:]):
        return
    sv = doc["workers"][0]["sched_view"]
    check("probe off: getrusage counts without a kernel view",
          not sv["has_kernel"] and sv["rusage"] is not None and sv["window_ns"] > 0, str(sv))


def sched_columns(sv):
    """The CSV columns the JSON's sched_view implies: every number, a
    nested object's as sched_<object>_<key>; the lists are JSON only."""
    cols = {}
    for k, v in sv.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                if isinstance(v2, int) and not isinstance(v2, bool):
                    cols["sched_%s_%s" % (k, k2)] = v2
        elif isinstance(v, int) and not isinstance(v, bool) and \
                k not in ("window_cpu", "softirq_share") and not k.startswith("kernel_"):
            cols["sched_" + k] = v
    return cols


@test
def csv_matches_json():
    """One run's CSV sched_* cells are its JSON sched_view, worker by
    worker; without --sched-view the kernel's cells are empty."""
    if not need_root("csv_matches_json"):
        return
    for view in (True, False):
        tag = "csv %s --sched-view" % ("with" if view else "without")
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            rc, out, err, _ = run(["run", "-w", "2", "-n", "256", "--quiet", "--json", f.name,
                                   "--csv", "-"] + (["--sched-view"] if view else []))
            doc = json.load(open(f.name)) if rc == 0 else None
        if not check(tag + ": run completes", doc is not None, err[-400:]):
            continue
        rows = list(csv.DictReader(io.StringIO(out)))
        check(tag + ": a row per worker", len(rows) == len(doc["workers"]))
        for w, row in zip(doc["workers"], rows):
            want = sched_columns(w["sched_view"])
            got = {k: v for k, v in row.items()
                   if k.startswith("sched_") and k != "sched_requested"}
            bad = [k for k in want if got.get(k) != str(want[k])]
            empty = [k for k in got if k not in want and got[k] != ""]
            check("%s w%d: every sched_view number in its column" % (tag, w["id"]),
                  not bad and not empty and len(want) >= (19 if view else 5),
                  "differ %s, not empty %s" % (bad, empty))


@test
def bad_options():
    for args, words in ((["--repeat", "3"], "--repeat needs --compare"),
                        (["--compare", "nope"], "expected affinity, sched, both or probe"),
                        (["--compare", "sched", "--sched", "other"], "real-time --sched"),
                        (["--compare", "both", "--repeat", "0"], "--repeat: expected 1..50"),
                        (["--compare", "both", "--csv", "-"], "--csv"),
                        (["--sched-view", "--probe", "off"], "needs a --probe")):
        rc, out, err, _ = run(["run"] + args, timeout=30)
        check("rejects %s" % " ".join(args), rc != 0 and words in err and not out,
              "rc %d: %s" % (rc, err[-300:]))


if __name__ == "__main__":
    run_all()
