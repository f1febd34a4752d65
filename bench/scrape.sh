#!/usr/bin/env bash
# How long a scrape of /metrics takes while the application is under load: Berth with metrics on and a management
# port, wrk on /hello (2 threads, 32 connections) for the whole run, and a scrape every half second of the main port,
# then of the management port; for each the median, the 90th percentile and the slowest, in ms (curl's time_total,
# on loopback), and the scrape's size. Issue 25's goal: 10 ms or less.
#
#   bash bench/scrape.sh [JAR] [WAR] [SCRAPES]     (JAR: target/berth.jar; WAR: bench/webapp/target/bench-app.war)
set -euo pipefail
JAR=${1:-target/berth.jar}
WAR=${2:-$(dirname "$0")/webapp/target/bench-app.war}
SCRAPES=${3:-40}
command -v wrk >/dev/null || { echo "scrape.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
port=$((21000 + RANDOM % 5000))
management=$((port + 1))
java -jar "$JAR" --host=127.0.0.1 --port="$port" --fallback-ports= --metrics.enabled=true --management.port="$management" "$WAR" \
  > /dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 0.1; done
wrk -t2 -c32 -d5s "http://127.0.0.1:$port/hello" > /dev/null 2>&1
wrk -t2 -c32 -d$((SCRAPES + 8))s "http://127.0.0.1:$port/hello" > /dev/null 2>&1 &
load=$!
sleep 2
for target in "main port:$port" "management port:$management"; do
  times=$(mktemp)
  for _ in $(seq 1 "$SCRAPES"); do
    curl -fs -o /dev/null -w '%{time_total} %{size_download}\n' "http://127.0.0.1:${target##*:}/metrics" >> "$times"
    sleep 0.5
  done
  python3 - "$times" "${target%%:*}" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
ms = sorted(float(t) * 1000 for t, _ in rows)
size = statistics.median(int(s) for _, s in rows)
print(f"scrape of the {sys.argv[2]} under load: median {statistics.median(ms):.1f} ms, p90 {ms[int(len(ms) * 0.9) - 1]:.1f} ms, "
      f"slowest {ms[-1]:.1f} ms ({len(ms)} scrapes, {size / 1024:.0f} KiB each)")
PY
  rm -f "$times"
done
wait "$load"
