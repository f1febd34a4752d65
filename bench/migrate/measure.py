#!/usr/bin/env python3
"""Java EE 8 WARs (issue 12): what converting on the fly costs, and what the cache saves.

  python3 bench/migrate/measure.py [--rounds N]

For a small WAR (Jetty 10's JSP demo, 29 KB) and a large one (Wicket 8 examples with Weld, 30 MB), each round
starts Berth three times on a 512 MB budget (-XX:MaxRAM=512m -XX:MaxRAMPercentage=75, as the Dockerfile runs):
  convert   a fresh cache: the WAR is converted during the deployment
  cached    the same cache again: the conversion is taken from it
  ahead     the WAR converted beforehand with --migrate (what an image build ships): no conversion at all
and records the time from spawn to the application's first 200 and the peak RSS (VmHWM) at that moment.
Needs target/berth.jar and target/third-party-wars (mvn -B verify, or mvn -B dependency:copy@third-party-wars).
Loopback only; every process is ended by its pid; every wait has a deadline.
"""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "target", "berth.jar")
WARS = os.path.join(ROOT, "target", "third-party-wars")
HOST = "127.0.0.1"
JVM = ["-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75"]
CASES = [("small", "demo-jsp-webapp.war", "/"), ("large", "wicket-examples.war", "/helloworld/")]


def free_port():
    for port in range(25000, 31999):
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def status(port, path):
    try:
        with socket.create_connection((HOST, port), timeout=2) as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
            return s.recv(12).decode(errors="replace")
    except OSError:
        return ""


def hwm_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def first_200(war, path, work, cache):
    port = free_port()
    log = open(os.path.join(work, "berth-%d.log" % port), "w")
    begin = time.time()
    proc = subprocess.Popen(["java", *JVM, "-Duser.home=" + work, "-jar", JAR, "--host=" + HOST, "--port=%d" % port, "--fallback-ports=",
                             "--access-log=off", "--startup.hold=2m", "--work-dir=" + os.path.join(work, "w"),
                             "--migrate.cache-dir=" + cache, war], stdout=log, stderr=subprocess.STDOUT, cwd=work)
    try:
        deadline = begin + 180
        while time.time() < deadline:
            if status(port, path).startswith("HTTP/1.1 200"):
                return time.time() - begin, hwm_kib(proc.pid) / 1024.0
            if proc.poll() is not None:
                raise RuntimeError("berth exited %d, see %s" % (proc.returncode, log.name))
            time.sleep(0.02)
        raise RuntimeError("no 200 within 180 s, see " + log.name)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = {}
    for label, name, path in CASES:
        war = os.path.join(WARS, name)
        for round_ in range(args.rounds):
            work = tempfile.mkdtemp(prefix="berth-migrate-")
            try:
                cache = os.path.join(work, "cache")
                ahead = os.path.join(work, "ahead-" + name)
                subprocess.run(["java", "-jar", JAR, "--migrate", war, ahead], check=True, capture_output=True, timeout=300)
                for variant, target in (("convert", war), ("cached", war), ("ahead", ahead)):
                    took, rss = first_200(target, path, work, cache)
                    results.setdefault((label, variant), []).append((took, rss))
                    print("%s %-7s round %d: first 200 after %.2f s, peak RSS %.0f MiB" % (label, variant, round_ + 1, took, rss), flush=True)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    print("\n| WAR | start | first app 200 (median) | peak RSS (median) |\n|---|---|---:|---:|")
    for (label, variant), values in results.items():
        print("| %s | %s | %.2f s | %.0f MiB |" % (label, variant, statistics.median(v[0] for v in values), statistics.median(v[1] for v in values)))


if __name__ == "__main__":
    main()
