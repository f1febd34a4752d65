#!/usr/bin/env python3
"""Time from spawn to the first /health/live 200 for two Berth jars, interleaved, on one WAR.

  python3 bench/first_health.py OLD.jar NEW.jar WAR [--rounds 8]

The first round is a warm-up. Loopback only; each process is ended by its pid; every wait has a deadline.
"""
import argparse
import signal
import socket
import statistics
import subprocess
import time


def first_health(jar, war, port):
    begin = time.time()
    proc = subprocess.Popen(["java", "-jar", jar, "--host=127.0.0.1", "--port=%d" % port, "--fallback-ports=", "--access-log=off", war],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.time() - begin < 30:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if s.recv(12).startswith(b"HTTP/1.1 200"):
                        return time.time() - begin
            except OSError:
                pass
            time.sleep(0.005)
        raise RuntimeError("no health answer within 30 s")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("war")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    times = {"old": [], "new": []}
    for i in range(args.rounds):
        for key, jar in (("old", args.old), ("new", args.new)):
            times[key].append(first_health(jar, args.war, 26000 + 2 * i + (key == "new")))
    for key, values in times.items():
        print("%s: median first health %.0f ms (%s)" % (key, statistics.median(values[1:]) * 1000, ", ".join("%.0f" % (v * 1000) for v in values)))


if __name__ == "__main__":
    main()
