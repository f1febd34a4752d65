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
import signal
import socket
import statistics
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "target", "berth.jar")
WAR = os.path.join(ROOT, "bench", "webapp", "target", "bench-app.war")
HOST = "127.0.0.1"


def free_port():
    for port in range(24000, 31999):
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def start(port, *flags):
    out = open(os.path.join(ROOT, "bench", "target", "hardening-%d.log" % port), "w")
    proc = subprocess.Popen(["java", "-jar", JAR, "--host=" + HOST, "--port=%d" % port, "--fallback-ports=", "--access-log=off",
                             *flags, WAR], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return proc, out.name
        except OSError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("berth did not serve on %d" % port)


def stop_with_endless_requests(timeout, rounds):
    """SIGTERM with two requests sleeping 20 s in flight: seconds from the signal to the process's exit."""
    took = []
    for _ in range(rounds):
        port = free_port()
        proc, log = start(port, "--shutdown.timeout=%s" % timeout)
        clients = []
        for _ in range(2):
            s = socket.create_connection((HOST, port), timeout=30)
            s.sendall(b"GET /hello?sleep=20000 HTTP/1.1\r\nHost: x\r\n\r\n")
            clients.append(s)
        time.sleep(0.5)  # let both requests reach the servlet
        begin = time.time()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        took.append(time.time() - begin)
        for s in clients:
            s.close()
        text = open(log).read()
        cut = re.search(r"Stopped in (\d+) ms: (\d+) in-flight requests drained, (\d+) cut", text)
        print("  timeout %s: exit after %.2f s; %s" % (timeout, took[-1], cut.group(0) if cut else "no Stopped line!"))
    return took


def burst(backlog, connects):
    """connects at once, non-blocking: seconds until every connect completed, and the slowest connects."""
    port = free_port()
    proc, _ = start(port, "--http.accept-queue=%d" % backlog)
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
        done.sort()
        p99 = done[int(len(done) * 0.99) - 1] if done else float("nan")
        return total, len(done), p99, done[-1] if done else float("nan")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connects", type=int, default=2000)
    args = parser.parse_args()
    os.makedirs(os.path.join(ROOT, "bench", "target"), exist_ok=True)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.connects + 256)), hard))
    print("Stop with requests that outlast the timeout (goal: exit within timeout + 0.5 s + JVM exit):")
    for timeout in ("2s", "5s"):
        took = stop_with_endless_requests(timeout, args.rounds)
        print("  timeout %s: median %.2f s, max %.2f s over %d rounds" % (timeout, statistics.median(took), max(took), len(took)))
    print("Burst of %d connects (somaxconn %s):" % (args.connects, open("/proc/sys/net/core/somaxconn").read().strip()))
    for backlog in (50, 1024, 4096):
        results = [burst(backlog, args.connects) for _ in range(args.rounds)]
        print("  accept queue %4d: all connected in median %.3f s (max %.3f s); connected %s; p99 connect %.3f s; slowest %.3f s" % (
            backlog, statistics.median(r[0] for r in results), max(r[0] for r in results), [r[1] for r in results],
            statistics.median(r[2] for r in results), max(r[3] for r in results)))


if __name__ == "__main__":
    main()
