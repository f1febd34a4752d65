import unittest

from berthbench import wrk

REPORT = """Running 2s test @ http://127.0.0.1:20001/hello
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.50us  301.22us  12.40ms   91.02%
    Req/Sec    38.71k     2.10k   42.00k    70.00%
  Latency Distribution
     50%  352.00us
     75%  480.00us
     90%  650.00us
     99%    1.52ms
  154321 requests in 2.00s, 19.87MB read
  Socket errors: connect 0, read 3, write 1, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:  77160.50
Transfer/sec:      9.93MB
"""


class WrkTest(unittest.TestCase):

    def test_a_report_gives_rate_latencies_requests_and_errors(self):
        r = wrk.parse(REPORT)
        self.assertEqual(77160.5, r["rps"])
        self.assertAlmostEqual(0.352, r["p50_ms"])
        self.assertAlmostEqual(1.52, r["p99_ms"])
        self.assertEqual(154321, r["requests"])
        self.assertEqual(6, r["errors"])
        self.assertEqual({"connect": 0, "read": 3, "write": 1, "timeout": 2}, r["socket_errors"])
        self.assertEqual(7, r["non2xx"])

    def test_what_wrk_did_not_print_is_none_and_no_errors(self):
        r = wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")
        self.assertEqual((None, None, None, 0, 0), (r["rps"], r["p99_ms"], r["requests"], r["errors"], r["non2xx"]))

    def test_durations_in_every_unit_wrk_uses(self):
        self.assertEqual([0.5, 2.0, 3000.0, 60000.0, None],
                         [wrk.to_ms(v) for v in ("500.00us", "2.00ms", "3.00s", "1.00m", "n/a")])


if __name__ == "__main__":
    unittest.main()
