"""What a report says about the machine and the tools a run used."""

import os
import platform
import subprocess


def java_version(java="java"):
    """The lines `java -version` prints."""
    out = subprocess.run([java, "-version"], capture_output=True, text=True)
    return (out.stderr or out.stdout).strip().splitlines()


def first_line(command):
    """The first line a command prints (a tool's --version), or "?"."""
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.splitlines()[0].strip()
    except (OSError, IndexError):
        return "?"


def proc_value(path, name):
    """The value after "name:" on the first line of a /proc file that starts with name, or None."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(name):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def cpu_model():
    return proc_value("/proc/cpuinfo", "model name") or "?"


def mem_gib():
    total = proc_value("/proc/meminfo", "MemTotal:")
    return None if total is None else round(int(total.split()[0]) / 1048576, 1)


def nproc():
    """The CPUs this process may run on (what `nproc` says)."""
    return len(os.sched_getaffinity(0))


def git_commit(root, paths=("src", "pom.xml")):
    """The short commit of the checkout, noting uncommitted changes under paths."""
    try:
        commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--"] + list(paths), capture_output=True,
                               text=True).stdout.strip()
    except OSError:
        return "?"
    return commit + (" + uncommitted changes in %s" % " or ".join(paths) if dirty else "")


def describe():
    """nproc, kernel, memory, CPU model and `java -version`."""
    return {"nproc": nproc(), "kernel": platform.release(), "mem_gib": mem_gib(), "cpu": cpu_model(),
            "java": java_version()}
