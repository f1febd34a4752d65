"""Berth's comparison harness (issues 7 and 15): Berth against plain embedded Jetty, embedded Tomcat and the Jetty
distribution, all serving the same small Servlet 6.0 WAR, interleaved (A B C D A B C D ...) after a warm-up round.

One module per phase (startup, inflight, handover, throughput, small, diagnose, injvm), each returning plain
dicts that go into the run's JSON; summary and goals are computed from those, and report and chart are made from
the JSON file only. bench.py is the entry (bench/run.sh runs it) and puts the phases in order.
"""
