import json
import os
import unittest

from berthbench import jmh

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "jmh.json")


class JmhTest(unittest.TestCase):

    def test_each_result_becomes_a_row_with_score_error_unit_and_samples(self):
        with open(FIXTURE) as f:
            rows = jmh.rows(json.load(f))
        untouched, text = rows
        self.assertEqual("ClassTransformBenchmark.untouched", untouched["benchmark"])
        self.assertEqual({"classes": ""}, untouched["params"])
        self.assertAlmostEqual(0.1566, untouched["score"], places=4)
        self.assertIsNone(untouched["error"], "JMH writes NaN when two samples cannot give an interval")
        self.assertEqual(("us/op", 2), (untouched["unit"], untouched["samples"]))
        self.assertEqual({"format": "text", "path": "/hello"}, text["params"])
        self.assertAlmostEqual(323.947, text["error"], places=3)
        self.assertEqual(("ns/op", 6, "avgt"), (text["unit"], text["samples"], text["mode"]))

    def test_the_command_runs_jmh_main_with_parameters_and_a_json_result_file(self):
        cmd = jmh.command(["a.jar", "b.jar"], "out.json", include=["Json"], options=["-f", "1"],
                          params={"classes": "x.war"})
        self.assertEqual(["java", "-cp", "a.jar:b.jar", "org.openjdk.jmh.Main", "Json", "-f", "1", "-p", "classes=x.war",
                          "-rf", "json", "-rff", "out.json"], cmd)


if __name__ == "__main__":
    unittest.main()
