#!/usr/bin/env bash
# The whole test suite N times in a row (default 5) on a fresh clone while `stress --cpu 2` keeps both cores
# busy: the suite must not flake on a loaded machine. Prints one line per run and leaves the logs in /tmp.
#   bash bench/stress.sh [RUNS]
set -uo pipefail
runs=${1:-5}
command -v stress >/dev/null || { apt-get update -qq && apt-get install -y -qq stress; }
clone=$(mktemp -d /tmp/berth-stress.XXXXXX)
git clone -q "$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)" "$clone"
stress --cpu 2 --timeout 7200 >/dev/null 2>&1 &
hog=$!
trap 'kill $hog 2>/dev/null' EXIT
failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  (cd "$clone" && mvn -B verify > "$clone-run-$i.log" 2>&1)
  rc=$?
  [ $rc -eq 0 ] || failed=1
  echo "run $i: exit $rc in $(( $(date +%s) - start )) s; $(grep -E 'Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$clone-run-$i.log" | tr -s ' ' | tr '\n' ' ')"
done
exit $failed
