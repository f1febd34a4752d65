"""startup: a fresh process, timed from just before the spawn to the port accepting a TCP connection, to the first
200 of /health/live (Berth) and of /hello; RSS when ready and after a short wrk load; idle SIGTERM -> exit."""

import re
import time

from berthbench import probe, processes, wrk
from berthbench.report import mib, ms
from harness.context import START_TIMEOUT

NAME = "startup"


def measure(run, launcher, tag, load_seconds):
    logname = "%s-startup-%s" % (launcher.key, tag)
    port = run.ports.take()
    result = {"launcher": launcher.key, "port": port}
    probes = [("port", None)] + ([("health", "/health/live")] if launcher.health else []) + [("app", "/hello")]

    def ready(proc):
        result["rss_ready"] = processes.rss_mib(proc.pid)

    start = probe.cold_start(lambda: run.start(launcher, logname, port=port)[0], port, probes, START_TIMEOUT, ready)
    proc = start.proc
    for key in ("port", "health", "app"):
        if key in start.marks:
            result[key + "_ms"] = start.marks[key]
    if "app" not in start.marks:
        result["error"] = "not serving within %.0f s (exit code %s)" % (START_TIMEOUT, proc.poll())
        run.stop(proc)
        return result
    if load_seconds > 0 and launcher.app:
        w = wrk.run(port, load_seconds)
        result["load_rps"] = w["rps"]
        result["rss_load"] = processes.rss_mib(proc.pid)
    time.sleep(0.5)   # idle: nothing in flight
    code, took, killed = run.stop(proc)
    result["stop_idle_ms"] = took * 1000.0
    result["exit_code"] = code
    result["killed"] = killed
    if launcher.key.startswith("berth"):
        result["deploy_log_ms"] = deployed_ms(run.log_path(logname))
    return result


def deployed_ms(log_path):
    """What Berth's log says the deployment took ("deployed in N ms"), or None."""
    try:
        with open(log_path, errors="replace") as f:
            m = re.search(r"deployed in (\d+) ms", f.read())
            return int(m.group(1)) if m else None
    except OSError:
        return None


def line(tag, key, r):
    return "%s startup %-10s port %s health %s app %s rss %s/%s stop %s %s" % (
        tag, key, ms(r.get("port_ms")), ms(r.get("health_ms")), ms(r.get("app_ms")), mib(r.get("rss_ready")),
        mib(r.get("rss_load")), ms(r.get("stop_idle_ms")), r.get("error", ""))

