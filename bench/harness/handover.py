"""handover: a pool of clients hammers /hello from before the process is spawned until a while after its first
200. Refused connections before the first accepted one are expected; any other answer that is not 200 fails."""

import http.client
import threading
import time

from harness.context import HOST, START_TIMEOUT

NAME = "handover"


class Tally:
    """The outcomes of the clients' requests, and when the first connection was accepted and the first 200 came."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {"ok": 0, "failed": 0, "refused_before_bind": 0, "held_ok": 0, "fail_kinds": {}}
        self.first = {}        # "accept": first accepted connection, "ready": first 200 (monotonic)

    def accepted(self):
        with self.lock:
            self.first.setdefault("accept", time.monotonic())

    def ready(self):
        with self.lock:
            return self.first.get("ready")

    def record(self, kind, started, status=None):
        c = self.counts
        with self.lock:
            if kind == "ok":
                c["ok"] += 1
                if started < self.first.get("ready", float("inf")):
                    c["held_ok"] += 1   # sent on an accepted connection before the first 200, answered 200
                self.first.setdefault("ready", time.monotonic())
            elif kind == "refused" and started < self.first.get("accept", float("inf")):
                c["refused_before_bind"] += 1
            else:
                c["failed"] += 1
                name = kind if status is None else "%s %s" % (kind, status)
                c["fail_kinds"][name] = c["fail_kinds"].get(name, 0) + 1


def client(port, tally, keepalive, stop, deadline):
    conn = None
    while not stop.is_set() and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                conn.connect()
                tally.accepted()
            sent = time.monotonic()
            conn.request("GET", "/hello", headers={} if keepalive else {"Connection": "close"})
            resp = conn.getresponse()
            resp.read()
            if resp.status == 200:
                tally.record("ok", sent)
            else:
                tally.record("status", sent, resp.status)
            if not keepalive or resp.will_close:
                conn.close()
                conn = None
        except ConnectionRefusedError:
            conn = close(conn)
            tally.record("refused", started)
            time.sleep(0.002)
        except (OSError, http.client.HTTPException) as e:
            conn = close(conn)
            tally.record(type(e).__name__, started)
    close(conn)


def close(conn):
    if conn is not None:
        conn.close()
    return None


def measure(run, launcher, tag, workers=16, keepalive_workers=4, after_ready=2.0):
    """16 clients (4 of them keep-alive) from 50 ms before the spawn until `after_ready` s after the first 200."""
    port = run.ports.take()
    tally = Tally()
    stop = threading.Event()
    hard_deadline = time.monotonic() + START_TIMEOUT + 10
    threads = [threading.Thread(target=client, args=(port, tally, i < keepalive_workers, stop, hard_deadline),
                                daemon=True) for i in range(workers)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    t0 = time.monotonic()
    proc, _ = run.start(launcher, "%s-handover-%s" % (launcher.key, tag), port=port)
    while time.monotonic() < hard_deadline and proc.poll() is None:
        ready = tally.ready()
        if ready is not None and time.monotonic() > ready + after_ready:
            break
        time.sleep(0.02)
    stop.set()
    for t in threads:
        t.join(65)
    run.stop(proc)
    c, first = tally.counts, tally.first
    result = {"launcher": launcher.key, "ok": c["ok"], "failed": c["failed"],
              "refused_before_bind": c["refused_before_bind"], "held_ok": c["held_ok"], "fail_kinds": c["fail_kinds"]}
    if "accept" in first:
        result["accept_ms"] = (first["accept"] - t0) * 1000.0
    if "ready" in first:
        result["ready_ms"] = (first["ready"] - t0) * 1000.0
        if "accept" in first:
            result["accept_to_ready_ms"] = (first["ready"] - first["accept"]) * 1000.0
    else:
        result["error"] = "never answered 200"
    return result


def line(tag, key, r):
    return "%s handover %-10s failed %s ok %s held %s refused-before-bind %s %s" % (
        tag, key, r["failed"], r["ok"], r["held_ok"], r["refused_before_bind"], r.get("fail_kinds") or "")
