#!/usr/bin/env python3
"""Issue 22, item 2: how long /health/live takes to answer while clients hold the application's threads.

  python3 bench/hardening/slow_clients.py --war WAR [--jar JAR ...] [--clients 70 --clients 500]

For each jar (default target/berth.jar; give two to compare builds) and each client count, Berth serves WAR
(the test fixture target/test-wars/exposed.war, whose /parameters parses a form and /upload reads a body as
a stream). The clients each send a POST's headers, then one byte of its 1000-byte body every 2 s, for 10
rounds: "form" trickles to /parameters with the minimum data rate off (the thread is held for as long as the
client trickles), "stream" to /upload with the defaults (Jetty's rate check ends it with 408). Each round,
after the bytes are sent, one /health/live request is timed (10 s timeout); the report gives the median and
the slowest answer, and how the trickling connections ended. Loopback only; every process it starts is ended
by its pid; every loop is bounded.
"""

import argparse
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import BENCH, HOST, ROOT, berth, probe, stats  # noqa: E402
from berthbench.ports import PortPool  # noqa: E402
from berthbench.processes import Children  # noqa: E402

ROUNDS = 10
HEADS = {
    "form": (b"POST /parameters HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
             b"Content-Length: 1000\r\n\r\n", ["--http.min-request-data-rate=0"]),
    "stream": (b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n", []),
}


class Berth:
    """Starts Berth on a WAR and stops it, by pid."""

    def __init__(self):
        self.children = Children()
        self.ports = PortPool()

    def start(self, jar, war, flags):
        """(process, port) once its log says the WAR is deployed."""
        port = self.ports.take()
        log = os.path.join(BENCH, "target", "slow-%d.log" % port)
        proc = self.children.spawn(berth.command(jar, port, "--access-log=off", *flags, war=war), log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if "deployed in" in read(log):
                return proc, port
            if proc.poll() is not None:
                if flags and "unknown option" in read(log):
                    return self.start(jar, war, [])  # a build before the setting: it had no minimum rate at all
                break
            time.sleep(0.1)
        self.children.stop(proc, timeout=5)
        raise RuntimeError("berth did not deploy %s; see %s" % (war, log))

    def stop(self, proc):
        self.children.stop(proc, timeout=30)


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def health(port):
    """The status of one GET /health/live (10 s at most; "none" without an answer) and how long it took, in ms."""
    began = time.monotonic()
    code = probe.status(port, "/health/live", timeout=10)
    return "none" if code is None else str(code), (time.monotonic() - began) * 1000


def outcomes(sockets):
    """How each connection stands now: the status it was answered with, 'closed', or 'open' (nothing yet)."""
    counts = {}
    readable, _, _ = select.select(sockets, [], [], 0.2)
    for s in sockets:
        what = "open"
        if s in readable:
            try:
                data = s.recv(12)
                what = data[9:12].decode() if data else "closed"
            except OSError:
                what = "reset"
        counts[what] = counts.get(what, 0) + 1
    return counts


def measure(berth, jar, war, kind, clients):
    head, flags = HEADS[kind]
    proc, port = berth.start(jar, war, flags)
    sockets = []
    try:
        for _ in range(clients):
            s = socket.create_connection((HOST, port), timeout=5)
            s.sendall(head)
            sockets.append(s)
        times, statuses = [], []
        for _ in range(ROUNDS):
            for s in sockets:
                try:
                    s.sendall(b"a")
                except OSError:
                    pass
            status, millis = health(port)
            statuses.append(status)
            times.append(millis)
            time.sleep(max(0.0, 2 - millis / 1000))
        return times, statuses, outcomes(sockets)
    finally:
        for s in sockets:
            s.close()
        berth.stop(proc)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", action="append")
    parser.add_argument("--war", required=True)
    parser.add_argument("--clients", action="append", type=int)
    args = parser.parse_args()
    os.makedirs(os.path.join(BENCH, "target"), exist_ok=True)
    berth = Berth()
    try:
        for clients in args.clients or [70, 500]:
            for kind in HEADS:
                for jar in args.jar or [os.path.join(ROOT, "target", "berth.jar")]:
                    times, statuses, ends = measure(berth, jar, args.war, kind, clients)
                    answered = [t for t, s in zip(times, statuses) if s == "200"]
                    print("%s: %3d %-6s health answered %2d/%d, median %6.0f ms, slowest %6.0f ms; trickling "
                          "connections: %s" % (jar, clients, kind, len(answered), ROUNDS, stats.median(times), max(times),
                                               ends), flush=True)
    finally:
        berth.children.stop_all()


if __name__ == "__main__":
    main()
