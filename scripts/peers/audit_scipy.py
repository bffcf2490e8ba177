#!/usr/bin/env python3
"""Independent scipy/numpy check of citycheck's statistical audit: Pearson and Spearman
correlations, their p-values, Cronbach's alpha and the share of the first principal component.

DEV-ONLY. Not part of the citycheck library, its Python bindings or any package, and not run
by the tests (they check the same numbers against a hand calculation, tests/it/audit.rs, and
against numpy, python/tests/test_audit.py). It recomputes every number of an audit folder from
the normalised values of the run's scores.csv with scipy.stats and numpy, written from the
formulas in src/audit/ without reading its code paths, and says how far apart they are.

Setup (once, from the repository root; .venv-peer/ is git-ignored):
    python3 -m venv .venv-peer && .venv-peer/bin/pip install numpy scipy
    (optional: .venv-peer/bin/pip install pingouin — its cronbach_alpha is then compared too)

Run, on the embedded Liaoning example (14 cities, 2008–2012, catalogue ccsy-example):
    cargo run -- audit --catalog ccsy-example \
        --data datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv \
        --unit-column city --out /tmp/audit-out
    .venv-peer/bin/python scripts/peers/audit_scipy.py --out /tmp/audit-out

First it checks scipy against the hand example of tests/it/audit.rs (5 units x 3 indicators:
r12 = 0.8, r13 = 9/sqrt(92), rho13 = sqrt(0.95), alpha = 180/193, ...), then every row of
OUT/audit/correlations.csv and OUT/audit/groups.csv against scipy/numpy on OUT/scores.csv.
Exit status 1 when any difference exceeds --tolerance (default 1e-9).

Conventions (the same contract as citycheck, src/audit/):
  values       per year, the `score` of every node in scores.csv (indicator rows: the
               normalised values; group and index rows: their scores); empty = missing.
  correlations pairwise-complete: the units where both values are present, n of them; none for
               n < 3 or a constant column on those units. pearson = scipy.stats.pearsonr,
               p_value = its two-sided p; spearman = scipy.stats.spearmanr (average ranks).
  members      of a group: the `a` of its `own_group` rows in correlations.csv, in order.
  alpha        listwise (units with every member present), k >= 2:
               k/(k-1) (1 - sum var_j / var(sum_j x_j)), ddof = 1.
  first share  listwise; members constant on those units left out; p >= 2 left and >= 3 units:
               largest eigenvalue of numpy.corrcoef of the members / p.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import numpy as np
from scipy import stats


def hand_example() -> float:
    """scipy against the closed forms of tests/it/audit.rs; returns the largest difference."""
    v = np.array([[0, 1, 0], [1, 0, 1], [2, 3, 1], [3, 2, 2], [4, 4, 4]], dtype=float) * 25
    s = v.sum(axis=1)
    expected = {
        (0, 1): (0.8, 0.8),
        (0, 2): (9 / math.sqrt(92), math.sqrt(0.95)),
        (1, 2): (7 / math.sqrt(92), 6.5 / math.sqrt(95)),
    }

    def p_five(r: float) -> float:
        return 1 - 2 / math.pi * (r * math.sqrt(1 - r * r) + math.asin(r))

    worst = 0.0
    for (i, j), (r, rho) in expected.items():
        pearson = stats.pearsonr(v[:, i], v[:, j])
        worst = max(worst, abs(pearson[0] - r), abs(pearson[1] - p_five(r)))
        worst = max(worst, abs(stats.spearmanr(v[:, i], v[:, j])[0] - rho))
    for j, r in enumerate([27 / math.sqrt(772), 25 / math.sqrt(772), 25.2 / math.sqrt(9.2 * 77.2)]):
        worst = max(worst, abs(stats.pearsonr(v[:, j], s)[0] - r))
    worst = max(worst, abs(alpha(v) - 180 / 193))
    r12, r13, r23 = 0.8, 9 / math.sqrt(92), 7 / math.sqrt(92)
    p = math.sqrt((r12**2 + r13**2 + r23**2) / 3)
    lambda1 = 1 + 2 * p * math.cos(math.acos(r12 * r13 * r23 / p**3) / 3)
    return max(worst, abs(first_share(v) - lambda1 / 3))


def alpha(x: np.ndarray) -> float:
    """Cronbach's alpha of the columns of a complete matrix (ddof = 1)."""
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def first_share(x: np.ndarray) -> float:
    """Largest eigenvalue of the correlation matrix of the (varying) columns / their number."""
    varying = [j for j in range(x.shape[1]) if np.ptp(x[:, j]) > 0]
    r = np.corrcoef(x[:, varying], rowvar=False)
    return float(np.linalg.eigvalsh(r)[-1] / len(varying))


def number(text: str) -> float:
    return math.nan if text == "" else float(text)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the output folder of `citycheck audit`")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    args = parser.parse_args()

    worst_hand = hand_example()
    print(f"hand example: scipy vs the closed forms of tests/it/audit.rs, largest difference {worst_hand:.2e}")

    # values[year][node][unit]
    values: dict[int, dict[str, dict[str, float]]] = {}
    units: dict[int, list[str]] = {}
    for row in read_csv(args.out / "scores.csv"):
        year = int(row["year"])
        values.setdefault(year, {}).setdefault(row["node"], {})[row["unit"]] = number(row["score"])
        if row["unit"] not in units.setdefault(year, []):
            units[year].append(row["unit"])

    def column(year: int, node: str) -> np.ndarray:
        return np.array([values[year][node].get(u, math.nan) for u in units[year]])

    worst = {"pearson": 0.0, "spearman": 0.0, "p_value": 0.0, "cronbach_alpha": 0.0, "first_component_share": 0.0}
    disagreements = []
    members: dict[tuple[int, str], list[str]] = {}
    correlations = read_csv(args.out / "audit" / "correlations.csv")
    for row in correlations:
        year = int(row["year"])
        if row["relation"] == "own_group":
            members.setdefault((year, row["group"]), []).append(row["a"])
        x, y = column(year, row["a"]), column(year, row["b"])
        both = ~np.isnan(x) & ~np.isnan(y)
        x, y = x[both], y[both]
        defined = len(x) >= 3 and np.ptp(x) > 0 and np.ptp(y) > 0
        if int(row["n"]) != len(x) or defined == (row["pearson"] == ""):
            disagreements.append(f"{row}: n = {len(x)}, defined = {defined}")
            continue
        if not defined:
            continue
        r, p = stats.pearsonr(x, y)
        rho = stats.spearmanr(x, y)[0]
        for key, theirs in (("pearson", r), ("spearman", rho), ("p_value", p)):
            worst[key] = max(worst[key], abs(number(row[key]) - theirs))

    try:
        import pandas as pd
        import pingouin
    except ImportError:
        pingouin = None
    groups = read_csv(args.out / "audit" / "groups.csv")
    for row in groups:
        year, names = int(row["year"]), members[(int(row["year"]), row["group"])]
        x = np.column_stack([column(year, m) for m in names])
        x = x[~np.isnan(x).any(axis=1)]
        if int(row["n_units"]) != x.shape[0]:
            disagreements.append(f"{row}: {x.shape[0]} complete units")
        if row["cronbach_alpha"] != "":
            ours = number(row["cronbach_alpha"])
            worst["cronbach_alpha"] = max(worst["cronbach_alpha"], abs(ours - alpha(x)))
            if pingouin is not None:
                theirs = pingouin.cronbach_alpha(data=pd.DataFrame(x))[0]
                worst["cronbach_alpha"] = max(worst["cronbach_alpha"], abs(ours - theirs))
        if row["first_component_share"] != "":
            share = first_share(x)
            worst["first_component_share"] = max(
                worst["first_component_share"], abs(number(row["first_component_share"]) - share)
            )

    print(
        f"{len(correlations)} correlation rows, {len(groups)} group rows ({'with' if pingouin else 'without'} pingouin)"
    )
    for key, value in worst.items():
        print(f"  {key:<22} largest difference {value:.2e}")
    for d in disagreements:
        print(f"  disagreement: {d}")
    bad = worst_hand > args.tolerance or any(v > args.tolerance for v in worst.values()) or disagreements
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
