import copy
import json
import os
import unittest

from berthbench import BENCH, jmh
from harness import report
from harness.goals import goals
from harness.summary import summarize
from tests.support import read

RESULTS = os.path.join(BENCH, "results")
JMH = os.path.join(os.path.dirname(__file__), "fixtures", "jmh.json")


def latest():
    return json.loads(read(os.path.join(RESULTS, "latest.json")))


class HarnessReportTest(unittest.TestCase):

    def test_the_committed_latest_md_is_what_the_report_makes_of_latest_json(self):
        self.assertEqual(read(os.path.join(RESULTS, "latest.md")), report.render(latest(), "latest.png"),
                         "make it again: python3 bench/harness/bench.py --report bench/results/latest.json")

    def test_the_summary_and_goals_stored_are_what_the_data_gives(self):
        results = latest()
        s = json.loads(json.dumps(summarize(results["data"]), default=str))
        self.assertEqual(results["summary"], s)
        self.assertEqual(results["goals"], json.loads(json.dumps(goals(s, results["data"]))))

    def test_the_tables_keep_their_columns(self):
        md = report.render(latest())
        for header in ("| launcher | port accepts | first health 200 | ÷ hello-world 200 | first app 200 | ÷ plain Jetty "
                       "| RSS ready MiB | RSS after 3 s load MiB | RSS ready ÷ plain | failed starts |",
                       "| launcher | req/s | ratio to plain Jetty (of medians) | paired per round | p50 ms | p99 ms "
                       "| CPU µs/request | errors | RSS after MiB |",
                       "| launcher | idle | with one request in flight | in-flight request answered 200 |",
                       "| goal | measured | target | result | detail |"):
            self.assertIn(header, md)
        self.assertNotIn("![chart]", md)

    def test_a_run_without_throughput_small_and_jdk_25_says_so_instead_of_failing(self):
        data = copy.deepcopy(latest()["data"])
        data["throughput"], data["small"], data["config"]["small"] = {}, [], False
        data["aot"] = {"note": "not asked for"}
        data["launchers"] = [x for x in data["launchers"] if x["key"] not in ("berth-aot25", "plain25")]
        s = json.loads(json.dumps(summarize(data), default=str))
        rows = goals(s, data)
        by_name = {g["goal"]: g for g in rows}
        image = by_name["image's first application 200 ≤ 0.6× plain Jetty without any archive"]
        self.assertEqual((None, "not measured: not asked for"), (image["pass"], image["detail"]))
        self.assertIsNone(by_name["Berth's defaults do not run out of memory under load on 1 CPU / 512 MB"]["pass"])
        md = report.render({"data": data, "summary": s, "goals": rows})
        self.assertNotIn("## Steady state", md)
        self.assertIn("No JDK 25 rows in this run: not asked for.", md)
        self.assertIn("| **n/a** |", md)

    def test_the_jmh_section_gives_each_benchmark_its_score_and_error_bar(self):
        results = latest()
        with open(JMH) as f:
            rows = jmh.rows(json.load(f))
        results["data"]["injvm"] = {"options": ["-f", "1"], "classes": "/x/target/berth.jar", "rows": rows,
                                    "command": "java -cp /x/bench/jmh/target/berth-jmh.jar org.openjdk.jmh.Main",
                                    "notes": ["berth.jar: 10 classes, 0 rewritten"]}
        results["data"]["root"] = "/x"
        md = report.render(results)
        self.assertIn("## In-JVM costs (JMH)", md)
        self.assertIn("`java -cp bench/jmh/target/berth-jmh.jar org.openjdk.jmh.Main`", md)
        self.assertIn("archive is `target/berth.jar` (berth.jar: 10 classes, 0 rewritten)", md)
        self.assertIn("| AccessLogFormatBenchmark.line | format=text, path=/hello | one access-log line formatted "
                      "into the writer's buffer (batches of 512) | 227.044 | ± 323.947 | ns/op |", md)
        self.assertIn("| ClassTransformBenchmark.untouched | – |", md)

    def test_a_failed_jmh_run_is_reported_as_not_measured(self):
        results = latest()
        results["data"]["injvm"] = {"error": "JMH exited 1; see bench/target/logs/jmh.log"}
        self.assertIn("## In-JVM costs (JMH)\n\nNot measured: JMH exited 1; see bench/target/logs/jmh.log.",
                      report.render(results))


if __name__ == "__main__":
    unittest.main()
