#!/usr/bin/env python3
"""HTTP session stores (issue 13, item 8): requests/s and latency of a session read+write endpoint with each
store against `memory`, side by side in one run. Run it through bench/sessions/run.sh, which builds the WAR,
the load generator and (when missing) target/berth.jar.

  python3 bench/sessions/measure.py [--rounds 3] [--seconds 15] [--users 32] [--stores memory,jdbc,redis]

It starts its own PostgreSQL (initdb into a temporary folder, as nobody when run as root, SCRAM password,
TCP on 127.0.0.1 only, fsync and synchronous_commit ON as on a managed database) and its own redis-server
(password, no persistence), then two Berth instances per store on loopback ports below 32768, all running
through the whole run (the second of each pair starts when the first is ready, see RESULTS.md):

  memory  the baseline: two instances, each user pinned to one of them (sticky: the best case for memory,
          which cannot share a session between instances; the same two JVMs and the same users as the others)
  jdbc    --sessions.store=jdbc, DATABASE_URL=postgres://...  (users alternate between the two instances)
  redis   --sessions.store=redis, REDIS_URL=redis://...        (users alternate between the two instances)

Phases: the load generator against wrk on one instance (/ping, no session: is the client fast enough?); a
warm-up round per store; interleaved throughput rounds (memory, jdbc, redis, memory, ...) of --users closed-loop
users, each with its own session, on GET /count (reads the session's counter and writes it back plus one);
interleaved latency rounds with one user (no queueing: the time a store adds to a request); and one short
counted run per remote store: SQL statements (log_statement=all, switched on for that run only) or Redis
commands (INFO commandstats) per request. CPU time of every process is sampled around each measured window.

Writes bench/results/sessions.json and makes the report bench/results/sessions.md from that file
(bench/target/sessions/quick/ with --quick; --out DIR for elsewhere). Variants: --fsync off, --work-us N (the
application's own CPU time per request), --berth-flag=--sessions.jdbc.pool-size=16, each with --out DIR. Every
process it starts is ended by its pid; every wait has a deadline.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import HOST, RESULTS, berth, log, probe, processes, report  # noqa: E402
from sessions import LOGS, START_TIMEOUT, TARGET, backing, cpu, tables  # noqa: E402

JAR = os.path.join(TARGET, "berth.jar")                 # run.sh's snapshot of target/berth.jar
WAR = os.path.join(TARGET, "sessions-bench.war")
CLIENT = os.path.join(TARGET, "client")
STORES = ("memory", "jdbc", "redis")
TICK = processes.TICKS
render = tables.render                                  # for the report made again from a JSON file


# ---------------------------------------------------------------- processes and ports

def http_get(port, path, cookie=None, timeout=5.0):
    """(status, {lower-case name: [values]}, body) over a fresh connection."""
    reply = probe.request(port, path, headers={"Cookie": cookie} if cookie else None, timeout=timeout)
    headers = {}
    for name, value in reply.headers:
        headers.setdefault(name.lower(), []).append(value)
    return reply.status, headers, reply.body.decode("latin-1")

def clean_env(extra):
    """This environment without anything Berth would read as a setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("BERTH_") or k in ("PORT", "DATABASE_URL", "REDIS_URL", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"))}
    env.update(extra)
    return env


# ---------------------------------------------------------------- Berth instances

class Pair:
    """Two Berth instances with the same session store."""

    def __init__(self, lab, store, env, extra_flags, jar=None, name=None):
        self.lab = lab
        self.store = store
        self.name = name or store
        self.jar = jar or JAR
        self.env = env
        self.flags = ["--sessions.store=" + store] + extra_flags
        self.procs = []
        self.ports = []
        self.error = None

    def start(self, i):
        """Starts instance i (0 or 1)."""
        port = self.lab.ports.take()
        work = os.path.join(TARGET, "run", "%s-%d" % (self.name, i))
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        cmd = berth.command(self.jar, port, "--access-log=off", "--work-dir=" + work, *self.flags, war=WAR)
        self.procs.append(self.lab.spawn(cmd, "berth-%s-%d" % (self.name, i), env=clean_env(self.env), cwd=work))
        self.ports.append(port)

    def wait_ready(self, i):
        """Waits for /health/ready of instance i; False (and the pair stopped) if it exits or takes too long."""
        proc, port = self.procs[i], self.ports[i]
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                return self._fail("instance on port %d exited %d" % (port, proc.returncode))
            if probe.status(port, "/health/ready", timeout=2) == 200:
                return True
            if time.monotonic() > deadline:
                return self._fail("instance on port %d not ready within %.0f s" % (port, START_TIMEOUT))
            time.sleep(0.2)

    def check_sessions(self):
        """A session written on one instance is read on the other (memory: on the same one)."""
        try:
            status, headers, body = http_get(self.ports[0], "/count")
            cookie = next((c.split(";")[0] for c in headers.get("set-cookie", []) if c.startswith("JSESSIONID=")), None)
            status2, _, body2 = http_get(self.ports[1 if self.store != "memory" else 0], "/count", cookie=cookie)
        except (OSError, http.client.HTTPException) as e:
            return self._fail("GET /count failed: %s" % e)
        if (status, body, status2, body2) != (200, "count=1", 200, "count=2"):
            return self._fail("session check: %s %r then %s %r" % (status, body, status2, body2))
        return True

    def _fail(self, why):
        tail = ""
        for i in range(2):
            path = os.path.join(LOGS, "berth-%s-%d.log" % (self.name, i))
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    lines = [l.rstrip() for l in f if "WARN" in l or "ERROR" in l or "Exception" in l]
                tail = tail or (lines[-1][:300] if lines else "")
        self.error = why + (" (log: %s)" % tail if tail else "")
        self.stop()
        return False

    def ticks(self):
        return sum(cpu.proc_ticks(p.pid) for p in self.procs)

    def system_ticks(self):
        return sum(cpu.proc_ticks(p.pid, system_only=True) for p in self.procs)

    def switches(self):
        return sum(cpu.context_switches(p.pid) for p in self.procs)

    def targets(self):
        return ",".join("%s:%d" % (HOST, p) for p in self.ports)

    def mode(self):
        return "sticky" if self.store == "memory" else "roundrobin"

    def stop(self):
        for proc in self.procs:
            self.lab.stop(proc)


# ---------------------------------------------------------------- the load generator

def run_client(pair, users, warmup, seconds, servers, path="/count", targets=None, mode=None):
    """Runs SessionLoad; samples CPU ticks of `servers` (name -> callable) around the measured window."""
    cmd = ["java", "-XX:+UseSerialGC", "-cp", CLIENT, "SessionLoad", "--targets", targets or pair.targets(),
           "--mode", mode or pair.mode(), "--users", str(users), "--warmup", str(warmup), "--seconds", str(seconds), "--path", path]
    proc = pair.lab.children.spawn(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    before = after = None
    result = None
    try:
        deadline = time.monotonic() + warmup + seconds + 120
        for line in proc.stdout:
            line = line.strip()
            if line == "MEASURING":
                before = ({k: f() for k, f in servers.items()}, cpu.machine_ticks(), time.monotonic())
            elif line == "DONE":
                after = ({k: f() for k, f in servers.items()}, cpu.machine_ticks(), time.monotonic())
            elif line.startswith("{"):
                result = json.loads(line)
            if time.monotonic() > deadline:
                break
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        pair.lab.stop(proc, timeout=5)
    if result is None or before is None or after is None:
        raise RuntimeError("load generator failed: %s" % (proc.stderr.read()[-2000:] if proc.stderr else "?"))
    elapsed = after[2] - before[2]
    # keys ending in _sys are part of another key's time, _switches are counts: neither is summed into "other"
    result["cpu_s"] = {k: (after[0][k] - before[0][k]) / TICK for k in servers if not k.endswith("_switches")}
    result["switches"] = {k: after[0][k] - before[0][k] for k in servers if k.endswith("_switches")}
    result["cpu_s"]["client"] = result["client_cpu_s"]
    busy = (after[1][0] - before[1][0]) / TICK
    result["cpu_s"]["machine"] = busy
    result["cpu_s"]["other"] = max(0.0, busy - sum(v for k, v in result["cpu_s"].items() if k != "machine" and not k.endswith("_sys")))
    result["machine_busy"] = (after[1][0] - before[1][0]) / max(1, after[1][1] - before[1][1])
    result["elapsed_s"] = elapsed
    return result


def run_wrk(port, seconds):
    out = subprocess.run(["wrk", "-t2", "-c32", "-d%ds" % seconds, "--latency", "http://%s:%d/ping" % (HOST, port)],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps


# ---------------------------------------------------------------- counted runs

def sql_statements(pg, pair):
    """Runs a short load with log_statement=all and counts the berth database's statements per request."""
    time.sleep(11)                                        # a backend reports to pg_stat_* within 10 s of going idle
    size = os.path.getsize(pg.log_path)
    xacts0, syncs0 = pg.counters()
    pg.log_statements(True)
    result = run_client(pair, users=4, warmup=0, seconds=3, servers={})
    pg.log_statements(False)
    time.sleep(11)
    xacts1, syncs1 = pg.counters()
    counts = {}
    with open(pg.log_path, errors="replace") as f:
        f.seek(size)
        for line in f:
            m = re.search(r"db=berth LOG:  (?:execute [^:]*|statement): (.*)", line)
            if m:
                sql = re.sub(r"\s+", " ", m.group(1)).strip()
                sql = re.sub(r"\$\d+", "?", sql)
                counts[sql] = counts.get(sql, 0) + 1
    n = result["total_requests"]
    return {"requests": n, "statements": {k: v / n for k, v in sorted(counts.items(), key=lambda kv: -kv[1])},
            "transactions_per_request": (xacts1 - xacts0) / n, "wal_syncs_per_request": (syncs1 - syncs0) / n}


def redis_commands(redis, pair):
    redis.command("CONFIG", "RESETSTAT")
    result = run_client(pair, users=4, warmup=0, seconds=3, servers={})
    stats = redis.commandstats()
    # ours: AUTH, CONFIG RESETSTAT and INFO of this function (a new pooled connection's AUTH is left out too)
    stats = {k: v for k, v in stats.items() if k.split("|")[0] not in ("auth", "config", "info")}
    n = result["total_requests"]
    return {"requests": n, "commands": {k: v / n for k, v in sorted(stats.items(), key=lambda kv: -kv[1])}}


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per store (default 3)")
    parser.add_argument("--seconds", type=int, default=15, help="measured seconds per throughput round (default 15)")
    parser.add_argument("--users", type=int, default=32, help="concurrent users, one session each (default 32)")
    parser.add_argument("--warmup-seconds", type=int, default=45, help="warm-up load per store, not counted (default 45: the JIT needs it at a few thousand req/s)")
    parser.add_argument("--latency-seconds", type=int, default=5, help="seconds per one-user latency round (default 5)")
    parser.add_argument("--stores", default=",".join(STORES), help="comma list of memory, jdbc, redis")
    parser.add_argument("--fsync", choices=("on", "off"), default="on", help="PostgreSQL fsync and synchronous_commit (default on)")
    parser.add_argument("--work-us", type=int, default=0, help="CPU time the application spends per /count request besides the "
                        "session, in µs (default 0: the session is all it does)")
    parser.add_argument("--berth-flag", action="append", default=[], help="extra flag for every Berth instance (repeatable)")
    parser.add_argument("--quick", action="store_true", help="1 round of 5 s, 5 s warm-up; results in bench/target/sessions/quick/")
    parser.add_argument("--out", help="results directory for sessions.json and sessions.md (default bench/results; "
                        "bench/target/sessions/quick with --quick): for variants")
    parser.add_argument("--command", default="bash bench/sessions/run.sh", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.warmup_seconds, args.latency_seconds = 1, 5, 5, 3
    stores = [s for s in args.stores.split(",") if s]
    if "memory" not in stores:
        stores.insert(0, "memory")
    for s in stores:
        if s not in STORES:
            parser.error("unknown store %r" % s)
    for f in (JAR, WAR, os.path.join(CLIENT, "SessionLoad.class")):
        if not os.path.exists(f):
            sys.exit("measure.py: %s is missing; run bash bench/sessions/run.sh" % f)
    shutil.rmtree(LOGS, ignore_errors=True)
    os.makedirs(LOGS)

    def on_signal(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_signal)

    lab = backing.Lab()
    pg = redis = None
    pairs = {}
    count_path = "/count?work=%d" % args.work_us if args.work_us else "/count"
    data = {"args": dict(vars(args), stores=stores), "command": args.command, "throughput": {}, "latency": {},
            "unavailable": {}, "counted": {}, "loadavg_start": open("/proc/loadavg").read().split()[:3]}
    try:
        if "jdbc" in stores:
            pg = backing.Postgres(lab, args.fsync)
            pg.start()
            log("PostgreSQL %s on port %d (fsync=%s), pid %d" % (pg.version, pg.port, args.fsync, pg.proc.pid))
        if "redis" in stores:
            redis = backing.Redis(lab)
            redis.start()
            log("Redis %s on port %d, pid %d" % (redis.version, redis.port, redis.proc.pid))
        for s in stores:
            env = {"DATABASE_URL": pg.url()} if s == "jdbc" else {"REDIS_URL": redis.url()} if s == "redis" else {}
            pairs[s] = Pair(lab, s, env, args.berth_flag)
        # the second instance of a pair starts once the first is ready: two that start together on an empty
        # database race to create the session table, and one fails (RESULTS.md, "what looked wrong")
        for i in range(2):
            for s in list(stores):
                pairs[s].start(i)
            for s in list(stores):
                if not pairs[s].wait_ready(i) or (i == 1 and not pairs[s].check_sessions()):
                    log("%s: NOT MEASURED: %s" % (s, pairs[s].error))
                    data["unavailable"][s] = pairs[s].error
                    stores.remove(s)
                elif i == 1:
                    log("%s: two instances on ports %s, session shared: %s" % (s, pairs[s].ports, s != "memory"))
        if "memory" not in stores:
            raise RuntimeError("the memory baseline did not start: %s" % data["unavailable"]["memory"])

        def servers(s):
            others = [p for k, p in pairs.items() if k != s and k in stores]
            out = {"berth": pairs[s].ticks, "berth_sys": pairs[s].system_ticks, "berth_switches": pairs[s].switches,
                   "idle_berth": lambda: sum(p.ticks() for p in others), "kernel": cpu.kernel_ticks}
            if pg:
                out["postgres"] = lambda: cpu.tree_ticks(pg.proc.pid)
            if redis:
                out["redis"] = lambda: cpu.proc_ticks(redis.proc.pid)
            return out

        for s in stores:
            log("warm-up %s: %d s" % (s, args.warmup_seconds))
            run_client(pairs[s], args.users, 2, args.warmup_seconds, servers(s), path=count_path)

        if shutil.which("wrk"):
            # best of two each, alternating: is the client able to drive one instance as hard as wrk does?
            secs = 5 if args.quick else 10
            port = pairs["memory"].ports[0]
            run_wrk(port, 3)
            mine, wrk = [], []
            for _ in range(2):
                mine.append(run_client(pairs["memory"], 32, 3, secs, {"berth": pairs["memory"].ticks}, path="/ping",
                                       targets="%s:%d" % (HOST, port), mode="sticky"))
                wrk.append(run_wrk(port, secs))
            best = max(mine, key=lambda r: r["rps"])
            data["client_check"] = {"seconds": secs, "sessionload_rps": best["rps"], "wrk_rps": max(wrk),
                                    "client_us_per_request": best["client_cpu_s"] * 1e6 / max(1, best["requests"])}
            log("client check on /ping: SessionLoad %.0f req/s, wrk %.0f req/s (best of 2)" % (best["rps"], max(wrk)))
        else:
            log("wrk is not installed: the load generator is not compared with it")

        for rnd in range(1, args.rounds + 1):
            for s in stores:
                r = run_client(pairs[s], args.users, 2, args.seconds, servers(s), path=count_path)
                data["throughput"].setdefault(s, []).append(r)
                log("round %d %-6s %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d stale %d cookie changes %d  machine %.0f%% busy"
                    % (rnd, s, r["rps"], r["p50_ms"], r["p99_ms"], r["errors"], r["stale"], r["cookie_changes"], 100 * r["machine_busy"]))
        for rnd in range(1, args.rounds + 1):
            for s in stores:
                r = run_client(pairs[s], 1, 1, args.latency_seconds, servers(s), path=count_path)
                data["latency"].setdefault(s, []).append(r)
                log("latency %d %-6s p50 %.3f ms  p99 %.3f ms  (%.0f req/s, one user)" % (rnd, s, r["p50_ms"], r["p99_ms"], r["rps"]))

        if "jdbc" in stores:
            data["counted"]["jdbc"] = sql_statements(pg, pairs["jdbc"])
            log("jdbc statements per request: %s" % json.dumps(data["counted"]["jdbc"]))
        if "redis" in stores:
            data["counted"]["redis"] = redis_commands(redis, pairs["redis"])
            log("redis commands per request: %s" % json.dumps(data["counted"]["redis"]))
    finally:
        for pair in pairs.values():
            pair.stop()
        if pg:
            pg.stop()
        if redis:
            redis.stop()
        lab.children.stop_all(timeout=20)

    data["machine"] = tables.machine_notes(pg, redis)
    out_dir = args.out or (os.path.join(TARGET, "quick") if args.quick else RESULTS)
    print()
    print(report.write(out_dir, "sessions", data, tables.render))


if __name__ == "__main__":
    main()
