"""diagnose (not timed with the rest): runs with -Xlog:class+load,startuptime count the classes loaded before the
first health and application 200 by origin, and the JVM uptime when milestone classes load; `berth.jar --version`
against `--print-config` gives the cost of the configuration load."""

import os
import re
import subprocess
import time

from berthbench import probe
from harness.context import HOST, START_TIMEOUT
from harness.launchers import BERTH_JAR

NAME = "diagnose"
KEYS = ("berth", "plain", "hello")      # the launchers it looks into

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

# class-name prefix -> group, first match wins
GROUPS = [("dev.berth.bench.app.", "the WAR"), ("dev.berth.", "Berth / bench main"),
          ("io.smallrye.", "SmallRye / MicroProfile Config"), ("org.eclipse.microprofile.", "SmallRye / MicroProfile Config"),
          ("org.jboss.logging", "SmallRye / MicroProfile Config"),
          ("org.eclipse.jetty.ee11.apache.jsp", "JSP (Jasper, ECJ)"), ("org.apache.jasper", "JSP (Jasper, ECJ)"),
          ("org.apache.tomcat", "JSP (Jasper, ECJ)"), ("org.eclipse.jdt", "JSP (Jasper, ECJ)"),
          ("org.apache.el", "JSP (Jasper, ECJ)"), ("jakarta.el", "JSP (Jasper, ECJ)"),
          ("jakarta.servlet.jsp", "JSP (Jasper, ECJ)"),
          ("org.eclipse.jetty.ee11.websocket", "WebSocket"), ("org.eclipse.jetty.websocket", "WebSocket"),
          ("jakarta.websocket", "WebSocket"),
          ("org.eclipse.jetty.ee11.annotations", "annotations (ASM)"), ("org.objectweb.asm", "annotations (ASM)"),
          ("org.eclipse.jetty.ee11", "Jetty ee11 (servlet, webapp)"), ("org.eclipse.jetty.ee.", "Jetty ee11 (servlet, webapp)"),
          ("jakarta.", "Jakarta APIs"), ("org.eclipse.jetty", "Jetty core"), ("org.slf4j", "SLF4J")]


def measure(run, launcher, runs, tag):
    """-Xlog:class+load with uptime: what the JVM loads before the first health 200 and the first app 200."""
    out = []
    for i in range(runs):
        port = run.ports.take()
        logpath = os.path.join(run.logs, "%s-classload-%s-%d.txt" % (launcher.key, tag, i))
        diag = launcher.derive(java_opts=launcher.java_opts +
                               ["-Xlog:class+load=info,startuptime=info:file=%s:uptime" % logpath])
        t0 = time.monotonic()
        proc, _ = run.start(diag, "%s-diag-%d" % (launcher.key, i), port=port)
        health = probe.first_200(port, "/health/live", t0 + START_TIMEOUT, proc) if launcher.health else None
        app = probe.first_200(port, "/hello", t0 + START_TIMEOUT, proc)
        run.stop(proc)
        out.append(classify(logpath, None if health is None else health - t0, None if app is None else app - t0))
    return out


def classify(path, health_s, app_s):
    """Counts classes by group up to the first health 200 and the first app 200 (uptime <= time since spawn)."""
    line_re = re.compile(r"^\[([\d.]+)s\] (\S+) source: (.*)$")
    milestone_names = dict(MILESTONES)
    groups_health, groups_app, milestones = {}, {}, {}
    total_health = total_app = 0
    try:
        with open(path, errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return {"error": "no class-load log"}
    for line in lines:
        m = line_re.match(line)
        if not m:
            continue
        t, name, source = float(m.group(1)), m.group(2), m.group(3)
        if name in milestone_names and name not in milestones:
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
    for prefix, group in GROUPS:
        if name.startswith(prefix):
            return group
    return "other"


def config_cost(run, runs):
    """Wall time of `berth --version` (JVM + command line only) and `--print-config` (plus the whole configuration
    load: SmallRye Config, mapping, validation), interleaved."""
    out = {"version_ms": [], "print_config_ms": []}
    for _ in range(runs):
        for key, extra in (("version_ms", ["--version"]),
                           ("print_config_ms", ["--print-config", "--host=" + HOST, "--port=1", "--fallback-ports="])):
            t0 = time.monotonic()
            subprocess.run(["java", "-jar", BERTH_JAR] + extra, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=60, cwd=run.workdir("."))
            out[key].append((time.monotonic() - t0) * 1000.0)
    return out
