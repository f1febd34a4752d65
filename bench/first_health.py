#!/usr/bin/env python3
"""Time from spawn to the first /health/live 200 for two Berth jars, interleaved, on one WAR; with --app PATH,
also to the application's first 200 at PATH.

  python3 bench/first_health.py OLD.jar NEW.jar WAR [--rounds 8] [--app /hello] [--jvm=-XX:ActiveProcessorCount=1]

The first round is a warm-up. Loopback only; each process is ended by its pid; every wait has a deadline.
"""
import argparse

from berthbench import berth, probe, stats
from berthbench.ports import PortPool
from berthbench.processes import Children

TIMEOUT = 30.0


def first_answers(children, ports, jar, war, app, jvm=()):
    """ms from the spawn of `java -jar jar` to its first /health/live 200 (and to its first 200 at app)."""
    port = ports.take()
    command = berth.command(jar, port, "--access-log=off", war=war, jvm=jvm)
    probes = [("health", "/health/live")] + ([("app", app)] if app else [])
    start = probe.cold_start(lambda: children.spawn(command), port, probes, TIMEOUT)
    children.stop(start.proc, timeout=60)
    for name, _ in probes:
        if name not in start.marks:
            raise RuntimeError("%s: no %s answer within %.0f s" % (jar, name, TIMEOUT))
    return start.marks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("war")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--app", help="also time the first 200 at this path")
    parser.add_argument("--jvm", action="append", default=[], help="a JVM flag for both jars (repeatable)")
    args = parser.parse_args()
    children, ports = Children(), PortPool()
    marks = {"old": [], "new": []}
    try:
        for _ in range(args.rounds):
            for key, jar in (("old", args.old), ("new", args.new)):
                marks[key].append(first_answers(children, ports, jar, args.war, args.app, args.jvm))
    finally:
        children.stop_all()
    for key, rounds in marks.items():
        for name in rounds[0]:
            values = [r[name] for r in rounds]
            label = "first health" if name == "health" else "first 200 at " + args.app
            print("%s: median %s %.0f ms (%s)" % (key, label, stats.median(values[1:]), ", ".join("%.0f" % v for v in values)))


if __name__ == "__main__":
    main()
