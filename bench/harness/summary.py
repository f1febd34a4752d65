"""The run's raw measurements summed up per launcher: medians with their range, counts, and ratios paired by round."""

from berthbench.stats import paired, spread

STARTUP_FIELDS = ("port_ms", "health_ms", "app_ms", "rss_ready", "rss_load", "stop_idle_ms", "deploy_log_ms")


def summarize(data):
    keys = [launcher["key"] for launcher in data["launchers"]]
    s = {k: {} for k in keys}
    for k in keys:
        s[k].update(startup(data, k))
        s[k].update(inflight(data, k))
        s[k].update(handover(data, k))
        s[k]["tp"] = {path: throughput(data, k, path) for path in tp_paths(data)}
        hello = s[k]["tp"].get("/hello", {})    # the issue 7 fields: /hello
        s[k]["rps"], s[k]["p50"], s[k]["p99"] = hello.get("rps"), hello.get("p50"), hello.get("p99")
        s[k]["wrk_errors"] = sum(x["errors"] for x in s[k]["tp"].values())
        s[k]["rps_paired_ratio"] = hello.get("paired_vs_plain")
        s[k]["rss_after_tp"] = data.get("throughput", {}).get("rss_after_throughput", {}).get(k)
    if "berth" in s:
        s["berth"]["paired_health_vs_hello"] = paired_startup(data, "berth", "health_ms", "hello", "app_ms")
        s["berth"]["paired_app_vs_plain"] = paired_startup(data, "berth", "app_ms", "plain", "app_ms")
        s["berth"]["paired_rss_vs_plain"] = paired_startup(data, "berth", "rss_ready", "plain", "rss_ready")
    for k in keys:
        if k != "plain" and s[k].get("app_ms"):
            s[k]["paired_startup_app_vs_plain"] = paired_startup(data, k, "app_ms", "plain", "app_ms")
    return s


def measured(rows, key):
    """The rows of one launcher that count (not the warm-up round)."""
    return [r for r in rows if r["launcher"] == key and not r.get("warmup")]


def startup(data, k):
    rows = measured(data["startup"], k)
    out = {field: spread([r.get(field) for r in rows]) for field in STARTUP_FIELDS}
    out["startup_failures"] = sum(1 for r in rows if r.get("error"))
    return out


def inflight(data, k):
    rows = measured(data["inflight"], k)
    return {"stop_inflight_ms": spread([r.get("stop_inflight_ms") for r in rows]),
            "inflight_200": sum(1 for r in rows if r.get("inflight_status") == 200), "inflight_n": len(rows)}


def handover(data, k):
    rows = measured(data["handover"], k)
    kinds = {}
    for r in rows:
        for kind, n in r.get("fail_kinds", {}).items():
            kinds[kind] = kinds.get(kind, 0) + n
    return {"handover_failed": sum(r.get("failed", 0) for r in rows), "handover_ok": sum(r.get("ok", 0) for r in rows),
            "handover_held": sum(r.get("held_ok", 0) for r in rows), "handover_runs": len(rows),
            "handover_gap": spread([r.get("accept_to_ready_ms") for r in rows]), "handover_kinds": kinds}


def throughput(data, k, path):
    bursts = tp_bursts(data, k, path)
    return {"rps": spread([b["rps"] for b in bursts]), "p50": spread([b["p50_ms"] for b in bursts]),
            "p99": spread([b["p99_ms"] for b in bursts]), "cpu_us": spread([b.get("cpu_us_per_req") for b in bursts]),
            "errors": sum((b.get("errors") or 0) + (b.get("non2xx") or 0) for b in bursts),
            "paired_vs_plain": paired_tp(data, k, "plain", path)}


def paired_startup(data, key, field, ref_key, ref_field):
    """Each round's run of key against the same round's run of ref_key."""
    by = {}
    for r in data["startup"]:
        if not r.get("warmup"):
            by.setdefault(r["round"], {})[r["launcher"]] = r
    rounds = [{"a": rr.get(key, {}).get(field), "b": rr.get(ref_key, {}).get(ref_field)} for rr in by.values()]
    return paired(rounds, "a", "b")


def tp_paths(data):
    tp = data.get("throughput", {})
    return tp.get("paths") or sorted({b.get("path", "/hello") for b in tp.get("bursts", [])})


def tp_bursts(data, key, path):
    """The measured (not warm-up) bursts of one launcher on one path."""
    return [b for b in data.get("throughput", {}).get("bursts", [])
            if b["launcher"] == key and b.get("path", "/hello") == path and not b.get("warmup")]


def paired_tp(data, key, ref_key, path, field="rps"):
    """Median (min–max) of the per-round ratios key ÷ ref_key of one burst field on one path."""
    by_round = {}
    for b in data.get("throughput", {}).get("bursts", []):
        if b.get("path", "/hello") == path and not b.get("warmup"):
            by_round.setdefault(b["round"], {})[b["launcher"]] = b.get(field)
    return paired(list(by_round.values()), key, ref_key)
