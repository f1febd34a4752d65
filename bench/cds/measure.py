#!/usr/bin/env python3
"""Berth with and without an application class-data-sharing archive: time to the application's first
200 and RSS then, interleaved (A B A B ...) after a warm-up, medians and min-max.

The archive comes from a training run: java -XX:ArchiveClassesAtExit=ARCHIVE -jar berth.jar --train WAR
"""
import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port(start):
    for port in range(start, start + 500):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise SystemExit("no free port near %d" % start)


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def first_200(port, path, deadline):
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.005)
    return False


def run_once(jar, war, archive, path, port):
    command = ["java"]
    if archive:
        command.append("-XX:SharedArchiveFile=" + archive)
    command += ["-jar", jar, "--host=127.0.0.1", "--port=%d" % port, "--fallback-ports=", "--access-log=off", war]
    begin = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not first_200(port, path, begin + 60):
            raise SystemExit("no 200 from %s within 60 s" % path)
        elapsed = (time.monotonic() - begin) * 1000
        rss = rss_mib(child.pid)
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=60)
    return elapsed, rss


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--war", default=os.path.join(ROOT, "target", "test-wars", "hello.war"))
    parser.add_argument("--path", default="/annotated", help="the application page to wait for")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--jar", default=os.path.join(ROOT, "target", "berth.jar"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "cds", "RESULTS.md"))
    args = parser.parse_args()
    archive = os.path.join(ROOT, "target", "bench-cds.jsa")
    if os.path.exists(archive):
        os.remove(archive)
    port = free_port(24100)
    train = ["java", "-XX:ArchiveClassesAtExit=" + archive, "-jar", args.jar, "--train", "--host=127.0.0.1",
             "--port=%d" % port, "--fallback-ports=", "--access-log=off", args.war]
    subprocess.run(train, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    size = os.path.getsize(archive) / 1024.0 / 1024.0
    results = {"without archive": [], "with archive": []}
    for name, jsa in (("without archive", None), ("with archive", archive)):
        run_once(args.jar, args.war, jsa, args.path, free_port(24200))  # warm-up: disk cache, JIT-free
    for _ in range(args.rounds):
        for name, jsa in (("without archive", None), ("with archive", archive)):
            results[name].append(run_once(args.jar, args.war, jsa, args.path, free_port(24300)))
    lines = ["# Berth with and without an application CDS archive", "",
             "%s, %d cores, %s; WAR `%s`, page `%s`, %d interleaved rounds after a warm-up; archive %.1f MiB." % (
                 date.today().isoformat(), os.cpu_count(),
                 subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0],
                 os.path.relpath(args.war, ROOT), args.path, args.rounds, size), "",
             "| run | first 200 median (ms) | min-max (ms) | RSS at first 200 median (MiB) | min-max (MiB) |",
             "|---|---|---|---|---|"]
    medians = {}
    for name, samples in results.items():
        times = [t for t, _ in samples]
        rss = [r for _, r in samples]
        medians[name] = (statistics.median(times), statistics.median(rss))
        lines.append("| %s | %.0f | %.0f-%.0f | %.0f | %.0f-%.0f |" % (
            name, medians[name][0], min(times), max(times), medians[name][1], min(rss), max(rss)))
    t_ratio = medians["with archive"][0] / medians["without archive"][0]
    m_ratio = medians["with archive"][1] / medians["without archive"][1]
    lines += ["", "With the archive: time to the first 200 x%.2f (%.0f %% faster), RSS x%.2f." % (
        t_ratio, (1 - t_ratio) * 100, m_ratio), "",
        "Reproduce: `mvn -B verify` (builds the jar and the fixture WAR), then `python3 bench/cds/measure.py`."]
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as out:
        out.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
