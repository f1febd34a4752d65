"""The goals of issues 7, 15 and 27 (start-up and memory against plain Jetty tightened by issue 27), judged on the summary: each a row with the value measured, the target, PASS, MISS
or n/a (not measured in this run), and the detail behind it."""

from berthbench.report import mib, num, spread as fmt, times
from berthbench.stats import ratio
from harness.small import WARS as SMALL_WARS
from harness.summary import paired_tp, tp_paths

HEALTH_VS_HELLO = 1.10   # Berth's first health 200 ÷ plain Jetty hello-world's first 200 (issue 27)
APP_VS_PLAIN = 1.05      # Berth's first application 200 ÷ plain Jetty's, same WAR (issue 27)
RSS_VS_PLAIN = 1.10      # Berth's RSS when ready, and after a load, ÷ plain Jetty's (issue 27)
TP_VS_PEER = 1.00         # Berth's req/s ÷ plain Jetty's and ÷ embedded Tomcat's, per page
ACCESS_LOG_KEEPS = 0.97   # Berth with an access log ÷ Berth --access-log=off (a log may cost at most 3 %)
IMAGE_VS_PLAIN = 0.60     # Berth JDK 25 + AOT cache first app 200 ÷ plain Jetty (JDK 17, no archive)


class Goals:
    def __init__(self):
        self.rows = []

    def add(self, name, value, limit, ok, detail):
        """ok: True (PASS), False (MISS) or None (not measured in this run: n/a)."""
        self.rows.append({"goal": name, "value": value, "limit": limit, "pass": ok, "detail": detail})


def goals(s, data):
    g = Goals()
    startup(g, s)
    throughput(g, s, data)
    access_log(g, s, data)
    small(g, data)
    image(g, s, data)
    return g.rows


def startup(g, s):
    b, p, h, t, d = (s.get(k, {}) for k in ("berth", "plain", "hello", "tomcat", "dist"))
    r = ratio(b.get("health_ms"), h.get("app_ms"))
    g.add("first health 200 ≤ %.2f× plain Jetty hello-world 200" % HEALTH_VS_HELLO, times(r), "≤ %.2f×" % HEALTH_VS_HELLO,
          None if r is None else r <= HEALTH_VS_HELLO,
          "%s vs %s; paired per round %s" % (fmt(b.get("health_ms"), " ms"), fmt(h.get("app_ms"), " ms"),
                                             fmt(b.get("paired_health_vs_hello"), "×", 2)))
    r = ratio(b.get("app_ms"), p.get("app_ms"))
    g.add("application's first 200 ≤ %.2f× plain Jetty (same WAR)" % APP_VS_PLAIN, times(r), "≤ %.2f×" % APP_VS_PLAIN,
          None if r is None else r <= APP_VS_PLAIN,
          "%s vs %s; paired per round %s" % (fmt(b.get("app_ms"), " ms"), fmt(p.get("app_ms"), " ms"),
                                             fmt(b.get("paired_app_vs_plain"), "×", 2)))
    r = ratio(b.get("rss_ready"), p.get("rss_ready"))
    g.add("RSS when ready ≤ %.2f× plain Jetty" % RSS_VS_PLAIN, times(r), "≤ %.2f×" % RSS_VS_PLAIN, None if r is None else r <= RSS_VS_PLAIN,
          "%s vs %s" % (fmt(b.get("rss_ready"), " MiB"), fmt(p.get("rss_ready"), " MiB")))
    r = ratio(b.get("rss_load"), p.get("rss_load"))
    g.add("RSS after load ≤ %.2f× plain Jetty" % RSS_VS_PLAIN, times(r), "≤ %.2f×" % RSS_VS_PLAIN, None if r is None else r <= RSS_VS_PLAIN,
          "%s vs %s" % (fmt(b.get("rss_load"), " MiB"), fmt(p.get("rss_load"), " MiB")))
    g.add("zero failed requests across the hand-over", str(b.get("handover_failed")), "0",
          None if not b.get("handover_runs") else b.get("handover_failed") == 0,
          "%d runs, %d requests answered 200, %d of them sent while the WAR deployed" % (
              b.get("handover_runs", 0), b.get("handover_ok", 0), b.get("handover_held", 0)))
    for peer, label in ((t, "embedded Tomcat"), (d, "the Jetty distribution")):
        r = ratio(b.get("app_ms"), peer.get("app_ms"))
        g.add("faster to ready than %s" % label, times(r), "< 1.00×", None if r is None else r < 1.0,
              "%s vs %s" % (fmt(b.get("app_ms"), " ms"), fmt(peer.get("app_ms"), " ms")))
        r = ratio(b.get("rss_ready"), peer.get("rss_ready"))
        g.add("smaller (RSS when ready) than %s" % label, times(r), "< 1.00×", None if r is None else r < 1.0,
              "%s vs %s" % (fmt(b.get("rss_ready"), " MiB"), fmt(peer.get("rss_ready"), " MiB")))


def throughput(g, s, data):
    """Issue 15: throughput with the defaults, against the peers, per page."""
    tp = {k: s.get(k, {}).get("tp", {}) for k in s}
    for path in tp_paths(data):
        for peer, label in (("plain", "plain Jetty"), ("tomcat", "embedded Tomcat")):
            a, z = tp.get("berth", {}).get(path, {}), tp.get(peer, {}).get(path, {})
            r = ratio(a.get("rps"), z.get("rps"))
            g.add("throughput on %s ≥ %s" % (path, label), times(r), "≥ %.2f×" % TP_VS_PEER,
                  None if r is None else r >= TP_VS_PEER,
                  "%s vs %s req/s; paired per round %s; p99 %s vs %s ms" % (
                      fmt(a.get("rps")), fmt(z.get("rps")), fmt(paired_tp(data, "berth", peer, path), "×", 2),
                      fmt(a.get("p99"), "", 2), fmt(z.get("p99"), "", 2)))


def access_log(g, s, data):
    """Issue 15: what the access log costs, against Berth --access-log=off, and that it loses no line."""
    tp = {k: s.get(k, {}).get("tp", {}) for k in s}
    for path in tp_paths(data):
        for key, what in (("berth", "text"), ("berth-json", "json")):
            a, z = tp.get(key, {}).get(path, {}), tp.get("berth-nolog", {}).get(path, {})
            r = ratio(a.get("rps"), z.get("rps"))
            g.add("access log (%s) costs ≤ %.0f %% of peak throughput on %s" % (what, (1 - ACCESS_LOG_KEEPS) * 100, path),
                  times(r), "≥ %.2f×" % ACCESS_LOG_KEEPS, None if r is None else r >= ACCESS_LOG_KEEPS,
                  "%s vs %s req/s (--access-log=off); paired per round %s; CPU µs/request %s vs %s (%s)" % (
                      fmt(a.get("rps")), fmt(z.get("rps")), fmt(paired_tp(data, key, "berth-nolog", path), "×", 2),
                      fmt(a.get("cpu_us"), "", 1), fmt(z.get("cpu_us"), "", 1),
                      times(ratio(a.get("cpu_us"), z.get("cpu_us")))))
    labels = {launcher["key"]: launcher["label"] for launcher in data["launchers"]}
    for key, x in data.get("throughput", {}).get("access_log", {}).items():
        name = "no access log line lost under load (%s)" % labels.get(key, key)
        if x.get("error"):
            g.add(name, "–", "lines ≥ requests", False, x["error"])
            continue
        lines, reqs = sum(x["lines"].values()), sum(x["requests"].values())
        ok = all(x["lines"][q] >= x["requests"][q] for q in x["lines"]) and not x["drop_notice_count"] \
            and not x.get("bursts_without_count")
        g.add(name, "%d lines / %d requests" % (lines, reqs), "lines ≥ requests, no drop notice", ok,
              "%s; %d 'access log lines dropped' notices (%d lines); requests = wrk's completed requests, warm-up "
              "included (the server answers a few more: those in flight when wrk stops, and the harness's probes)%s" % (
                  "; ".join("%s: %d lines, %d requests (%+d)" % (q, x["lines"][q], x["requests"][q],
                                                                x["lines"][q] - x["requests"][q]) for q in x["lines"]),
                  x["drop_notice_count"], x["dropped"],
                  "; %d bursts without a request count" % x["bursts_without_count"] if x.get("bursts_without_count") else ""))


def small(g, data):
    """Issue 15: Berth's defaults on a small instance."""
    runs = [r for r in data.get("small", []) if r["launcher"] == "berth"]
    if not data.get("config", {}).get("small"):
        g.add("Berth's defaults do not run out of memory under load on 1 CPU / 512 MB", "–", "alive, no OOM, no errors",
              None, "not measured: the small-instance phase did not run (--no-small or --only)")
        return
    seconds = data["config"]["small_seconds"]
    wars = {r["war"] for r in runs}
    missing = [w for w, _, _, _ in SMALL_WARS if w not in wars]
    bad = [r for r in runs if not r.get("alive") or r.get("oom") or r.get("error")
           or (r.get("errors") or 0) + (r.get("non2xx") or 0) > 0]
    ok = False if bad else (None if missing or not runs else True)
    g.add("Berth's defaults do not run out of memory under a %d s load on 1 CPU / 512 MB" % seconds,
          "%d of %d runs clean" % (len(runs) - len(bad), len(runs)), "alive, no OOM, no errors", ok,
          "; ".join("%s: %s, OOM %s, %d errors, RSS %s → %s MiB, %s req/s" % (
              r["war"], "alive" if r.get("alive") else "DEAD" + (" (%s)" % r["error"] if r.get("error") else ""),
              "yes" if r.get("oom") else "no", (r.get("errors") or 0) + (r.get("non2xx") or 0),
              mib(r.get("rss_ready")), mib(r.get("rss_load")), num(r.get("rps"))) for r in runs)
          + ("; not measured: %s (%s)" % (", ".join(missing), data.get("small_note", "missing")) if missing else ""))


def image(g, s, data):
    """Issue 15: the image's cold start."""
    a, p = s.get("berth-aot25", {}), s.get("plain", {})
    r = ratio(a.get("app_ms"), p.get("app_ms"))
    aot = data.get("aot") or {}
    g.add("image's first application 200 ≤ %.1f× plain Jetty without any archive" % IMAGE_VS_PLAIN, times(r),
          "≤ %.2f×" % IMAGE_VS_PLAIN, None if r is None else r <= IMAGE_VS_PLAIN,
          "Berth on JDK 25 + AOT cache %s vs plain embedded Jetty (JDK 17, no archive) %s; paired per round %s" % (
              fmt(a.get("app_ms"), " ms"), fmt(p.get("app_ms"), " ms"), fmt(a.get("paired_startup_app_vs_plain"), "×", 2))
          if r is not None else "not measured: %s" % (aot.get("error") or aot.get("note") or "no JDK 25 or --no-aot"))
