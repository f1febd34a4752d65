"""Reports: results are written as JSON first, and the Markdown report is made from that JSON only.

write() saves the data, reads the file back and renders the report from what it read, so nothing the measuring
code holds in memory can reach a report without being in the JSON; a report can be made again later from the
JSON alone (render_file). The formatting helpers give every table the same look: medians with their range,
ratios as 1.23×, "–" for what was not measured.
"""

import json
import os


def write(out_dir, name, data, render):
    """Writes out_dir/name.json, then out_dir/name.md rendered from that file. Returns the Markdown."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1, default=str)
        f.write("\n")
    return render_file(path, render, os.path.join(out_dir, name + ".md"))


def render_file(json_path, render, md_path=None):
    """Renders the report of a JSON results file (into md_path when given). Returns the Markdown."""
    with open(json_path) as f:
        text = render(json.load(f))
    if md_path is not None:
        with open(md_path, "w") as f:
            f.write(text)
    return text


def table(header, rows, align=None):
    """A Markdown table as lines: header and rows are lists of cells; align is one of "l", "r" or "c" per column
    (default: the first column left, the others right)."""
    align = align or "l" + "r" * (len(header) - 1)
    marks = {"l": "---", "r": "---:", "c": ":-:"}
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(marks[a] for a in align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def spread(s, unit="", digits=0, scale=1.0):
    """A spread() dict as "median unit (min–max)", or "–"."""
    if s is None:
        return "–"
    f = "%%.%df" % digits
    return (f % (s["median"] * scale)) + unit + " (" + (f % (s["min"] * scale)) + "–" + (f % (s["max"] * scale)) + ")"


def times(r):
    """A ratio as 1.23×, or "–"."""
    return "–" if r is None else "%.2f×" % r


def num(v, digits=0):
    return "–" if v is None else "%.*f" % (digits, v)


def ms(v):
    return "–" if v is None else "%.0fms" % v


def mib(v):
    return "–" if v is None else "%.0f" % v


def verdict(ok):
    """True PASS, False MISS, None n/a (not measured in this run)."""
    return "n/a" if ok is None else "PASS" if ok else "MISS"


def relative(text, root):
    """Paths under the repository written from its root (bench/..., target/...), wherever it was checked out."""
    if not root:
        return text
    return text.replace(root.rstrip("/") + "/bench/", "bench/").replace(root.rstrip("/") + "/", "")
