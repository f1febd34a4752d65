#!/usr/bin/env bash
# Berth benchmark (issues 7 and 15): one command that builds what it needs and runs the whole harness.
#
#   bash bench/run.sh                       # full run (~25-30 min on 2 cores): results in bench/results/
#   bash bench/run.sh --quick --rounds 1    # smoke test (~5 min): results in bench/target/quick-results/
#
# Any option is passed to bench/harness/bench.py (see `python3 bench/harness/bench.py --help`).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"

say() { printf '%s run.sh: %s\n' "$(date +%H:%M:%S)" "$*"; }

# 1. tools: wrk and matplotlib from Debian when missing (root, or sudo)
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if ! /usr/bin/python3 -c 'import matplotlib' >/dev/null 2>&1 && ! python3 -c 'import matplotlib' >/dev/null 2>&1; then
  missing+=(python3-matplotlib)
fi
if ((${#missing[@]})); then
  say "installing ${missing[*]} with apt-get"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v wrk >/dev/null || { echo "run.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }

# the interpreter: one that has matplotlib (Debian's python3 when a pyenv/venv python3 comes first on PATH)
PY=python3
if ! python3 -c 'import matplotlib' >/dev/null 2>&1 && /usr/bin/python3 -c 'import matplotlib' >/dev/null 2>&1; then
  PY=/usr/bin/python3
fi

# 2. Berth itself: built only when target/berth.jar is missing
if [ ! -f "$ROOT/target/berth.jar" ]; then
  say "building Berth (target/berth.jar is missing)"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

# 3. the bench WAR, plain embedded Jetty, embedded Tomcat, jetty-home unpacked from Maven Central, and the JMH
#    benchmarks (compiled against target/berth.jar, hence after step 2)
say "building bench/ (test WAR, plain-jetty, tomcat, jetty-home ${JETTY_HOME_VERSION:-12.1.12}, JMH benchmarks)"
mvn -B -q -f "$BENCH/pom.xml" package -pl '!jmh'
# the benchmarks reach into Berth's packages: a Berth they no longer compile against loses the injvm phase (the
# report says it was not measured), not the whole run
if ! mvn -B -q -f "$BENCH/pom.xml" package -pl jmh; then
  rm -f "$BENCH/jmh/target/berth-jmh.jar"
  say "bench/jmh does not build against this target/berth.jar: no JMH results in this run"
fi

# 4. the large real WAR of the small-instance phase (hawtio), fetched with the root project's third-party WARs;
#    the harness skips its rows with a note when it is still missing
if [ ! -f "$ROOT/target/third-party-wars/hawtio-war.war" ]; then
  say "fetching the third-party WARs (hawtio for the small-instance phase)"
  if ! (cd "$ROOT" && mvn -B -q dependency:copy@third-party-wars); then
    say "could not fetch target/third-party-wars/hawtio-war.war: the small-instance phase runs the bench WAR only"
  fi
fi

# 5. the harness
say "running the harness: $PY bench/harness/bench.py $*"
cd "$ROOT"
exec "$PY" "$BENCH/harness/bench.py" --command "bash bench/run.sh${*:+ $*}" "$@"
