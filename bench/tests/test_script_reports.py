import json
import os
import unittest

from berthbench import RESULTS, report
from tests.support import read, script

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def fixture(name):
    return json.loads(read(os.path.join(FIXTURES, name)))


class CommittedReportsTest(unittest.TestCase):
    """Each committed report in bench/results is what its script makes of the JSON beside it."""

    def check(self, path, name):
        rendered = report.render_file(os.path.join(RESULTS, name + ".json"), script(path).render)
        self.assertEqual(read(os.path.join(RESULTS, name + ".md")), rendered,
                         "make results/%s.md again from results/%s.json" % (name, name))

    def test_aot(self):
        self.check("aot/measure.py", "aot")

    def test_image(self):
        self.check("image/measure.py", "image")

    def test_sessions(self):
        self.check("sessions/measure.py", "sessions")


class ScriptReportsTest(unittest.TestCase):
    """Reports of the other scripts, made from JSON fixtures of real (short) runs."""

    def check(self, path, name, lines):
        md = script(path).render(fixture(name))
        for line in lines:
            self.assertIn(line, md)

    def test_cds_gives_medians_ranges_and_the_ratios_with_the_archive(self):
        self.check("cds/measure.py", "cds.json", [
            "| without archive | 1706 | 1448-1964 | 106 | 106-106 |", "| with archive | 1062 | 841-1283 | 105 | 105-106 |",
            "With the archive: time to the first 200 x0.62 (38 % faster), RSS x1.00.", "archive 27.8 MiB"])

    def test_bootstrap_gives_the_ratio_of_the_medians_and_the_paired_rounds(self):
        self.check("bootstrap/measure.py", "bootstrap.json", [
            "| core | 2 | 628 | 622 | 634 | 80.3 | 590 |", "Ratio servlet/core of the medians: **1.180** (servlet +113 ms).",
            "servlet slower in 2 of 2 rounds", "- core: 622, 634"])

    def test_aot_names_each_war_with_its_size_and_each_variant_by_its_label(self):
        self.check("aot/measure.py", "aot.json", [
            "**bench** (`bench/webapp/target/bench-app.war`, 5.9 KiB), first 200 of `/hello`:",
            "| Berth, JDK 17, CDS trained with the WAR | 495 (495–495) | 0.41× | 0.41× (0.41–0.41) | PASS |",
            "| berth25-aot | bench | 3.8 | 45.5 | bench 5164 / 5263 |"])


if __name__ == "__main__":
    unittest.main()
