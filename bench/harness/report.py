"""latest.md, made from the run's JSON file only ({"data", "summary", "goals"}): one function a section, in the
order of SECTIONS. A later phase adds its section function there."""

import json
import re

from berthbench import report
from berthbench.report import mib, num, spread as fmt, table, times, verdict
from berthbench.stats import median as med, ratio, spread
from harness import diagnose, injvm, small
from harness.context import HOST
from harness.launchers import IMAGE_FLAGS
from harness.summary import tp_paths


class Results:
    """The JSON's parts, and what every section looks up in them."""

    def __init__(self, results, chart=None):
        self.data, self.s, self.goals = results["data"], results["summary"], results["goals"]
        self.chart = chart
        self.keys = [launcher["key"] for launcher in self.data["launchers"]]
        self.labels = {launcher["key"]: launcher["label"] for launcher in self.data["launchers"]}
        self.phases = {launcher["key"]: set(launcher.get("phases", [])) for launcher in self.data["launchers"]}
        self.root = checkout_root(self.data)

    def relative(self, text):
        return report.relative(text, self.root)


def checkout_root(data):
    """Where the run's checkout was (recorded since the harness was split; read off Berth's command before)."""
    if data.get("root"):
        return data["root"]
    for launcher in data["launchers"]:
        m = re.search(r"(\S*)/bench/target/berth\.jar", launcher["command"])
        if m:
            return m.group(1)
    return None


def render(results, chart=None):
    """The Markdown of latest.md; chart is the file name of the chart beside it, if there is one."""
    r = Results(results, chart)
    lines = []
    for section in SECTIONS:
        lines += section(r)
    return "\n".join(lines)


def intro(r):
    data = r.data
    return ["# Berth benchmark results", "",
            "Measured %s by `bench/harness/bench.py` (issues 7 and 15). Reproduce: `%s`." % (
                data["date"], data.get("command", "bash bench/run.sh")),
            "Goals are judged on the ratio of the medians; *paired per round* is the median (min–max) of the ratios "
            "of runs made next to each other in the same round, which cancels more of the machine's drift.", "",
            "Medians with (min–max) over %d interleaved rounds after one warm-up round; each start is a fresh "
            "`java -jar` process with default JVM flags (no -Xmx), on %s; ratios are against plain embedded Jetty "
            "from the same run." % (data["config"]["rounds"], HOST), ""]


def summary(r):
    """The overview table (it was the README's, rewritten by every full run until the reports came from JSON)."""
    s = r.s
    ref = s.get("plain", {})

    def rps(x, path):
        a, b = x.get("tp", {}).get(path, {}).get("rps"), ref.get("tp", {}).get(path, {}).get("rps")
        return "–" if not a else "%.0f (%s)" % (a["median"], times(ratio(a, b)))

    rows = []
    for k in [k for k in r.keys if k in ("berth", "plain", "hello", "tomcat", "dist", "berth-aot25")]:
        x = s[k]
        rows.append([r.labels[k], "–" if not x["health_ms"] else "%.0f ms" % x["health_ms"]["median"],
                     "%s (%s)" % ("–" if not x["app_ms"] else "%.0f ms" % x["app_ms"]["median"],
                                  times(ratio(x["app_ms"], ref.get("app_ms")))),
                     "%.0f (%s)" % (x["rss_ready"]["median"] if x["rss_ready"] else 0,
                                    times(ratio(x["rss_ready"], ref.get("rss_ready")))),
                     rps(x, "/hello"), rps(x, "/body"),
                     "%s / %s" % ("–" if not x["stop_idle_ms"] else "%.0f ms" % x["stop_idle_ms"]["median"],
                                  "–" if not x["stop_inflight_ms"] else "%.0f ms" % x["stop_inflight_ms"]["median"])])
    return ["## Summary", "", "Medians (nproc %s), and in parentheses the ratio to plain embedded Jetty from the same "
            "run; the sections below give the range, the paired ratios and the method." % r.data["machine"].get("nproc"),
            ""] + table(["launcher", "first health 200", "first app 200", "RSS ready MiB", "req/s /hello", "req/s /body",
                         "SIGTERM → exit idle / in flight"], rows) + [""]


def goals(r):
    return ["## Goals (issues 7 and 15)", ""] + table(
        ["goal", "measured", "target", "result", "detail"],
        [[g["goal"], g["value"], g["limit"], "**%s**" % verdict(g["pass"]), g["detail"]] for g in r.goals],
        "lrrll") + [""]


def startup(r):
    s, data = r.s, r.data
    rows = []
    for k in r.keys:
        if "startup" not in r.phases[k]:
            continue
        x = s[k]
        app = k != "hello"
        rows.append([r.labels[k], fmt(x["port_ms"], " ms"), fmt(x["health_ms"], " ms"),
                     times(ratio(x["health_ms"], s["hello"]["app_ms"])) if x["health_ms"] else "–", fmt(x["app_ms"], " ms"),
                     times(ratio(x["app_ms"], s["plain"]["app_ms"])) if app else "–", fmt(x["rss_ready"], "", 0),
                     fmt(x["rss_load"], "", 0), times(ratio(x["rss_ready"], s["plain"]["rss_ready"])) if app else "–",
                     "%d" % x["startup_failures"]])
    lines = ["## Startup (fresh process each run)", ""] + table(
        ["launcher", "port accepts", "first health 200", "÷ hello-world 200", "first app 200", "÷ plain Jetty",
         "RSS ready MiB", "RSS after %d s load MiB" % data["config"]["load_seconds"], "RSS ready ÷ plain",
         "failed starts"], rows)
    lines += ["", "The hello-world row is plain Jetty with a trivial core `Handler` and no WAR: the floor for Berth's "
              "first health answer. For Berth, *port accepts* is when its connector is bound (before Jetty starts), "
              "and a request for the application that arrives while the WAR deploys is held and answered once it "
              "serves, so *first app 200* is when the application took over."]
    if s.get("berth", {}).get("deploy_log_ms"):
        lines.append("Berth's own log says the WAR deployed in %s after the port was bound." %
                     fmt(s["berth"]["deploy_log_ms"], " ms"))
    if "berth-nojmx" in s and s["berth-nojmx"].get("health_ms"):
        lines.append("*%s*: Jetty's `MemoryUtils` (first used by `QueuedThreadPool`) starts the platform MBean server "
                     "(~220 JMX/JFR classes) only to read `UseCompressedOops`, unless the system property "
                     "`org.eclipse.jetty.util.referencesPerCacheLine` is set; this row sets it." % r.labels["berth-nojmx"])
    cc = data.get("config_cost")
    if cc and cc.get("version_ms"):
        v, pc = spread(cc["version_ms"]), spread(cc["print_config_ms"])
        lines.append("Configuration cost: `berth.jar --version` (JVM start, command line) exits in %s, `--print-config` "
                     "(the same plus the full SmallRye Config load, mapping and validation) in %s: the configuration "
                     "costs about %.0f ms before anything is bound." % (fmt(v, " ms"), fmt(pc, " ms"),
                                                                        pc["median"] - v["median"]))
    return lines + [""]


def throughput(r):
    s, data = r.s, r.data
    if not data.get("throughput", {}).get("bursts"):
        return []
    cfg = data["config"]
    lines = ["## Steady state: `wrk -t2 -c32 --latency` on %s, all servers up at once" % " and ".join(tp_paths(data)), "",
             "%d rounds; each round one %d s burst per page and server (page by page, servers in turn: A B C … on "
             "/hello, then A B C … on /body; the order rotates by one server each round: B C … A in round 2), after %d "
             "discarded warm-up rounds of the same bursts (the JIT needs about 15 s of load to settle). `/hello` answers "
             "a few bytes; `/body` writes 16 KiB through the servlet output stream without a Content-Length. *CPU "
             "µs/request* is the server process's user + system time (/proc/PID/stat, all threads: request threads, GC, "
             "JIT, the access-log writer) during a burst divided by the requests wrk completed in it. *RSS after* is "
             "measured once, after all the bursts." % (cfg["tp_rounds"], cfg["burst"], cfg.get("tp_warmup", 1)), ""]
    for path in tp_paths(data):
        rows = []
        for k in r.keys:
            x = s[k]["tp"].get(path)
            if not x or x["rps"] is None:
                continue
            rows.append([r.labels[k], fmt(x["rps"]), times(ratio(x["rps"], s["plain"]["tp"].get(path, {}).get("rps"))),
                         fmt(x["paired_vs_plain"], "×", 2), fmt(x["p50"], "", 2), fmt(x["p99"], "", 2),
                         fmt(x["cpu_us"], "", 1), "%d" % x["errors"], mib(s[k]["rss_after_tp"])])
        lines += ["### %s" % path, ""] + table(
            ["launcher", "req/s", "ratio to plain Jetty (of medians)", "paired per round", "p50 ms", "p99 ms",
             "CPU µs/request", "errors", "RSS after MiB"], rows) + [""]
    return lines + access_log(r)


def access_log(r):
    data = r.data
    access = data["throughput"].get("access_log", {})
    if not access:
        return []
    paths = tp_paths(data)
    lines = ["### Access-log lines under load", "",
             "Counted in each log file after the throughput phase stopped the servers (so the writers flushed), "
             "against the requests wrk reported as completed over all bursts to that server, warm-up included. "
             "The server answers slightly more than wrk counts (requests in flight when a burst ends, and the "
             "harness's readiness probes), so *lines − requests* is a small positive number when nothing was lost.", "",
             "| launcher | format | " + " | ".join("%s lines | %s requests | lines − requests" % (q, q) for q in paths)
             + " | dropped notices (lines) | log |",
             "|---|---|" + "---:|---:|---:|" * len(paths) + "---:|---|"]
    for k, x in access.items():
        if x.get("error"):
            lines.append("| %s | %s | %s |" % (r.labels.get(k, k), x["format"], x["error"]))
            continue
        lines.append("| %s | %s | " % (r.labels.get(k, k), x["format"]) + " | ".join(
            "%d | %d | %+d" % (x["lines"][q], x["requests"][q], x["lines"][q] - x["requests"][q]) for q in paths)
            + " | %d (%d) | `%s` |" % (x["drop_notice_count"], x["dropped"], x["log"]))
    return lines + [""]


def small_instance(r):
    data = r.data
    runs = data.get("small", [])
    if not runs and not data.get("small_note"):
        return []
    lines = ["## Small instance: 1 CPU, 512 MB, one server at a time", "",
             "Each server alone, pinned to CPU 0 and told by the JVM flags it has 1 CPU and 512 MB: `%s java %s …` "
             "(MaxRAMPercentage=75 is what the Docker image's ENTRYPOINT passes; the JVM picks its collector and "
             "heap from these). From the spawn to the first 200 of the page, RSS then; then `%s wrk -t1 -c32 "
             "-d%ds --latency` on the page from CPU 1; RSS after the load, whether the process is still alive, "
             "whether its log contains `OutOfMemoryError`; then SIGTERM. One run each." % (
                 " ".join(small.SERVER), " ".join(small.JVM), " ".join(small.WRK), data["config"]["small_seconds"])]
    if data.get("small_note"):
        lines += ["", "**Note:** %s" % data["small_note"]]
    war_labels = {w: "%s (`%s`)" % (label, page) for w, label, _, page in small.WARS}
    rows = [[r.labels.get(x["launcher"], x["launcher"]), war_labels.get(x["war"], x["war"]), num(x.get("first_ms")),
             mib(x.get("rss_ready")), num(x.get("rps")), num(x.get("p50_ms"), 2), num(x.get("p99_ms"), 2),
             small_errors(x), mib(x.get("rss_load")),
             ("yes" if x.get("alive") else "**no**") + (" (%s)" % x["error"] if x.get("error") else ""),
             "**yes**" if x.get("oom") else "no", num(x.get("cpu_us_per_req"), 1),
             "%s / %s" % (x.get("loadavg_before", "?").split()[0], x.get("loadavg_after", "–").split()[0])]
            for x in runs]
    return lines + [""] + table(
        ["launcher", "WAR (page)", "first 200 ms", "RSS ready MiB", "req/s", "p50 ms", "p99 ms", "errors",
         "RSS after MiB", "alive", "OOM", "CPU µs/request", "machine load (1 min) before / after"], rows,
        "llrrrrrrrllrr") + [""]


def small_errors(x):
    """Errors of a small-instance load: total, and by kind when there are any."""
    if x.get("requests") is None:
        return "–"
    kinds = dict((x.get("socket_errors") or {}), non2xx=x.get("non2xx") or 0)
    total = sum(kinds.values())
    return "%d" % total if not total else "**%d** (%s)" % (total, ", ".join("%s %d" % kv for kv in kinds.items() if kv[1]))


def cold_start(r):
    s = r.s
    aot = r.data.get("aot") or {}
    lines = ["## Cold start: the image's choice against plain Jetty without an archive", ""]
    if aot.get("archive"):
        lines.append("JDK 25 at `%s` (%s). The AOT cache (JEP 514) was trained once before the rounds, as the Dockerfile "
                     "does it but with the bench WAR (as the README tells an application image to): `%s` (%.0f s, %.1f "
                     "MiB); Berth then starts with `-XX:AOTCache=… %s`, as the image's ENTRYPOINT. These rows are in the "
                     "startup table above, interleaved with the others." % (
                         aot["home"], aot["version"], r.relative(aot["train_command"]), aot["train_seconds"],
                         aot["archive_mib"], " ".join(IMAGE_FLAGS)))
    else:
        lines.append("No JDK 25 rows in this run: %s." % (aot.get("error") or aot.get("note") or
                                                          "no JDK 25 (BENCH_JDK25) or --no-aot"))
    rows = [[r.labels[k], fmt(s[k]["app_ms"], " ms"), times(ratio(s[k]["app_ms"], s["plain"]["app_ms"])),
             fmt(s[k].get("paired_startup_app_vs_plain"), "×", 2) if k != "plain" else "–", fmt(s[k]["rss_ready"])]
            for k in r.keys if "startup" in r.phases[k] and s[k].get("app_ms") and k != "hello"]
    return lines + [""] + table(["launcher", "first app 200", "÷ plain Jetty (JDK 17, no archive)", "paired per round",
                                 "RSS ready MiB"], rows) + [""]


def stopping(r):
    rows = [[r.labels[k], fmt(x["stop_idle_ms"], " ms"), fmt(x["stop_inflight_ms"], " ms"),
             "%d of %d" % (x["inflight_200"], x["inflight_n"]) if x["inflight_n"] else "–"]
            for k, x in ((k, r.s[k]) for k in r.keys) if x["stop_idle_ms"] or x["stop_inflight_ms"]]
    return ["## Stopping: SIGTERM → exit", ""] + table(
        ["launcher", "idle", "with one request in flight", "in-flight request answered 200"], rows) + [
        "", "The in-flight request is `/hello?sleep=1000`, sent 0.25 s before the SIGTERM.", ""]


def handover(r):
    rows = []
    for k in r.keys:
        x = r.s[k]
        if not x["handover_runs"]:
            continue
        kinds = ", ".join("%s: %d" % kv for kv in sorted(x["handover_kinds"].items())) or "none"
        rows.append([r.labels[k], "%d" % x["handover_runs"], "**%d**" % x["handover_failed"], "%d" % x["handover_ok"],
                     fmt(x["handover_gap"], " ms"), "%d" % x["handover_held"], kinds])
    return ["## Hand-over under load", "",
            "16 client threads (12 opening a connection per request, 4 keep-alive) hammer /hello from before the "
            "process is spawned until 2 s after the first 200. Refused connections before the first accepted one are "
            "expected and not counted; every other answer that is not 200 counts as failed.", ""] + table(
        ["launcher", "runs", "failed", "answered 200", "first accepted connection → first 200",
         "sent before the first 200, then 200", "failures by kind"], rows, "lrrrrrl") + [""]


def class_loading(r):
    found = r.data.get("diagnose")
    if not found:
        return []
    lines = ["## What runs before the first answer (class loading, diagnostic runs, not timed above)", "",
             "`-Xlog:class+load,startuptime:file:uptime`; classes whose load time (JVM uptime) is before the first "
             "200, medians of %d runs. Milestones are the JVM uptime at which a class was first loaded." %
             r.data["config"]["diag_runs"], ""]
    groups = sorted({g for runs in found.values() for x in runs
                     for g in list(x.get("groups_health", {})) + list(x.get("groups_app", {}))})
    cols = []
    for k, runs in found.items():
        if runs and runs[0].get("classes_health") is not None:
            cols.append((k, "health", runs))
        cols.append((k, "app", runs))
    lines.append("| classes loaded | " + " | ".join("%s → first %s 200" % (r.labels.get(k, k), w) for k, w, _ in cols) + " |")
    lines.append("|---|" + "---:|" * len(cols))
    lines.append("| **total** | " + " | ".join("**%.0f**" % (med([x.get("classes_" + w) for x in runs]) or 0)
                                               for k, w, runs in cols) + " |")
    for g in groups:
        lines.append("| %s | " % g + " | ".join("%.0f" % (med([x.get("groups_" + w, {}).get(g, 0) for x in runs]) or 0)
                                                for k, w, runs in cols) + " |")
    lines.append("| time of that 200 from spawn (ms) | " + " | ".join(
        "%.0f" % (med([x.get(w + "_ms") for x in runs]) or 0) for k, w, runs in cols) + " |")
    lines += ["", "| milestone (first class load, JVM uptime ms) | " + " | ".join(r.labels.get(k, k) for k in found) + " |",
              "|---|" + "---:|" * len(found)]
    for cls, desc in diagnose.MILESTONES:
        vals = [med([x.get("milestones_ms", {}).get(cls) for x in runs]) for runs in found.values()]
        if all(v is None for v in vals):
            continue
        lines.append("| %s (`%s`) | " % (desc, cls.rsplit(".", 1)[1]) +
                     " | ".join("–" if v is None else "%.0f" % v for v in vals) + " |")
    return lines + [""]


def machine(r):
    data, m = r.data, r.data["machine"]
    lines = ["## Machine and versions", "",
             "- date: %s" % data["date"],
             "- machine: nproc %s, %s GiB memory, %s, Linux %s (shared machine: absolute numbers drift, ratios from "
             "one interleaved run hold better)" % (m.get("nproc"), m.get("mem_gib"), m.get("cpu", "?"), m.get("kernel")),
             "- load average (1, 5, 15 min, /proc/loadavg): %s at the start of the run, %s at the end" % (
                 m.get("loadavg_start"), m.get("loadavg_end")),
             "- `java -version`: %s" % " / ".join(m.get("java", []))]
    if (data.get("aot") or {}).get("java_version"):
        lines.append("- JDK 25 (`%s`): %s" % (data["aot"]["java"], " / ".join(data["aot"]["java_version"])))
    lines.append("- load generator: %s" % m.get("wrk"))
    lines += ["- %s: %s" % (launcher["label"], launcher["version"]) for launcher in data["launchers"]]
    lines.append("- Berth build: commit %s; target/berth.jar sha256 %s… (copied to bench/target/berth.jar at the start "
                 "of the run)" % (m.get("berth_commit"), m.get("berth_jar_sha256")))
    lines.append("- settings: %s" % json.dumps(data["config"], sort_keys=True))
    lines.append("- commands (`PORT` is a fresh free port for every start; working directory bench/target/run/KEY):")
    lines += ["  - %s: `%s`" % (launcher["label"], r.relative(launcher["command"])) for launcher in data["launchers"]]
    lines += ["  - small instance, %s, %s: `%s`" % (r.labels.get(x["launcher"], x["launcher"]), x["war"],
                                                  r.relative(x["command"])) for x in data.get("small", [])]
    lines.append("")
    if r.chart:
        lines += ["![chart](%s)" % r.chart, ""]
    return lines


SECTIONS = [intro, summary, goals, startup, throughput, small_instance, cold_start, stopping, handover,
            injvm.section, class_loading, machine]
