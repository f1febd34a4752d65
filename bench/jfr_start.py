#!/usr/bin/env python3
"""Where a Berth start spends its CPU, by thread, from Java Flight Recorder's execution samples (1 ms apart): runs the
jar N times on one WAR with a recording, until the application's first 200, and prints per thread the frames that
took the most samples (the first frame of Jetty, Berth, Apache or SmallRye code on each stack, else the top frame).

  python3 bench/jfr_start.py JAR WAR [--rounds 3] [--app /hello] [--jfr /usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr]

The recording's own start (some 300 ms before main) shifts the start but is not sampled as Berth's. Samples count
Java code only: class loading inside the JVM shows as the Java frame that asked for the class. JDK 25's jfr tool
reads the JDK 17 recordings. Loopback only; each process is ended by its pid; every wait has a deadline.
"""
import argparse
import collections
import os
import re
import subprocess
import tempfile

from berthbench import berth, probe
from berthbench.ports import PortPool
from berthbench.processes import Children

TIMEOUT = 60.0
OWN = ("org.eclipse.", "dev.berth.", "org.apache.", "io.smallrye.", "org.jboss.", "org.objectweb.")
FRAME = re.compile(r"^\s+([\w$.<>]+)\(.*?line:", re.M)
THREAD = re.compile(r'sampledThread = "([^"]+)"')


def record(children, ports, jar, war, app, out):
    port = ports.take()
    settings = "filename=%s,settings=profile,jdk.ExecutionSample#period=1ms" % out
    command = berth.command(jar, port, "--access-log=off", war=war, jvm=["-XX:StartFlightRecording=" + settings])
    start = probe.cold_start(lambda: children.spawn(command), port, [("app", app)], TIMEOUT)
    children.stop(start.proc, timeout=60)     # SIGTERM: the JVM writes the recording as it exits
    if "app" not in start.marks:
        raise RuntimeError("%s: no 200 at %s within %.0f s" % (jar, app, TIMEOUT))


def samples(jfr, recording):
    text = subprocess.run([jfr, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", recording],
                          capture_output=True, text=True, check=True, timeout=120).stdout
    for event in text.split("jdk.ExecutionSample {")[1:]:
        thread = THREAD.search(event)
        frames = FRAME.findall(event)
        if frames:
            own = [f for f in frames if f.startswith(OWN)]
            yield (thread.group(1) if thread else "?"), (own[0] if own else frames[0])


def thread_group(name):
    """berth-12 and berth-13 are one group (Jetty's pool); named threads stay themselves."""
    return re.sub(r"-\d+$", "-N", name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("jar")
    parser.add_argument("war")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--app", default="/hello")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--jfr", default="/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr")
    args = parser.parse_args()
    children, ports = Children(), PortPool()
    by_thread = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory(prefix="berth-jfr-") as work:
        try:
            for i in range(args.rounds):
                recording = os.path.join(work, "start-%d.jfr" % i)
                record(children, ports, args.jar, args.war, args.app, recording)
                for thread, frame in samples(args.jfr, recording):
                    by_thread[thread_group(thread)][frame] += 1
        finally:
            children.stop_all()
    for thread, frames in sorted(by_thread.items(), key=lambda item: -sum(item[1].values())):
        print("%s: %d samples in %d starts" % (thread, sum(frames.values()), args.rounds))
        for frame, count in frames.most_common(args.top):
            print("  %4d  %s" % (count, frame))


if __name__ == "__main__":
    main()
