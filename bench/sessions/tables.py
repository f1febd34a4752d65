"""The session stores' report, made from the results JSON alone."""

import datetime
import os
import platform
import subprocess
import tempfile

from berthbench.stats import median as med
from sessions import ROOT

GOALS = {"redis": 0.7, "jdbc": 0.5}                     # req/s at least this times memory's (issue 13)


def machine_notes(pg, redis):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src"], capture_output=True, text=True).stdout.strip()
    fs = subprocess.run(["df", "-T", tempfile.gettempdir()], capture_output=True, text=True).stdout.splitlines()[-1].split()[1]
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "nproc": os.cpu_count(), "cpu": cpu,
            "mem_mib": mem, "kernel": platform.release(), "java": java, "berth": commit + (" with uncommitted src/ changes" if dirty else ""),
            "postgres": getattr(pg, "version", None) if pg else None, "redis": getattr(redis, "version", None) if redis else None,
            "tmp_fs": fs, "loadavg_end": open("/proc/loadavg").read().split()[:3]}


def render(data):
    args, notes = data["args"], data["machine"]
    stores = [s for s in args["stores"] if s in data["throughput"]]
    out = ["# HTTP session stores: memory against jdbc and redis", "",
           "Made from the run's JSON by bench/sessions/measure.py; the method, the goals' story and the analysis are in "
           "bench/sessions/RESULTS.md.", ""]
    out.append("Run %s, Berth %s, %d rounds of %d s, %d users (`%s`). %s; %d CPUs (%s), %d MiB; %s; PostgreSQL %s "
               "(fsync=%s, synchronous_commit=%s, data on %s); %s. Load average %s at the start, %s at the end."
               % (notes["date"], notes["berth"], args["rounds"], args["seconds"], args["users"], data["command"], notes["java"],
                  notes["nproc"], notes["cpu"], notes["mem_mib"], "kernel " + notes["kernel"], notes["postgres"] or "not run",
                  args["fsync"], args["fsync"], notes["tmp_fs"],
                  "Redis %s (no persistence)" % notes["redis"] if notes["redis"] else "no Redis", " ".join(data["loadavg_start"]),
                  " ".join(notes["loadavg_end"])))
    out.append("")
    if data.get("client_check"):
        c = data["client_check"]
        out.append("Load generator against wrk (`wrk -t2 -c32`), one memory instance, GET /ping (no session), %d s each: "
                   "SessionLoad %.0f req/s, wrk %.0f req/s (%.2f×), best of two each; SessionLoad used %.1f µs of CPU per request."
                   % (c["seconds"], c["sessionload_rps"], c["wrk_rps"], c["sessionload_rps"] / c["wrk_rps"], c["client_us_per_request"]))
        out.append("")
    base = data["throughput"].get("memory")
    base_rps = med([r["rps"] for r in base]) if base else None
    base_lat = data["latency"].get("memory")
    work = " plus %d µs of CPU work per request" % args["work_us"] if args.get("work_us") else ""
    out.append("**Throughput**: %d users (closed loop, one session each), GET /count (session read + write%s), two instances "
               "per store; medians of %d rounds, (min–max)." % (args["users"], work, args["rounds"]))
    out.append("")
    out.append("| store | users go to | req/s | × memory | p50 ms | p99 ms | p50 added | p99 added | errors | stale reads | cookie changes |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in stores:
        rs = data["throughput"][s]
        rps = [r["rps"] for r in rs]
        p50, p99 = med([r["p50_ms"] for r in rs]), med([r["p99_ms"] for r in rs])
        bp50 = med([r["p50_ms"] for r in base]) if base else None
        bp99 = med([r["p99_ms"] for r in base]) if base else None
        out.append("| %s | %s | %.0f (%.0f–%.0f) | %s | %.2f | %.2f | %s | %s | %d | %d | %d |" % (
            s, "one instance each (sticky)" if s == "memory" else "both, in turn", med(rps), min(rps), max(rps),
            "%.2f×" % (med(rps) / base_rps) if base_rps else "–", p50, p99,
            "–" if s == "memory" or bp50 is None else "%+.2f ms" % (p50 - bp50),
            "–" if s == "memory" or bp99 is None else "%+.2f ms" % (p99 - bp99),
            sum(r["errors"] for r in rs), sum(r["stale"] for r in rs), sum(r["cookie_changes"] for r in rs)))
    for s in args["stores"]:
        if s in data.get("unavailable", {}):
            out.append("| %s | – | not measured: %s | | | | | | | | |" % (s, data["unavailable"][s].replace("|", "/")))
    out.append("")
    if data["latency"]:
        out.append("**Latency without queueing**: one user, GET /count, %d s per round, medians of %d rounds." % (args["latency_seconds"], args["rounds"]))
        out.append("")
        out.append("| store | p50 ms | p99 ms | p50 added | p99 added | req/s (one user) |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for s in stores:
            rs = data["latency"].get(s, [])
            if not rs:
                continue
            p50, p99 = med([r["p50_ms"] for r in rs]), med([r["p99_ms"] for r in rs])
            bp50 = med([r["p50_ms"] for r in base_lat]) if base_lat else None
            bp99 = med([r["p99_ms"] for r in base_lat]) if base_lat else None
            out.append("| %s | %.3f | %.3f | %s | %s | %.0f |" % (
                s, p50, p99, "–" if s == "memory" or bp50 is None else "%+.3f ms" % (p50 - bp50),
                "–" if s == "memory" or bp99 is None else "%+.3f ms" % (p99 - bp99), med([r["rps"] for r in rs])))
        out.append("")
    out.append("**Where the CPU goes** (throughput rounds, medians): CPU time (user + system) per request, in µs, of each "
               "process group during the measured window. With %d CPUs, N µs of CPU per request allows at most %d/N "
               "million req/s. \"Of which kernel\" is Berth's system time (socket calls, thread wake-ups); context switches are "
               "per request, all threads of both instances. \"Idle Berth\" is the other stores' instances, idle "
               "meanwhile; \"kernel threads, interrupts\" includes the journal and writeback work behind PostgreSQL's "
               "fsyncs; \"other processes\" is whatever else ran on the machine." % (notes["nproc"], notes["nproc"]))
    out.append("")
    out.append("| store | machine busy | Berth (both) | of which kernel | Berth context switches | PostgreSQL | Redis | load generator | idle Berth | kernel threads, interrupts | other processes | whole machine |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in stores:
        rs = data["throughput"][s]

        def per_req(key):
            vals = [r["cpu_s"].get(key, 0) * 1e6 / max(1, r["requests"]) for r in rs]
            return med(vals)
        switches = med([r.get("switches", {}).get("berth_switches", 0) / max(1, r["requests"]) for r in rs])
        out.append("| %s | %.0f%% | %.0f | %.0f | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |" % (
            s, 100 * med([r["machine_busy"] for r in rs]), per_req("berth"), per_req("berth_sys"), switches, per_req("postgres"),
            per_req("redis"), per_req("client"), per_req("idle_berth"), per_req("kernel"), per_req("other"), per_req("machine")))
    out.append("")
    if data.get("counted"):
        out.append("**Round trips per request** (a separate 3 s run with 4 users, after the rounds):")
        out.append("")
        for s, c in data["counted"].items():
            if "statements" in c:
                out.append("- jdbc, %d requests: %.2f transactions and %.2f WAL flushes (fsync) per request; statements per request:"
                           % (c["requests"], c["transactions_per_request"], c["wal_syncs_per_request"]))
                for sql, n in c["statements"].items():
                    if n >= 0.005:
                        out.append("  - %.2f × `%s`" % (n, sql[:160]))
            else:
                out.append("- redis, %d requests: commands per request: %s" % (
                    c["requests"], ", ".join("%.2f × %s" % (n, k.upper()) for k, n in c["commands"].items() if n >= 0.005) or "none"))
        out.append("")
    out.append("**Goals** (issue 13, req/s against memory in the same run, two instances behind a round-robin client):")
    out.append("")
    for s, goal in GOALS.items():
        if s in stores and base_rps:
            ratio = med([r["rps"] for r in data["throughput"][s]]) / base_rps
            out.append("- %s `%s` ≥ %.1f× `memory`: %.2f×" % ("PASS" if ratio >= goal else "MISS", s, goal, ratio))
        else:
            out.append("- NOT MEASURED `%s` ≥ %.1f× `memory`%s" % (s, goal, ": " + data.get("unavailable", {}).get(s, "not selected")))
    out.append("")
    out.append("Rounds (req/s, p50/p99 ms):")
    out.append("")
    out.append("```")
    for s in stores:
        out.append("%-6s %s" % (s, "  ".join("%.0f (%.2f/%.2f)" % (r["rps"], r["p50_ms"], r["p99_ms"]) for r in data["throughput"][s])))
    out.append("```")
    return "\n".join(out) + "\n"
