"""HTTP and TCP probes on loopback, and the one way every benchmark times a cold start.

A cold start is timed from just before the process is spawned to the first answer of each probe: the port
accepting a TCP connection, the first 200 of a path. A request gets no short client timeout: Berth holds one that
arrives while the WAR deploys and answers it the moment the application serves, and that answer is the one timed.
"""

import collections
import http.client
import socket
import threading
import time

from berthbench import HOST

POLL = 0.005              # seconds between two tries of a probe

Reply = collections.namedtuple("Reply", "status headers body")
ColdStart = collections.namedtuple("ColdStart", "proc began marks")


def request(port, path, headers=None, timeout=5.0, host=HOST, method="GET"):
    """One request over a fresh connection that is closed after it. Reply(status, headers as (name, value) pairs,
    body bytes); raises OSError or http.client.HTTPException when there is no answer."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, headers=dict({"Connection": "close"}, **(headers or {})))
        resp = conn.getresponse()
        return Reply(resp.status, resp.getheaders(), resp.read())
    finally:
        conn.close()


def status(port, path, timeout=5.0, host=HOST):
    """The status of one GET, or None when nothing answered."""
    try:
        return request(port, path, timeout=timeout, host=host).status
    except (OSError, http.client.HTTPException):
        return None


def accepts(port, host=HOST, timeout=1.0):
    """Whether something accepts a TCP connection on the port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _running(proc):
    return proc is None or proc.poll() is None


def first_accept(port, deadline, proc=None, host=HOST, poll=POLL):
    """Monotonic time of the first accepted TCP connection; None at the deadline or when proc has exited."""
    while time.monotonic() < deadline and _running(proc):
        if accepts(port, host):
            return time.monotonic()
        time.sleep(poll)
    return None


def first_200(port, path, deadline, proc=None, host=HOST, poll=POLL):
    """Monotonic time of the first 200 from GET path; None at the deadline or when proc has exited."""
    while time.monotonic() < deadline and _running(proc):
        if status(port, path, timeout=max(0.5, deadline - time.monotonic()), host=host) == 200:
            return time.monotonic()
        time.sleep(poll)
    return None


def cold_start(spawn, port, probes, timeout, on_ready=None, watch=True, host=HOST, poll=POLL):
    """Spawns a process and times its first answers.

    spawn: a callable that starts the process and returns its Popen. probes: (name, path) pairs in order; a path
    of None means the port accepting a TCP connection. The last probe runs in this thread, the others beside it;
    on_ready(proc) runs the moment the last one succeeds (to read the process's memory then, say). With watch,
    a process that exits ends the probes; without (a client such as `podman run --detach` that exits at once),
    only the deadline does. ColdStart(proc, began: monotonic time just before the spawn, marks: name -> ms from
    began to the answer, for each probe that got one)."""
    marks = {}
    began = time.monotonic()
    proc = spawn()
    deadline = began + timeout
    watched = proc if watch else None

    def run(name, path):
        if path is None:
            t = first_accept(port, deadline, watched, host, poll)
        else:
            t = first_200(port, path, deadline, watched, host, poll)
        if t is not None:
            marks[name] = (t - began) * 1000.0
        return t

    others = [threading.Thread(target=run, args=p, daemon=True) for p in probes[:-1]]
    for t in others:
        t.start()
    if run(*probes[-1]) is not None and on_ready is not None:
        on_ready(proc)
    for t in others:
        t.join(max(0.0, deadline - time.monotonic()))
    return ColdStart(proc, began, marks)
