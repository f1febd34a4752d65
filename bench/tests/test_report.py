import json
import os
import tempfile
import unittest

from berthbench import report
from tests.support import read


class ReportTest(unittest.TestCase):

    def test_the_report_is_rendered_from_the_json_file_not_from_the_objects_in_memory(self):
        seen = []

        def render(data):
            seen.append(data)
            return "# %s\n\n%s\n" % (data["title"], "\n".join(report.table(["a", "b"], [[1, 2.5]])))

        with tempfile.TemporaryDirectory() as out:
            data = {"title": "t", "tuple": (1, 2)}      # JSON makes a list of the tuple
            md = report.write(out, "demo", data, render)
            self.assertEqual({"title": "t", "tuple": [1, 2]}, seen[0])
            self.assertEqual(md, read(os.path.join(out, "demo.md")))
            self.assertEqual([1, 2], json.loads(read(os.path.join(out, "demo.json")))["tuple"])
            self.assertEqual("# t\n\n| a | b |\n|---|---:|\n| 1 | 2.5 |\n", md)
            self.assertEqual(md, report.render_file(os.path.join(out, "demo.json"), render))

    def test_a_spread_reads_median_then_range(self):
        s = {"median": 1.234, "min": 1.0, "max": 2.0, "n": 3}
        self.assertEqual("1.23× (1.00–2.00)", report.spread(s, "×", 2))
        self.assertEqual("1234 ms (1000–2000)", report.spread(s, " ms", scale=1000))
        self.assertEqual("–", report.spread(None))

    def test_missing_values_read_as_a_dash(self):
        self.assertEqual(["–", "–", "–", "–"], [report.times(None), report.num(None), report.ms(None), report.mib(None)])
        self.assertEqual(["1.05×", "3.1", "12ms", "99"], [report.times(1.049), report.num(3.14, 1), report.ms(12.4),
                                                           report.mib(98.6)])

    def test_verdicts(self):
        self.assertEqual(["PASS", "MISS", "n/a"], [report.verdict(v) for v in (True, False, None)])

    def test_paths_are_written_from_the_repository_root(self):
        text = "java -jar /work/x/bench/target/berth.jar /work/x/target/third-party-wars/a.war /work/xy/b"
        self.assertEqual("java -jar bench/target/berth.jar target/third-party-wars/a.war /work/xy/b",
                         report.relative(text, "/work/x"))
        self.assertEqual(text, report.relative(text, None))


if __name__ == "__main__":
    unittest.main()
