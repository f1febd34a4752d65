#!/usr/bin/env python3
"""Issue 22, item 7: what an idle Berth costs with its access log on and off, and what the log costs under load.

  python3 bench/hardening/idle.py [--jar JAR ...] [--rounds N] [--idle-seconds S]

For each jar (default target/berth.jar; give two to compare builds side by side, rounds interleaved), and for
--access-log=off and =text: Berth serving its status page, left idle for S seconds (default 20) after a warm-up,
the CPU time (user + system) the whole JVM used meanwhile, read from /proc/PID/stat. Then, with the text access
log, requests per second from wrk (2 threads, 32 connections, 10 s) on GET / (the status page). Needs wrk
(apt-get install wrk). Loopback only; every process it starts is ended by its pid; every loop has a deadline.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import BENCH, ROOT, berth, probe, processes, stats, wrk  # noqa: E402
from berthbench.ports import PortPool  # noqa: E402
from berthbench.processes import Children  # noqa: E402


class Berth:
    """Starts Berth serving its status page and stops it, by pid."""

    def __init__(self):
        self.children = Children()
        self.ports = PortPool()

    def start(self, jar, log_format):
        """(process, port) once GET / answers 200."""
        port = self.ports.take()
        log = os.path.join(BENCH, "target", "idle-%d.log" % port)
        proc = self.children.spawn(berth.command(jar, port, "--access-log=" + log_format), log)
        if probe.first_200(port, "/", time.monotonic() + 60, proc) is None:
            self.children.stop(proc, timeout=5)
            raise RuntimeError("berth did not serve on %d; see %s" % (port, log))
        return proc, port

    def stop(self, proc):
        self.children.stop(proc, timeout=60)


def idle_cpu(berth, jar, log_format, seconds):
    """CPU ms the whole JVM used while idle for seconds, after a 5 s warm-up."""
    proc, _ = berth.start(jar, log_format)
    try:
        time.sleep(5)
        before = processes.cpu_seconds(proc.pid)
        time.sleep(seconds)
        return (processes.cpu_seconds(proc.pid) - before) * 1000.0
    finally:
        berth.stop(proc)


def throughput(berth, jar):
    """req/s of wrk -t2 -c32 -d10s on GET / with the text access log, after a 3 s warm-up burst."""
    proc, port = berth.start(jar, "text")
    try:
        wrk.run(port, 3, "/")
        return wrk.run(port, 10, "/")["rps"]
    finally:
        berth.stop(proc)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", action="append")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--idle-seconds", type=int, default=20)
    args = parser.parse_args()
    jars = args.jar or [os.path.join(ROOT, "target", "berth.jar")]
    os.makedirs(os.path.join(BENCH, "target"), exist_ok=True)
    idle = {(jar, fmt): [] for jar in jars for fmt in ("off", "text")}
    rps = {jar: [] for jar in jars}
    berth = Berth()
    try:
        for _ in range(args.rounds):
            for jar in jars:
                for fmt in ("off", "text"):
                    idle[(jar, fmt)].append(idle_cpu(berth, jar, fmt, args.idle_seconds))
                rps[jar].append(throughput(berth, jar))
    finally:
        berth.children.stop_all()
    print("Idle %d s after a 5 s warm-up, CPU of the whole JVM (ms), median of %d rounds; wrk -t2 -c32 -d10s on GET / "
          "with the text access log (req/s):" % (args.idle_seconds, args.rounds))
    for jar in jars:
        print("  %s: access log off %.0f ms %s, text %.0f ms %s; %.0f req/s %s" % (
            jar, stats.median(idle[(jar, "off")]), [round(v) for v in idle[(jar, "off")]],
            stats.median(idle[(jar, "text")]), [round(v) for v in idle[(jar, "text")]],
            stats.median(rps[jar]), [round(v) for v in rps[jar]]))


if __name__ == "__main__":
    main()
