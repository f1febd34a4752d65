"""throughput: all servers up at once, each on its own port; per round one wrk burst per page and server (page by
page, servers in turn, the order rotated by one each round), with the server's CPU time per request; RSS after the
bursts. Once the servers are stopped (their logs flushed), the access-log lines of every Berth that writes one are
counted against the requests wrk completed."""

import os
import re
import time

from berthbench import log, probe, processes, wrk
from berthbench.report import num
from harness.context import ROOT, START_TIMEOUT

NAME = "throughput"
PATHS = ["/hello", "/body"]                # tiny text; 16 KiB through the output stream


def measure(run, launchers, rounds, burst, warmup_rounds, paths=PATHS):
    procs, ports = {}, {}

    def one_burst(launcher, path, seconds, round_no, warmup):
        pid = procs[launcher.key].pid
        cpu0 = processes.cpu_seconds(pid)
        w = wrk.run(ports[launcher.key], seconds, path)
        cpu1 = processes.cpu_seconds(pid)
        w.pop("raw")
        cpu = None if cpu0 is None or cpu1 is None else cpu1 - cpu0
        w.update({"launcher": launcher.key, "path": path, "round": round_no, "warmup": warmup, "seconds": seconds,
                  "cpu_s": cpu, "cpu_us_per_req": cpu * 1e6 / w["requests"] if cpu is not None and w["requests"] else None})
        return w

    bursts = []
    try:
        for launcher in launchers:
            proc, port = run.start(launcher, "%s-throughput" % launcher.key)
            procs[launcher.key], ports[launcher.key] = proc, port
            if probe.first_200(port, "/hello", time.monotonic() + START_TIMEOUT, proc) is None:
                raise RuntimeError("%s did not start for the throughput phase" % launcher.key)
        log("throughput: %d warm-up rounds of %d s bursts on %s (the JIT needs ~15 s of load)" % (
            warmup_rounds, burst, " and ".join(paths)))
        for r in range(1, warmup_rounds + 1):
            for path in paths:
                for launcher in launchers:
                    bursts.append(one_burst(launcher, path, burst, -r, True))
        for r in range(1, rounds + 1):
            # the order rotates by one launcher each round, so that no launcher always runs first (just after the
            # other page's bursts) or always follows the same neighbour
            order = launchers[(r - 1) % len(launchers):] + launchers[:(r - 1) % len(launchers)]
            for path in paths:
                for launcher in order:
                    bursts.append(one_burst(launcher, path, burst, r, False))
                log("throughput round %d/%d %s: %s" % (r, rounds, path, ", ".join(
                    "%s %.0f/s %s µs" % (b["launcher"], b["rps"] or 0, num(b["cpu_us_per_req"]))
                    for b in bursts[-len(launchers):])))
        rss = {key: processes.rss_mib(proc.pid) for key, proc in procs.items()}
    finally:
        for proc in procs.values():
            run.stop(proc)
    access = {}
    for launcher in launchers:
        if launcher.access_log:
            access[launcher.key] = count_access_log(run.log_path("%s-throughput" % launcher.key), launcher.access_log,
                                                    launcher.key, paths, bursts)
            log("access log %s (%s): %s" % (launcher.key, launcher.access_log, access[launcher.key]))
    return {"bursts": bursts, "rss_after_throughput": rss, "access_log": access, "paths": list(paths)}


def count_access_log(log_path, format_, key, paths, bursts):
    """Access-log lines per path in a throughput log, the requests wrk completed on that path (all bursts, warm-up
    included), and the writer's 'N access log lines dropped' notices."""
    text = {p: '"GET %s"' % p for p in paths}                      # 2026-11-26T23:28:47.915Z 127.0.0.1 "GET /hello" 200 ...
    js = {p: re.compile(r'"path"\s*:\s*"%s"' % re.escape(p)) for p in paths}   # {..."path":"/hello",...}
    lines = {p: 0 for p in paths}
    notices = []
    dropped = 0
    try:
        with open(log_path, errors="replace") as f:
            for line in f:
                if "access log lines dropped" in line:
                    notices.append(line.strip())
                    m = re.match(r"\s*(\d+) access log lines dropped", line)
                    dropped += int(m.group(1)) if m else 0
                    continue
                for p in paths:
                    if text[p] in line or ('"path"' in line and js[p].search(line)):
                        lines[p] += 1
                        break
    except OSError as e:
        return {"format": format_, "error": str(e)}
    requests = {p: sum(b["requests"] or 0 for b in bursts if b["launcher"] == key and b["path"] == p) for p in paths}
    unparsed = sum(1 for b in bursts if b["launcher"] == key and b["requests"] is None)
    return {"format": format_, "lines": lines, "requests": requests, "dropped": dropped,
            "drop_notice_count": len(notices), "drop_notices": notices[:10], "bursts_without_count": unparsed,
            "log": os.path.relpath(log_path, ROOT)}
