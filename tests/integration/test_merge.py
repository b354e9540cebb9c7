# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""reqperf merge: two runs (two "hosts") against one `reqperf sink`, merged
totals == the sum of the runs and == what the sink counted; bad input
refused in one line. Usage: test_merge.py BUILD/reqperf"""
import json
import os
import re
import tempfile

from harness import Sink, check, run, run_all, test

COUNTERS = ("calls", "bytes", "eagain", "short", "errors")


def one_run(target, path, extra=()):
    rc, out, err, _ = run(["run", "--target", target, "-w", "1", "-c", "2", "-n", "300",
                           "--quiet", "--json", path] + list(extra), timeout=60)
    return rc, err


@test
def two_hosts():
    sink = Sink(quiet=False)  # its summary is the independent count
    tmp = tempfile.mkdtemp()
    a, b, m, c = (os.path.join(tmp, x) for x in ("a.json", "b.json", "m.json", "c.json"))
    try:
        ra, ea = one_run(sink.target, a)
        rb, eb = one_run(sink.target, b)
        rc_, ec = one_run(sink.target, c, ["--connections", "3"])
    finally:
        summary = sink.summary()
    check("merge: both runs exit 0", ra == 0 and rb == 0, ea + eb)
    rc, out, err, _ = run(["merge", a, b, "--json", m], timeout=30)
    check("merge: exit 0", rc == 0, err)
    da, db, dm = (json.load(open(p)) for p in (a, b, m))
    ta, tb, tm = da["totals"], db["totals"], dm["totals"]
    for k in ("requests", "responses", "errors", "crc_errors"):
        check("merge: totals %s == a + b" % k, tm[k] == ta[k] + tb[k],
              "%d != %d + %d" % (tm[k], ta[k], tb[k]))
    for side in ("user", "kernel"):
        if side not in ta:
            continue
        for d in ("send", "recv"):
            for k in COUNTERS:
                check("merge: %s %s %s == a + b" % (side, d, k),
                      tm[side][d][k] == ta[side][d][k] + tb[side][d][k])
            check("merge: %s %s log2 == a + b" % (side, d),
                  tm[side][d]["log2"] == [x + y for x, y in
                                          zip(ta[side][d]["log2"], tb[side][d]["log2"])])
            ns = tm[side][d]["ns"]
            check("merge: %s %s ns n, min, max exact" % (side, d),
                  ns["n"] == ta[side][d]["ns"]["n"] + tb[side][d]["ns"]["n"]
                  and ns["min"] == min(ta[side][d]["ns"]["min"], tb[side][d]["ns"]["min"])
                  and ns["max"] == max(ta[side][d]["ns"]["max"], tb[side][d]["ns"]["max"]))
    check("merge: same top-level keys plus hosts",
          set(dm) - {"hosts"} <= set(da) and "hosts" in dm, str(sorted(dm)))
    check("merge: two host rows, two workers",
          [h["host"] for h in dm["hosts"]] == [a, b] and len(dm["workers"]) == 2)
    # The sink saw every request of runs a, b and c.
    n_sink = [int(x) for x in re.findall(r"^sink: (\d+) requests,", summary, re.M)]
    want = tm["requests"] + json.load(open(c))["totals"]["requests"]
    check("merge: sink requests == merged + third run", n_sink == [want],
          "%s != %d %r" % (n_sink, want, summary))
    # Bad input: one line, exit 2; --force only for configs.
    rc, out, err, _ = run(["merge", a, c], timeout=10)
    check("merge: config differs: exit 2, one line naming it",
          rc == 2 and "config connections differs" in err and len(err.splitlines()) == 1,
          "rc=%d %r" % (rc, err))
    rc, out, err, _ = run(["merge", "--force", a, c], timeout=10)
    check("merge: --force merges different configs", rc == 0, err)
    doc = json.load(open(a))
    doc["version"] = "other"
    json.dump(doc, open(b, "w"))
    rc, out, err, _ = run(["merge", "--force", a, b], timeout=10)
    check("merge: version differs: exit 2 even with --force",
          rc == 2 and "version differs" in err, "rc=%d %r" % (rc, err))
    open(b, "w").write("{not json")
    rc, out, err, _ = run(["merge", a, b], timeout=10)
    check("merge: not JSON: exit 2, one line", rc == 2 and len(err.splitlines()) == 1, err)


if __name__ == "__main__":
    run_all()
