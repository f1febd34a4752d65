import http.server
import sys
import threading
import time
import unittest

from berthbench import HOST, probe
from berthbench.ports import PortPool
from berthbench.processes import Children


class Server:
    """A tiny HTTP server on 127.0.0.1, port 0: 503 until ready is set, then 200 (and 404 off /ready)."""

    def __init__(self):
        self.ready = threading.Event()
        self.ready_at = None
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                code = 404 if self.path != "/ready" else 200 if server.ready.is_set() else 503
                body = b"ok\n"
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Probe", "yes")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def ready_in(self, seconds):
        def later():
            time.sleep(seconds)
            self.ready_at = time.monotonic()
            self.ready.set()
        threading.Thread(target=later, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# a child that binds its port only after a delay, then answers every GET with 200
LATE_SERVER = """
import http.server, sys, time
time.sleep(float(sys.argv[2]))
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


class ProbeTest(unittest.TestCase):

    def setUp(self):
        self.server = Server()

    def tearDown(self):
        self.server.close()

    def test_a_request_gets_the_status_headers_and_body(self):
        reply = probe.request(self.server.port, "/missing")
        self.assertEqual(404, reply.status)
        self.assertIn(("X-Probe", "yes"), reply.headers)
        self.assertEqual(b"ok\n", reply.body)

    def test_the_first_200_is_timed_when_the_server_turns_ready_not_before(self):
        self.server.ready_in(0.3)
        t = probe.first_200(self.server.port, "/ready", time.monotonic() + 10)
        self.assertIsNotNone(t)
        self.assertGreaterEqual(t, self.server.ready_at)
        self.assertLess(t - self.server.ready_at, 1.0)   # polled every 5 ms: soon after, even on a busy machine

    def test_no_200_before_the_deadline_is_none(self):
        began = time.monotonic()
        self.assertIsNone(probe.first_200(self.server.port, "/ready", began + 0.3))
        self.assertLess(time.monotonic() - began, 2)

    def test_a_port_with_a_listener_accepts_and_a_closed_one_does_not(self):
        self.assertTrue(probe.accepts(self.server.port))
        closed = PortPool().take()
        self.assertFalse(probe.accepts(closed))
        self.assertIsNone(probe.status(closed, "/"))


class ColdStartTest(unittest.TestCase):

    def setUp(self):
        self.children = Children(log=lambda _: None)

    def tearDown(self):
        self.children.stop_all(timeout=1)

    def test_a_cold_start_is_timed_from_the_spawn_to_the_port_and_the_first_200(self):
        port = PortPool().take()
        seen = {}
        start = probe.cold_start(lambda: self.children.spawn([sys.executable, "-c", LATE_SERVER, str(port), "0.4"]),
                                 port, [("port", None), ("app", "/")], timeout=30,
                                 on_ready=lambda proc: seen.setdefault("alive", proc.poll() is None))
        self.assertEqual({"port", "app"}, set(start.marks))
        # each probe polls on its own: either may see the server first
        self.assertGreaterEqual(min(start.marks.values()), 400)
        self.assertTrue(seen["alive"])
        self.assertLess(start.began, time.monotonic())

    def test_a_process_that_exits_ends_the_probes_before_the_deadline(self):
        port = PortPool().take()
        began = time.monotonic()
        start = probe.cold_start(lambda: self.children.spawn([sys.executable, "-c", "raise SystemExit(1)"]),
                                 port, [("app", "/")], timeout=30)
        self.assertEqual({}, start.marks)
        self.assertLess(time.monotonic() - began, 10)


if __name__ == "__main__":
    unittest.main()
