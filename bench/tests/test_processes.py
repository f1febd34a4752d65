import os
import signal
import sys
import tempfile
import time
import unittest

from berthbench import processes
from berthbench.processes import Children
from tests.support import read

SLEEPER = "import sys, time; print('up', flush=True); time.sleep(60)"
STUBBORN = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); "
            "time.sleep(60)")


class ChildrenTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.children = Children(log=lambda _: None)

    def tearDown(self):
        self.children.stop_all(timeout=1)
        self.dir.cleanup()

    def started(self, code):
        log = os.path.join(self.dir.name, "logs", "child.log")
        proc = self.children.spawn([sys.executable, "-c", code], log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "up" not in read(log):
            time.sleep(0.01)
        return proc, log

    def test_a_child_writes_its_output_to_its_log_and_is_known_until_stopped(self):
        proc, log = self.started(SLEEPER)
        self.assertIn("up", read(log))
        self.assertIn(proc.pid, self.children.live)
        stopped = self.children.stop(proc)
        self.assertEqual(-signal.SIGTERM, stopped.code)
        self.assertFalse(stopped.killed)
        self.assertNotIn(proc.pid, self.children.live)

    def test_a_child_that_ignores_sigterm_is_killed_after_the_timeout(self):
        proc, _ = self.started(STUBBORN)
        stopped = self.children.stop(proc, timeout=0.5)
        self.assertTrue(stopped.killed)
        self.assertEqual(-signal.SIGKILL, stopped.code)
        self.assertGreaterEqual(stopped.seconds, 0.5)

    def test_stopping_a_child_that_already_exited_takes_no_time(self):
        proc = self.children.spawn([sys.executable, "-c", "raise SystemExit(3)"])
        proc.wait(timeout=30)
        self.assertEqual((3, 0.0, False), tuple(self.children.stop(proc)))

    def test_stop_all_ends_every_child_still_running(self):
        procs = [self.started(SLEEPER)[0], self.started(STUBBORN)[0]]
        self.children.stop_all(timeout=0.5)
        self.assertEqual({}, self.children.live)
        self.assertTrue(all(p.poll() is not None for p in procs))


class ProcTest(unittest.TestCase):

    def test_resident_memory_of_this_process_is_read_and_its_peak_is_not_below_it(self):
        rss = processes.rss_mib(os.getpid())
        self.assertGreater(rss, 1)
        self.assertGreaterEqual(processes.hwm_mib(os.getpid()), rss)

    def test_cpu_time_grows_while_this_process_works(self):
        before = processes.cpu_seconds(os.getpid())
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
        self.assertGreaterEqual(processes.cpu_seconds(os.getpid()) - before, 0.2)

    def test_a_command_name_with_spaces_and_parentheses_does_not_shift_the_fields(self):
        fields = processes.stat_fields("4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1 0 0 0 250 37 0 0 20 0")
        self.assertEqual("S", fields[0])
        self.assertEqual(("250", "37"), (fields[11], fields[12]))

    def test_a_process_that_is_gone_has_no_figures(self):
        proc = Children().spawn([sys.executable, "-c", "pass"])
        proc.wait(timeout=30)
        self.assertIsNone(processes.rss_mib(proc.pid))
        self.assertIsNone(processes.cpu_seconds(proc.pid))


if __name__ == "__main__":
    unittest.main()
