"""JMH runs (bench/jmh) and what their JSON results say."""

import json
import math
import subprocess

MAIN = "org.openjdk.jmh.Main"


def command(classpath, result_json, include=(), options=(), params=None, java="java"):
    """The command line of a JMH run writing its results as JSON; params: name -> value (-p name=value)."""
    cmd = [java, "-cp", ":".join(classpath), MAIN] + list(include) + list(options)
    for name, value in sorted((params or {}).items()):
        cmd += ["-p", "%s=%s" % (name, value)]
    return cmd + ["-rf", "json", "-rff", result_json]


def run(classpath, result_json, log_path, include=(), options=(), params=None, java="java", timeout=3600):
    """Runs JMH with its output in log_path; the rows of its results (see rows). Raises RuntimeError when JMH
    fails, naming the log."""
    cmd = command(classpath, result_json, include, options, params, java)
    with open(log_path, "wb") as out:
        code = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              timeout=timeout).returncode
    if code != 0:
        raise RuntimeError("JMH exited %d; see %s" % (code, log_path))
    with open(result_json) as f:
        return rows(json.load(f))


def number(value):
    """A JMH number, or None for its "NaN" (an error bar from too few samples)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def rows(results):
    """One row a benchmark and parameter set: {"benchmark" (class.method, package left out), "params", "mode",
    "score", "error" (half the 99.9 % confidence interval, None when JMH could not tell), "unit", "samples"}."""
    out = []
    for r in results:
        metric = r["primaryMetric"]
        out.append({"benchmark": ".".join(r["benchmark"].split(".")[-2:]), "params": r.get("params", {}),
                    "mode": r["mode"], "score": number(metric["score"]), "error": number(metric["scoreError"]),
                    "unit": metric["scoreUnit"], "samples": sum(len(fork) for fork in metric.get("rawData", []))})
    return out
