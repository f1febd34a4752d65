"""latest.png, drawn from the run's JSON file only (matplotlib: Debian's python3-matplotlib; skipped without it)."""

from berthbench import log
from berthbench.report import num, times
from berthbench.stats import ratio
from harness.goals import IMAGE_VS_PLAIN
from harness.summary import tp_paths


def draw(results, path):
    """Draws the chart into path; False when matplotlib is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np
    except ImportError:
        log("matplotlib not available: no chart (install python3-matplotlib)")
        return False
    data, s = results["data"], results["summary"]
    keys = [launcher["key"] for launcher in data["launchers"]]
    labels = {launcher["key"]: short_label(launcher["label"]) for launcher in data["launchers"]}
    fig, axes = plt.subplots(5, 2, figsize=(16, 30))

    def bars(ax, series, title, ylabel, ks=None, annotate=None):
        """series: (getter or summary field, legend); a getter takes a key and returns a spread dict or None."""
        getters = [(f if callable(f) else (lambda k, f=f: s[k].get(f)), name) for f, name in series]
        ks = [k for k in (ks or keys) if any(g(k) for g, _ in getters)]
        x = np.arange(len(ks))
        width = 0.8 / len(series)
        for i, (g, name) in enumerate(getters):
            vals = [g(k) for k in ks]
            meds = [v["median"] if v else 0 for v in vals]
            lo = [v["median"] - v["min"] if v else 0 for v in vals]
            hi = [v["max"] - v["median"] if v else 0 for v in vals]
            xs = x + (i - (len(series) - 1) / 2) * width
            ax.bar(xs, meds, width, yerr=[lo, hi], capsize=3, label=name)
            if annotate:
                for xi, k, v in zip(xs, ks, vals):
                    text = annotate(k, i)
                    if v and text:
                        ax.annotate(text, (xi, v["max"]), textcoords="offset points", xytext=(0, 3), ha="center",
                                    fontsize=7)
        ax.set_xticks(x)
        ax.set_xticklabels([labels[k] for k in ks], rotation=20, ha="right", fontsize=8)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        ax.margins(y=0.12)

    bars(axes[0][0], [("port_ms", "port accepts"), ("health_ms", "first health 200"), ("app_ms", "first app 200")],
         "Startup from spawn (median, min–max)", "ms")
    bars(axes[0][1], [("rss_ready", "RSS when ready"), ("rss_load", "RSS after load")], "Resident memory", "MiB")
    pages = tp_paths(data) or ["/hello", "/body"]
    for ax, page in zip((axes[1][0], axes[1][1]), pages):
        def tp_get(k, page=page):
            return s[k].get("tp", {}).get(page, {}).get("rps")

        def p99(k, _, page=page):
            x = s[k].get("tp", {}).get(page, {}).get("p99")
            return None if not x else "p99 %.1f ms" % x["median"]
        bars(ax, [(tp_get, "req/s (wrk -t2 -c32), label: p99 median")], "Throughput on %s (median, min–max)" % page,
             "requests/s", annotate=p99)
    bars(axes[2][0], [(lambda k, q=q: s[k].get("tp", {}).get(q, {}).get("cpu_us"), q) for q in pages],
         "Server CPU time per request (user + system, all threads)", "µs/request")
    bars(axes[2][1], [("stop_idle_ms", "SIGTERM → exit, idle"), ("stop_inflight_ms", "with a request in flight")],
         "Stopping", "ms")
    small_chart(axes[3][0], axes[3][1], axes[4][0], data, labels, np)
    cold_chart(axes[4][1], data, s, keys, labels, np)
    fig.suptitle("Berth vs plain embedded Jetty, embedded Tomcat, Jetty distribution — %s" % data["date"], y=0.995)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return True


def short_label(label):
    return (label.replace(" (no WAR)", "").replace("plain Jetty hello-world", "Jetty hello-world")
            .replace("embedded ", "").replace(" + AppCDS archive", "+CDS").replace(" + -D…referencesPerCacheLine=16", " no JMX")
            .replace(" --access-log=off --compression=false", " no log, no gzip").replace(" --access-log=off", " no log")
            .replace(" --access-log=json", " json log").replace(" (Jetty's default)", "")
            .replace("Berth on JDK 25 + AOT cache (--train)", "Berth JDK 25+AOT").replace(" on JDK 25, no archive", " JDK 25"))


def small_chart(ax_start, ax_rss, ax_load, data, labels, np):
    """The small instance: one group per launcher and WAR."""
    runs = data.get("small", [])
    for ax in (ax_start, ax_rss, ax_load):
        ax.grid(axis="y", alpha=0.3)
    if not runs:
        for ax in (ax_start, ax_rss, ax_load):
            ax.set_title("Small instance: not measured in this run")
            ax.axis("off")
        return
    seconds = data["config"]["small_seconds"]
    names = ["%s\n%s" % (labels.get(r["launcher"], r["launcher"]), r["war"]) for r in runs]
    x = np.arange(len(runs))

    def val(r, field):
        return r.get(field) or 0

    ax_start.bar(x, [val(r, "first_ms") for r in runs], 0.6, color="tab:green")
    for xi, r in zip(x, runs):
        ax_start.annotate("%.0f" % val(r, "first_ms"), (xi, val(r, "first_ms")), textcoords="offset points",
                          xytext=(0, 3), ha="center", fontsize=8)
    ax_start.set_title("Small instance (1 CPU, 512 MB): spawn → first 200 of the page")
    ax_start.set_ylabel("ms")
    ax_rss.bar(x - 0.2, [val(r, "rss_ready") for r in runs], 0.4, label="RSS when ready")
    ax_rss.bar(x + 0.2, [val(r, "rss_load") for r in runs], 0.4, label="RSS after %d s load" % seconds)
    ax_rss.axhline(512, color="red", linestyle="--", linewidth=1, label="-XX:MaxRAM=512m")
    ax_rss.set_title("Small instance: resident memory")
    ax_rss.set_ylabel("MiB")
    ax_rss.legend(fontsize=8)
    ax_load.bar(x, [val(r, "rps") for r in runs], 0.6, color="tab:purple", label="req/s (wrk -t1 -c32, label: p99)")
    for xi, r in zip(x, runs):
        text = "p99 %s ms" % num(r.get("p99_ms"), 1)
        errors = (r.get("errors") or 0) + (r.get("non2xx") or 0)
        if not r.get("alive") or r.get("oom") or errors:
            text += "\n" + ("OOM " if r.get("oom") else "") + ("dead " if not r.get("alive") else "") + "%d errors" % errors
        ax_load.annotate(text, (xi, val(r, "rps")), textcoords="offset points", xytext=(0, 3), ha="center", fontsize=8)
    ax_load.set_title("Small instance: %d s load on the page" % seconds)
    ax_load.set_ylabel("requests/s")
    ax_load.legend(fontsize=8)
    for ax in (ax_start, ax_rss, ax_load):
        ax.set_xticks(x)
        ax.set_xticklabels(names, fontsize=8)
        ax.margins(y=0.15)


def cold_chart(ax, data, s, keys, labels, np):
    """First app 200 of every startup launcher (archives included), horizontal, with the ratio to plain Jetty."""
    phases = {launcher["key"]: set(launcher.get("phases", [])) for launcher in data["launchers"]}
    ks = [k for k in keys if "startup" in phases[k] and s[k].get("app_ms") and k != "hello"]
    if not ks:
        ax.set_title("Cold start: not measured in this run")
        ax.axis("off")
        return
    y = np.arange(len(ks))
    meds = [s[k]["app_ms"]["median"] for k in ks]
    err = [[s[k]["app_ms"]["median"] - s[k]["app_ms"]["min"] for k in ks],
           [s[k]["app_ms"]["max"] - s[k]["app_ms"]["median"] for k in ks]]
    colors = ["tab:red" if k == "berth-aot25" else "tab:gray" if k.startswith("plain") else "tab:blue" for k in ks]
    ax.barh(y, meds, 0.6, xerr=err, capsize=3, color=colors)
    plain = s.get("plain", {}).get("app_ms")
    for yi, k, m in zip(y, ks, meds):
        ax.annotate(" %.0f ms (%s)" % (m, times(ratio(s[k]["app_ms"], plain))),
                    (s[k]["app_ms"]["max"], yi), va="center", fontsize=8)
    if plain:
        ax.axvline(plain["median"] * IMAGE_VS_PLAIN, color="red", linestyle="--", linewidth=1,
                   label="goal: %.1f× plain Jetty (JDK 17, no archive)" % IMAGE_VS_PLAIN)
        ax.legend(fontsize=8, loc="lower right")
    ax.set_yticks(y)
    ax.set_yticklabels([labels[k] for k in ks], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("ms from spawn to the first application 200 (median, min–max)")
    ax.set_title("Cold start: first application 200, with CDS / AOT archives")
    ax.grid(axis="y", alpha=0.3)
    ax.margins(x=0.25)
