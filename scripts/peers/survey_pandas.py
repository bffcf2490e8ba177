#!/usr/bin/env python3
"""Independent pandas/numpy implementation of citycheck's satisfaction-survey statistics.

DEV-ONLY. Not part of the citycheck library, its Python bindings or any package. It exists
(a) as an independent check of citycheck's survey numbers, written from the formulas in
src/survey/mod.rs without looking at the Rust code paths (pandas groupby + numpy + scipy
quantiles), and (b) as the speed peer of benches/survey.rs.

Setup (once, from the repository root; .venv-peer/ is git-ignored):
    python3 -m venv .venv-peer && .venv-peer/bin/pip install numpy pandas scipy

Reference mode (writes the files the Rust test tests/it/survey.rs compares against):
    .venv-peer/bin/python scripts/peers/survey_pandas.py \
        --definition datasets/survey_synthetic/definition.toml \
        --responses datasets/survey_synthetic/responses.csv \
        --unit-column city --year-column year --weight-column weight --strata-column district \
        --out tests/reference/survey_synthetic_expected.csv \
        --bad-out tests/reference/survey_synthetic_bad_answers.csv

Speed mode (the shape of benches/survey.rs: ROWS respondents, ITEMS five-point items in
dimensions of 5, GROUPS unit-years, 8 strata per group; numpy default_rng(SEED)):
    .venv-peer/bin/python scripts/peers/survey_pandas.py --synthetic 1000000,30,300,7 [--repeat 3]

Conventions (the same contract as citycheck, src/survey/mod.rs):
  reading    every cell as text; an empty cell or a `missing` mark of the scale is a missing answer.
             Rows with an empty unit, a year that is not a 4-digit year, a weight that is empty or a
             usual missing mark (NA, -, …: missing_weight), not a number or <= 0 (bad_weight), or an
             empty stratum are left out whole and listed.
  answers    labels scale: the trimmed text is a label or a level code -> its score; else bad
             (unknown_label). numeric scale: not a float -> not_numeric; outside [min, max] ->
             out_of_scale; off the grid min + k*step (|k - round(k)| > 1e-9 max(1, |k|)) -> off_step;
             score by rescale (range / of_max / keep); satisfied if x >= top.
  estimates  per (unit, year) over the valid answers y with weights w (1 without):
             mean = sum(w y)/sum(w); n_eff = sum(w)^2/sum(w^2); z = w (y - mean)/sum(w);
             V = sum over strata h with n_h >= 2 of n_h/(n_h - 1) * sum_h (z - mean_h(z))^2;
             se = sqrt(V) (missing when n < 2 or no stratum has 2 answers); df = n - H (strata present);
             CI = mean -/+ t.ppf(1 - a/2, df) se; satisfaction p = sum(w s)/sum(w);
             Wilson interval at n_eff with z = norm.ppf(1 - a/2) (missing when n < 2).
  dimensions per respondent: mean of the valid item scores of the dimension (>= 1 item), and the
             share of them satisfied; then the estimates above over respondents.
  alpha      per year and dimension over all units, unweighted, complete cases (every item of the
             dimension valid): alpha = k/(k-1) (1 - sum var_j / var(total)), ddof = 1;
             alpha if deleted = alpha of the other k - 1 items (k >= 3); item-total r = Pearson r of
             the item with the total minus the item.

Output (--out): long CSV `table,unit,year,name,item,statistic,value`; table is items,
dimensions, reliability or summary; values with repr() precision, empty when missing.
--bad-out: `unit,year,row,item,answer,reason` (row: the header is row 1).
Timing: "survey_seconds: X" (median of --repeat runs of everything after reading the CSV).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

MISSING_WEIGHT_MARKS = {"", "NA", "N/A", "NaN", "nan", "null", "NULL", "-", "--", "—", "…", "..."}
STATS = [
    "n",
    "weight_sum",
    "n_eff",
    "mean",
    "se",
    "ci_low",
    "ci_high",
    "satisfaction",
    "satisfaction_ci_low",
    "satisfaction_ci_high",
]
DEFAULT_LEVELS = [("很满意", 100.0), ("满意", 80.0), ("一般", 60.0), ("不满意", 40.0), ("很不满意", 20.0)]


# ---------------------------------------------------------------------------------- definition


def load_definition(path: Path) -> dict:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    scales = {}
    for s in raw.get("scales", []):
        missing = [m.strip() for m in s.get("missing", ["不清楚"])]
        if s["kind"] == "labels":
            levels = s.get("levels") or [{"label": label, "score": v} for label, v in DEFAULT_LEVELS]
            lookup = {}
            for lv in levels:
                lookup[lv["label"]] = lv
                if "code" in lv:
                    lookup[str(lv["code"])] = lv
            if "top" in s:
                top = set(s["top"])
            else:
                top = {lv["label"] for lv in sorted(levels, key=lambda lv: -lv["score"])[:2]}
            scales[s["id"]] = {"kind": "labels", "lookup": lookup, "top": top, "missing": missing}
        else:
            step = s.get("step")
            top = s.get("top", None if step is None else s["max"] - step)
            scales[s["id"]] = {
                "kind": "numeric",
                "min": float(s["min"]),
                "max": float(s["max"]),
                "step": None if step is None else float(step),
                "rescale": s.get("rescale", "range"),
                "top": float(top),
                "missing": missing,
            }
    items = [
        {"id": i["id"], "column": i.get("column", i["id"]), "dimension": i["dimension"], "scale": scales[i["scale"]]}
        for i in raw["items"]
    ]
    dimensions = [d["id"] for d in raw["dimensions"]]
    return {"items": items, "dimensions": dimensions}


def judge(scale: dict, text: str):
    """(status, score, satisfied) of one answer text."""
    t = text.strip()
    if t == "" or t in scale["missing"]:
        return ("missing", np.nan, np.nan)
    if scale["kind"] == "labels":
        level = scale["lookup"].get(t)
        if level is None:
            return ("unknown_label", np.nan, np.nan)
        return ("valid", float(level["score"]), 1.0 if level["label"] in scale["top"] else 0.0)
    try:
        x = float(t)
    except ValueError:
        return ("not_numeric", np.nan, np.nan)
    if not math.isfinite(x):
        return ("not_numeric", np.nan, np.nan)
    lo, hi = scale["min"], scale["max"]
    if x < lo or x > hi:
        return ("out_of_scale", np.nan, np.nan)
    if scale["step"] is not None:
        k = (x - lo) / scale["step"]
        if abs(k - round(k)) > 1e-9 * max(1.0, abs(k)):
            return ("off_step", np.nan, np.nan)
    if scale["rescale"] == "range":
        y = 100.0 * (x - lo) / (hi - lo)
    elif scale["rescale"] == "of_max":
        y = 100.0 * x / hi
    else:
        y = x
    return ("valid", y, 1.0 if x >= scale["top"] else 0.0)


# ---------------------------------------------------------------------------------- reading


def parse_year(text: str):
    t = text.strip().removesuffix("年")
    t = t.removesuffix(".0")
    try:
        y = int(t)
    except ValueError:
        return None
    return y if 1000 <= y <= 9999 else None


def read_responses(path: Path, unit: str, year: str, weight: str | None, strata: str | None):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    bad = []
    keep = np.ones(len(df), dtype=bool)
    years = []
    weights = []
    for r in range(len(df)):
        problems = []
        u = df[unit].iat[r].strip()
        if u == "":
            problems.append((unit, "", "missing_unit"))
        y = parse_year(df[year].iat[r])
        if y is None:
            problems.append((year, df[year].iat[r], "bad_year"))
        w = 1.0
        if weight is not None:
            text = df[weight].iat[r]
            if text.strip() in MISSING_WEIGHT_MARKS:
                problems.append((weight, text, "missing_weight"))
            else:
                try:
                    w = float(text.strip())
                except ValueError:
                    w = float("nan")
                if not (math.isfinite(w) and w > 0):
                    problems.append((weight, text, "bad_weight"))
        if strata is not None and df[strata].iat[r].strip() == "":
            problems.append((strata, "", "missing_stratum"))
        if problems:
            keep[r] = False
            for column, answer, reason in problems:
                bad.append(
                    {"unit": u or None, "year": y, "row": r + 2, "item": column, "answer": answer, "reason": reason}
                )
        years.append(y)
        weights.append(w)
    df["_row"] = np.arange(len(df)) + 2
    df["_unit"] = df[unit].str.strip()
    df["_year"] = years
    df["_w"] = weights
    df["_stratum"] = df[strata].str.strip() if strata is not None else ""
    df = df[keep].reset_index(drop=True)
    # Group keys as categoricals: pandas groups them by integer codes.
    df["_unit"] = df["_unit"].astype("category")
    df["_stratum"] = df["_stratum"].astype("category")
    return df, bad


# ---------------------------------------------------------------------------------- statistics


def group_estimates(frame: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """frame: _unit, _year, _stratum, _w, y, s for the rows with a value."""
    q = 1.0 - (1.0 - confidence) / 2.0
    f = frame.assign(wy=frame["_w"] * frame["y"], w2=frame["_w"] ** 2, ws=frame["_w"] * frame["s"])
    g = f.groupby(["_unit", "_year"], sort=False, observed=True).agg(
        n=("y", "size"), W=("_w", "sum"), W2=("w2", "sum"), WY=("wy", "sum"), WS=("ws", "sum")
    )
    g["mean"] = g["WY"] / g["W"]
    f = f.join(g[["mean", "W"]], on=["_unit", "_year"])
    f["z"] = f["_w"] * (f["y"] - f["mean"]) / f["W"]
    keys = ["_unit", "_year", "_stratum"]
    f["zz"] = (f["z"] - f.groupby(keys, sort=False, observed=True)["z"].transform("mean")) ** 2
    h = f.groupby(keys, sort=False, observed=True).agg(nh=("z", "size"), ss=("zz", "sum"))
    h["contrib"] = np.where(h["nh"] >= 2, h["nh"] / (h["nh"] - 1).clip(lower=1) * h["ss"], 0.0)
    h["with_var"] = (h["nh"] >= 2).astype(int)
    v = h.groupby(level=[0, 1], sort=False, observed=True).agg(
        V=("contrib", "sum"), H=("nh", "size"), with_var=("with_var", "sum")
    )
    g = g.join(v)
    ok = (g["n"] >= 2) & (g["with_var"] > 0)
    g["se"] = np.where(ok, np.sqrt(g["V"]), np.nan)
    df = (g["n"] - g["H"]).where(ok, 1)
    t = stats.t.ppf(q, df.to_numpy(dtype=float))
    g["ci_low"] = np.where(ok, g["mean"] - t * g["se"], np.nan)
    g["ci_high"] = np.where(ok, g["mean"] + t * g["se"], np.nan)
    g["n_eff"] = g["W"] ** 2 / g["W2"]
    g["satisfaction"] = g["WS"] / g["W"]
    z = stats.norm.ppf(q)
    p, ne = g["satisfaction"], g["n_eff"]
    denom = 1 + z * z / ne
    centre = (p + z * z / (2 * ne)) / denom
    half = z / denom * np.sqrt(np.maximum(p * (1 - p), 0) / ne + z * z / (4 * ne * ne))
    two = g["n"] >= 2
    g["satisfaction_ci_low"] = np.where(two, np.maximum(centre - half, 0.0), np.nan)
    g["satisfaction_ci_high"] = np.where(two, np.minimum(centre + half, 1.0), np.nan)
    g["weight_sum"] = g["W"]
    return g[STATS]


def cronbach(x: np.ndarray):
    """alpha of the columns of x (complete cases), computed from item and total variances."""
    n, k = x.shape
    if k < 2 or n < 2:
        return None
    total = x.sum(axis=1)
    vt = total.var(ddof=1)
    if vt <= 0:
        return None
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / vt)


def compute(df: pd.DataFrame, definition: dict, confidence: float = 0.95):
    items = definition["items"]
    scores = {}
    out_items = []
    counts = {"valid": 0, "missing": 0, "bad": 0}
    bad = []
    for item in items:
        col = df[item["column"]]
        # Judged once per distinct answer; a categorical maps its categories, not its rows.
        codes = col.astype("category")
        table = {v: judge(item["scale"], v) for v in codes.cat.categories}
        status = codes.map({v: t[0] for v, t in table.items()}).astype(str)
        y = codes.map({v: t[1] for v, t in table.items()}).astype(float)
        s = codes.map({v: t[2] for v, t in table.items()}).astype(float)
        scores[item["id"]] = (y, s)
        counts["valid"] += int((status == "valid").sum())
        counts["missing"] += int((status == "missing").sum())
        is_bad = ~status.isin(["valid", "missing"])
        counts["bad"] += int(is_bad.sum())
        for r in np.flatnonzero(is_bad.to_numpy()):
            bad.append(
                {
                    "unit": df["_unit"].iat[r],
                    "year": df["_year"].iat[r],
                    "row": int(df["_row"].iat[r]),
                    "item": item["id"],
                    "answer": col.iat[r],
                    "reason": status.iat[r],
                }
            )
        frame = df[["_unit", "_year", "_stratum", "_w"]].assign(y=y, s=s)[y.notna()]
        est = group_estimates(frame, confidence)
        est["name"] = item["id"]
        out_items.append(est)
    out_dims = []
    for dim in definition["dimensions"]:
        ids = [i["id"] for i in items if i["dimension"] == dim]
        ys = np.column_stack([scores[i][0].to_numpy() for i in ids])
        ss = np.column_stack([scores[i][1].to_numpy() for i in ids])
        answered = (~np.isnan(ys)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            dy = np.where(answered >= 1, np.nansum(ys, axis=1) / np.maximum(answered, 1), np.nan)
            ds = np.where(answered >= 1, np.nansum(ss, axis=1) / np.maximum(answered, 1), np.nan)
        frame = df[["_unit", "_year", "_stratum", "_w"]].assign(y=dy, s=ds)[~np.isnan(dy)]
        est = group_estimates(frame, confidence)
        est["name"] = dim
        out_dims.append(est)
    reliability = []
    for year in sorted(df["_year"].unique()):
        in_year = (df["_year"] == year).to_numpy()
        for dim in definition["dimensions"]:
            ids = [i["id"] for i in items if i["dimension"] == dim]
            x = np.column_stack([scores[i][0].to_numpy()[in_year] for i in ids])
            x = x[~np.isnan(x).any(axis=1)]
            n, k = x.shape
            reliability.append({"year": year, "name": dim, "item": "", "n": n, "alpha": cronbach(x)})
            if k >= 2 and n >= 2:
                total = x.sum(axis=1)
                for j, item_id in enumerate(ids):
                    rest = np.delete(x, j, axis=1)
                    r = np.corrcoef(x[:, j], total - x[:, j])[0, 1] if x[:, j].std() > 0 else None
                    reliability.append(
                        {
                            "year": year,
                            "name": dim,
                            "item": item_id,
                            "n": n,
                            "alpha_if_deleted": cronbach(rest) if k >= 3 else None,
                            "item_total_r": r,
                        }
                    )
    return pd.concat(out_items), pd.concat(out_dims), reliability, counts, bad


def fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    return "" if math.isnan(v) else repr(v)


def write_reference(path: Path, items, dims, reliability, counts, bad, excluded_rows) -> None:
    lines = ["table,unit,year,name,item,statistic,value"]
    for table, frame in (("items", items), ("dimensions", dims)):
        for (unit, year), row in frame.iterrows():
            for stat in STATS:
                v = int(row[stat]) if stat == "n" else row[stat]
                lines.append(f"{table},{unit},{year},{row['name']},,{stat},{fmt(v)}")
    for r in reliability:
        for stat in ("n", "alpha", "alpha_if_deleted", "item_total_r"):
            if stat in r:
                lines.append(f"reliability,,{r['year']},{r['name']},{r['item']},{stat},{fmt(r[stat])}")
    summary = {
        "answers": counts["valid"],
        "missing_answers": counts["missing"],
        "bad_answers": counts["bad"],
        "excluded_rows": excluded_rows,
    }
    for stat, v in summary.items():
        lines.append(f"summary,,,,,{stat},{v}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_bad(path: Path, bad: list) -> None:
    bad = sorted(bad, key=lambda b: b["row"])  # stable: row problems, then items in order
    lines = ["unit,year,row,item,answer,reason"]
    for b in bad:
        year = "" if b["year"] is None else str(b["year"])
        lines.append(f"{b['unit'] or ''},{year},{b['row']},{b['item']},{b['answer']},{b['reason']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------- speed mode


def synthetic(rows: int, items: int, groups: int, seed: int) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    labels = np.array(["很不满意", "不满意", "一般", "满意", "很满意", "不清楚"], dtype=object)
    group = rng.integers(0, groups, rows)
    data = {
        "_unit": pd.Series(group // 2).map(lambda g: f"unit{g:04d}").to_numpy(),
        "_year": 2024 + group % 2,
        "_stratum": rng.integers(0, 8, rows).astype(str),
        "_w": rng.uniform(0.5, 3.0, rows),
    }
    latent = rng.normal(0, 1, rows)
    for j in range(items):
        level = np.clip(np.round(2 + 0.8 * latent + rng.normal(0, 0.8, rows)), 0, 4).astype(int)
        level[rng.random(rows) < 0.03] = 5
        data[f"q{j:02d}"] = labels[level]
    scale = {
        "kind": "labels",
        "lookup": {label: {"label": label, "score": s} for label, s in DEFAULT_LEVELS},
        "top": {"很满意", "满意"},
        "missing": ["不清楚"],
    }
    definition = {
        "items": [
            {"id": f"q{j:02d}", "column": f"q{j:02d}", "dimension": f"d{j // 5}", "scale": scale} for j in range(items)
        ],
        "dimensions": [f"d{d}" for d in range((items + 4) // 5)],
    }
    df = pd.DataFrame(data)
    df["_unit"] = df["_unit"].astype("category")
    df["_stratum"] = df["_stratum"].astype("category")
    df["_row"] = np.arange(rows) + 2
    return df, definition


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--definition", type=Path)
    parser.add_argument("--responses", type=Path)
    parser.add_argument("--unit-column", default="unit")
    parser.add_argument("--year-column", default="year")
    parser.add_argument("--weight-column")
    parser.add_argument("--strata-column")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--bad-out", type=Path)
    parser.add_argument("--synthetic", help="ROWS,ITEMS,GROUPS,SEED")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    if args.synthetic:
        rows, items, groups, seed = (int(x) for x in args.synthetic.split(","))
        df, definition = synthetic(rows, items, groups, seed)
        print(f"synthetic: {rows} respondents x {items} items, {groups} unit-years")
    else:
        definition = load_definition(args.definition)
        df, excluded = read_responses(
            args.responses, args.unit_column, args.year_column, args.weight_column, args.strata_column
        )

    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = compute(df, definition)
        times.append(time.perf_counter() - start)
    print(f"survey_seconds: {statistics.median(times):.4f}")

    if not args.synthetic:
        items, dims, reliability, counts, bad = result
        excluded_rows = len({b["row"] for b in excluded})
        if args.out:
            write_reference(args.out, items, dims, reliability, counts, bad, excluded_rows)
            print(f"wrote {args.out}")
        if args.bad_out:
            write_bad(args.bad_out, excluded + bad)
            print(f"wrote {args.bad_out}")
        for r in reliability:
            if r["item"] == "":
                print(f"alpha {r['year']} {r['name']}: n = {r['n']}, alpha = {fmt(r['alpha'])}")
        print(f"answers {counts}, excluded rows {excluded_rows}")


if __name__ == "__main__":
    main()
