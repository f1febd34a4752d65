#!/usr/bin/env bash
# The whole test suite N times in a row (default 5) on a fresh clone while `stress --cpu 2` keeps both cores
# busy: the suite must not flake on a loaded machine. With --beside, a second fresh clone runs the suite over
# and over at the same time, with the same default work directory and the same ports range, as a second
# developer or CI job on the machine would; its runs must pass too. Prints one line per run, logs in /tmp.
#   bash bench/stress.sh [RUNS] [--beside]
set -uo pipefail
runs=5
beside=false
for arg in "$@"; do
  case "$arg" in
    --beside) beside=true ;;
    *) runs=$arg ;;
  esac
done
command -v stress >/dev/null || { apt-get update -qq && apt-get install -y -qq stress; }
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
clone=$(mktemp -d /tmp/berth-stress.XXXXXX)
git clone -q "$repo" "$clone"
stress --cpu 2 --timeout 14400 >/dev/null 2>&1 &
hog=$!
pids=("$hog")
trap 'kill "${pids[@]}" 2>/dev/null' EXIT

summary() {
  grep -E 'Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$1" | tr -s ' ' | tr '\n' ' '
}

if $beside; then
  other=$(mktemp -d /tmp/berth-beside.XXXXXX)
  git clone -q "$repo" "$other"
  (
    i=0
    while [ ! -e "$clone.done" ] && [ $i -lt 100 ]; do
      i=$((i + 1))
      start=$(date +%s)
      (cd "$other" && mvn -B verify > "$other-run-$i.log" 2>&1)
      rc=$?
      [ $rc -eq 0 ] || touch "$other.failed"
      echo "beside run $i: exit $rc in $(( $(date +%s) - start )) s; $(summary "$other-run-$i.log")"
    done
  ) &
  pids+=("$!")
fi

failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  (cd "$clone" && mvn -B verify > "$clone-run-$i.log" 2>&1)
  rc=$?
  [ $rc -eq 0 ] || failed=1
  echo "run $i: exit $rc in $(( $(date +%s) - start )) s; $(summary "$clone-run-$i.log")"
done
touch "$clone.done"
if $beside; then
  wait "${pids[1]}"   # the beside loop finishes the run it is in
  [ ! -e "$other.failed" ] || failed=1
fi
exit $failed
