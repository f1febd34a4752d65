"""The child processes a benchmark starts, and what /proc says about them.

A benchmark stops only processes it started, by their pid, and every wait has a deadline: a child that does not
exit on its signal in time gets the next one (SIGKILL by default).
"""

import collections
import os
import signal
import subprocess
import time

STOP_TIMEOUT = 40.0       # SIGTERM -> exit; then SIGKILL
TICKS = os.sysconf("SC_CLK_TCK")

Exit = collections.namedtuple("Exit", "code seconds killed")


class Children:
    """The processes started through it and not reaped yet; stop_all() ends them all (for a failed run)."""

    def __init__(self, log=print):
        self.live = {}           # pid -> Popen
        self._log = log

    def spawn(self, command, log_path=None, cwd=None, env=None, append=False, **popen):
        """Starts command with stdin closed and stdout and stderr in log_path (nowhere when None)."""
        if log_path is None:
            out = subprocess.DEVNULL
        else:
            os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
            out = open(log_path, "ab" if append else "wb")
        try:
            popen.setdefault("stdout", out)
            popen.setdefault("stderr", subprocess.STDOUT)
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, cwd=cwd, env=env, **popen)
        finally:
            if log_path is not None:
                out.close()
        self.live[proc.pid] = proc
        return proc

    def reap(self, proc, timeout, then=signal.SIGKILL):
        """Waits for the process to exit; sends `then` if it has not within timeout. Exit(code, seconds, killed);
        code is None when it has not exited even then (it stays known, and stop_all tries again)."""
        begin = time.monotonic()
        killed = False
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            killed = True
            proc.send_signal(then)
            try:
                code = proc.wait(timeout=60)   # a starved CPU (taskset on a busy shared core) can make even this slow
            except subprocess.TimeoutExpired:
                self._log("pid %d has not exited 60 s after signal %d; going on without it" % (proc.pid, then))
                return Exit(None, time.monotonic() - begin, killed)
        self.live.pop(proc.pid, None)
        return Exit(code, time.monotonic() - begin, killed)

    def stop(self, proc, timeout=STOP_TIMEOUT, sig=signal.SIGTERM, then=signal.SIGKILL):
        """Sends sig and waits (see reap). Exit(code, seconds from the signal to the exit, killed)."""
        if proc.poll() is not None:
            self.live.pop(proc.pid, None)
            return Exit(proc.returncode, 0.0, False)
        proc.send_signal(sig)
        return self.reap(proc, timeout, then)

    def stop_all(self, timeout=5.0):
        """Stops every process still known, each with SIGTERM, then SIGKILL after timeout."""
        for proc in list(self.live.values()):
            try:
                self.stop(proc, timeout=timeout)
            except OSError as e:                   # keep stopping the others
                self._log("could not stop pid %d: %s" % (proc.pid, e))
            self.live.pop(proc.pid, None)


def status_kib(pid, field):
    """A field of /proc/PID/status in KiB (VmRSS, VmHWM, ...), or None when the process or the field is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def rss_mib(pid):
    """Resident memory now (VmRSS), MiB."""
    kib = status_kib(pid, "VmRSS")
    return None if kib is None else kib / 1024.0


def hwm_mib(pid):
    """Peak resident memory so far (VmHWM), MiB."""
    kib = status_kib(pid, "VmHWM")
    return None if kib is None else kib / 1024.0


def stat_fields(text):
    """The fields of a /proc/PID/stat line after the command name (which may hold spaces and parentheses): the
    state is [0], utime [11], stime [12], as fields 3, 14 and 15 of proc(5)."""
    return text.rsplit(")", 1)[1].split()


def cpu_ticks(pid, system_only=False):
    """User + system (or system only) CPU time of all the process's threads so far, in clock ticks; None when gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = stat_fields(f.read())
        return int(fields[12]) + (0 if system_only else int(fields[11]))
    except (OSError, IndexError, ValueError):
        return None


def cpu_seconds(pid):
    """User + system CPU time of all the process's threads so far, in seconds: the work done, which other load on
    the machine stretches far less than the wall time."""
    ticks = cpu_ticks(pid)
    return None if ticks is None else ticks / float(TICKS)


def loadavg():
    """The 1, 5 and 15 minute load averages as /proc/loadavg writes them."""
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"
