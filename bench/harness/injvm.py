"""injvm: in-JVM costs measured with JMH (bench/jmh, built by bench/run.sh against Berth's jar): formatting an
access-log line, the class-load transform of calls to removed Servlet methods, the JSON of a health body and of a
log line. JMH forks its own JVMs; the results are its scores with their 99.9 % error bars."""

import os
import re

from berthbench import jmh, log
from berthbench.report import table
from harness.context import BENCH
from harness.launchers import BERTH_JAR

NAME = "injvm"
JAR = os.path.join(BENCH, "jmh", "target", "berth-jmh.jar")
# forks, warm-up and measured iterations of a second each: about 2.5 minutes for the nine benchmarks
FULL = ["-f", "2", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s"]
QUICK = ["-f", "1", "-wi", "1", "-w", "1s", "-i", "2", "-r", "1s"]

# what each benchmark measures, for the report
WHAT = {
    "AccessLogFormatBenchmark.line": "one access-log line formatted into the writer's buffer (batches of 512)",
    "ClassTransformBenchmark.archive": "the class-load transform, a class of the archive in turn (its mix)",
    "ClassTransformBenchmark.untouched": "the class-load transform, a class naming no Servlet type (fast path)",
    "ClassTransformBenchmark.scanned": "the class-load transform, a Servlet caller read by ASM and left as it is",
    "ClassTransformBenchmark.rewritten": "the class-load transform, a call to setStatus(int, String) rewritten",
    "HealthJsonBenchmark.body": "the JSON body of /health (three checks, a backing service down)",
    "JsonLogLineBenchmark.line": "one line of the JSON log (timestamp, masking, JSON text)",
}


def measure(run, quick, classes=None):
    """Runs every benchmark; classes: the WAR or jar the transform's archive benchmark reads (default: Berth's)."""
    result = {"options": QUICK if quick else FULL, "classes": classes or BERTH_JAR}
    if not os.path.exists(JAR):
        result["error"] = ("bench/%s is missing: `mvn -B -q -f bench/pom.xml package -pl jmh` builds it, when its "
                           "benchmarks compile against target/berth.jar" % os.path.relpath(JAR, BENCH))
        return result
    os.makedirs(run.logs, exist_ok=True)
    out_json = os.path.join(run.target, "jmh-results.json")
    log_path = os.path.join(run.logs, "jmh.log")
    params = {"classes": classes} if classes else {}
    result["command"] = " ".join(jmh.command([JAR, BERTH_JAR], out_json, options=result["options"], params=params))
    log("injvm: JMH, %s" % " ".join(result["options"]))
    try:
        result["rows"] = jmh.run([JAR, BERTH_JAR], out_json, log_path, options=result["options"], params=params)
    except (RuntimeError, OSError) as e:
        result["error"] = str(e)
        return result
    with open(log_path, errors="replace") as f:   # what the transform's setup said of the archive
        # printed inside JMH's own lines (the fork's output is interleaved with them)
        result["notes"] = sorted(set(re.findall(r"[\w.-]+: \d+ classes, \d+ rewritten", f.read())))
    return result


def section(r):
    found = r.data.get("injvm")
    if not found:
        return []
    lines = ["## In-JVM costs (JMH)", ""]
    if found.get("error"):
        return lines + ["Not measured: %s." % found["error"], ""]
    lines += ["`%s` (JMH 1.37, average time per operation; ± is half the 99.9 %% confidence interval, – when there "
              "were too few samples to tell). The class-load transform's archive is `%s`%s." % (
                  r.relative(found["command"]), r.relative(found["classes"]),
                  " (%s)" % "; ".join(found["notes"]) if found.get("notes") else ""), ""]
    rows = [[x["benchmark"], ", ".join("%s=%s" % kv for kv in sorted(x["params"].items()) if kv[0] != "classes") or "–",
             WHAT.get(x["benchmark"], ""), "%.3f" % x["score"] if x["score"] is not None else "–",
             "± %.3f" % x["error"] if x["error"] is not None else "–", x["unit"]]
            for x in found.get("rows", [])]
    return lines + table(["benchmark", "parameters", "what", "score", "error", "unit"], rows, "lllrrl") + [""]
