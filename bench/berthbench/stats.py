"""Statistics of repeated runs: medians with their range, ratios of medians, ratios paired by round.

A missing measurement is None and is left out; a statistic of nothing is None, never an error.
"""

import math
import statistics


def present(values):
    """The values that are not None."""
    return [v for v in values if v is not None]


def median(values):
    """The median of the values present, or None."""
    values = present(values)
    return statistics.median(values) if values else None


def spread(values):
    """{"median", "min", "max", "n"} of the values present, or None: how a table shows repeated runs."""
    values = present(values)
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def ratio(a, b):
    """a's median ÷ b's median (both spread() dicts), or None when either is missing or b's is 0."""
    if a is None or b is None or b["median"] == 0:
        return None
    return a["median"] / b["median"]


def paired(rounds, key, reference):
    """The spread of the per-round ratios rounds[r][key] ÷ rounds[r][reference], over the rounds that have both
    (non-zero): runs made next to each other share more of the machine's drift than runs of different rounds."""
    return spread([r[key] / r[reference] for r in rounds if r.get(key) and r.get(reference)])


def percentile(values, q):
    """The nearest-rank q-th percentile (0 < q <= 100) of the values present, or None."""
    values = sorted(present(values))
    if not values:
        return None
    return values[max(0, math.ceil(q / 100.0 * len(values)) - 1)]
