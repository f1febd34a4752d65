#!/usr/bin/env python3
"""Time from process start to the first 200 health answer: core Jetty Handler vs. servlet context.

Runs `java -jar target/bootstrap-probe.jar MODE PORT` as fresh subprocesses, one warm-up run of each
mode, then N interleaved rounds (core, servlet, core, servlet, ...). For each run: wall time from just
before the spawn to the first HTTP 200 from http://127.0.0.1:PORT/health/live, and the child's VmRSS at that
moment (and its CPU time so far). Then a short pass with -Xlog:class+load counts the classes loaded until the
first answer (not timed in the table: logging slows the JVM). Prints a Markdown table; writes
bench/results/bootstrap.json and makes bench/results/bootstrap.md from that file.

Standard library only. Kills only the children it started, by pid.
"""

import argparse
import datetime
import os
import shlex
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import RESULTS, machine, probe, processes, report, stats  # noqa: E402
from berthbench.ports import PortPool  # noqa: E402
from berthbench.processes import Children  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MODES = ("core", "servlet")
PATH = "/health/live"


def run_once(args, children, mode, port, jvm_flags=(), on_first=None):
    """Returns (ms to first 200, RSS KiB and CPU ms at that moment, on_first's result)."""
    cmd = [args.java, *jvm_flags, "-jar", args.jar, mode, str(port)]
    at_200 = {}

    def ready(proc):
        at_200.update(rss=processes.status_kib(proc.pid, "VmRSS"), cpu=processes.cpu_seconds(proc.pid) * 1000.0,
                      extra=on_first() if on_first else None)

    start = probe.cold_start(lambda: children.spawn(cmd), port, [("health", PATH)], args.timeout, ready,
                             poll=args.interval)
    exited = start.proc.poll()
    children.stop(start.proc, timeout=15)
    if "health" not in start.marks:
        raise SystemExit(f"{' '.join(cmd)} exited with {exited} before answering" if exited is not None
                         else f"{' '.join(cmd)}: no 200 from {PATH} within {args.timeout} s")
    return start.marks["health"], at_200["rss"], at_200["cpu"], at_200["extra"]


def count_classes(log):
    """(all, from the CDS archive, from JDK modules, from the jar, generated) classes in a class+load log."""
    counts = [0, 0, 0, 0, 0]
    with open(log, errors="replace") as f:
        for line in f:
            if "source:" not in line:
                continue
            source = line.split("source:", 1)[1].strip()
            counts[0] += 1
            if source == "shared objects file":
                counts[1] += 1
            elif source.startswith("jrt:/"):
                counts[2] += 1
            elif source.startswith("file:"):
                counts[3] += 1
            else:  # lambdas, proxies, method handles: defined at run time
                counts[4] += 1
    return tuple(counts)


def table(data):
    """The Markdown the script prints and the report holds."""
    times, rss, cpu, classes = data["times"], data["rss_mib"], data["cpu_ms"], data["classes"]
    med = {m: stats.median(times[m]) for m in MODES}
    lines = report.table(["mode", "runs", "median ms", "min ms", "max ms", "median RSS MiB", "median CPU ms"],
                         [[m, len(times[m]), "%.0f" % med[m], "%.0f" % min(times[m]), "%.0f" % max(times[m]),
                           "%.1f" % stats.median(rss[m]), "%.0f" % stats.median(cpu[m])] for m in MODES])
    cpu_med = {m: stats.median(cpu[m]) for m in MODES}
    diffs = [s - c for c, s in zip(times["core"], times["servlet"])]
    ratios = [s / c for c, s in zip(times["core"], times["servlet"])]
    lines += ["", "Ratio servlet/core of the medians: **%.3f** (servlet %+.0f ms)." % (
        med["servlet"] / med["core"], med["servlet"] - med["core"]),
        "CPU time to the first 200, ratio servlet/core of the medians: %.3f (servlet %+.0f ms)." % (
            cpu_med["servlet"] / cpu_med["core"], cpu_med["servlet"] - cpu_med["core"]),
        "Paired by round (each servlet run against the core run just before it): median difference %+.0f ms, "
        "median ratio %.3f, servlet slower in %d of %d rounds." % (
            stats.median(diffs), stats.median(ratios), sum(1 for d in diffs if d > 0), len(diffs))]
    if data["class_runs"] > 0:
        counted = report.table(["mode", "classes", "CDS archive (JDK)", "JDK modules", "jar (Jetty, Jakarta, probe)",
                                "generated"],
                               [[m] + ["%.0f" % stats.median([c[k] for c in classes[m]]) for k in range(5)] for m in MODES])
        lines += ["", "Classes loaded until the first 200 (-Xlog:class+load, median of %d runs per mode; these runs are "
                  "not in the timings above):" % data["class_runs"], ""] + counted
    return "\n".join(lines)


def render(data):
    raw = "\n".join("- %s: " % m + ", ".join("%.0f" % t for t in data["times"][m]) for m in MODES)
    return f"""# Bootstrap probe results

Time from process start (just before the JVM is spawned) to the first HTTP 200 from `{PATH}`, for a
core Jetty `Handler` (core) and an ee11 `ServletContextHandler` + `HttpServlet` (servlet), one warm-up
run each, then {data["rounds"]} interleaved rounds of fresh `java -jar target/bootstrap-probe.jar MODE PORT`
with default JVM flags. RSS is the child's VmRSS and CPU its user + system time (all JVM threads, 10 ms
ticks) at the moment of the first 200; CPU time is less disturbed than wall time by other load on the
machine.

- date: {data["date"]}
- machine: nproc {data["nproc"]}, `{data["java"]}` (shared machine: numbers are noisy)
- reproduce: `{data["command"]}`

{table(data)}

Raw times (ms), in run order:

{raw}
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    ap.add_argument("--class-runs", type=int, default=3, help="runs per mode with -Xlog:class+load (default 3, 0: none)")
    ap.add_argument("--base-port", type=int, default=23500)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the first 200")
    ap.add_argument("--interval", type=float, default=0.005, help="seconds between polls")
    ap.add_argument("--java", default="java")
    ap.add_argument("--jar", default=os.path.join(HERE, "target", "bootstrap-probe.jar"))
    ap.add_argument("--results", default=RESULTS,
                    help="directory for bootstrap.json and bootstrap.md (default bench/results); '' to not write")
    args = ap.parse_args()
    if not os.path.isfile(args.jar):
        raise SystemExit(f"{args.jar} is missing: run `mvn -B -q package` first")

    ports, children = PortPool(start=args.base_port), Children()
    times = {m: [] for m in MODES}
    rss = {m: [] for m in MODES}
    cpu = {m: [] for m in MODES}
    classes = {m: [] for m in MODES}
    try:
        for mode in MODES:  # warm-up: page cache, CDS archive, JIT-less first start
            ms, _, _, _ = run_once(args, children, mode, ports.take())
            print(f"warm-up {mode}: {ms:.0f} ms", file=sys.stderr)
        for r in range(args.rounds):
            for mode in MODES:
                ms, kib, cpu_time, _ = run_once(args, children, mode, ports.take())
                times[mode].append(ms)
                rss[mode].append(kib / 1024.0)
                cpu[mode].append(cpu_time)
            print(f"round {r + 1}/{args.rounds}: core {times['core'][-1]:.0f} ms, servlet {times['servlet'][-1]:.0f} ms",
                  file=sys.stderr)
        if args.class_runs > 0:
            with tempfile.TemporaryDirectory(prefix="bootstrap-probe-") as tmp:
                for i in range(args.class_runs):
                    for mode in MODES:
                        log = os.path.join(tmp, f"{mode}-{i}.log")
                        flags = [f"-Xlog:class+load=info:file={log}"]
                        _, _, _, counted = run_once(args, children, mode, ports.take(), flags,
                                                    lambda log=log: count_classes(log))
                        classes[mode].append(counted)
    finally:
        children.stop_all()

    command = "cd bench/bootstrap && mvn -B -q package && python3 measure.py"
    if sys.argv[1:]:
        command += " " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    data = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": machine.nproc(), "java": machine.java_version(args.java)[0], "command": command,
            "rounds": args.rounds, "class_runs": args.class_runs, "times": times, "rss_mib": rss, "cpu_ms": cpu,
            "classes": classes}
    print(table(data))
    if args.results:
        report.write(args.results, "bootstrap", data, render)
        print("\nwrote %s" % os.path.join(args.results, "bootstrap.md"), file=sys.stderr)


if __name__ == "__main__":
    main()
