#!/usr/bin/env python3
"""Independent pandas/numpy implementation of citycheck's default scoring pipeline.

DEV-ONLY. Not part of the citycheck library, its Python bindings or any package. It exists
(a) as the speed peer in benchmarks and (b) as an independent check of citycheck's numbers.
It is written the way a researcher would write it: plain, vectorised pandas/numpy, no numba,
no deliberate slowness, no tricks that citycheck could not also use.

Setup (once, from the repository root; .venv-peer/ is git-ignored):
    python3 -m venv .venv-peer && .venv-peer/bin/pip install numpy pandas pyarrow

Run:
    .venv-peer/bin/python scripts/peers/pipeline_pandas.py \
        --data LONG.csv --groups GROUPS.json --out SCORES.csv [--unit-column unit] [--repeat N]
    .venv-peer/bin/python scripts/peers/pipeline_pandas.py \
        --generate UNITS,INDICATORS,YEARS,SEED --data-out FILE.csv --groups-out FILE.json

Input
    LONG.csv     columns <unit column> (default "unit"), year, indicator, value; other columns ignored.
                 A row with an empty value counts as not observed. Duplicate (unit, year, indicator) is an error.
    GROUPS.json  {"indicators": {"<indicator id>": {"group": "<group id>", "direction": "higher"|"lower",
                                                    "denominator": "<indicator id>" (optional)}}}
                 Indicators not listed are ignored (context variables). Group order = first appearance.
                 An indicator with a denominator is divided by it unit-year by unit-year before
                 step 1 (denominator missing or 0 -> not observed), as citycheck's denominate.

Pipeline (scope "panel": every parameter is fitted once over all years pooled)
    1. pivot long -> wide, rows = (unit, year), columns = indicator.
    2. min-max to [0, 100], direction-aware, min/max over all rows ignoring NaN:
       higher r = 100 (x - min) / (max - min), lower r = 100 (max - x) / (max - min);
       a constant column gives 100 for every present cell.
    3. weights within each group, "entropy_normalized", per column over its m present cells:
       q = (x - min) / (max - min) direction-aware (constant column -> q = 1),
       p = (q + 1e-4) / sum(q + 1e-4), E = -(1 / ln m) sum p ln p (0 ln 0 = 0; m = 1 -> E = 1),
       d = 1 - E, w = d / sum_group d (sum_group d == 0 -> equal weights in that group).
    4. group score = sum(w r) / sum(w) over the group's indicators present for that unit-year;
       none present (or their weights sum to 0) -> no score.
    5. index score = equal-weight mean of the group scores present.
    6. rank per (year, node) among units with a score: 1 = highest, ties share the lowest rank ("min").
    7. write SCORES.csv: unit, year, node, kind, score, rank
       kind = indicator (normalised value r), group, index; node = indicator id, group id or "index".
       Only cells with a score are written (a missing cell / unit-year has no row).
       Row order: kind (indicator, group, index), then unit, year (sorted), then node (GROUPS.json order).
       Scores are written at full double precision (repr), ranks as integers.

Timing: --repeat N runs steps 1-6 (from the parsed long DataFrame to the ranked long result
DataFrame, i.e. everything except CSV reading and writing) N times with time.perf_counter and prints
the median on a line "pipeline_seconds: X" (N defaults to 1).

--generate writes a deterministic synthetic panel (numpy default_rng(SEED)): indicators in 8 groups
(contiguous blocks), lognormal positive values with a per-indicator scale (plus a unit effect and a
small yearly trend), ~1% of unit-years missing entirely, ~3% of the remaining cells missing, every 5th
indicator (ind005, ind010, ...) direction "lower". Values are written with 6 significant digits.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numpy as np
import pandas as pd

KIND_ORDER = ("indicator", "group", "index")
EPS_SHIFT = 1e-4  # the 0.0001 shift of entropy_normalized


# --------------------------------------------------------------------------- input

def read_groups(path: str) -> tuple[list[str], list[str], np.ndarray]:
    """Return (indicator ids, group id per indicator, lower-is-better flags), in file order."""
    with open(path, encoding="utf-8") as fh:
        spec = json.load(fh)
    inds, groups, lower = [], [], []
    for ind, meta in spec["indicators"].items():
        direction = meta.get("direction", "higher")
        if direction not in ("higher", "lower"):
            raise SystemExit(f"indicator {ind!r}: direction must be 'higher' or 'lower', got {direction!r}")
        inds.append(str(ind))
        groups.append(str(meta["group"]))
        lower.append(direction == "lower")
    if not inds:
        raise SystemExit("GROUPS.json lists no indicators")
    return inds, groups, np.array(lower, dtype=bool)


def read_denominators(path: str) -> dict[str, str]:
    """Indicator -> the indicator it is divided by (optional "denominator" key in GROUPS.json)."""
    with open(path, encoding="utf-8") as fh:
        spec = json.load(fh)
    return {str(i): str(m["denominator"]) for i, m in spec["indicators"].items() if m.get("denominator")}


def denominate(long: pd.DataFrame, denominators: dict[str, str]) -> pd.DataFrame:
    """x / d per unit-year for every indicator with a denominator (d missing or 0 -> NaN)."""
    if not denominators:
        return long
    den = long[long["indicator"].isin(set(denominators.values()))]
    den = den.rename(columns={"indicator": "den_id", "value": "den_value"})[["unit", "year", "den_id", "den_value"]]
    out = long.copy()
    out["den_id"] = out["indicator"].map(denominators)
    out = out.merge(den, on=["unit", "year", "den_id"], how="left")
    divided = out["den_id"].notna()
    d = out.loc[divided, "den_value"].replace(0.0, np.nan)
    out.loc[divided, "value"] = out.loc[divided, "value"] / d
    return out.drop(columns=["den_id", "den_value"])


def read_long(path: str, unit_col: str) -> pd.DataFrame:
    df = pd.read_csv(
        path,
        usecols=[unit_col, "year", "indicator", "value"],
        dtype={unit_col: str, "indicator": str},
        encoding="utf-8",
    )
    df = df.rename(columns={unit_col: "unit"})
    df["year"] = df["year"].astype("int64")
    df["value"] = pd.to_numeric(df["value"], errors="raise").astype("float64")
    return df


# --------------------------------------------------------------------------- pipeline (steps 1-6)

def pipeline(long: pd.DataFrame, inds: list[str], groups: list[str], lower: np.ndarray,
             details: dict | None = None) -> pd.DataFrame:
    """Steps 1-6. When `details` is a dict, it receives the fitted within-group weights
    ("weights": Series indicator -> w, over the indicators present) and the group of each
    ("group_of": Series indicator -> group id), for callers that need them (diagnose_pandas.py)."""
    # 1. long -> wide over the listed indicators (context variables dropped); rows sorted by (unit, year)
    obs = long[long["indicator"].isin(inds) & long["value"].notna()]
    try:
        wide = obs.pivot(index=["unit", "year"], columns="indicator", values="value")
    except ValueError as e:  # pandas refuses duplicate index/column pairs
        raise SystemExit(f"duplicate (unit, year, indicator) rows in the data: {e}")
    present = [i for i in inds if i in wide.columns]          # listed indicators with >= 1 observation
    wide = wide[present]
    pos = {i: k for k, i in enumerate(inds)}
    low = np.array([lower[pos[i]] for i in present])
    grp = np.array([groups[pos[i]] for i in present])
    group_ids = list(dict.fromkeys(groups))                     # first-appearance order, all groups

    X = wide.to_numpy(dtype="float64")
    mask = ~np.isnan(X)

    # 2. direction-aware min-max over all rows (panel scope)
    mn = np.nanmin(X, axis=0)
    mx = np.nanmax(X, axis=0)
    rng = mx - mn
    const = rng == 0
    safe = np.where(const, 1.0, rng)
    num = np.where(low, mx - X, X - mn)
    R = np.where(const, 100.0, 100.0 * num / safe)
    R[~mask] = np.nan

    # 3. entropy_normalized weights within each group
    Q = np.where(const, 1.0, num / safe)
    Qs = np.where(mask, Q + EPS_SHIFT, 0.0)
    P = Qs / Qs.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(P > 0, P * np.log(P), 0.0)
    m = mask.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        E = np.where(m > 1, -plogp.sum(axis=0) / np.log(m), 1.0)
    d = pd.Series(1.0 - E, index=present)
    dsum = d.groupby(grp).transform("sum")
    n_in_group = d.groupby(grp).transform("size")
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(dsum.to_numpy() == 0, 1.0 / n_in_group.to_numpy(), d.to_numpy() / dsum.to_numpy())
    if details is not None:
        details["weights"] = pd.Series(w, index=present)
        details["group_of"] = pd.Series(grp, index=present)

    # 4. group scores: sum(w r) / sum(w) over present indicators (renormalised weights)
    W = np.zeros((len(present), len(group_ids)))                # indicator x group weight matrix
    W[np.arange(len(present)), [group_ids.index(g) for g in grp]] = w
    num_g = np.where(mask, R, 0.0) @ W
    den_g = mask.astype("float64") @ W
    with np.errstate(divide="ignore", invalid="ignore"):
        G = np.where(den_g != 0, num_g / den_g, np.nan)

    # 5. index: equal-weight mean of the group scores present
    gmask = ~np.isnan(G)
    cnt = gmask.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        I = np.where(cnt > 0, np.where(gmask, G, 0.0).sum(axis=1) / cnt, np.nan)

    # 6. ranks per year and node (1 = highest, ties -> min); then long result
    frames = {
        "indicator": pd.DataFrame(R, index=wide.index, columns=present),
        "group": pd.DataFrame(G, index=wide.index, columns=group_ids),
        "index": pd.DataFrame({"index": I}, index=wide.index),
    }
    parts = []
    for kind in KIND_ORDER:
        sc = frames[kind]
        rk = sc.groupby(level="year").rank(method="min", ascending=False)
        part = pd.DataFrame({"score": sc.stack(), "rank": rk.stack()}).dropna(subset=["score"])
        part.index = part.index.set_names(["unit", "year", "node"])
        part = part.reset_index()
        part.insert(3, "kind", kind)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["rank"] = out["rank"].astype("int64")
    return out[["unit", "year", "node", "kind", "score", "rank"]]


# --------------------------------------------------------------------------- synthetic data

def generate(spec: str, data_out: str, groups_out: str) -> None:
    try:
        n_units, n_inds, n_years, seed = (int(s) for s in spec.split(","))
    except ValueError:
        raise SystemExit("--generate expects UNITS,INDICATORS,YEARS,SEED (four integers)")
    if min(n_units, n_inds, n_years) < 1:
        raise SystemExit("--generate: UNITS, INDICATORS and YEARS must be >= 1")
    rng = np.random.default_rng(seed)
    n_groups = 8
    units = [f"U{u:05d}" for u in range(1, n_units + 1)]
    inds = [f"ind{i:03d}" for i in range(1, n_inds + 1)]
    years = np.arange(2018, 2018 + n_years)
    groups = {
        ind: {"group": f"g{(k * n_groups) // n_inds + 1}", "direction": "lower" if (k + 1) % 5 == 0 else "higher"}
        for k, ind in enumerate(inds)
    }

    log_scale = rng.uniform(0.0, 12.0, size=n_inds)             # per-indicator scale, e^0 .. e^12
    sigma = rng.uniform(0.2, 1.0, size=n_inds)                  # per-indicator dispersion
    loading = rng.uniform(-0.5, 0.8, size=n_inds)               # unit effect loading
    trend = rng.normal(0.02, 0.03, size=n_inds)                 # yearly drift (log scale)
    unit_eff = rng.normal(0.0, 1.0, size=n_units)
    noise = rng.normal(0.0, 1.0, size=(n_units, n_years, n_inds))
    logv = (log_scale[None, None, :]
            + loading[None, None, :] * unit_eff[:, None, None]
            + trend[None, None, :] * np.arange(n_years)[None, :, None]
            + sigma[None, None, :] * noise)
    vals = np.exp(logv)

    keep_unit_year = rng.random((n_units, n_years)) >= 0.01     # ~1% unit-years missing entirely
    keep_cell = rng.random((n_units, n_years, n_inds)) >= 0.03  # ~3% cells missing
    keep = keep_cell & keep_unit_year[:, :, None]

    u_idx, y_idx, i_idx = np.nonzero(keep)                      # C order: unit, year, indicator
    df = pd.DataFrame({
        "unit": np.asarray(units)[u_idx],
        "year": years[y_idx],
        "indicator": np.asarray(inds)[i_idx],
        "value": vals[keep],
    })
    df.to_csv(data_out, index=False, float_format="%.6g", lineterminator="\n")
    with open(groups_out, "w", encoding="utf-8") as fh:
        json.dump({"indicators": groups}, fh, indent=1)
        fh.write("\n")
    print(f"wrote {data_out}: {len(df)} rows ({n_units} units x {n_inds} indicators x {n_years} years, "
          f"{int((~keep_unit_year).sum())} unit-years dropped, {int((~keep).sum())} cells missing); {groups_out}")


# --------------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="long CSV: unit, year, indicator, value")
    ap.add_argument("--groups", help="GROUPS.json")
    ap.add_argument("--out", help="output SCORES.csv")
    ap.add_argument("--unit-column", default="unit", help="name of the unit column (default: unit)")
    ap.add_argument("--repeat", type=int, default=1, help="time steps 1-6 N times, print the median")
    ap.add_argument("--generate", metavar="UNITS,INDICATORS,YEARS,SEED", help="write a synthetic panel")
    ap.add_argument("--data-out", help="synthetic long CSV to write (with --generate)")
    ap.add_argument("--groups-out", help="synthetic GROUPS.json to write (with --generate)")
    a = ap.parse_args(argv)

    if a.generate:
        if not (a.data_out and a.groups_out):
            ap.error("--generate needs --data-out and --groups-out")
        generate(a.generate, a.data_out, a.groups_out)
        return
    if not (a.data and a.groups and a.out):
        ap.error("--data, --groups and --out are required (or use --generate)")
    if a.repeat < 1:
        ap.error("--repeat must be >= 1")

    inds, groups, lower = read_groups(a.groups)
    long = denominate(read_long(a.data, a.unit_column), read_denominators(a.groups))
    observed = set(long.loc[long["value"].notna(), "indicator"].unique())
    absent = [i for i in inds if i not in observed]
    if absent:
        print(f"warning: no observations for {absent}; they are skipped", file=sys.stderr)
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        scores = pipeline(long, inds, groups, lower)
        times.append(time.perf_counter() - t0)
    scores.to_csv(a.out, index=False, lineterminator="\n")
    print(f"pipeline_seconds: {statistics.median(times):.6f}")
    print(f"rows: {len(scores)}  repeats: {a.repeat}  min: {min(times):.6f}  max: {max(times):.6f}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
