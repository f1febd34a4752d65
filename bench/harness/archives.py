"""Class archives made before the rounds: dynamic AppCDS archives (JDK 13+) and JDK 25's AOT cache (JEP 514)."""

import os
import re
import subprocess
import time

from berthbench import probe
from harness.context import HOST, START_TIMEOUT, log
from harness.launchers import BERTH_JAR, PLAIN_JAR, WAR

JDK25 = os.environ.get("BENCH_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64")


def train_cds(run, cds_dir):
    """Berth's own --train run writes its archive; for plain Jetty a start, a few requests, SIGTERM."""
    os.makedirs(cds_dir, exist_ok=True)
    archive = fresh(os.path.join(cds_dir, "berth.jsa"))
    proc = run.spawn(["java", "-XX:ArchiveClassesAtExit=" + archive, "-jar", BERTH_JAR, "--train", "--host=" + HOST,
                      "--port=%d" % run.ports.take(), "--fallback-ports=", WAR], "cds-train-berth", run.workdir("."))
    code = run.children.reap(proc, 180).code
    if code != 0 or not os.path.exists(archive):
        raise RuntimeError("Berth --train failed (exit %s; see bench/target/logs/cds-train-berth.log)" % code)
    log("AppCDS archive %s: %.1f MiB" % (archive, os.path.getsize(archive) / 1048576))
    archive = fresh(os.path.join(cds_dir, "plain.jsa"))
    port = run.ports.take()
    proc = run.spawn(["java", "-XX:ArchiveClassesAtExit=" + archive, "-jar", PLAIN_JAR, "war", HOST, str(port), WAR],
                     "cds-train-plain", run.workdir("."))
    ok = probe.first_200(port, "/hello", time.monotonic() + START_TIMEOUT, proc)
    for path in ("/hello", "/xml", "/"):
        probe.status(port, path)
    run.stop(proc)
    if not ok or not os.path.exists(archive):
        raise RuntimeError("AppCDS training run for plain Jetty failed (see bench/target/logs/cds-train-plain.log)")
    log("AppCDS archive %s: %.1f MiB" % (archive, os.path.getsize(archive) / 1048576))


def jdk25():
    """{"java", "home", "version", "java_version"} of the JDK 25 at BENCH_JDK25, or None when there is none."""
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


def train_aot(run, aot, aot_dir):
    """JDK 25's AOT cache of Berth serving the bench WAR, from a `--train` run as the Dockerfile makes it (there
    with the status page; here with the WAR, as the README tells an application image to do). Records the failure
    in aot instead of raising: the rest of the run does not depend on it."""
    os.makedirs(aot_dir, exist_ok=True)
    archive = fresh(os.path.join(aot_dir, "berth.aot"))
    fresh(archive + ".config")
    cmd = [aot["java"], "-XX:AOTCacheOutput=" + archive, "-jar", BERTH_JAR, "--train", "--host=" + HOST,
           "--port=%d" % run.ports.take(), "--fallback-ports=", WAR]
    aot["train_command"] = " ".join(cmd)
    begin = time.monotonic()
    proc = run.spawn(cmd, "aot-train-berth", run.workdir("."))
    code, _, killed = run.children.reap(proc, 600)
    aot["train_seconds"] = round(time.monotonic() - begin, 1)
    if code != 0 or killed or not os.path.exists(archive):
        aot["error"] = "Berth --train on JDK 25 failed (exit %s; see bench/target/logs/aot-train-berth.log)" % code
        log(aot["error"])
        return aot
    aot["archive"] = archive
    aot["archive_mib"] = round(os.path.getsize(archive) / 1048576, 1)
    log("AOT cache %s: %.1f MiB, trained in %.0f s" % (archive, aot["archive_mib"], aot["train_seconds"]))
    return aot


def fresh(path):
    """The path, with what an earlier run left there removed."""
    if os.path.exists(path):
        os.remove(path)
    return path
