"""Loopback ports for the servers a benchmark starts."""

import os
import socket
import threading

from berthbench import HOST

# below Linux's ephemeral range (32768-60999), so the ports of the benchmark's own client connections never take one
LOW, HIGH = 20000, 31999


class PortPool:
    """Hands out ports that are free right now, in turn from a start point in [low, high], wrapping around.

    A port is free when a socket can bind it with SO_REUSEADDR, as Jetty and Tomcat bind: a connection of an
    earlier run in TIME_WAIT does not make it busy, a listener does. Each process starts at its own point (by
    pid), so that two benchmarks running at once seldom try the same ports.
    """

    def __init__(self, low=LOW, high=HIGH, start=None, host=HOST):
        if not 0 < low <= high < 65536:
            raise ValueError("bad port range %d-%d" % (low, high))
        self.low, self.high, self.host = low, high, host
        if start is None:
            start = low + (os.getpid() % 50) * 100 % (high - low + 1)
        if not low <= start <= high:
            raise ValueError("start %d outside %d-%d" % (start, low, high))
        self._next = start
        self._lock = threading.Lock()

    def take(self):
        """The next free port; RuntimeError when every port of the range is busy."""
        with self._lock:
            for _ in range(self.high - self.low + 1):
                port = self._next
                self._next = port + 1 if port < self.high else self.low
                if bindable(port, self.host):
                    return port
        raise RuntimeError("no free port in %d-%d" % (self.low, self.high))


def bindable(port, host=HOST):
    """Whether a server could bind the port on host right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
            return True
        except OSError:
            return False
