#!/usr/bin/env python3
"""The check-up default pipeline in numpy on the dense matrix, against cc.score in process (dev-only).

DEV-ONLY: not part of the library, the package or the test run. It is the numpy peer of issue 13
item 5 ("Speed in process": cc.score within 2x of the numpy version of the default pipeline, the
Python layer's overhead over the native call under 5 %). It needs the Python extension built in
release mode into .venv, from the repository root:

    .venv/bin/maturin develop --release          # or: source .venv/bin/activate && maturin develop --release
    .venv/bin/python scripts/peers/score_numpy.py [--repeat 7] [--data FILE.csv] [--groups FILE.json]

(.venv needs numpy and polars, as the package's tests do; pandas only if the data must be generated.)

The data. The 2,900 units x 69 indicators x 5 years synthetic panel of the other peers: --data and
--groups if they exist (default /tmp/peer/synth_2900x69x5.csv and .json, as python_overhead.py),
otherwise written first by `scripts/peers/pipeline_pandas.py --generate 2900,69,5,42` (run as a
subprocess, so that the generator exists once). The long CSV is read once with polars; that one
frame gives both the dense matrix of the numpy version and the panel of citycheck
(cc.Panel.from_frame), so both sides score the very same doubles. GROUPS.json becomes the catalogue
TOML as in python_overhead.py (8 groups under the index, every 5th indicator "lower").

The numpy version (score_numpy) is Spec::checkup_default written from the formulas (METHODS.md
sections 3-5, and src/normalize/min_max.rs, src/weight/entropy.rs, src/aggregate/arithmetic.rs,
src/kernels/rank.rs, src/checkup/mod.rs for how they are fed), scope "panel" (every parameter
fitted once on all unit-years pooled), no denominators, no imputation, no outlier treatment:
  1. min-max per indicator on the oriented value o = x (higher) or -x (lower):
     r = (o - min o)/(max o - min o) in [0, 1] (a constant column: r = 1), score = lo + r (hi - lo)
     with [lo, hi] = [0, 100]; for a lower indicator o - min o is max x - x, exactly.
  2. weights within each group (level 2): entropy_normalized, shift 1e-4. The Rust code gives it
     the group's *raw* columns (all fitting rows; level 2 and a data-driven method) and it scales
     them itself with the same direction-aware min-max to [0, 1]: that is r of step 1, bit for bit,
     so r is reused. Per column over its m present cells: v = r + shift, T = sum v,
     E = -((sum v ln v)/T - ln T)/ln m clipped to [0, 1]; E = 1 for a constant column or m < 2;
     d = 1 - E, w = d / sum_group d (sum 0 -> equal weights in that group).
  3. group score = sum w r / sum w over the group's indicators present in the unit-year (the
     arithmetic mean with renormalised gaps); nothing present -> no score.
  4. index (level 3) = the same with equal weights over the groups present.
  5. ranks per year and node (every indicator, group and the index, as cc.score ranks them):
     1 = highest, ties share the lowest rank ("min", -0.0 ties 0.0), no score -> no rank.
It takes the dense matrix already built (rows = unit-years with any observation, year by year;
columns = indicators with data, in GROUPS.json order) and returns arrays: only the math is
timed, not the CSV read, the pivot or a long output table. (cc.score's time does include
validating the panel, building its dense matrix and its long polars result: that is what the
item's 2x budget is for.)

The timings, each best of --repeat after one untimed warm-up call:
  numpy    score_numpy(X, ...) on the dense matrix: scores and ranks of every node, the numbers
           cc.score returns (printed too: the same with only the index ranked; ranking the 78
           nodes is most of the numpy time);
  cc       cc.score(panel, catalog), panel = cc.Panel.from_frame(frame) and
           catalog = cc.Catalog.from_toml(text) built once beforehand; default spec;
  native   citycheck._citycheck.score(panel._native, catalog._native, spec) with spec the
           check-up default written out as a dict (CHECKUP_DEFAULT_SPEC below): the bare binding
           call, so (cc - native)/native is the facade's overhead.

The check (before the timings): numpy's index per unit-year equals the `kind == "index"` scores
of cc.score to 1e-9 and both score the same unit-years, else exit 1. Groups and indicators, and
the index ranks, are compared too and printed for information.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "scripts" / "peers" / "pipeline_pandas.py"
SHAPE = "2900,69,5,42"  # units, indicators, years, seed: the pipeline benchmark's size
TOLERANCE = 1e-9

# Spec::checkup_default (src/checkup/spec.rs) in its serde form: min-max [0, 100] over the
# panel, entropy_normalized (shift 1e-4) within the groups (level 2), equal weights above,
# arithmetic means, gaps renormalised; denominate = true and impute = none by default.
CHECKUP_DEFAULT_SPEC: dict[str, Any] = {
    "normalize": {"method": "min_max", "lo": 0.0, "hi": 100.0},
    "scope": "panel",
    "missing": "renormalize",
    "aggregate": {"method": "arithmetic"},
    "weights": {
        "default": {"method": "equal"},
        "levels": {"2": {"method": "entropy_normalized", "shift": 0.0001}},
    },
}
LO, HI, SHIFT = 0.0, 100.0, 1e-4


# --------------------------------------------------------------------------- the numpy version

def score_numpy(
    X: np.ndarray,
    lower: np.ndarray,
    group_of: np.ndarray,
    n_groups: int,
    year_bounds: list[tuple[int, int]],
    rank_every_node: bool = True,
) -> dict[str, np.ndarray]:
    """The check-up default pipeline on the dense matrix.

    X: (unit-years, indicators) float64, NaN = missing, every column with a value; rows of one
    year consecutive, year k at rows year_bounds[k][0]:year_bounds[k][1]. lower: bool per
    indicator. group_of: group position (0..n_groups-1) per indicator, every group non-empty.
    Returns "indicator" (rows x indicators, NaN = missing), "group" (rows x groups), "index"
    (rows,), "weight" (within-group weight per indicator) and "rank" (nodes x rows, int32,
    0 = no score; nodes = indicators, groups, index, as cc.score ranks them; with
    rank_every_node=False only the index is ranked: a 1 x rows array).
    """
    present = ~np.isnan(X)

    # 1. direction-aware min-max over the whole panel (scope "panel"); missing stays NaN
    O = X * np.where(lower, -1.0, 1.0)                  # the oriented value, exact
    omin = np.fmin.reduce(O, axis=0)                     # fmin/fmax skip NaN
    omax = np.fmax.reduce(O, axis=0)
    varies = omax > omin
    r = (O - omin) / np.where(varies, omax - omin, 1.0)
    if not varies.all():
        r[:, ~varies] = np.where(present[:, ~varies], 1.0, np.nan)  # a constant column: r = 1
    R = LO + r * (HI - LO)

    # 2. entropy_normalized within each group: v = r + shift over the present cells
    V = np.where(present, r + SHIFT, 0.0)
    VlnV = np.zeros_like(V)
    np.log(V, out=VlnV, where=V > 0.0)                  # 0 ln 0 = 0
    VlnV *= V
    T = V.sum(axis=0)
    m = present.sum(axis=0)
    ok = varies & (m >= 2) & (T > 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = VlnV.sum(axis=0) / T - np.log(T)
        E = np.where(ok, np.clip(-h / np.log(m), 0.0, 1.0), 1.0)
    d = 1.0 - E
    dsum = np.bincount(group_of, weights=d, minlength=n_groups)
    size = np.bincount(group_of, minlength=n_groups)
    w = np.where(dsum[group_of] > 0.0, d / np.where(dsum > 0.0, dsum, 1.0)[group_of], 1.0 / size[group_of])

    # 3. group scores: arithmetic mean over the present indicators, weights renormalised
    W = np.zeros((X.shape[1], n_groups))
    W[np.arange(X.shape[1]), group_of] = w
    num = np.where(present, R, 0.0) @ W
    den = present.astype(np.float64) @ W
    with np.errstate(divide="ignore", invalid="ignore"):
        G = np.where(den > 0.0, num / den, np.nan)

    # 4. the index: equal weights over the groups present
    gpresent = ~np.isnan(G)
    wg = np.full(n_groups, 1.0 / n_groups)
    num_i = np.where(gpresent, G, 0.0) @ wg
    den_i = gpresent.astype(np.float64) @ wg
    with np.errstate(divide="ignore", invalid="ignore"):
        I = np.where(den_i > 0.0, num_i / den_i, np.nan)

    # 5. ranks per year and node
    S = np.vstack([R.T, G.T, I[None, :]]) if rank_every_node else I[None, :]  # nodes x rows
    ranks = np.empty(S.shape, dtype=np.int32)
    for a, b in year_bounds:
        ranks[:, a:b] = rank_best_first(S[:, a:b])
    return {"indicator": R, "group": G, "index": I, "weight": w, "rank": ranks}


def rank_best_first(S: np.ndarray) -> np.ndarray:
    """Competition ranks along axis 1 of S (a node per row): 1 = the highest, ties share the
    lowest rank (1, 2, 2, 4; -0.0 ties 0.0), NaN gets 0 (no rank); as src/kernels/rank.rs.
    Scores are finite (min-max of finite data): -inf would read as missing."""
    k, n = S.shape
    key = np.where(np.isnan(S), np.inf, -S)             # ascending = best first; missing last
    order = np.argsort(key, axis=1)
    flat = (order + (np.arange(k, dtype=np.intp) * n)[:, None]).ravel()
    s = key.ravel()[flat].reshape(k, n)                 # each row sorted
    new = np.empty((k, n), dtype=bool)
    new[:, 0] = True
    np.not_equal(s[:, 1:], s[:, :-1], out=new[:, 1:])  # a new value starts a new rank
    first = np.where(new, np.arange(1, n + 1, dtype=np.int32), 0).astype(np.int32)
    np.maximum.accumulate(first, axis=1, out=first)     # rank of the first of each tie run
    first[s == np.inf] = 0
    out = np.empty(k * n, dtype=np.int32)
    out[flat] = first.ravel()
    return out.reshape(k, n)


# --------------------------------------------------------------------------- input

def ensure_data(data: Path, groups: Path) -> None:
    if data.exists() and groups.exists():
        return
    data.parent.mkdir(parents=True, exist_ok=True)
    print(f"generating {data} and {groups} with {GENERATOR.name} --generate {SHAPE}", file=sys.stderr)
    subprocess.run(
        [sys.executable, str(GENERATOR), "--generate", SHAPE, "--data-out", str(data), "--groups-out", str(groups)],
        check=True,
    )


def read_groups(path: Path) -> tuple[list[str], list[str], list[str]]:
    """(indicator ids, group per indicator, direction per indicator), in file order."""
    indicators: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))["indicators"]
    metas = list(indicators.values())
    return list(indicators), [str(m["group"]) for m in metas], [m.get("direction", "higher") for m in metas]


def catalog_toml(inds: list[str], groups: list[str], directions: list[str]) -> str:
    """GROUPS.json as a citycheck catalogue (as python_overhead.py writes it)."""
    lines = ['[catalog]\nid = "synthetic"\nname = "synthetic benchmark panel"\nversion = "1"\n']
    for group in dict.fromkeys(groups):
        lines.append(f'[[groups]]\nid = "{group}"\nname_zh = "维度 {group}"\nname_en = "group {group}"\n')
    for ind, group, direction in zip(inds, groups, directions):
        lines.append(
            f'[[indicators]]\nid = "{ind}"\nname_zh = "指标 {ind}"\nname_en = "indicator {ind}"\n'
            f'group = "{group}"\nunit = "index"\ndirection = "{direction}"\n'
        )
    return "\n".join(lines)


def read_long(path: Path) -> pl.DataFrame:
    return pl.read_csv(
        path,
        columns=["unit", "year", "indicator", "value"],
        schema_overrides={"unit": pl.String, "year": pl.Int64, "indicator": pl.String, "value": pl.Float64},
    )


class Dense:
    """The dense matrix of a long frame, laid out as the Rust Dataset: one row per unit-year with
    any observation of a listed indicator, year by year (units sorted within a year), one column
    per listed indicator with at least one value (GROUPS.json order; the others are left out,
    and a group left without indicators with them)."""

    def __init__(self, long: pl.DataFrame, inds: list[str], groups: list[str], directions: list[str]) -> None:
        obs = long.filter(pl.col("indicator").is_in(inds))
        units, u = np.unique(obs["unit"].to_numpy(), return_inverse=True)
        years, y = np.unique(obs["year"].to_numpy(), return_inverse=True)
        i = obs["indicator"].replace_strict({k: n for n, k in enumerate(inds)}, return_dtype=pl.Int64).to_numpy()
        values = obs["value"].fill_null(np.nan).to_numpy()
        cell = (y * len(units) + u) * len(inds) + i
        if np.unique(cell).size != cell.size:
            raise SystemExit("duplicate (unit, year, indicator) rows in the data")
        flat = np.full(len(years) * len(units) * len(inds), np.nan)
        flat[cell] = values
        grid = flat.reshape(len(years) * len(units), len(inds))
        observed = np.zeros(len(years) * len(units), dtype=bool)
        observed[y * len(units) + u] = True
        with_data = ~np.isnan(grid).all(axis=0)
        left_out = [k for k, has in zip(inds, with_data) if not has]
        if left_out:
            print(f"note: no values for {left_out}: left out, as citycheck leaves them out", file=sys.stderr)
        self.X = np.ascontiguousarray(grid[observed][:, with_data])
        self.indicators = [k for k, has in zip(inds, with_data) if has]
        kept_groups = [g for g, has in zip(groups, with_data) if has]
        self.groups = list(dict.fromkeys(kept_groups))
        self.group_of = np.array([self.groups.index(g) for g in kept_groups], dtype=np.intp)
        self.lower = np.array([d == "lower" for d, has in zip(directions, with_data) if has])
        rows = np.flatnonzero(observed)
        self.row_unit = units[rows % len(units)]
        self.row_year = years[rows // len(units)]
        counts = np.bincount(rows // len(units), minlength=len(years))
        ends = np.cumsum(counts)
        self.year_bounds = [(int(e - c), int(e)) for c, e in zip(counts, ends) if c > 0]

    def score(self, rank_every_node: bool = True) -> dict[str, np.ndarray]:
        return score_numpy(self.X, self.lower, self.group_of, len(self.groups), self.year_bounds, rank_every_node)

    def long_result(self, res: dict[str, np.ndarray]) -> pl.DataFrame:
        """unit, year, node, kind, score, rank of every scored cell (for the check only)."""
        nodes = self.indicators + self.groups + ["index"]
        kinds = ["indicator"] * len(self.indicators) + ["group"] * len(self.groups) + ["index"]
        S = np.vstack([res["indicator"].T, res["group"].T, res["index"][None, :]])
        n_rows = S.shape[1]
        frame = pl.DataFrame({
            "unit": np.tile(self.row_unit, len(nodes)),
            "year": np.tile(self.row_year, len(nodes)).astype(np.int64),
            "node": np.repeat(np.array(nodes), n_rows),
            "kind": np.repeat(np.array(kinds), n_rows),
            "score": S.ravel(),
            "rank": res["rank"].ravel().astype(np.int64),
        })
        return frame.filter(pl.col("score").is_not_nan())


# --------------------------------------------------------------------------- check and timing

def compare(mine: pl.DataFrame, theirs: pl.DataFrame) -> tuple[float, dict[str, str]]:
    """Max |numpy - cc| of the index (inf if the unit-years scored differ) and a line per kind."""
    theirs = theirs.filter(pl.col("score").is_not_null() & pl.col("score").is_not_nan()).select(
        pl.col("unit").cast(pl.String), pl.col("year").cast(pl.Int64), pl.col("node").cast(pl.String),
        pl.col("kind").cast(pl.String), pl.col("score").cast(pl.Float64), pl.col("rank").cast(pl.Int64),
    )
    lines: dict[str, str] = {}
    index_diff = float("inf")
    for kind in ("index", "group", "indicator"):
        a = mine.filter(pl.col("kind") == kind)
        b = theirs.filter(pl.col("kind") == kind)
        j = a.join(b, on=["unit", "year", "node"], how="full", suffix="_cc", coalesce=True)
        only = j.filter(pl.col("score").is_null() | pl.col("score_cc").is_null()).height
        diff = j.select((pl.col("score") - pl.col("score_cc")).abs().max()).item()
        diff = float("nan") if diff is None else float(diff)
        ranks = j.filter(pl.col("rank") != pl.col("rank_cc")).height
        lines[kind] = (f"{kind:<9} {a.height:>8} scores, max |numpy - cc| {diff:.3e}, "
                       f"{only} scored on one side only, {ranks} rank(s) differ")
        if kind == "index":
            index_diff = diff if only == 0 and a.height > 0 else float("inf")
    return index_diff, lines


def best_of(repeat: int, job: Callable[[], object]) -> float:
    job()  # warm-up
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("/tmp/peer/synth_2900x69x5.csv"),
                    help="long CSV unit, year, indicator, value (generated if missing)")
    ap.add_argument("--groups", type=Path, help="GROUPS.json (default: --data with .json)")
    ap.add_argument("--repeat", type=int, default=7, help="best of N (default 7)")
    a = ap.parse_args()
    groups_path = a.groups or a.data.with_suffix(".json")
    if a.repeat < 1:
        ap.error("--repeat must be >= 1")

    try:
        import citycheck as cc
        from citycheck import _citycheck as native
    except ImportError as e:
        raise SystemExit(f"cannot import citycheck ({e}): build it with `.venv/bin/maturin develop --release` "
                         "and run this script with .venv/bin/python")

    ensure_data(a.data, groups_path)
    inds, groups, directions = read_groups(groups_path)
    long = read_long(a.data)
    dense = Dense(long, inds, groups, directions)
    catalog = cc.Catalog.from_toml(catalog_toml(inds, groups, directions))
    panel = cc.Panel.from_frame(long, unit="unit", year="year", indicator="indicator", value="value")

    # The check first (it is also the warm-up of both sides).
    mine = dense.long_result(dense.score())
    result = cc.score(panel, catalog)
    index_diff, lines = compare(mine, result.scores)
    n_rows, n_cols = dense.X.shape
    print(f"citycheck {cc.__version__}; extension {native.__file__}; numpy {np.__version__}; "
          f"{os.cpu_count()} CPU(s)")
    print(f"data: {a.data} ({long.height} observations; dense {n_rows} unit-years x {n_cols} indicators, "
          f"{len(dense.groups)} groups, {len(dense.year_bounds)} years); check-up default spec; best of {a.repeat}")
    for line in lines.values():
        print(f"  {line}")
    if not index_diff <= TOLERANCE:
        print(f"FAIL: the numpy index differs from cc.score's by {index_diff:.3e} (> {TOLERANCE:g}) "
              "or they score different unit-years", file=sys.stderr)
        print(f"  (cc.score's spec: {getattr(result, 'spec', '?')}; the numpy version is Spec::checkup_default)",
              file=sys.stderr)
        return 1

    t_numpy = best_of(a.repeat, dense.score)
    t_numpy_index = best_of(a.repeat, lambda: dense.score(rank_every_node=False))
    t_cc = best_of(a.repeat, lambda: cc.score(panel, catalog))
    t_native = best_of(a.repeat, lambda: native.score(panel._native, catalog._native, CHECKUP_DEFAULT_SPEC))
    ratio = t_cc / t_numpy
    overhead = 100.0 * (t_cc - t_native) / t_native
    print()
    print(f"{'numpy s':>10} {'cc.score s':>11} {'ratio':>7} {'native s':>10} {'overhead %':>11}")
    print(f"{t_numpy:>10.4f} {t_cc:>11.4f} {ratio:>7.2f} {t_native:>10.4f} {overhead:>+11.1f}")
    print(f"numpy = scores and ranks of every node, as cc.score returns them; with only the index ranked "
          f"numpy takes {t_numpy_index:.4f} s (ratio {t_cc / t_numpy_index:.2f})")
    print(f"targets (issue 13, item 5): ratio <= 2 {'met' if ratio <= 2.0 else 'NOT met'}; "
          f"overhead < 5 % {'met' if overhead < 5.0 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
