#!/usr/bin/env python3
"""Berth benchmark harness (issue 7).

Measures Berth against plain embedded Jetty, embedded Tomcat and the Jetty distribution, all serving the same
small Servlet 6.0 WAR, interleaved (A B C D A B C D ...) after a warm-up round:

  startup   spawn -> port accepts TCP, -> first 200 from /health/live (Berth), -> first 200 from /hello;
            RSS (VmRSS) when ready and after a short wrk load; SIGTERM -> exit when idle
  inflight  SIGTERM -> exit with one request (/hello?sleep=1000) in flight, and what that request got
  handover  a client pool hammering /hello from before the process starts until after the app is ready:
            refusals before the first accepted connection are expected; anything else that is not 200 fails
  throughput all servers up at once on different ports, alternating `wrk -t2 -c32 --latency` bursts
  diagnose  (not timed) -Xlog:class+load runs: classes loaded before the first health / app 200, by origin

Standard library only; the chart needs matplotlib (Debian's python3-matplotlib), skipped when missing.
Run it through bench/run.sh, which builds everything first. `python3 bench.py --help` lists the options.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"
BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
TARGET = os.path.join(BENCH, "target")
BERTH_JAR_BUILT = os.path.join(ROOT, "target", "berth.jar")
BERTH_JAR = os.path.join(BENCH, "target", "berth.jar")     # a snapshot taken at start: others may rebuild target/
WAR = os.path.join(BENCH, "webapp", "target", "bench-app.war")
PLAIN_JAR = os.path.join(BENCH, "plain-jetty", "target", "plain-jetty.jar")
TOMCAT_JAR = os.path.join(BENCH, "tomcat", "target", "tomcat-embedded.jar")
JETTY_HOME_VERSION = "12.1.12"
JETTY_HOME = os.path.join(BENCH, "jetty-dist", "target", "jetty-home-" + JETTY_HOME_VERSION)
JETTY_VERSION = "12.1.14"
TOMCAT_VERSION = "11.0.27"
DIST_MODULES = "http,ee11-deploy,ee11-annotations,ee11-jsp,ee11-websocket-jakarta"

START_TIMEOUT = 90.0      # a launcher that is not serving by then is a failed run
STOP_TIMEOUT = 40.0       # SIGTERM -> exit; then SIGKILL
POLL = 0.005              # probe interval, seconds

LIVE = {}                 # pid -> Popen of every process this harness started and has not reaped


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


# ---------------------------------------------------------------- processes, ports, probes

_port_lock = threading.Lock()
_next_port = [20000 + (os.getpid() % 50) * 100]


def fresh_port():
    """A port below 32768 that is free right now (bind test with SO_REUSEADDR, as the servers bind)."""
    with _port_lock:
        for _ in range(2000):
            port = _next_port[0]
            _next_port[0] = port + 1 if port < 31999 else 20000
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((HOST, port))
                return port
            except OSError:
                continue
            finally:
                s.close()
    raise RuntimeError("no free port found in 20000-31999")


def spawn(cmd, logname, cwd):
    os.makedirs(os.path.join(TARGET, "logs"), exist_ok=True)
    logfile = open(os.path.join(TARGET, "logs", logname + ".log"), "wb")
    proc = subprocess.Popen(cmd, stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd)
    logfile.close()
    LIVE[proc.pid] = proc
    return proc


def reap(proc, timeout):
    """Waits for the process; kills it (by pid) if it does not exit in time. Returns (exit code, seconds, killed)."""
    begin = time.monotonic()
    killed = False
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        killed = True
        proc.kill()
        code = proc.wait(timeout=10)
    LIVE.pop(proc.pid, None)
    return code, time.monotonic() - begin, killed


def terminate(proc):
    """SIGTERM, then the time to exit."""
    if proc.poll() is not None:
        LIVE.pop(proc.pid, None)
        return proc.returncode, 0.0, False
    begin = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code, _, killed = reap(proc, STOP_TIMEOUT)
    return code, time.monotonic() - begin, killed


def kill_all_started():
    for pid, proc in list(LIVE.items()):
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        LIVE.pop(pid, None)


def rss_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def tcp_accepts(port):
    try:
        with socket.create_connection((HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


def http_get(port, path, timeout=5.0):
    """(status, body) or raises OSError / http.client exceptions."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def wait_for(port, path, deadline, proc=None):
    """Polls GET path until 200; returns monotonic time of the 200, or None (deadline or the process died)."""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return None
        try:
            status, _ = http_get(port, path, timeout=max(0.5, deadline - time.monotonic()))
            if status == 200:
                return time.monotonic()
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(POLL)
    return None


# ---------------------------------------------------------------- launchers

class Launcher:
    def __init__(self, key, label, version, build, app=True, health=False, java_opts=(), phases=None):
        self.key = key
        self.phases = set(phases or ("startup", "inflight", "handover", "throughput"))
        self.label = label
        self.version = version
        self._build = build            # port, workdir -> argv after "java" + java_opts
        self.app = app                 # deploys the bench WAR
        self.health = health           # has Berth's /health/live
        self.java_opts = list(java_opts)

    def command(self, port, workdir):
        return ["java"] + self.java_opts + self._build(port, workdir)


def snapshot_berth():
    """Copies target/berth.jar once, so a rebuild of Berth during the run cannot change or break what is measured."""
    import hashlib
    import zipfile
    for _ in range(30):
        try:
            shutil.copy(BERTH_JAR_BUILT, BERTH_JAR + ".tmp")
            with zipfile.ZipFile(BERTH_JAR + ".tmp") as z:
                if z.testzip() is None and "dev/berth/Main.class" in z.namelist():
                    os.replace(BERTH_JAR + ".tmp", BERTH_JAR)
                    with open(BERTH_JAR, "rb") as f:
                        return hashlib.sha256(f.read()).hexdigest()[:12]
        except (OSError, zipfile.BadZipFile):
            pass
        time.sleep(5)   # being rebuilt right now
    raise RuntimeError("could not take a consistent copy of " + BERTH_JAR_BUILT)


def make_jetty_base():
    """A fresh jetty.base for the distribution: start.jar --add-modules=..., the WAR as webapps/ROOT.war."""
    base = os.path.join(TARGET, "jetty-base")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    out = subprocess.run(["java", "-jar", os.path.join(JETTY_HOME, "start.jar"), "jetty.home=" + JETTY_HOME,
                          "jetty.base=" + base, "--add-modules=" + DIST_MODULES],
                         cwd=base, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError("creating the jetty.base failed:\n" + out.stdout + out.stderr)
    shutil.copy(WAR, os.path.join(base, "webapps", "ROOT.war"))
    return base


def berth_build(flags=()):
    def build(port, _):
        return ["-jar", BERTH_JAR, "--host=" + HOST, "--port=%s" % port, "--fallback-ports="] + list(flags) + [WAR]
    return build


NO_JMX = "-Dorg.eclipse.jetty.util.referencesPerCacheLine=16"


def launchers(jetty_base, cds_dir=None):
    """The compared launchers (berth, plain, hello, tomcat, dist: the goals) and variants showing one setting each."""
    tomcat_bases = os.path.join(TARGET, "tomcat-base")

    def plain(port, _):
        return ["-jar", PLAIN_JAR, "war", HOST, str(port), WAR]

    def hello(port, _):
        return ["-jar", PLAIN_JAR, "hello", HOST, str(port)]

    def tomcat(port, workdir):
        base = os.path.join(tomcat_bases, "p%s" % port)   # fresh per start: Tomcat expands the WAR here
        shutil.rmtree(base, ignore_errors=True)
        return ["-jar", TOMCAT_JAR, HOST, str(port), WAR, base]

    def dist(port, _):
        return ["-jar", os.path.join(JETTY_HOME, "start.jar"), "jetty.home=" + JETTY_HOME, "jetty.base=" + jetty_base,
                "jetty.http.host=" + HOST, "jetty.http.port=%s" % port]

    bv = berth_version()
    jv = "Jetty " + JETTY_VERSION
    result = [
        Launcher("berth", "Berth", bv, berth_build()),
        Launcher("plain", "plain embedded Jetty", jv, plain),
        Launcher("hello", "plain Jetty hello-world (no WAR)", jv, hello, app=False, phases=["startup"]),
        Launcher("tomcat", "embedded Tomcat", "Tomcat " + TOMCAT_VERSION, tomcat),
        Launcher("dist", "Jetty distribution", "jetty-home " + JETTY_HOME_VERSION, dist),
        # variants: one setting each, not part of the goals
        Launcher("berth-threads16", "Berth --threads.max=16", bv, berth_build(["--threads.max=16"]), phases=["throughput"]),
        Launcher("berth-threads200", "Berth --threads.max=200 (Jetty's default)", bv, berth_build(["--threads.max=200"]),
                 phases=["throughput"]),
        Launcher("berth-nolog", "Berth --access-log=off", bv, berth_build(["--access-log=off"]), phases=["throughput"]),
        Launcher("berth-bare", "Berth --access-log=off --compression=false", bv,
                 berth_build(["--access-log=off", "--compression=false"]), phases=["throughput"]),
    ]
    for l in result:
        l.health = l.key.startswith("berth")
    if cds_dir:
        result.append(Launcher("berth-cds", "Berth + AppCDS archive (--train)", bv, berth_build(), health=True,
                               java_opts=["-XX:SharedArchiveFile=" + os.path.join(cds_dir, "berth.jsa")], phases=["startup"]))
        result.append(Launcher("plain-cds", "plain Jetty + AppCDS archive", jv, plain,
                               java_opts=["-XX:SharedArchiveFile=" + os.path.join(cds_dir, "plain.jsa")], phases=["startup"]))
    return result


def workdir_for(launcher):
    d = os.path.join(TARGET, "run", launcher.key)
    os.makedirs(d, exist_ok=True)
    return d


_berth_version = []


def berth_version():
    if not _berth_version:
        try:
            out = subprocess.run(["java", "-jar", BERTH_JAR, "--version"], capture_output=True, text=True, timeout=60)
            _berth_version.append(out.stdout.strip() + " (Jetty %s)" % JETTY_VERSION)
        except (OSError, subprocess.SubprocessError):
            _berth_version.append("Berth (version unknown)")
    return _berth_version[0]


def train_cds(cds_dir):
    """Dynamic AppCDS archives (JDK 13+): Berth's own --train run; for plain Jetty a start, a few requests, SIGTERM."""
    os.makedirs(cds_dir, exist_ok=True)
    archive = os.path.join(cds_dir, "berth.jsa")
    if os.path.exists(archive):
        os.remove(archive)
    proc = spawn(["java", "-XX:ArchiveClassesAtExit=" + archive, "-jar", BERTH_JAR, "--train", "--host=" + HOST,
                  "--port=%d" % fresh_port(), "--fallback-ports=", WAR], "cds-train-berth", os.path.join(TARGET, "run"))
    code, _, _ = reap(proc, 180)
    if code != 0 or not os.path.exists(archive):
        raise RuntimeError("Berth --train failed (exit %s; see bench/target/logs/cds-train-berth.log)" % code)
    log("AppCDS archive %s: %.1f MiB" % (archive, os.path.getsize(archive) / 1048576))
    archive = os.path.join(cds_dir, "plain.jsa")
    if os.path.exists(archive):
        os.remove(archive)
    port = fresh_port()
    proc = spawn(["java", "-XX:ArchiveClassesAtExit=" + archive, "-jar", PLAIN_JAR, "war", HOST, str(port), WAR],
                 "cds-train-plain", os.path.join(TARGET, "run"))
    ok = wait_for(port, "/hello", time.monotonic() + START_TIMEOUT, proc)
    for path in ("/hello", "/xml", "/"):
        try:
            http_get(port, path)
        except (OSError, http.client.HTTPException):
            pass
    terminate(proc)
    if not ok or not os.path.exists(archive):
        raise RuntimeError("AppCDS training run for plain Jetty failed (see bench/target/logs/cds-train-plain.log)")
    log("AppCDS archive %s: %.1f MiB" % (archive, os.path.getsize(archive) / 1048576))


def config_cost(runs):
    """Wall time of `berth --version` (JVM + command line only) and `--print-config` (plus the whole configuration
    load: SmallRye Config, mapping, validation), interleaved."""
    out = {"version_ms": [], "print_config_ms": []}
    for _ in range(runs):
        for key, extra in (("version_ms", ["--version"]),
                           ("print_config_ms", ["--print-config", "--host=" + HOST, "--port=1", "--fallback-ports="])):
            t0 = time.monotonic()
            subprocess.run(["java", "-jar", BERTH_JAR] + extra, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=60, cwd=os.path.join(TARGET, "run"))
            out[key].append((time.monotonic() - t0) * 1000.0)
    return out


# ---------------------------------------------------------------- wrk

def wrk(port, seconds, path="/hello", threads=2, connections=32):
    cmd = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency", "--timeout", "5s",
           "http://%s:%d%s" % (HOST, port, path)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    return parse_wrk(out)


def _to_ms(value):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if not m:
        return None
    n, unit = float(m.group(1)), m.group(2)
    return n / 1000.0 if unit == "us" else n if unit == "ms" else n * 1000.0 if unit == "s" else n * 60000.0


def parse_wrk(out):
    result = {"rps": None, "p50_ms": None, "p99_ms": None, "requests": None, "errors": 0, "non2xx": 0, "raw": out}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m:
        result["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(r"^\s+%s%%\s+(\S+)" % pct, out, re.M)
        if m:
            result[key] = _to_ms(m.group(1))
    m = re.search(r"(\d+) requests in", out)
    if m:
        result["requests"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        result["errors"] = sum(int(g) for g in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        result["non2xx"] = int(m.group(1))
    return result


# ---------------------------------------------------------------- measurements

def measure_startup(launcher, tag, load_seconds):
    """Fresh process: spawn -> port / health / first 200, RSS ready, RSS after a short load, idle SIGTERM -> exit."""
    port = fresh_port()
    result = {"launcher": launcher.key, "port": port}
    marks = {}
    t0 = time.monotonic()
    proc = spawn(launcher.command(port, None), "%s-startup-%s" % (launcher.key, tag), workdir_for(launcher))
    deadline = t0 + START_TIMEOUT

    def port_probe():
        while time.monotonic() < deadline and proc.poll() is None:
            if tcp_accepts(port):
                marks["port"] = time.monotonic()
                return
            time.sleep(POLL)

    def health_probe():
        t = wait_for(port, "/health/live", deadline, proc)
        if t is not None:
            marks["health"] = t

    threads = [threading.Thread(target=port_probe, daemon=True)]
    if launcher.health:
        threads.append(threading.Thread(target=health_probe, daemon=True))
    for t in threads:
        t.start()
    ready = wait_for(port, "/hello", deadline, proc)
    if ready is not None:
        marks["app"] = ready
        result["rss_ready"] = rss_mib(proc.pid)
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    for key in ("port", "health", "app"):
        if key in marks:
            result[key + "_ms"] = (marks[key] - t0) * 1000.0
    if ready is None:
        result["error"] = "not serving within %.0f s (exit code %s)" % (START_TIMEOUT, proc.poll())
        terminate(proc)
        return result
    if load_seconds > 0 and launcher.app:
        w = wrk(port, load_seconds)
        result["load_rps"] = w["rps"]
        result["rss_load"] = rss_mib(proc.pid)
    time.sleep(0.5)   # idle: nothing in flight
    code, took, killed = terminate(proc)
    result["stop_idle_ms"] = took * 1000.0
    result["exit_code"] = code
    result["killed"] = killed
    if launcher.key.startswith("berth"):
        result["deploy_log_ms"] = berth_deploy_ms("%s-startup-%s" % (launcher.key, tag))
    return result


def berth_deploy_ms(logname):
    try:
        with open(os.path.join(TARGET, "logs", logname + ".log"), errors="replace") as f:
            m = re.search(r"deployed in (\d+) ms", f.read())
            return int(m.group(1)) if m else None
    except OSError:
        return None


def measure_inflight_stop(launcher, tag, sleep_ms=1000):
    """SIGTERM while /hello?sleep=MS is in flight: time to exit, and what the request got."""
    port = fresh_port()
    proc = spawn(launcher.command(port, None), "%s-inflight-%s" % (launcher.key, tag), workdir_for(launcher))
    result = {"launcher": launcher.key}
    if wait_for(port, "/hello", time.monotonic() + START_TIMEOUT, proc) is None:
        terminate(proc)
        result["error"] = "not serving"
        return result
    time.sleep(0.3)
    outcome = {}

    def slow():
        begin = time.monotonic()
        try:
            status, _ = http_get(port, "/hello?sleep=%d" % sleep_ms, timeout=STOP_TIMEOUT)
            outcome["status"] = status
        except (OSError, http.client.HTTPException) as e:
            outcome["status"] = type(e).__name__
        outcome["ms"] = (time.monotonic() - begin) * 1000.0

    t = threading.Thread(target=slow, daemon=True)
    t.start()
    time.sleep(0.25)   # the request is in the servlet, sleeping
    code, took, killed = terminate(proc)
    t.join(STOP_TIMEOUT)
    result.update({"stop_inflight_ms": took * 1000.0, "exit_code": code, "killed": killed,
                   "inflight_status": outcome.get("status"), "inflight_request_ms": outcome.get("ms")})
    return result


def measure_handover(launcher, tag, workers=16, keepalive_workers=4, after_ready=2.0):
    """Hammers /hello from before spawn until `after_ready` s after the first 200, then stops the server."""
    port = fresh_port()
    lock = threading.Lock()
    stats = {"ok": 0, "failed": 0, "refused_before_bind": 0, "held_ok": 0, "fail_kinds": {}}
    first = {}            # "accept": first accepted connection, "ready": first 200 (monotonic)
    stop = threading.Event()
    hard_deadline = time.monotonic() + START_TIMEOUT + 10

    def record(kind, started, status=None):
        with lock:
            if kind == "ok":
                stats["ok"] += 1
                if started < first.get("ready", float("inf")):
                    stats["held_ok"] += 1   # sent on an accepted connection before the first 200, answered 200
                first.setdefault("ready", time.monotonic())
            elif kind == "refused" and started < first.get("accept", float("inf")):
                stats["refused_before_bind"] += 1
            else:
                stats["failed"] += 1
                name = kind if status is None else "%s %s" % (kind, status)
                stats["fail_kinds"][name] = stats["fail_kinds"].get(name, 0) + 1

    def worker(keepalive):
        conn = None
        while not stop.is_set() and time.monotonic() < hard_deadline:
            started = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
                    conn.connect()
                    with lock:
                        first.setdefault("accept", time.monotonic())
                sent = time.monotonic()
                conn.request("GET", "/hello", headers={} if keepalive else {"Connection": "close"})
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    record("ok", sent)
                else:
                    record("status", sent, resp.status)
                if not keepalive or resp.will_close:
                    conn.close()
                    conn = None
            except ConnectionRefusedError:
                if conn is not None:
                    conn.close()
                    conn = None
                record("refused", started)
                time.sleep(0.002)
            except (OSError, http.client.HTTPException) as e:
                if conn is not None:
                    conn.close()
                    conn = None
                record(type(e).__name__, started)
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i < keepalive_workers,), daemon=True) for i in range(workers)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    t0 = time.monotonic()
    proc = spawn(launcher.command(port, None), "%s-handover-%s" % (launcher.key, tag), workdir_for(launcher))
    while time.monotonic() < hard_deadline and proc.poll() is None:
        with lock:
            ready = first.get("ready")
        if ready is not None and time.monotonic() > ready + after_ready:
            break
        time.sleep(0.02)
    stop.set()
    for t in threads:
        t.join(65)
    terminate(proc)
    result = {"launcher": launcher.key, "ok": stats["ok"], "failed": stats["failed"],
              "refused_before_bind": stats["refused_before_bind"], "held_ok": stats["held_ok"],
              "fail_kinds": stats["fail_kinds"]}
    if "accept" in first:
        result["accept_ms"] = (first["accept"] - t0) * 1000.0
    if "ready" in first:
        result["ready_ms"] = (first["ready"] - t0) * 1000.0
        if "accept" in first:
            result["accept_to_ready_ms"] = (first["ready"] - first["accept"]) * 1000.0
    else:
        result["error"] = "never answered 200"
    return result


def measure_throughput(all_launchers, rounds, burst, warmup_burst, warmup_rounds):
    """All servers up at once; alternating wrk bursts per round; RSS after the bursts."""
    procs = {}
    ports = {}
    try:
        for launcher in all_launchers:
            port = fresh_port()
            proc = spawn(launcher.command(port, None), "%s-throughput" % launcher.key, workdir_for(launcher))
            if wait_for(port, "/hello", time.monotonic() + START_TIMEOUT, proc) is None:
                raise RuntimeError("%s did not start for the throughput phase" % launcher.key)
            procs[launcher.key], ports[launcher.key] = proc, port
        log("throughput: %d warm-up rounds of %d s bursts (the JIT needs ~15 s of load)" % (warmup_rounds, warmup_burst))
        for _ in range(warmup_rounds):
            for launcher in all_launchers:
                wrk(ports[launcher.key], warmup_burst)
        bursts = []
        for r in range(1, rounds + 1):
            for launcher in all_launchers:
                w = wrk(ports[launcher.key], burst)
                w.pop("raw")
                w.update({"launcher": launcher.key, "round": r})
                bursts.append(w)
            log("throughput round %d/%d: %s" % (r, rounds, ", ".join(
                "%s %.0f" % (b["launcher"], b["rps"] or 0) for b in bursts[-len(all_launchers):])))
        rss = {key: rss_mib(proc.pid) for key, proc in procs.items()}
        return {"bursts": bursts, "rss_after_throughput": rss}
    finally:
        for proc in procs.values():
            terminate(proc)


def diagnose(launcher, runs, tag):
    """-Xlog:class+load with uptime: what the JVM loads before the first health 200 and the first app 200."""
    out = []
    for i in range(runs):
        port = fresh_port()
        logpath = os.path.join(TARGET, "logs", "%s-classload-%s-%d.txt" % (launcher.key, tag, i))
        diag = Launcher(launcher.key, launcher.label, launcher.version, launcher._build, launcher.app, launcher.health,
                        launcher.java_opts + ["-Xlog:class+load=info,startuptime=info:file=%s:uptime" % logpath])
        t0 = time.monotonic()
        proc = spawn(diag.command(port, None), "%s-diag-%d" % (launcher.key, i), workdir_for(launcher))
        # the JVM's own clock starts a little after spawn: anchor with the JVM's uptime at the first log line
        health = wait_for(port, "/health/live", t0 + START_TIMEOUT, proc) if launcher.health else None
        app = wait_for(port, "/hello", t0 + START_TIMEOUT, proc)
        terminate(proc)
        out.append(classify_classload(logpath, None if health is None else health - t0, None if app is None else app - t0))
    return out


MILESTONES = [
    ("dev.berth.Main", "Berth main class"),
    ("dev.berth.bench.plain.PlainJetty", "plain Jetty main class"),
    ("io.smallrye.config.ConfigMappingLoader", "SmallRye mapping (CommandLine → Catalog)"),
    ("io.smallrye.config.SmallRyeConfigBuilder", "SmallRye Config builder (ConfigLoader)"),
    ("dev.berth.config.LoadedConfig", "configuration loaded"),
    ("org.eclipse.jetty.logging.JettyLoggerFactory", "logging"),
    ("dev.berth.Berth", "Berth.start"),
    ("org.eclipse.jetty.util.thread.QueuedThreadPool", "thread pool"),
    ("java.lang.management.ManagementFactory", "JMX (Jetty MemoryUtils)"),
    ("org.eclipse.jetty.server.Server", "Jetty Server"),
    ("org.eclipse.jetty.http.MimeTypes", "MimeTypes (first ResourceBundle: locale data)"),
    ("org.eclipse.jetty.server.HttpConfiguration", "HttpConfiguration"),
    ("dev.berth.bind.PortBinder", "port binder"),
    ("org.eclipse.jetty.server.ServerConnector", "Jetty connector"),
    ("dev.berth.handover.HealthHandler", "health handler"),
    ("dev.berth.deploy.Deployment", "deployment thread"),
    ("org.eclipse.jetty.ee11.webapp.WebAppContext", "WebAppContext"),
    ("org.eclipse.jetty.ee11.annotations.AnnotationParser", "annotation scanning"),
    ("org.apache.jasper.servlet.JspServlet", "JSP servlet"),
    ("org.eclipse.jetty.ee11.apache.jsp.JettyJasperInitializer", "JSP initializer"),
    ("org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer",
     "WebSocket initializer"),
    ("dev.berth.bench.app.HelloServlet", "application servlet"),
]


def classify_classload(path, health_s, app_s):
    """Counts classes by group up to the first health 200 and the first app 200 (uptime <= time since spawn)."""
    line_re = re.compile(r"^\[([\d.]+)s\] (\S+) source: (.*)$")
    groups_health, groups_app = {}, {}
    milestones = {}
    total_health = total_app = 0
    startup_lines = []
    try:
        with open(path, errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return {"error": "no class-load log"}
    for line in lines:
        m = line_re.match(line)
        if not m:
            startup_lines.append(line.strip())
            continue
        t, name, source = float(m.group(1)), m.group(2), m.group(3)
        if name in dict(MILESTONES) and name not in milestones:
            milestones[name] = t * 1000.0
        group = class_group(name, source)
        if health_s is not None and t <= health_s:
            groups_health[group] = groups_health.get(group, 0) + 1
            total_health += 1
        if app_s is not None and t <= app_s:
            groups_app[group] = groups_app.get(group, 0) + 1
            total_app += 1
    return {"health_ms": None if health_s is None else health_s * 1000.0,
            "app_ms": None if app_s is None else app_s * 1000.0,
            "classes_health": total_health if health_s is not None else None, "groups_health": groups_health,
            "classes_app": total_app, "groups_app": groups_app, "milestones_ms": milestones}


def class_group(name, source):
    if "shared objects file" in source:
        return "JDK (CDS archive)" if not name.startswith(("dev.", "org.", "io.", "jakarta.")) else "app (CDS archive)"
    if name.startswith(("java.", "javax.", "jdk.", "sun.", "com.sun.")):
        return "JDK (modules)"
    if "Lambda" in name or "$$" in name or source.startswith("__"):
        return "generated (lambdas, proxies)"
    for prefix, group in (("dev.berth.bench.app.", "the WAR"), ("dev.berth.", "Berth / bench main"),
                          ("io.smallrye.", "SmallRye / MicroProfile Config"),
                          ("org.eclipse.microprofile.", "SmallRye / MicroProfile Config"),
                          ("org.jboss.logging", "SmallRye / MicroProfile Config"),
                          ("org.eclipse.jetty.ee11.apache.jsp", "JSP (Jasper, ECJ)"),
                          ("org.apache.jasper", "JSP (Jasper, ECJ)"), ("org.apache.tomcat", "JSP (Jasper, ECJ)"),
                          ("org.eclipse.jdt", "JSP (Jasper, ECJ)"), ("org.apache.el", "JSP (Jasper, ECJ)"),
                          ("jakarta.el", "JSP (Jasper, ECJ)"), ("jakarta.servlet.jsp", "JSP (Jasper, ECJ)"),
                          ("org.eclipse.jetty.ee11.websocket", "WebSocket"), ("org.eclipse.jetty.websocket", "WebSocket"),
                          ("jakarta.websocket", "WebSocket"),
                          ("org.eclipse.jetty.ee11.annotations", "annotations (ASM)"), ("org.objectweb.asm", "annotations (ASM)"),
                          ("org.eclipse.jetty.ee11", "Jetty ee11 (servlet, webapp)"), ("org.eclipse.jetty.ee.", "Jetty ee11 (servlet, webapp)"),
                          ("jakarta.", "Jakarta APIs"),
                          ("org.eclipse.jetty", "Jetty core"), ("org.slf4j", "SLF4J")):
        if name.startswith(prefix):
            return group
    return "other"


# ---------------------------------------------------------------- statistics and report

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def stat(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def fmt(s, unit="", digits=0, scale=1.0):
    if s is None:
        return "–"
    f = "%%.%df" % digits
    return (f % (s["median"] * scale)) + unit + " (" + (f % (s["min"] * scale)) + "–" + (f % (s["max"] * scale)) + ")"


def ratio(a, b):
    if a is None or b is None or b["median"] == 0:
        return None
    return a["median"] / b["median"]


def fr(r):
    return "–" if r is None else "%.2f×" % r


def machine_info():
    info = {"nproc": os.cpu_count(), "kernel": platform.release()}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["mem_gib"] = round(int(line.split()[1]) / 1048576, 1)
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        info["nproc"] = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip())
    except (OSError, ValueError):
        pass
    jv = subprocess.run(["java", "-version"], capture_output=True, text=True)
    info["java"] = (jv.stderr or jv.stdout).strip().splitlines()
    try:
        info["wrk"] = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[0].strip()
    except (OSError, IndexError):
        info["wrk"] = "?"
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "pom.xml"],
                               capture_output=True, text=True).stdout.strip()
        info["berth_commit"] = commit + (" + uncommitted changes in src/ or pom.xml" if dirty else "")
    except OSError:
        info["berth_commit"] = "?"
    return info


def summarize(data):
    keys = [l["key"] for l in data["launchers"]]
    s = {k: {} for k in keys}
    for k in keys:
        rows = [r for r in data["startup"] if r["launcher"] == k and not r.get("warmup")]
        for field in ("port_ms", "health_ms", "app_ms", "rss_ready", "rss_load", "stop_idle_ms", "deploy_log_ms"):
            s[k][field] = stat([r.get(field) for r in rows])
        s[k]["startup_failures"] = sum(1 for r in rows if r.get("error"))
        rows = [r for r in data["inflight"] if r["launcher"] == k and not r.get("warmup")]
        s[k]["stop_inflight_ms"] = stat([r.get("stop_inflight_ms") for r in rows])
        s[k]["inflight_200"] = sum(1 for r in rows if r.get("inflight_status") == 200)
        s[k]["inflight_n"] = len(rows)
        rows = [r for r in data["handover"] if r["launcher"] == k and not r.get("warmup")]
        s[k]["handover_failed"] = sum(r.get("failed", 0) for r in rows)
        s[k]["handover_ok"] = sum(r.get("ok", 0) for r in rows)
        s[k]["handover_held"] = sum(r.get("held_ok", 0) for r in rows)
        s[k]["handover_runs"] = len(rows)
        s[k]["handover_gap"] = stat([r.get("accept_to_ready_ms") for r in rows])
        s[k]["handover_kinds"] = {}
        for r in rows:
            for kind, n in r.get("fail_kinds", {}).items():
                s[k]["handover_kinds"][kind] = s[k]["handover_kinds"].get(kind, 0) + n
        bursts = [b for b in data.get("throughput", {}).get("bursts", []) if b["launcher"] == k]
        s[k]["rps"] = stat([b["rps"] for b in bursts])
        s[k]["p50"] = stat([b["p50_ms"] for b in bursts])
        s[k]["p99"] = stat([b["p99_ms"] for b in bursts])
        s[k]["wrk_errors"] = sum((b.get("errors") or 0) + (b.get("non2xx") or 0) for b in bursts)
        s[k]["rss_after_tp"] = data.get("throughput", {}).get("rss_after_throughput", {}).get(k)
    # paired startup ratios: each run against the reference run of the same round
    def paired(field, ref_key, ref_field):
        by = {}
        for r in data["startup"]:
            if not r.get("warmup"):
                by.setdefault(r["round"], {})[r["launcher"]] = r
        out = []
        for rr in by.values():
            a, b = rr.get("berth", {}).get(field), rr.get(ref_key, {}).get(ref_field)
            if a and b:
                out.append(a / b)
        return stat(out)

    if "berth" in s:
        s["berth"]["paired_health_vs_hello"] = paired("health_ms", "hello", "app_ms")
        s["berth"]["paired_app_vs_plain"] = paired("app_ms", "plain", "app_ms")
        s["berth"]["paired_rss_vs_plain"] = paired("rss_ready", "plain", "rss_ready")
    # paired throughput ratios (same round)
    bursts = data.get("throughput", {}).get("bursts", [])
    by_round = {}
    for b in bursts:
        by_round.setdefault(b["round"], {})[b["launcher"]] = b["rps"]
    for k in keys:
        pairs = [r[k] / r["plain"] for r in by_round.values() if r.get(k) and r.get("plain")]
        s[k]["rps_paired_ratio"] = stat(pairs)
    return s


def goals(s):
    b, p, h, t, d = (s.get(k, {}) for k in ("berth", "plain", "hello", "tomcat", "dist"))
    out = []

    def add(name, value, limit, ok, detail):
        out.append({"goal": name, "value": value, "limit": limit, "pass": ok, "detail": detail})

    r = ratio(b.get("health_ms"), h.get("app_ms"))
    add("first health 200 ≤ 1.15× plain Jetty hello-world 200", fr(r), "≤ 1.15×", r is not None and r <= 1.15,
        "%s vs %s; paired per round %s" % (fmt(b.get("health_ms"), " ms"), fmt(h.get("app_ms"), " ms"),
                                           fmt(b.get("paired_health_vs_hello"), "×", 2)))
    r = ratio(b.get("app_ms"), p.get("app_ms"))
    add("application's first 200 ≤ 1.10× plain Jetty (same WAR)", fr(r), "≤ 1.10×", r is not None and r <= 1.10,
        "%s vs %s; paired per round %s" % (fmt(b.get("app_ms"), " ms"), fmt(p.get("app_ms"), " ms"),
                                           fmt(b.get("paired_app_vs_plain"), "×", 2)))
    r = ratio(b.get("rss_ready"), p.get("rss_ready"))
    add("RSS when ready ≤ 1.15× plain Jetty", fr(r), "≤ 1.15×", r is not None and r <= 1.15,
        "%s vs %s" % (fmt(b.get("rss_ready"), " MiB"), fmt(p.get("rss_ready"), " MiB")))
    r = ratio(b.get("rss_load"), p.get("rss_load"))
    add("RSS after load ≤ 1.15× plain Jetty", fr(r), "≤ 1.15×", r is not None and r <= 1.15,
        "%s vs %s" % (fmt(b.get("rss_load"), " MiB"), fmt(p.get("rss_load"), " MiB")))
    r = ratio(b.get("rps"), p.get("rps"))
    add("throughput ≥ 0.95× plain Jetty", fr(r), "≥ 0.95×", r is not None and r >= 0.95,
        "%s vs %s req/s; paired per round %s" % (fmt(b.get("rps")), fmt(p.get("rps")), fmt(b.get("rps_paired_ratio"), "×", 2)))
    add("zero failed requests across the hand-over", str(b.get("handover_failed")), "0",
        b.get("handover_runs", 0) > 0 and b.get("handover_failed") == 0,
        "%d runs, %d requests answered 200, %d of them sent while the WAR deployed" % (
            b.get("handover_runs", 0), b.get("handover_ok", 0), b.get("handover_held", 0)))
    for peer, label in ((t, "embedded Tomcat"), (d, "the Jetty distribution")):
        r = ratio(b.get("app_ms"), peer.get("app_ms"))
        add("faster to ready than %s" % label, fr(r), "< 1.00×", r is not None and r < 1.0,
            "%s vs %s" % (fmt(b.get("app_ms"), " ms"), fmt(peer.get("app_ms"), " ms")))
        r = ratio(b.get("rss_ready"), peer.get("rss_ready"))
        add("smaller (RSS when ready) than %s" % label, fr(r), "< 1.00×", r is not None and r < 1.0,
            "%s vs %s" % (fmt(b.get("rss_ready"), " MiB"), fmt(peer.get("rss_ready"), " MiB")))
    r = ratio(b.get("rps"), t.get("rps"))
    add("steady throughput ≥ embedded Tomcat's", fr(r), "≥ 1.00×", r is not None and r >= 1.0,
        "%s vs %s req/s" % (fmt(b.get("rps")), fmt(t.get("rps"))))
    return out


def render_markdown(data, s, gl, chart_name, command):
    L = []
    L.append("# Berth benchmark results")
    L.append("")
    L.append("Measured %s by `bench/harness/bench.py` (issue 7). Reproduce: `%s`." % (data["date"], command))
    L.append("Goals are judged on the ratio of the medians; *paired per round* is the median (min–max) of the ratios "
             "of runs made next to each other in the same round, which cancels more of the machine's drift.")
    L.append("")
    L.append("Medians with (min–max) over %d interleaved rounds after one warm-up round; each start is a fresh "
             "`java -jar` process with default JVM flags (no -Xmx), on %s; ratios are against plain embedded Jetty "
             "from the same run." % (data["config"]["rounds"], HOST))
    L.append("")
    L.append("## Goals (issue 7)")
    L.append("")
    L.append("| goal | measured | target | result | detail |")
    L.append("|---|---:|---:|---|---|")
    for g in gl:
        L.append("| %s | %s | %s | **%s** | %s |" % (g["goal"], g["value"], g["limit"], "PASS" if g["pass"] else "MISS", g["detail"]))
    L.append("")
    keys = [l["key"] for l in data["launchers"]]
    labels = {l["key"]: l["label"] for l in data["launchers"]}
    phases = {l["key"]: set(l.get("phases", [])) for l in data["launchers"]}
    L.append("## Startup (fresh process each run)")
    L.append("")
    L.append("| launcher | port accepts | first health 200 | ÷ hello-world 200 | first app 200 | ÷ plain Jetty | RSS ready MiB | RSS after %d s load MiB | RSS ready ÷ plain | failed starts |" % data["config"]["load_seconds"])
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k in keys:
        if "startup" not in phases[k]:
            continue
        x = s[k]
        app = k != "hello"
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |" % (
            labels[k], fmt(x["port_ms"], " ms"), fmt(x["health_ms"], " ms"),
            fr(ratio(x["health_ms"], s["hello"]["app_ms"])) if x["health_ms"] else "–", fmt(x["app_ms"], " ms"),
            fr(ratio(x["app_ms"], s["plain"]["app_ms"])) if app else "–", fmt(x["rss_ready"], "", 0), fmt(x["rss_load"], "", 0),
            fr(ratio(x["rss_ready"], s["plain"]["rss_ready"])) if app else "–", x["startup_failures"]))
    L.append("")
    L.append("The hello-world row is plain Jetty with a trivial core `Handler` and no WAR: the floor for Berth's first "
             "health answer. For Berth, *port accepts* is when its connector is bound (before Jetty starts), and a "
             "request for the application that arrives while the WAR deploys is held and answered once it serves, so "
             "*first app 200* is when the application took over.")
    if s.get("berth", {}).get("deploy_log_ms"):
        L.append("Berth's own log says the WAR deployed in %s after the port was bound." % fmt(s["berth"]["deploy_log_ms"], " ms"))
    if "berth-nojmx" in s and s["berth-nojmx"].get("health_ms"):
        L.append("*%s*: Jetty's `MemoryUtils` (first used by `QueuedThreadPool`) starts the platform MBean server "
                 "(~220 JMX/JFR classes) only to read `UseCompressedOops`, unless the system property "
                 "`org.eclipse.jetty.util.referencesPerCacheLine` is set; this row sets it." % labels["berth-nojmx"])
    cc = data.get("config_cost")
    if cc and cc.get("version_ms"):
        v, pc = stat(cc["version_ms"]), stat(cc["print_config_ms"])
        L.append("Configuration cost: `berth.jar --version` (JVM start, command line) exits in %s, `--print-config` "
                 "(the same plus the full SmallRye Config load, mapping and validation) in %s: the configuration costs "
                 "about %.0f ms before anything is bound." % (fmt(v, " ms"), fmt(pc, " ms"), pc["median"] - v["median"]))
    L.append("")
    L.append("## Steady state: `wrk -t2 -c32 --latency` on /hello, all servers up at once")
    L.append("")
    tp = data["config"]
    L.append("%d rounds of one %d s burst per server in turn (A B C … A B C …), after %d discarded warm-up rounds of the "
             "same bursts (the JIT needs about 15 s of load to settle)." % (tp["tp_rounds"], tp["burst"], tp.get("tp_warmup", 1)))
    L.append("")
    L.append("| launcher | req/s | ratio to plain Jetty (of medians) | paired per round | p50 ms | p99 ms | errors | RSS after the bursts MiB |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for k in keys:
        x = s[k]
        if x["rps"] is None:
            continue
        L.append("| %s | %s | %s | %s | %s | %s | %d | %s |" % (
            labels[k], fmt(x["rps"]), fr(ratio(x["rps"], s["plain"]["rps"])), fmt(x["rps_paired_ratio"], "×", 2),
            fmt(x["p50"], "", 2), fmt(x["p99"], "", 2), x["wrk_errors"],
            "–" if x["rss_after_tp"] is None else "%.0f" % x["rss_after_tp"]))
    L.append("")
    L.append("## Stopping: SIGTERM → exit")
    L.append("")
    L.append("| launcher | idle | with one request in flight | in-flight request answered 200 |")
    L.append("|---|---:|---:|---:|")
    for k in keys:
        x = s[k]
        if not x["stop_idle_ms"] and not x["stop_inflight_ms"]:
            continue
        L.append("| %s | %s | %s | %s |" % (labels[k], fmt(x["stop_idle_ms"], " ms"), fmt(x["stop_inflight_ms"], " ms"),
                                           "%d of %d" % (x["inflight_200"], x["inflight_n"]) if x["inflight_n"] else "–"))
    L.append("")
    L.append("The in-flight request is `/hello?sleep=1000`, sent 0.25 s before the SIGTERM.")
    L.append("")
    L.append("## Hand-over under load")
    L.append("")
    L.append("16 client threads (12 opening a connection per request, 4 keep-alive) hammer /hello from before the process "
             "is spawned until 2 s after the first 200. Refused connections before the first accepted one are expected "
             "and not counted; every other answer that is not 200 counts as failed.")
    L.append("")
    L.append("| launcher | runs | failed | answered 200 | first accepted connection → first 200 | sent before the first 200, then 200 | failures by kind |")
    L.append("|---|---:|---:|---:|---:|---:|---|")
    for k in keys:
        x = s[k]
        if not x["handover_runs"]:
            continue
        kinds = ", ".join("%s: %d" % kv for kv in sorted(x["handover_kinds"].items())) or "none"
        L.append("| %s | %d | **%d** | %d | %s | %d | %s |" % (labels[k], x["handover_runs"], x["handover_failed"],
                                                               x["handover_ok"], fmt(x["handover_gap"], " ms"), x["handover_held"], kinds))
    L.append("")
    if data.get("diagnose"):
        L.append("## What runs before the first answer (class loading, diagnostic runs, not timed above)")
        L.append("")
        L.append("`-Xlog:class+load,startuptime:file:uptime`; classes whose load time (JVM uptime) is before the first "
                 "200, medians of %d runs. Milestones are the JVM uptime at which a class was first loaded." % data["config"]["diag_runs"])
        L.append("")
        groups = sorted({g for runs in data["diagnose"].values() for r in runs
                         for g in list(r.get("groups_health", {})) + list(r.get("groups_app", {}))})
        cols = []
        for k, runs in data["diagnose"].items():
            if runs and runs[0].get("classes_health") is not None:
                cols.append((k, "health", runs))
            cols.append((k, "app", runs))
        L.append("| classes loaded | " + " | ".join("%s → first %s 200" % (labels.get(k, k), w) for k, w, _ in cols) + " |")
        L.append("|---|" + "---:|" * len(cols))
        L.append("| **total** | " + " | ".join("**%.0f**" % (med([r.get("classes_" + w) for r in runs]) or 0) for k, w, runs in cols) + " |")
        for g in groups:
            L.append("| %s | " % g + " | ".join("%.0f" % (med([r.get("groups_" + w, {}).get(g, 0) for r in runs]) or 0)
                                                for k, w, runs in cols) + " |")
        L.append("| time of that 200 from spawn (ms) | " + " | ".join("%.0f" % (med([r.get(w + "_ms") for r in runs]) or 0) for k, w, runs in cols) + " |")
        L.append("")
        L.append("| milestone (first class load, JVM uptime ms) | " + " | ".join(labels.get(k, k) for k in data["diagnose"]) + " |")
        L.append("|---|" + "---:|" * len(data["diagnose"]))
        for cls, desc in MILESTONES:
            vals = [med([r.get("milestones_ms", {}).get(cls) for r in runs]) for runs in data["diagnose"].values()]
            if all(v is None for v in vals):
                continue
            L.append("| %s (`%s`) | " % (desc, cls.rsplit(".", 1)[1]) + " | ".join("–" if v is None else "%.0f" % v for v in vals) + " |")
        L.append("")
    L.append("## Machine and versions")
    L.append("")
    m = data["machine"]
    L.append("- date: %s" % data["date"])
    L.append("- machine: nproc %s, %s GiB memory, %s, Linux %s (shared machine: absolute numbers drift, ratios from "
             "one interleaved run hold better)" % (m.get("nproc"), m.get("mem_gib"), m.get("cpu", "?"), m.get("kernel")))
    L.append("- `java -version`: %s" % " / ".join(m.get("java", [])))
    L.append("- load generator: %s" % m.get("wrk"))
    for l in data["launchers"]:
        L.append("- %s: %s" % (l["label"], l["version"]))
    L.append("- Berth build: commit %s; target/berth.jar sha256 %s… (copied to bench/target/berth.jar at the start of the run)" % (
        m.get("berth_commit"), m.get("berth_jar_sha256")))
    L.append("- settings: %s" % json.dumps(data["config"], sort_keys=True))
    L.append("- commands (`PORT` is a fresh free port for every start; working directory bench/target/run/KEY):")
    for l in data["launchers"]:
        L.append("  - %s: `%s`" % (l["label"], l["command"].replace(BENCH + "/", "bench/").replace(ROOT + "/", "")))
    L.append("")
    if chart_name:
        L.append("![chart](%s)" % chart_name)
        L.append("")
    return "\n".join(L)


def chart(data, s, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib not available: no chart (install python3-matplotlib)")
        return False
    keys = [l["key"] for l in data["launchers"]]
    labels = {l["key"]: l["label"].replace(" (no WAR)", "").replace("plain Jetty hello-world", "Jetty hello-world")
              .replace("embedded ", "").replace(" + AppCDS archive", "+CDS").replace(" + -D…referencesPerCacheLine=16", " no JMX")
              .replace(" --access-log=off --compression=false", " no log, no gzip").replace(" --access-log=off", " no log")
              for l in data["launchers"]}
    fig, axes = plt.subplots(2, 2, figsize=(14, 9))

    def bars(ax, series, title, ylabel):
        import numpy as np
        ks = [k for k in keys if any(s[k].get(f) for f, _ in series)]
        x = np.arange(len(ks))
        width = 0.8 / len(series)
        for i, (field, name) in enumerate(series):
            meds = [s[k][field]["median"] if s[k].get(field) else 0 for k in ks]
            lo = [s[k][field]["median"] - s[k][field]["min"] if s[k].get(field) else 0 for k in ks]
            hi = [s[k][field]["max"] - s[k][field]["median"] if s[k].get(field) else 0 for k in ks]
            ax.bar(x + (i - (len(series) - 1) / 2) * width, meds, width, yerr=[lo, hi], capsize=3, label=name)
        ax.set_xticks(x)
        ax.set_xticklabels([labels[k] for k in ks], rotation=20, ha="right", fontsize=8)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)

    bars(axes[0][0], [("port_ms", "port accepts"), ("health_ms", "first health 200"), ("app_ms", "first app 200")],
         "Startup from spawn (median, min–max)", "ms")
    bars(axes[0][1], [("rss_ready", "RSS when ready"), ("rss_load", "RSS after load")], "Resident memory", "MiB")
    bars(axes[1][0], [("rps", "req/s (wrk -t2 -c32)")], "Steady throughput on /hello", "requests/s")
    bars(axes[1][1], [("stop_idle_ms", "SIGTERM → exit, idle"), ("stop_inflight_ms", "with a request in flight")],
         "Stopping", "ms")
    fig.suptitle("Berth vs plain embedded Jetty, embedded Tomcat, Jetty distribution — %s" % data["date"])
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def update_readme_table(md_table_lines):
    readme = os.path.join(BENCH, "README.md")
    try:
        with open(readme) as f:
            text = f.read()
    except OSError:
        return
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        with open(readme, "w") as f:
            f.write(before + start + "\n" + md_table_lines + "\n" + end + after)


def readme_summary(data, s, gl):
    keys = [l["key"] for l in data["launchers"]]
    labels = {l["key"]: l["label"] for l in data["launchers"]}
    L = ["Latest full run: %s (nproc %s; details in [results/latest.md](results/latest.md)). Medians, (min–max), "
         "ratio to plain embedded Jetty:" % (data["date"], data["machine"].get("nproc")), "",
         "| launcher | first health 200 | first app 200 | RSS ready MiB | req/s | SIGTERM → exit idle / in flight |",
         "|---|---:|---:|---:|---:|---:|"]
    for k in [k for k in keys if k in ("berth", "plain", "hello", "tomcat", "dist")]:
        x = s[k]
        ref = s["plain"]
        L.append("| %s | %s | %s (%s) | %.0f (%s) | %s | %s / %s |" % (
            labels[k], "–" if not x["health_ms"] else "%.0f ms" % x["health_ms"]["median"],
            "–" if not x["app_ms"] else "%.0f ms" % x["app_ms"]["median"], fr(ratio(x["app_ms"], ref["app_ms"])),
            x["rss_ready"]["median"] if x["rss_ready"] else 0, fr(ratio(x["rss_ready"], ref["rss_ready"])),
            "–" if not x["rps"] else "%.0f (%s)" % (x["rps"]["median"], fr(ratio(x["rps"], ref["rps"]))),
            "–" if not x["stop_idle_ms"] else "%.0f ms" % x["stop_idle_ms"]["median"],
            "–" if not x["stop_inflight_ms"] else "%.0f ms" % x["stop_inflight_ms"]["median"]))
    L.append("")
    L.append("Goals: " + "; ".join("%s %s (%s)" % ("PASS" if g["pass"] else "MISS", g["goal"], g["value"]) for g in gl) + ".")
    return "\n".join(L)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="measured rounds after the warm-up round (default 5)")
    ap.add_argument("--quick", action="store_true", help="smoke test: short bursts and loads, no AppCDS, results to target/")
    ap.add_argument("--burst", type=int, default=5, help="seconds per wrk burst in the throughput phase (default 5)")
    ap.add_argument("--tp-rounds", type=int, default=None, help="throughput rounds (default: --rounds)")
    ap.add_argument("--tp-warmup", type=int, default=3, help="discarded warm-up rounds of bursts before the throughput rounds (default 3)")
    ap.add_argument("--load-seconds", type=int, default=3, help="wrk load before the 'after load' RSS (default 3)")
    ap.add_argument("--diag-runs", type=int, default=3, help="class-loading runs per launcher (default 3, 0 = none)")
    ap.add_argument("--cds", dest="cds", action="store_true", default=None, help="also measure Berth and plain Jetty with an AppCDS archive (default in full runs)")
    ap.add_argument("--no-cds", dest="cds", action="store_false")
    ap.add_argument("--only", default=None, help="comma list of phases: startup,inflight,handover,throughput,diagnose")
    ap.add_argument("--out", default=None, help="results directory (default bench/results, or bench/target/quick-results with --quick)")
    ap.add_argument("--command", default="bash bench/run.sh", help="the reproduce command written into the results")
    args = ap.parse_args()

    if args.quick:
        args.burst = min(args.burst, 2)
        args.load_seconds = min(args.load_seconds, 1)
        args.diag_runs = min(args.diag_runs, 1)
        args.tp_warmup = min(args.tp_warmup, 1)
        if args.cds is None:
            args.cds = False
    if args.cds is None:
        args.cds = True
    tp_rounds = args.tp_rounds or args.rounds
    out_dir = args.out or (os.path.join(TARGET, "quick-results") if args.quick else os.path.join(BENCH, "results"))
    phases = set((args.only or "startup,inflight,handover,throughput,diagnose").split(","))

    for path in (BERTH_JAR_BUILT, WAR, PLAIN_JAR, TOMCAT_JAR, os.path.join(JETTY_HOME, "start.jar")):
        if not os.path.exists(path):
            sys.exit("missing %s: run bench/run.sh (it builds everything)" % path)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (bench/run.sh does it)")

    def on_signal(signum, _frame):
        kill_all_started()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    began = time.monotonic()
    os.makedirs(TARGET, exist_ok=True)
    shutil.rmtree(os.path.join(TARGET, "logs"), ignore_errors=True)
    shutil.rmtree(os.path.join(TARGET, "tomcat-base"), ignore_errors=True)
    berth_sha = snapshot_berth()
    jetty_base = make_jetty_base()
    cds_dir = os.path.join(TARGET, "cds") if args.cds else None
    try:
        if cds_dir:
            train_cds(cds_dir)
        all_l = launchers(jetty_base, cds_dir)

        def taking(phase):
            return [l for l in all_l if phase in l.phases]
        data = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                "machine": dict(machine_info(), berth_jar_sha256=berth_sha),
                "launchers": [{"key": l.key, "label": l.label, "version": l.version, "phases": sorted(l.phases),
                               "command": " ".join(l.command("PORT", None))} for l in all_l],
                "config": {"rounds": args.rounds, "tp_rounds": tp_rounds, "burst": args.burst,
                           "warmup_burst": args.burst, "tp_warmup": args.tp_warmup, "load_seconds": args.load_seconds, "quick": args.quick,
                           "diag_runs": args.diag_runs, "cds": bool(args.cds)},
                "startup": [], "inflight": [], "handover": [], "throughput": {}, "diagnose": {}}
        for r in range(0, args.rounds + 1):
            tag = "warmup" if r == 0 else "r%d" % r
            if "startup" in phases:
                for l in taking("startup"):
                    res = measure_startup(l, tag, args.load_seconds)
                    res["round"], res["warmup"] = r, r == 0
                    data["startup"].append(res)
                    log("%s startup %-10s port %s health %s app %s rss %s/%s stop %s %s" % (
                        tag, l.key, _ms(res.get("port_ms")), _ms(res.get("health_ms")), _ms(res.get("app_ms")),
                        _mib(res.get("rss_ready")), _mib(res.get("rss_load")), _ms(res.get("stop_idle_ms")), res.get("error", "")))
            if "inflight" in phases:
                for l in taking("inflight"):
                    res = measure_inflight_stop(l, tag)
                    res["round"], res["warmup"] = r, r == 0
                    data["inflight"].append(res)
                    log("%s inflight %-10s stop %s request %s" % (tag, l.key, _ms(res.get("stop_inflight_ms")), res.get("inflight_status")))
            if "handover" in phases:
                for l in taking("handover"):
                    res = measure_handover(l, tag)
                    res["round"], res["warmup"] = r, r == 0
                    data["handover"].append(res)
                    log("%s handover %-10s failed %s ok %s held %s refused-before-bind %s %s" % (
                        tag, l.key, res["failed"], res["ok"], res["held_ok"], res["refused_before_bind"],
                        res.get("fail_kinds") or ""))
        if "throughput" in phases:
            data["throughput"] = measure_throughput(taking("throughput"), tp_rounds, args.burst, args.burst, args.tp_warmup)
        if "diagnose" in phases and args.diag_runs > 0:
            for l in [x for x in all_l if x.key in ("berth", "plain", "hello")]:
                data["diagnose"][l.key] = diagnose(l, args.diag_runs, "d")
                log("diagnose %s: %s" % (l.key, [(r.get("classes_health"), r.get("classes_app")) for r in data["diagnose"][l.key]]))
            data["config_cost"] = config_cost(max(3, args.diag_runs))
            log("configuration cost: --version %s ms, --print-config %s ms" % (
                [round(x) for x in data["config_cost"]["version_ms"]], [round(x) for x in data["config_cost"]["print_config_ms"]]))
    finally:
        kill_all_started()

    data["elapsed_s"] = time.monotonic() - began
    s = summarize(data)
    gl = goals(s)
    os.makedirs(out_dir, exist_ok=True)
    day = data["date"][:10]
    with open(os.path.join(out_dir, "latest.json"), "w") as f:
        json.dump({"data": data, "summary": s, "goals": gl}, f, indent=1, default=str)
    has_chart = chart(data, s, os.path.join(out_dir, "latest.png"))
    if has_chart:
        shutil.copy(os.path.join(out_dir, "latest.png"), os.path.join(out_dir, day + ".png"))
    command = args.command
    md = render_markdown(data, s, gl, "latest.png" if has_chart else None, command)
    with open(os.path.join(out_dir, "latest.md"), "w") as f:
        f.write(md)
    with open(os.path.join(out_dir, day + ".md"), "w") as f:
        f.write(md.replace("![chart](latest.png)", "![chart](%s.png)" % day))
    shutil.copy(os.path.join(out_dir, "latest.json"), os.path.join(out_dir, day + ".json"))
    if not args.quick and args.out is None:
        update_readme_table(readme_summary(data, s, gl))
    log("done in %.0f s; results in %s" % (data["elapsed_s"], out_dir))
    for g in gl:
        print("  %s  %-58s %s" % ("PASS" if g["pass"] else "MISS", g["goal"], g["value"]))


def _ms(v):
    return "–" if v is None else "%.0fms" % v


def _mib(v):
    return "–" if v is None else "%.0f" % v


if __name__ == "__main__":
    main()
