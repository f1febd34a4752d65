"""Where one run of the harness keeps its files, and what its phases share: the ports, the children."""

import os

from berthbench import BENCH, HOST, ROOT, log
from berthbench.ports import PortPool
from berthbench.processes import Children

TARGET = os.path.join(BENCH, "target")
START_TIMEOUT = 90.0      # a launcher that is not serving by then is a failed run
STOP_TIMEOUT = 40.0       # SIGTERM -> exit; then SIGKILL

__all__ = ["BENCH", "HOST", "ROOT", "TARGET", "START_TIMEOUT", "STOP_TIMEOUT", "Run", "log"]


class Run:
    """Logs in target/logs (one file a start), a working directory per launcher in target/run, loopback ports
    from one pool, and every process started through spawn() known until it is stopped."""

    def __init__(self, target=TARGET):
        self.target = target
        self.logs = os.path.join(target, "logs")
        self.ports = PortPool()
        self.children = Children(log=log)

    def log_path(self, logname):
        return os.path.join(self.logs, logname + ".log")

    def workdir(self, key):
        d = os.path.join(self.target, "run", key)
        os.makedirs(d, exist_ok=True)
        return d

    def spawn(self, command, logname, cwd):
        return self.children.spawn(command, self.log_path(logname), cwd=cwd)

    def start(self, launcher, logname, war=None, port=None):
        """Spawns the launcher on a fresh port (or port); (process, port)."""
        port = port or self.ports.take()
        return self.spawn(launcher.command(port, war), logname, self.workdir(launcher.key)), port

    def stop(self, proc, timeout=STOP_TIMEOUT):
        """SIGTERM, then SIGKILL after the timeout: Exit(code, seconds from the signal, killed)."""
        return self.children.stop(proc, timeout)

    def log_contains(self, logname, text):
        try:
            with open(self.log_path(logname), errors="replace") as f:
                return any(text in line for line in f)
        except OSError:
            return False
