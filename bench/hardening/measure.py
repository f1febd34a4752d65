#!/usr/bin/env python3
"""Hardening measurements (issue 11): how long a stop takes when requests outlast berth.shutdown.timeout, and
how a burst of connects fares with a small and with Berth's default listen backlog.

  python3 bench/hardening/measure.py [--rounds N]

Needs target/berth.jar (mvn -B -DskipTests package) and the bench WAR (mvn -B -q -f bench/webapp/pom.xml package).
Loopback only; every process it starts is ended by its pid; every loop has a deadline.
"""

import argparse
import os
import re
import resource
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import BENCH, HOST, ROOT, berth, probe, stats  # noqa: E402
from berthbench.ports import PortPool  # noqa: E402
from berthbench.processes import Children  # noqa: E402

JAR = os.path.join(ROOT, "target", "berth.jar")
WAR = os.path.join(BENCH, "webapp", "target", "bench-app.war")


class Berth:
    """Starts Berth on the bench WAR and stops it, by pid."""

    def __init__(self):
        self.children = Children()
        self.ports = PortPool()

    def start(self, *flags):
        """(process, port, log path) once /hello answers 200."""
        port = self.ports.take()
        log = os.path.join(BENCH, "target", "hardening-%d.log" % port)
        proc = self.children.spawn(berth.command(JAR, port, "--access-log=off", *flags, war=WAR), log)
        if probe.first_200(port, "/hello", time.monotonic() + 60, proc) is None:
            self.children.stop(proc, timeout=5)
            raise RuntimeError("berth did not serve on %d; see %s" % (port, log))
        return proc, port, log

    def stop(self, proc):
        """SIGTERM; the seconds from the signal to the exit."""
        return self.children.stop(proc, timeout=60).seconds


def stop_with_endless_requests(berth, timeout, rounds):
    """SIGTERM with two requests sleeping 20 s in flight: seconds from the signal to the process's exit."""
    took = []
    for _ in range(rounds):
        proc, port, log = berth.start("--shutdown.timeout=%s" % timeout)
        clients = []
        for _ in range(2):
            s = socket.create_connection((HOST, port), timeout=30)
            s.sendall(b"GET /hello?sleep=20000 HTTP/1.1\r\nHost: x\r\n\r\n")
            clients.append(s)
        time.sleep(0.5)  # let both requests reach the servlet
        took.append(berth.stop(proc))
        for s in clients:
            s.close()
        text = open(log).read()
        cut = re.search(r"Stopped in (\d+) ms: (\d+) in-flight requests drained, (\d+) cut", text)
        print("  timeout %s: exit after %.2f s; %s" % (timeout, took[-1], cut.group(0) if cut else "no Stopped line!"))
    return took


def burst(berth, backlog, connects):
    """connects at once, non-blocking: seconds until every connect completed, and the slowest connects."""
    proc, port, _ = berth.start("--http.accept-queue=%d" % backlog)
    try:
        socks, pending, done = [], {}, []
        begin = time.time()
        for _ in range(connects):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex((HOST, port))
            socks.append(s)
            pending[s.fileno()] = (s, time.time())
        poller = select.poll()
        for fd in pending:
            poller.register(fd, select.POLLOUT)
        deadline = time.time() + 30
        while pending and time.time() < deadline:
            for fd, _ in poller.poll(100):
                s, sent = pending.pop(fd)
                poller.unregister(fd)
                done.append(time.time() - sent)
        total = time.time() - begin
        for s in socks:
            s.close()
        p99 = stats.percentile(done, 99)
        return total, len(done), float("nan") if p99 is None else p99, max(done) if done else float("nan")
    finally:
        berth.stop(proc)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connects", type=int, default=2000)
    args = parser.parse_args()
    os.makedirs(os.path.join(BENCH, "target"), exist_ok=True)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.connects + 256)), hard))
    berth = Berth()
    try:
        print("Stop with requests that outlast the timeout (goal: exit within timeout + 0.5 s + JVM exit):")
        for timeout in ("2s", "5s"):
            took = stop_with_endless_requests(berth, timeout, args.rounds)
            print("  timeout %s: median %.2f s, max %.2f s over %d rounds" % (timeout, stats.median(took), max(took), len(took)))
        with open("/proc/sys/net/core/somaxconn") as f:
            print("Burst of %d connects (somaxconn %s):" % (args.connects, f.read().strip()))
        for backlog in (50, 1024, 4096):
            results = [burst(berth, backlog, args.connects) for _ in range(args.rounds)]
            print("  accept queue %4d: all connected in median %.3f s (max %.3f s); connected %s; p99 connect %.3f s; "
                  "slowest %.3f s" % (backlog, stats.median([r[0] for r in results]), max(r[0] for r in results),
                                      [r[1] for r in results], stats.median([r[2] for r in results]),
                                      max(r[3] for r in results)))
    finally:
        berth.children.stop_all()


if __name__ == "__main__":
    main()
