#!/usr/bin/env python3
"""Issue 15, item 4: which archive gives the image its fastest cold start.

Time from the spawn of `java` to the application's first HTTP 200 (the WAR's own page, not /health) and VmRSS
at that moment, for plain embedded Jetty without any archive (the baseline) and for Berth on JDK 17 and JDK 25
without an archive, with a dynamic CDS archive (-XX:ArchiveClassesAtExit / -XX:SharedArchiveFile, as the
Dockerfile did before issue 15) and, on JDK 25, with an AOT cache (JEP 514's one-step -XX:AOTCacheOutput, then
-XX:AOTCache). Every archive comes from a `berth.jar --train` run, trained either with the measured WAR (an
application image) or with Berth's status page only (the base image's default, WAR mounted at run time);
`aot-long` is trained by a normal start that answers the measured page many times, to see whether --train's
single request is enough.

Rounds are interleaved (every variant once per round, order rotated each round), round 0 is a warm-up and is
not counted. Each archive is checked once before the rounds: a start with -Xshare:on (CDS) or -XX:AOTMode=on
(AOT), which refuse to start without it, and -Xlog:class+load, which says how many classes came from it.
Processes are started and stopped by pid; every wait has a deadline.

  python3 bench/aot/measure.py                          # bench WAR and hawtio, 10 rounds (7 min on 2 quiet cores)
  python3 bench/aot/measure.py --wars bench --rounds 2  # smoke test
"""
import argparse
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
WORK = os.path.join(BENCH, "target", "aot")
HOST = "127.0.0.1"
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
POLL = 0.005
GOAL = 0.60

# name -> (WAR, the application page whose first 200 is timed)
WARS = {
    "bench": (os.path.join(BENCH, "webapp", "target", "bench-app.war"), "/hello"),
    "hawtio": (os.path.join(ROOT, "target", "third-party-wars", "hawtio-war.war"), "/index.html"),
    "jspwiki": (os.path.join(ROOT, "target", "third-party-wars", "jspwiki-war.war"), "/"),
}

# the flags the Dockerfile's ENTRYPOINT gives every Berth start besides the archive
IMAGE_FLAGS = ["-XX:MaxRAMPercentage=75"]

LIVE = {}


class Variant:
    def __init__(self, key, label, jdk, launcher, archive=None, training=None, flags=()):
        self.key = key
        self.label = label
        self.jdk = jdk                # "17", "21" or "25"
        self.launcher = launcher      # "plain" or "berth"
        self.archive = archive        # None, "cds" or "aot"
        self.training = training      # "war" (--train WAR), "status" (--train, no WAR) or "long" (see above)
        self.flags = list(flags)      # JVM flags besides the image's


def variants(jdks):
    result = [Variant("plain17", "plain embedded Jetty, JDK 17, no archive", "17", "plain")]
    for jdk in sorted(jdks):
        result.append(Variant("berth%s" % jdk, "Berth, JDK %s, no archive" % jdk, jdk, "berth"))
        result.append(Variant("berth%s-cds" % jdk, "Berth, JDK %s, CDS trained with the WAR" % jdk, jdk, "berth",
                              "cds", "war"))
        if jdk == "17":
            result.append(Variant("berth17-cds-status", "Berth, JDK 17, CDS trained on the status page (the image before issue 15)",
                                  "17", "berth", "cds", "status"))
        if jdk == "25":
            result.append(Variant("berth25-aot", "Berth, JDK 25, AOT cache trained with the WAR", "25", "berth",
                                  "aot", "war"))
            result.append(Variant("berth25-aot-status", "Berth, JDK 25, AOT cache trained on the status page", "25",
                                  "berth", "aot", "status"))
            result.append(Variant("berth25-aot-long", "Berth, JDK 25, AOT cache trained by a longer run", "25",
                                  "berth", "aot", "long"))
            # not a candidate for the default (C2 never runs: lower peak throughput); shows where the rest goes
            result.append(Variant("berth25-aot-c1", "Berth, JDK 25, AOT cache trained with the WAR, "
                                  "-XX:TieredStopAtLevel=1", "25", "berth", "aot", "war", ["-XX:TieredStopAtLevel=1"]))
    return result


# ---------------------------------------------------------------- processes and probes

def log(message):
    print(time.strftime("%H:%M:%S ") + message, flush=True)


_next_port = [24500 + (os.getpid() % 40) * 100]


def fresh_port():
    for _ in range(4000):
        port = _next_port[0]
        _next_port[0] = port + 1 if port < 31999 else 20000
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((HOST, port))
                return port
            except OSError:
                continue
    raise SystemExit("no free port between 20000 and 31999")


def spawn(command, log_path, cwd):
    with open(log_path, "wb") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd)
    LIVE[child.pid] = child
    return child


def stop(child, timeout=STOP_TIMEOUT):
    """SIGTERM, then SIGKILL after the timeout; always by pid, only processes this script started."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)
    LIVE.pop(child.pid, None)
    return child.returncode


def get(port, path, timeout=2.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def first_200(port, path, child, deadline):
    """Monotonic time of the first 200 from path, or None when the process died or the deadline passed."""
    while time.monotonic() < deadline:
        if child.poll() is not None:
            return None
        try:
            # no short client timeout: Berth holds a request that arrives during the deployment and answers it
            # the moment the WAR serves
            if get(port, path, timeout=max(0.5, deadline - time.monotonic())) == 200:
                return time.monotonic()
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(POLL)
    return None


def rss_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def cpu_seconds(pid):
    """User + system CPU time of all the process's threads so far: the work done, which the machine's load
    (other jobs competing for the cores) stretches far less than the wall time."""
    try:
        with open("/proc/%d/stat" % pid) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))
    except (OSError, IndexError, ValueError):
        return None


# ---------------------------------------------------------------- commands

class Setup:
    def __init__(self, args):
        self.java = {"17": args.jdk17, "25": args.jdk25}
        if args.jdk21:
            self.java["21"] = args.jdk21
        self.java = {k: os.path.join(v, "bin", "java") for k, v in self.java.items()}
        self.jar = os.path.join(WORK, "berth.jar")          # a snapshot: a rebuild of target/ cannot change it
        self.plain = os.path.join(WORK, "plain-jetty.jar")
        self.archives = {}                                  # (variant key, war name) -> archive path

    def run_command(self, variant, war, port, extra=()):
        java = self.java[variant.jdk]
        war_path = WARS[war][0]
        if variant.launcher == "plain":
            return [java] + list(extra) + ["-jar", self.plain, "war", HOST, str(port), war_path]
        flags = []
        if variant.archive == "cds":
            flags.append("-XX:SharedArchiveFile=" + self.archives[(variant.key, war)])
        elif variant.archive == "aot":
            flags.append("-XX:AOTCache=" + self.archives[(variant.key, war)])
        return ([java] + flags + variant.flags + list(extra) + IMAGE_FLAGS +
                ["-jar", self.jar, "--host=" + HOST, "--port=%d" % port, "--fallback-ports=", war_path])

    def train_command(self, variant, war, archive):
        """The Dockerfile's training command (the status page), or the README's for an application image."""
        output = ("-XX:ArchiveClassesAtExit=" if variant.archive == "cds" else "-XX:AOTCacheOutput=") + archive
        command = [self.java[variant.jdk], output, "-jar", self.jar, "--train", "--host=" + HOST, "--port=0",
                   "--fallback-ports=", "--access-log=off"]
        return command + ([WARS[war][0]] if variant.training == "war" else [])


def archive_name(variant, war):
    suffix = ".jsa" if variant.archive == "cds" else ".aot"
    scope = "status" if variant.training == "status" else war
    return os.path.join(WORK, "archives", "%s-%s%s" % (variant.key, scope, suffix))


def same_archive(setup, variant, war, all_variants):
    """A variant that differs from another only in run-time flags maps that one's archive."""
    for other in all_variants:
        if other is not variant and not other.flags and (other.jdk, other.archive, other.training) == (
                variant.jdk, variant.archive, variant.training) and (other.key, war) in setup.archives:
            return setup.archives[(other.key, war)]
    return None


WARNING = re.compile(r"\[(warning|error)\s*\]\[(aot|cds)[^\]]*\]\s*(.*)")


def archive_messages(log_path):
    """JVM warnings and errors about the archive, grouped by reason (class names left out)."""
    reasons = {}
    with open(log_path, errors="replace") as text:
        for line in text:
            m = WARNING.search(line)
            if not m:
                continue
            message = m.group(3).strip()
            skip = re.match(r"Skipping \S+: (.*)", message)
            if skip:
                message = "Skipping: " + skip.group(1)
            message = re.sub(r"[\w$]+(/[\w$]+)+|\b[a-z][\w$]*(\.[\w$]+){2,}", "CLASS", message)
            key = "%s: %s" % (m.group(1), message)
            reasons[key] = reasons.get(key, 0) + 1
    return reasons


def train(setup, variant, war, long_requests):
    archive = archive_name(variant, war)
    key = (variant.key, war)
    if variant.training == "status":
        for (other, _), path in setup.archives.items():
            if other == variant.key:                       # one status-page archive serves every WAR
                setup.archives[key] = path
                return None
    for stale in (archive, archive + ".config"):
        if os.path.exists(stale):
            os.remove(stale)
    log_path = os.path.join(WORK, "logs", "train-%s-%s.log" % (variant.key, war))
    begin = time.monotonic()
    if variant.training == "long":
        # a normal start under -XX:AOTCacheOutput, the measured page answered many times, then SIGTERM: the JVM
        # writes the cache on the way out
        port = fresh_port()
        command = [setup.java[variant.jdk], "-XX:AOTCacheOutput=" + archive] + IMAGE_FLAGS + [
            "-jar", setup.jar, "--host=" + HOST, "--port=%d" % port, "--fallback-ports=", "--access-log=off",
            WARS[war][0]]
        child = spawn(command, log_path, os.path.join(WORK, "run"))
        if first_200(port, WARS[war][1], child, time.monotonic() + START_TIMEOUT) is None:
            stop(child)
            raise SystemExit("training start failed: see " + log_path)
        for _ in range(long_requests):
            get(port, WARS[war][1], timeout=10)
        code = stop(child, timeout=600)
    else:
        command = setup.train_command(variant, war, archive)
        child = spawn(command, log_path, os.path.join(WORK, "run"))
        try:
            code = child.wait(timeout=900)
        finally:
            stop(child)
    seconds = time.monotonic() - begin
    if variant.training != "long" and code != 0:
        raise SystemExit("training run exited %s: see %s" % (code, log_path))
    if not os.path.exists(archive):
        raise SystemExit("training left no archive (exit %s): see %s" % (code, log_path))
    setup.archives[key] = archive
    record = {"variant": variant.key, "war": war if variant.training != "status" else "(none: status page)",
              "command": " ".join(command), "exit": code, "seconds": round(seconds, 1),
              "archive_mib": round(os.path.getsize(archive) / 1048576.0, 1),
              "messages": archive_messages(log_path)}
    log("trained %s for %s in %.1f s: %.1f MiB, exit %s" % (variant.key, war, seconds, record["archive_mib"], code))
    return record


def verify(setup, variant, war):
    """One start that must use the archive (-Xshare:on / -XX:AOTMode=on) and counts the classes it mapped."""
    port = fresh_port()
    class_log = os.path.join(WORK, "logs", "verify-%s-%s.classes" % (variant.key, war))
    strict = "-Xshare:on" if variant.archive == "cds" else "-XX:AOTMode=on"
    command = setup.run_command(variant, war, port, [strict, "-Xlog:class+load=info:file=" + class_log])
    log_path = os.path.join(WORK, "logs", "verify-%s-%s.log" % (variant.key, war))
    child = spawn(command, log_path, os.path.join(WORK, "run"))
    served = first_200(port, WARS[war][1], child, time.monotonic() + START_TIMEOUT)
    stop(child)
    shared = total = 0
    with open(class_log, errors="replace") as lines:
        for line in lines:
            total += 1
            if "source: shared objects file" in line:
                shared += 1
    return {"variant": variant.key, "war": war, "served": served is not None, "shared": shared, "loaded": total,
            "messages": archive_messages(log_path)}


def measure_once(setup, variant, war, tag):
    port = fresh_port()
    command = setup.run_command(variant, war, port)
    log_path = os.path.join(WORK, "logs", "%s-%s-%s.log" % (variant.key, war, tag))
    begin = time.monotonic()
    child = spawn(command, log_path, os.path.join(WORK, "run"))
    try:
        served = first_200(port, WARS[war][1], child, begin + START_TIMEOUT)
        rss = rss_mib(child.pid) if served else None
        cpu = cpu_seconds(child.pid) if served else None
    finally:
        stop(child)
    if served is None:
        raise SystemExit("no 200 from %s within %.0f s: see %s" % (WARS[war][1], START_TIMEOUT, log_path))
    return {"ms": (served - begin) * 1000.0, "rss": rss, "cpu": cpu, "messages": archive_messages(log_path)}


# ---------------------------------------------------------------- report

def java_version(java):
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()
    return out[1].strip() if len(out) > 1 else out[0]


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def summarise(data, all_variants):
    rows = {}
    for war in data["wars"]:
        base = data["samples"][war]["plain17"]
        for v in all_variants:
            samples = data["samples"][war][v.key]
            times = [s["ms"] for s in samples]
            rss = [s["rss"] for s in samples]
            paired = [s["ms"] / b["ms"] for s, b in zip(samples, base)]
            cpu = [s["cpu"] for s in samples]
            rows[(war, v.key)] = {
                "ms": statistics.median(times), "ms_min": min(times), "ms_max": max(times),
                "rss": statistics.median(rss), "rss_min": min(rss), "rss_max": max(rss),
                "ratio": statistics.median(times) / statistics.median([b["ms"] for b in base]),
                "paired": statistics.median(paired), "paired_min": min(paired), "paired_max": max(paired),
                "cpu": statistics.median(cpu), "cpu_min": min(cpu), "cpu_max": max(cpu),
                "cpu_ratio": statistics.median(cpu) / statistics.median([b["cpu"] for b in base]),
            }
    return rows


def render(data, all_variants, rows, command):
    lines = ["<!-- measured:start (written by bench/aot/measure.py; everything outside these markers is by hand) -->",
             "Measured %s on %d cores by `%s`; %d interleaved rounds after a warm-up round (order rotated each "
             "round); medians, (min–max). Ratio = median ÷ the median of plain embedded Jetty on JDK 17 without an "
             "archive with the same WAR; *paired* = median of the per-round ratios (each round's run ÷ the same "
             "round's plain Jetty run). Goal: ≤ %.2f× (on the wall time). CPU = user + system time of the JVM's "
             "threads when the 200 arrived, less stretched by the load than the wall time." % (
                 data["date"], data["nproc"], command, data["rounds"], GOAL), ""]
    for war in data["wars"]:
        path, page = WARS[war]
        size = os.path.getsize(path)
        size = "%.1f MiB" % (size / 1048576.0) if size >= 1048576 else "%.1f KiB" % (size / 1024.0)
        lines += ["**%s** (`%s`, %s), first 200 of `%s`:" % (war, os.path.relpath(path, ROOT), size, page), "",
            "| variant | first app 200 ms | ratio | paired | goal ≤ %.2f× | CPU s at 200 | CPU ratio | RSS at 200 MiB |"
            % GOAL, "|---|---:|---:|---:|:-:|---:|---:|---:|"]
        for v in all_variants:
            r = rows[(war, v.key)]
            verdict = "baseline" if v.key == "plain17" else ("PASS" if r["ratio"] <= GOAL else "MISS")
            lines.append("| %s | %.0f (%.0f–%.0f) | %.2f× | %.2f× (%.2f–%.2f) | %s | %.2f (%.2f–%.2f) | %.2f× | "
                         "%.0f (%.0f–%.0f) |" % (
                             v.label, r["ms"], r["ms_min"], r["ms_max"], r["ratio"], r["paired"], r["paired_min"],
                             r["paired_max"], verdict, r["cpu"], r["cpu_min"], r["cpu_max"], r["cpu_ratio"],
                             r["rss"], r["rss_min"], r["rss_max"]))
        lines.append("")
    lines += ["Archives (training wall time includes the JDK 25 child JVM that assembles the AOT cache):", "",
              "| archive | trained with | training s | size MiB | classes from the archive / loaded (check run) |",
              "|---|---|---:|---:|---|"]
    checks = {(c["variant"], c["war"]): c for c in data["checks"]}
    for t in data["trainings"]:
        wars = data["wars"] if t["war"].startswith("(none") else [t["war"]]
        counted = "; ".join("%s %d / %d%s" % (w, checks[(t["variant"], w)]["shared"], checks[(t["variant"], w)]["loaded"],
                                                "" if checks[(t["variant"], w)]["served"] else " (NOT SERVED)")
                            for w in wars if (t["variant"], w) in checks)
        lines.append("| %s | %s | %.1f | %.1f | %s |" % (t["variant"], t["war"], t["seconds"], t["archive_mib"], counted))
    lines += ["", "Archive warnings in the training runs (count per reason):", ""]
    for t in data["trainings"]:
        reasons = ", ".join("%s ×%d" % (k, n) for k, n in sorted(t["messages"].items())) or "none"
        lines.append("- %s (%s): %s" % (t["variant"], t["war"], reasons))
    problems = data["timed_run_messages"]
    lines += ["", "Archive warnings or errors in the timed runs: %s." % (
        "none" if not problems else "; ".join("%s: %s" % (k, v) for k, v in sorted(problems.items()))), "",
        "Machine: %s; %s." % ("; ".join("JDK %s `%s`" % (k, v) for k, v in sorted(data["java"].items())),
                                "berth.jar sha256 %s" % data["jar_sha256"]),
        "Load: before `%s`; after `%s`; 1-minute load average at the start of the measured rounds %.1f–%.1f." % (
            data["uptime_before"], data["uptime_after"], min(data["round_load"]), max(data["round_load"])),
        "<!-- measured:end -->"]
    return "\n".join(lines) + "\n"


def write_results(out, block):
    text = ""
    if os.path.exists(out):
        with open(out) as current:
            text = current.read()
    pattern = re.compile(r"<!-- measured:start.*?<!-- measured:end -->\n", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = (text or "# Berth's cold start: JDK 25 AOT cache against CDS\n\n") + block
    with open(out, "w") as f:
        f.write(text)


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wars", default="bench,hawtio", help="comma list of " + ", ".join(WARS))
    parser.add_argument("--rounds", type=int, default=10, help="measured rounds after the warm-up round")
    parser.add_argument("--jdk17", default="/usr/lib/jvm/java-17-openjdk-amd64")
    parser.add_argument("--jdk21", default=None, help="a JDK 21 home, to add Berth on 21 with and without CDS")
    parser.add_argument("--jdk25", default="/usr/lib/jvm/temurin-25-jdk-amd64")
    parser.add_argument("--long-requests", type=int, default=200,
                        help="requests to the measured page in the aot-long training run")
    parser.add_argument("--only", default=None, help="comma list of variant keys (plain17 is always measured)")
    parser.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    args = parser.parse_args()
    wars = [w.strip() for w in args.wars.split(",") if w.strip()]
    for w in wars:
        if w not in WARS or not os.path.exists(WARS[w][0]):
            raise SystemExit("WAR %s missing: build with `mvn -B -f bench/pom.xml package -pl webapp,plain-jetty`, "
                             "`mvn -B package -DskipTests` and `mvn -B dependency:copy@third-party-wars`" % w)
    for d in ("archives", "logs", "run"):
        os.makedirs(os.path.join(WORK, d), exist_ok=True)
    setup = Setup(args)
    for jdk, java in setup.java.items():
        if not os.access(java, os.X_OK):
            raise SystemExit("no JDK %s at %s" % (jdk, java))
    shutil.copy(os.path.join(ROOT, "target", "berth.jar"), setup.jar)
    shutil.copy(os.path.join(BENCH, "plain-jetty", "target", "plain-jetty.jar"), setup.plain)
    all_variants = variants(setup.java.keys())
    if args.only:
        keep = set(args.only.split(",")) | {"plain17"}
        all_variants = [v for v in all_variants if v.key in keep]

    with open(setup.jar, "rb") as f:
        jar_sha = hashlib.sha256(f.read()).hexdigest()[:12]
    data = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "nproc": os.cpu_count(),
            "rounds": args.rounds, "wars": wars, "java": {k: java_version(j) for k, j in setup.java.items()},
            "jar_sha256": jar_sha, "uptime_before": uptime(), "trainings": [], "checks": [], "round_load": [],
            "samples": {w: {v.key: [] for v in all_variants} for w in wars}, "timed_run_messages": {}}
    log(data["uptime_before"])
    try:
        for v in [v for v in all_variants if v.archive]:
            for w in wars:
                shared = same_archive(setup, v, w, all_variants) if v.flags else None
                if shared:
                    setup.archives[(v.key, w)] = shared
                    continue
                record = train(setup, v, w, args.long_requests)
                if record:
                    data["trainings"].append(record)
                data["checks"].append(verify(setup, v, w))
                c = data["checks"][-1]
                log("check %s %s: served %s, %d of %d classes from the archive" % (
                    v.key, w, c["served"], c["shared"], c["loaded"]))
        for r in range(args.rounds + 1):
            load = os.getloadavg()[0]
            if r > 0:
                data["round_load"].append(load)
            for w in wars:
                shift = r % len(all_variants)
                for v in all_variants[shift:] + all_variants[:shift]:
                    sample = measure_once(setup, v, w, "r%d" % r)
                    for k, n in sample.pop("messages").items():
                        key = "%s %s" % (v.key, k)
                        data["timed_run_messages"][key] = data["timed_run_messages"].get(key, 0) + n
                    if r > 0:
                        data["samples"][w][v.key].append(sample)
                    log("round %d%s %s %s: %.0f ms, CPU %.2f s, %.0f MiB (load %.1f)" % (
                        r, " (warm-up)" if r == 0 else "", w, v.key, sample["ms"], sample["cpu"], sample["rss"], load))
    finally:
        for child in list(LIVE.values()):
            stop(child, timeout=10)
    data["uptime_after"] = uptime()
    log(data["uptime_after"])
    command = "python3 bench/aot/measure.py" + ("" if len(sys.argv) == 1 else " " + " ".join(sys.argv[1:]))
    rows = summarise(data, all_variants)
    block = render(data, all_variants, rows, command)
    write_results(args.out, block)
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        f.write(json.dumps(data, indent=1).replace(ROOT + "/", ""))   # paths relative to the repository
    sys.stdout.write(block)


if __name__ == "__main__":
    main()
