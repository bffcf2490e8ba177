#!/usr/bin/env python3
"""Independent numpy/pandas Monte Carlo uncertainty analysis of a composite index, the way COINr's
``get_sensitivity(SA_type = "UA")`` runs one, with citycheck's conventions (issue 18).

DEV-ONLY. Not part of the citycheck library, its Python bindings or any package. It stands in
for COINr (the JRC's R package; R is not installed on the development machine and cannot be):
(a) an independent check of ``cc.uncertainty`` / ``citycheck uncertainty`` and (b) the speed
peer of issue 18 item 5. Written from the documentation — METHODS.md §3-5 and §11, issue 18, the
README's ``[uncertainty]`` section and ``uncertainty.csv`` row, the module docs of
src/uncertainty (rank and quantile conventions, the perturbation), COINr's reference pages and
vignette for ``get_sensitivity`` and ``get_noisy_weights`` (what a draw re-runs and how) — not
from citycheck's code. Caveat for the reader: it was written by a session that had also read
the Rust module; the two were written apart, but not by strangers. It loops over draws in
Python as COINr loops over replications in R (``regen`` of the whole coin per draw): every draw
re-fits and re-scores the panel with plain vectorised numpy, no numba, no caching of what a
draw computes, no deliberate slowness.

Run (from the repository root; the repository venv has numpy, pandas and the extension):
    .venv/bin/python scripts/peers/uncertainty_numpy.py --config UNC.toml --out uncertainty.csv \\
        [--data LONG.csv --groups GROUPS.json --unit-column city] [--draws N] [--seed S]
    .venv/bin/python scripts/peers/uncertainty_numpy.py --check [--cli target/release/citycheck]   # (a)
    .venv/bin/python scripts/peers/uncertainty_numpy.py --compare                                  # (b)
    .venv/bin/python scripts/peers/uncertainty_numpy.py --bench [--cli BIN] [--no-api] [--draws 1000] [--repeat 3]
--check and --compare also take --data/--groups (e.g. the generated panel of --bench).
--cli BIN also runs the binary: `BIN uncertainty run.toml` on a run config written from the case
(catalogue, [data], the check-up default [spec], [uncertainty] with sensitivity = { rows = 0 }),
reading its uncertainty.csv. Use it when the extension in .venv is a debug build (maturin develop
without --release): --bench prints the extension's path and size; a debug build is ~250 MB.
Without --data/--groups: the embedded Liaoning example (14 cities, 2008-2012,
datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv, unit column "city") with
tests/golden/ccsy_example_groups.json (the catalogue ccsy-example as groups and denominators);
citycheck is then given cc.Catalog.builtin("ccsy-example"). With --data/--groups, citycheck gets
the catalogue written from GROUPS.json (as scripts/peers/python_overhead.py writes it).

UNC.toml is a run config with an [uncertainty] table, or the table's body (draws, seed,
[[inputs]]); the [sensitivity] sub-table is ignored (no Sobol analysis here).

The nominal spec (the check-up default; the only one supported)
    denominators as the catalogue names them (x / d, d missing or 0 -> not observed); no
    imputation, no outlier treatment; scope "panel" (every parameter fitted once on all unit-years
    pooled, present cells only); rows = unit-years with any observed listed indicator.
    normalise  min_max to [0, 100], direction-aware (o = x, or -x for a "lower" indicator):
               lo + (o - min o)/(max o - min o) (hi - lo); a constant column scores hi.
    weights    level 2 (indicators in a group): entropy_normalized, shift 1e-4, fitted on the RAW
               columns (so independent of the normalisation drawn): q = direction-aware min-max
               to [0, 1] (constant -> 1), p = (q + 1e-4)/sum, E = -(1/ln m) sum p ln p (m present
               cells; m < 2 -> E = 1), d = 1 - E, w = d / sum_group d (sum 0 -> equal);
               level 3 (groups in the index): equal.
    aggregate  arithmetic at both levels, over the children present, weights renormalised:
               sum w r / sum w (no child present -> no score).

Uncertain inputs (METHODS.md §11; citycheck's names), one uniform u per input and draw
    normalize  alternatives among "min_max" ({ method = "min_max", lo, hi }), "rank" (average
               rank of o among the present cells, 1 = worst), "z_score" ((o - mean)/sd, ddof 1;
               sd 0 or undefined -> 0); probabilities optional (equal), must sum to 1.
    weights    perturb = a in [0, 1): every fitted weight (each indicator's in its group and each
               group's in the index) x U(1 - a, 1 + a), independently, then renormalised to sum
               1 among its parent's children. (COINr's get_noisy_weights: +/- NoiseFactor of the
               nominal weight, uniform.)
    aggregate  alternatives among "arithmetic", "geometric" (exp(sum w ln r / sum w) over the
               present children; a score <= 0 is an error naming the indicator or group, as in
               citycheck), the same method at both levels.
    exclude    indicators = "each" (every indicator with a sibling in its group) or a list: none
               dropped, or one (equal probabilities unless given: "none" first); the dropped
               indicator's fitted weight is set to 0 and its group's weights renormalised (the
               others keep their fitted weights: no re-fit without it, as README says).
    (impute is not supported: the peer has no imputation.)
    A discrete input picks the first alternative whose cumulative probability exceeds u (the
    inverse CDF). Generator: numpy default_rng(seed), one stream for the run (citycheck uses one
    generator per draw; the draws of the two cannot be equal draw for draw).

Per draw: normalise every indicator (re-fitted), fit the weights, perturb them, aggregate the
groups then the index, rank the index per year (1 = highest; ties share the lowest rank, "min";
no score -> no rank), and add each unit-year's rank to its histogram of ranks and its score to
running shifted sums (memory independent of the number of draws; COINr keeps the N x units
matrix).

Output (citycheck's uncertainty.csv columns, the index only; node = "index")
    unit, year, node, nominal_score, nominal_rank, median_rank, q05_rank, q95_rank, mean_score,
    sd_score. The q-quantile of a unit-year's ranks is the smallest rank r whose cumulative share
    (draws with rank <= r over draws with a rank) is >= q (so always a drawn rank; COINr uses R's
    quantile type 7, which interpolates); mean and sample sd (divisor n - 1) of the score over the
    draws scoring the unit-year; fewer than 2 -> empty sd.

--check (a): configs where every input has ONE alternative (so each draw is the same spec, and
    perturb = 0): the peer's nominal score and rank and its per-draw score (mean_score, with
    sd_score = 0) and ranks (median = q05 = q95) must equal cc.uncertainty's index rows to 1e-9
    (|a - b| <= 1e-9 max(1, |b|)), ranks exactly, on the same unit-years. Exit 1 otherwise.
--compare (b): random configs, N draws each side, different generators: per unit-year of the
    index, whether citycheck's median rank lies in the peer's [q05, q95] and vice versa, the mean
    |median_cc - median_peer| (and of q05, q95), and the z of the two mean scores,
    (m_cc - m_peer)/sqrt(sd_cc^2/N + sd_peer^2/N); beside them the same statistics of the peer
    against itself with another seed (the null reference: same distribution, independent draws).
    EXPECTATION (N = 1000): both coverages >= 0.98 (a median lies inside the 90 % interval of its
    own distribution; only sampling noise at a boundary between two ranks can move it out); mean
    |delta median| <= max(0.25, 2 x the peer-vs-peer value) and mean |delta q05|, |delta q95| <=
    max(0.5, 2 x the peer-vs-peer value) (with hundreds of units a rank quantile of a mixture of
    alternatives moves by ranks between seeds: the peer's own spread is the yardstick); share of
    |z| > 3 <= 0.05 (0.0027 under the null; cells are correlated) and max |z| <= 5; the share of
    cells (sd > 0) whose sd ratio peer/cc lies outside [0.85, 1.15] <= 0.02 + 2 x the peer-vs-peer
    share (an sd driven by a rare alternative, e.g. one of 69 indicators dropped, is itself noisy).
    Exit 1 when an expectation fails.
--bench (c): times N draws (default 1,000) on the Liaoning example and on a generated 300-unit
    panel (pipeline_pandas.py --generate 300,69,5,42 shape: 8 groups, 69 indicators, 5 years),
    config: normalize [min_max lo=1 hi=100, rank], weights perturb 0.25, aggregate [arithmetic,
    geometric] (COINr's vignette's set-up, without winsorisation). citycheck: cc.uncertainty(panel,
    catalog, config) in this process, panel and catalogue built beforehand, import excluded, no
    Sobol rows; with --cli, also the binary's whole run from files (process start, reading and
    validating the CSV, the nominal scores, the draws, writing the tables). Peer: from the parsed
    long table (denominators, pivot, nominal, draws) to the output table. Best of --repeat each;
    prints the times and the ratio peer / citycheck. --bench --per-draw --cli BIN: instead, per
    case and for one input at a time, (time of 201 draws - time of 1 draw) / 200 of each side.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pipeline_pandas as pp  # noqa: E402  (reading the long data, denominators, the generator)

ROOT = Path(__file__).resolve().parents[2]
LIAONING = ROOT / "datasets" / "cn_city_ccsy_2004_2012" / "liaoning_example_2008_2012_long.csv"
LIAONING_GROUPS = ROOT / "tests" / "golden" / "ccsy_example_groups.json"
COLUMNS = ["unit", "year", "node", "nominal_score", "nominal_rank", "median_rank", "q05_rank", "q95_rank",
           "mean_score", "sd_score"]
SHIFT = 1e-4  # entropy_normalized's shift
NOMINAL_NORMALIZE = ("min_max", 0.0, 100.0)


# --------------------------------------------------------------------------- the panel

@dataclass
class Dense:
    """The panel as one matrix: rows = unit-years with any observed listed indicator, sorted by
    year then unit; columns = listed indicators with at least one observation (GROUPS.json order)."""
    units: np.ndarray        # per row
    years: np.ndarray        # per row
    X: np.ndarray            # rows x indicators, NaN = not observed
    mask: np.ndarray         # ~isnan(X)
    lower: np.ndarray        # per column
    indicators: list[str]
    group_of: np.ndarray     # per column: index into group_ids
    group_ids: list[str]     # groups with at least one column, first-appearance order
    year_blocks: list[slice]


def dense(long: pd.DataFrame, inds: list[str], groups: list[str], lower: np.ndarray) -> Dense:
    obs = long[long["indicator"].isin(inds) & long["value"].notna()]
    if obs.duplicated(["unit", "year", "indicator"]).any():
        raise SystemExit("duplicate (unit, year, indicator) rows in the data")
    wide = obs.pivot(index=["year", "unit"], columns="indicator", values="value").sort_index()
    present = [i for i in inds if i in wide.columns]
    wide = wide[present]
    pos = {i: k for k, i in enumerate(inds)}
    group_ids = list(dict.fromkeys(groups[pos[i]] for i in present))
    years = wide.index.get_level_values("year").to_numpy()
    starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1], True])
    X = wide.to_numpy(dtype="float64")
    return Dense(
        units=wide.index.get_level_values("unit").to_numpy(dtype=object),
        years=years,
        X=X,
        mask=~np.isnan(X),
        lower=np.array([bool(lower[pos[i]]) for i in present]),
        indicators=present,
        group_of=np.array([group_ids.index(groups[pos[i]]) for i in present]),
        group_ids=group_ids,
        year_blocks=[slice(int(a), int(b)) for a, b in zip(starts[:-1], starts[1:])],
    )


# --------------------------------------------------------------------------- the config

@dataclass
class Input:
    """One uncertain input: its stage, its alternatives (normalisations as tuples, aggregation
    names) and their cumulative probabilities, or the half-width of the weight perturbation."""
    stage: str
    alternatives: list[Any]
    cumulative: np.ndarray
    perturb: float = 0.0
    each: bool = False                        # exclude: "each" (resolved against the panel)
    probabilities: list[float] | None = None  # exclude: kept until resolved

    def pick(self, u: float) -> Any:
        k = int(np.searchsorted(self.cumulative, u, side="right"))
        return self.alternatives[min(k, len(self.alternatives) - 1)]


def normalisation(alt: Any, where: str) -> tuple:
    if isinstance(alt, str):
        alt = {"method": alt}
    if not isinstance(alt, dict) or "method" not in alt:
        raise SystemExit(f"{where}: a normalisation is a name or a table with 'method', not {alt!r}")
    method = alt["method"]
    extra = set(alt) - ({"method", "lo", "hi"} if method == "min_max" else {"method"})
    if extra:
        raise SystemExit(f"{where}: unknown key(s) {sorted(extra)} for '{method}'")
    if method == "min_max":
        lo, hi = float(alt.get("lo", 0.0)), float(alt.get("hi", 100.0))
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise SystemExit(f"{where}: min_max needs finite lo < hi, got [{lo}, {hi}]")
        return ("min_max", lo, hi)
    if method in ("rank", "z_score"):
        return (method,)
    raise SystemExit(f"{where}: the peer supports min_max, rank and z_score, not '{method}'")


def cumulative(probabilities: list[float] | None, count: int, where: str) -> np.ndarray:
    p = np.full(count, 1.0 / count) if probabilities is None else np.asarray(probabilities, dtype=float)
    if len(p) != count:
        raise SystemExit(f"{where}: {len(p)} probabilities for {count} alternatives")
    if not (np.all(np.isfinite(p)) and np.all(p >= 0)):
        raise SystemExit(f"{where}: probabilities must be numbers >= 0")
    if abs(p.sum() - 1.0) > 1e-9:
        raise SystemExit(f"{where}: the probabilities sum to {p.sum()}, not 1")
    c = np.cumsum(p)
    c[-1] = 1.0
    return c


def read_inputs(table: dict[str, Any]) -> list[Input]:
    inputs: list[Input] = []
    for k, spec in enumerate(table.get("inputs", []), start=1):
        stage = spec.get("stage")
        where = f"uncertainty input {k} ({stage})"
        if stage == "normalize":
            alts = [normalisation(a, where) for a in spec["alternatives"]]
            inputs.append(Input(stage, alts, cumulative(spec.get("probabilities"), len(alts), where)))
        elif stage == "aggregate":
            alts = list(spec["alternatives"])
            bad = [a for a in alts if a not in ("arithmetic", "geometric")]
            if bad:
                raise SystemExit(f"{where}: the peer supports arithmetic and geometric, not {bad}")
            inputs.append(Input(stage, alts, cumulative(spec.get("probabilities"), len(alts), where)))
        elif stage == "weights":
            if spec.get("alternatives") or "perturb" not in spec:
                raise SystemExit(f"{where}: the peer supports only perturb = a")
            a = float(spec["perturb"])
            if not (0.0 <= a < 1.0):
                raise SystemExit(f"{where}: perturb = {a} must lie in [0, 1)")
            inputs.append(Input("weights_perturb", [], np.empty(0), perturb=a))
        elif stage == "exclude":
            which = spec["indicators"]
            if not (which == "each" or isinstance(which, list)):
                raise SystemExit(f'{where}: indicators = "each" or a list of indicator ids')
            alts = [None] + ([] if which == "each" else [str(i) for i in which])
            inputs.append(Input(stage, alts, np.empty(0), each=which == "each",
                                probabilities=spec.get("probabilities")))
        else:
            raise SystemExit(f"{where}: the peer supports the stages normalize, weights (perturb), aggregate, exclude")
    return inputs


def resolve_exclusions(inputs: list[Input], d: Dense) -> None:
    """An exclude input's alternatives against the panel: none, then each indicator that has a
    sibling in its group ("each": every such indicator, in column order); its probabilities."""
    sizes = np.bincount(d.group_of, minlength=len(d.group_ids))
    for k, inp in enumerate(inputs, start=1):
        if inp.stage != "exclude":
            continue
        where = f"uncertainty input {k} (exclude)"
        if inp.each:
            inp.alternatives = [None] + [i for c, i in enumerate(d.indicators) if sizes[d.group_of[c]] > 1]
        for i in inp.alternatives[1:]:
            if i not in d.indicators:
                raise SystemExit(f"{where}: '{i}' is not a scored indicator")
            if sizes[d.group_of[d.indicators.index(i)]] < 2:
                raise SystemExit(f"{where}: '{i}' is alone in its group")
        inp.cumulative = cumulative(inp.probabilities, len(inp.alternatives), where)


def read_config(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    return doc.get("uncertainty", doc)


# --------------------------------------------------------------------------- one scoring

def normalise(d: Dense, how: tuple) -> np.ndarray:
    """Every column normalised over its present cells (panel scope), direction-aware."""
    O = np.where(d.lower, -d.X, d.X)
    if how[0] == "min_max":
        _, lo, hi = how
        mn, mx = np.nanmin(O, axis=0), np.nanmax(O, axis=0)
        span = mx - mn
        const = ~(span > 0)
        r = (O - mn) / np.where(const, 1.0, span)
        R = np.where(const, hi, lo + r * (hi - lo))
    elif how[0] == "rank":
        R = pd.DataFrame(O).rank(axis=0, method="average", na_option="keep").to_numpy()
    else:  # z_score
        mean = np.nanmean(O, axis=0)
        m = d.mask.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(np.nansum((O - mean) ** 2, axis=0) / (m - 1))
        flat = ~(sd > 0)
        R = np.where(flat, 0.0, (O - mean) / np.where(flat, 1.0, sd))
    return np.where(d.mask, R, np.nan)


def entropy_weights(d: Dense) -> np.ndarray:
    """entropy_normalized within each group on the raw columns (see the module doc)."""
    O = np.where(d.lower, -d.X, d.X)
    mn, mx = np.nanmin(O, axis=0), np.nanmax(O, axis=0)
    span = mx - mn
    const = ~(span > 0)
    q = np.where(const, 1.0, (O - mn) / np.where(const, 1.0, span))
    v = np.where(d.mask, q + SHIFT, 0.0)
    p = v / v.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0).sum(axis=0)
    m = d.mask.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        E = np.where(m > 1, -plogp / np.log(np.maximum(m, 2)), 1.0)
    div = 1.0 - np.clip(E, 0.0, 1.0)
    w = np.empty_like(div)
    for g in range(len(d.group_ids)):
        cols = d.group_of == g
        total = div[cols].sum()
        w[cols] = div[cols] / total if total > 0 else 1.0 / cols.sum()
    return w


def aggregate(values: np.ndarray, weights: np.ndarray, members: np.ndarray, method: str,
              names: list[str]) -> np.ndarray:
    """values: rows x children (NaN = absent); members: children x parents 0/1; weights per child.
    The weighted mean of the present children of each parent, weights renormalised."""
    present = ~np.isnan(values)
    W = members * weights[:, None]
    if method == "geometric":
        bad = present & ~(values > 0)
        if bad.any():
            j = int(np.argwhere(bad)[0][1])
            raise SystemExit(f"geometric: '{names[j]}' has a score <= 0; use min_max with lo > 0")
        num = np.where(present, np.log(np.where(present, values, 1.0)), 0.0) @ W
    else:
        num = np.where(present, values, 0.0) @ W
    den = present.astype("float64") @ W
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return np.exp(out) if method == "geometric" else out


def renormalise(w: np.ndarray, parent: np.ndarray) -> np.ndarray:
    totals = np.bincount(parent, weights=w)
    return w / totals[parent]


def rank_by_year(d: Dense, score: np.ndarray) -> np.ndarray:
    """1 = highest within each year, ties share the lowest rank ("min"); no score -> 0."""
    ranks = np.zeros(len(score), dtype=np.int64)
    for block in d.year_blocks:
        s = score[block]
        ok = ~np.isnan(s)
        v = s[ok]
        r = np.zeros(len(s), dtype=np.int64)
        r[ok] = len(v) - np.searchsorted(np.sort(v), v, side="right") + 1
        ranks[block] = r
    return ranks


@dataclass
class Choice:
    normalize: tuple = NOMINAL_NORMALIZE
    aggregate: str = "arithmetic"
    perturb: float = 0.0
    exclude: str | None = None


def score_once(d: Dense, choice: Choice, rng: np.random.Generator | None) -> np.ndarray:
    """The index of one spec: normalise, fit weights, perturb, aggregate groups then the index."""
    R = normalise(d, choice.normalize)
    w = entropy_weights(d)
    G = len(d.group_ids)
    v = np.full(G, 1.0 / G)
    if choice.perturb > 0.0 and rng is not None:
        a = choice.perturb
        w = renormalise(w * rng.uniform(1.0 - a, 1.0 + a, size=len(w)), d.group_of)
        v = renormalise(v * rng.uniform(1.0 - a, 1.0 + a, size=G), np.zeros(G, dtype=np.int64))
    if choice.exclude is not None:
        w = w.copy()
        w[d.indicators.index(choice.exclude)] = 0.0
        w = renormalise(w, d.group_of)
    members = np.zeros((len(d.indicators), G))
    members[np.arange(len(d.indicators)), d.group_of] = 1.0
    groups = aggregate(R, w, members, choice.aggregate, d.indicators)
    return aggregate(groups, v, np.ones((G, 1)), choice.aggregate, d.group_ids)[:, 0]


# --------------------------------------------------------------------------- the Monte Carlo

def quantile_ranks(hist: np.ndarray, q: float) -> np.ndarray:
    """Per row of a rank histogram (column r = draws giving rank r): the smallest r whose
    cumulative share is >= q; 0 where no draw gave a rank."""
    cum = np.cumsum(hist, axis=1)
    total = cum[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        reached = (cum / np.where(total > 0, total, 1)[:, None]) >= q
    return np.where(total > 0, np.argmax(reached, axis=1), 0)


def uncertainty(d: Dense, inputs: list[Input], draws: int, seed: int) -> pd.DataFrame:
    if draws < 1:
        raise SystemExit("draws must be >= 1")
    rows = len(d.units)
    nominal = score_once(d, Choice(), None)
    nominal_rank = rank_by_year(d, nominal)
    rng = np.random.default_rng(seed)
    widest = max(b.stop - b.start for b in d.year_blocks)
    hist = np.zeros((rows, widest + 1), dtype=np.int64)    # rank r counted in column r (0 unused)
    n = np.zeros(rows, dtype=np.int64)
    shift = np.full(rows, np.nan)                           # the first draw's score (shifted sums)
    s1 = np.zeros(rows)
    s2 = np.zeros(rows)
    at = np.arange(rows)
    for _ in range(draws):
        u = rng.random(len(inputs))
        choice = Choice()
        for inp, ui in zip(inputs, u):
            if inp.stage == "normalize":
                choice.normalize = inp.pick(ui)
            elif inp.stage == "aggregate":
                choice.aggregate = inp.pick(ui)
            elif inp.stage == "exclude":
                choice.exclude = inp.pick(ui)
            else:
                choice.perturb = inp.perturb
        score = score_once(d, choice, rng)
        rank = rank_by_year(d, score)
        ranked = rank > 0
        hist[at[ranked], rank[ranked]] += 1
        ok = ~np.isnan(score)
        first = ok & np.isnan(shift)
        shift[first] = score[first]
        dev = np.where(ok, score - shift, 0.0)
        s1 += dev
        s2 += dev * dev
        n += ok
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, shift + s1 / np.maximum(n, 1), np.nan)
        var = (s2 - s1 * s1 / np.maximum(n, 1)) / (n - 1)
        sd = np.where(n > 1, np.sqrt(np.maximum(var, 0.0)), np.nan)

    def int_or_na(a: np.ndarray) -> pd.arrays.IntegerArray:
        return pd.array([int(x) if x > 0 else None for x in a], dtype="Int64")

    out = pd.DataFrame({
        "unit": d.units,
        "year": d.years,
        "node": "index",
        "nominal_score": nominal,
        "nominal_rank": int_or_na(nominal_rank),
        "median_rank": int_or_na(quantile_ranks(hist, 0.5)),
        "q05_rank": int_or_na(quantile_ranks(hist, 0.05)),
        "q95_rank": int_or_na(quantile_ranks(hist, 0.95)),
        "mean_score": mean,
        "sd_score": sd,
    })
    return out.sort_values(["unit", "year"], kind="stable").reset_index(drop=True)[COLUMNS]


# --------------------------------------------------------------------------- data and citycheck

@dataclass
class Case:
    name: str
    long: pd.DataFrame           # parsed and denominated
    inds: list[str]
    groups: list[str]
    lower: np.ndarray
    cc_panel: Any = None
    cc_catalog: Any = None
    data_path: Path | None = None
    unit_column: str = "unit"
    catalog_ref: str = ""        # for a run config: a built-in id, or the path of a written catalogue


def load_case(name: str, data: Path, groups_json: Path, unit_column: str, builtin: str | None,
              with_cc: bool) -> Case:
    inds, groups, lower = pp.read_groups(str(groups_json))
    long = pp.denominate(pp.read_long(str(data), unit_column), pp.read_denominators(str(groups_json)))
    case = Case(name, long, inds, groups, lower, data_path=data, unit_column=unit_column)
    if builtin:
        case.catalog_ref = builtin
    else:
        written = Path("/tmp/uncertainty_numpy") / f"catalog_{groups_json.stem}.toml"
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_text(catalog_toml(groups_json), encoding="utf-8")
        case.catalog_ref = str(written)
    if with_cc:
        import citycheck as cc
        case.cc_panel = cc.Panel.read(str(data), unit=unit_column)
        case.cc_catalog = (cc.Catalog.builtin(builtin) if builtin
                           else cc.Catalog.from_toml(catalog_toml(groups_json)))
    return case


def catalog_toml(groups_json: Path) -> str:
    """GROUPS.json as a citycheck catalogue (the form python_overhead.py writes); no denominators."""
    spec = json.loads(groups_json.read_text(encoding="utf-8"))["indicators"]
    if any(m.get("denominator") for m in spec.values()):
        raise SystemExit("catalog_toml: GROUPS.json with denominators needs a real catalogue")
    lines = ['[catalog]\nid = "synthetic"\nname = "synthetic benchmark panel"\nversion = "1"\n']
    for g in dict.fromkeys(m["group"] for m in spec.values()):
        lines.append(f'[[groups]]\nid = "{g}"\nname_zh = "维度 {g}"\nname_en = "group {g}"\n')
    for ind, m in spec.items():
        lines.append(f'[[indicators]]\nid = "{ind}"\nname_zh = "指标 {ind}"\nname_en = "indicator {ind}"\n'
                     f'group = "{m["group"]}"\nunit = "index"\ndirection = "{m.get("direction", "higher")}"\n')
    return "\n".join(lines)


def run_peer(case: Case, table: dict[str, Any]) -> pd.DataFrame:
    d = dense(case.long, case.inds, case.groups, case.lower)
    inputs = read_inputs(table)
    resolve_exclusions(inputs, d)
    return uncertainty(d, inputs, int(table.get("draws", 1000)), int(table.get("seed", 0)))


def run_cc(case: Case, table: dict[str, Any]) -> pd.DataFrame:
    import citycheck as cc
    config = dict(table, sensitivity={"rows": 0})
    u = cc.uncertainty(case.cc_panel, case.cc_catalog, config)
    return index_rows(u.table.to_pandas())


def toml_value(v: Any) -> str:
    """A config value as TOML (strings as JSON strings, which TOML reads the same)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"no TOML for {v!r}")


def run_config(case: Case, table: dict[str, Any], out: Path) -> str:
    """A run config: the check-up default spec (written out) and the [uncertainty] table."""
    lines = [f"catalog = {toml_value(case.catalog_ref)}", "",
             "[data]", f"path = {toml_value(str(case.data_path))}", f"unit_column = {toml_value(case.unit_column)}",
             'validation = "strict"', "",
             "[spec]", 'normalize = { method = "min_max", lo = 0.0, hi = 100.0 }', 'scope = "panel"',
             'missing = "renormalize"', 'aggregate = { method = "arithmetic" }', "",
             "[spec.weights]", 'default = { method = "equal" }',
             'levels = { "2" = { method = "entropy_normalized", shift = 0.0001 } }', "",
             "[output]", f"dir = {toml_value(str(out))}", 'format = "csv"', "",
             "[uncertainty]", f"draws = {int(table['draws'])}", f"seed = {int(table['seed'])}",
             "sensitivity = { rows = 0 }"]
    for spec in table.get("inputs", []):
        lines += ["", "[[uncertainty.inputs]]"] + [f"{k} = {toml_value(v)}" for k, v in spec.items()]
    return "\n".join(lines) + "\n"


def run_cli(case: Case, table: dict[str, Any], cli: str) -> pd.DataFrame:
    """`citycheck uncertainty CONFIG` with the release binary; its uncertainty.csv's index rows."""
    work = Path(tempfile.mkdtemp(prefix="uncertainty_numpy_"))
    config = work / "run.toml"
    config.write_text(run_config(case, table, work / "out"), encoding="utf-8")
    try:
        subprocess.run([cli, "uncertainty", str(config)], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
        t = pd.read_csv(work / "out" / "uncertainty.csv", dtype={"unit": str}, encoding="utf-8-sig")
    except subprocess.CalledProcessError as e:
        raise SystemExit(f"{cli} uncertainty {config} failed: {e.stderr.decode(errors='replace')}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return index_rows(t)


def index_rows(t: pd.DataFrame) -> pd.DataFrame:
    t = t[t["node"] == "index"].copy()
    t["unit"] = t["unit"].astype(str)
    t["year"] = t["year"].astype("int64")
    return t.sort_values(["unit", "year"], kind="stable").reset_index(drop=True)


def aligned(mine: pd.DataFrame, theirs: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    m = mine.assign(unit=mine["unit"].astype(str), year=mine["year"].astype("int64"))
    j = m.merge(theirs, on=["unit", "year"], how="outer", suffixes=("_peer", "_cc"), indicator=True)
    problems = []
    only = j[j["_merge"] != "both"]
    if len(only):
        problems.append(f"{len(only)} unit-years scored by one side only, e.g. "
                        f"{only[['unit', 'year', '_merge']].head(3).to_dict('records')}")
    return j[j["_merge"] == "both"], problems


# --------------------------------------------------------------------------- (a) --check

DETERMINISTIC: list[tuple[str, list[dict[str, Any]]]] = [
    ("no input (the nominal spec every draw)", []),
    ("normalize [rank]", [{"stage": "normalize", "alternatives": ["rank"]}]),
    ("normalize [z_score]", [{"stage": "normalize", "alternatives": ["z_score"]}]),
    ("normalize [min_max 0..1]", [{"stage": "normalize", "alternatives": [{"method": "min_max", "lo": 0.0, "hi": 1.0}]}]),
    ("normalize [min_max 1..100] + aggregate [geometric]",
     [{"stage": "normalize", "alternatives": [{"method": "min_max", "lo": 1.0, "hi": 100.0}]},
      {"stage": "aggregate", "alternatives": ["geometric"]}]),
    ("normalize [rank] + aggregate [geometric] + weights perturb 0",
     [{"stage": "normalize", "alternatives": ["rank"]}, {"stage": "aggregate", "alternatives": ["geometric"]},
      {"stage": "weights", "perturb": 0.0}]),
    ("weights perturb 0 + aggregate [arithmetic]",
     [{"stage": "weights", "perturb": 0.0}, {"stage": "aggregate", "alternatives": ["arithmetic"]}]),
    ("exclude the first indicator with a sibling (probabilities [0, 1, 0, ...]) + normalize [rank]", "exclude"),
]


def close(a: pd.Series, b: pd.Series, tol: float = 1e-9) -> pd.Series:
    a, b = a.astype("float64"), b.astype("float64")
    both_na = a.isna() & b.isna()
    return both_na | ((a - b).abs() <= tol * np.maximum(1.0, b.abs()))


def check(cases: list[Case], draws: int, cli: str | None) -> bool:
    ok = True
    sides: list[tuple[str, Callable[[Case, dict[str, Any]], pd.DataFrame]]] = [("cc.uncertainty", run_cc)]
    if cli:
        sides.append(("citycheck uncertainty", lambda case, table: run_cli(case, table, cli)))
    for (side, run), case, (label, inputs) in ((sd, c, x) for sd in sides for c in cases for x in DETERMINISTIC):
        if inputs == "exclude":
            d = dense(case.long, case.inds, case.groups, case.lower)
            sizes = np.bincount(d.group_of)
            ids = [i for c, i in enumerate(d.indicators) if sizes[d.group_of[c]] > 1][:3]
            inputs = [{"stage": "exclude", "indicators": ids, "probabilities": [0.0, 1.0] + [0.0] * (len(ids) - 1)},
                      {"stage": "normalize", "alternatives": ["rank"]}]
        table = {"draws": draws, "seed": 11, "inputs": inputs}
        j, problems = aligned(run_peer(case, table), run(case, table))
        for col in ("nominal_score", "mean_score"):
            bad = ~close(j[f"{col}_peer"], j[f"{col}_cc"])
            if bad.any():
                worst = (j[f"{col}_peer"] - j[f"{col}_cc"]).abs().max()
                problems.append(f"{col}: {int(bad.sum())} cells differ (max |delta| {worst:.3g})")
        sd = pd.concat([j["sd_score_peer"], j["sd_score_cc"]], axis=1).abs().max(axis=1)
        if (sd > 1e-9 * np.maximum(1.0, j["mean_score_cc"].abs())).any():
            problems.append(f"sd_score not 0 for one alternative per input (max {sd.max():.3g})")
        for col in ("nominal_rank", "median_rank", "q05_rank", "q95_rank"):
            mine, theirs = j[f"{col}_peer"].astype("Float64"), j[f"{col}_cc"].astype("Float64")
            bad = ~((mine == theirs).fillna(False) | (mine.isna() & theirs.isna()))
            if bad.any():
                problems.append(f"{col}: {int(bad.sum())} unit-years differ, e.g. "
                                f"{j.loc[bad, ['unit', 'year', col + '_peer', col + '_cc']].head(3).to_dict('records')}")
        max_delta = max(float((j[f"{c}_peer"] - j[f"{c}_cc"]).abs().max()) for c in ("nominal_score", "mean_score"))
        verdict = "ok" if not problems else "DIFFERS"
        print(f"[{case.name}, {side}] {label}: {len(j)} unit-years, max |delta score| {max_delta:.2e}: {verdict}")
        for problem in problems:
            print(f"    {problem}")
        ok &= not problems
    return ok


# --------------------------------------------------------------------------- (b) --compare

RANDOM: list[tuple[str, list[dict[str, Any]]]] = [
    ("normalize [min_max 1..100, rank] + perturb 0.25 + aggregate [arithmetic, geometric]",
     [{"stage": "normalize", "alternatives": [{"method": "min_max", "lo": 1.0, "hi": 100.0}, "rank"]},
      {"stage": "weights", "perturb": 0.25},
      {"stage": "aggregate", "alternatives": ["arithmetic", "geometric"]}]),
    ("normalize [min_max, rank, z_score] (p = 0.5, 0.3, 0.2) + perturb 0.5",
     [{"stage": "normalize", "alternatives": ["min_max", "rank", "z_score"], "probabilities": [0.5, 0.3, 0.2]},
      {"stage": "weights", "perturb": 0.5}]),
    ("weights perturb 0.5 alone (the spread is the perturbation's only)", [{"stage": "weights", "perturb": 0.5}]),
    ("exclude each alone", [{"stage": "exclude", "indicators": "each"}]),
]


def agreement(j: pd.DataFrame, draws: int) -> dict[str, float]:
    """The statistics of (b) on two runs merged by unit-year (suffixes _peer and _cc)."""
    f = {c: j[c].astype(float) for c in j.columns if c.endswith(("_rank_peer", "_rank_cc", "_score_peer", "_score_cc"))}
    mp, mc = f["median_rank_peer"], f["median_rank_cc"]
    sp, sc = f["sd_score_peer"], f["sd_score_cc"]
    se = np.sqrt((sp ** 2 + sc ** 2) / draws)
    z = ((f["mean_score_cc"] - f["mean_score_peer"]) / se)[se > 0].abs()
    ratio = (sp / sc)[sc > 0]
    return {
        "cc_in_peer": float(((mc >= f["q05_rank_peer"]) & (mc <= f["q95_rank_peer"])).mean()),
        "peer_in_cc": float(((mp >= f["q05_rank_cc"]) & (mp <= f["q95_rank_cc"])).mean()),
        "dmed": float((mp - mc).abs().mean()),
        "equal_medians": float((mp == mc).mean()),
        "dq05": float((f["q05_rank_peer"] - f["q05_rank_cc"]).abs().mean()),
        "dq95": float((f["q95_rank_peer"] - f["q95_rank_cc"]).abs().mean()),
        "z3": float((z > 3).mean()) if len(z) else 0.0,
        "zmax": float(z.max()) if len(z) else 0.0,
        "ratio_min": float(ratio.min()) if len(ratio) else 1.0,
        "ratio_max": float(ratio.max()) if len(ratio) else 1.0,
        "ratio_out": float(((ratio < 0.85) | (ratio > 1.15)).mean()) if len(ratio) else 0.0,
    }


def show(label: str, a: dict[str, float]) -> str:
    return (f"    {label:<22} coverage cc-in-peer {a['cc_in_peer']:.3f} peer-in-cc {a['peer_in_cc']:.3f} | "
            f"mean |d median| {a['dmed']:.3f} (equal {a['equal_medians']:.3f}) |d q05| {a['dq05']:.3f} "
            f"|d q95| {a['dq95']:.3f} | share |z| > 3 {a['z3']:.3f} max |z| {a['zmax']:.2f} | "
            f"sd ratio {a['ratio_min']:.3f} .. {a['ratio_max']:.3f} (outside [0.85, 1.15] {a['ratio_out']:.3f})")


def compare(cases: list[Case], draws: int, cli: str | None) -> bool:
    """(b); citycheck through the binary when `cli` is given, else through cc.uncertainty. The
    reference line is the peer against itself with another seed: the same statistics under the
    null hypothesis (same distribution, independent draws)."""
    ok = True
    for case in cases:
        for label, inputs in RANDOM:
            theirs = {"draws": draws, "seed": 7, "inputs": inputs}
            peer = run_peer(case, {"draws": draws, "seed": 2024, "inputs": inputs})
            j, problems = aligned(peer, run_cli(case, theirs, cli) if cli else run_cc(case, theirs))
            again = run_peer(case, {"draws": draws, "seed": 2025, "inputs": inputs})
            ref, _ = aligned(peer, again)
            if not close(j["nominal_score_peer"], j["nominal_score_cc"]).all():
                problems.append("nominal scores differ")
            a, r = agreement(j, draws), agreement(ref, draws)
            print(f"[{case.name}] {label}; {draws} draws each, {len(j)} unit-years")
            print(show("peer vs citycheck:", a))
            print(show("peer vs peer (seed 2):", r))
            if min(a["cc_in_peer"], a["peer_in_cc"]) < 0.98:
                problems.append("a coverage is below 0.98")
            if a["dmed"] > max(0.25, 2 * r["dmed"]):
                problems.append("mean |delta median| above max(0.25, 2 x the peer's own)")
            if max(a["dq05"], a["dq95"]) > max(0.5, 2 * max(r["dq05"], r["dq95"])):
                problems.append("mean |delta q05| or |delta q95| above max(0.5, 2 x the peer's own)")
            if a["z3"] > 0.05 or a["zmax"] > 5:
                problems.append("mean scores differ beyond sampling noise")
            if a["ratio_out"] > 0.02 + 2 * r["ratio_out"]:
                problems.append("more sd ratios outside [0.85, 1.15] than 0.02 + 2 x the peer's own share")
            for problem in problems:
                print(f"    FAILS: {problem}")
            ok &= not problems
    return ok


# --------------------------------------------------------------------------- (c) --bench

BENCH_INPUTS = RANDOM[0][1]
# Issue 18 item 5's case asks for five uncertain inputs; the peer knows four kinds (no impute, no
# weight-method alternatives): the vignette's three and every indicator dropped in turn.
ISSUE_INPUTS = [*BENCH_INPUTS, {"stage": "exclude", "indicators": "each"}]


def best_of(repeat: int, job: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        job()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench(cases: list[Case], draws: int, repeat: int, cli: str | None, api: bool,
          inputs: list[dict[str, Any]]) -> None:
    import citycheck as cc
    for case in cases:
        table = {"draws": draws, "seed": 7, "inputs": inputs}
        config = dict(table, sensitivity={"rows": 0})
        rows = len(dense(case.long, case.inds, case.groups, case.lower).units)
        t_peer = best_of(repeat, lambda: run_peer(case, table))
        print(f"[{case.name}] {rows} unit-years, {draws} draws, best of {repeat}: peer {t_peer:.3f} s", flush=True)
        if api:
            t_cc = best_of(repeat, lambda: cc.uncertainty(case.cc_panel, case.cc_catalog, config))
            print(f"    cc.uncertainty (extension {native_build()}) {t_cc:.3f} s: peer/citycheck {t_peer / t_cc:.2f}x",
                  flush=True)
        if cli:
            t_cli = best_of(repeat, lambda: run_cli(case, table, cli))
            print(f"    {cli} uncertainty (whole run from files) {t_cli:.3f} s: peer/citycheck {t_peer / t_cli:.2f}x",
                  flush=True)


PER_DRAW: list[tuple[str, list[dict[str, Any]]]] = [
    ("no input", []),
    ("weights perturb 0.25", [{"stage": "weights", "perturb": 0.25}]),
    ("normalize [rank]", [{"stage": "normalize", "alternatives": ["rank"]}]),
    ("min_max [1, 100] + geometric", [{"stage": "normalize", "alternatives": [{"method": "min_max", "lo": 1.0, "hi": 100.0}]},
                                      {"stage": "aggregate", "alternatives": ["geometric"]}]),
]


def per_draw(cases: list[Case], cli: str) -> None:
    """ms per draw of one input at a time: (time of 201 draws - time of 1 draw) / 200, once each."""
    for case in cases:
        for label, inputs in PER_DRAW:
            times = {}
            for draws in (1, 201):
                table = {"draws": draws, "seed": 1, "inputs": inputs}
                t0 = time.perf_counter()
                run_cli(case, table, cli)
                t1 = time.perf_counter()
                run_peer(case, table)
                times[draws] = (t1 - t0, time.perf_counter() - t1)
            c, p = ((times[201][k] - times[1][k]) / 200 * 1e3 for k in (0, 1))
            print(f"[{case.name}] {label}: ms per draw, citycheck {c:.1f}, peer {p:.1f}", flush=True)


def native_build() -> str:
    """Where the extension in use lives and its size (a debug build is several times larger)."""
    import citycheck._citycheck as native
    path = Path(native.__file__)
    return f"{path}, {path.stat().st_size / 1e6:.0f} MB"


# --------------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="(a) deterministic configs against cc.uncertainty")
    mode.add_argument("--compare", action="store_true", help="(b) random configs, statistically")
    mode.add_argument("--bench", action="store_true", help="(c) timings against cc.uncertainty")
    ap.add_argument("--config", help="TOML with [uncertainty] (or its body)")
    ap.add_argument("--out", help="uncertainty.csv to write")
    ap.add_argument("--data", help="long CSV (default: the Liaoning example)")
    ap.add_argument("--groups", help="GROUPS.json (default: tests/golden/ccsy_example_groups.json)")
    ap.add_argument("--unit-column", default=None, help="unit column (default: city for the example, else unit)")
    ap.add_argument("--draws", type=int, help="draws (default: the config's; 20 for --check, 1000 otherwise)")
    ap.add_argument("--seed", type=int, help="seed (overrides the config's)")
    ap.add_argument("--repeat", type=int, default=3, help="--bench: best of N (default 3)")
    ap.add_argument("--units", type=int, default=300, help="--bench: units of the generated panel (default 300)")
    ap.add_argument("--inputs", choices=["vignette", "issue"], default="vignette",
                    help="--bench: the vignette's three inputs (normalize, weights perturb, aggregate; default) "
                         "or those and exclude each (issue 18 item 5, as far as the peer goes)")
    ap.add_argument("--cli", help="--check/--bench: also run this citycheck binary (`citycheck uncertainty CONFIG`)")
    ap.add_argument("--no-api", action="store_true", help="--bench: skip cc.uncertainty (e.g. a debug extension)")
    ap.add_argument("--per-draw", action="store_true",
                    help="--bench: instead, ms per draw of one input at a time, peer and --cli BIN")
    a = ap.parse_args(argv)

    if (a.data is None) != (a.groups is None):
        ap.error("--data and --groups go together")
    with_cc = a.check or a.compare or a.bench
    if a.data:
        cases = [load_case(Path(a.data).name, Path(a.data), Path(a.groups), a.unit_column or "unit", None, with_cc)]
    else:
        cases = [load_case("liaoning", LIAONING, LIAONING_GROUPS, a.unit_column or "city", "ccsy-example", with_cc)]

    if a.check:
        return 0 if check(cases, a.draws or 20, a.cli) else 1
    if a.compare:
        return 0 if compare(cases, a.draws or 1000, a.cli) else 1
    if a.bench:
        if not a.data:
            out = Path("/tmp/uncertainty_numpy")
            out.mkdir(parents=True, exist_ok=True)
            data, groups = out / f"panel_{a.units}x69x5.csv", out / f"groups_{a.units}x69x5.json"
            if not (data.exists() and groups.exists()):
                pp.generate(f"{a.units},69,5,42", str(data), str(groups))
            cases.append(load_case(f"generated {a.units}x69x5", data, groups, "unit", None, True))
        if a.per_draw:
            if not a.cli:
                ap.error("--per-draw needs --cli BIN")
            per_draw(cases, a.cli)
        else:
            bench(cases, a.draws or 1000, a.repeat, a.cli, not a.no_api,
                  ISSUE_INPUTS if a.inputs == "issue" else BENCH_INPUTS)
        return 0
    if not (a.config and a.out):
        ap.error("--config and --out are required (or --check / --compare / --bench)")
    table = read_config(a.config)
    if a.draws is not None:
        table["draws"] = a.draws
    if a.seed is not None:
        table["seed"] = a.seed
    result = run_peer(cases[0], table)
    result.to_csv(a.out, index=False, lineterminator="\n")
    print(f"wrote {a.out}: {len(result)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
