"""``explain=True`` (issue 17 item 2): the library's step-by-step tables as polars frames, the
same implementation as ``citycheck weights|rank --explain``; each sums back to the number the
function returns without ``explain``."""

import math

import numpy as np
import polars as pl
import pytest

import citycheck as cc

# alternatives A–E; cost is a cost criterion.
X = pl.DataFrame({"cost": [12, 15, 9, 20, 11], "quality": [7, 9, 5, 8, 6], "speed": [3.5, 2.0, 4.1, 1.5, 2.9]})
W = [0.5, 0.3, 0.2]
TYPES = [-1, 1, 1]


def test_entropy_tables_sum_back() -> None:
    tables = cc.weights.entropy(X, explain=True)
    assert list(tables) == ["entropy_p", "entropy_criteria"]
    p = tables["entropy_p"]
    assert p.columns == ["alternative", "cost", "quality", "speed"]
    assert p["alternative"].to_list() == ["row 1", "row 2", "row 3", "row 4", "row 5"]
    criteria = tables["entropy_criteria"]
    for j, name in enumerate(["cost", "quality", "speed"]):
        column = p[name].to_numpy()
        assert column.sum() == pytest.approx(1.0, abs=1e-12)
        # e = −(1/ln m) Σ p ln p, d = 1 − e
        e = -float((column * np.log(column)).sum()) / math.log(5)
        assert criteria["e"][j] == pytest.approx(e, abs=1e-12)
        assert criteria["d"][j] == pytest.approx(1 - e, abs=1e-12)
    np.testing.assert_allclose(criteria["weight"].to_numpy(), cc.weights.entropy(X), atol=1e-12)


def test_critic_and_entropy_normalized_weights_match() -> None:
    tables = cc.weights.critic(X, explain=True)
    assert list(tables) == ["critic_normalized", "critic_correlation", "critic_criteria"]
    criteria = tables["critic_criteria"]
    rho = tables["critic_correlation"]
    for j, name in enumerate(["cost", "quality", "speed"]):
        conflict = float((1 - rho[name].to_numpy()).sum())
        assert criteria["conflict"][j] == pytest.approx(conflict, abs=1e-12)
        assert criteria["information"][j] == pytest.approx(criteria["sigma"][j] * conflict, abs=1e-12)
    np.testing.assert_allclose(criteria["weight"].to_numpy(), cc.weights.critic(X), atol=1e-12)
    shifted = cc.weights.entropy_normalized(X, TYPES, shift=0.01, explain=True)
    np.testing.assert_allclose(
        shifted["entropy_criteria"]["weight"].to_numpy(), cc.weights.entropy_normalized(X, TYPES, shift=0.01), atol=1e-12
    )


def test_rank_tables_sum_back() -> None:
    units = ["A", "B", "C", "D", "E"]
    t = cc.mcda.topsis(X, W, TYPES, units=units, explain=True)
    r, v = t["topsis_normalized"], t["topsis_weighted"]
    ideal, distances = t["topsis_ideal"], t["topsis_distances"]
    assert distances["alternative"].to_list() == units
    for j, name in enumerate(["cost", "quality", "speed"]):
        np.testing.assert_allclose(v[name].to_numpy(), W[j] * r[name].to_numpy(), atol=1e-12)
    vv = v.select(["cost", "quality", "speed"]).to_numpy()
    d_plus = np.sqrt(((vv - ideal["ideal"].to_numpy()) ** 2).sum(axis=1))
    d_minus = np.sqrt(((vv - ideal["anti_ideal"].to_numpy()) ** 2).sum(axis=1))
    np.testing.assert_allclose(distances["d_plus"].to_numpy(), d_plus, atol=1e-12)
    np.testing.assert_allclose(distances["closeness"].to_numpy(), d_minus / (d_plus + d_minus), atol=1e-12)
    np.testing.assert_allclose(distances["closeness"].to_numpy(), cc.mcda.topsis(X, W, TYPES), atol=1e-12)

    g = cc.mcda.grey_relational(X, W, TYPES, rho=0.4, normalize="mean_value", explain=True)
    summary = g["grey_summary"]
    assert summary["normalize"].to_list() == ["mean_value"]
    lo, hi, rho = summary["delta_min"][0], summary["delta_max"][0], summary["rho"][0]
    xi = (lo + rho * hi) / (g["grey_delta"].select(["cost", "quality", "speed"]).to_numpy() + rho * hi)
    np.testing.assert_allclose(g["grey_coefficients"].select(["cost", "quality", "speed"]).to_numpy(), xi, atol=1e-12)
    np.testing.assert_allclose(g["grey_coefficients"]["grade"].to_numpy(), xi @ np.array(W), atol=1e-12)
    grades = cc.mcda.grey_relational(X, W, TYPES, rho=0.4, normalize="mean_value")
    np.testing.assert_allclose(g["grey_coefficients"]["grade"].to_numpy(), grades, atol=1e-12)

    terms = cc.mcda.vikor(X, W, TYPES, explain=True)["vikor_terms"]
    d = terms.select(["cost", "quality", "speed"]).to_numpy()
    np.testing.assert_allclose(terms["s"].to_numpy(), d.sum(axis=1), atol=1e-12)
    np.testing.assert_allclose(terms["r"].to_numpy(), d.max(axis=1), atol=1e-12)
    np.testing.assert_allclose(terms["q"].to_numpy(), cc.mcda.vikor(X, W, TYPES).q, atol=1e-12)


def test_explain_needs_a_complete_matrix() -> None:
    with pytest.raises(cc.MethodError, match="complete matrix"):
        cc.weights.entropy([[1.0, 2.0], [float("nan"), 3.0], [2.0, 1.0]], explain=True)
