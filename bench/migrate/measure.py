#!/usr/bin/env python3
"""Java EE 8 WARs (issue 12): what converting on the fly costs, and what the cache saves.

  python3 bench/migrate/measure.py [--rounds N]

For a small WAR (Jetty 10's JSP demo, 29 KB) and a large one (Wicket 8 examples with Weld, 30 MB), each round
starts Berth three times on a 512 MB budget (-XX:MaxRAM=512m -XX:MaxRAMPercentage=75, as the Dockerfile runs):
  convert   a fresh cache: the WAR is converted during the deployment
  cached    the same cache again: the conversion is taken from it
  ahead     the WAR converted beforehand with --convert (what an image build ships): no conversion at all
and records the time from spawn to the application's first 200 and the peak RSS (VmHWM) at that moment.
Needs target/berth.jar and target/third-party-wars (mvn -B verify, or mvn -B dependency:copy@third-party-wars).
Loopback only; every process is ended by its pid; every wait has a deadline.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import ROOT, berth, probe, processes, stats  # noqa: E402
from berthbench.ports import PortPool  # noqa: E402
from berthbench.processes import Children  # noqa: E402

JAR = os.path.join(ROOT, "target", "berth.jar")
WARS = os.path.join(ROOT, "target", "third-party-wars")
JVM = ["-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75"]
CASES = [("small", "demo-jsp-webapp.war", "/"), ("large", "wicket-examples.war", "/helloworld/")]
TIMEOUT = 180.0


def first_200(children, ports, war, path, work, cache):
    """Seconds from the spawn to the first 200 of path, and the peak RSS (VmHWM, MiB) then."""
    port = ports.take()
    log = os.path.join(work, "berth-%d.log" % port)
    command = berth.command(JAR, port, "--access-log=off", "--startup.hold=2m", "--work-dir=" + os.path.join(work, "w"),
                            "--migrate.cache-dir=" + cache, war=war, jvm=JVM + ["-Duser.home=" + work])
    at_200 = {}
    start = probe.cold_start(lambda: children.spawn(command, log, cwd=work), port, [("app", path)], TIMEOUT,
                             on_ready=lambda proc: at_200.update(hwm=processes.hwm_mib(proc.pid)))
    exited = start.proc.poll()
    children.stop(start.proc, timeout=60)
    if "app" not in start.marks:
        raise RuntimeError("berth exited %d, see %s" % (exited, log) if exited is not None
                           else "no 200 within %.0f s, see %s" % (TIMEOUT, log))
    return start.marks["app"] / 1000.0, at_200["hwm"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = {}
    children, ports = Children(), PortPool()
    try:
        measure(children, ports, args.rounds, results)
    finally:
        children.stop_all()
    print("\n| WAR | start | first app 200 (median) | peak RSS (median) |\n|---|---|---:|---:|")
    for (label, variant), values in results.items():
        print("| %s | %s | %.2f s | %.0f MiB |" % (label, variant, stats.median([v[0] for v in values]),
                                                  stats.median([v[1] for v in values])))


def measure(children, ports, rounds, results):
    for label, name, path in CASES:
        war = os.path.join(WARS, name)
        for round_ in range(rounds):
            work = tempfile.mkdtemp(prefix="berth-migrate-")
            try:
                cache = os.path.join(work, "cache")
                ahead = os.path.join(work, "ahead-" + name)
                # --convert was --migrate before the contract renamed it (a command may not share a flag's name)
                subprocess.run(["java", "-jar", JAR, "--convert", war, ahead], check=True, capture_output=True, timeout=300)
                for variant, target in (("convert", war), ("cached", war), ("ahead", ahead)):
                    took, rss = first_200(children, ports, target, path, work, cache)
                    results.setdefault((label, variant), []).append((took, rss))
                    print("%s %-7s round %d: first 200 after %.2f s, peak RSS %.0f MiB" % (label, variant, round_ + 1, took, rss), flush=True)
            finally:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
