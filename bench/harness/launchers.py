"""What is compared: each launcher is a command line that serves the bench WAR on a port.

berth, plain, hello, tomcat and dist are the goals' subjects; the Berth variants show one setting each; the
archive rows (CDS, JDK 25's AOT cache) exist when their archives were made (see archives.py).
"""

import copy
import hashlib
import os
import re
import shutil
import subprocess
import time
import zipfile

from berthbench import berth
from harness.context import BENCH, HOST, ROOT, TARGET

BERTH_JAR_BUILT = os.path.join(ROOT, "target", "berth.jar")
BERTH_JAR = os.path.join(TARGET, "berth.jar")      # a snapshot taken at start: others may rebuild target/
WAR = os.path.join(BENCH, "webapp", "target", "bench-app.war")
PLAIN_JAR = os.path.join(BENCH, "plain-jetty", "target", "plain-jetty.jar")
TOMCAT_JAR = os.path.join(BENCH, "tomcat", "target", "tomcat-embedded.jar")
JETTY_HOME_VERSION = "12.1.12"
JETTY_HOME = os.path.join(BENCH, "jetty-dist", "target", "jetty-home-" + JETTY_HOME_VERSION)
JETTY_VERSION = "12.1.14"
TOMCAT_VERSION = "11.0.27"
DIST_MODULES = "http,ee11-deploy,ee11-annotations,ee11-jsp,ee11-websocket-jakarta"
IMAGE_FLAGS = ["-XX:MaxRAMPercentage=75"]     # what the Dockerfile's ENTRYPOINT gives every Berth start

CORE_PHASES = ("startup", "inflight", "handover", "throughput")

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


class Launcher:
    """A command line and what the phases need to know about it: which phases take it, whether it deploys the
    bench WAR (app), has Berth's /health/live (health), writes an access log (its format)."""

    def __init__(self, key, label, version, build, app=True, health=False, java_opts=(), phases=None, java="java",
                 prefix=(), access_log=None):
        self.key = key
        self.phases = set(phases or CORE_PHASES)
        self.label = label
        self.version = version
        self._build = build            # port, war -> argv after java + java_opts
        self.app = app
        self.health = health
        self.java_opts = list(java_opts)
        self.java = java               # the java binary
        self.prefix = list(prefix)     # before java (taskset)
        self.access_log = access_log   # "text" or "json" when it writes one

    def command(self, port, war=None):
        return self.prefix + [self.java] + self.java_opts + self._build(port, war or WAR)

    def derive(self, **changes):
        """A copy with some attributes changed (same command builder)."""
        other = copy.copy(self)
        for name, value in changes.items():
            setattr(other, name, value)
        return other

    def describe(self):
        """What the results record of it."""
        return {"key": self.key, "label": self.label, "version": self.version, "phases": sorted(self.phases),
                "command": " ".join(self.command("PORT"))}


def berth_build(flags=()):
    def build(port, war):
        return berth.command(BERTH_JAR, port, *flags, war=war)[1:]     # after the java binary
    return build


def access_log_format(flags, java_opts=()):
    """The access-log format a Berth start writes (text by default), or None when it is off."""
    format_ = "text"
    for arg in list(java_opts) + list(flags):
        m = re.match(r"(?:--access-log|-Dberth\.access-log(?:\.format)?)=(\w+)$", arg)
        if m:
            format_ = m.group(1).lower()
    return None if format_ == "off" else format_


def launchers(jetty_base, berth_version, cds_dir=None, aot=None):
    """The compared launchers (berth, plain, hello, tomcat, dist: the goals) and variants showing one setting each."""
    tomcat_bases = os.path.join(TARGET, "tomcat-base")

    def plain(port, war):
        return ["-jar", PLAIN_JAR, "war", HOST, str(port), war]

    def hello(port, war):
        return ["-jar", PLAIN_JAR, "hello", HOST, str(port)]

    def tomcat(port, war):
        base = os.path.join(tomcat_bases, "p%s" % port)   # fresh per start: Tomcat expands the WAR here
        shutil.rmtree(base, ignore_errors=True)
        return ["-jar", TOMCAT_JAR, HOST, str(port), war, base]

    def dist(port, war):   # the bench WAR only: it is jetty.base's webapps/ROOT.war
        return ["-jar", os.path.join(JETTY_HOME, "start.jar"), "jetty.home=" + JETTY_HOME, "jetty.base=" + jetty_base,
                "jetty.http.host=" + HOST, "jetty.http.port=%s" % port]

    bv = berth_version
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
    for launcher in result:
        launcher.health = launcher.key.startswith("berth")
    if cds_dir:
        result.append(Launcher("berth-cds", "Berth + AppCDS archive (--train)", bv, berth_build(), health=True,
                               java_opts=["-XX:SharedArchiveFile=" + os.path.join(cds_dir, "berth.jsa")],
                               phases=["startup"]))
        result.append(Launcher("plain-cds", "plain Jetty + AppCDS archive", jv, plain,
                               java_opts=["-XX:SharedArchiveFile=" + os.path.join(cds_dir, "plain.jsa")],
                               phases=["startup"]))
    if aot and aot.get("archive"):
        result.append(Launcher("berth-aot25", "Berth on JDK 25 + AOT cache (--train)", "%s on %s" % (bv, aot["version"]),
                               berth_build(), health=True, java=aot["java"], phases=["startup"],
                               java_opts=["-XX:AOTCache=" + aot["archive"]] + IMAGE_FLAGS))
    if aot:
        result.append(Launcher("plain25", "plain Jetty on JDK 25, no archive", "%s on %s" % (jv, aot["version"]), plain,
                               java=aot["java"], phases=["startup"]))
    return result


def missing_builds():
    """The files bench/run.sh builds that are not there."""
    return [p for p in (BERTH_JAR_BUILT, WAR, PLAIN_JAR, TOMCAT_JAR, os.path.join(JETTY_HOME, "start.jar"))
            if not os.path.exists(p)]


def snapshot_berth():
    """Copies target/berth.jar once, so a rebuild of Berth during the run cannot change or break what is measured.
    Returns the first 12 hex digits of its SHA-256."""
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


def berth_version():
    """What the snapshot's --version says, with the Jetty version."""
    try:
        out = subprocess.run(["java", "-jar", BERTH_JAR, "--version"], capture_output=True, text=True, timeout=60)
        return out.stdout.strip() + " (Jetty %s)" % JETTY_VERSION
    except (OSError, subprocess.SubprocessError):
        return "Berth (version unknown)"


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
