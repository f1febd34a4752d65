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
Processes are started and stopped by pid; every wait has a deadline. The results go to bench/results/aot.json,
and the report bench/results/aot.md is made from that file.

  python3 bench/aot/measure.py                          # bench WAR and hawtio, 10 rounds (7 min on 2 quiet cores)
  python3 bench/aot/measure.py --wars bench --rounds 2  # smoke test
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import HOST, RESULTS, berth, log, probe, processes, report, stats  # noqa: E402
from berthbench.ports import PortPool  # noqa: E402
from berthbench.processes import Children  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
WORK = os.path.join(BENCH, "target", "aot")
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
GOAL = 0.60

# name -> (WAR, the application page whose first 200 is timed)
WARS = {
    "bench": (os.path.join(BENCH, "webapp", "target", "bench-app.war"), "/hello"),
    "hawtio": (os.path.join(ROOT, "target", "third-party-wars", "hawtio-war.war"), "/index.html"),
    "jspwiki": (os.path.join(ROOT, "target", "third-party-wars", "jspwiki-war.war"), "/"),
}

# the flags the Dockerfile's ENTRYPOINT gives every Berth start besides the archive
IMAGE_FLAGS = ["-XX:MaxRAMPercentage=75"]


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


# ---------------------------------------------------------------- commands

class Setup:
    """The JDKs, the snapshots of the jars, the archives made, and the ports and children of the run."""

    def __init__(self, args):
        self.java = {"17": args.jdk17, "25": args.jdk25}
        if args.jdk21:
            self.java["21"] = args.jdk21
        self.java = {k: os.path.join(v, "bin", "java") for k, v in self.java.items()}
        self.jar = os.path.join(WORK, "berth.jar")          # a snapshot: a rebuild of target/ cannot change it
        self.plain = os.path.join(WORK, "plain-jetty.jar")
        self.archives = {}                                  # (variant key, war name) -> archive path
        self.ports = PortPool()
        self.children = Children(log=log)

    def spawn(self, command, log_path):
        return self.children.spawn(command, log_path, cwd=os.path.join(WORK, "run"))

    def stop(self, child, timeout=STOP_TIMEOUT):
        """SIGTERM, then SIGKILL after the timeout: the exit code."""
        return self.children.stop(child, timeout).code

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
        return berth.command(self.jar, port, war=war_path, java=java, jvm=flags + variant.flags + list(extra) + IMAGE_FLAGS)

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
        port = setup.ports.take()
        command = berth.command(setup.jar, port, "--access-log=off", war=WARS[war][0], java=setup.java[variant.jdk],
                                jvm=["-XX:AOTCacheOutput=" + archive] + IMAGE_FLAGS)
        child = setup.spawn(command, log_path)
        if probe.first_200(port, WARS[war][1], time.monotonic() + START_TIMEOUT, child) is None:
            setup.stop(child)
            raise SystemExit("training start failed: see " + log_path)
        for _ in range(long_requests):
            probe.status(port, WARS[war][1], timeout=10)
        code = setup.stop(child, timeout=600)
    else:
        command = setup.train_command(variant, war, archive)
        code = setup.children.reap(setup.spawn(command, log_path), 900).code
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
    port = setup.ports.take()
    class_log = os.path.join(WORK, "logs", "verify-%s-%s.classes" % (variant.key, war))
    strict = "-Xshare:on" if variant.archive == "cds" else "-XX:AOTMode=on"
    command = setup.run_command(variant, war, port, [strict, "-Xlog:class+load=info:file=" + class_log])
    log_path = os.path.join(WORK, "logs", "verify-%s-%s.log" % (variant.key, war))
    start = probe.cold_start(lambda: setup.spawn(command, log_path), port, [("app", WARS[war][1])], START_TIMEOUT)
    served = start.marks.get("app")
    setup.stop(start.proc)
    shared = total = 0
    with open(class_log, errors="replace") as lines:
        for line in lines:
            total += 1
            if "source: shared objects file" in line:
                shared += 1
    return {"variant": variant.key, "war": war, "served": served is not None, "shared": shared, "loaded": total,
            "messages": archive_messages(log_path)}


def measure_once(setup, variant, war, tag):
    """One cold start: ms to the first 200 of the WAR's page, and the RSS (MiB) and CPU time (s) then."""
    port = setup.ports.take()
    command = setup.run_command(variant, war, port)
    log_path = os.path.join(WORK, "logs", "%s-%s-%s.log" % (variant.key, war, tag))
    at_200 = {}

    def ready(child):
        at_200.update(rss=processes.rss_mib(child.pid), cpu=processes.cpu_seconds(child.pid))

    start = probe.cold_start(lambda: setup.spawn(command, log_path), port, [("app", WARS[war][1])], START_TIMEOUT, ready)
    setup.stop(start.proc)
    if "app" not in start.marks:
        raise SystemExit("no 200 from %s within %.0f s: see %s" % (WARS[war][1], START_TIMEOUT, log_path))
    return {"ms": start.marks["app"], "rss": at_200["rss"], "cpu": at_200["cpu"], "messages": archive_messages(log_path)}


# ---------------------------------------------------------------- report

def java_version(java):
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()
    return out[1].strip() if len(out) > 1 else out[0]


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def summarise(data):
    """Per WAR and variant: medians and ranges of time, RSS and CPU, ratios to plain Jetty and paired ratios."""
    rows = {}
    for war in data["wars"]:
        base = data["samples"][war]["plain17"]
        base_ms, base_cpu = stats.median([b["ms"] for b in base]), stats.median([b["cpu"] for b in base])
        for key, samples in data["samples"][war].items():
            times, rss, cpu = ([x[f] for x in samples] for f in ("ms", "rss", "cpu"))
            paired = stats.spread([x["ms"] / b["ms"] for x, b in zip(samples, base)])
            row = {"ratio": stats.median(times) / base_ms, "cpu_ratio": stats.median(cpu) / base_cpu,
                   "paired": paired["median"], "paired_min": paired["min"], "paired_max": paired["max"]}
            for name, values in (("ms", times), ("rss", rss), ("cpu", cpu)):
                row.update({name: stats.median(values), name + "_min": min(values), name + "_max": max(values)})
            rows[(war, key)] = row
    return rows


def war_line(data, war):
    """How the report names a WAR: its path, its size when the run recorded it, the page timed."""
    info = data.get("war_info", {}).get(war) or {"path": os.path.relpath(WARS[war][0], ROOT), "page": WARS[war][1]}
    size = info.get("bytes")
    size = "" if size is None else ", %.1f MiB" % (size / 1048576.0) if size >= 1048576 else ", %.1f KiB" % (size / 1024.0)
    return "**%s** (`%s`%s), first 200 of `%s`:" % (war, info["path"], size, info["page"])


def render(data):
    """The report, from the results JSON alone (runs before issue 24 recorded neither the variants' labels, the
    WARs' sizes nor the command: the labels come from variants(), the sizes are left out)."""
    labels = {v["key"]: v["label"] for v in data.get("variants", [])} or {
        v.key: v.label for v in variants(data["java"].keys())}
    keys = [k for k in labels if k in data["samples"][data["wars"][0]]]
    rows = summarise(data)
    lines = ["# Berth's cold start: JDK 25 AOT cache against CDS", "",
             "Measured %s on %d cores by `%s`; %d interleaved rounds after a warm-up round (order rotated each "
             "round); medians, (min–max). Ratio = median ÷ the median of plain embedded Jetty on JDK 17 without an "
             "archive with the same WAR; *paired* = median of the per-round ratios (each round's run ÷ the same "
             "round's plain Jetty run). Goal: ≤ %.2f× (on the wall time). CPU = user + system time of the JVM's "
             "threads when the 200 arrived, less stretched by the load than the wall time." % (
                 data["date"], data["nproc"], data.get("command", "python3 bench/aot/measure.py"), data["rounds"],
                 GOAL), ""]
    for war in data["wars"]:
        table_rows = []
        for key in keys:
            r = rows[(war, key)]
            verdict = "baseline" if key == "plain17" else ("PASS" if r["ratio"] <= GOAL else "MISS")
            table_rows.append([labels[key], "%.0f (%.0f–%.0f)" % (r["ms"], r["ms_min"], r["ms_max"]), "%.2f×" % r["ratio"],
                               "%.2f× (%.2f–%.2f)" % (r["paired"], r["paired_min"], r["paired_max"]), verdict,
                               "%.2f (%.2f–%.2f)" % (r["cpu"], r["cpu_min"], r["cpu_max"]), "%.2f×" % r["cpu_ratio"],
                               "%.0f (%.0f–%.0f)" % (r["rss"], r["rss_min"], r["rss_max"])])
        lines += [war_line(data, war), ""] + report.table(
            ["variant", "first app 200 ms", "ratio", "paired", "goal ≤ %.2f×" % GOAL, "CPU s at 200", "CPU ratio",
             "RSS at 200 MiB"], table_rows, "lrrrcrrr") + [""]
    checks = {(c["variant"], c["war"]): c for c in data["checks"]}
    archive_rows = []
    for t in data["trainings"]:
        wars = data["wars"] if t["war"].startswith("(none") else [t["war"]]
        counted = "; ".join("%s %d / %d%s" % (w, checks[(t["variant"], w)]["shared"], checks[(t["variant"], w)]["loaded"],
                                                "" if checks[(t["variant"], w)]["served"] else " (NOT SERVED)")
                            for w in wars if (t["variant"], w) in checks)
        archive_rows.append([t["variant"], t["war"], "%.1f" % t["seconds"], "%.1f" % t["archive_mib"], counted])
    lines += ["Archives (training wall time includes the JDK 25 child JVM that assembles the AOT cache):", ""]
    lines += report.table(["archive", "trained with", "training s", "size MiB",
                           "classes from the archive / loaded (check run)"], archive_rows, "llrrl")
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
            data["uptime_before"], data["uptime_after"], min(data["round_load"]), max(data["round_load"]))]
    return "\n".join(lines) + "\n"


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
    parser.add_argument("--out", default=RESULTS, help="results directory: aot.json and aot.md (default bench/results)")
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
            "command": "python3 bench/aot/measure.py" + ("" if len(sys.argv) == 1 else " " + " ".join(sys.argv[1:])),
            "rounds": args.rounds, "wars": wars, "java": {k: java_version(j) for k, j in setup.java.items()},
            "variants": [{"key": v.key, "label": v.label} for v in all_variants],
            "war_info": {w: {"path": os.path.relpath(WARS[w][0], ROOT), "page": WARS[w][1],
                             "bytes": os.path.getsize(WARS[w][0])} for w in wars},
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
        setup.children.stop_all(timeout=10)
    data["uptime_after"] = uptime()
    log(data["uptime_after"])
    for record in data["trainings"]:               # paths relative to the repository
        record["command"] = report.relative(record["command"], ROOT)
    sys.stdout.write(report.write(args.out, "aot", data, render))


if __name__ == "__main__":
    main()
