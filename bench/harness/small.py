"""small (issue 15): one server at a time, pinned to CPU 0 and told by the JVM flags it has 1 CPU and 512 MB (as
a small container): spawn -> first 200 of the page, RSS then, `wrk -t1 -c32` on the page from CPU 1, RSS after;
still alive? OutOfMemoryError in its log?"""

import os

from berthbench import probe, processes, wrk
from berthbench.report import mib, ms, num
from harness.context import ROOT, START_TIMEOUT
from harness.launchers import WAR

NAME = "small"
SERVER = ["taskset", "-c", "0"]
JVM = ["-XX:ActiveProcessorCount=1", "-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75"]
WRK = ["taskset", "-c", "1"]
HAWTIO_WAR = os.path.join(ROOT, "target", "third-party-wars", "hawtio-war.war")   # mvn dependency:copy@third-party-wars
# (key, label, WAR, the page whose first 200 is timed and which is loaded)
WARS = [("bench", "bench WAR", WAR, "/hello"), ("hawtio", "hawtio 4.2.0", HAWTIO_WAR, "/index.html")]


def measure(run, launcher, war_key, war, page, seconds):
    small = launcher.derive(prefix=SERVER, java_opts=launcher.java_opts + JVM)
    port = run.ports.take()
    logname = "%s-small-%s" % (launcher.key, war_key)
    result = {"launcher": launcher.key, "war": war_key, "page": page, "seconds": seconds,
              "loadavg_before": processes.loadavg(), "command": " ".join(small.command("PORT", war))}
    proc = None
    try:
        start = probe.cold_start(lambda: run.start(small, logname, war, port)[0], port, [("first", page)],
                                 START_TIMEOUT)
        proc = start.proc
        if "first" not in start.marks:
            result["error"] = "no 200 from %s within %.0f s (exit code %s)" % (page, START_TIMEOUT, proc.poll())
        else:
            result["first_ms"] = start.marks["first"]
            result["rss_ready"] = processes.rss_mib(proc.pid)
            cpu0 = processes.cpu_seconds(proc.pid)
            w = wrk.run(port, seconds, page, threads=1, connections=32, prefix=WRK)
            cpu1 = processes.cpu_seconds(proc.pid)
            result.update({k: w.get(k) for k in ("rps", "p50_ms", "p99_ms", "requests", "errors", "non2xx",
                                                  "socket_errors", "raw")})
            if cpu0 is not None and cpu1 is not None and w["requests"]:
                result["cpu_us_per_req"] = (cpu1 - cpu0) * 1e6 / w["requests"]
            result["rss_load"] = processes.rss_mib(proc.pid)
            result["alive"] = proc.poll() is None
            result["loadavg_after"] = processes.loadavg()
    finally:
        if proc is not None:
            code, took, killed = run.stop(proc)
            result.update({"exit_code": code, "stop_ms": took * 1000.0, "killed": killed})
    result["oom"] = run.log_contains(logname, "OutOfMemoryError")
    if result.get("alive") is None:
        result["alive"] = False
    return result


def line(r):
    return "small %-7s %-6s first 200 %s rss %s → %s, %s req/s p99 %s ms, errors %s, alive %s, OOM %s %s" % (
        r["launcher"], r["war"], ms(r.get("first_ms")), mib(r.get("rss_ready")), mib(r.get("rss_load")),
        num(r.get("rps")), num(r.get("p99_ms"), 1), (r.get("errors") or 0) + (r.get("non2xx") or 0), r.get("alive"),
        r.get("oom"), r.get("error", ""))
