#!/usr/bin/env python3
"""Berth with and without an application class-data-sharing archive: time to the application's first
200 and RSS then, interleaved (A B A B ...) after a warm-up, medians and min-max.

The archive comes from a training run: java -XX:ArchiveClassesAtExit=ARCHIVE -jar berth.jar --train WAR
The results go to bench/results/cds.json, and the report bench/results/cds.md is made from that file.
"""
import argparse
import os
import subprocess
import sys
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import HOST, RESULTS, ROOT, berth, machine, probe, processes, report, stats  # noqa: E402
from berthbench.ports import PortPool  # noqa: E402
from berthbench.processes import Children  # noqa: E402

VARIANTS = ("without archive", "with archive")
TIMEOUT = 60.0


def run_once(children, ports, jar, war, archive, path):
    """ms from the spawn to the first 200 of path, and the RSS then (MiB)."""
    port = ports.take()
    command = berth.command(jar, port, "--access-log=off", war=war,
                            jvm=["-XX:SharedArchiveFile=" + archive] if archive else [])
    at_200 = {}
    start = probe.cold_start(lambda: children.spawn(command), port, [("app", path)], TIMEOUT,
                             on_ready=lambda proc: at_200.update(rss=processes.rss_mib(proc.pid)))
    children.stop(start.proc, timeout=60)
    if "app" not in start.marks:
        raise SystemExit("no 200 from %s within %.0f s" % (path, TIMEOUT))
    return start.marks["app"], at_200["rss"]


def render(data):
    lines = ["# Berth with and without an application CDS archive", "",
             "%s, %d cores, %s; WAR `%s`, page `%s`, %d interleaved rounds after a warm-up; archive %.1f MiB." % (
                 data["date"], data["nproc"], data["java"], data["war"], data["path"], data["rounds"],
                 data["archive_mib"]), ""]
    rows, medians = [], {}
    for name in VARIANTS:
        times = [t for t, _ in data["samples"][name]]
        rss = [r for _, r in data["samples"][name]]
        medians[name] = (stats.median(times), stats.median(rss))
        rows.append([name, "%.0f" % medians[name][0], "%.0f-%.0f" % (min(times), max(times)), "%.0f" % medians[name][1],
                     "%.0f-%.0f" % (min(rss), max(rss))])
    lines += report.table(["run", "first 200 median (ms)", "min-max (ms)", "RSS at first 200 median (MiB)",
                           "min-max (MiB)"], rows, "lllll")
    t_ratio = medians["with archive"][0] / medians["without archive"][0]
    m_ratio = medians["with archive"][1] / medians["without archive"][1]
    lines += ["", "With the archive: time to the first 200 x%.2f (%.0f %% faster), RSS x%.2f." % (
        t_ratio, (1 - t_ratio) * 100, m_ratio), "",
        "Reproduce: `mvn -B verify` (builds the jar and the fixture WAR), then `%s`." % data["command"]]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--war", default=os.path.join(ROOT, "target", "test-wars", "hello.war"))
    parser.add_argument("--path", default="/annotated", help="the application page to wait for")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--jar", default=os.path.join(ROOT, "target", "berth.jar"))
    parser.add_argument("--out", default=RESULTS, help="results directory: cds.json and cds.md (default bench/results)")
    args = parser.parse_args()
    archive = os.path.join(ROOT, "target", "bench-cds.jsa")
    if os.path.exists(archive):
        os.remove(archive)
    children, ports = Children(), PortPool()
    train = ["java", "-XX:ArchiveClassesAtExit=" + archive, "-jar", args.jar, "--train", "--host=" + HOST,
             "--port=%d" % ports.take(), "--fallback-ports=", "--access-log=off", args.war]
    subprocess.run(train, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    samples = {name: [] for name in VARIANTS}
    try:
        for jsa in (None, archive):   # warm-up: disk cache, JIT-free
            run_once(children, ports, args.jar, args.war, jsa, args.path)
        for _ in range(args.rounds):
            for name, jsa in zip(VARIANTS, (None, archive)):
                samples[name].append(run_once(children, ports, args.jar, args.war, jsa, args.path))
    finally:
        children.stop_all()
    data = {"date": date.today().isoformat(), "nproc": os.cpu_count(), "java": machine.java_version()[0],
            "war": os.path.relpath(args.war, ROOT), "path": args.path, "rounds": args.rounds,
            "archive_mib": os.path.getsize(archive) / 1024.0 / 1024.0, "samples": samples,
            "command": " ".join(["python3", os.path.relpath(os.path.abspath(sys.argv[0]), ROOT)] + sys.argv[1:])}
    sys.stdout.write(report.write(args.out, "cds", data, render))


if __name__ == "__main__":
    main()
