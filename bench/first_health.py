#!/usr/bin/env python3
"""Time from spawn to the first /health/live 200 for two Berth jars, interleaved, on one WAR.

  python3 bench/first_health.py OLD.jar NEW.jar WAR [--rounds 8]

The first round is a warm-up. Loopback only; each process is ended by its pid; every wait has a deadline.
"""
import argparse

from berthbench import berth, probe, stats
from berthbench.ports import PortPool
from berthbench.processes import Children

TIMEOUT = 30.0


def first_health(children, ports, jar, war):
    """ms from the spawn of `java -jar jar` to its first /health/live 200."""
    port = ports.take()
    command = berth.command(jar, port, "--access-log=off", war=war)
    start = probe.cold_start(lambda: children.spawn(command), port, [("health", "/health/live")], TIMEOUT)
    children.stop(start.proc, timeout=60)
    if "health" not in start.marks:
        raise RuntimeError("%s: no health answer within %.0f s" % (jar, TIMEOUT))
    return start.marks["health"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("war")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    children, ports = Children(), PortPool()
    times = {"old": [], "new": []}
    try:
        for _ in range(args.rounds):
            for key, jar in (("old", args.old), ("new", args.new)):
                times[key].append(first_health(children, ports, jar, args.war))
    finally:
        children.stop_all()
    for key, values in times.items():
        print("%s: median first health %.0f ms (%s)" % (key, stats.median(values[1:]), ", ".join("%.0f" % v for v in values)))


if __name__ == "__main__":
    main()
