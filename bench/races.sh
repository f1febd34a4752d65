#!/usr/bin/env bash
# The race tests (dev.berth.files.RaceIT: 10 Berths at once on one pid file, port file and socket; 20
# overlapping restarts in one work dir with a 3,000-file WAR; kill -9 during a conversion) N times in a row
# (default 20) on a fresh clone, against one build of the jar. Prints one line per run; logs in /tmp.
#   bash bench/races.sh [RUNS]
set -uo pipefail
runs=${1:-20}
clone=$(mktemp -d /tmp/berth-races.XXXXXX)
git clone -q "$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)" "$clone"
cd "$clone" || exit 1
mvn -B -q -DskipTests package >/dev/null && mvn -B -q test-compile >/dev/null || { echo "build failed"; exit 1; }
failed=0
for i in $(seq 1 "$runs"); do
  if mvn -B -o failsafe:integration-test failsafe:verify -Dit.test=RaceIT > "$clone-run-$i.log" 2>&1; then
    result=pass
  else
    result=FAIL
    failed=$((failed + 1))
  fi
  echo "run $i: $result; $(grep -h 'Tests run:.*RaceIT' "$clone-run-$i.log" | tail -1 | sed 's/^\[[A-Z]*\] //')"
done
echo "$((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
