#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Draws a --timeline file (Chrome trace-event JSON) as an SVG, the way
chrome://tracing lays it out: one row per process and thread, each
complete event ("ph":"X") a box, each flow ("ph":"s" -> "f") a line.
No browser needed, so a run's timeline can be looked at (and kept in the
docs) on a machine without a network.
Usage: timeline_svg.py TIMELINE.json OUT.svg [FROM_US TO_US]"""
import json
import sys
from xml.sax.saxutils import escape

WIDTH, ROW, LEFT = 1200, 22, 230
# sends blue; recv calls orange, by the class the user side names them by
COLORS = {"send": "#4e79a7", "recv": "#f28e2b", "completing": "#e15759"}


def main():
    src, out = sys.argv[1], sys.argv[2]
    ev = json.load(open(src))["traceEvents"]
    names = {}
    for e in ev:
        if e.get("ph") == "M" and e.get("name") in ("process_name", "thread_name"):
            key = (e["pid"], e.get("tid") if e["name"] == "thread_name" else None)
            names[key] = e["args"]["name"]
    boxes = [e for e in ev if e.get("ph") == "X"]
    if not boxes:
        raise SystemExit("timeline_svg: no slices in %s" % src)
    t0 = min(e["ts"] for e in boxes)
    t1 = max(e["ts"] + e.get("dur", 0) for e in boxes)
    if len(sys.argv) > 4:
        t0, t1 = t0 + float(sys.argv[3]), t0 + float(sys.argv[4])
    rows = sorted({(e["pid"], e["tid"]) for e in boxes})
    y = {r: 30 + i * ROW for i, r in enumerate(rows)}
    scale = (WIDTH - LEFT - 10) / max(t1 - t0, 1e-9)

    def x(ts):
        return LEFT + (ts - t0) * scale

    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="11">' % (WIDTH, 50 + len(rows) * ROW),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="4" y="16">%s: %.1f us shown, %d slices</text>'
           % (escape(src.rsplit("/", 1)[-1]), t1 - t0, len(boxes))]
    for r in rows:
        label = "%s / %s" % (names.get((r[0], None), r[0]), names.get(r, r[1]))
        svg.append('<text x="4" y="%d">%s</text>' % (y[r] + 14, escape(str(label))))
    for e in boxes:
        a, b = e["ts"], e["ts"] + e.get("dur", 0)
        if b < t0 or a > t1:
            continue
        r = (e["pid"], e["tid"])
        svg.append('<rect x="%.2f" y="%d" width="%.2f" height="%d" fill="%s">'
                   '<title>%s %.3f us</title></rect>'
                   % (x(max(a, t0)), y[r] + 3, max((min(b, t1) - max(a, t0)) * scale, 0.5),
                      ROW - 6, COLORS.get(e.get("name", "").split()[0], COLORS["recv"]),
                      escape(e.get("name", "")), e.get("dur", 0)))
    starts = {e["id"]: e for e in ev if e.get("ph") == "s"}
    for e in ev:
        s = starts.get(e.get("id")) if e.get("ph") == "f" else None
        if s and t0 <= s["ts"] <= t1 and t0 <= e["ts"] <= t1:
            svg.append('<line x1="%.2f" y1="%d" x2="%.2f" y2="%d" stroke="#555" '
                       'stroke-width="0.7"/>' % (x(s["ts"]), y[(s["pid"], s["tid"])] + ROW // 2,
                                                 x(e["ts"]), y[(e["pid"], e["tid"])] + ROW // 2))
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


main()
