"""The HTTP session stores' benchmark (issue 13): measure.py runs it, backing.py starts PostgreSQL and Redis,
cpu.py accounts for the CPU time of each process group, tables.py makes the report from the results JSON."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
TARGET = os.path.join(BENCH, "target", "sessions")
LOGS = os.path.join(TARGET, "logs")
START_TIMEOUT = 90.0
