# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Medians, spreads and ratios of benchmark samples, the human table and
bench/results.json. Pure functions except write_json."""
import json
import os
import platform
import statistics
import time


def side(label, samples, unit):
    """One side of a comparison: its samples, median and spread, where the
    spread is (max - min) / median in percent."""
    med = statistics.median(samples)
    spread = 100.0 * (max(samples) - min(samples)) / med if med else 0.0
    return {"label": label, "unit": unit, "samples": samples,
            "median": med, "min": min(samples), "max": max(samples),
            "spread_pct": spread}


def paired_ratio(a, b):
    """Median of the per-round ratios a[i] / b[i]: rounds alternate A and B,
    so each pair saw the same machine load."""
    return statistics.median(x / y for x, y in zip(a, b) if y)


def verdict(ratio, goal_op, goal):
    if ratio is None or goal is None:
        return "info"
    ok = ratio >= goal if goal_op == ">=" else ratio <= goal
    return "met" if ok else "missed"


def human(v, unit):
    if unit == "req/s":
        return "%.1fk req/s" % (v / 1000.0)
    if unit == "KiB":
        return "%.0f KiB" % v
    if unit == "instr":
        return "%.1fk instr" % (v / 1000.0)
    if unit == "ns":
        return "%.0f ns" % v
    if unit == "us":
        return "%.2f us" % v
    if unit == "%":
        return "%.1f %%" % v
    return "%.3g %s" % (v, unit)


def fmt_side(s):
    if s is None:
        return "-"
    return "%s %s ±%.0f%%" % (s["label"], human(s["median"], s["unit"]),
                             s["spread_pct"] / 2)


def fmt_ratio(c):
    if c["ratio"] is None:
        return "-"
    if c.get("ratio_unit") == " ns":
        return "%.0f ns" % c["ratio"]
    return "%.3g%s" % (c["ratio"], c.get("ratio_unit", "x"))


def fmt_goal(c):
    if c["goal"] is None:
        return "-"
    return "%s %.3g%s" % (c["goal_op"], c["goal"], c.get("ratio_unit", "x"))


def ratio_line(c):
    """The one line each comparison ends with."""
    return "=> %s: %s = %s (goal %s): %s" % (
        c["name"], c["ratio_what"], fmt_ratio(c), fmt_goal(c), c["result"])


def fmt_cpu(c):
    if "cpu" not in c:
        return ""
    x = c["cpu"]
    return "%s %.1f / %.1f us" % (x["side"], x["a_us"], x["b_us"])


def table(results):
    """The final summary table, one row per comparison."""
    rows = [("#", "comparison", "A (median ±half-spread)", "B", "ratio",
             "goal", "result", "CPU per response A / B")]
    for c in results:
        rows.append((str(c["id"]), c["name"], fmt_side(c.get("a")),
                     fmt_side(c.get("b")), fmt_ratio(c), fmt_goal(c),
                     c["result"], fmt_cpu(c)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        lines.append("  ".join(x.ljust(w) for x, w in zip(r, widths)).rstrip())
    return "\n".join(lines)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine():
    return {"cpu_model": cpu_model(), "cpus": os.cpu_count(),
            "kernel": platform.release(), "arch": platform.machine(),
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def write_json(path, doc):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
