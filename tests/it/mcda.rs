//! Decision-matrix aggregations (METHODS.md §5): TOPSIS, VIKOR and grey relational analysis.
//!
//! Authorities: Tzeng & Huang (2011) for classic (vector) TOPSIS; the unit tests of pymcdm 1.4.0
//! (kotbaton/pymcdm commit 76e7735, test/test_mcdm.py, numbers copied from
//! shared/vectors/pymcdm_tests.json) for min-max TOPSIS and VIKOR; hand calculations written
//! out below for grey relational analysis and the edge cases (one unit, one criterion, constant
//! columns, missing cells).

use citycheck::aggregate::{grey_relational, topsis, vikor, Labels, TopsisNormalization, VikorResult};
use citycheck::catalog::Direction;
use citycheck::catalog::Direction::{Higher, Lower};
use citycheck::kernels::rank::rank_best_first;
use citycheck::kernels::{from_rows, Array2};
use citycheck::Error;

use crate::prec::{assert_all_close, assert_close, HAND, PUBLISHED_4DP, PUBLISHED_8DP};

/// pymcdm's TOPSIS test and the README's own vector-TOPSIS numbers are given to 3 decimals.
const PUBLISHED_3DP: f64 = 5e-4;

const NAN: f64 = f64::NAN;

fn names(prefix: &str, k: usize) -> Vec<String> {
    (1..=k).map(|i| format!("{prefix}{i}")).collect()
}

fn labels<'a>(rows: &'a [String], columns: &'a [String]) -> Labels<'a> {
    Labels { rows, columns, year: None }
}

fn tzeng_huang() -> Array2<f64> {
    from_rows(&[[5.0, 8.0, 4.0], [7.0, 6.0, 8.0], [8.0, 8.0, 6.0], [7.0, 4.0, 6.0]]).unwrap()
}

/// pymcdm 1.4.0 TestTOPSIS and the second TestVIKOR case (both cite Opricovic & Tzeng 2004,
/// EJOR 156(2):445–455): column 1 is a cost, column 2 a benefit, w = [0.5, 0.5].
fn opricovic_tzeng() -> Array2<f64> {
    from_rows(&[[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]]).unwrap()
}

/// pymcdm 1.4.0 first TestVIKOR case (cites Yang & Wu 2020, IEEE Access 8:21261–21271):
/// all benefit, w = [0.25; 4].
fn yang_wu() -> Array2<f64> {
    from_rows(&[
        [78.0, 56.0, 34.0, 6.0],
        [4.0, 45.0, 3.0, 97.0],
        [18.0, 2.0, 50.0, 63.0],
        [9.0, 14.0, 11.0, 92.0],
        [85.0, 9.0, 100.0, 29.0],
    ])
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// TOPSIS

#[test]
fn topsis_tzeng_huang_2011_vector() {
    // Tzeng & Huang (2011), Multiple Attribute Decision Making: Methods and Applications, CRC
    // Press; also scikit-criteria's TOPSIS test (shared/vectors/skcriteria_paper_cases.json).
    // Classic TOPSIS: vector normalisation, all benefit, w = [0.3, 0.4, 0.3].
    // Published C = [0.5037, 0.6581, 0.7482, 0.3340]; to 8 dp as recomputed by scikit-criteria
    // 0.10 and numpy: [0.50371966, 0.65808477, 0.74824866, 0.33399744]; ranks [3, 2, 1, 4].
    let (u, c) = (names("A", 4), names("c", 3));
    let x = tzeng_huang();
    let closeness =
        topsis(x.view(), &[0.3, 0.4, 0.3], &[Higher; 3], TopsisNormalization::Vector, labels(&u, &c)).unwrap();
    assert_all_close(&closeness, &[0.5037, 0.6581, 0.7482, 0.3340], PUBLISHED_4DP, "Tzeng & Huang C (published)");
    assert_all_close(
        &closeness,
        &[0.50371966, 0.65808477, 0.74824866, 0.33399744],
        PUBLISHED_8DP,
        "Tzeng & Huang C (8 dp)",
    );
    assert_eq!(rank_best_first(&closeness), vec![3, 2, 1, 4]);
    // Vector is the default normalisation (METHODS.md §5).
    assert_eq!(TopsisNormalization::default(), TopsisNormalization::Vector);
}

#[test]
fn topsis_pymcdm_min_max_opricovic_tzeng_2004() {
    // pymcdm 1.4.0 TestTOPSIS (cites Opricovic & Tzeng 2004): expected [0.5, 0.617, 0.5] (3 dp).
    // pymcdm's TOPSIS normalises by MIN-MAX, not by the vector norm: a cost column becomes
    // (max − x)/(max − min), and the ideal is then the column maximum of v = w ⊙ r.
    // By hand: r = [[1, 0], [3/4, 1/2], [0, 1]], v = [[1/2, 0], [3/8, 1/4], [0, 1/2]],
    // A+ = [1/2, 1/2], A− = [0, 0].
    //   A1: D+ = 1/2, D− = 1/2 → C = 1/2 (A3 likewise);
    //   A2: D+ = √(1/64 + 1/16) = √5/8, D− = √(9/64 + 1/16) = √13/8 → C = √13/(√5 + √13).
    let (u, c) = (names("A", 3), names("c", 2));
    let x = opricovic_tzeng();
    let closeness =
        topsis(x.view(), &[0.5, 0.5], &[Lower, Higher], TopsisNormalization::MinMax, labels(&u, &c)).unwrap();
    assert_all_close(&closeness, &[0.5, 0.617, 0.5], PUBLISHED_3DP, "pymcdm TOPSIS");
    let a2 = 13f64.sqrt() / (5f64.sqrt() + 13f64.sqrt());
    assert_all_close(&closeness, &[0.5, a2, 0.5], HAND, "min-max TOPSIS by hand");
    assert_eq!(rank_best_first(&closeness), vec![2, 1, 2]);
}

#[test]
fn topsis_vector_on_the_pymcdm_case_differs_from_min_max() {
    // The same matrix under classic vector TOPSIS (ideal = min of a cost column):
    // [0.762, 0.722, 0.238] — an own numpy computation recorded in
    // shared/vectors/pymcdm_tests.README.md, not a pymcdm output. The ranking changes
    // (A1 first instead of A2): the normalisation must be named, never picked silently.
    let (u, c) = (names("A", 3), names("c", 2));
    let x = opricovic_tzeng();
    let closeness =
        topsis(x.view(), &[0.5, 0.5], &[Lower, Higher], TopsisNormalization::Vector, labels(&u, &c)).unwrap();
    assert_all_close(&closeness, &[0.762, 0.722, 0.238], PUBLISHED_3DP, "vector TOPSIS");
    assert_eq!(rank_best_first(&closeness), vec![1, 2, 3]);
}

#[test]
fn topsis_closeness_does_not_depend_on_the_scale_of_the_weights() {
    let (u, c) = (names("A", 4), names("c", 3));
    let x = tzeng_huang();
    for normalization in [TopsisNormalization::Vector, TopsisNormalization::MinMax] {
        let one = topsis(x.view(), &[0.3, 0.4, 0.3], &[Higher; 3], normalization, labels(&u, &c)).unwrap();
        let ten = topsis(x.view(), &[3.0, 4.0, 3.0], &[Higher; 3], normalization, labels(&u, &c)).unwrap();
        assert_all_close(&ten, &one, HAND, &format!("{normalization:?}: weights × 10"));
    }
}

#[test]
fn topsis_band_direction() {
    // Band [4, 6] on x = [1, 5, 9]: o(x) = −dist = [−3, 0, −3], min-max r = [0, 1, 0]; with one
    // column C = r. Under vector normalisation a band has no largest-is-best ideal: an error
    // naming the column.
    let (u, c) = (names("A", 3), vec!["density".to_string()]);
    let x = from_rows(&[[1.0], [5.0], [9.0]]).unwrap();
    let band = [Direction::Band([4.0, 6.0])];
    let closeness = topsis(x.view(), &[1.0], &band, TopsisNormalization::MinMax, labels(&u, &c)).unwrap();
    assert_all_close(&closeness, &[0.0, 1.0, 0.0], HAND, "band under min-max");

    let err =
        topsis(x.view(), &[1.0], &band, TopsisNormalization::Vector, labels(&u, &c)).expect_err("band under vector");
    let Error::Method { method, location, .. } = &err else {
        panic!("expected Error::Method, got {err:?}");
    };
    assert_eq!(*method, "topsis");
    let location = location.as_ref().expect("the error names the column");
    assert_eq!(location.indicator.as_deref(), Some("density"));
    assert_eq!(location.unit, None, "a column problem names no unit");
    let target = [Direction::Target(5.0)];
    assert!(topsis(x.view(), &[1.0], &target, TopsisNormalization::Vector, labels(&u, &c)).is_err());
}

// ---------------------------------------------------------------------------------------------
// VIKOR

#[test]
fn vikor_pymcdm_yang_wu_2020() {
    // pymcdm 1.4.0 TestVIKOR, first case (cites Yang & Wu 2020 and Opricovic & Tzeng 2004),
    // default v = 0.5, w = [0.25; 4], all benefit: Q = [0.5679, 0.7667, 1, 0.7493, 0] (4 dp).
    // Lower Q is better: A5 first, then A1, A4, A2, A3.
    // R by hand (f* = column max, f− = column min):
    //   A1: column 4, (97 − 6)/(97 − 6) = 1 → R = 1/4; A2: column 1, (85 − 4)/81 = 1 → 1/4;
    //   A3: column 2, (56 − 2)/54 = 1 → 1/4;      A4: column 1, (85 − 9)/81 → 76/324 = 19/81;
    //   A5: column 2, (56 − 9)/54 → 47/216.
    // S of A5 by hand: columns 1 and 3 are at their best, so S = ((56 − 9)/54 + (97 − 29)/91)/4.
    let (u, c) = (names("A", 5), names("c", 4));
    let x = yang_wu();
    let res: VikorResult = vikor(x.view(), &[0.25; 4], &[Higher; 4], 0.5, labels(&u, &c)).unwrap();
    assert_all_close(&res.q, &[0.5679, 0.7667, 1.0, 0.7493, 0.0], PUBLISHED_4DP, "pymcdm VIKOR Q");
    assert_all_close(&res.r, &[0.25, 0.25, 0.25, 19.0 / 81.0, 47.0 / 216.0], HAND, "VIKOR R by hand");
    assert_close(res.s[4], (47.0 / 54.0 + 68.0 / 91.0) / 4.0, HAND, "VIKOR S of A5 by hand");
    assert_eq!(res.ranks(), vec![2, 4, 5, 3, 1]);
}

#[test]
fn vikor_pymcdm_opricovic_tzeng_2004() {
    // pymcdm 1.4.0 TestVIKOR, second case (no rounding): column 1 cost, column 2 benefit,
    // w = [0.5, 0.5], v = 0.5 → Q = [1, 0, 1].
    // By hand: column 1 f* = 1, f− = 5: terms 0.5·[0, 1/4, 1] = [0, 1/8, 1/2];
    //          column 2 f* = 4500, f− = 3000: terms 0.5·[1, 1/2, 0] = [1/2, 1/4, 0].
    // S = [1/2, 3/8, 1/2], R = [1/2, 1/4, 1/2]; S* = 3/8, S− = 1/2, R* = 1/4, R− = 1/2;
    // Q = [1/2·1 + 1/2·1, 0, 1] = [1, 0, 1].
    let (u, c) = (names("A", 3), names("c", 2));
    let x = opricovic_tzeng();
    let res = vikor(x.view(), &[0.5, 0.5], &[Lower, Higher], 0.5, labels(&u, &c)).unwrap();
    assert_all_close(&res.q, &[1.0, 0.0, 1.0], HAND, "pymcdm VIKOR Q");
    assert_all_close(&res.s, &[0.5, 0.375, 0.5], HAND, "VIKOR S by hand");
    assert_all_close(&res.r, &[0.5, 0.25, 0.5], HAND, "VIKOR R by hand");
    assert_eq!(res.ranks(), vec![2, 1, 2], "rank 1 = lowest Q");
}

#[test]
fn vikor_v_outside_zero_one_is_a_spec_error() {
    let (u, c) = (names("A", 3), names("c", 2));
    let x = opricovic_tzeng();
    for v in [-0.1, 1.1, NAN] {
        let err = vikor(x.view(), &[0.5, 0.5], &[Lower, Higher], v, labels(&u, &c)).expect_err("v out of range");
        assert!(matches!(err, Error::Spec(_)), "v = {v}: {err:?}");
    }
    // The end points are allowed: v = 1 ranks by S alone, v = 0 by R alone.
    let s_only = vikor(x.view(), &[0.5, 0.5], &[Lower, Higher], 1.0, labels(&u, &c)).unwrap();
    assert_all_close(&s_only.q, &[1.0, 0.0, 1.0], HAND, "v = 1");
    assert!(vikor(x.view(), &[0.5, 0.5], &[Lower, Higher], 0.0, labels(&u, &c)).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Grey relational analysis

#[test]
fn grey_relational_by_hand() {
    // X (rows = units), column 1 higher, column 2 lower, w = [0.6, 0.4]:
    //   沈阳市 [2, 30]
    //   大连市 [4, 10]
    //   鞍山市 [6, 20]
    // min-max: column 1 (x − 2)/4 = [0, 1/2, 1]; column 2 (30 − x)/20 = [0, 1, 1/2].
    // Reference x0 = [1, 1]; Δ = 1 − r: column 1 [1, 1/2, 0], column 2 [1, 0, 1/2];
    // Δmin = 0, Δmax = 1.
    // ρ = 0.5: ξ = 0.5/(Δ + 0.5): Δ = 1 → 1/3, Δ = 1/2 → 1/2, Δ = 0 → 1.
    //   沈阳市 0.6·1/3 + 0.4·1/3 = 1/3; 大连市 0.6·1/2 + 0.4·1 = 0.7; 鞍山市 0.6·1 + 0.4·1/2 = 0.8.
    // ρ = 1: ξ = 1/(Δ + 1): Δ = 1 → 1/2, Δ = 1/2 → 2/3, Δ = 0 → 1.
    //   沈阳市 1/2; 大连市 0.6·2/3 + 0.4 = 0.8; 鞍山市 0.6 + 0.4·2/3 = 13/15.
    let u = vec!["沈阳市".to_string(), "大连市".to_string(), "鞍山市".to_string()];
    let c = vec!["green".to_string(), "so2".to_string()];
    let x = from_rows(&[[2.0, 30.0], [4.0, 10.0], [6.0, 20.0]]).unwrap();
    let dirs = [Higher, Lower];
    let half = grey_relational(x.view(), &[0.6, 0.4], &dirs, 0.5, labels(&u, &c)).unwrap();
    assert_all_close(&half, &[1.0 / 3.0, 0.7, 0.8], HAND, "grey relational, rho = 0.5");
    assert_eq!(rank_best_first(&half), vec![3, 2, 1]);
    let one = grey_relational(x.view(), &[0.6, 0.4], &dirs, 1.0, labels(&u, &c)).unwrap();
    assert_all_close(&one, &[0.5, 0.8, 13.0 / 15.0], HAND, "grey relational, rho = 1");
}

#[test]
fn grey_relational_rho_outside_zero_one_is_a_spec_error() {
    // ρ = 0 would make ξ = Δmin/Δ = 0 for every cell off the reference (0/0 on it).
    let u = names("A", 3);
    let c = names("c", 2);
    let x = from_rows(&[[2.0, 30.0], [4.0, 10.0], [6.0, 20.0]]).unwrap();
    for rho in [0.0, -0.5, 1.5, NAN] {
        let err = grey_relational(x.view(), &[0.6, 0.4], &[Higher, Lower], rho, labels(&u, &c))
            .expect_err("rho out of range");
        assert!(matches!(err, Error::Spec(_)), "rho = {rho}: {err:?}");
    }
}

#[test]
fn grey_relational_band_direction() {
    // Band [4, 6] on x = [1, 5, 9]: r = [0, 1, 0], Δ = [1, 0, 1], ξ = 0.5/(Δ + 0.5) = [1/3, 1, 1/3].
    let (u, c) = (names("A", 3), names("c", 1));
    let x = from_rows(&[[1.0], [5.0], [9.0]]).unwrap();
    let g = grey_relational(x.view(), &[1.0], &[Direction::Band([4.0, 6.0])], 0.5, labels(&u, &c)).unwrap();
    assert_all_close(&g, &[1.0 / 3.0, 1.0, 1.0 / 3.0], HAND, "grey relational, band");
}

// ---------------------------------------------------------------------------------------------
// Edge cases shared by the three methods

#[test]
fn one_unit_is_defined() {
    // m = 1: every column is constant. TOPSIS: the unit is both the ideal and the anti-ideal
    // (D+ = D− = 0), C = 0.5. VIKOR: every term is 0, S = R = Q = 0, rank 1. Grey relational:
    // the unit is the reference, Δmax = 0, ξ = 1, γ = 1. No NaN, no panic.
    let (u, c) = (names("A", 1), names("c", 3));
    let x = from_rows(&[[5.0, 8.0, 4.0]]).unwrap();
    let w = [0.3, 0.4, 0.3];
    let dirs = [Higher, Lower, Higher];
    for normalization in [TopsisNormalization::Vector, TopsisNormalization::MinMax] {
        let closeness = topsis(x.view(), &w, &dirs, normalization, labels(&u, &c)).unwrap();
        assert_eq!(closeness, vec![0.5], "{normalization:?}");
    }
    let res = vikor(x.view(), &w, &dirs, 0.5, labels(&u, &c)).unwrap();
    assert_eq!(res, VikorResult { s: vec![0.0], r: vec![0.0], q: vec![0.0] });
    assert_eq!(res.ranks(), vec![1]);
    let g = grey_relational(x.view(), &w, &dirs, 0.5, labels(&u, &c)).unwrap();
    assert_all_close(&g, &[1.0], HAND, "grey relational, one unit");
}

#[test]
fn one_criterion() {
    // n = 1, x = [1, 2, 4], w = [1].
    // TOPSIS: C = |r − worst|/|best − worst|, the min-max of the column under either
    // normalisation: higher → [0, 1/3, 1]; lower (vector: ideal = the minimum) → [1, 2/3, 0].
    // VIKOR (higher): S = R = (4 − x)/3 = [1, 2/3, 0], and Q = the same.
    // Grey (higher, ρ = 0.5): r = [0, 1/3, 1], Δ = [1, 2/3, 0], ξ = 0.5/(Δ + 0.5) = [1/3, 3/7, 1].
    let (u, c) = (names("A", 3), names("c", 1));
    let x = from_rows(&[[1.0], [2.0], [4.0]]).unwrap();
    for normalization in [TopsisNormalization::Vector, TopsisNormalization::MinMax] {
        let up = topsis(x.view(), &[1.0], &[Higher], normalization, labels(&u, &c)).unwrap();
        assert_all_close(&up, &[0.0, 1.0 / 3.0, 1.0], HAND, &format!("{normalization:?}, higher"));
        let down = topsis(x.view(), &[1.0], &[Lower], normalization, labels(&u, &c)).unwrap();
        assert_all_close(&down, &[1.0, 2.0 / 3.0, 0.0], HAND, &format!("{normalization:?}, lower"));
    }
    let res = vikor(x.view(), &[1.0], &[Higher], 0.5, labels(&u, &c)).unwrap();
    let expected = [1.0, 2.0 / 3.0, 0.0];
    assert_all_close(&res.s, &expected, HAND, "VIKOR S, one criterion");
    assert_all_close(&res.r, &expected, HAND, "VIKOR R, one criterion");
    assert_all_close(&res.q, &expected, HAND, "VIKOR Q, one criterion");
    let g = grey_relational(x.view(), &[1.0], &[Higher], 0.5, labels(&u, &c)).unwrap();
    assert_all_close(&g, &[1.0 / 3.0, 3.0 / 7.0, 1.0], HAND, "grey relational, one criterion");
}

#[test]
fn a_constant_column() {
    // TOPSIS and VIKOR: a constant column adds nothing to D±, S or R, so adding one leaves
    // the results unchanged (weights are used as given).
    let (u, c) = (names("A", 4), names("c", 4));
    let x = tzeng_huang();
    let with_constant =
        from_rows(&[[5.0, 8.0, 4.0, 3.0], [7.0, 6.0, 8.0, 3.0], [8.0, 8.0, 6.0, 3.0], [7.0, 4.0, 6.0, 3.0]]).unwrap();
    for normalization in [TopsisNormalization::Vector, TopsisNormalization::MinMax] {
        let base = topsis(x.view(), &[0.3, 0.4, 0.3], &[Higher; 3], normalization, labels(&u, &c)).unwrap();
        let more =
            topsis(with_constant.view(), &[0.3, 0.4, 0.3, 0.2], &[Higher; 4], normalization, labels(&u, &c)).unwrap();
        assert_all_close(&more, &base, HAND, &format!("{normalization:?} with a constant column"));
    }
    let base = vikor(x.view(), &[0.3, 0.4, 0.3], &[Higher; 3], 0.5, labels(&u, &c)).unwrap();
    let more =
        vikor(with_constant.view(), &[0.3, 0.4, 0.3, 0.2], &[Higher, Higher, Higher, Lower], 0.5, labels(&u, &c))
            .unwrap();
    assert_all_close(&more.s, &base.s, HAND, "VIKOR S with a constant column");
    assert_all_close(&more.r, &base.r, HAND, "VIKOR R with a constant column");
    assert_all_close(&more.q, &base.q, HAND, "VIKOR Q with a constant column");

    // Grey relational: a constant column has ξ = 1 for every unit. The hand case of
    // `grey_relational_by_hand` plus a constant third column, w = [0.3, 0.2, 0.5], ρ = 0.5:
    //   沈阳市 0.3·1/3 + 0.2·1/3 + 0.5 = 2/3; 大连市 0.3·1/2 + 0.2·1 + 0.5 = 0.85;
    //   鞍山市 0.3·1 + 0.2·1/2 + 0.5 = 0.9.
    let gx = from_rows(&[[2.0, 30.0, 7.0], [4.0, 10.0, 7.0], [6.0, 20.0, 7.0]]).unwrap();
    let (gu, gc) = (names("A", 3), names("c", 3));
    let g = grey_relational(gx.view(), &[0.3, 0.2, 0.5], &[Higher, Lower, Higher], 0.5, labels(&gu, &gc)).unwrap();
    assert_all_close(&g, &[2.0 / 3.0, 0.85, 0.9], HAND, "grey relational with a constant column");
}

#[test]
fn every_column_constant() {
    // All units equal: TOPSIS C = 0.5 each, VIKOR S = R = Q = 0 each (all rank 1), grey γ = 1.
    let (u, c) = (names("A", 3), names("c", 2));
    let x = from_rows(&[[2.0, 0.0], [2.0, 0.0], [2.0, 0.0]]).unwrap();
    let dirs = [Higher, Lower];
    for normalization in [TopsisNormalization::Vector, TopsisNormalization::MinMax] {
        let closeness = topsis(x.view(), &[0.5, 0.5], &dirs, normalization, labels(&u, &c)).unwrap();
        assert_eq!(closeness, vec![0.5; 3], "{normalization:?}");
    }
    let res = vikor(x.view(), &[0.5, 0.5], &dirs, 0.5, labels(&u, &c)).unwrap();
    assert_eq!(res.q, vec![0.0; 3]);
    assert_eq!(res.ranks(), vec![1; 3]);
    let g = grey_relational(x.view(), &[0.5, 0.5], &dirs, 0.5, labels(&u, &c)).unwrap();
    assert_all_close(&g, &[1.0; 3], HAND, "grey relational, every column constant");
}

#[test]
fn a_missing_cell_is_an_error_naming_the_unit() {
    let u = vec!["沈阳市".to_string(), "大连市".to_string(), "鞍山市".to_string()];
    let c = vec!["green".to_string(), "water".to_string()];
    let labels = Labels { rows: &u, columns: &c, year: Some(2024) };
    let x = from_rows(&[[2.0, 30.0], [4.0, NAN], [6.0, 20.0]]).unwrap();
    let (w, dirs) = ([0.5, 0.5], [Higher, Lower]);
    let errors = [
        ("topsis", topsis(x.view(), &w, &dirs, TopsisNormalization::Vector, labels).expect_err("NaN")),
        ("topsis", topsis(x.view(), &w, &dirs, TopsisNormalization::MinMax, labels).expect_err("NaN")),
        ("vikor", vikor(x.view(), &w, &dirs, 0.5, labels).expect_err("NaN")),
        ("grey_relational", grey_relational(x.view(), &w, &dirs, 0.5, labels).expect_err("NaN")),
    ];
    for (name, err) in errors {
        let Error::Method { method, location, message } = &err else {
            panic!("{name}: expected Error::Method, got {err:?}");
        };
        assert_eq!(*method, name);
        let location = location.as_ref().expect("the error says where");
        assert_eq!(location.unit.as_deref(), Some("大连市"), "{name}");
        assert_eq!(location.indicator.as_deref(), Some("water"), "{name}");
        assert_eq!(location.year, Some(2024), "{name}");
        assert!(message.contains("impute"), "{name}: the message says what to do: {message}");
        let text = err.to_string();
        assert!(text.contains("大连市") && text.contains("water"), "{name}: {text}");
    }
}

#[test]
fn weights_and_directions_must_fit_the_columns() {
    let (u, c) = (names("A", 3), names("c", 2));
    let x = opricovic_tzeng();
    let cases: [(&[f64], &[Direction]); 5] = [
        (&[0.5], &[Lower, Higher]),       // one weight short
        (&[0.5, 0.5], &[Lower]),          // one direction short
        (&[1.5, -0.5], &[Lower, Higher]), // negative weight
        (&[0.5, NAN], &[Lower, Higher]),  // missing weight
        (&[0.0, 0.0], &[Lower, Higher]),  // weights sum to 0
    ];
    for (w, dirs) in cases {
        for err in [
            topsis(x.view(), w, dirs, TopsisNormalization::Vector, labels(&u, &c)).expect_err("bad spec"),
            vikor(x.view(), w, dirs, 0.5, labels(&u, &c)).expect_err("bad spec"),
            grey_relational(x.view(), w, dirs, 0.5, labels(&u, &c)).expect_err("bad spec"),
        ] {
            assert!(matches!(err, Error::Spec(_) | Error::Shape(_)), "w = {w:?}, directions = {dirs:?}: {err:?}");
        }
    }
}

#[test]
fn topsis_normalization_names() {
    // The names of run specs (serde snake_case).
    let parse = |s: &str| serde_json::from_str::<TopsisNormalization>(s).unwrap();
    assert_eq!(parse("\"vector\""), TopsisNormalization::Vector);
    assert_eq!(parse("\"min_max\""), TopsisNormalization::MinMax);
    assert!(serde_json::from_str::<TopsisNormalization>("\"minmax\"").is_err());
}
