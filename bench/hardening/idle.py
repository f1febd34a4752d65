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
import re
import socket
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = "127.0.0.1"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start(jar, log_format):
    port = free_port()
    out = open(os.path.join(ROOT, "bench", "target", "idle-%d.log" % port), "w")
    proc = subprocess.Popen(["java", "-jar", jar, "--host=" + HOST, "--port=%d" % port, "--fallback-ports=",
                             "--access-log=" + log_format], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return proc, port
        except OSError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("berth did not serve on %d" % port)


def cpu_ms(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICKS


def idle_cpu(jar, log_format, seconds):
    proc, _ = start(jar, log_format)
    try:
        time.sleep(5)
        before = cpu_ms(proc.pid)
        time.sleep(seconds)
        return cpu_ms(proc.pid) - before
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def throughput(jar):
    proc, port = start(jar, "text")
    try:
        subprocess.run(["wrk", "-t2", "-c32", "-d3s", "http://%s:%d/" % (HOST, port)], capture_output=True, timeout=60)
        out = subprocess.run(["wrk", "-t2", "-c32", "-d10s", "http://%s:%d/" % (HOST, port)], capture_output=True, text=True,
                             timeout=60).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", action="append")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--idle-seconds", type=int, default=20)
    args = parser.parse_args()
    jars = args.jar or [os.path.join(ROOT, "target", "berth.jar")]
    os.makedirs(os.path.join(ROOT, "bench", "target"), exist_ok=True)
    idle = {(jar, fmt): [] for jar in jars for fmt in ("off", "text")}
    rps = {jar: [] for jar in jars}
    for _ in range(args.rounds):
        for jar in jars:
            for fmt in ("off", "text"):
                idle[(jar, fmt)].append(idle_cpu(jar, fmt, args.idle_seconds))
            rps[jar].append(throughput(jar))
    print("Idle %d s after a 5 s warm-up, CPU of the whole JVM (ms), median of %d rounds; wrk -t2 -c32 -d10s on GET / "
          "with the text access log (req/s):" % (args.idle_seconds, args.rounds))
    for jar in jars:
        print("  %s: access log off %.0f ms %s, text %.0f ms %s; %.0f req/s %s" % (
            jar, statistics.median(idle[(jar, "off")]), [round(v) for v in idle[(jar, "off")]],
            statistics.median(idle[(jar, "text")]), [round(v) for v in idle[(jar, "text")]],
            statistics.median(rps[jar]), [round(v) for v in rps[jar]]))


if __name__ == "__main__":
    main()
