"""Load with wrk (apt-get install wrk) and what its report says."""

import re
import subprocess

from berthbench import HOST


def run(port, seconds, path="/hello", threads=2, connections=32, prefix=(), host=HOST):
    """One `wrk --latency` burst (after prefix, e.g. taskset); the parsed report (see parse)."""
    command = list(prefix) + ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency",
                              "--timeout", "5s", "http://%s:%d%s" % (host, port, path)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30).stdout
    return parse(out)


def to_ms(value):
    """wrk's 812.00us, 1.25ms, 2.00s, 1.00m in ms, or None."""
    m = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if not m:
        return None
    n, unit = float(m.group(1)), m.group(2)
    return {"us": n / 1000.0, "ms": n, "s": n * 1000.0, "m": n * 60000.0}[unit]


def parse(out):
    """{"rps", "p50_ms", "p99_ms", "requests", "errors" (socket errors), "non2xx", "socket_errors", "raw"}; a
    number wrk did not print is None (errors and non2xx 0)."""
    result = {"rps": None, "p50_ms": None, "p99_ms": None, "requests": None, "errors": 0, "non2xx": 0, "raw": out}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m:
        result["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(r"^\s+%s%%\s+(\S+)" % pct, out, re.M)
        if m:
            result[key] = to_ms(m.group(1))
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
