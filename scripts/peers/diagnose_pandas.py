#!/usr/bin/env python3
"""Independent pandas/numpy implementation of citycheck's diagnosis stage (problem ledger and
project reserve) for one year of a panel check-up.

DEV-ONLY. Not part of the citycheck library, its Python bindings or any package. Written from
the documentation only (METHODS.md §3-§7, the module and item docs of src/diagnose/*.rs and
src/evaluate/alert.rs, tests/golden/README.md), not from citycheck's code, to check the Rust
implementation's golden output. The scores and the within-group weights come from the peer
scripts/peers/pipeline_pandas.py (panel min-max [0, 100], entropy_normalized within groups,
equal weights between groups, arithmetic means).

Run (from the repository root; .venv-peer/ as in pipeline_pandas.py):
    .venv-peer/bin/python scripts/peers/diagnose_pandas.py \
        --data datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv \
        --groups tests/golden/ccsy_example_groups.json --unit-column city \
        --catalog indicators/ccsy-example.toml --tasks indicators/renewal-tasks-liaoning.toml \
        --year 2012 --top 5 --trend-from 2008 --alpha 0.05 \
        --ledger-out tests/golden/default_run_ledger_2012_pandas.csv \
        --reserve-out tests/golden/default_run_reserve_2012_pandas.csv
    .venv-peer/bin/python scripts/peers/diagnose_pandas.py --compare \
        tests/golden/default_run_ledger_2012.csv tests/golden/default_run_ledger_2012_pandas.csv \
        tests/golden/default_run_reserve_2012.csv tests/golden/default_run_reserve_2012_pandas.csv

What is computed (the numbered rules are those of the documentation)
    x_ij     observed value after the catalogue's denominators (no imputation in this run)
    r_ij     indicator score / 100 (min_max scale [0, 100]), clamped to [0, 1]
    F_j      global weight = within-group weight (entropy_normalized) x 1/(number of groups)
    standard T (by_unit override, else the catalogue value); higher: s = min(x/T, 1),
             lower: s = min(T/x, 1) (x = 0 -> 1); met when s = 1
    level    green s >= 1, yellow yellow <= s < 1 (default 0.9), red below; bottom_line miss
             -> red; a significant worsening trend raises one step (the ledger's `level`)
    trend    two-sided Mann-Kendall on the observed x of the years trend_from..year, exact p by
             enumerating all orderings (n <= 8 here), significant when p < alpha and S points the
             bad way (S < 0 higher, S > 0 lower); fewer than 3 values -> no test
    obstacle O_ij = 100 F_j (1 - r_ij) / sum_k F_k (1 - r_ik); rank 1 = largest, ties "min";
             no shortfall -> every O = 0
    peers    all units of the year with a score; rank = 1 + #{x' > x}; below = #{x' < x}/m;
             weakness when below < share (0.2) or x < median - far (0.25) * 100
    problem  below standard (judged, s < 1) | bottom of peers | far below the peer median |
             top-k obstacle (rank <= k and O > 0)
    points   3 red / 2 yellow / 1 green or no standard (level before the trend raise)
             + 1 with a significant worsening trend; severity = points x 100 x F_j
    ledger   units in data order (first appearance), severity desc, obstacle desc (missing
             last), catalogue order
    reserve  tasks(j) = catalogue tasks of j U tasks listing j; priority = sum of severities;
             per unit by priority desc, then task id; rank "min" over equal priorities;
             problems = indicator ids in ledger order joined by ";"
    reasons  in rule order (below standard, bottom of peers, far below the median, top-k
             obstacle, then the trend), joined by "; "; the wording is undocumented and was
             taken from the Rust golden file after the independent run (see TREND_REASON)
    source, note  empty (this data set has no source column; every value is observed)

--compare RUST_LEDGER PEER_LEDGER RUST_RESERVE PEER_RESERVE: row by row in file order, every
    cell: numbers to 1e-9 relative, text exactly, empty = empty; prints the largest relative
    difference per numeric column and every difference; exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
import tomllib

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pipeline_pandas as pp  # noqa: E402

LEDGER_COLUMNS = ["unit", "year", "indicator", "value", "standard", "attainment", "level", "points",
                  "weight", "obstacle", "rank", "severity", "reasons", "source", "note"]
RESERVE_COLUMNS = ["unit", "task", "task_name", "priority", "rank", "problems", "deadline"]
LEVELS = ("green", "yellow", "red")
DEFAULT_YELLOW = 0.9
# The wording of the reasons is not documented (ledger.rs: "the reason as written in ledger.csv,
# with the parameters that applied"). The peer first wrote its own wording (with the numbers
# behind each rule); after the independent run it adopted the wording of the reviewed Rust golden
# file so that the `reasons` column compares which rules fired, in which order. The trend reason
# never occurs in the golden file (no problem of the default run has a worsening trend), so
# TREND_REASON is a guess and is not checked by it.
TREND_REASON = "significant worsening trend"


# --------------------------------------------------------------------------- catalogues

def read_catalog(path: str) -> dict[str, dict]:
    """Indicator id -> its catalogue entry (in catalogue order)."""
    with open(path, "rb") as fh:
        cat = tomllib.load(fh)
    return {ind["id"]: ind for ind in cat.get("indicators", [])}


def read_tasks(path: str) -> list[dict]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)["tasks"]


def standard_for(entry: dict, unit: str) -> float | None:
    std = entry.get("standard")
    if not std:
        return None
    by_unit = std.get("by_unit", {})
    if unit in by_unit:
        return float(by_unit[unit])
    return float(std["value"]) if "value" in std else None


def attainment(x: float, T: float, direction: str) -> float:
    if x < 0:
        raise ValueError("attainment needs x >= 0")
    if direction == "higher":
        return min(x / T, 1.0)
    if direction == "lower":
        return 1.0 if x == 0 else min(T / x, 1.0)
    raise NotImplementedError(f"direction {direction!r} (band/target standards are not in this run)")


def level_of(s: float, entry: dict) -> str:
    yellow = float(entry.get("warning", {}).get("yellow", DEFAULT_YELLOW))
    if s >= 1.0:
        return "green"
    if entry.get("type") == "bottom_line":
        return "red"
    return "yellow" if s >= yellow else "red"


# --------------------------------------------------------------------------- Mann-Kendall

def mk_s(y: np.ndarray) -> int:
    d = np.sign(y[None, :] - y[:, None])
    return int(np.triu(d, k=1).sum())


def mk_two_sided_exact(y: np.ndarray) -> tuple[int, float]:
    """S and the exact two-sided p = P(|S| >= |s|) over all n! orderings of the values."""
    n = len(y)
    if n > 8:
        raise NotImplementedError("exact enumeration is written for n <= 8 only")
    s = mk_s(y)
    perms = np.array(list(itertools.permutations(range(n))))
    Y = y[perms]                                            # every ordering, one per row
    iu, ju = np.triu_indices(n, k=1)
    S_all = np.sign(Y[:, ju] - Y[:, iu]).sum(axis=1)
    p = float(np.mean(np.abs(S_all) >= abs(s)))
    return s, p


def worsening_trends(long: pd.DataFrame, inds: list[str], lower: dict[str, bool],
                     t_from: int, t_to: int, alpha: float) -> tuple[set, list]:
    """Set of (unit, indicator) with a significant worsening trend; the list of every test."""
    obs = long[long["indicator"].isin(inds) & long["value"].notna()
               & (long["year"] >= t_from) & (long["year"] <= t_to)]
    out, tests = set(), []
    for (unit, ind), g in obs.sort_values("year").groupby(["unit", "indicator"], sort=False):
        y = g["value"].to_numpy(dtype="float64")
        if len(y) < 3:
            continue
        s, p = mk_two_sided_exact(y)
        bad = (s > 0) if lower[ind] else (s < 0)
        tests.append((unit, ind, len(y), s, p))
        if bad and p < alpha:
            out.add((unit, ind))
    return out, tests


# --------------------------------------------------------------------------- diagnosis

def diagnose(long: pd.DataFrame, unit_order: list[str], inds: list[str], groups: list[str],
             lower_arr: np.ndarray, catalog: dict, tasks: list[dict], year: int, top: int,
             t_from: int, alpha: float, share: float = 0.2, far: float = 0.25,
             lo: float = 0.0, hi: float = 100.0) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    details: dict = {}
    scores = pp.pipeline(long, inds, groups, lower_arr, details)
    w = details["weights"]
    group_ids = list(dict.fromkeys(groups))
    F = w / len(group_ids)                                     # equal weights between the groups
    present = list(w.index)                                    # catalogue order (GROUPS.json order)
    lower = {i: bool(l) for i, l in zip(inds, lower_arr)}

    ind_scores = scores[(scores["kind"] == "indicator") & (scores["year"] == year)]
    R = ind_scores.pivot(index="unit", columns="node", values="score").reindex(columns=present)
    year_units = [u for u in unit_order if u in R.index]
    R = R.reindex(year_units)
    X = (long[(long["year"] == year) & long["indicator"].isin(present)]
         .pivot(index="unit", columns="indicator", values="value")
         .reindex(index=year_units, columns=present))

    worsening, tests = worsening_trends(long, present, lower, t_from, year, alpha)

    # obstacle degrees
    r01 = ((R - lo) / (hi - lo)).clip(0.0, 1.0)
    FI = (1.0 - r01) * F.to_numpy()[None, :]
    O = pd.DataFrame(np.nan, index=R.index, columns=present)
    for u in year_units:
        fi = FI.loc[u]
        ok = fi.notna()
        t = float(fi[ok].sum())
        O.loc[u, ok] = 0.0 if t == 0 else (100.0 * fi[ok] / t)
    O_rank = O.apply(lambda row: row.rank(method="min", ascending=False), axis=1)

    # peers: all units of the year
    peer_rank = R.rank(method="min", ascending=False)
    rows = []
    for u in year_units:
        for j in present:
            x_score = R.at[u, j]
            reasons = []
            entry = catalog[j]
            direction = "lower" if lower[j] else "higher"
            xv = X.at[u, j]
            T = standard_for(entry, u)
            s = level = level0 = None
            if T is not None and not np.isnan(xv):
                s = attainment(float(xv), T, direction)
                level0 = level_of(s, entry)
                if s < 1.0:
                    reasons.append("below standard")
            wors = (u, j) in worsening
            if level0 is not None:
                level = LEVELS[min(LEVELS.index(level0) + (1 if wors else 0), 2)]
            # peers on the indicator score
            col = R[j].dropna()
            m = len(col)
            weak_bottom = weak_far = False
            if m >= 2 and not np.isnan(x_score):
                below = float((col < x_score).sum()) / m
                med = float(np.median(col.to_numpy()))
                weak_bottom = below < share
                weak_far = x_score < med - far * (hi - lo)
                if weak_bottom:
                    reasons.append(f"bottom {share * 100:g}% of peers")
                if weak_far:
                    reasons.append(f"far below the peer median (by more than {far * 100:g}% of the scale)")
            ob = O.at[u, j]
            orank = O_rank.at[u, j]
            top_ob = (not np.isnan(ob)) and orank <= top and ob > 0
            if top_ob:
                reasons.append(f"top-{top} obstacle")
            if not reasons:
                continue
            if wors:
                reasons.append(TREND_REASON)
            points = {None: 1, "green": 1, "yellow": 2, "red": 3}[level0] + (1 if wors else 0)
            rows.append({
                "unit": u, "year": year, "indicator": j,
                "value": None if np.isnan(xv) else float(xv),
                "standard": T, "attainment": s, "level": level, "points": points,
                "weight": float(F[j]),
                "obstacle": None if np.isnan(ob) else float(ob),
                "rank": None if np.isnan(peer_rank.at[u, j]) else int(peer_rank.at[u, j]),
                "severity": points * 100.0 * float(F[j]),
                "reasons": "; ".join(reasons), "source": None, "note": None,
                "_cat": present.index(j), "_unit": year_units.index(u),
            })
    ledger = pd.DataFrame(rows)
    ledger["_ob"] = ledger["obstacle"].astype("float64")
    ledger = ledger.sort_values(["_unit", "severity", "_ob", "_cat"],
                                ascending=[True, False, False, True], na_position="last",
                                kind="mergesort")

    # reserve
    task_by_id = {int(t["id"]): t for t in tasks}
    def tasks_of(j: str) -> list[int]:
        ids = set(int(t) for t in catalog[j].get("tasks", []))
        ids |= {int(t["id"]) for t in tasks if j in t.get("indicators", [])}
        return sorted(ids)
    res_rows = []
    for u, g in ledger.groupby("_unit", sort=True):
        prio: dict[int, float] = {}
        probs: dict[int, list[str]] = {}
        for _, row in g.iterrows():
            for t in tasks_of(row["indicator"]):
                prio[t] = prio.get(t, 0.0) + row["severity"]
                probs.setdefault(t, []).append(row["indicator"])
        order = sorted(prio, key=lambda t: (-prio[t], t))
        for t in order:
            rank = 1 + sum(1 for t2 in prio if prio[t2] > prio[t])
            task = task_by_id.get(t)
            res_rows.append({"unit": year_units[u], "task": t,
                             "task_name": task["name_zh"] if task else None,
                             "priority": prio[t], "rank": rank, "problems": ";".join(probs[t]),
                             "deadline": task.get("deadline") if task else None})
    reserve = pd.DataFrame(res_rows, columns=RESERVE_COLUMNS)
    info = {"weights": F, "worsening": sorted(worsening), "tests": tests, "obstacles": O,
            "scores": R, "values": X}
    return ledger[LEDGER_COLUMNS].reset_index(drop=True), reserve, info


# --------------------------------------------------------------------------- comparison

def compare(rust_path: str, peer_path: str, key_cols: list[str], rel: float = 1e-9) -> list[str]:
    """Cell-by-cell comparison, row by row in file order: numbers to `rel` relative (absolute
    below 1e-300), text exactly, empty = empty. Returns the differences as lines."""
    a = pd.read_csv(rust_path, dtype=str, keep_default_na=False)
    b = pd.read_csv(peer_path, dtype=str, keep_default_na=False)
    diffs = []
    if list(a.columns) != list(b.columns):
        diffs.append(f"columns differ: rust {list(a.columns)} vs peer {list(b.columns)}")
    if len(a) != len(b):
        diffs.append(f"row counts differ: rust {len(a)} vs peer {len(b)}")
    cols = [c for c in a.columns if c in b.columns]
    worst = {}
    for k in range(min(len(a), len(b))):
        for c in cols:
            x, y = a.at[k, c], b.at[k, c]
            if x == y:
                continue
            try:
                fx, fy = float(x), float(y)
                r = abs(fx - fy) / max(abs(fx), abs(fy))
                worst[c] = max(worst.get(c, 0.0), r)
                if math.isclose(fx, fy, rel_tol=rel, abs_tol=1e-300):
                    continue
                kind = f"numbers differ (rel {abs(fx - fy) / max(abs(fx), abs(fy)):.3g})"
            except ValueError:
                kind = "text differs"
            key = ", ".join(f"{kc}={a.at[k, kc]}" for kc in key_cols)
            diffs.append(f"row {k + 2} [{key}] column {c}: {kind}\n    rust: {x!r}\n    peer: {y!r}")
    if worst:
        print(f"  {os.path.basename(rust_path)}: largest relative difference per numeric column: "
              + ", ".join(f"{c} {v:.2g}" for c, v in worst.items()))
    return diffs


# --------------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data")
    ap.add_argument("--groups")
    ap.add_argument("--unit-column", default="unit")
    ap.add_argument("--catalog")
    ap.add_argument("--tasks")
    ap.add_argument("--year", type=int)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--trend-from", type=int, help="first year of the trend window (default: all)")
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--ledger-out")
    ap.add_argument("--reserve-out")
    ap.add_argument("--verbose", action="store_true", help="print weights, trend tests, obstacles")
    ap.add_argument("--compare", nargs=4, metavar=("RUST_LEDGER", "PEER_LEDGER", "RUST_RESERVE", "PEER_RESERVE"))
    a = ap.parse_args(argv)

    if a.compare:
        rl, pl, rr, pr = a.compare
        total = 0
        for name, r, p, keys in (("ledger", rl, pl, ["unit", "indicator"]),
                                 ("reserve", rr, pr, ["unit", "task"])):
            d = compare(r, p, keys)
            total += len(d)
            print(f"{name}: {'all cells agree' if not d else f'{len(d)} difference(s)'}")
            for line in d:
                print("  " + line)
        sys.exit(1 if total else 0)

    for req in ("data", "groups", "catalog", "tasks", "ledger_out", "reserve_out"):
        if getattr(a, req) is None:
            ap.error(f"--{req.replace('_', '-')} is required (or use --compare)")
    inds, groups, lower = pp.read_groups(a.groups)
    raw = pp.read_long(a.data, a.unit_column)
    unit_order = list(dict.fromkeys(raw["unit"]))
    long = pp.denominate(raw, pp.read_denominators(a.groups))
    year = a.year if a.year is not None else int(long["year"].max())
    t_from = a.trend_from if a.trend_from is not None else int(long["year"].min())
    ledger, reserve, info = diagnose(long, unit_order, inds, groups, lower, read_catalog(a.catalog),
                                     read_tasks(a.tasks), year, a.top, t_from, a.alpha)
    if a.verbose:
        print("global weights:\n" + info["weights"].to_string())
        print("worsening:", info["worsening"])
        for t in info["tests"]:
            if t[4] < 0.1:
                print("  MK", t)
    ledger.to_csv(a.ledger_out, index=False, lineterminator="\n")
    reserve.to_csv(a.reserve_out, index=False, lineterminator="\n")
    print(f"ledger rows: {len(ledger)}  reserve rows: {len(reserve)}")


if __name__ == "__main__":
    main()
