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


def test_grey_relational_initial_and_mean_value() -> None:
    # Issue 17; the hand calculation is written out in tests/it/conventions_grey.rs:
    # c1 benefit, c2 cost, w = (1/2, 1/2), rho = 1/2; the reference is the best ratio per column.
    X = [[4, 20], [6, 10], [8, 25]]
    g = cc.mcda.grey_relational(X, [0.5, 0.5], ["+", "-"], normalize="initial_value")
    np.testing.assert_allclose(g, [5 / 12, 3 / 4, 7 / 10], atol=1e-12)
    g = cc.mcda.grey_relational(X, [0.5, 0.5], ["+", "-"], normalize="mean_value")
    np.testing.assert_allclose(g, [201 / 497, 38 / 49, 2 / 3], atol=1e-12)
    g = cc.mcda.grey_relational(X, [0.5, 0.5], ["+", "-"])
    np.testing.assert_allclose(g, [8 / 21, 3 / 4, 2 / 3], atol=1e-12)
    with pytest.raises(cc.SpecError, match="normalize"):
        cc.mcda.grey_relational(X, [0.5, 0.5], normalize="vector")
    with pytest.raises(cc.MethodError, match="first unit"):
        cc.mcda.grey_relational([[0, 1], [2, 3]], [0.5, 0.5], normalize="initial_value")


def test_ahp_reports_inconsistency_of_the_arcgis_example() -> None:
    # ArcGIS Pro "Calculate the consistency ratio": column_mean weights
    # [0.235, 0.089, 0.136, 0.247, 0.294]; CR about 0.33, so not consistent.
    A = [[1, 3, 2, 2, 0.333], [0.333, 1, 0.5, 1, 0.2], [0.5, 2, 1, 1, 0.5], [0.5, 1, 1, 1, 5], [3, 5, 2, 0.2, 1]]
    r = cc.weights.ahp(A, "column_mean")
    np.testing.assert_allclose(r.weights, [0.235, 0.089, 0.136, 0.247, 0.294], atol=5e-4)
    assert r.cr is not None and r.cr > 0.1 and not r.consistent
    with pytest.raises(cc.SpecError):
        cc.weights.ahp([[1, 3], [3, 1]])  # not reciprocal


# ---------------------------------------------------------------------------------------
# Weighted sum (WSM) and weighted product (WPM): the reference numbers of
# tests/it/mcda_weighted.rs, from pymcdm 1.4.0 (numpy 2.4.6). The matrix is pymcdm's own
# TestWSM / TestWPM case; its weights sum to 2 and are used as given, by pymcdm as by citycheck.
PYMCDM_X = [[96, 83, 75, 7], [63, 5, 56, 9], [72, 30, 32, 48], [11, 4, 27, 9], [77, 21, 17, 11]]
PYMCDM_W = [8 / 13, 5 / 13, 6 / 13, 7 / 13]
PYMCDM_TYPES = [1, 1, -1, -1]
# WSM(minmax_normalization)(X, w, types)
PYMCDM_WSM_MIN_MAX = [
    1.5384615384615383, 1.0447278933111148, 0.9103863040700282, 0.8941579866727049, 1.5080605572078976,
]
# WSM()(X, w, types): sum normalisation, pymcdm's default
PYMCDM_WSM_SUM = [0.6086313254772999, 0.3125202336929132, 0.3342223301084967, 0.2654375437487737, 0.47918856697251644]
# WPM()(X, w, types)
PYMCDM_WPM = [
    0.06462383568044774, 0.01691743205986328, 0.0192318600094334, 0.0074277706775363155, 0.051725664255518666,
]
# Same formulas, different summation order (and exp-of-log-sum against a product of powers).
PEER = 1e-12

# Six Liaoning cities, 2012 (datasets/cn_city_ccsy_2004_2012): GDP, green coverage of the
# built-up area, tertiary share (higher) and industrial SO2 (lower); w = [0.4, 0.2, 0.2, 0.2].
LIAONING_CITIES = ["沈阳市", "大连市", "鞍山市", "抚顺市", "丹东市", "锦州市"]
LIAONING_2012 = [
    [66025865.0, 42.22, 43.99, 96756.0],
    [70028306.0, 44.68, 41.65, 114589.0],
    [24293160.0, 37.78, 41.65, 122876.0],
    [12363686.0, 41.92, 33.53, 55891.0],
    [2905058.0, 34.58, 44.49, 27300.0],
    [12427098.0, 39.01, 35.10, 47340.0],
]


def test_weighted_sum_and_product_agree_with_pymcdm() -> None:
    X = np.array(PYMCDM_X, dtype=float)
    ours = cc.mcda.weighted_sum(X, PYMCDM_W, PYMCDM_TYPES)
    np.testing.assert_allclose(ours, PYMCDM_WSM_MIN_MAX, rtol=0, atol=PEER)
    ours = cc.mcda.weighted_sum(X, PYMCDM_W, PYMCDM_TYPES, normalize="sum")
    np.testing.assert_allclose(ours, PYMCDM_WSM_SUM, rtol=0, atol=PEER)
    # pymcdm's own test values, 3 decimals.
    np.testing.assert_allclose(ours, [0.609, 0.313, 0.334, 0.265, 0.479], rtol=0, atol=5e-4)
    ours = cc.mcda.weighted_product(X, PYMCDM_W, PYMCDM_TYPES)
    np.testing.assert_allclose(ours, PYMCDM_WPM, rtol=0, atol=PEER)
    np.testing.assert_allclose(ours, [0.065, 0.017, 0.019, 0.007, 0.052], rtol=0, atol=5e-4)
    assert ours.dtype == np.float64 and ours.shape == (5,)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64"])
def test_weighted_sum_and_product_take_any_numeric_dtype(dtype: str) -> None:
    # The matrix holds integers below 2**24, exact in float32: every dtype gives the float64 result.
    X = np.array(PYMCDM_X).astype(dtype)
    w = np.array(PYMCDM_W, dtype="float32" if dtype == "float32" else "float64")
    # float32 weights are not 8/13 exactly: compare with the float32 weights' own float64 result.
    reference = np.array(PYMCDM_X, dtype=float)
    np.testing.assert_allclose(
        cc.mcda.weighted_sum(X, w, PYMCDM_TYPES), cc.mcda.weighted_sum(reference, w.astype(float), PYMCDM_TYPES), atol=0
    )
    np.testing.assert_allclose(
        cc.mcda.weighted_product(X, w, PYMCDM_TYPES),
        cc.mcda.weighted_product(reference, w.astype(float), PYMCDM_TYPES),
        atol=0,
    )
    np.testing.assert_allclose(cc.mcda.weighted_product(X, PYMCDM_W, PYMCDM_TYPES), PYMCDM_WPM, rtol=0, atol=PEER)


def test_a_pandas_dataframe_is_a_matrix_too() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(PYMCDM_X, columns=["a", "b", "c", "d"], index=list("VWXYZ"))
    np.testing.assert_allclose(cc.mcda.weighted_product(df, PYMCDM_W, PYMCDM_TYPES), PYMCDM_WPM, rtol=0, atol=PEER)


@pytest.mark.parametrize("shape", [(4,), (2, 2, 2)])
def test_weighted_sum_and_product_need_a_two_dimensional_matrix(shape: tuple) -> None:
    x = np.ones(shape)
    with pytest.raises(cc.SpecError, match="2-D"):
        cc.mcda.weighted_sum(x, [0.5, 0.5])
    with pytest.raises(cc.SpecError, match="2-D"):
        cc.mcda.weighted_product(x, [0.5, 0.5])


def test_the_two_weighted_sum_normalisations_rank_liaoning_differently() -> None:
    # tests/it/mcda_weighted.rs: min_max puts 沈阳市 first, sum puts 大连市 first (pymcdm agrees).
    w, types = [0.4, 0.2, 0.2, 0.2], [1, 1, 1, -1]
    min_max = cc.mcda.weighted_sum(LIAONING_2012, w, types)
    np.testing.assert_allclose(
        min_max,
        [0.7729698191202448, 0.7655163559981158, 0.3389972226892351, 0.3418834421971192, 0.4, 0.3311808122952629],
        rtol=0,
        atol=PEER,
    )
    total = cc.mcda.weighted_sum(LIAONING_2012, w, types, normalize="sum")
    assert LIAONING_CITIES[int(np.argmax(min_max))] == "沈阳市"
    assert LIAONING_CITIES[int(np.argmax(total))] == "大连市"
    wpm = cc.mcda.weighted_product(LIAONING_2012, w, types)
    np.testing.assert_allclose(
        wpm,
        [0.20896922587723155, 0.2069113591552213, 0.12919134511842745, 0.11285469027746407, 0.07430271954164551,
         0.11629383407419852],
        rtol=0,
        atol=PEER,
    )


def test_types_by_name_and_a_band() -> None:
    X = np.array([[2, 30, 4], [4, 10, 8], [6, 20, 2]])
    by_number = cc.mcda.weighted_sum(X, [0.5, 0.3, 0.2], [1, -1, 1])
    by_name = cc.mcda.weighted_sum(X, [0.5, 0.3, 0.2], ["higher", "lower", "higher"])
    np.testing.assert_allclose(by_name, by_number, atol=0)
    np.testing.assert_allclose(by_number, [1 / 15, 0.75, 0.65], atol=1e-12)  # by hand
    # Band [4, 6] on x = [1, 5, 9]: min-max of −distance = [0, 1, 0].
    band = cc.mcda.weighted_sum([[1.0], [5.0], [9.0]], [1.0], [{"band": [4, 6]}])
    np.testing.assert_allclose(band, [0.0, 1.0, 0.0], atol=1e-12)
    with pytest.raises(cc.MethodError, match="band"):
        cc.mcda.weighted_product([[1.0], [5.0], [9.0]], [1.0], [{"band": [4, 6]}], criteria=["density"])


def test_weighted_product_refuses_a_zero_naming_the_unit_and_criterion() -> None:
    with pytest.raises(cc.MethodError, match=r"大连市.*parks"):
        cc.mcda.weighted_product(
            [[3.0, 1.0], [0.0, 3.0]], [0.5, 0.5], units=["沈阳市", "大连市"], criteria=["parks", "gdp"]
        )
    # A zero weight switches the column off (0^0 = 1): P = gdp / Σ gdp.
    p = cc.mcda.weighted_product([[3.0, 1.0], [0.0, 3.0]], [0.0, 1.0])
    np.testing.assert_allclose(p, [0.25, 0.75], atol=1e-12)


def test_weighted_sum_refuses_missing_cells() -> None:
    with pytest.raises(cc.MethodError, match="impute"):
        cc.mcda.weighted_sum([[1.0, 2.0], [np.nan, 3.0]], [0.5, 0.5], units=["沈阳市", "大连市"])


def test_unknown_weighted_sum_normalisation_raises_spec_error() -> None:
    with pytest.raises(cc.SpecError, match="vector"):
        cc.mcda.weighted_sum(np.ones((2, 2)), [0.5, 0.5], normalize="vector")
