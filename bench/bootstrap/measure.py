#!/usr/bin/env python3
"""Time from process start to the first 200 health answer: core Jetty Handler vs. servlet context.

Runs `java -jar target/bootstrap-probe.jar MODE PORT` as fresh subprocesses, one warm-up run of each
mode, then N interleaved rounds (core, servlet, core, servlet, ...). For each run: wall time from just
before Popen to the first HTTP 200 from http://127.0.0.1:PORT/health/live, and the child's VmRSS at that
moment (and its CPU time so far). Then a short pass with -Xlog:class+load counts the classes loaded until the first answer (not
timed in the table: logging slows the JVM). Prints a Markdown table and writes RESULTS.md.

Standard library only. Kills only the children it started, by pid.
"""

import argparse
import datetime
import http.client
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODES = ("core", "servlet")
HOST = "127.0.0.1"
PATH = "/health/live"


class Ports:
    """Hands out ports from base upward (below 32768, out of Linux's ephemeral range), skipping busy ones."""

    def __init__(self, base):
        self.next = base

    def take(self):
        while self.next < 32768:
            port = self.next
            self.next += 1
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                try:
                    s.bind((HOST, port))
                except OSError:
                    continue
            return port
        raise SystemExit("no free port below 32768")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_ms(pid):
    """User + system CPU time of the process (all its threads: JIT, GC, ...), in ms."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


def probe(port):
    """One GET; the HTTP status, or None when nothing listens yet. Short connect timeout, longer read."""
    try:
        sock = socket.create_connection((HOST, port), timeout=0.05)
    except OSError:
        return None
    conn = http.client.HTTPConnection(HOST, port)
    try:
        sock.settimeout(5)
        conn.sock = sock
        conn.request("GET", PATH, headers={"Connection": "close"})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def stop(proc):
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def run_once(args, mode, port, jvm_flags=(), on_first=None):
    """Returns (ms to first 200, RSS KiB and CPU ms at that moment, on_first's result)."""
    cmd = [args.java, *jvm_flags, "-jar", args.jar, mode, str(port)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = t0 + args.timeout
        while True:
            status = probe(port)
            if status == 200:
                ms = (time.perf_counter() - t0) * 1000.0
                rss = rss_kib(proc.pid)
                cpu = cpu_ms(proc.pid)
                extra = on_first() if on_first else None
                return ms, rss, cpu, extra
            if proc.poll() is not None:
                raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode} before answering")
            if time.perf_counter() > deadline:
                raise SystemExit(f"{' '.join(cmd)}: no 200 from {PATH} within {args.timeout} s")
            time.sleep(args.interval)
    finally:
        stop(proc)


def count_classes(log):
    """(all, from the CDS archive, from JDK modules, from the jar, generated) classes in a class+load log."""
    counts = [0, 0, 0, 0, 0]
    with open(log, errors="replace") as f:
        for line in f:
            if "source:" not in line:
                continue
            source = line.split("source:", 1)[1].strip()
            counts[0] += 1
            if source == "shared objects file":
                counts[1] += 1
            elif source.startswith("jrt:/"):
                counts[2] += 1
            elif source.startswith("file:"):
                counts[3] += 1
            else:  # lambdas, proxies, method handles: defined at run time
                counts[4] += 1
    return tuple(counts)


def java_version(java):
    out = subprocess.run([java, "-version"], capture_output=True, text=True)
    return (out.stderr or out.stdout).splitlines()[0].strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    ap.add_argument("--class-runs", type=int, default=3, help="runs per mode with -Xlog:class+load (default 3, 0: none)")
    ap.add_argument("--base-port", type=int, default=23500)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the first 200")
    ap.add_argument("--interval", type=float, default=0.005, help="seconds between polls")
    ap.add_argument("--java", default="java")
    ap.add_argument("--jar", default=os.path.join(HERE, "target", "bootstrap-probe.jar"))
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"), help="'' to not write")
    args = ap.parse_args()
    if not os.path.isfile(args.jar):
        raise SystemExit(f"{args.jar} is missing: run `mvn -B -q package` first")

    ports = Ports(args.base_port)
    for mode in MODES:  # warm-up: page cache, CDS archive, JIT-less first start
        ms, _, _, _ = run_once(args, mode, ports.take())
        print(f"warm-up {mode}: {ms:.0f} ms", file=sys.stderr)

    times = {m: [] for m in MODES}
    rss = {m: [] for m in MODES}
    cpu = {m: [] for m in MODES}
    for r in range(args.rounds):
        for mode in MODES:
            ms, kib, cpu_time, _ = run_once(args, mode, ports.take())
            times[mode].append(ms)
            rss[mode].append(kib / 1024.0)
            cpu[mode].append(cpu_time)
        print(f"round {r + 1}/{args.rounds}: core {times['core'][-1]:.0f} ms, servlet {times['servlet'][-1]:.0f} ms",
              file=sys.stderr)

    classes = {m: [] for m in MODES}
    if args.class_runs > 0:
        with tempfile.TemporaryDirectory(prefix="bootstrap-probe-") as tmp:
            for i in range(args.class_runs):
                for mode in MODES:
                    log = os.path.join(tmp, f"{mode}-{i}.log")
                    flags = [f"-Xlog:class+load=info:file={log}"]
                    _, _, _, counted = run_once(args, mode, ports.take(), flags, lambda log=log: count_classes(log))
                    classes[mode].append(counted)

    med = {m: statistics.median(times[m]) for m in MODES}
    lines = [
        "| mode | runs | median ms | min ms | max ms | median RSS MiB | median CPU ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in MODES:
        lines.append(f"| {m} | {len(times[m])} | {med[m]:.0f} | {min(times[m]):.0f} | {max(times[m]):.0f} "
                     f"| {statistics.median(rss[m]):.1f} | {statistics.median(cpu[m]):.0f} |")
    ratio = med["servlet"] / med["core"]
    lines.append("")
    lines.append(f"Ratio servlet/core of the medians: **{ratio:.3f}** "
                 f"(servlet {med['servlet'] - med['core']:+.0f} ms).")
    cpu_med = {m: statistics.median(cpu[m]) for m in MODES}
    lines.append(f"CPU time to the first 200, ratio servlet/core of the medians: {cpu_med['servlet'] / cpu_med['core']:.3f} "
                 f"(servlet {cpu_med['servlet'] - cpu_med['core']:+.0f} ms).")
    diffs = [s - c for c, s in zip(times["core"], times["servlet"])]
    ratios = sorted(s / c for c, s in zip(times["core"], times["servlet"]))
    slower = sum(1 for d in diffs if d > 0)
    lines.append(f"Paired by round (each servlet run against the core run just before it): median difference "
                 f"{statistics.median(diffs):+.0f} ms, median ratio {statistics.median(ratios):.3f}, "
                 f"servlet slower in {slower} of {len(diffs)} rounds.")
    if args.class_runs > 0:
        lines += ["", "Classes loaded until the first 200 (-Xlog:class+load, median of "
                  f"{args.class_runs} runs per mode; these runs are not in the timings above):", "",
                  "| mode | classes | CDS archive (JDK) | JDK modules | jar (Jetty, Jakarta, probe) | generated |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for m in MODES:
            cols = [statistics.median(c[k] for c in classes[m]) for k in range(5)]
            lines.append(f"| {m} | " + " | ".join(f"{c:.0f}" for c in cols) + " |")
    table = "\n".join(lines)
    print(table)

    if args.results:
        cmd = "cd bench/bootstrap && mvn -B -q package && python3 measure.py"
        extra = sys.argv[1:]
        if extra:
            cmd += " " + " ".join(shlex.quote(a) for a in extra)
        raw = "\n".join(f"- {m}: " + ", ".join(f"{t:.0f}" for t in times[m]) for m in MODES)
        doc = f"""# Bootstrap probe results

Time from process start (just before the JVM is spawned) to the first HTTP 200 from `{PATH}`, for a
core Jetty `Handler` (core) and an ee11 `ServletContextHandler` + `HttpServlet` (servlet), one warm-up
run each, then {args.rounds} interleaved rounds of fresh `java -jar target/bootstrap-probe.jar MODE PORT`
with default JVM flags. RSS is the child's VmRSS and CPU its user + system time (all JVM threads, 10 ms
ticks) at the moment of the first 200; CPU time is less disturbed than wall time by other load on the
machine.

- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}
- machine: nproc {len(os.sched_getaffinity(0))}, `{java_version(args.java)}` (shared machine: numbers are noisy)
- reproduce: `{cmd}`

{table}

Raw times (ms), in run order:

{raw}
"""
        with open(args.results, "w") as f:
            f.write(doc)
        print(f"\nwrote {args.results}", file=sys.stderr)


if __name__ == "__main__":
    main()
