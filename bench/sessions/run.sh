#!/usr/bin/env bash
# HTTP session stores (issue 13, item 8): memory against jdbc and redis, two Berth instances each, one command.
#
#   bash bench/sessions/run.sh                # full run (~8 min on 2 cores): bench/results/sessions.{json,md}
#   bash bench/sessions/run.sh --quick        # smoke test (~3 min): bench/target/sessions/quick/sessions.md
#
# Any option goes to bench/sessions/measure.py (`python3 bench/sessions/measure.py --help`). Not part of
# `mvn verify`: nothing here is a test, and Berth's build does not know this folder.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(dirname "$HERE")"
ROOT="$(dirname "$BENCH")"
OUT="$BENCH/target/sessions"

say() { printf '%s run.sh: %s\n' "$(date +%H:%M:%S)" "$*"; }

# 1. servers and tools from Debian when missing (root, or sudo): PostgreSQL, Redis, wrk (the client check)
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if ((${#missing[@]})); then
  say "installing ${missing[*]} with apt-get (their services are not started: the bench starts its own)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. Berth: built only when target/berth.jar is missing; the bench runs a copy, so a rebuild cannot change it
if [ ! -f "$ROOT/target/berth.jar" ]; then
  say "building Berth (target/berth.jar is missing)"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
rm -rf "$OUT/war" "$OUT/client"
mkdir -p "$OUT/war/WEB-INF/classes" "$OUT/client"
cp "$ROOT/target/berth.jar" "$OUT/berth.jar"

# 3. the bench WAR (one annotated servlet, compiled against the Servlet API inside berth.jar) and the load generator
say "building the session WAR and the load generator"
javac --release 17 -cp "$OUT/berth.jar" -d "$OUT/war/WEB-INF/classes" \
  "$HERE/webapp/dev/berth/bench/sessions/CountServlet.java"
rm -f "$OUT/sessions-bench.war"
jar --create --file "$OUT/sessions-bench.war" --no-manifest -C "$OUT/war" .
javac --release 17 -d "$OUT/client" "$HERE/SessionLoad.java"

# 4. the measurement
say "running python3 bench/sessions/measure.py $*"
cd "$ROOT"
exec python3 "$HERE/measure.py" --command "bash bench/sessions/run.sh${*:+ $*}" "$@"
