#!/usr/bin/env python3
"""Data envelopment analysis with scipy.optimize.linprog (HiGHS): the independent peer of
`citycheck efficiency` and `citycheck malmquist` (dev-only).

DEV-ONLY: not part of the library, the package or the test run. Written from the formulas of
METHODS.md §12 and the doc comments of src/efficiency (no code of citycheck or of any DEA
package): one LP per unit, looped in Python. R's Benchmarking and deaR, the issue's anchors,
are not installed on this machine (no R); this peer is the comparison. It needs numpy and scipy
(a venv: `python3 -m venv .venv-peer && .venv-peer/bin/pip install numpy scipy`) and, for
`--check`, the citycheck command line (`cargo build --release`).

    .venv-peer/bin/python scripts/peers/dea_scipy.py --selftest        # published values
    .venv-peer/bin/python scripts/peers/dea_scipy.py --check random    # vs citycheck, random data
    .venv-peer/bin/python scripts/peers/dea_scipy.py --check embedded  # vs citycheck, Liaoning

--selftest   the peer alone against the values the Rust tests use: Cooper, Seiford & Tone's
             Example 3.2 (CCR), Tone (2001)'s SBM example (printed 0.798, 0.568, 1, 0.667, 1),
             Tone (2003)'s undesirable-output example (worked by hand: 2/3, 1, 1, 1, 1, 10/11,
             12/17, 4/5, 3/5), Coelli's DEAP 2.1 example 4 (effch, techch, pech, sech) and the
             super-SBM with an undesirable output of tests/it/efficiency.rs (4/3, 4/3, 2).
--check random    seeded random data (default 40 units × 3 inputs × 3 outputs, two years):
             every model and orientation of `citycheck efficiency` (scores, the second phase's
             slack sums, super-efficiency with its infeasible LPs, SBM super-efficiency with the
             last output undesirable) and `citycheck malmquist`
             (M, EC, TC, PEC, SEC, input and output distances) agree to --tol (1e-6).
--check embedded  the embedded Liaoning example (14 cities, 2008–2012; inputs population and
             hospital beds, outputs GDP, retail sales and industrial SO2): CCR and BCC on the
             good outputs, SBM under variable returns with SO2 undesirable (also with
             super-efficiency, both returns, every orientation), and the Malmquist
             index over the window, against citycheck to --tol.

Exit status 1 when a value disagrees beyond the tolerance (each disagreement printed).

Last run (2026-12-03 15:30 UTC, after the per-variable scaling and column generation of
citycheck's LPs): selftest 0; embedded 0; random 40 × 3 × 3: 1; --shape 300,4,4: 6;
--shape 400,3,2 --seed 7: 24 — every one a second-phase slack sum on a degenerate unit (the scores
all agree): there the largest sum of slacks at θ* moves by 10⁻⁵ of itself when the right-hand side
moves by 10⁻⁹ (BCC output u18 of the 40-unit data: linprog gives 28.2314 at citycheck's φ* and
28.2305 at its own), and an interior point and a simplex stop a hair apart.
"""

from __future__ import annotations

import argparse
import csv
import math
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

ROOT = Path(__file__).resolve().parents[2]
EMBEDDED = ROOT / "datasets" / "cn_city_ccsy_2004_2012" / "liaoning_example_2008_2012_long.csv"

Matrix = np.ndarray


def _lp(c: Sequence[float], a_ub=None, b_ub=None, a_eq=None, b_eq=None):  # type: ignore[no-untyped-def]
    """min c·z, z ≥ 0; None when infeasible or unbounded."""
    r = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    return r if r.status == 0 else None


def radial(
    x: Matrix,
    y: Matrix,
    xo: Matrix,
    yo: Matrix,
    vrs: bool,
    orientation: str,
    refs: Sequence[int] | None = None,
    slacks: bool = False,
) -> tuple[float | None, float | None]:
    """CCR/BCC envelopment form of the point (xo, yo) against the units `refs` of (x, y):
    the score (θ, or 1/φ output-oriented) and, with `slacks`, the largest Σs⁻ + Σs⁺ at it."""
    refs = list(range(x.shape[0])) if refs is None else list(refs)
    xr, yr = x[refs], y[refs]
    k, m, s = len(refs), x.shape[1], y.shape[1]
    inp = orientation == "input"
    # Variables [θ or φ, λ_1..λ_k].
    c = np.zeros(1 + k)
    c[0] = 1.0 if inp else -1.0
    a_ub = np.zeros((m + s, 1 + k))
    b_ub = np.zeros(m + s)
    a_ub[:m, 1:] = xr.T
    a_ub[m:, 1:] = -yr.T
    if inp:
        a_ub[:m, 0] = -xo  # Σλx − θx_o ≤ 0
        b_ub[m:] = -yo  # −Σλy ≤ −y_o
    else:
        b_ub[:m] = xo  # Σλx ≤ x_o
        a_ub[m:, 0] = yo  # φy_o − Σλy ≤ 0
    a_eq = b_eq = None
    if vrs:
        a_eq = np.concatenate([[0.0], np.ones(k)])[None, :]
        b_eq = np.array([1.0])
    r = _lp(c, a_ub, b_ub, a_eq, b_eq)
    if r is None or r.x[0] <= 0:
        return None, None
    factor = float(r.x[0])
    score = factor if inp else 1.0 / factor
    if not slacks:
        return score, None
    # Phase two: max Σs at θ* (φ*): variables [λ, s⁻, s⁺].
    c2 = np.concatenate([np.zeros(k), -np.ones(m + s)])
    a_eq2 = np.zeros((m + s, k + m + s))
    a_eq2[:m, :k] = xr.T
    a_eq2[:m, k : k + m] = np.eye(m)
    a_eq2[m:, :k] = yr.T
    a_eq2[m:, k + m :] = -np.eye(s)
    b_eq2 = np.concatenate([factor * xo if inp else xo, yo if inp else factor * yo])
    if vrs:
        a_eq2 = np.vstack([a_eq2, np.concatenate([np.ones(k), np.zeros(m + s)])])
        b_eq2 = np.concatenate([b_eq2, [1.0]])
    r2 = _lp(c2, a_eq=a_eq2, b_eq=b_eq2)
    return score, (None if r2 is None else float(-r2.fun))


def sbm(x: Matrix, y: Matrix, o: int, bad: Sequence[bool], vrs: bool, orientation: str) -> float | None:
    """Tone's SBM of unit o, by the Charnes–Cooper transformation; `bad` flags undesirable
    outputs (Tone 2003: y^b = Y^bλ + s^b). Variables [t, Λ (n), S⁻ (m), S⁺ (s)]."""
    n, m = x.shape
    s = y.shape[1]
    xo, yo = x[o], y[o]
    size = 1 + n + m + s
    c = np.zeros(size)
    c[0] = 1.0
    if orientation != "output":
        c[1 + n : 1 + n + m] = -1.0 / (m * xo)
    rows, rhs = [], []
    norm = np.zeros(size)
    norm[0] = 1.0
    if orientation != "input":
        norm[1 + n + m :] = 1.0 / (s * yo)
    rows.append(norm)
    rhs.append(1.0)
    for i in range(m):
        row = np.zeros(size)
        row[0] = -xo[i]
        row[1 : 1 + n] = x[:, i]
        row[1 + n + i] = 1.0
        rows.append(row)
        rhs.append(0.0)
    for r in range(s):
        row = np.zeros(size)
        row[0] = -yo[r]
        row[1 : 1 + n] = y[:, r]
        row[1 + n + m + r] = 1.0 if bad[r] else -1.0
        rows.append(row)
        rhs.append(0.0)
    if vrs:
        row = np.zeros(size)
        row[0] = -1.0
        row[1 : 1 + n] = 1.0
        rows.append(row)
        rhs.append(0.0)
    res = _lp(c, a_eq=np.array(rows), b_eq=np.array(rhs))
    return None if res is None else float(res.fun)


def super_sbm(x: Matrix, y: Matrix, o: int, vrs: bool, orientation: str, bad: Sequence[bool] = ()) -> float | None:
    """Tone (2002)'s SBM super-efficiency of unit o against the others, written from the paper's
    fractional programme, with undesirable outputs as Li, Fang, Yang, Wang & Hong (2013) add
    them: a bad output's point b̄ ≥ Σλb and b̄ ≥ b_o, its term in the denominator (2 − b̄/b_o).
    Input orientation directly (ȳ = y_o, b̄ = b_o): min (1/m) Σ x̄/x_o over variables
    [λ (n−1), x̄ (m)]; output orientation directly (x̄ = x_o): max (1/s) (Σ ȳ/y_o + Σ (2 − b̄/b_o))
    over [λ, z (s): ȳ or b̄], δ its inverse; non-oriented by t = 1 / that denominator over
    [t, Λ, X, Z]."""
    others = [j for j in range(x.shape[0]) if j != o]
    xr, yr = x[others], y[others]
    k, m, s = len(others), x.shape[1], y.shape[1]
    xo, yo = x[o], y[o]
    sign = np.array([-1.0 if b else 1.0 for b in (list(bad) or [False] * s)])  # +1 good, −1 bad
    nbad = int((sign < 0).sum())
    if orientation == "input":
        c = np.concatenate([np.zeros(k), 1.0 / (m * xo)])
        a_ub = np.vstack(
            [
                np.hstack([xr.T, -np.eye(m)]),  # Σλx − x̄ ≤ 0
                np.hstack([-(sign[:, None] * yr.T), np.zeros((s, m))]),  # good −Σλy ≤ −y_o; bad Σλb ≤ b_o
                np.hstack([np.zeros((m, k)), -np.eye(m)]),  # −x̄ ≤ −x_o
            ]
        )
        b_ub = np.concatenate([np.zeros(m), -sign * yo, -xo])
        a_eq = np.concatenate([np.ones(k), np.zeros(m)])[None, :] if vrs else None
        r = _lp(c, a_ub, b_ub, a_eq, np.array([1.0]) if vrs else None)
        return None if r is None else float(r.fun)
    if orientation == "output":
        c = np.concatenate([np.zeros(k), -sign / (s * yo)])
        a_ub = np.vstack(
            [
                np.hstack([xr.T, np.zeros((m, s))]),  # Σλx ≤ x_o
                np.hstack([-(sign[:, None] * yr.T), np.diag(sign)]),  # good ȳ − Σλy ≤ 0; bad Σλb − b̄ ≤ 0
                np.hstack([np.zeros((s, k)), np.diag(sign)]),  # good ȳ ≤ y_o; bad −b̄ ≤ −b_o
            ]
        )
        b_ub = np.concatenate([xo, np.zeros(s), sign * yo])
        a_eq = np.concatenate([np.ones(k), np.zeros(s)])[None, :] if vrs else None
        r = _lp(c, a_ub, b_ub, a_eq, np.array([1.0]) if vrs else None)
        if r is None:
            return None
        denominator = -r.fun + 2.0 * nbad / s
        return None if denominator <= 0 else float(1.0 / denominator)
    size = 1 + k + m + s
    c = np.zeros(size)
    c[1 + k : 1 + k + m] = 1.0 / (m * xo)
    rows_ub, rows_eq = [], []
    for i in range(m):
        row = np.zeros(size)
        row[1 : 1 + k] = xr[:, i]
        row[1 + k + i] = -1.0  # ΣΛx − X ≤ 0
        rows_ub.append(row)
        row = np.zeros(size)
        row[0] = xo[i]
        row[1 + k + i] = -1.0  # t x_o − X ≤ 0
        rows_ub.append(row)
    for r_ in range(s):
        row = np.zeros(size)
        row[1 : 1 + k] = -sign[r_] * yr[:, r_]
        row[1 + k + m + r_] = sign[r_]  # good Y − ΣΛy ≤ 0; bad ΣΛb − B ≤ 0
        rows_ub.append(row)
        row = np.zeros(size)
        row[0] = -sign[r_] * yo[r_]
        row[1 + k + m + r_] = sign[r_]  # good Y − t y_o ≤ 0; bad t b_o − B ≤ 0
        rows_ub.append(row)
    norm = np.zeros(size)
    norm[1 + k + m :] = sign / (s * yo)
    norm[0] = 2.0 * nbad / s  # (1/s) Σ_bad (2t − B/b_o)
    rows_eq.append(norm)
    rhs_eq = [1.0]
    if vrs:
        row = np.zeros(size)
        row[0] = -1.0
        row[1 : 1 + k] = 1.0
        rows_eq.append(row)
        rhs_eq.append(0.0)
    r = _lp(c, np.array(rows_ub), np.zeros(len(rows_ub)), np.array(rows_eq), np.array(rhs_eq))
    return None if r is None else float(r.fun)


def scores(
    x: Matrix, y: Matrix, model: str, orientation: str, super_efficiency: bool = False, bad: Sequence[bool] = ()
) -> list[tuple[float | None, float | None]]:
    """(score, slack sum) of every unit, as `citycheck efficiency --model M --orientation O`;
    SBM super-efficiency re-scores only the units without any slack (non-oriented SBM 1 within
    1e-6), as citycheck's `efficient`."""
    n = x.shape[0]
    if model in ("sbm", "sbm_vrs"):
        flags = list(bad) or [False] * y.shape[1]
        vrs = model == "sbm_vrs"
        out_sbm: list[tuple[float | None, float | None]] = []
        for o in range(n):
            rho = sbm(x, y, o, flags, vrs, orientation)
            # Efficient: no slack at all, i.e. the non-oriented SBM score is 1.
            efficient = (sbm(x, y, o, flags, vrs, "non_oriented") or 0.0) >= 1.0 - 1e-6
            if super_efficiency and rho is not None and efficient:
                rho = super_sbm(x, y, o, vrs, orientation, flags)
            out_sbm.append((rho, None))
        return out_sbm
    vrs = model == "bcc"
    out = []
    for o in range(n):
        refs = [j for j in range(n) if j != o] if super_efficiency else None
        out.append(radial(x, y, x[o], y[o], vrs, orientation, refs, slacks=not super_efficiency))
    return out


def malmquist(
    a: tuple[Matrix, Matrix],
    b: tuple[Matrix, Matrix],
    model: str,
    orientation: str,
    pairs: list[tuple[int, int]] | None = None,
) -> list[dict[str, float | None]]:
    """M, EC, TC (and PEC, SEC with CCR) of every unit in both years: `pairs` of row indices
    (a's row, b's row), by default the rows in the same order in both years. Each year's
    frontier is all of that year's rows, also the units of one year only (R Benchmarking's
    `malmquist` default, SAMEREF = FALSE)."""
    vrs = model == "bcc"
    out = []
    for k, l in pairs if pairs is not None else [(k, k) for k in range(a[0].shape[0])]:
        pa, pb = (a[0][k], a[1][k]), (b[0][l], b[1][l])
        ff = radial(*a, *pa, vrs, orientation)[0]
        ft = radial(*a, *pb, vrs, orientation)[0]
        tf = radial(*b, *pa, vrs, orientation)[0]
        tt = radial(*b, *pb, vrs, orientation)[0]
        row: dict[str, float | None] = dict.fromkeys(
            ["malmquist", "efficiency_change", "technical_change", "pure_efficiency_change", "scale_efficiency_change"]
        )
        if None not in (ff, ft, tf, tt):
            m = math.sqrt((ft / ff) * (tt / tf))  # type: ignore[operator]
            ec = tt / ff  # type: ignore[operator]
            row.update(malmquist=m, efficiency_change=ec, technical_change=m / ec)
            if not vrs:
                vff = radial(*a, *pa, True, orientation)[0]
                vtt = radial(*b, *pb, True, orientation)[0]
                if vff is not None and vtt is not None:
                    row.update(pure_efficiency_change=vtt / vff, scale_efficiency_change=ec * vff / vtt)
        out.append(row)
    return out


# --- the self-test: published and hand-worked values ------------------------------------------


def _near(got: float | None, want: float, tol: float, what: str, failures: list[str]) -> None:
    if got is None or abs(got - want) > tol:
        failures.append(f"{what}: expected {want}, got {got}")


def selftest(tol: float) -> list[str]:
    failures: list[str] = []
    # Super-SBM with an undesirable output, worked by hand in tests/it/efficiency.rs: A (1; 4, 2)
    # against B (1; 2, 1) and C (1; 2, 2): δ_A = 4/3 non-oriented and output-oriented, 2 input-
    # oriented (constant returns); 2 non-oriented without the bad output.
    ux, uy = np.ones((3, 1)), np.array([[4.0, 2.0], [2.0, 1.0], [2.0, 2.0]])
    for o_, want in [("non_oriented", 4 / 3), ("output", 4 / 3), ("input", 2.0)]:
        _near(super_sbm(ux, uy, 0, False, o_, [False, True]), want, tol, f"super-SBM bad {o_}", failures)
    _near(super_sbm(ux, uy[:, :1], 0, False, "non_oriented"), 2.0, tol, "super-SBM without bad", failures)
    stores_x = np.array([[4, 3], [7, 3], [8, 1], [4, 2], [2, 4], [10, 1]], dtype=float)
    for k, want in enumerate([6 / 7, 12 / 19, 1, 1, 1, 1]):
        _near(scores(stores_x, np.ones((6, 1)), "ccr", "input")[k][0], want, tol, f"CST 3.2 CCR {k}", failures)
    tx = np.array([[4, 3], [6, 3], [8, 1], [8, 1], [2, 4]], dtype=float)
    ty = np.array([[2, 3], [2, 3], [6, 2], [6, 1], [1, 4]], dtype=float)
    for k, want in enumerate([0.798, 0.568, 1, 0.667, 1]):
        _near(scores(tx, ty, "sbm", "non_oriented")[k][0], want, 5e-4 + tol, f"Tone 2001 SBM {k}", failures)
    gy = np.array([[1, 1], [2, 1], [6, 2], [8, 4], [9, 7], [5, 2], [4, 3], [6, 4], [4, 6]], dtype=float)
    got = scores(np.ones((9, 1)), gy, "sbm_vrs", "non_oriented", bad=[False, True])
    for k, want in enumerate([2 / 3, 1, 1, 1, 1, 10 / 11, 12 / 17, 4 / 5, 3 / 5]):
        _near(got[k][0], want, tol, f"Tone 2003 SBM-VRS {k}", failures)
    # SBM super-efficiency on CST 3.2, worked by hand in tests/it/efficiency.rs (C, D, E; F keeps 0.9).
    for orientation, wanted in (("input", [1.125, 1.25, 1.5, 0.9]), ("output", [8 / 7, 1.25, 2.0])):
        got = scores(stores_x, np.ones((6, 1)), "sbm", orientation, super_efficiency=True)
        for k, want in zip((2, 3, 4, 5), wanted):
            _near(got[k][0], want, tol, f"CST 3.2 super-SBM {orientation} {k}", failures)
    y1 = (np.array([[2], [4], [3], [5], [6]], dtype=float), np.array([[1], [2], [3], [4], [5]], dtype=float))
    y2 = (np.array([[2], [4], [3], [5], [5]], dtype=float), np.array([[1], [3], [4], [3], [5]], dtype=float))
    printed = [
        [0.750, 1.333, 1.000, 0.750, 1.000],
        [1.125, 1.333, 1.222, 0.920, 1.500],
        [1.000, 1.333, 1.000, 1.000, 1.333],
        [0.562, 1.333, 0.650, 0.865, 0.750],
        [0.900, 1.333, 1.000, 0.900, 1.200],
    ]
    keys = ["efficiency_change", "technical_change", "pure_efficiency_change", "scale_efficiency_change", "malmquist"]
    for k, row in enumerate(malmquist(y1, y2, "ccr", "output")):
        for c, key in enumerate(keys):
            _near(row[key], printed[k][c], 5e-4 + tol, f"DEAP eg4 firm {k + 1} {key}", failures)
    return failures


# --- comparison with citycheck ----------------------------------------------------------------


def _cli(cli: Path, args: list[str]) -> None:
    done = subprocess.run([str(cli), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"citycheck {' '.join(args)} failed:\n{done.stderr}")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _value(text: str) -> float | None:
    return float(text) if text not in ("", "null") else None


def _write_table(
    path: Path, years: dict[int, tuple[list[str], Matrix, Matrix]], ins: list[str], outs: list[str]
) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "year", *ins, *outs])
        for year, (units, x, y) in years.items():
            for k, unit in enumerate(units):
                w.writerow([unit, year, *(repr(float(v)) for v in x[k]), *(repr(float(v)) for v in y[k])])


def compare(
    cli: Path,
    years: dict[int, tuple[list[str], Matrix, Matrix]],
    ins: list[str],
    outs: list[str],
    cases: list[tuple[str, str, bool, list[str]]],
    tol: float,
    work: Path,
    with_malmquist: bool = True,
) -> list[str]:
    """Runs every (model, orientation, super, undesirable) case through `citycheck efficiency`
    and the peer, then (`with_malmquist`) `citycheck malmquist` (ccr and bcc, input and output)
    over the years."""
    failures: list[str] = []
    work.mkdir(parents=True, exist_ok=True)
    table = work / "data.csv"
    _write_table(table, years, ins, outs)
    base = ["--data", str(table), "--inputs", ",".join(ins), "--outputs", ",".join(outs)]
    for model, orientation, sup, undesirable in cases:
        out = work / f"{model}-{orientation}-{sup}-{len(undesirable)}"
        args = ["efficiency", *base, "--model", model, "--orientation", orientation, "--out", str(out)]
        args += ["--super"] if sup else []
        args += ["--undesirable", ",".join(undesirable)] if undesirable else []
        _cli(cli, args)
        rows = _read(out / "efficiency.csv")
        bad = [o in undesirable for o in outs]
        at = 0
        for year, (units, x, y) in years.items():
            peer = scores(x, y, model, orientation, sup, bad)
            for k, unit in enumerate(units):
                row = rows[at]
                at += 1
                what = f"{model} {orientation} super={sup} undesirable={','.join(undesirable) or '-'} {year} {unit}"
                assert row["unit"] == unit and int(row["year"]) == year, (row, unit, year)
                got, want = _value(row["score"]), peer[k][0]
                if (got is None) != (want is None) or (got is not None and abs(got - want) > tol):  # type: ignore[operator]
                    failures.append(f"{what}: score citycheck {got}, peer {want}")
                if peer[k][1] is not None and got is not None:
                    sums = sum(_value(row[f"slack_{v}"]) or 0.0 for v in [*ins, *outs])
                    # citycheck counts a slack at or below 1e-6 × max(|value|, 1) as 0: the sum
                    # may differ by that much per variable.
                    scale = sum(max(abs(float(v)), 1.0) for v in [*x[k], *y[k]])
                    if abs(sums - peer[k][1]) > tol * scale:
                        failures.append(f"{what}: slack sum citycheck {sums}, peer {peer[k][1]}")
    labels = sorted(years)
    if with_malmquist and len(labels) >= 2:
        for model in ("ccr", "bcc"):
            for orientation in ("input", "output"):
                out = work / f"malmquist-{model}-{orientation}"
                _cli(cli, ["malmquist", *base, "--model", model, "--orientation", orientation, "--out", str(out)])
                rows = _read(out / "malmquist.csv")
                pairs = list(zip(labels, labels[1:])) + ([(labels[0], labels[-1])] if len(labels) > 2 else [])
                for y0, y1 in pairs:
                    ua, xa, ya = years[y0]
                    ub, xb, yb = years[y1]
                    common = [u for u in ua if u in ub]
                    pairs = [(ua.index(u), ub.index(u)) for u in common]
                    peer = malmquist((xa, ya), (xb, yb), model, orientation, pairs)
                    got = [r for r in rows if int(r["from_year"]) == y0 and int(r["to_year"]) == y1]
                    # citycheck lists the units in the first year's order; the peer, the common ones.
                    by_unit = {r["unit"]: r for r in got}
                    for unit, p in zip(common, peer):
                        r = by_unit[unit]
                        for key, want in p.items():
                            have = _value(r[key])
                            if (have is None) != (want is None) or (
                                have is not None and abs(have - want) > tol  # type: ignore[operator]
                            ):
                                failures.append(
                                    f"malmquist {model} {orientation} {y0}->{y1} {unit} {key}: "
                                    f"citycheck {have}, peer {want}"
                                )
    return failures


def random_years(seed: int, n: int, m: int, s: int) -> dict[int, tuple[list[str], Matrix, Matrix]]:
    rng = np.random.default_rng(seed)
    units = [f"u{k + 1}" for k in range(n)]
    x1 = rng.integers(5, 50, size=(n, m)).astype(float)
    y1 = rng.integers(5, 50, size=(n, s)).astype(float)
    x2 = x1 * rng.uniform(0.85, 1.1, size=(n, m))
    y2 = y1 * rng.uniform(0.9, 1.25, size=(n, s))
    return {2020: (units, x1, y1), 2021: (units, x2, y2)}


def embedded_years(variables: list[str]) -> dict[int, tuple[list[str], Matrix, Matrix]]:
    cells: dict[tuple[int, str], dict[str, float]] = {}
    with EMBEDDED.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["indicator"] in variables and r["value"] != "":
                cells.setdefault((int(r["year"]), r["city"]), {})[r["indicator"]] = float(r["value"])
    years: dict[int, tuple[list[str], list[list[float]]]] = {}
    for (year, city), values in cells.items():
        if all(v in values for v in variables):
            years.setdefault(year, ([], []))
            years[year][0].append(city)
            years[year][1].append([values[v] for v in variables])
    out = {}
    for year in sorted(years):
        units, rows = years[year]
        a = np.array(rows)
        out[year] = (units, a[:, :2], a[:, 2:])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--check", choices=["random", "embedded"])
    ap.add_argument("--cli", type=Path, default=ROOT / "target" / "release" / "citycheck")
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--shape", default="40,3,3", help="units,inputs,outputs of the random data")
    a = ap.parse_args()
    failures: list[str] = []
    if a.selftest or not a.check:
        failures += selftest(a.tol)
        print(f"selftest: {len(failures)} disagreement(s)")
    if a.check:
        if not a.cli.exists():
            raise SystemExit(f"{a.cli} not found: build it with `cargo build --release`")
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            if a.check == "random":
                n, m, s = (int(v) for v in a.shape.split(","))
                years = random_years(a.seed, n, m, s)
                ins, outs = [f"x{i + 1}" for i in range(m)], [f"y{r + 1}" for r in range(s)]
                cases = [(md, o, False, []) for md in ("ccr", "bcc") for o in ("input", "output")]
                cases += [(md, "input", True, []) for md in ("ccr", "bcc")]
                cases += [(md, o, False, []) for md in ("sbm", "sbm_vrs") for o in ("non_oriented", "input", "output")]
                cases += [("sbm_vrs", "non_oriented", False, [outs[-1]])]
                cases += [(md, o, True, []) for md in ("sbm", "sbm_vrs") for o in ("non_oriented", "input", "output")]
                cases += [(md, o, True, [outs[-1]]) for md in ("sbm", "sbm_vrs") for o in ("non_oriented", "input", "output")]
            else:
                ins, outs = ["population", "hospital_beds"], ["gdp", "retail_sales", "industrial_so2"]
                years = embedded_years([*ins, *outs])
                cases = [("sbm_vrs", "non_oriented", False, ["industrial_so2"]), ("sbm", "input", False, [])]
                cases += [(md, o, True, ["industrial_so2"]) for md in ("sbm", "sbm_vrs") for o in ("non_oriented", "input", "output")]
                # The radial models on the good outputs only (they refuse an undesirable one).
                good = {y: (u, x, yy[:, :2]) for y, (u, x, yy) in years.items()}
                radial_cases = [(md, o, False, []) for md in ("ccr", "bcc") for o in ("input", "output")]
                failures += compare(a.cli, good, ins, outs[:2], radial_cases, a.tol, work / "good")
                # SBM with SO2 undesirable (the Malmquist index, radial, was checked above).
                failures += compare(a.cli, years, ins, outs, cases, a.tol, work / "all", with_malmquist=False)
                print(f"check {a.check}: {len(failures)} disagreement(s) in all")
                for f in failures:
                    print(f)
                return 1 if failures else 0
            failures += compare(a.cli, years, ins, outs, cases, a.tol, work / "random")
            print(f"check {a.check}: {len(failures)} disagreement(s) in all")
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
