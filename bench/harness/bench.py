#!/usr/bin/env python3
"""Berth benchmark harness (issues 7 and 15).

Measures Berth against plain embedded Jetty, embedded Tomcat and the Jetty distribution, all serving the same
small Servlet 6.0 WAR, interleaved (A B C D A B C D ...) after a warm-up round:

  startup   spawn -> port accepts TCP, -> first 200 from /health/live (Berth), -> first 200 from /hello;
            RSS (VmRSS) when ready and after a short wrk load; SIGTERM -> exit when idle
  inflight  SIGTERM -> exit with one request (/hello?sleep=1000) in flight, and what that request got
  handover  a client pool hammering /hello from before the process starts until after the app is ready:
            refusals before the first accepted connection are expected; anything else that is not 200 fails
  throughput all servers up at once on different ports, alternating `wrk -t2 -c32 --latency` bursts on /hello and
            /body; the server's CPU time per request (/proc/PID/stat); afterwards, Berth's access-log lines counted
            against the requests wrk completed
  small     (issue 15) one server at a time on 1 CPU / 512 MB (taskset, -XX:ActiveProcessorCount=1 -XX:MaxRAM=512m):
            first 200, RSS, then a long `wrk -t1 -c32` load from the other core; alive? OutOfMemoryError?
  injvm     (issue 24) JMH benchmarks of in-JVM costs: access-log formatting, the class-load transform, JSON
  diagnose  (not timed) -Xlog:class+load runs: classes loaded before the first health / app 200, by origin

With a JDK 25 (BENCH_JDK25, default /usr/lib/jvm/temurin-25-jdk-amd64), the startup phase also runs Berth with an
AOT cache trained by `--train` (as the Docker image does) and plain Jetty on JDK 25 without an archive.

Everything measured goes into latest.json; latest.md and latest.png are made from that file alone (--report
makes them again from a JSON file). Standard library only; the chart needs matplotlib (Debian's
python3-matplotlib), skipped when missing. Run it through bench/run.sh, which builds everything first.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from berthbench import machine, processes  # noqa: E402
from berthbench.report import verdict  # noqa: E402
from harness import (archives, chart, diagnose, handover, inflight, injvm, launchers as launchers_,  # noqa: E402
                     report, small, startup, throughput)
from harness.context import BENCH, ROOT, TARGET, Run, log  # noqa: E402
from harness.goals import goals  # noqa: E402
from harness.summary import summarize  # noqa: E402

PHASES = ("startup", "inflight", "handover", "throughput", "small", "injvm", "diagnose")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="measured rounds after the warm-up round (default 5)")
    ap.add_argument("--quick", action="store_true", help="smoke test: short bursts and loads, no AppCDS or AOT cache, "
                    "5 s small-instance loads, short JMH runs, results to target/")
    ap.add_argument("--burst", type=int, default=5, help="seconds per wrk burst in the throughput phase (default 5)")
    ap.add_argument("--tp-rounds", type=int, default=None, help="throughput rounds (default: --rounds)")
    ap.add_argument("--tp-warmup", type=int, default=3, help="discarded warm-up rounds of bursts before the throughput rounds (default 3)")
    ap.add_argument("--load-seconds", type=int, default=3, help="wrk load before the 'after load' RSS (default 3)")
    ap.add_argument("--diag-runs", type=int, default=3, help="class-loading runs per launcher (default 3, 0 = none)")
    ap.add_argument("--cds", dest="cds", action="store_true", default=None, help="also measure Berth and plain Jetty with an AppCDS archive (default in full runs)")
    ap.add_argument("--no-cds", dest="cds", action="store_false")
    ap.add_argument("--aot", dest="aot", action="store_true", default=None,
                    help="also measure Berth on JDK 25 with an AOT cache and plain Jetty on JDK 25 (default in full runs "
                         "when BENCH_JDK25, default /usr/lib/jvm/temurin-25-jdk-amd64, has bin/java)")
    ap.add_argument("--no-aot", dest="aot", action="store_false")
    ap.add_argument("--small-seconds", type=int, default=None,
                    help="seconds of wrk load per run in the small-instance phase (default 60; 5 with --quick)")
    ap.add_argument("--no-small", action="store_true", help="skip the small-instance phase (1 CPU, 512 MB)")
    ap.add_argument("--no-jmh", action="store_true", help="skip the JMH benchmarks of in-JVM costs (injvm)")
    ap.add_argument("--only", default=None, help="comma list of phases: " + ",".join(PHASES))
    ap.add_argument("--out", default=None, help="results directory (default bench/results, or bench/target/quick-results with --quick)")
    ap.add_argument("--command", default="bash bench/run.sh", help="the reproduce command written into the results")
    ap.add_argument("--report", metavar="JSON", help="measure nothing: make the .md next to a results JSON file "
                    "again from it, after a change to the report (and the .png, when there is none)")
    args = ap.parse_args(argv)
    if args.quick:
        args.burst = min(args.burst, 2)
        args.load_seconds = min(args.load_seconds, 1)
        args.diag_runs = min(args.diag_runs, 1)
        args.tp_warmup = min(args.tp_warmup, 1)
        args.cds = False if args.cds is None else args.cds
        args.aot = False if args.aot is None else args.aot
        args.small_seconds = 5 if args.small_seconds is None else args.small_seconds
    args.cds = True if args.cds is None else args.cds
    args.aot = True if args.aot is None else args.aot
    args.small_seconds = 60 if args.small_seconds is None else args.small_seconds
    args.tp_rounds = args.tp_rounds or args.rounds
    args.out = args.out or (os.path.join(TARGET, "quick-results") if args.quick else os.path.join(BENCH, "results"))
    args.phases = set((args.only or ",".join(PHASES)).split(","))
    if args.no_small:
        args.phases.discard("small")
    if args.no_jmh:
        args.phases.discard("injvm")
    return args


def main():
    args = parse_args()
    if args.report:
        log("made %s from %s" % (", ".join(publish_report(args.report, redraw=False)), args.report))
        return
    missing = launchers_.missing_builds()
    if missing:
        sys.exit("missing %s: run bench/run.sh (it builds everything)" % ", ".join(missing))
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (bench/run.sh does it)")
    run = Run()

    def on_signal(signum, _frame):
        run.children.stop_all()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    began = time.monotonic()
    load_start = processes.loadavg()
    os.makedirs(os.path.join(TARGET, "run"), exist_ok=True)
    shutil.rmtree(run.logs, ignore_errors=True)
    shutil.rmtree(os.path.join(TARGET, "tomcat-base"), ignore_errors=True)
    berth_sha = launchers_.snapshot_berth()
    jetty_base = launchers_.make_jetty_base()
    try:
        data = measure(run, args, berth_sha, jetty_base)
    finally:
        run.children.stop_all()
    data["elapsed_s"] = time.monotonic() - began
    data["machine"]["loadavg_start"], data["machine"]["loadavg_end"] = load_start, processes.loadavg()
    made = publish(args.out, data)
    log("done in %.0f s; results in %s (%s)" % (data["elapsed_s"], args.out, ", ".join(made)))
    with open(os.path.join(args.out, "latest.json")) as f:
        for g in json.load(f)["goals"]:
            print("  %-4s  %-72s %s" % (verdict(g["pass"]), g["goal"], g["value"]))


def measure(run, args, berth_sha, jetty_base):
    """Every phase asked for, in order; the run's data (what goes into latest.json)."""
    phases = args.phases
    cds_dir = os.path.join(TARGET, "cds") if args.cds else None
    aot, aot_note = None, None
    if not args.aot:
        aot_note = "not asked for (--no-aot; the default with --quick, --aot turns it on)"
    elif "startup" not in phases:
        aot_note = "the startup phase did not run"
    else:
        aot = archives.jdk25()
        if aot is None:
            aot_note = "no JDK 25 at %s (set BENCH_JDK25)" % archives.JDK25
            log(aot_note + ": no JDK 25 launchers")
    if cds_dir:
        archives.train_cds(run, cds_dir)
    if aot:
        archives.train_aot(run, aot, os.path.join(TARGET, "aot"))
    all_l = launchers_.launchers(jetty_base, launchers_.berth_version(), cds_dir, aot)

    def taking(phase):
        return [launcher for launcher in all_l if phase in launcher.phases]

    data = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": args.command, "root": ROOT,
            "machine": dict(machine_info(), berth_jar_sha256=berth_sha),
            "launchers": [launcher.describe() for launcher in all_l],
            "config": {"rounds": args.rounds, "tp_rounds": args.tp_rounds, "burst": args.burst,
                       "warmup_burst": args.burst, "tp_warmup": args.tp_warmup, "load_seconds": args.load_seconds,
                       "quick": args.quick, "diag_runs": args.diag_runs, "cds": bool(args.cds), "aot": bool(args.aot),
                       "small": "small" in phases, "small_seconds": args.small_seconds, "tp_paths": throughput.PATHS,
                       "berth_variants": launchers_.BERTH_VARIANTS, "small_jvm": small.JVM, "jdk25": archives.JDK25,
                       "phases": sorted(phases)},
            "startup": [], "inflight": [], "handover": [], "throughput": {}, "small": [], "diagnose": {},
            "aot": aot or {"note": aot_note}}
    # the phases run in rounds: each launcher once a round, round 0 a warm-up that is not counted
    in_rounds = [(startup, lambda launcher, tag: startup.measure(run, launcher, tag, args.load_seconds)),
                 (inflight, lambda launcher, tag: inflight.measure(run, launcher, tag)),
                 (handover, lambda launcher, tag: handover.measure(run, launcher, tag))]
    for r in range(0, args.rounds + 1):
        tag = "warmup" if r == 0 else "r%d" % r
        for phase, measure_one in in_rounds:
            if phase.NAME not in phases:
                continue
            for launcher in taking(phase.NAME):
                res = measure_one(launcher, tag)
                res["round"], res["warmup"] = r, r == 0
                data[phase.NAME].append(res)
                log(phase.line(tag, launcher.key, res))
    if "throughput" in phases:
        data["throughput"] = throughput.measure(run, taking("throughput"), args.tp_rounds, args.burst, args.tp_warmup)
    if "small" in phases:
        measure_small(run, args, taking("small"), data)
    if "injvm" in phases:
        data["injvm"] = injvm.measure(run, args.quick, small.HAWTIO_WAR if os.path.exists(small.HAWTIO_WAR) else None)
    if "diagnose" in phases and args.diag_runs > 0:
        for launcher in [x for x in all_l if x.key in diagnose.KEYS]:
            data["diagnose"][launcher.key] = diagnose.measure(run, launcher, args.diag_runs, "d")
            log("diagnose %s: %s" % (launcher.key, [(x.get("classes_health"), x.get("classes_app"))
                                                    for x in data["diagnose"][launcher.key]]))
        data["config_cost"] = diagnose.config_cost(run, max(3, args.diag_runs))
        log("configuration cost: --version %s ms, --print-config %s ms" % (
            [round(x) for x in data["config_cost"]["version_ms"]], [round(x) for x in data["config_cost"]["print_config_ms"]]))
    return data


def measure_small(run, args, taking, data):
    wars = small.WARS
    if not os.path.exists(small.HAWTIO_WAR):
        data["small_note"] = ("the large WAR (%s) is missing, so its rows are skipped: fetch it with "
                              "`mvn -B -q dependency:copy@third-party-wars` (bench/run.sh tries)" %
                              os.path.relpath(small.HAWTIO_WAR, ROOT))
        log(data["small_note"])
        wars = [w for w in small.WARS if os.path.exists(w[2])]
    log("small instance: %d s load per run, one server at a time" % args.small_seconds)
    for war_key, _, war, page in wars:
        for launcher in taking:
            res = small.measure(run, launcher, war_key, war, page, args.small_seconds)
            data["small"].append(res)
            log(small.line(res))


def machine_info():
    info = machine.describe()
    info["wrk"] = machine.first_line(["wrk", "--version"])
    info["berth_commit"] = machine.git_commit(ROOT, ("src/", "pom.xml"))
    return info


def publish(out_dir, data):
    """latest.json (the data, its summary and the goals), then latest.png and latest.md made from that file, and
    dated copies of the three (YYYY-MM-DD.*). Returns the names of the files made."""
    os.makedirs(out_dir, exist_ok=True)
    summary = summarize(data)
    path = os.path.join(out_dir, "latest.json")
    with open(path, "w") as f:
        json.dump({"data": data, "summary": summary, "goals": goals(summary, data)}, f, indent=1, default=str)
    made = ["latest.json"] + publish_report(path)
    dated = os.path.join(out_dir, data["date"][:10] + ".json")
    shutil.copy(path, dated)
    return made + [os.path.basename(dated)] + publish_report(dated)


def publish_report(json_path, redraw=True):
    """NAME.png and NAME.md beside NAME.json, made from it alone; without redraw, a chart already there is kept.
    Returns the names of the files made."""
    with open(json_path) as f:
        results = json.load(f)
    base = os.path.splitext(json_path)[0]
    png = base + ".png"
    drawn = (redraw or not os.path.exists(png)) and chart.draw(results, png)
    has_chart = drawn or (not redraw and os.path.exists(png))
    with open(base + ".md", "w") as f:
        f.write(report.render(results, os.path.basename(png) if has_chart else None))
    return ([os.path.basename(png)] if drawn else []) + [os.path.basename(base + ".md")]


if __name__ == "__main__":
    main()
