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
import datetime
import glob
import http.client
import json
import os
import platform
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import HOST, RESULTS, berth, log, probe, processes, report  # noqa: E402
from berthbench.ports import PortPool  # noqa: E402
from berthbench.processes import Children  # noqa: E402
from berthbench.stats import median as med  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
TARGET = os.path.join(BENCH, "target", "sessions")
LOGS = os.path.join(TARGET, "logs")
JAR = os.path.join(TARGET, "berth.jar")                 # run.sh's snapshot of target/berth.jar
WAR = os.path.join(TARGET, "sessions-bench.war")
CLIENT = os.path.join(TARGET, "client")
STORES = ("memory", "jdbc", "redis")
GOALS = {"redis": 0.7, "jdbc": 0.5}                     # req/s at least this times memory's (issue 13)
START_TIMEOUT = 90.0
TICK = processes.TICKS


# ---------------------------------------------------------------- processes and ports

class Lab:
    """The children this run started (each with its log in LOGS) and the loopback ports it hands out."""

    def __init__(self):
        self.children = Children(log=log)
        self.ports = PortPool()

    def spawn(self, cmd, logname, env=None, cwd=None):
        return self.children.spawn(cmd, os.path.join(LOGS, logname + ".log"), cwd=cwd, env=env, append=True)

    def stop(self, proc, sig=signal.SIGTERM, timeout=40.0, then=signal.SIGKILL):
        """Signals the process by its pid and waits; `then` if it has not exited in time."""
        self.children.stop(proc, timeout, sig, then)


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


# ---------------------------------------------------------------- CPU accounting

def proc_ticks(pid, system_only=False):
    return processes.cpu_ticks(pid, system_only) or 0


def context_switches(pid):
    """Voluntary and involuntary context switches of all the process's threads."""
    total = 0
    for status in glob.glob("/proc/%d/task/*/status" % pid):
        try:
            with open(status) as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def tree_ticks(root):
    """CPU ticks of root and its children (PostgreSQL's backends and workers are the postmaster's children)."""
    total = proc_ticks(root)
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = processes.stat_fields(f.read())
            if int(fields[1]) == root:
                total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total


def kernel_ticks():
    """Kernel threads (children of kthreadd, pid 2: the file system's journal and writeback, for one) and interrupts."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return tree_ticks(2) + values[5] + values[6]           # + irq + softirq


def machine_ticks():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values[:8]) - idle, sum(values[:8])      # busy, total (user..steal)


# ---------------------------------------------------------------- PostgreSQL

def postgres_bin():
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: float(d.split("/")[-2]), reverse=True)
    for d in versions + [os.path.dirname(shutil.which("postgres") or "/nonexistent/x")]:
        if all(os.access(os.path.join(d, t), os.X_OK) for t in ("initdb", "postgres", "psql")):
            return d
    return None


class Postgres:
    """A cluster of the bench's own: initdb as nobody when root, scram password, TCP on 127.0.0.1 only."""

    def __init__(self, lab, fsync):
        self.lab = lab
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.dir = tempfile.mkdtemp(prefix="berth-bench-pg-")
        self.data = os.path.join(self.dir, "data")
        self.password = secrets.token_hex(16)
        self.fsync = fsync
        self.prefix = []
        if os.getuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)
            self.prefix = ["setpriv", "--reuid=%d" % nobody.pw_uid, "--regid=%d" % nobody.pw_gid, "--clear-groups", "--"]
        self.proc = None
        self.port = None
        self.log_path = os.path.join(LOGS, "postgres.log")

    def start(self):
        pwfile = os.path.join(self.dir, "pw")
        with open(pwfile, "w") as f:
            f.write(self.password)
        if os.getuid() == 0:
            os.chown(pwfile, pwd.getpwnam("nobody").pw_uid, -1)
        subprocess.run(self.prefix + [os.path.join(self.bin, "initdb"), "--pgdata=" + self.data, "--username=berth",
                                      "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=120)
        os.remove(pwfile)
        self.port = self.lab.ports.take()
        settings = ["listen_addresses=127.0.0.1", "unix_socket_directories=", "log_line_prefix=%m [%p] db=%d ",
                    "fsync=" + self.fsync, "synchronous_commit=" + self.fsync]
        cmd = self.prefix + [os.path.join(self.bin, "postgres"), "-D", self.data, "-p", str(self.port)]
        for s in settings:
            cmd += ["-c", s]
        self.proc = self.lab.spawn(cmd, "postgres")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("postgres exited %d, see %s" % (self.proc.returncode, self.log_path))
            if self.psql("SELECT 1", database="postgres", check=False) == "1":
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("postgres did not take connections within %.0f s" % START_TIMEOUT)
        self.psql("CREATE DATABASE berth", database="postgres")
        self.version = self.psql("SHOW server_version", database="postgres")

    def psql(self, sql, database="postgres", check=True):
        env = dict(os.environ, PGPASSWORD=self.password, PGCONNECT_TIMEOUT="3")
        out = subprocess.run([os.path.join(self.bin, "psql"), "-h", HOST, "-p", str(self.port), "-U", "berth", "-d", database,
                              "-X", "-q", "-t", "-A", "-c", sql], env=env, capture_output=True, text=True, timeout=30)
        if check and out.returncode != 0:
            raise RuntimeError("psql %r failed: %s" % (sql, out.stderr.strip()))
        return out.stdout.strip() if out.returncode == 0 else None

    def url(self):
        return "postgres://berth:%s@%s:%d/berth" % (self.password, HOST, self.port)

    def counters(self):
        """Transactions of the berth database and WAL syncs, for the counted run."""
        row = self.psql("SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'berth'), "
                        "(SELECT wal_sync FROM pg_stat_wal)")
        xacts, syncs = row.split("|")
        return int(xacts), int(syncs)

    def log_statements(self, on):
        self.psql("ALTER SYSTEM SET log_statement = '%s'" % ("all" if on else "none"))
        self.psql("SELECT pg_reload_conf()")

    def stop(self):
        if self.proc is not None:
            self.lab.stop(self.proc, sig=signal.SIGINT, timeout=40, then=signal.SIGQUIT)   # fast shutdown, else immediate
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------- Redis

class Redis:
    """A redis-server of the bench's own: password, no persistence (save "", appendonly no)."""

    def __init__(self, lab):
        self.lab = lab
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.dir = tempfile.mkdtemp(prefix="berth-bench-redis-")
        self.password = secrets.token_hex(16)
        self.proc = None
        self.port = None

    def start(self):
        conf = os.path.join(self.dir, "redis.conf")
        with open(conf, "w") as f:
            f.write("bind 127.0.0.1\nprotected-mode yes\nrequirepass %s\nsave \"\"\nappendonly no\ndaemonize no\n"
                    "logfile \"\"\ndir %s\n" % (self.password, self.dir))
        os.chmod(conf, 0o600)
        self.port = self.lab.ports.take()
        self.proc = self.lab.spawn([self.binary, conf, "--port", str(self.port)], "redis")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("redis-server exited %d, see %s/redis.log" % (self.proc.returncode, LOGS))
            try:
                if self.command("PING") == "PONG":
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("redis-server did not answer PING within %.0f s" % START_TIMEOUT)
        self.version = re.search(r"redis_version:(\S+)", self.command("INFO", "server")).group(1)

    def command(self, *words):
        """One command after AUTH, over a fresh connection; the reply as a str (errors raise)."""
        def encode(ws):
            return b"".join([b"*%d\r\n" % len(ws)] + [b"$%d\r\n%s\r\n" % (len(w.encode()), w.encode()) for w in ws])
        with socket.create_connection((HOST, self.port), timeout=5) as s:
            s.sendall(encode(["AUTH", self.password]) + encode(list(words)))
            f = s.makefile("rb")
            replies = [self._reply(f) for _ in range(2)]
        return replies[1]

    @staticmethod
    def _reply(f):
        line = f.readline().decode().rstrip("\r\n")
        kind, rest = line[0], line[1:]
        if kind == "-":
            raise RuntimeError("redis: " + rest)
        if kind == "$":
            n = int(rest)
            return None if n < 0 else f.read(n + 2)[:-2].decode()
        return rest

    def commandstats(self):
        stats = {}
        for line in self.command("INFO", "commandstats").splitlines():
            m = re.match(r"cmdstat_([^:]+):calls=(\d+)", line)
            if m:
                stats[m.group(1)] = int(m.group(2))
        return stats

    def url(self):
        return "redis://:%s@%s:%d/0" % (self.password, HOST, self.port)

    def stop(self):
        if self.proc is not None:
            self.lab.stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


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
        return sum(proc_ticks(p.pid) for p in self.procs)

    def system_ticks(self):
        return sum(proc_ticks(p.pid, system_only=True) for p in self.procs)

    def switches(self):
        return sum(context_switches(p.pid) for p in self.procs)

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
                before = ({k: f() for k, f in servers.items()}, machine_ticks(), time.monotonic())
            elif line == "DONE":
                after = ({k: f() for k, f in servers.items()}, machine_ticks(), time.monotonic())
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


# ---------------------------------------------------------------- report

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

    lab = Lab()
    pg = redis = None
    pairs = {}
    count_path = "/count?work=%d" % args.work_us if args.work_us else "/count"
    data = {"args": dict(vars(args), stores=stores), "command": args.command, "throughput": {}, "latency": {},
            "unavailable": {}, "counted": {}, "loadavg_start": open("/proc/loadavg").read().split()[:3]}
    try:
        if "jdbc" in stores:
            pg = Postgres(lab, args.fsync)
            pg.start()
            log("PostgreSQL %s on port %d (fsync=%s), pid %d" % (pg.version, pg.port, args.fsync, pg.proc.pid))
        if "redis" in stores:
            redis = Redis(lab)
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
                   "idle_berth": lambda: sum(p.ticks() for p in others), "kernel": kernel_ticks}
            if pg:
                out["postgres"] = lambda: tree_ticks(pg.proc.pid)
            if redis:
                out["redis"] = lambda: proc_ticks(redis.proc.pid)
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

    data["machine"] = machine_notes(pg, redis)
    out_dir = args.out or (os.path.join(TARGET, "quick") if args.quick else RESULTS)
    print()
    print(report.write(out_dir, "sessions", data, render))


if __name__ == "__main__":
    main()
