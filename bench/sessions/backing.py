"""The backing services of the bench: its own PostgreSQL and Redis, and the registry of the processes a run starts."""

import glob
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from berthbench import HOST, log
from berthbench.ports import PortPool
from berthbench.processes import Children
from sessions import LOGS, START_TIMEOUT


class Lab:
    """The children this run started (each with its log in LOGS) and the loopback ports it hands out."""

    def __init__(self):
        self.children = Children(log=log)
        self.ports = PortPool()

    def spawn(self, cmd, logname, env=None, cwd=None):
        return self.children.spawn(cmd, os.path.join(LOGS, logname + ".log"), cwd=cwd, env=env, append=True)

    def stop(self, proc, sig=signal.SIGTERM, timeout=40.0, then=signal.SIGKILL):
        """Signals the process by its pid and waits; `then` if it has not exited in time."""
        self.children.stop(proc, timeout, sig, then)


def postgres_bin():
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: float(d.split("/")[-2]), reverse=True)
    for d in versions + [os.path.dirname(shutil.which("postgres") or "/nonexistent/x")]:
        if all(os.access(os.path.join(d, t), os.X_OK) for t in ("initdb", "postgres", "psql")):
            return d
    return None


class Postgres:
    """A cluster of the bench's own: initdb as nobody when root, scram password, TCP on 127.0.0.1 only."""

    def __init__(self, lab, fsync):
        self.lab = lab
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.dir = tempfile.mkdtemp(prefix="berth-bench-pg-")
        self.data = os.path.join(self.dir, "data")
        self.password = secrets.token_hex(16)
        self.fsync = fsync
        self.prefix = []
        if os.getuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)
            self.prefix = ["setpriv", "--reuid=%d" % nobody.pw_uid, "--regid=%d" % nobody.pw_gid, "--clear-groups", "--"]
        self.proc = None
        self.port = None
        self.log_path = os.path.join(LOGS, "postgres.log")

    def start(self):
        pwfile = os.path.join(self.dir, "pw")
        with open(pwfile, "w") as f:
            f.write(self.password)
        if os.getuid() == 0:
            os.chown(pwfile, pwd.getpwnam("nobody").pw_uid, -1)
        subprocess.run(self.prefix + [os.path.join(self.bin, "initdb"), "--pgdata=" + self.data, "--username=berth",
                                      "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=120)
        os.remove(pwfile)
        self.port = self.lab.ports.take()
        settings = ["listen_addresses=127.0.0.1", "unix_socket_directories=", "log_line_prefix=%m [%p] db=%d ",
                    "fsync=" + self.fsync, "synchronous_commit=" + self.fsync]
        cmd = self.prefix + [os.path.join(self.bin, "postgres"), "-D", self.data, "-p", str(self.port)]
        for s in settings:
            cmd += ["-c", s]
        self.proc = self.lab.spawn(cmd, "postgres")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("postgres exited %d, see %s" % (self.proc.returncode, self.log_path))
            if self.psql("SELECT 1", database="postgres", check=False) == "1":
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("postgres did not take connections within %.0f s" % START_TIMEOUT)
        self.psql("CREATE DATABASE berth", database="postgres")
        self.version = self.psql("SHOW server_version", database="postgres")

    def psql(self, sql, database="postgres", check=True):
        env = dict(os.environ, PGPASSWORD=self.password, PGCONNECT_TIMEOUT="3")
        out = subprocess.run([os.path.join(self.bin, "psql"), "-h", HOST, "-p", str(self.port), "-U", "berth", "-d", database,
                              "-X", "-q", "-t", "-A", "-c", sql], env=env, capture_output=True, text=True, timeout=30)
        if check and out.returncode != 0:
            raise RuntimeError("psql %r failed: %s" % (sql, out.stderr.strip()))
        return out.stdout.strip() if out.returncode == 0 else None

    def url(self):
        return "postgres://berth:%s@%s:%d/berth" % (self.password, HOST, self.port)

    def counters(self):
        """Transactions of the berth database and WAL syncs, for the counted run."""
        row = self.psql("SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'berth'), "
                        "(SELECT wal_sync FROM pg_stat_wal)")
        xacts, syncs = row.split("|")
        return int(xacts), int(syncs)

    def log_statements(self, on):
        self.psql("ALTER SYSTEM SET log_statement = '%s'" % ("all" if on else "none"))
        self.psql("SELECT pg_reload_conf()")

    def stop(self):
        if self.proc is not None:
            self.lab.stop(self.proc, sig=signal.SIGINT, timeout=40, then=signal.SIGQUIT)   # fast shutdown, else immediate
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """A redis-server of the bench's own: password, no persistence (save "", appendonly no)."""

    def __init__(self, lab):
        self.lab = lab
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.dir = tempfile.mkdtemp(prefix="berth-bench-redis-")
        self.password = secrets.token_hex(16)
        self.proc = None
        self.port = None

    def start(self):
        conf = os.path.join(self.dir, "redis.conf")
        with open(conf, "w") as f:
            f.write("bind 127.0.0.1\nprotected-mode yes\nrequirepass %s\nsave \"\"\nappendonly no\ndaemonize no\n"
                    "logfile \"\"\ndir %s\n" % (self.password, self.dir))
        os.chmod(conf, 0o600)
        self.port = self.lab.ports.take()
        self.proc = self.lab.spawn([self.binary, conf, "--port", str(self.port)], "redis")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("redis-server exited %d, see %s/redis.log" % (self.proc.returncode, LOGS))
            try:
                if self.command("PING") == "PONG":
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("redis-server did not answer PING within %.0f s" % START_TIMEOUT)
        self.version = re.search(r"redis_version:(\S+)", self.command("INFO", "server")).group(1)

    def command(self, *words):
        """One command after AUTH, over a fresh connection; the reply as a str (errors raise)."""
        def encode(ws):
            return b"".join([b"*%d\r\n" % len(ws)] + [b"$%d\r\n%s\r\n" % (len(w.encode()), w.encode()) for w in ws])
        with socket.create_connection((HOST, self.port), timeout=5) as s:
            s.sendall(encode(["AUTH", self.password]) + encode(list(words)))
            f = s.makefile("rb")
            replies = [self._reply(f) for _ in range(2)]
        return replies[1]

    @staticmethod
    def _reply(f):
        line = f.readline().decode().rstrip("\r\n")
        kind, rest = line[0], line[1:]
        if kind == "-":
            raise RuntimeError("redis: " + rest)
        if kind == "$":
            n = int(rest)
            return None if n < 0 else f.read(n + 2)[:-2].decode()
        return rest

    def commandstats(self):
        stats = {}
        for line in self.command("INFO", "commandstats").splitlines():
            m = re.match(r"cmdstat_([^:]+):calls=(\d+)", line)
            if m:
                stats[m.group(1)] = int(m.group(2))
        return stats

    def url(self):
        return "redis://:%s@%s:%d/0" % (self.password, HOST, self.port)

    def stop(self):
        if self.proc is not None:
            self.lab.stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)
