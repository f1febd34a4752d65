"""CPU time of the processes around a measured window, from /proc: Berth, PostgreSQL with its backends, Redis,
kernel threads and interrupts, the whole machine."""

import glob

from berthbench import processes


def proc_ticks(pid, system_only=False):
    return processes.cpu_ticks(pid, system_only) or 0


def context_switches(pid):
    """Voluntary and involuntary context switches of all the process's threads."""
    total = 0
    for status in glob.glob("/proc/%d/task/*/status" % pid):
        try:
            with open(status) as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def tree_ticks(root):
    """CPU ticks of root and its children (PostgreSQL's backends and workers are the postmaster's children)."""
    total = proc_ticks(root)
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = processes.stat_fields(f.read())
            if int(fields[1]) == root:
                total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total


def kernel_ticks():
    """Kernel threads (children of kthreadd, pid 2: the file system's journal and writeback, for one) and interrupts."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return tree_ticks(2) + values[5] + values[6]           # + irq + softirq


def machine_ticks():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values[:8]) - idle, sum(values[:8])      # busy, total (user..steal)
