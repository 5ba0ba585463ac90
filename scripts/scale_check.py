"""The verdict check and figures of `scripts/bench.sh --scale` (a benchmark helper, not a test).

The stand-in's organization is the template organization (audited on moto: the reference report)
plus clones of its member accounts. A clone must get exactly its template's findings (check,
region, status and resource, the clone's id in place of the template's): the generator's expected
verdicts. A sample of clones is compared; every missing, extra or different finding is wrong,
except one that became `unknown` because a read failed after every retry (`sample_unknown`): in
place of the template's finding, or where the report names a failed read in that account and
region.
For a plan (`bench.sh --plan`), a clone must get exactly its template's changes (address, action,
region, attributes, manual step) and unknowns, in the same way.

Usage: python scale_check.py REFERENCE_JSON REPORT_JSON CLONES_JSON STATS_JSON FIGURES_JSON SAMPLE
Prints one JSON line (the figures, the lower bound and the check's counts); the mismatches, if any,
go to standard error.
"""

import collections
import json
import random
import re
import sys

reference, report, clones, stats, figures = (json.load(open(p)) for p in sys.argv[1:6])
sample_size = int(sys.argv[6])


def as_clone(text, template, clone, buckets):
    """What the stand-in makes of a template's text for a clone: each of the template's buckets
    renamed NAME-TEMPLATE, then the template's id swapped for the clone's."""
    for name in buckets:
        text = re.sub(rf"(?<![a-z0-9.-]){re.escape(name)}(?![a-z0-9.-])", f"{name}-{template}", text)
    return text.replace(template, clone)


def changes_of(plan, account, swap=None):
    """A plan's changes and unknowns in `account`, as comparable text."""
    out = collections.Counter()
    for c in plan["changes"]:
        if c["account_id"] == account:
            text = json.dumps({k: c.get(k) for k in ("address", "action", "region", "attributes", "manual")},
                              sort_keys=True)
            out[("change", "", "", as_clone(text, *swap) if swap else text)] += 1
    for n in plan["unknown"]:
        if n["account_id"] == account:
            out[("unknown", n["region"], "", as_clone(n["resource"], *swap) if swap else n["resource"])] += 1
    return out


def findings_of(rep, account, swap=None):
    if "changes" in rep:
        return changes_of(rep, account, swap)
    out = collections.Counter()
    for f in rep["findings"]:
        if f.get("account_id") != account:
            continue
        resource = f.get("resource") or ""
        if swap:
            resource = as_clone(resource, *swap)
        out[(f["check_id"], f.get("region") or "", f["status"], resource)] += 1
    return out


sample = sorted(clones)
random.Random(23).shuffle(sample)
sample = sorted(sample[:sample_size])
checked = wrong = unknown = 0
# Where the report says a read failed after every retry: (account, region or "").
failed = {(e.get("account_id") or "", e.get("region") or "") for e in report.get("errors", [])}
for clone in sample:
    template, buckets = clones[clone]["template"], clones[clone]["buckets"]
    expected = findings_of(reference, template, (template, clone, buckets))
    got = findings_of(report, clone)
    checked += sum(expected.values())
    missing, extra = expected - got, got - expected
    # A finding that became `unknown` (a read failed after every retry) is honest, not wrong:
    # counted apart, as long as the same finding is what went missing, or the report names a
    # failed read in that account and region (a listing that failed where the template had
    # nothing to judge gives an `unknown` finding of its own, never silence).
    for (check, region, status, resource), n in list(extra.items()):
        was = [k for k in missing if (k[0], k[1], k[3]) == (check, region, resource)]
        if status == "unknown" and (was or (clone, region) in failed or (clone, "") in failed):
            unknown += n
            if was:
                missing[was[0]] -= n
            del extra[(check, region, status, resource)]
    missing = +missing
    wrong += sum(missing.values()) + sum(extra.values())
    for k in list(missing)[:5]:
        print(f"{clone} (clone of {template}): expected {k}", file=sys.stderr)
    for k in list(extra)[:5]:
        print(f"{clone} (clone of {template}): got {k}", file=sys.stderr)

accounts, regions = figures["accounts"], figures["regions"]
units = accounts * regions
calls = figures["calls"]
mean_latency_s = stats["mean_latency_ms"] / 1000
median_s = stats["median_latency_ms"] / 1000
# The least wall time this organization allows whatever the tool does:
# - the chain no concurrency shortens: the organization's account list (20 a page, one page after
#   another), then in one account an AssumeRole, the trail list, a trail's status and its
#   bucket's policy (4 calls one after another), each at the median latency;
# - the busiest token bucket: (its calls - its burst) / its rate;
# - every call's latency over the calls AWS lets be in flight: logwarden keeps at most 8 per
#   account and region (where AWS's limits apply) and --concurrency in each shard's process.
chain_s = (-(-accounts // 20) + 4) * median_s
in_flight = min(figures["concurrency"] * figures["shards"], 8 * units)
spread_s = calls * mean_latency_s / in_flight
lower_bound_s = max(chain_s, stats["drain_bound_s"], spread_s)
line = {
    "accounts": accounts,
    "regions": regions,
    "shards": figures["shards"],
    "throttle": figures["throttle"],
    "profile": figures["profile"],
    "concurrency": figures["concurrency"],
    "wall_s": figures["wall_s"],
    "cpu_s": figures["cpu_s"],
    "peak_mib": figures["peak_mib"],
    "calls": calls,
    "calls_per_account_region": round(calls / units, 1),
    "requests": stats["calls"],
    "throttled": stats["throttled_bucket"] + stats["throttled_injected"],
    "throttled_by_buckets": stats["throttled_bucket"],
    "retries": stats["retries"],
    "misses": stats["misses"],
    "failed_reads": figures["failed_reads"],
    "plan": figures["plan"],
    "lower_bound_s": round(lower_bound_s, 1),
    "lower_bound_parts_s": {"chain": round(chain_s, 1), "busiest_bucket": round(stats["drain_bound_s"], 1),
                            "latency_over_concurrency": round(spread_s, 1)},
    "ratio_to_lower_bound": round(figures["wall_s"] / lower_bound_s, 2) if lower_bound_s else None,
    "sample_accounts": len(sample),
    "sample_checked": checked,
    "sample_wrong": wrong,
    "sample_unknown": unknown,
}
print(json.dumps(line))
