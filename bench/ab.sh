#!/usr/bin/env bash
# Throughput of two Berth jars side by side: each round starts one, then the other (in turn), on the same WAR and loopback,
# warms it, and runs wrk on /hello and /body; the medians and their ratio come last. For a change whose cost is a few
# per cent, on a machine too noisy for one round. Issue 25's request ids, against the jar before them: with the id on
# every response /hello 0.911 (4 rounds); with it on error responses only /hello 1.006, /body 0.993 (6 rounds).
# OLD_FLAGS and NEW_FLAGS add Berth flags to one side, so one jar can be compared with itself (metrics off and on).
#
#   bash bench/ab.sh OLD.jar NEW.jar [WAR] [ROUNDS]     (WAR: bench/webapp/target/bench-app.war, built by bench/run.sh)
#   NEW_FLAGS=--metrics.enabled=true bash bench/ab.sh target/berth.jar target/berth.jar
set -euo pipefail
OLD=$1; NEW=$2
WAR=${3:-$(dirname "$0")/webapp/target/bench-app.war}
ROUNDS=${4:-6}
command -v wrk >/dev/null || { echo "ab.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
results=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
  # the order alternates, so neither side always runs on the machine the other has just warmed
  order="old new"; [ $((round % 2)) -eq 0 ] && order="new old"
  for name in $order; do
    jar=$OLD; flags=${OLD_FLAGS:-}
    [ "$name" = new ] && { jar=$NEW; flags=${NEW_FLAGS:-}; }
    port=$((21000 + RANDOM % 5000))
    # shellcheck disable=SC2086 # flags are words
    java -jar "$jar" --host=127.0.0.1 --port="$port" --fallback-ports= --access-log=text $flags "$WAR" > /dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
    wrk -t2 -c32 -d3s "http://127.0.0.1:$port/hello" > /dev/null 2>&1
    for path in /hello /body; do
      rate=$(wrk -t2 -c32 -d6s "http://127.0.0.1:$port$path" | awk '/Requests\/sec/ {print $2}')
      echo "$round $name $path $rate" | tee -a "$results"
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
python3 - "$results" <<'PY'
import collections, statistics, sys
rates = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, name, path, rate = line.split()
    rates[(name, path)].append(float(rate))
for path in ("/hello", "/body"):
    old, new = statistics.median(rates[("old", path)]), statistics.median(rates[("new", path)])
    print(f"{path}: old {old:,.0f}/s, new {new:,.0f}/s, new/old {new / old:.3f}")
PY
rm -f "$results"
