//! Objective, subjective and combined weights (METHODS.md §4) other than entropy (which is in
//! `published`): AHP, CRITIC, CV, std, PCA, maximising deviation and combinations.
//!
//! Authorities: the original papers or their quotations in shared/reference/
//! published_examples.md (Diakoulaki 1995, Shuai 2012, ArcGIS Pro's AHP page); the unit tests
//! of pymcdm 1.4.0 (kotbaton/pymcdm commit 76e7735, test/test_weights.py, numbers copied from
//! shared/vectors/pymcdm_tests.json); Wang & Chin (2011) via shared/vectors/
//! ahp_wang_chin_2011.json; and hand calculations written out in the tests.

use citycheck::kernels::{from_rows, Array2, ArrayView2};
use citycheck::weight::std as std_weights;
use citycheck::weight::{ahp, combine, critic, cv, deviation_max, pca, AhpMethod, AhpResult, Combination, SAATY_RI};
use citycheck::Error;

use crate::prec::{assert_all_close, assert_close, EXACT, HAND, PUBLISHED_4DP, PUBLISHED_8DP, WEIGHT_SUM};

/// ArcGIS's AHP weights and pymcdm's CRITIC test are given to 3 decimals.
const PUBLISHED_3DP: f64 = 5e-4;
/// pymcdm's standard-deviation test is given to 2 decimals.
const PUBLISHED_2DP: f64 = 5e-3;

fn names(n: usize) -> Vec<String> {
    (1..=n).map(|j| format!("c{j}")).collect()
}

fn matrix(rows: &[&[f64]]) -> Array2<f64> {
    from_rows(rows).expect("rows of equal length")
}

type Method = fn(ArrayView2<'_, f64>, &[String], &mut Vec<String>) -> citycheck::Result<Vec<f64>>;

/// Weights by `method` of `rows`, with the warnings; the weights must sum to 1 and be ≥ 0.
fn weights_of(method: Method, rows: &[&[f64]]) -> (Vec<f64>, Vec<String>) {
    let x = matrix(rows);
    let mut warnings = Vec::new();
    let w = method(x.view(), &names(x.ncols()), &mut warnings).expect("weights");
    assert_close(w.iter().sum(), 1.0, WEIGHT_SUM, "weights sum");
    assert!(w.iter().all(|&v| v >= 0.0), "weights are >= 0: {w:?}");
    (w, warnings)
}

/// The method's error, which must be an [`Error::Method`] naming column `column`.
fn method_error(method: Method, rows: &[&[f64]], column: &str) -> String {
    let x = matrix(rows);
    let err = method(x.view(), &names(x.ncols()), &mut Vec::new()).expect_err("must be refused");
    let Error::Method { location, message, .. } = &err else {
        panic!("expected Error::Method, got {err:?}");
    };
    assert_eq!(location.as_ref().and_then(|l| l.column.as_deref()), Some(column), "{err}");
    message.clone()
}

fn spec_message(result: citycheck::Result<AhpResult>) -> String {
    match result {
        Err(Error::Spec(message)) => message,
        other => panic!("expected Error::Spec, got {other:?}"),
    }
}

// ---------------------------------------------------------------- CRITIC

/// Diakoulaki, Mavrotas & Papayannakis (1995), the original CRITIC paper (also
/// scikit-criteria's test CRITIC_Diakoulaki1995).
const DIAKOULAKI: [&[f64]; 8] = [
    &[61.0, 1.08, 4.33],
    &[20.7, 0.26, 4.34],
    &[16.3, 1.98, 2.53],
    &[9.0, 3.29, 1.65],
    &[5.4, 2.77, 2.33],
    &[4.0, 4.12, 1.21],
    &[-6.1, 3.52, 2.10],
    &[-34.6, 3.31, 0.98],
];

#[test]
fn critic_diakoulaki_1995() {
    // Diakoulaki et al. (1995), Computers & OR 22(7):763–770, as quoted in
    // reference/published_examples.md: every column min-max scaled as benefit, σ of the scaled
    // column, Pearson r → w = [0.20222554, 0.48090173, 0.31687273] (8 dp). The ddof of σ
    // cancels (re-derived with ddof 0 and 1: both give these 8 decimals).
    let (w, warnings) = weights_of(critic, &DIAKOULAKI);
    assert_all_close(&w, &[0.20222554, 0.48090173, 0.31687273], PUBLISHED_8DP, "Diakoulaki CRITIC");
    assert!(warnings.is_empty(), "no warning expected, got {warnings:?}");
}

#[test]
fn critic_pymcdm_tus_adali_2019() {
    // pymcdm 1.4.0 TestCRITICWeights (round_decimals 3), citing Tuş & Adalı (2019), Opsearch
    // 56(2):528–538. pymcdm min-max scales every column as benefit (no types given) and uses
    // Pearson r, i.e. exactly `critic`; own re-derivation gives
    // [0.157003, 0.249489, 0.167675, 0.121100, 0.154099, 0.150633].
    let (w, _) = weights_of(
        critic,
        &[
            &[5000.0, 3.0, 3.0, 4.0, 3.0, 2.0],
            &[680.0, 5.0, 3.0, 2.0, 2.0, 1.0],
            &[2000.0, 3.0, 2.0, 3.0, 4.0, 3.0],
            &[600.0, 4.0, 3.0, 1.0, 2.0, 2.0],
            &[800.0, 2.0, 4.0, 3.0, 3.0, 4.0],
        ],
    );
    assert_all_close(&w, &[0.157, 0.249, 0.168, 0.121, 0.154, 0.151], PUBLISHED_3DP, "pymcdm CRITIC");
}

#[test]
fn critic_constant_column_gets_zero_with_a_warning() {
    // Hand: columns [0, 1, 2] and [0, 0, 3] scale to r1 = [0, ½, 1], r2 = [0, 0, 1];
    // σ1 = ½, σ2 = √(1/3); centred r1 = [−½, 0, ½], r2 = [−⅓, −⅓, ⅔]: s12 = ½, s11 = ½,
    // s22 = ⅔, ρ = ½ / √(⅓) = √3/2. Column 3 is constant: weight 0, and its undefined ρ counts
    // as 0 in the others' conflict, which adds the same 1 to both, so
    // C1 : C2 = ½ : √(1/3) and w = [2√3 − 3, 4 − 2√3, 0].
    let (w, warnings) = weights_of(critic, &[&[0.0, 0.0, 5.0], &[1.0, 0.0, 5.0], &[2.0, 3.0, 5.0]]);
    let r3 = 3.0_f64.sqrt();
    assert_all_close(&w, &[2.0 * r3 - 3.0, 4.0 - 2.0 * r3, 0.0], HAND, "CRITIC with a constant column");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("c3") && warnings[0].contains("constant"), "{}", warnings[0]);
}

#[test]
fn critic_all_constant_is_equal_with_a_warning() {
    let (w, warnings) = weights_of(critic, &[&[1.0, 0.1], &[1.0, 0.1], &[1.0, 0.1]]);
    assert_all_close(&w, &[0.5, 0.5], EXACT, "equal fallback");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("equal weights"), "{}", warnings[0]);
}

#[test]
fn critic_refuses_missing_cells_naming_the_column() {
    let message = method_error(critic, &[&[1.0, 2.0], &[2.0, f64::NAN], &[3.0, 1.0]], "c2");
    assert!(message.contains("impute"), "message says what to do: {message}");
}

// ---------------------------------------------------------------- CV and std

#[test]
fn cv_shuai_2012_on_xu() {
    // Shuai et al. (2012), CCDC 2012 pp. 3889–3892, on Xu's (2004) matrix, as quoted in
    // reference/published_examples.md: v = sd / mean on the raw columns, w = v / Σv →
    // [0.4258, 0.3610, 0.2121, 0.0011]. The ddof cancels (ddof 0 and 1 both give
    // [0.42578586, 0.36103119, 0.21210858, 0.00107437]).
    let (w, warnings) = weights_of(
        cv,
        &[&[30.0, 30.0, 38.0, 29.0], &[19.0, 54.0, 86.0, 29.0], &[19.0, 15.0, 85.0, 28.9], &[68.0, 70.0, 60.0, 29.0]],
    );
    assert_all_close(&w, &[0.4258, 0.3610, 0.2121, 0.0011], PUBLISHED_4DP, "Shuai CV weights");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn cv_refuses_a_zero_mean_naming_the_column() {
    let message = method_error(cv, &[&[1.0, -1.0], &[2.0, 1.0], &[3.0, 0.0]], "c2");
    assert!(message.contains("mean is 0"), "{message}");
}

#[test]
fn cv_constant_columns_weigh_zero_even_at_zero_mean() {
    // Hand: column 1 [1, 3]: sd = √2, mean 2, v = √2/2; column 2 is all zeros (constant): v = 0.
    let (w, warnings) = weights_of(cv, &[&[1.0, 0.0], &[3.0, 0.0]]);
    assert_all_close(&w, &[1.0, 0.0], EXACT, "CV with a zero column");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn std_pymcdm_jahan_edwards_2013() {
    // pymcdm 1.4.0 TestSTDWeights (round_decimals 2), citing Jahan & Edwards (2013), Materials
    // & Design 49:1000–1008. pymcdm divides the sample sd of each column of the matrix as given
    // by their sum (no normalisation first) — exactly `std`; its matrix is already min-max
    // scaled (every column spans [0, 1]), so normalising first would give the same. Own
    // re-derivation: [0.345908, 0.312886, 0.341205].
    let (w, _) = weights_of(
        std_weights,
        &[
            &[0.0, 0.0, 0.0],
            &[0.39, 0.3, 0.77],
            &[0.17, 0.36, 0.8],
            &[0.35, 0.29, 0.93],
            &[0.3, 0.4, 0.94],
            &[0.84, 0.71, 1.0],
            &[1.0, 1.0, 0.99],
        ],
    );
    assert_all_close(&w, &[0.35, 0.31, 0.34], PUBLISHED_2DP, "pymcdm std weights");
}

#[test]
fn std_by_hand() {
    // Hand: sds of [0, 1, 2], [0, 2, 4] and [7, 7, 7] are 1, 2, 0 → w = [1/3, 2/3, 0].
    let (w, _) = weights_of(std_weights, &[&[0.0, 0.0, 7.0], &[1.0, 2.0, 7.0], &[2.0, 4.0, 7.0]]);
    assert_all_close(&w, &[1.0 / 3.0, 2.0 / 3.0, 0.0], HAND, "std by hand");
}

// ---------------------------------------------------------------- AHP

/// ArcGIS Pro documentation, "Calculate the consistency ratio" (reciprocals to 3 decimals).
const ARCGIS: [&[f64]; 5] = [
    &[1.0, 3.0, 2.0, 2.0, 0.333],
    &[0.333, 1.0, 0.5, 1.0, 0.2],
    &[0.5, 2.0, 1.0, 1.0, 0.5],
    &[0.5, 1.0, 1.0, 1.0, 5.0],
    &[3.0, 5.0, 2.0, 0.2, 1.0],
];

/// Wang & Chin (2011), Information Sciences 181(23):5240–5248, via pymcdm's TestAHPWeights.
fn wang_chin() -> Array2<f64> {
    matrix(&[
        &[1.0, 4.0, 3.0, 1.0, 3.0, 4.0],
        &[0.25, 1.0, 7.0, 3.0, 0.2, 1.0],
        &[1.0 / 3.0, 1.0 / 7.0, 1.0, 0.2, 0.2, 1.0 / 6.0],
        &[1.0, 1.0 / 3.0, 5.0, 1.0, 1.0, 1.0 / 3.0],
        &[1.0 / 3.0, 5.0, 5.0, 1.0, 1.0, 3.0],
        &[0.25, 1.0, 6.0, 3.0, 1.0 / 3.0, 1.0],
    ])
}

fn ahp_ok(a: ArrayView2<'_, f64>, method: AhpMethod) -> AhpResult {
    let r = ahp(a, method, &SAATY_RI).expect("valid pairwise matrix");
    assert_close(r.weights.iter().sum(), 1.0, WEIGHT_SUM, "AHP weights sum");
    assert!(r.weights.iter().all(|&w| w > 0.0), "AHP weights are > 0: {:?}", r.weights);
    r
}

#[test]
fn ahp_column_mean_arcgis() {
    // ArcGIS Pro, "Calculate the consistency ratio" (Saaty 2000 RI, RI(5) = 1.12), as quoted in
    // reference/published_examples.md: the published weights [0.235, 0.089, 0.136, 0.247,
    // 0.294] are the column-mean derivation; the matrix is deliberately inconsistent, CR about
    // 0.33 (own re-derivation for column_mean: λmax = 6.46151, CR = 0.32623).
    let r = ahp_ok(matrix(&ARCGIS).view(), AhpMethod::ColumnMean);
    assert_all_close(&r.weights, &[0.235, 0.089, 0.136, 0.247, 0.294], PUBLISHED_3DP, "ArcGIS weights");
    let cr = r.cr.expect("RI(5) > 0, so CR is defined");
    assert!(cr > 0.1 && (0.30..0.35).contains(&cr), "CR about 0.33, got {cr}");
    assert!(!r.consistent, "CR > 0.1 must be reported as inconsistent");
}

#[test]
fn ahp_eigenvector_arcgis_satisfies_the_eigen_equation() {
    // The eigenvector weights of the ArcGIS matrix differ from the published column-mean ones
    // in the second decimal (published_examples.md). Authority: the definition, A w = λmax w,
    // checked directly. Own pure-Python power iteration gives
    // w = [0.22105169, 0.08921342, 0.13082051, 0.29807932, 0.26083506], λmax = 6.48422848.
    let a = matrix(&ARCGIS);
    let r = ahp_ok(a.view(), AhpMethod::Eigenvector);
    for (i, row) in ARCGIS.iter().enumerate() {
        let aw: f64 = row.iter().zip(&r.weights).map(|(x, w)| x * w).sum();
        assert_close(aw, r.lambda_max * r.weights[i], 1e-9, &format!("(A w)_{i} = λmax w_{i}"));
    }
    assert_all_close(
        &r.weights,
        &[0.22105169, 0.08921342, 0.13082051, 0.29807932, 0.26083506],
        PUBLISHED_8DP,
        "ArcGIS eigenvector weights (own computation)",
    );
    assert!((r.weights[3] - 0.247).abs() > 0.01, "differs from the column-mean weights");
    assert!(!r.consistent);
}

#[test]
fn ahp_eigenvector_wang_chin_2011() {
    // Wang & Chin (2011), Information Sciences 181(23):5240–5248, via pymcdm 1.4.0
    // TestAHPWeights (4 dp): w = [0.3208, 0.1395, 0.0348, 0.1285, 0.2374, 0.1391].
    // λmax, CI and CR (Saaty RI(6) = 1.24) from numpy's eigenvalue in
    // vectors/ahp_wang_chin_2011.json: 7.419870101921271, 0.2839740203842542,
    // 0.2290113067614953 — inconsistent.
    let r = ahp_ok(wang_chin().view(), AhpMethod::Eigenvector);
    assert_all_close(
        &r.weights,
        &[0.3208, 0.1395, 0.0348, 0.1285, 0.2374, 0.1391],
        PUBLISHED_4DP,
        "Wang & Chin weights",
    );
    assert_close(r.lambda_max, 7.419870101921271, HAND, "λmax");
    assert_close(r.ci, 0.2839740203842542, HAND, "CI");
    assert_close(r.cr.expect("n = 6"), 0.2290113067614953, HAND, "CR");
    assert!(!r.consistent);
}

#[test]
fn ahp_geometric_mean_wang_chin_2011() {
    // Normalised row geometric means of the Wang & Chin matrix, 4 dp, from
    // vectors/ahp_wang_chin_2011.json (numpy): [0.3160, 0.1391, 0.0360, 0.1251, 0.2360, 0.1477].
    let r = ahp_ok(wang_chin().view(), AhpMethod::GeometricMean);
    assert_all_close(
        &r.weights,
        &[0.3160, 0.1391, 0.0360, 0.1251, 0.2360, 0.1477],
        PUBLISHED_4DP,
        "geometric mean weights",
    );
    assert!(!r.consistent);
}

#[test]
fn ahp_consistent_matrix_recovers_the_weights() {
    // Hand: a_ij = w_i / w_j with w = (0.5, 0.3, 0.2) is perfectly consistent: every method
    // returns w, λmax = n = 3, CI = CR = 0.
    let w = [0.5, 0.3, 0.2];
    let rows: Vec<Vec<f64>> = w.iter().map(|wi| w.iter().map(|wj| wi / wj).collect()).collect();
    let a = from_rows(&rows).expect("3 × 3");
    for method in [AhpMethod::Eigenvector, AhpMethod::GeometricMean, AhpMethod::ColumnMean] {
        let r = ahp_ok(a.view(), method);
        assert_all_close(&r.weights, &w, HAND, method.name());
        assert_close(r.lambda_max, 3.0, HAND, "λmax");
        assert_close(r.cr.expect("n = 3"), 0.0, HAND, "CR");
        assert!(r.consistent);
    }
}

#[test]
fn ahp_small_orders() {
    // n = 2: any reciprocal pair is consistent; RI(2) = 0, so CR is undefined.
    // Hand: [[1, 3], [1/3, 1]] → w = (3/4, 1/4), λmax = 2.
    let r = ahp_ok(matrix(&[&[1.0, 3.0], &[1.0 / 3.0, 1.0]]).view(), AhpMethod::Eigenvector);
    assert_all_close(&r.weights, &[0.75, 0.25], HAND, "n = 2");
    assert_eq!(r.cr, None);
    assert!(r.consistent);
    // n = 1: the single criterion gets everything.
    let r = ahp_ok(matrix(&[&[1.0]]).view(), AhpMethod::GeometricMean);
    assert_eq!(r.weights, vec![1.0]);
    assert_eq!(r.ci, 0.0);
    assert!(r.consistent && r.cr.is_none());
}

#[test]
fn ahp_refuses_a_non_reciprocal_matrix_naming_the_cells() {
    // a12 = 3 but a21 = 3 (should be 1/3).
    let a = matrix(&[&[1.0, 3.0, 2.0], &[3.0, 1.0, 1.0], &[0.5, 1.0, 1.0]]);
    let message = spec_message(ahp(a.view(), AhpMethod::Eigenvector, &SAATY_RI));
    assert!(message.contains("(1, 2)") && message.contains("(2, 1)"), "names both cells: {message}");
    assert!(message.contains('3'), "names the values: {message}");
}

#[test]
fn ahp_reciprocal_rounding_tolerance() {
    // Three decimals pass (0.333 × 3 = 0.999, 0.167 × 6 = 1.002); two do not (0.33 × 3 = 0.99).
    let a = matrix(&[&[1.0, 3.0, 6.0], &[0.333, 1.0, 2.0], &[0.167, 0.5, 1.0]]);
    assert!(ahp(a.view(), AhpMethod::Eigenvector, &SAATY_RI).is_ok());
    let a = matrix(&[&[1.0, 3.0], &[0.33, 1.0]]);
    let message = spec_message(ahp(a.view(), AhpMethod::Eigenvector, &SAATY_RI));
    assert!(message.contains("(1, 2)"), "{message}");
}

#[test]
fn ahp_refuses_zero_and_negative_entries() {
    for bad in [0.0, -2.0, f64::NAN] {
        let a = matrix(&[&[1.0, bad], &[0.5, 1.0]]);
        let message = spec_message(ahp(a.view(), AhpMethod::ColumnMean, &SAATY_RI));
        assert!(message.contains("(1, 2)") && message.contains("positive"), "{message}");
    }
}

#[test]
fn ahp_refuses_bad_shapes_and_orders_beyond_the_ri_table() {
    let message = spec_message(ahp(matrix(&[&[1.0, 2.0]]).view(), AhpMethod::Eigenvector, &SAATY_RI));
    assert!(message.contains("square"), "{message}");
    let ones = vec![vec![1.0; 16]; 16];
    let message = spec_message(ahp(from_rows(&ones).expect("16 × 16").view(), AhpMethod::Eigenvector, &SAATY_RI));
    assert!(message.contains("16") && message.contains("random index"), "{message}");
}

// ---------------------------------------------------------------- combined

#[test]
fn combined_by_hand() {
    // w_1 = (0.6, 0.4), w_2 = (0.2, 0.8).
    let sets = vec![vec![0.6, 0.4], vec![0.2, 0.8]];
    // Linear, α = 0.25: (0.15 + 0.15, 0.10 + 0.60) = (0.3, 0.7).
    let w = combine(&sets, &Combination::Linear { alpha: 0.25 }).expect("linear");
    assert_all_close(&w, &[0.3, 0.7], HAND, "linear");
    // Multiplicative: (0.12, 0.32) / 0.44 = (3/11, 8/11).
    let w = combine(&sets, &Combination::Multiplicative).expect("multiplicative");
    assert_all_close(&w, &[3.0 / 11.0, 8.0 / 11.0], HAND, "multiplicative");
    // Game theory: Gram matrix [[0.52, 0.44], [0.44, 0.68]], right side (0.52, 0.68);
    // det = 0.16, α = (0.68 · 0.08, 0.52 · 0.24) / 0.16 = (0.34, 0.78); α* = (17/56, 39/56);
    // w = (17 · 0.6 + 39 · 0.2, 17 · 0.4 + 39 · 0.8) / 56 = (18, 38) / 56 = (9/28, 19/28).
    let w = combine(&sets, &Combination::GameTheory).expect("game theory");
    assert_all_close(&w, &[9.0 / 28.0, 19.0 / 28.0], HAND, "game theory");
}

#[test]
fn combined_scales_each_set_to_sum_one() {
    // (3, 2) is read as (0.6, 0.4) and (1, 4) as (0.2, 0.8): same as combined_by_hand.
    let w = combine(&[vec![3.0, 2.0], vec![1.0, 4.0]], &Combination::Linear { alpha: 0.25 }).expect("linear");
    assert_all_close(&w, &[0.3, 0.7], HAND, "linear on unscaled sets");
}

#[test]
fn combined_game_theory_of_identical_sets_is_that_set() {
    let set = vec![0.5, 0.3, 0.2];
    let w = combine(&[set.clone(), set.clone(), set.clone()], &Combination::GameTheory).expect("identical sets");
    assert_all_close(&w, &set, EXACT, "identical sets");
}

#[test]
fn combined_refusals() {
    let a = vec![0.6, 0.4, 0.0];
    let b = vec![0.2, 0.3, 0.5];
    let spec = |r: citycheck::Result<Vec<f64>>| matches!(r, Err(Error::Spec(_)));
    assert!(spec(combine(&[], &Combination::GameTheory)), "no sets");
    assert!(spec(combine(std::slice::from_ref(&a), &Combination::Linear { alpha: 0.5 })), "linear needs two sets");
    assert!(
        spec(combine(&[a.clone(), b.clone(), b.clone()], &Combination::Linear { alpha: 0.5 })),
        "linear needs two sets"
    );
    assert!(spec(combine(&[a.clone(), b.clone()], &Combination::Linear { alpha: 1.5 })), "α in [0, 1]");
    assert!(spec(combine(&[a.clone(), vec![0.5, 0.5]], &Combination::Multiplicative)), "lengths differ");
    assert!(spec(combine(&[a.clone(), vec![0.5, -0.5, 1.0]], &Combination::Multiplicative)), "negative weight");
    // Disjoint supports: the product is 0 everywhere.
    let r = combine(&[vec![1.0, 0.0], vec![0.0, 1.0]], &Combination::Multiplicative);
    assert!(matches!(r, Err(Error::Method { .. })), "{r:?}");
    // The third set is the mean of the first two: the Gram matrix is singular.
    let mean: Vec<f64> = a.iter().zip(&b).map(|(x, y)| (x + y) / 2.0).collect();
    let r = combine(&[a, b, mean], &Combination::GameTheory);
    assert!(matches!(r, Err(Error::Method { .. })), "{r:?}");
}

// ---------------------------------------------------------------- deviation_max

#[test]
fn deviation_max_by_hand() {
    // Hand: D = Σ_i Σ_k |r_i − r_k| counts each pair twice. [0, 1, 3]: 2(1 + 3 + 2) = 12;
    // [0, 0, 1]: 2(0 + 1 + 1) = 4; [2, 2, 2]: 0 → w = (12, 4, 0)/16.
    let (w, warnings) = weights_of(deviation_max, &[&[0.0, 0.0, 2.0], &[1.0, 0.0, 2.0], &[3.0, 1.0, 2.0]]);
    assert_all_close(&w, &[0.75, 0.25, 0.0], HAND, "deviation_max");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn deviation_max_matches_the_double_sum() {
    // The library sorts (O(m log m)); the definition is the O(m²) double sum, computed here.
    let rows: [&[f64]; 6] = [&[0.3, 1.0], &[0.9, 0.0], &[0.1, 0.0], &[0.5, 0.25], &[0.5, 0.0], &[0.75, 0.6]];
    let x = matrix(&rows);
    let d: Vec<f64> = x
        .columns()
        .into_iter()
        .map(|c| c.iter().map(|a| c.iter().map(|b| (a - b).abs()).sum::<f64>()).sum::<f64>())
        .collect();
    let total: f64 = d.iter().sum();
    let (w, _) = weights_of(deviation_max, &rows);
    assert_all_close(&w, &[d[0] / total, d[1] / total], HAND, "sorted formula vs double sum");
}

#[test]
fn deviation_max_all_constant_is_equal_with_a_warning() {
    let (w, warnings) = weights_of(deviation_max, &[&[0.5, 1.0], &[0.5, 1.0]]);
    assert_all_close(&w, &[0.5, 0.5], EXACT, "equal fallback");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

// ---------------------------------------------------------------- PCA

#[test]
fn pca_two_blocks_by_hand() {
    // Hand. x1 = [0, 1, 2, 3], x2 = 2 x1 (r12 = 1); centred x3 = b = [1, −1, −1, 1] and
    // x4 = b + c with c = [−1, 3, −3, 1], all orthogonal to centred x1, and b ⟂ c:
    // r34 = b·(b + c) / (|b| |b + c|) = 4 / √(4 · 24) = 1/√6 =: ρ.
    // R = diag([[1, 1], [1, 1]], [[1, ρ], [ρ, 1]]): eigenvalues 2, 1 + ρ, 1 − ρ, 0, so Kaiser
    // keeps (1, 1, 0, 0)/√2 (λ = 2) and (0, 0, 1, 1)/√2 (λ = 1 + ρ). Squared loadings scaled to
    // unity: ½ on each indicator of its block; shares of explained variance 2/(3 + ρ) and
    // (1 + ρ)/(3 + ρ). w = (1, 1, (1 + ρ)/2, (1 + ρ)/2) / (3 + ρ) (already sums to 1).
    let (w, warnings) =
        weights_of(pca, &[&[0.0, 0.0, 2.0, 4.0], &[1.0, 2.0, 0.0, 6.0], &[2.0, 4.0, 0.0, 0.0], &[3.0, 6.0, 2.0, 6.0]]);
    let rho = 1.0 / 6.0_f64.sqrt();
    let s = 3.0 + rho;
    assert_all_close(&w, &[1.0 / s, 1.0 / s, (1.0 + rho) / (2.0 * s), (1.0 + rho) / (2.0 * s)], HAND, "PCA two blocks");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn pca_correlated_pair_and_an_independent_column() {
    // Hand: x2 = 2 x1 + 1, centred x3 = [1, −1, −1, 1] ⟂ centred x1. R has eigenvalues 2, 1, 0;
    // an eigenvalue of exactly 1 is not > 1, so only (1, 1, 0)/√2 is kept: w = (½, ½, 0).
    // x3 loads only on a dropped component, so its weight is 0 (the method, documented).
    let (w, warnings) = weights_of(
        pca,
        &[&[0.0, 1.0, 1.0, 7.0], &[1.0, 3.0, -1.0, 7.0], &[2.0, 5.0, -1.0, 7.0], &[3.0, 7.0, 1.0, 7.0]],
    );
    assert_all_close(&w, &[0.5, 0.5, 0.0, 0.0], HAND, "PCA pair + independent + constant");
    // Column 4 is constant: left out of R, weight 0, one warning.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("c4") && warnings[0].contains("constant"), "{}", warnings[0]);
}

#[test]
fn pca_uncorrelated_columns_are_equal_with_a_warning() {
    // Centred columns [−3, −1, 1, 3], [1, −1, −1, 1], [−1, 3, −3, 1] are mutually orthogonal:
    // R = I, no eigenvalue exceeds 1.
    let (w, warnings) =
        weights_of(pca, &[&[-3.0, 1.0, -1.0], &[-1.0, -1.0, 3.0], &[1.0, -1.0, -3.0], &[3.0, 1.0, 1.0]]);
    assert_all_close(&w, &[1.0 / 3.0; 3], HAND, "PCA of uncorrelated columns");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("uncorrelated"), "{}", warnings[0]);
}

#[test]
fn pca_edge_cases() {
    // One varying column: it gets everything.
    let (w, _) = weights_of(pca, &[&[1.0, 5.0], &[2.0, 5.0], &[4.0, 5.0]]);
    assert_all_close(&w, &[1.0, 0.0], EXACT, "one varying column");
    // Nothing varies: equal, with a warning.
    let (w, warnings) = weights_of(pca, &[&[1.0, 5.0], &[1.0, 5.0]]);
    assert_all_close(&w, &[0.5, 0.5], EXACT, "all constant");
    assert!(warnings.iter().any(|m| m.contains("equal weights")), "{warnings:?}");
    // Missing cells are refused, naming the column.
    method_error(pca, &[&[1.0, 2.0], &[f64::NAN, 3.0], &[3.0, 1.0]], "c1");
}

#[test]
fn fixed_weights_not_summing_to_one_warn_or_fail_when_strict() {
    let names = vec!["a".to_string(), "b".to_string(), "c".to_string()];
    let expert = [Some(2.0), Some(1.0), Some(1.0)];
    let mut warnings = Vec::new();
    let w = citycheck::weight::fixed(&names, &expert, false, &mut warnings).unwrap();
    assert_eq!(w, vec![0.5, 0.25, 0.25]);
    assert!(warnings.iter().any(|m| m.contains("sum to 4") && m.contains("normalised")), "{warnings:?}");
    let err = citycheck::weight::fixed(&names, &expert, true, &mut Vec::new()).unwrap_err().to_string();
    assert!(err.contains("sum to 4") && err.contains("strict"), "{err}");
    let missing = citycheck::weight::fixed(&names, &[Some(1.0), None, Some(1.0)], false, &mut Vec::new());
    assert!(missing.unwrap_err().to_string().contains("'b' has no weight"));
}
