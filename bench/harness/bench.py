#!/usr/bin/env python3
"""Berth benchmark harness (issue 7).

Measures Berth against plain embedded Jetty, embedded Tomcat and the Jetty distribution, all serving the same
small Servlet 6.0 WAR, interleaved (A B C D A B C D ...) after a warm-up round:

  startup   spawn -> port accepts TCP, -> first 200 from /health/live (Berth), -> first 200 from /hello;
            RSS (VmRSS) when ready and after a short wrk load; SIGTERM -> exit when idle
  inflight  SIGTERM -> exit with one request (/hello?sleep=1000) in flight, and what that request got
  handover  a client pool hammering /hello from before the process starts until after the app is ready:
            refusals before the first accepted connection are expected; anything else that is not 200 fails
  throughput all servers up at once on different ports, alternating `wrk -t2 -c32 --latency` bursts on /hello and
            /body; the server's CPU time per request (/proc/PID/stat); afterwards, Berth's access-log lines counted
            against the requests wrk completed
  small     (issue 15) one server at a time on 1 CPU / 512 MB (taskset, -XX:ActiveProcessorCount=1 -XX:MaxRAM=512m):
            first 200, RSS, then a long `wrk -t1 -c32` load from the other core; alive? OutOfMemoryError?
  diagnose  (not timed) -Xlog:class+load runs: classes loaded before the first health / app 200, by origin

With a JDK 25 (BENCH_JDK25, default /usr/lib/jvm/temurin-25-jdk-amd64), the startup phase also runs Berth with an
AOT cache trained by `--train` (as the Docker image does) and plain Jetty on JDK 25 without an archive.

Standard library only; the chart needs matplotlib (Debian's python3-matplotlib), skipped when missing.
Run it through bench/run.sh, which builds everything first. `python3 bench.py --help` lists the options.
"""

import argparse
import copy
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
HAWTIO_WAR = os.path.join(ROOT, "target", "third-party-wars", "hawtio-war.war")   # mvn dependency:copy@third-party-wars
JDK25 = os.environ.get("BENCH_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64")
IMAGE_FLAGS = ["-XX:MaxRAMPercentage=75"]     # what the Dockerfile's ENTRYPOINT gives every Berth start

TP_PATHS = ["/hello", "/body"]                # throughput pages: tiny text; 16 KiB through the output stream
# the small instance (issue 15): server on CPU 0 with the JVM told it has 1 CPU and 512 MB, wrk on CPU 1
SMALL_SERVER = ["taskset", "-c", "0"]
SMALL_JVM = ["-XX:ActiveProcessorCount=1", "-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75"]
SMALL_WRK = ["taskset", "-c", "1"]
# (key, label, WAR, the page whose first 200 is timed and which is loaded)
SMALL_WARS = [("bench", "bench WAR", WAR, "/hello"), ("hawtio", "hawtio 4.2.0", HAWTIO_WAR, "/index.html")]

# goal thresholds (issue 15)
TP_VS_PEER = 1.00         # Berth's req/s ÷ plain Jetty's and ÷ embedded Tomcat's, per page
ACCESS_LOG_KEEPS = 0.97   # Berth with an access log ÷ Berth --access-log=off (a log may cost at most 3 %)
IMAGE_VS_PLAIN = 0.60     # Berth JDK 25 + AOT cache first app 200 ÷ plain Jetty (JDK 17, no archive)

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
        try:
            code = proc.wait(timeout=60)   # a starved CPU (taskset on a busy shared core) can make even this slow
        except subprocess.TimeoutExpired:
            log("pid %d has not exited 60 s after SIGKILL; going on without it" % proc.pid)
            return None, time.monotonic() - begin, killed   # stays in LIVE: kill_all_started tries again at the end
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
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    log("pid %d has not exited 30 s after SIGKILL" % pid)
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


def cpu_seconds(pid):
    """utime + stime of the process (all its threads) so far: /proc/PID/stat fields 14 and 15, in clock ticks."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()   # after the command name, which may contain spaces
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))
    except (OSError, IndexError, ValueError):
        return None


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def log_contains(logname, text):
    try:
        with open(os.path.join(TARGET, "logs", logname + ".log"), errors="replace") as f:
            return any(text in line for line in f)
    except OSError:
        return False


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

CORE_PHASES = ("startup", "inflight", "handover", "throughput")


class Launcher:
    def __init__(self, key, label, version, build, app=True, health=False, java_opts=(), phases=None, java="java",
                 prefix=(), access_log=None):
        self.key = key
        self.phases = set(phases or CORE_PHASES)
        self.label = label
        self.version = version
        self._build = build            # port, workdir, war -> argv after java + java_opts
        self.app = app                 # deploys the bench WAR
        self.health = health           # has Berth's /health/live
        self.java_opts = list(java_opts)
        self.java = java               # the java binary
        self.prefix = list(prefix)     # before java (taskset)
        self.access_log = access_log   # Berth's access-log format when it writes one: "text" or "json"

    def command(self, port, workdir, war=None):
        return self.prefix + [self.java] + self.java_opts + self._build(port, workdir, war or WAR)

    def derive(self, **changes):
        """A copy with some attributes changed (same command builder)."""
        other = copy.copy(self)
        for name, value in changes.items():
            setattr(other, name, value)
        return other


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
    def build(port, _, war):
        return ["-jar", BERTH_JAR, "--host=" + HOST, "--port=%s" % port, "--fallback-ports="] + list(flags) + [war]
    return build


NO_JMX = "-Dorg.eclipse.jetty.util.referencesPerCacheLine=16"

# Berth variants measured in the throughput phase beside Berth's defaults, one setting each (not part of the goals
# except the access-log rows): (key, label, Berth flags, JVM options). Add a row to measure one more; the key must
# start with "berth". berth-json and berth-nolog are used by the access-log goals.
BERTH_VARIANTS = [
    ("berth-json", "Berth --access-log=json", ["--access-log=json"], []),
    ("berth-nolog", "Berth --access-log=off", ["--access-log=off"], []),
    ("berth-threads200", "Berth --threads.max=200 (Jetty's default)", ["--threads.max=200"], []),
    # ("berth-nogzip", "Berth --compression=false", ["--compression=false"], []),
    # ("berth-xyz", "Berth -Dsome.property=value", [], ["-Dsome.property=value"]),
]


def access_log_format(flags, java_opts=()):
    """The access-log format a Berth start writes (text by default), or None when it is off."""
    fmt_ = "text"
    for arg in list(java_opts) + list(flags):
        m = re.match(r"(?:--access-log|-Dberth\.access-log(?:\.format)?)=(\w+)$", arg)
        if m:
            fmt_ = m.group(1).lower()
    return None if fmt_ == "off" else fmt_


def launchers(jetty_base, cds_dir=None, aot=None):
    """The compared launchers (berth, plain, hello, tomcat, dist: the goals) and variants showing one setting each."""
    tomcat_bases = os.path.join(TARGET, "tomcat-base")

    def plain(port, _, war):
        return ["-jar", PLAIN_JAR, "war", HOST, str(port), war]

    def hello(port, _, war):
        return ["-jar", PLAIN_JAR, "hello", HOST, str(port)]

    def tomcat(port, workdir, war):
        base = os.path.join(tomcat_bases, "p%s" % port)   # fresh per start: Tomcat expands the WAR here
        shutil.rmtree(base, ignore_errors=True)
        return ["-jar", TOMCAT_JAR, HOST, str(port), war, base]

    def dist(port, _, war):   # the bench WAR only: it is jetty.base's webapps/ROOT.war
        return ["-jar", os.path.join(JETTY_HOME, "start.jar"), "jetty.home=" + JETTY_HOME, "jetty.base=" + jetty_base,
                "jetty.http.host=" + HOST, "jetty.http.port=%s" % port]

    bv = berth_version()
    jv = "Jetty " + JETTY_VERSION
    result = [
        Launcher("berth", "Berth", bv, berth_build(), phases=CORE_PHASES + ("small",), access_log="text"),
        Launcher("plain", "plain embedded Jetty", jv, plain, phases=CORE_PHASES + ("small",)),
        Launcher("hello", "plain Jetty hello-world (no WAR)", jv, hello, app=False, phases=["startup"]),
        Launcher("tomcat", "embedded Tomcat", "Tomcat " + TOMCAT_VERSION, tomcat, phases=CORE_PHASES + ("small",)),
        Launcher("dist", "Jetty distribution", "jetty-home " + JETTY_HOME_VERSION, dist),
    ]
    for key, label, flags, opts in BERTH_VARIANTS:
        result.append(Launcher(key, label, bv, berth_build(flags), java_opts=opts, phases=["throughput"],
                               access_log=access_log_format(flags, opts)))
    for l in result:
        l.health = l.key.startswith("berth")
    if cds_dir:
        result.append(Launcher("berth-cds", "Berth + AppCDS archive (--train)", bv, berth_build(), health=True,
                               java_opts=["-XX:SharedArchiveFile=" + os.path.join(cds_dir, "berth.jsa")], phases=["startup"]))
        result.append(Launcher("plain-cds", "plain Jetty + AppCDS archive", jv, plain,
                               java_opts=["-XX:SharedArchiveFile=" + os.path.join(cds_dir, "plain.jsa")], phases=["startup"]))
    if aot and aot.get("archive"):
        result.append(Launcher("berth-aot25", "Berth on JDK 25 + AOT cache (--train)", "%s on %s" % (bv, aot["version"]),
                               berth_build(), health=True, java=aot["java"], phases=["startup"],
                               java_opts=["-XX:AOTCache=" + aot["archive"]] + IMAGE_FLAGS))
    if aot:
        result.append(Launcher("plain25", "plain Jetty on JDK 25, no archive", "%s on %s" % (jv, aot["version"]), plain,
                               java=aot["java"], phases=["startup"]))
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


def jdk25():
    """{"java", "version"} of the JDK 25 at BENCH_JDK25, or None when there is none."""
    java = os.path.join(JDK25, "bin", "java")
    if not os.access(java, os.X_OK):
        return None
    out = subprocess.run([java, "-version"], capture_output=True, text=True)
    lines = (out.stderr or out.stdout).strip().splitlines()
    version = lines[0] if lines else "?"
    m = re.search(r'version "(\d+)', version)
    if not m or int(m.group(1)) < 25:
        log("%s is not a JDK 25+ (%s): no JDK 25 launchers" % (java, version))
        return None
    return {"java": java, "home": JDK25, "version": "JDK " + version.split('"')[1], "java_version": lines}


def train_aot(aot, aot_dir):
    """JDK 25's AOT cache (JEP 514) of Berth serving the bench WAR, from a `--train` run as the Dockerfile makes
    it (there with the status page; here with the WAR, as the README tells an application image to do). Records
    the failure instead of raising: the rest of the run does not depend on it."""
    os.makedirs(aot_dir, exist_ok=True)
    archive = os.path.join(aot_dir, "berth.aot")
    for stale in (archive, archive + ".config"):
        if os.path.exists(stale):
            os.remove(stale)
    cmd = [aot["java"], "-XX:AOTCacheOutput=" + archive, "-jar", BERTH_JAR, "--train", "--host=" + HOST,
           "--port=%d" % fresh_port(), "--fallback-ports=", WAR]
    aot["train_command"] = " ".join(cmd)
    begin = time.monotonic()
    proc = spawn(cmd, "aot-train-berth", os.path.join(TARGET, "run"))
    code, _, killed = reap(proc, 600)
    aot["train_seconds"] = round(time.monotonic() - begin, 1)
    if code != 0 or killed or not os.path.exists(archive):
        aot["error"] = "Berth --train on JDK 25 failed (exit %s; see bench/target/logs/aot-train-berth.log)" % code
        log(aot["error"])
        return aot
    aot["archive"] = archive
    aot["archive_mib"] = round(os.path.getsize(archive) / 1048576, 1)
    log("AOT cache %s: %.1f MiB, trained in %.0f s" % (archive, aot["archive_mib"], aot["train_seconds"]))
    return aot


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

def wrk(port, seconds, path="/hello", threads=2, connections=32, prefix=()):
    cmd = list(prefix) + ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency", "--timeout", "5s",
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
        result["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"), (int(g) for g in m.groups())))
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


def measure_throughput(all_launchers, rounds, burst, warmup_burst, warmup_rounds, paths=TP_PATHS):
    """All servers up at once; per round one wrk burst per path and server (path by path, servers in turn, the order
    rotated by one each round), with the server's CPU time per request; RSS after the bursts. Once the servers are
    stopped (their logs flushed), the access-log lines of every Berth that writes one are counted against the
    requests wrk completed."""
    procs = {}
    ports = {}

    def one_burst(launcher, path, seconds, round_no, warmup):
        proc = procs[launcher.key]
        cpu0 = cpu_seconds(proc.pid)
        w = wrk(ports[launcher.key], seconds, path)
        cpu1 = cpu_seconds(proc.pid)
        w.pop("raw")
        cpu = None if cpu0 is None or cpu1 is None else cpu1 - cpu0
        w.update({"launcher": launcher.key, "path": path, "round": round_no, "warmup": warmup, "seconds": seconds,
                  "cpu_s": cpu, "cpu_us_per_req": cpu * 1e6 / w["requests"] if cpu is not None and w["requests"] else None})
        return w

    bursts = []
    try:
        for launcher in all_launchers:
            port = fresh_port()
            proc = spawn(launcher.command(port, None), "%s-throughput" % launcher.key, workdir_for(launcher))
            if wait_for(port, "/hello", time.monotonic() + START_TIMEOUT, proc) is None:
                raise RuntimeError("%s did not start for the throughput phase" % launcher.key)
            procs[launcher.key], ports[launcher.key] = proc, port
        log("throughput: %d warm-up rounds of %d s bursts on %s (the JIT needs ~15 s of load)" % (
            warmup_rounds, warmup_burst, " and ".join(paths)))
        for r in range(1, warmup_rounds + 1):
            for path in paths:
                for launcher in all_launchers:
                    bursts.append(one_burst(launcher, path, warmup_burst, -r, True))
        for r in range(1, rounds + 1):
            # the order rotates by one launcher each round, so that no launcher always runs first (just after the
            # other page's bursts) or always follows the same neighbour
            order = all_launchers[(r - 1) % len(all_launchers):] + all_launchers[:(r - 1) % len(all_launchers)]
            for path in paths:
                for launcher in order:
                    bursts.append(one_burst(launcher, path, burst, r, False))
                log("throughput round %d/%d %s: %s" % (r, rounds, path, ", ".join(
                    "%s %.0f/s %s µs" % (b["launcher"], b["rps"] or 0, _num(b["cpu_us_per_req"]))
                    for b in bursts[-len(all_launchers):])))
        rss = {key: rss_mib(proc.pid) for key, proc in procs.items()}
    finally:
        for proc in procs.values():
            terminate(proc)
    access = {}
    for launcher in all_launchers:
        if launcher.access_log:
            access[launcher.key] = count_access_log(launcher, paths, bursts)
            log("access log %s (%s): %s" % (launcher.key, launcher.access_log, access[launcher.key]))
    return {"bursts": bursts, "rss_after_throughput": rss, "access_log": access, "paths": list(paths)}


def count_access_log(launcher, paths, bursts):
    """Access-log lines per path in the launcher's throughput log, the requests wrk completed on that path (all
    bursts, warm-up included), and the writer's 'N access log lines dropped' notices."""
    text = {p: '"GET %s"' % p for p in paths}                      # 2026-11-26T23:28:47.915Z 127.0.0.1 "GET /hello" 200 ...
    js = {p: re.compile(r'"path"\s*:\s*"%s"' % re.escape(p)) for p in paths}   # {..."path":"/hello",...}
    lines = {p: 0 for p in paths}
    notices = []
    dropped = 0
    logpath = os.path.join(TARGET, "logs", "%s-throughput.log" % launcher.key)
    try:
        with open(logpath, errors="replace") as f:
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
        return {"format": launcher.access_log, "error": str(e)}
    requests = {p: sum(b["requests"] or 0 for b in bursts if b["launcher"] == launcher.key and b["path"] == p)
                for p in paths}
    unparsed = sum(1 for b in bursts if b["launcher"] == launcher.key and b["requests"] is None)
    return {"format": launcher.access_log, "lines": lines, "requests": requests, "dropped": dropped,
            "drop_notice_count": len(notices), "drop_notices": notices[:10], "bursts_without_count": unparsed,
            "log": os.path.relpath(logpath, ROOT)}


def measure_small(launcher, war_key, war, page, seconds):
    """One server alone on CPU 0, told it has 1 CPU and 512 MB (as a small container): spawn -> first 200 of the
    page, RSS when ready, then `wrk -t1 -c32` for `seconds` from CPU 1; RSS after; alive? OutOfMemoryError?"""
    small = launcher.derive(prefix=SMALL_SERVER, java_opts=launcher.java_opts + SMALL_JVM)
    port = fresh_port()
    logname = "%s-small-%s" % (launcher.key, war_key)
    result = {"launcher": launcher.key, "war": war_key, "page": page, "seconds": seconds, "loadavg_before": loadavg(),
              "command": " ".join(small.command("PORT", None, war))}
    t0 = time.monotonic()
    proc = spawn(small.command(port, None, war), logname, workdir_for(launcher))
    try:
        ready = wait_for(port, page, t0 + START_TIMEOUT, proc)
        if ready is None:
            result["error"] = "no 200 from %s within %.0f s (exit code %s)" % (page, START_TIMEOUT, proc.poll())
        else:
            result["first_ms"] = (ready - t0) * 1000.0
            result["rss_ready"] = rss_mib(proc.pid)
            cpu0 = cpu_seconds(proc.pid)
            w = wrk(port, seconds, page, threads=1, connections=32, prefix=SMALL_WRK)
            cpu1 = cpu_seconds(proc.pid)
            result.update({k: w.get(k) for k in ("rps", "p50_ms", "p99_ms", "requests", "errors", "non2xx",
                                                  "socket_errors", "raw")})
            if cpu0 is not None and cpu1 is not None and w["requests"]:
                result["cpu_us_per_req"] = (cpu1 - cpu0) * 1e6 / w["requests"]
            result["rss_load"] = rss_mib(proc.pid)
            result["alive"] = proc.poll() is None
            result["loadavg_after"] = loadavg()
    finally:
        code, took, killed = terminate(proc)
    result.update({"exit_code": code, "stop_ms": took * 1000.0, "killed": killed,
                   "oom": log_contains(logname, "OutOfMemoryError")})
    if result.get("alive") is None:
        result["alive"] = False
    return result


def diagnose(launcher, runs, tag):
    """-Xlog:class+load with uptime: what the JVM loads before the first health 200 and the first app 200."""
    out = []
    for i in range(runs):
        port = fresh_port()
        logpath = os.path.join(TARGET, "logs", "%s-classload-%s-%d.txt" % (launcher.key, tag, i))
        diag = launcher.derive(java_opts=launcher.java_opts +
                               ["-Xlog:class+load=info,startuptime=info:file=%s:uptime" % logpath])
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
        s[k]["tp"] = {}
        for path in tp_paths(data):
            bursts = tp_bursts(data, k, path)
            s[k]["tp"][path] = {"rps": stat([b["rps"] for b in bursts]), "p50": stat([b["p50_ms"] for b in bursts]),
                                "p99": stat([b["p99_ms"] for b in bursts]),
                                "cpu_us": stat([b.get("cpu_us_per_req") for b in bursts]),
                                "errors": sum((b.get("errors") or 0) + (b.get("non2xx") or 0) for b in bursts),
                                "paired_vs_plain": paired_tp(data, k, "plain", path)}
        hello = s[k]["tp"].get("/hello", {})    # the issue 7 fields: /hello
        s[k]["rps"], s[k]["p50"], s[k]["p99"] = hello.get("rps"), hello.get("p50"), hello.get("p99")
        s[k]["wrk_errors"] = sum(x["errors"] for x in s[k]["tp"].values())
        s[k]["rps_paired_ratio"] = hello.get("paired_vs_plain")
        s[k]["rss_after_tp"] = data.get("throughput", {}).get("rss_after_throughput", {}).get(k)
    # paired startup ratios: each run against the reference run of the same round
    def paired(key, field, ref_key, ref_field):
        by = {}
        for r in data["startup"]:
            if not r.get("warmup"):
                by.setdefault(r["round"], {})[r["launcher"]] = r
        out = []
        for rr in by.values():
            a, b = rr.get(key, {}).get(field), rr.get(ref_key, {}).get(ref_field)
            if a and b:
                out.append(a / b)
        return stat(out)

    if "berth" in s:
        s["berth"]["paired_health_vs_hello"] = paired("berth", "health_ms", "hello", "app_ms")
        s["berth"]["paired_app_vs_plain"] = paired("berth", "app_ms", "plain", "app_ms")
        s["berth"]["paired_rss_vs_plain"] = paired("berth", "rss_ready", "plain", "rss_ready")
    for k in keys:
        if k != "plain" and s[k].get("app_ms"):
            s[k]["paired_startup_app_vs_plain"] = paired(k, "app_ms", "plain", "app_ms")
    return s


def tp_paths(data):
    tp = data.get("throughput", {})
    return tp.get("paths") or sorted({b.get("path", "/hello") for b in tp.get("bursts", [])})


def tp_bursts(data, key, path):
    """The measured (not warm-up) bursts of one launcher on one path."""
    return [b for b in data.get("throughput", {}).get("bursts", [])
            if b["launcher"] == key and b.get("path", "/hello") == path and not b.get("warmup")]


def paired_tp(data, key, ref_key, path, field="rps"):
    """Median (min–max) of the per-round ratios key ÷ ref_key of one burst field on one path."""
    by_round = {}
    for b in data.get("throughput", {}).get("bursts", []):
        if b.get("path", "/hello") == path and not b.get("warmup"):
            by_round.setdefault(b["round"], {})[b["launcher"]] = b.get(field)
    return stat([r[key] / r[ref_key] for r in by_round.values() if r.get(key) and r.get(ref_key)])


def goals(s, data):
    b, p, h, t, d = (s.get(k, {}) for k in ("berth", "plain", "hello", "tomcat", "dist"))
    out = []

    def add(name, value, limit, ok, detail):
        """ok: True (PASS), False (MISS) or None (not measured in this run: n/a)."""
        out.append({"goal": name, "value": value, "limit": limit, "pass": ok, "detail": detail})

    r = ratio(b.get("health_ms"), h.get("app_ms"))
    add("first health 200 ≤ 1.15× plain Jetty hello-world 200", fr(r), "≤ 1.15×", None if r is None else r <= 1.15,
        "%s vs %s; paired per round %s" % (fmt(b.get("health_ms"), " ms"), fmt(h.get("app_ms"), " ms"),
                                           fmt(b.get("paired_health_vs_hello"), "×", 2)))
    r = ratio(b.get("app_ms"), p.get("app_ms"))
    add("application's first 200 ≤ 1.10× plain Jetty (same WAR)", fr(r), "≤ 1.10×", None if r is None else r <= 1.10,
        "%s vs %s; paired per round %s" % (fmt(b.get("app_ms"), " ms"), fmt(p.get("app_ms"), " ms"),
                                           fmt(b.get("paired_app_vs_plain"), "×", 2)))
    r = ratio(b.get("rss_ready"), p.get("rss_ready"))
    add("RSS when ready ≤ 1.15× plain Jetty", fr(r), "≤ 1.15×", None if r is None else r <= 1.15,
        "%s vs %s" % (fmt(b.get("rss_ready"), " MiB"), fmt(p.get("rss_ready"), " MiB")))
    r = ratio(b.get("rss_load"), p.get("rss_load"))
    add("RSS after load ≤ 1.15× plain Jetty", fr(r), "≤ 1.15×", None if r is None else r <= 1.15,
        "%s vs %s" % (fmt(b.get("rss_load"), " MiB"), fmt(p.get("rss_load"), " MiB")))
    add("zero failed requests across the hand-over", str(b.get("handover_failed")), "0",
        None if not b.get("handover_runs") else b.get("handover_failed") == 0,
        "%d runs, %d requests answered 200, %d of them sent while the WAR deployed" % (
            b.get("handover_runs", 0), b.get("handover_ok", 0), b.get("handover_held", 0)))
    for peer, label in ((t, "embedded Tomcat"), (d, "the Jetty distribution")):
        r = ratio(b.get("app_ms"), peer.get("app_ms"))
        add("faster to ready than %s" % label, fr(r), "< 1.00×", None if r is None else r < 1.0,
            "%s vs %s" % (fmt(b.get("app_ms"), " ms"), fmt(peer.get("app_ms"), " ms")))
        r = ratio(b.get("rss_ready"), peer.get("rss_ready"))
        add("smaller (RSS when ready) than %s" % label, fr(r), "< 1.00×", None if r is None else r < 1.0,
            "%s vs %s" % (fmt(b.get("rss_ready"), " MiB"), fmt(peer.get("rss_ready"), " MiB")))
    tp = {k: s.get(k, {}).get("tp", {}) for k in s}
    # issue 15: throughput with the defaults, against the peers, per page
    for path in tp_paths(data):
        for peer, label in (("plain", "plain Jetty"), ("tomcat", "embedded Tomcat")):
            a, z = tp.get("berth", {}).get(path, {}), tp.get(peer, {}).get(path, {})
            r = ratio(a.get("rps"), z.get("rps"))
            add("throughput on %s ≥ %s" % (path, label), fr(r), "≥ %.2f×" % TP_VS_PEER,
                None if r is None else r >= TP_VS_PEER,
                "%s vs %s req/s; paired per round %s; p99 %s vs %s ms" % (
                    fmt(a.get("rps")), fmt(z.get("rps")), fmt(paired_tp(data, "berth", peer, path), "×", 2),
                    fmt(a.get("p99"), "", 2), fmt(z.get("p99"), "", 2)))
    # issue 15: what the access log costs, against Berth --access-log=off
    for path in tp_paths(data):
        for key, what in (("berth", "text"), ("berth-json", "json")):
            a, z = tp.get(key, {}).get(path, {}), tp.get("berth-nolog", {}).get(path, {})
            r = ratio(a.get("rps"), z.get("rps"))
            add("access log (%s) costs ≤ %.0f %% of peak throughput on %s" % (what, (1 - ACCESS_LOG_KEEPS) * 100, path),
                fr(r), "≥ %.2f×" % ACCESS_LOG_KEEPS, None if r is None else r >= ACCESS_LOG_KEEPS,
                "%s vs %s req/s (--access-log=off); paired per round %s; CPU µs/request %s vs %s (%s)" % (
                    fmt(a.get("rps")), fmt(z.get("rps")), fmt(paired_tp(data, key, "berth-nolog", path), "×", 2),
                    fmt(a.get("cpu_us"), "", 1), fmt(z.get("cpu_us"), "", 1), fr(ratio(a.get("cpu_us"), z.get("cpu_us")))))
    labels = {l["key"]: l["label"] for l in data["launchers"]}
    for key, x in data.get("throughput", {}).get("access_log", {}).items():
        if x.get("error"):
            add("no access log line lost under load (%s)" % labels.get(key, key), "–", "lines ≥ requests", False, x["error"])
            continue
        lines, reqs = sum(x["lines"].values()), sum(x["requests"].values())
        ok = all(x["lines"][q] >= x["requests"][q] for q in x["lines"]) and not x["drop_notice_count"] \
            and not x.get("bursts_without_count")
        add("no access log line lost under load (%s)" % labels.get(key, key), "%d lines / %d requests" % (lines, reqs),
            "lines ≥ requests, no drop notice", ok,
            "%s; %d 'access log lines dropped' notices (%d lines); requests = wrk's completed requests, warm-up "
            "included (the server answers a few more: those in flight when wrk stops, and the harness's probes)%s" % (
                "; ".join("%s: %d lines, %d requests (%+d)" % (q, x["lines"][q], x["requests"][q],
                                                              x["lines"][q] - x["requests"][q]) for q in x["lines"]),
                x["drop_notice_count"], x["dropped"],
                "; %d bursts without a request count" % x["bursts_without_count"] if x.get("bursts_without_count") else ""))
    # issue 15: the small instance
    small = [r for r in data.get("small", []) if r["launcher"] == "berth"]
    if not data.get("config", {}).get("small"):
        add("Berth's defaults do not run out of memory under load on 1 CPU / 512 MB", "–", "alive, no OOM, no errors",
            None, "not measured: the small-instance phase did not run (--no-small or --only)")
    else:
        seconds = data["config"]["small_seconds"]
        wars = {r["war"] for r in small}
        missing = [w for w, _, _, _ in SMALL_WARS if w not in wars]
        bad = [r for r in small if not r.get("alive") or r.get("oom") or r.get("error")
               or (r.get("errors") or 0) + (r.get("non2xx") or 0) > 0]
        ok = False if bad else (None if missing or not small else True)
        add("Berth's defaults do not run out of memory under a %d s load on 1 CPU / 512 MB" % seconds,
            "%d of %d runs clean" % (len(small) - len(bad), len(small)), "alive, no OOM, no errors", ok,
            "; ".join("%s: %s, OOM %s, %d errors, RSS %s → %s MiB, %s req/s" % (
                r["war"], "alive" if r.get("alive") else "DEAD" + (" (%s)" % r["error"] if r.get("error") else ""),
                "yes" if r.get("oom") else "no", (r.get("errors") or 0) + (r.get("non2xx") or 0),
                _mib(r.get("rss_ready")), _mib(r.get("rss_load")), _num(r.get("rps"))) for r in small)
            + ("; not measured: %s (%s)" % (", ".join(missing), data.get("small_note", "missing")) if missing else ""))
    # issue 15: the image's cold start
    a = s.get("berth-aot25", {})
    r = ratio(a.get("app_ms"), p.get("app_ms"))
    aot = data.get("aot") or {}
    add("image's first application 200 ≤ %.1f× plain Jetty without any archive" % IMAGE_VS_PLAIN, fr(r),
        "≤ %.2f×" % IMAGE_VS_PLAIN, None if r is None else r <= IMAGE_VS_PLAIN,
        "Berth on JDK 25 + AOT cache %s vs plain embedded Jetty (JDK 17, no archive) %s; paired per round %s" % (
            fmt(a.get("app_ms"), " ms"), fmt(p.get("app_ms"), " ms"), fmt(a.get("paired_startup_app_vs_plain"), "×", 2))
        if r is not None else "not measured: %s" % (aot.get("error") or aot.get("note") or "no JDK 25 or --no-aot"))
    return out


def render_markdown(data, s, gl, chart_name, command):
    L = []
    L.append("# Berth benchmark results")
    L.append("")
    L.append("Measured %s by `bench/harness/bench.py` (issues 7 and 15). Reproduce: `%s`." % (data["date"], command))
    L.append("Goals are judged on the ratio of the medians; *paired per round* is the median (min–max) of the ratios "
             "of runs made next to each other in the same round, which cancels more of the machine's drift.")
    L.append("")
    L.append("Medians with (min–max) over %d interleaved rounds after one warm-up round; each start is a fresh "
             "`java -jar` process with default JVM flags (no -Xmx), on %s; ratios are against plain embedded Jetty "
             "from the same run." % (data["config"]["rounds"], HOST))
    L.append("")
    L.append("## Goals (issues 7 and 15)")
    L.append("")
    L.append("| goal | measured | target | result | detail |")
    L.append("|---|---:|---:|---|---|")
    for g in gl:
        L.append("| %s | %s | %s | **%s** | %s |" % (g["goal"], g["value"], g["limit"], verdict(g["pass"]), g["detail"]))
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
    tp = data["config"]
    if data.get("throughput", {}).get("bursts"):
        L.append("## Steady state: `wrk -t2 -c32 --latency` on %s, all servers up at once" % " and ".join(tp_paths(data)))
        L.append("")
        L.append("%d rounds; each round one %d s burst per page and server (page by page, servers in turn: A B C … on "
                 "/hello, then A B C … on /body; the order rotates by one server each round: B C … A in round 2), after %d discarded warm-up rounds of the same bursts (the JIT needs "
                 "about 15 s of load to settle). `/hello` answers a few bytes; `/body` writes 16 KiB through the servlet "
                 "output stream without a Content-Length. *CPU µs/request* is the server process's user + system time "
                 "(/proc/PID/stat, all threads: request threads, GC, JIT, the access-log writer) during a burst divided "
                 "by the requests wrk completed in it. *RSS after* is measured once, after all the bursts." % (
                     tp["tp_rounds"], tp["burst"], tp.get("tp_warmup", 1)))
        L.append("")
        for path in tp_paths(data):
            L.append("### %s" % path)
            L.append("")
            L.append("| launcher | req/s | ratio to plain Jetty (of medians) | paired per round | p50 ms | p99 ms | CPU µs/request | errors | RSS after MiB |")
            L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            for k in keys:
                x = s[k]["tp"].get(path)
                if not x or x["rps"] is None:
                    continue
                L.append("| %s | %s | %s | %s | %s | %s | %s | %d | %s |" % (
                    labels[k], fmt(x["rps"]), fr(ratio(x["rps"], s["plain"]["tp"].get(path, {}).get("rps"))),
                    fmt(x["paired_vs_plain"], "×", 2), fmt(x["p50"], "", 2), fmt(x["p99"], "", 2), fmt(x["cpu_us"], "", 1),
                    x["errors"], _mib(s[k]["rss_after_tp"])))
            L.append("")
        access = data["throughput"].get("access_log", {})
        if access:
            L.append("### Access-log lines under load")
            L.append("")
            L.append("Counted in each log file after the throughput phase stopped the servers (so the writers flushed), "
                     "against the requests wrk reported as completed over all bursts to that server, warm-up included. "
                     "The server answers slightly more than wrk counts (requests in flight when a burst ends, and the "
                     "harness's readiness probes), so *lines − requests* is a small positive number when nothing was lost.")
            L.append("")
            L.append("| launcher | format | " + " | ".join("%s lines | %s requests | lines − requests" % (q, q)
                                                          for q in tp_paths(data)) + " | dropped notices (lines) | log |")
            L.append("|---|---|" + "---:|---:|---:|" * len(tp_paths(data)) + "---:|---|")
            for k, x in access.items():
                if x.get("error"):
                    L.append("| %s | %s | %s |" % (labels.get(k, k), x["format"], x["error"]))
                    continue
                L.append("| %s | %s | " % (labels.get(k, k), x["format"]) + " | ".join(
                    "%d | %d | %+d" % (x["lines"][q], x["requests"][q], x["lines"][q] - x["requests"][q])
                    for q in tp_paths(data)) + " | %d (%d) | `%s` |" % (x["drop_notice_count"], x["dropped"], x["log"]))
            L.append("")
    small = data.get("small", [])
    if small or data.get("small_note"):
        cfg = data["config"]
        L.append("## Small instance: 1 CPU, 512 MB, one server at a time")
        L.append("")
        L.append("Each server alone, pinned to CPU 0 and told by the JVM flags it has 1 CPU and 512 MB: `%s java %s …` "
                 "(MaxRAMPercentage=75 is what the Docker image's ENTRYPOINT passes; the JVM picks its collector and "
                 "heap from these). From the spawn to the first 200 of the page, RSS then; then `%s wrk -t1 -c32 "
                 "-d%ds --latency` on the page from CPU 1; RSS after the load, whether the process is still alive, "
                 "whether its log contains `OutOfMemoryError`; then SIGTERM. One run each." % (
                     " ".join(SMALL_SERVER), " ".join(SMALL_JVM), " ".join(SMALL_WRK), cfg["small_seconds"]))
        if data.get("small_note"):
            L.append("")
            L.append("**Note:** %s" % data["small_note"])
        L.append("")
        L.append("| launcher | WAR (page) | first 200 ms | RSS ready MiB | req/s | p50 ms | p99 ms | errors | RSS after MiB | alive | OOM | CPU µs/request | machine load (1 min) before / after |")
        L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|")
        war_labels = {w: "%s (`%s`)" % (label, page) for w, label, _, page in SMALL_WARS}
        for r in small:
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                labels.get(r["launcher"], r["launcher"]), war_labels.get(r["war"], r["war"]), _num(r.get("first_ms")),
                _mib(r.get("rss_ready")), _num(r.get("rps")), _num(r.get("p50_ms"), 2), _num(r.get("p99_ms"), 2),
                small_errors(r),
                _mib(r.get("rss_load")), ("yes" if r.get("alive") else "**no**") + (" (%s)" % r["error"] if r.get("error") else ""),
                "**yes**" if r.get("oom") else "no", _num(r.get("cpu_us_per_req"), 1),
                "%s / %s" % (r.get("loadavg_before", "?").split()[0], r.get("loadavg_after", "–").split()[0])))
        L.append("")
    L.append("## Cold start: the image's choice against plain Jetty without an archive")
    L.append("")
    aot = data.get("aot") or {}
    if aot.get("archive"):
        L.append("JDK 25 at `%s` (%s). The AOT cache (JEP 514) was trained once before the rounds, as the Dockerfile "
                 "does it but with the bench WAR (as the README tells an application image to): `%s` (%.0f s, %.1f MiB); "
                 "Berth then starts with `-XX:AOTCache=… %s`, as the image's ENTRYPOINT. These rows are in the startup "
                 "table above, interleaved with the others." % (
                     aot["home"], aot["version"], aot["train_command"].replace(BENCH + "/", "bench/").replace(ROOT + "/", ""),
                     aot["train_seconds"], aot["archive_mib"], " ".join(IMAGE_FLAGS)))
    else:
        L.append("No JDK 25 rows in this run: %s." % (aot.get("error") or aot.get("note") or "no JDK 25 (BENCH_JDK25) or --no-aot"))
    L.append("")
    L.append("| launcher | first app 200 | ÷ plain Jetty (JDK 17, no archive) | paired per round | RSS ready MiB |")
    L.append("|---|---:|---:|---:|---:|")
    for k in keys:
        x = s[k]
        if "startup" not in phases[k] or not x.get("app_ms") or k == "hello":
            continue
        L.append("| %s | %s | %s | %s | %s |" % (labels[k], fmt(x["app_ms"], " ms"), fr(ratio(x["app_ms"], s["plain"]["app_ms"])),
                                                 fmt(x.get("paired_startup_app_vs_plain"), "×", 2) if k != "plain" else "–",
                                                 fmt(x["rss_ready"])))
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
    L.append("- load average (1, 5, 15 min, /proc/loadavg): %s at the start of the run, %s at the end" % (
        m.get("loadavg_start"), m.get("loadavg_end")))
    L.append("- `java -version`: %s" % " / ".join(m.get("java", [])))
    if (data.get("aot") or {}).get("java_version"):
        L.append("- JDK 25 (`%s`): %s" % (data["aot"]["java"], " / ".join(data["aot"]["java_version"])))
    L.append("- load generator: %s" % m.get("wrk"))
    for l in data["launchers"]:
        L.append("- %s: %s" % (l["label"], l["version"]))
    L.append("- Berth build: commit %s; target/berth.jar sha256 %s… (copied to bench/target/berth.jar at the start of the run)" % (
        m.get("berth_commit"), m.get("berth_jar_sha256")))
    L.append("- settings: %s" % json.dumps(data["config"], sort_keys=True))
    L.append("- commands (`PORT` is a fresh free port for every start; working directory bench/target/run/KEY):")
    for l in data["launchers"]:
        L.append("  - %s: `%s`" % (l["label"], l["command"].replace(BENCH + "/", "bench/").replace(ROOT + "/", "")))
    for r in data.get("small", []):
        L.append("  - small instance, %s, %s: `%s`" % (labels.get(r["launcher"], r["launcher"]), r["war"],
                                                    r["command"].replace(BENCH + "/", "bench/").replace(ROOT + "/", "")))
    L.append("")
    if chart_name:
        L.append("![chart](%s)" % chart_name)
        L.append("")
    return "\n".join(L)


def small_errors(r):
    """Errors of a small-instance load: total, and by kind when there are any."""
    if r.get("requests") is None:
        return "–"
    kinds = dict((r.get("socket_errors") or {}), non2xx=r.get("non2xx") or 0)
    total = sum(kinds.values())
    return "%d" % total if not total else "**%d** (%s)" % (total, ", ".join("%s %d" % kv for kv in kinds.items() if kv[1]))


def verdict(ok):
    return "n/a" if ok is None else "PASS" if ok else "MISS"


def chart(data, s, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np
    except ImportError:
        log("matplotlib not available: no chart (install python3-matplotlib)")
        return False
    keys = [l["key"] for l in data["launchers"]]
    labels = {l["key"]: short_label(l["label"]) for l in data["launchers"]}
    fig, axes = plt.subplots(5, 2, figsize=(16, 30))

    def bars(ax, series, title, ylabel, ks=None, annotate=None):
        """series: (getter or summary field, legend); a getter takes a key and returns a stat() dict or None."""
        getters = [(f if callable(f) else (lambda k, f=f: s[k].get(f)), name) for f, name in series]
        ks = [k for k in (ks or keys) if any(g(k) for g, _ in getters)]
        x = np.arange(len(ks))
        width = 0.8 / len(series)
        for i, (g, name) in enumerate(getters):
            vals = [g(k) for k in ks]
            meds = [v["median"] if v else 0 for v in vals]
            lo = [v["median"] - v["min"] if v else 0 for v in vals]
            hi = [v["max"] - v["median"] if v else 0 for v in vals]
            xs = x + (i - (len(series) - 1) / 2) * width
            ax.bar(xs, meds, width, yerr=[lo, hi], capsize=3, label=name)
            if annotate:
                for xi, k, v in zip(xs, ks, vals):
                    text = annotate(k, i)
                    if v and text:
                        ax.annotate(text, (xi, v["max"]), textcoords="offset points", xytext=(0, 3), ha="center",
                                    fontsize=7)
        ax.set_xticks(x)
        ax.set_xticklabels([labels[k] for k in ks], rotation=20, ha="right", fontsize=8)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        ax.margins(y=0.12)

    startup_keys = keys
    bars(axes[0][0], [("port_ms", "port accepts"), ("health_ms", "first health 200"), ("app_ms", "first app 200")],
         "Startup from spawn (median, min–max)", "ms", startup_keys)
    bars(axes[0][1], [("rss_ready", "RSS when ready"), ("rss_load", "RSS after load")], "Resident memory", "MiB", startup_keys)
    for ax, page in zip((axes[1][0], axes[1][1]), TP_PATHS):
        def tp_get(k, page=page):
            return s[k].get("tp", {}).get(page, {}).get("rps")

        def p99(k, _, page=page):
            x = s[k].get("tp", {}).get(page, {}).get("p99")
            return None if not x else "p99 %.1f ms" % x["median"]
        bars(ax, [(tp_get, "req/s (wrk -t2 -c32), label: p99 median")], "Throughput on %s (median, min–max)" % page,
             "requests/s", annotate=p99)
    bars(axes[2][0], [(lambda k, q=q: s[k].get("tp", {}).get(q, {}).get("cpu_us"), q) for q in TP_PATHS],
         "Server CPU time per request (user + system, all threads)", "µs/request")
    bars(axes[2][1], [("stop_idle_ms", "SIGTERM → exit, idle"), ("stop_inflight_ms", "with a request in flight")],
         "Stopping", "ms", startup_keys)
    small_chart(axes[3][0], axes[3][1], axes[4][0], data, labels, np)
    cold_chart(axes[4][1], data, s, keys, labels, np)
    fig.suptitle("Berth vs plain embedded Jetty, embedded Tomcat, Jetty distribution — %s" % data["date"], y=0.995)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return True


def short_label(label):
    return (label.replace(" (no WAR)", "").replace("plain Jetty hello-world", "Jetty hello-world")
            .replace("embedded ", "").replace(" + AppCDS archive", "+CDS").replace(" + -D…referencesPerCacheLine=16", " no JMX")
            .replace(" --access-log=off --compression=false", " no log, no gzip").replace(" --access-log=off", " no log")
            .replace(" --access-log=json", " json log").replace(" (Jetty's default)", "")
            .replace("Berth on JDK 25 + AOT cache (--train)", "Berth JDK 25+AOT").replace(" on JDK 25, no archive", " JDK 25"))


def small_chart(ax_start, ax_rss, ax_load, data, labels, np):
    """The small instance: one group per launcher and WAR."""
    runs = data.get("small", [])
    for ax in (ax_start, ax_rss, ax_load):
        ax.grid(axis="y", alpha=0.3)
    if not runs:
        for ax in (ax_start, ax_rss, ax_load):
            ax.set_title("Small instance: not measured in this run")
            ax.axis("off")
        return
    seconds = data["config"]["small_seconds"]
    names = ["%s\n%s" % (labels.get(r["launcher"], r["launcher"]), r["war"]) for r in runs]
    x = np.arange(len(runs))

    def val(r, field):
        return r.get(field) or 0

    ax_start.bar(x, [val(r, "first_ms") for r in runs], 0.6, color="tab:green")
    for xi, r in zip(x, runs):
        ax_start.annotate("%.0f" % val(r, "first_ms"), (xi, val(r, "first_ms")), textcoords="offset points",
                          xytext=(0, 3), ha="center", fontsize=8)
    ax_start.set_title("Small instance (1 CPU, 512 MB): spawn → first 200 of the page")
    ax_start.set_ylabel("ms")
    ax_rss.bar(x - 0.2, [val(r, "rss_ready") for r in runs], 0.4, label="RSS when ready")
    ax_rss.bar(x + 0.2, [val(r, "rss_load") for r in runs], 0.4, label="RSS after %d s load" % seconds)
    ax_rss.axhline(512, color="red", linestyle="--", linewidth=1, label="-XX:MaxRAM=512m")
    ax_rss.set_title("Small instance: resident memory")
    ax_rss.set_ylabel("MiB")
    ax_rss.legend(fontsize=8)
    ax_load.bar(x, [val(r, "rps") for r in runs], 0.6, color="tab:purple", label="req/s (wrk -t1 -c32, label: p99)")
    for xi, r in zip(x, runs):
        text = "p99 %s ms" % _num(r.get("p99_ms"), 1)
        if not r.get("alive") or r.get("oom") or (r.get("errors") or 0) + (r.get("non2xx") or 0):
            text += "\n" + ("OOM " if r.get("oom") else "") + ("dead " if not r.get("alive") else "") + \
                "%d errors" % ((r.get("errors") or 0) + (r.get("non2xx") or 0))
        ax_load.annotate(text, (xi, val(r, "rps")), textcoords="offset points", xytext=(0, 3), ha="center", fontsize=8)
    ax_load.set_title("Small instance: %d s load on the page" % seconds)
    ax_load.set_ylabel("requests/s")
    ax_load.legend(fontsize=8)
    for ax in (ax_start, ax_rss, ax_load):
        ax.set_xticks(x)
        ax.set_xticklabels(names, fontsize=8)
        ax.margins(y=0.15)


def cold_chart(ax, data, s, keys, labels, np):
    """First app 200 of every startup launcher (archives included), horizontal, with the ratio to plain Jetty."""
    phases = {l["key"]: set(l.get("phases", [])) for l in data["launchers"]}
    ks = [k for k in keys if "startup" in phases[k] and s[k].get("app_ms") and k != "hello"]
    if not ks:
        ax.set_title("Cold start: not measured in this run")
        ax.axis("off")
        return
    y = np.arange(len(ks))
    meds = [s[k]["app_ms"]["median"] for k in ks]
    err = [[s[k]["app_ms"]["median"] - s[k]["app_ms"]["min"] for k in ks],
           [s[k]["app_ms"]["max"] - s[k]["app_ms"]["median"] for k in ks]]
    colors = ["tab:red" if k == "berth-aot25" else "tab:gray" if k.startswith("plain") else "tab:blue" for k in ks]
    ax.barh(y, meds, 0.6, xerr=err, capsize=3, color=colors)
    plain = s.get("plain", {}).get("app_ms")
    for yi, k, m in zip(y, ks, meds):
        r = ratio(s[k]["app_ms"], plain)
        ax.annotate(" %.0f ms (%s)" % (m, fr(r)), (s[k]["app_ms"]["max"], yi), va="center", fontsize=8)
    if plain:
        ax.axvline(plain["median"] * IMAGE_VS_PLAIN, color="red", linestyle="--", linewidth=1,
                   label="goal: %.1f× plain Jetty (JDK 17, no archive)" % IMAGE_VS_PLAIN)
        ax.legend(fontsize=8, loc="lower right")
    ax.set_yticks(y)
    ax.set_yticklabels([labels[k] for k in ks], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("ms from spawn to the first application 200 (median, min–max)")
    ax.set_title("Cold start: first application 200, with CDS / AOT archives")
    ax.grid(axis="x", alpha=0.3)
    ax.margins(x=0.25)


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
         "| launcher | first health 200 | first app 200 | RSS ready MiB | req/s /hello | req/s /body | SIGTERM → exit idle / in flight |",
         "|---|---:|---:|---:|---:|---:|---:|"]

    def rps(x, ref, path):
        a, b = x.get("tp", {}).get(path, {}).get("rps"), ref.get("tp", {}).get(path, {}).get("rps")
        return "–" if not a else "%.0f (%s)" % (a["median"], fr(ratio(a, b)))

    for k in [k for k in keys if k in ("berth", "plain", "hello", "tomcat", "dist", "berth-aot25")]:
        x = s[k]
        ref = s["plain"]
        L.append("| %s | %s | %s (%s) | %.0f (%s) | %s | %s | %s / %s |" % (
            labels[k], "–" if not x["health_ms"] else "%.0f ms" % x["health_ms"]["median"],
            "–" if not x["app_ms"] else "%.0f ms" % x["app_ms"]["median"], fr(ratio(x["app_ms"], ref["app_ms"])),
            x["rss_ready"]["median"] if x["rss_ready"] else 0, fr(ratio(x["rss_ready"], ref["rss_ready"])),
            rps(x, ref, "/hello"), rps(x, ref, "/body"),
            "–" if not x["stop_idle_ms"] else "%.0f ms" % x["stop_idle_ms"]["median"],
            "–" if not x["stop_inflight_ms"] else "%.0f ms" % x["stop_inflight_ms"]["median"]))
    L.append("")
    L.append("Goals: " + "; ".join("%s %s (%s)" % (verdict(g["pass"]), g["goal"], g["value"]) for g in gl) + ".")
    return "\n".join(L)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="measured rounds after the warm-up round (default 5)")
    ap.add_argument("--quick", action="store_true", help="smoke test: short bursts and loads, no AppCDS or AOT cache, 5 s small-instance loads, results to target/")
    ap.add_argument("--burst", type=int, default=5, help="seconds per wrk burst in the throughput phase (default 5)")
    ap.add_argument("--tp-rounds", type=int, default=None, help="throughput rounds (default: --rounds)")
    ap.add_argument("--tp-warmup", type=int, default=3, help="discarded warm-up rounds of bursts before the throughput rounds (default 3)")
    ap.add_argument("--load-seconds", type=int, default=3, help="wrk load before the 'after load' RSS (default 3)")
    ap.add_argument("--diag-runs", type=int, default=3, help="class-loading runs per launcher (default 3, 0 = none)")
    ap.add_argument("--cds", dest="cds", action="store_true", default=None, help="also measure Berth and plain Jetty with an AppCDS archive (default in full runs)")
    ap.add_argument("--no-cds", dest="cds", action="store_false")
    ap.add_argument("--aot", dest="aot", action="store_true", default=None,
                    help="also measure Berth on JDK 25 with an AOT cache and plain Jetty on JDK 25 (default in full runs "
                         "when BENCH_JDK25, default /usr/lib/jvm/temurin-25-jdk-amd64, has bin/java)")
    ap.add_argument("--no-aot", dest="aot", action="store_false")
    ap.add_argument("--small-seconds", type=int, default=None,
                    help="seconds of wrk load per run in the small-instance phase (default 60; 5 with --quick)")
    ap.add_argument("--no-small", action="store_true", help="skip the small-instance phase (1 CPU, 512 MB)")
    ap.add_argument("--only", default=None, help="comma list of phases: startup,inflight,handover,throughput,small,diagnose")
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
        if args.aot is None:
            args.aot = False
        if args.small_seconds is None:
            args.small_seconds = 5
    if args.cds is None:
        args.cds = True
    if args.aot is None:
        args.aot = True
    if args.small_seconds is None:
        args.small_seconds = 60
    tp_rounds = args.tp_rounds or args.rounds
    out_dir = args.out or (os.path.join(TARGET, "quick-results") if args.quick else os.path.join(BENCH, "results"))
    phases = set((args.only or "startup,inflight,handover,throughput,small,diagnose").split(","))
    if args.no_small:
        phases.discard("small")

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
    load_start = loadavg()
    os.makedirs(os.path.join(TARGET, "run"), exist_ok=True)
    shutil.rmtree(os.path.join(TARGET, "logs"), ignore_errors=True)
    shutil.rmtree(os.path.join(TARGET, "tomcat-base"), ignore_errors=True)
    berth_sha = snapshot_berth()
    jetty_base = make_jetty_base()
    cds_dir = os.path.join(TARGET, "cds") if args.cds else None
    aot, aot_note = None, None
    if not args.aot:
        aot_note = "not asked for (--no-aot; the default with --quick, --aot turns it on)"
    elif "startup" not in phases:
        aot_note = "the startup phase did not run"
    else:
        aot = jdk25()
        if aot is None:
            aot_note = "no JDK 25 at %s (set BENCH_JDK25)" % JDK25
            log(aot_note + ": no JDK 25 launchers")
    try:
        if cds_dir:
            train_cds(cds_dir)
        if aot:
            train_aot(aot, os.path.join(TARGET, "aot"))
        all_l = launchers(jetty_base, cds_dir, aot)

        def taking(phase):
            return [l for l in all_l if phase in l.phases]
        data = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                "machine": dict(machine_info(), berth_jar_sha256=berth_sha),
                "launchers": [{"key": l.key, "label": l.label, "version": l.version, "phases": sorted(l.phases),
                               "command": " ".join(l.command("PORT", None))} for l in all_l],
                "config": {"rounds": args.rounds, "tp_rounds": tp_rounds, "burst": args.burst,
                           "warmup_burst": args.burst, "tp_warmup": args.tp_warmup, "load_seconds": args.load_seconds, "quick": args.quick,
                           "diag_runs": args.diag_runs, "cds": bool(args.cds), "aot": bool(args.aot),
                           "small": "small" in phases, "small_seconds": args.small_seconds, "tp_paths": TP_PATHS,
                           "berth_variants": BERTH_VARIANTS, "small_jvm": SMALL_JVM, "jdk25": JDK25, "phases": sorted(phases)},
                "startup": [], "inflight": [], "handover": [], "throughput": {}, "small": [], "diagnose": {},
                "aot": aot or {"note": aot_note}}
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
        if "small" in phases:
            wars = SMALL_WARS
            if not os.path.exists(HAWTIO_WAR):
                data["small_note"] = ("the large WAR (%s) is missing, so its rows are skipped: fetch it with "
                                      "`mvn -B -q dependency:copy@third-party-wars` (bench/run.sh tries)" %
                                      os.path.relpath(HAWTIO_WAR, ROOT))
                log(data["small_note"])
                wars = [w for w in SMALL_WARS if os.path.exists(w[2])]
            log("small instance: %d s load per run, one server at a time" % args.small_seconds)
            for war_key, _, war, page in wars:
                for l in taking("small"):
                    res = measure_small(l, war_key, war, page, args.small_seconds)
                    data["small"].append(res)
                    log("small %-7s %-6s first 200 %s rss %s → %s, %s req/s p99 %s ms, errors %s, alive %s, OOM %s %s" % (
                        l.key, war_key, _ms(res.get("first_ms")), _mib(res.get("rss_ready")), _mib(res.get("rss_load")),
                        _num(res.get("rps")), _num(res.get("p99_ms"), 1), (res.get("errors") or 0) + (res.get("non2xx") or 0),
                        res.get("alive"), res.get("oom"), res.get("error", "")))
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
    data["machine"]["loadavg_start"], data["machine"]["loadavg_end"] = load_start, loadavg()
    s = summarize(data)
    gl = goals(s, data)
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
        print("  %-4s  %-72s %s" % (verdict(g["pass"]), g["goal"], g["value"]))


def _num(v, digits=0):
    return "–" if v is None else "%.*f" % (digits, v)


def _ms(v):
    return "–" if v is None else "%.0fms" % v


def _mib(v):
    return "–" if v is None else "%.0f" % v


if __name__ == "__main__":
    main()
