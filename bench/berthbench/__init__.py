"""Shared pieces of Berth's benchmarks: loopback ports, child processes, HTTP probes, statistics and reports.

Python 3 standard library only. A script in a folder of bench/ puts bench/ on sys.path and imports what it uses:

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from berthbench import ports, probe
"""

import os
import time

HOST = "127.0.0.1"      # every server a benchmark starts listens on loopback only
BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, "results")


def log(message):
    """A progress line on standard output with the time of day."""
    print(time.strftime("%H:%M:%S ") + message, flush=True)
