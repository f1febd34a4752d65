#!/usr/bin/env python3
"""Where a Berth start's time goes: runs a jar N times with -Ddev.berth.LEVEL=DEBUG on one WAR and reports the
median of each phase of its two DEBUG lines (the start up to the first health answer, and the deployment).

  python3 bench/timeline.py JAR WAR [--rounds 8] [--jvm=-XX:ActiveProcessorCount=1]

The first round is a warm-up. Loopback only; each process is ended by its pid; every wait has a deadline.
"""
import argparse
import os
import re
import tempfile
import time

from berthbench import berth, probe, stats
from berthbench.ports import PortPool
from berthbench.processes import Children

TIMEOUT = 60.0
LINES = {"start-up": re.compile(r"Start-up: (.*) \((\d+) ms in all\)"),
         "deployment": re.compile(r"Deployment of \S+: (.*) \((\d+) ms in all\)")}
PHASE = re.compile(r"([a-z ,-]+?) (\d+) ms")


def one_start(children, ports, jar, war, jvm, log_dir):
    """The phases of one start: {line: [(phase, ms), ...] + [("in all", ms)]}."""
    port = ports.take()
    log = os.path.join(log_dir, "berth-%d.log" % port)
    command = berth.command(jar, port, "--access-log=off", war=war, jvm=["-Ddev.berth.LEVEL=DEBUG"] + jvm)
    start = probe.cold_start(lambda: children.spawn(command, log_path=log), port, [("app", "/")], TIMEOUT)
    deadline = time.monotonic() + TIMEOUT
    found = {}
    while time.monotonic() < deadline and len(found) < len(LINES):
        with open(log, errors="replace") as text:
            content = text.read()
        for name, pattern in LINES.items():
            match = pattern.search(content)
            if match:
                found[name] = [(p.strip(", "), int(ms)) for p, ms in PHASE.findall(match.group(1))] + [("in all", int(match.group(2)))]
        time.sleep(0.05)
    children.stop(start.proc, timeout=60)
    if len(found) < len(LINES):
        raise RuntimeError("%s: no DEBUG timeline within %.0f s (see %s)" % (jar, TIMEOUT, log))
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("jar")
    parser.add_argument("war")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--jvm", action="append", default=[], help="a JVM flag (repeatable)")
    args = parser.parse_args()
    children, ports = Children(), PortPool()
    runs = []
    with tempfile.TemporaryDirectory(prefix="berth-timeline-") as log_dir:
        try:
            for _ in range(args.rounds + 1):
                runs.append(one_start(children, ports, args.jar, args.war, args.jvm, log_dir))
        finally:
            children.stop_all()
    for line in LINES:
        phases = [p for p, _ in runs[0][line]]
        cells = []
        for phase in phases:
            values = [dict(r[line])[phase] for r in runs[1:] if phase in dict(r[line])]
            cells.append("%s %s ms" % (phase, stats.median(values)))
        print("%s (medians of %d): %s" % (line, args.rounds, ", ".join(cells)))


if __name__ == "__main__":
    main()
