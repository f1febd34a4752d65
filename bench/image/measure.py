#!/usr/bin/env python3
"""The image's cold start under Render's Starter limits, against plain embedded Jetty in the same kind of container.

Every start is a fresh `podman run` with --memory=512m --cpus=0.5 on the host's network, timed from the spawn of
`podman run` to the first /health/live 200 (Berth only: plain Jetty has no health endpoint) and to the first 200 of
the application's page (/hello of bench/webapp, the WAR every bench uses), with the JVM's VmRSS and CPU time at
that moment (read from the host, by the container's pid). Variants:

  plain      plain embedded Jetty 12.1.14 ee11 (bench/plain-jetty) on the image's base (eclipse-temurin:25-jre), the
             same -XX:MaxRAMPercentage=75 as the image, as a non-root user, no archive; the WAR mounted
  image      the image the Dockerfile builds (AOT cache trained on the status page), the WAR mounted at /app/app.war
  image-no-aot  the same without -XX:AOTCache (the image's command otherwise): what the cache buys here
  app-image  the README's application image: FROM the image, COPY the WAR, retrain the AOT cache with it

Rounds are interleaved (each variant once per round, the order rotated each round); round 0 is a warm-up and is not
counted. Containers are named by this script, stopped with `podman stop` and removed by name; every wait has a
deadline. podman must work here (docker/podman-build.sh --check says what is missing), with Java 17+ and Maven.
The results go to bench/results/image.json, and the report bench/results/image.md is made from that file.

  python3 bench/image/measure.py                 # builds what it measures, 5 measured rounds (about 1.5 minutes with the base images made)
  python3 bench/image/measure.py --rounds 1      # smoke test
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/, for berthbench

from berthbench import HOST, RESULTS, log, probe, processes, report, stats  # noqa: E402
from berthbench.ports import PortPool  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
WORK = os.path.join(BENCH, "target", "image")
LIMITS = ["--memory=512m", "--cpus=0.5"]
APP_PATH = "/hello"
START_TIMEOUT = 180.0
PODMAN = os.environ.get("PODMAN", "podman")
STATE = os.environ.get("BERTH_IMAGE_STATE",
                       os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "berth-image"))
ENV = dict(os.environ, CONTAINERS_CONF=os.path.join(STATE, "containers.conf"))
RUN = "bench-" + uuid.uuid4().hex[:6]      # names this run's containers and images
APP_IMAGE = "berth-bench-app:" + RUN
PLAIN_IMAGE = "plain-jetty-bench:" + RUN

PLAIN_DOCKERFILE = """FROM eclipse-temurin:25-jre
RUN groupadd --system jetty && useradd --system --gid jetty --home-dir /app --shell /usr/sbin/nologin jetty \\
    && mkdir -p /app && chown jetty:jetty /app
WORKDIR /app
COPY plain-jetty.jar /opt/plain/plain-jetty.jar
USER jetty
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/plain/plain-jetty.jar"]
"""

# the README's application image recipe
APP_DOCKERFILE = """FROM {base}
COPY target/app.war /app/app.war
RUN java -XX:AOTCacheOutput=/app/berth.aot -jar /opt/berth/berth.jar --train --host=127.0.0.1 \\
        --port=0 --fallback-ports= --access-log=off /app/app.war
"""

def podman(*args, timeout=120, check=True):
    result = subprocess.run([PODMAN] + list(args), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, timeout=timeout, text=True)
    if check and result.returncode != 0:
        raise SystemExit("podman %s exited %d:\n%s%s" % (" ".join(args), result.returncode, result.stdout, result.stderr))
    return result


class Variant:
    def __init__(self, key, label, image, options=(), args=(), health=True):
        self.key, self.label, self.image = key, label, image
        self.options, self.args, self.health = list(options), list(args), health


def variants(image, war):
    mount = "--volume=%s:/app/app.war:ro" % war
    return [
        Variant("plain", "plain embedded Jetty, Temurin 25, no archive, WAR mounted", PLAIN_IMAGE, [mount],
                ["war", HOST, "{port}", "/app/app.war"], health=False),
        Variant("image", "Berth image (AOT cache trained on the status page), WAR mounted", image, [mount]),
        # the image's command without -XX:AOTCache: what the cache buys under these limits
        Variant("image-no-aot", "Berth image without the AOT cache, WAR mounted", image, [mount, "--entrypoint=java"],
                ["-XX:MaxRAMPercentage=75", "-jar", "/opt/berth/berth.jar", "/app/app.war"]),
        Variant("app-image", "Berth application image (AOT cache retrained with the WAR)", APP_IMAGE),
    ]


def cold_start(variant, ports, live):
    """One `podman run`: ms to the first health and application 200 (timed by the shared probe; the podman client
    exits once the container runs, so only the deadline ends the probes), then the JVM's RSS and CPU time."""
    port = ports.take()
    name = "%s-%s-%d" % (RUN, variant.key, port)
    command = [PODMAN, "run", "--detach", "--pull=never", "--name", name, "--network=host"] + LIMITS + [
        "--env=PORT=%d" % port, "--env=BERTH_HOST=" + HOST, "--env=BERTH_FALLBACK_PORTS=%d" % port] + variant.options + [
        variant.image] + [arg.replace("{port}", str(port)) for arg in variant.args]
    live.add(name)
    client = None
    result = {"variant": variant.key}
    try:
        def spawn():
            nonlocal client
            client = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      stdin=subprocess.DEVNULL)
            return client
        probes = ([("health", "/health/live")] if variant.health else []) + [("app", APP_PATH)]
        start = probe.cold_start(spawn, port, probes, START_TIMEOUT, watch=False)
        if variant.health:
            result["health_ms"] = start.marks.get("health")
        result["app_ms"] = start.marks.get("app")
        client.wait(timeout=60)
        pid = int(podman("inspect", "--format", "{{.State.Pid}}", name).stdout.strip() or 0)
        result["rss_mib"], result["cpu_s"] = (processes.rss_mib(pid), processes.cpu_seconds(pid)) if pid else (None, None)
        if result["app_ms"] is None:
            result["logs"] = podman("logs", name, check=False).stderr[-2000:]
    finally:
        if client is not None and client.poll() is None:
            client.kill()
        podman("stop", "--time", "30", name, timeout=90, check=False)
        podman("rm", "--force", "--ignore", name, check=False)
        live.discard(name)
    return result


def podman_overhead(image, runs=5):
    """The time `podman run --rm` of a command that does nothing takes here under the same limits: the floor."""
    times = []
    for _ in range(runs):
        begin = time.monotonic()
        podman("run", "--rm", "--pull=never", "--network=host", *LIMITS, "--entrypoint", "true", image)
        times.append((time.monotonic() - begin) * 1000)
    return stats.median(times)


# ---------------------------------------------------------------- building what is measured

def build(args):
    os.makedirs(WORK, exist_ok=True)
    if not args.image:
        args.image = "berth:bench"
        log("docker/podman-build.sh --tag=%s" % args.image)
        subprocess.run(["bash", os.path.join(ROOT, "docker", "podman-build.sh"), "--tag=" + args.image], check=True,
                       env=dict(os.environ, BERTH_IMAGE_STATE=STATE))
    war = os.path.join(BENCH, "webapp", "target", "bench-app.war")
    plain = os.path.join(BENCH, "plain-jetty", "target", "plain-jetty.jar")
    if not (os.path.isfile(war) and os.path.isfile(plain)):
        log("mvn -B -q -f bench/pom.xml -pl webapp,plain-jetty -am package")
        subprocess.run(["mvn", "-B", "-q", "-f", os.path.join(BENCH, "pom.xml"), "-pl", "webapp,plain-jetty", "-am", "package"],
                       check=True)
    # snapshots, readable by the containers' users, so a rebuild during the run cannot change what is measured
    app_context = os.path.join(WORK, "app-context")
    plain_context = os.path.join(WORK, "plain-context")
    for folder in (app_context, plain_context):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
    os.makedirs(os.path.join(app_context, "target"))
    snapshot = os.path.join(WORK, "bench-app.war")
    for source, target in ((war, snapshot), (war, os.path.join(app_context, "target", "app.war")),
                           (plain, os.path.join(plain_context, "plain-jetty.jar"))):
        shutil.copyfile(source, target)
        os.chmod(target, 0o644)
    with open(os.path.join(app_context, "Dockerfile"), "w") as out:
        out.write(APP_DOCKERFILE.format(base=args.image))
    with open(os.path.join(plain_context, "Dockerfile"), "w") as out:
        out.write(PLAIN_DOCKERFILE)
    log("podman build %s (the application image) and %s" % (APP_IMAGE, PLAIN_IMAGE))
    podman("build", "--network=host", "--pull=never", "--tag", APP_IMAGE, app_context, timeout=900)
    podman("build", "--network=host", "--pull=never", "--tag", PLAIN_IMAGE, plain_context, timeout=900)
    return snapshot


def describe(image):
    inspect = json.loads(podman("image", "inspect", image).stdout)[0]
    labels = inspect.get("Labels") or inspect.get("Config", {}).get("Labels") or {}
    return {"image": image, "id": inspect["Id"][:12], "base": labels.get("dev.berth.stand-in", "the real base image")}


# ---------------------------------------------------------------- report

def span(values, digits=0):
    values = stats.present(values)
    return "" if not values else " (%s–%s)" % (report.num(min(values), digits), report.num(max(values), digits))


def value(v, unit, digits=0):
    return "–" if v is None else "%.*f%s" % (digits, v, unit)


def render(data):
    """The report, from the results JSON alone (runs before issue 24 did not record the variants' labels: those
    come from variants())."""
    labels = data.get("variants") or [{"key": v.key, "label": v.label, "health": v.health} for v in variants("", "")]
    by = {v["key"]: [r for r in data["results"] if r["variant"] == v["key"] and r["round"] > 0] for v in labels}
    base = stats.median([r["app_ms"] for r in by["plain"]])
    rows = []
    for v in labels:
        runs = by[v["key"]]
        app = stats.median([r["app_ms"] for r in runs])
        health = stats.median([r.get("health_ms") for r in runs])
        rows.append([v["label"],
                     value(health, " ms") + span([r.get("health_ms") for r in runs]) if v["health"] else "n/a",
                     value(app, " ms") + span([r["app_ms"] for r in runs]),
                     "%.2f×" % (app / base) if app and base else "–",
                     value(stats.median([r["rss_mib"] for r in runs]), " MiB") + span([r["rss_mib"] for r in runs]),
                     value(stats.median([r["cpu_s"] for r in runs]), " s", 2) + span([r["cpu_s"] for r in runs], 2)])
    lines = ["# The image's cold start under Render's Starter limits", "",
             "Measured %s by `%s` on %s CPUs, each start a `podman run` with %s. Medians of %d interleaved rounds "
             "(min–max); `podman run --rm … true` under the same limits takes %s." % (
                 data["date"], data["command"], data["machine"]["cpus"], " ".join(data["limits"]), data["rounds"],
                 value(data["podman_run_true_ms"], " ms")), ""]
    lines += report.table(["variant", "first health 200", "first application 200", "vs plain", "VmRSS at first 200",
                           "CPU at first 200"], rows)
    lines += ["", "Images: %s." % "; ".join("`%s` %s (base: %s)" % (i["image"], i["id"], i["base"]) for i in data["images"])]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds after the warm-up round (default 5)")
    parser.add_argument("--image", help="an image already built from the Dockerfile (default: build berth:bench)")
    parser.add_argument("--out", default=RESULTS, help="results directory: image.json and image.md (default bench/results)")
    args = parser.parse_args()

    check = subprocess.run(["bash", os.path.join(ROOT, "docker", "podman-build.sh"), "--check"],
                           env=dict(os.environ, BERTH_IMAGE_STATE=STATE), stdout=subprocess.DEVNULL)
    if check.returncode != 0:
        raise SystemExit("podman cannot build or run the image here (see above)")
    war = build(args)
    variants_list = variants(args.image, war)
    ports, live = PortPool(), set()
    results = []
    try:
        overhead = podman_overhead(args.image)
        for round_no in range(args.rounds + 1):
            shift = round_no % len(variants_list)
            for variant in variants_list[shift:] + variants_list[:shift]:
                result = cold_start(variant, ports, live)
                result["round"] = round_no
                results.append(result)
                log("round %d %-12s health %s app %s rss %s cpu %s%s" % (
                    round_no, variant.key, value(result.get("health_ms"), " ms"), value(result["app_ms"], " ms"),
                    value(result["rss_mib"], " MiB"), value(result["cpu_s"], " s", 2),
                    " (warm-up)" if round_no == 0 else ""))
                if result["app_ms"] is None:
                    raise SystemExit("%s never served %s:\n%s" % (variant.key, APP_PATH, result.get("logs", "")))
        data = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "command": " ".join(["python3", os.path.relpath(os.path.abspath(sys.argv[0]), ROOT)] + sys.argv[1:]),
                "machine": {"cpus": os.cpu_count(), "kernel": platform.release()},
                "limits": LIMITS, "rounds": args.rounds, "podman_run_true_ms": overhead,
                "variants": [{"key": v.key, "label": v.label, "health": v.health} for v in variants_list],
                "images": [describe(args.image), describe(APP_IMAGE), describe(PLAIN_IMAGE)], "results": results}
        print()
        print(report.write(args.out, "image", data, render))
        log("results: %s" % os.path.relpath(os.path.join(args.out, "image.json"), ROOT))
    finally:
        for name in list(live):
            podman("rm", "--force", "--ignore", name, check=False)
        podman("rmi", "--force", "--ignore", APP_IMAGE, PLAIN_IMAGE, check=False)


if __name__ == "__main__":
    main()
