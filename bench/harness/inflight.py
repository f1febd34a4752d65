"""inflight: SIGTERM while a slow request (/hello?sleep=1000) is in flight: the time to exit, and what the request got."""

import http.client
import threading
import time

from berthbench import probe
from berthbench.report import ms
from harness.context import START_TIMEOUT, STOP_TIMEOUT

NAME = "inflight"


def measure(run, launcher, tag, sleep_ms=1000):
    proc, port = run.start(launcher, "%s-inflight-%s" % (launcher.key, tag))
    result = {"launcher": launcher.key}
    if probe.first_200(port, "/hello", time.monotonic() + START_TIMEOUT, proc) is None:
        run.stop(proc)
        result["error"] = "not serving"
        return result
    time.sleep(0.3)
    outcome = {}

    def slow():
        begin = time.monotonic()
        try:
            outcome["status"] = probe.request(port, "/hello?sleep=%d" % sleep_ms, timeout=STOP_TIMEOUT).status
        except (OSError, http.client.HTTPException) as e:
            outcome["status"] = type(e).__name__
        outcome["ms"] = (time.monotonic() - begin) * 1000.0

    t = threading.Thread(target=slow, daemon=True)
    t.start()
    time.sleep(0.25)   # the request is in the servlet, sleeping
    code, took, killed = run.stop(proc)
    t.join(STOP_TIMEOUT)
    result.update({"stop_inflight_ms": took * 1000.0, "exit_code": code, "killed": killed,
                   "inflight_status": outcome.get("status"), "inflight_request_ms": outcome.get("ms")})
    return result


def line(tag, key, r):
    return "%s inflight %-10s stop %s request %s" % (tag, key, ms(r.get("stop_inflight_ms")), r.get("inflight_status"))
