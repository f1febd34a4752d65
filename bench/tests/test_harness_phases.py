import os
import sys
import tempfile
import unittest

from harness import diagnose, handover, inflight, startup, throughput
from harness.context import Run
from harness.launchers import Launcher, access_log_format, berth_build

# a stand-in for a launcher: a Python HTTP server that binds after 0.3 s and answers every GET with 200, after
# sleeping ?sleep=MS; it writes what Berth's log says once it serves
SERVER = """
import http.server, sys, time, urllib.parse
time.sleep(0.3)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        time.sleep(int(q.get("sleep", ["0"])[0]) / 1000.0)
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
print("Berth deployed in 42 ms", flush=True)
s.serve_forever()
"""


def python_launcher(key="berth"):
    return Launcher(key, "stand-in", "0", lambda port, war: ["-c", SERVER, str(port)], health=True,
                    java=sys.executable)


class PhasesTest(unittest.TestCase):
    """Each phase against a stand-in server: what it returns is what the summary and the report read."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.run = Run(self.dir.name)

    def tearDown(self):
        self.run.children.stop_all(timeout=1)
        self.dir.cleanup()

    def test_startup_times_the_port_health_and_app_and_the_stop(self):
        r = startup.measure(self.run, python_launcher(), "r1", load_seconds=0)
        self.assertNotIn("error", r)
        for field in ("port_ms", "health_ms", "app_ms"):
            self.assertGreaterEqual(r[field], 300, field)
        self.assertGreater(r["rss_ready"], 1)
        self.assertFalse(r["killed"])
        self.assertEqual(42, r["deploy_log_ms"])
        self.assertEqual({}, self.run.children.live)

    def test_a_launcher_that_never_serves_is_an_error_not_a_hang(self):
        broken = Launcher("berth", "broken", "0", lambda port, war: ["-c", "raise SystemExit(3)"], java=sys.executable)
        r = startup.measure(self.run, broken, "r1", load_seconds=0)
        self.assertIn("exit code 3", r["error"])
        self.assertNotIn("app_ms", r)

    def test_inflight_stops_with_a_request_in_flight_and_says_what_it_got(self):
        r = inflight.measure(self.run, python_launcher(), "r1", sleep_ms=2000)
        self.assertIn("stop_inflight_ms", r)
        self.assertIsNotNone(r["inflight_status"])

    def test_handover_counts_refusals_before_the_bind_apart_from_failures(self):
        r = handover.measure(self.run, python_launcher(), "r1", workers=4, keepalive_workers=1, after_ready=0.3)
        self.assertGreater(r["ok"], 0)
        self.assertGreater(r["refused_before_bind"], 0)
        self.assertEqual(0, r["failed"], r["fail_kinds"])
        self.assertGreaterEqual(r["ready_ms"], r["accept_ms"])


class TallyTest(unittest.TestCase):

    def test_a_refusal_after_the_first_accepted_connection_is_a_failure(self):
        tally = handover.Tally()
        tally.record("refused", 0.0)
        tally.accepted()
        tally.record("ok", 0.0)
        tally.record("refused", float("inf"))
        tally.record("status", float("inf"), 503)
        c = tally.counts
        self.assertEqual((1, 1, 1, 2), (c["refused_before_bind"], c["ok"], c["held_ok"], c["failed"]))
        self.assertEqual({"refused": 1, "status 503": 1}, c["fail_kinds"])


class LaunchersTest(unittest.TestCase):

    def test_the_access_log_format_comes_from_the_flag_or_the_system_property(self):
        self.assertEqual("text", access_log_format([]))
        self.assertEqual("json", access_log_format(["--access-log=json"]))
        self.assertIsNone(access_log_format(["--access-log=off"]))
        self.assertEqual("json", access_log_format([], ["-Dberth.access-log=json"]))

    def test_a_berth_variant_puts_its_flags_before_the_war(self):
        cmd = Launcher("berth-json", "x", "0", berth_build(["--access-log=json"]), java_opts=["-Xss1m"]).command(
            20001, "app.war")
        self.assertEqual(["java", "-Xss1m", "-jar"], cmd[:3])
        self.assertEqual(["--host=127.0.0.1", "--port=20001", "--fallback-ports=", "--access-log=json", "app.war"], cmd[4:])

    def test_a_derived_launcher_keeps_the_command_and_adds_the_prefix(self):
        base = Launcher("plain", "x", "0", lambda port, war: ["-jar", "p.jar", str(port)])
        small = base.derive(prefix=["taskset", "-c", "0"], java_opts=["-XX:MaxRAM=512m"])
        self.assertEqual(["taskset", "-c", "0", "java", "-XX:MaxRAM=512m", "-jar", "p.jar", "7"], small.command(7))
        self.assertEqual(["java", "-jar", "p.jar", "7"], base.command(7))


class LogsTest(unittest.TestCase):

    def test_access_log_lines_are_counted_per_page_in_both_formats_with_the_drop_notices(self):
        with tempfile.TemporaryDirectory() as d:
            log = os.path.join(d, "berth-throughput.log")
            with open(log, "w") as f:
                f.write('2026-11-26T23:28:47.915Z 127.0.0.1 "GET /hello" 200 11 B 0 ms\n' * 3)
                f.write('{"time":"x","method":"GET","path":"/body","status":200}\n' * 2)
                f.write("INFO something else\n 7 access log lines dropped: the output is gone\n")
            bursts = [{"launcher": "berth", "path": "/hello", "requests": 3},
                      {"launcher": "berth", "path": "/body", "requests": 2}, {"launcher": "x", "path": "/body", "requests": 9}]
            r = throughput.count_access_log(log, "text", "berth", ["/hello", "/body"], bursts)
        self.assertEqual({"/hello": 3, "/body": 2}, r["lines"])
        self.assertEqual({"/hello": 3, "/body": 2}, r["requests"])
        self.assertEqual((7, 1), (r["dropped"], r["drop_notice_count"]))

    def test_classes_are_counted_by_origin_up_to_each_first_answer(self):
        with tempfile.TemporaryDirectory() as d:
            log = os.path.join(d, "classload.txt")
            with open(log, "w") as f:
                f.write("[0.010s] java.lang.Object source: shared objects file\n"
                        "[0.100s] dev.berth.Main source: file:/x/berth.jar\n"
                        "[0.200s] org.eclipse.jetty.server.Server source: file:/x/berth.jar\n"
                        "[0.900s] dev.berth.bench.app.HelloServlet source: file:/x/WEB-INF/classes/\n")
            r = diagnose.classify(log, 0.25, 1.0)
        self.assertEqual((3, 4), (r["classes_health"], r["classes_app"]))
        self.assertEqual({"JDK (CDS archive)": 1, "Berth / bench main": 1, "Jetty core": 1}, r["groups_health"])
        self.assertEqual(1, r["groups_app"]["the WAR"])
        self.assertEqual(100.0, r["milestones_ms"]["dev.berth.Main"])


if __name__ == "__main__":
    unittest.main()
