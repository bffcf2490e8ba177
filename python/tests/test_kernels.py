"""citycheck.weights and citycheck.mcda on numpy matrices, against published examples."""

from __future__ import annotations

import pytest

import citycheck as cc

np = pytest.importorskip("numpy")

# Xu (2004), "A note on the subjective and objective integrated approach to determine
# attribute weights", EJOR 156(2):530–532: the decision matrix and its entropy weights.
XU_2004 = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
XU_2004_WEIGHTS = [0.4630, 0.3992, 0.1378, 0.0000]
# The paper prints four decimals.
PUBLISHED = 5e-5


def test_entropy_weights_of_xu_2004() -> None:
    w = cc.weights.entropy(np.array(XU_2004))
    np.testing.assert_allclose(w, XU_2004_WEIGHTS, atol=PUBLISHED)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_any_numeric_dtype(dtype: str) -> None:
    w = cc.weights.entropy(np.array(XU_2004).astype(dtype))
    assert w.sum() == pytest.approx(1.0)


def test_equal_weights() -> None:
    np.testing.assert_allclose(cc.weights.equal(np.ones((3, 4))), [0.25] * 4)


def test_entropy_normalized_sums_to_one_and_flips_with_direction() -> None:
    x = np.array(XU_2004)
    higher = cc.weights.entropy_normalized(x)
    assert higher.sum() == pytest.approx(1.0)
    mixed = cc.weights.entropy_normalized(x, types=[1, -1, 1, 1])
    assert mixed.sum() == pytest.approx(1.0)
    assert not np.allclose(higher, mixed)


def test_negative_value_under_raw_entropy_raises_method_error() -> None:
    with pytest.raises(cc.MethodError, match="c2"):
        cc.weights.entropy(np.array([[1.0, -1.0], [2.0, 3.0]]))


def test_constant_columns_warn_and_give_equal_weights() -> None:
    with pytest.warns(cc.CitycheckWarning):
        w = cc.weights.entropy(np.ones((3, 2)))
    np.testing.assert_allclose(w, [0.5, 0.5])


def test_ragged_or_one_dimensional_input_raises_spec_error() -> None:
    with pytest.raises(cc.SpecError):
        cc.weights.entropy(np.array([1.0, 2.0]))


def test_aggregations_by_hand() -> None:
    x = np.array([[1.0, 4.0], [2.0, 2.0]])
    w = [0.5, 0.5]
    np.testing.assert_allclose(cc.mcda.arithmetic(x, w), [2.5, 2.0])
    np.testing.assert_allclose(cc.mcda.geometric(x, w), [2.0, 2.0])
    # Harmonic: 1 / (0.5/1 + 0.5/4) = 1.6.
    np.testing.assert_allclose(cc.mcda.harmonic(x, w), [1.6, 2.0])


def test_missing_cells_renormalise_the_weights() -> None:
    x = np.array([[1.0, np.nan], [np.nan, np.nan]])
    out = cc.mcda.arithmetic(x, [0.5, 0.5])
    assert out[0] == 1.0 and np.isnan(out[1])


def test_geometric_refuses_zero_naming_the_unit() -> None:
    with pytest.raises(cc.MethodError, match="沈阳市"):
        cc.mcda.geometric(np.array([[0.0, 1.0]]), [0.5, 0.5], units=["沈阳市"])


def test_wrong_number_of_weights_raises_spec_error() -> None:
    with pytest.raises(cc.SpecError):
        cc.mcda.arithmetic(np.ones((2, 3)), [0.5, 0.5])


def test_critic_of_diakoulaki_1995() -> None:
    # Diakoulaki, Mavrotas & Papayannakis (1995), Computers & OR 22(7): w = [0.2022, 0.4809, 0.3169].
    X = np.array(
        [[61, 1.08, 4.33], [20.7, 0.26, 4.34], [16.3, 1.98, 2.53], [9.0, 3.29, 1.65],
         [5.4, 2.77, 2.33], [4.0, 4.12, 1.21], [-6.1, 3.52, 2.10], [-34.6, 3.31, 0.98]]
    )
    np.testing.assert_allclose(cc.weights.critic(X), [0.20222554, 0.48090173, 0.31687273], atol=5e-9)


def test_cv_of_shuai_2012_on_xu() -> None:
    # Shuai et al. (2012), CCDC pp. 3889–3892, on Xu's matrix: w = [0.4258, 0.3610, 0.2121, 0.0011].
    X = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
    np.testing.assert_allclose(cc.weights.cv(X), [0.4258, 0.3610, 0.2121, 0.0011], atol=5e-5)


def test_combined_linear_is_the_mix_of_its_parts() -> None:
    X = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]])
    mixed = cc.weights.combined(X, ["entropy", "cv"], "linear", alpha=0.25)
    np.testing.assert_allclose(mixed, 0.25 * cc.weights.entropy(X) + 0.75 * cc.weights.cv(X), atol=1e-12)
    for rule in ("multiplicative", "game_theory"):
        w = cc.weights.combined(X, ["entropy", "cv"], rule)
        assert abs(w.sum() - 1) < 1e-12 and (w >= 0).all()


def test_objective_methods_refuse_missing_cells() -> None:
    X = np.array([[1.0, 2.0], [np.nan, 3.0], [2.0, 5.0]])
    with pytest.raises(cc.MethodError, match="impute"):
        cc.weights.critic(X)


def test_topsis_of_tzeng_huang_2011_and_both_normalisations() -> None:
    # Tzeng & Huang (2011), CRC Press: classic vector TOPSIS, C = [0.5037, 0.6581, 0.7482, 0.3340].
    X = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    c = cc.mcda.topsis(X, [0.3, 0.4, 0.3])
    np.testing.assert_allclose(c, [0.50371966, 0.65808477, 0.74824866, 0.33399744], atol=5e-9)
    assert not np.allclose(cc.mcda.topsis(X, [0.3, 0.4, 0.3], normalize="min_max"), c)


def test_vikor_ranks_by_q_and_grey_relational_is_in_unit_interval() -> None:
    X = [[10, 7], [12, 9], [8, 5]]
    result = cc.mcda.vikor(X, [0.5, 0.5], [-1, 1])
    # Hand calculation (tests/it/cli.rs): S = 0.5 for all, Q = [0, 0.5, 0.5], ranks [1, 2, 2].
    np.testing.assert_allclose(result.s, [0.5, 0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(result.q, [0.0, 0.5, 0.5], atol=1e-12)
    assert result.ranks.tolist() == [1, 2, 2]
    g = cc.mcda.grey_relational(X, [0.5, 0.5], [-1, 1])
    assert ((g > 0) & (g <= 1)).all()


def test_ahp_reports_inconsistency_of_the_arcgis_example() -> None:
    # ArcGIS Pro "Calculate the consistency ratio": column_mean weights
    # [0.235, 0.089, 0.136, 0.247, 0.294]; CR about 0.33, so not consistent.
    A = [[1, 3, 2, 2, 0.333], [0.333, 1, 0.5, 1, 0.2], [0.5, 2, 1, 1, 0.5], [0.5, 1, 1, 1, 5], [3, 5, 2, 0.2, 1]]
    r = cc.weights.ahp(A, "column_mean")
    np.testing.assert_allclose(r.weights, [0.235, 0.089, 0.136, 0.247, 0.294], atol=5e-4)
    assert r.cr is not None and r.cr > 0.1 and not r.consistent
    with pytest.raises(cc.SpecError):
        cc.weights.ahp([[1, 3], [3, 1]])  # not reciprocal
