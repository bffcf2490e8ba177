//! The weighted sum model (WSM) and the weighted product model (WPM) on decision matrices.
//!
//! Authorities: hand calculations written out below; pymcdm 1.4.0 as the independent peer —
//! its own unit tests `TestWSM` / `TestWPM` ("self-reference", 3 decimals; numbers from
//! shared/vectors/pymcdm_tests.json) and runs of the installed pymcdm 1.4.0 (numpy 2.4.6,
//! Python 3.11) pasted at full precision with the call that produced them. pymcdm's `WSM()` and
//! `WPM()` normalise by `sum_normalization` (cost: (1/x)/Σ(1/x)); `WSM(minmax_normalization)` is
//! citycheck's default `min_max`.

use citycheck::aggregate::{arithmetic, weighted_product, weighted_sum, Labels, WeightedSumNormalization};
use citycheck::catalog::Direction::{self, Higher, Lower};
use citycheck::kernels::rank::rank_best_first;
use citycheck::kernels::{from_columns, from_rows, Array2};
use citycheck::Error;

use crate::prec::{assert_all_close, EXACT, HAND};

/// pymcdm's own WSM and WPM tests are given to 3 decimals.
const PUBLISHED_3DP: f64 = 5e-4;

const NAN: f64 = f64::NAN;
const MIN_MAX: WeightedSumNormalization = WeightedSumNormalization::MinMax;
const SUM: WeightedSumNormalization = WeightedSumNormalization::Sum;

fn names(prefix: &str, k: usize) -> Vec<String> {
    (1..=k).map(|i| format!("{prefix}{i}")).collect()
}

fn labels<'a>(rows: &'a [String], columns: &'a [String]) -> Labels<'a> {
    Labels { rows, columns, year: None }
}

/// The hand case: three units, column 1 higher, column 2 lower, column 3 higher.
fn hand_case() -> Array2<f64> {
    from_rows(&[[2.0, 30.0, 4.0], [4.0, 10.0, 8.0], [6.0, 20.0, 2.0]]).unwrap()
}
const HAND_W: [f64; 3] = [0.5, 0.3, 0.2];
const HAND_DIRS: [Direction; 3] = [Higher, Lower, Higher];

/// pymcdm 1.4.0 TestWSM and TestWPM (test/test_mcdm.py, "self-reference"): w = [8, 5, 6, 7]/13
/// (they sum to 2: pymcdm warns and uses them as given, as citycheck does), types [1, 1, -1, -1].
fn pymcdm_case() -> Array2<f64> {
    from_rows(&[
        [96.0, 83.0, 75.0, 7.0],
        [63.0, 5.0, 56.0, 9.0],
        [72.0, 30.0, 32.0, 48.0],
        [11.0, 4.0, 27.0, 9.0],
        [77.0, 21.0, 17.0, 11.0],
    ])
    .unwrap()
}
const PYMCDM_W: [f64; 4] = [8.0 / 13.0, 5.0 / 13.0, 6.0 / 13.0, 7.0 / 13.0];
const PYMCDM_DIRS: [Direction; 4] = [Higher, Higher, Lower, Lower];

/// Six Liaoning cities in 2012 (datasets/cn_city_ccsy_2004_2012, raw values): GDP (10k CNY),
/// green coverage of the built-up area (%), tertiary share of GDP (%), industrial SO2 (t, lower).
fn liaoning_2012() -> (Vec<String>, Array2<f64>) {
    let cities = ["沈阳市", "大连市", "鞍山市", "抚顺市", "丹东市", "锦州市"].map(String::from).to_vec();
    let x = from_rows(&[
        [66025865.0, 42.22, 43.99, 96756.0],
        [70028306.0, 44.68, 41.65, 114589.0],
        [24293160.0, 37.78, 41.65, 122876.0],
        [12363686.0, 41.92, 33.53, 55891.0],
        [2905058.0, 34.58, 44.49, 27300.0],
        [12427098.0, 39.01, 35.10, 47340.0],
    ])
    .unwrap();
    (cities, x)
}
const LIAONING_W: [f64; 4] = [0.4, 0.2, 0.2, 0.2];
const LIAONING_DIRS: [Direction; 4] = [Higher, Higher, Higher, Lower];

/// The method name and the unit and column named by an [`Error::Method`].
fn method_error(err: Error) -> (&'static str, Option<String>, Option<String>) {
    match err {
        Error::Method { method, location, .. } => {
            let location = *location.expect("the error says where");
            (method, location.unit, location.indicator)
        }
        other => panic!("expected Error::Method, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Hand calculations

#[test]
fn weighted_sum_min_max_by_hand() {
    // x = [[2, 30, 4], [4, 10, 8], [6, 20, 2]], directions [higher, lower, higher],
    // w = [0.5, 0.3, 0.2].
    // min-max: column 1 (x − 2)/4 = [0, 1/2, 1]; column 2 (lower) (30 − x)/20 = [0, 1, 1/2];
    //          column 3 (x − 2)/6 = [1/3, 1, 0].
    // P = 0.5 r1 + 0.3 r2 + 0.2 r3:
    //   unit 1: 0 + 0 + 0.2/3 = 1/15; unit 2: 0.25 + 0.3 + 0.2 = 3/4; unit 3: 0.5 + 0.15 + 0 = 13/20.
    // pymcdm 1.4.0: WSM(minmax_normalization)(x, w, [1, -1, 1])
    //   = [0.06666666666666667, 0.75, 0.65].
    let (u, c) = (names("A", 3), names("c", 3));
    let p = weighted_sum(hand_case().view(), &HAND_W, &HAND_DIRS, MIN_MAX, labels(&u, &c)).unwrap();
    assert_all_close(&p, &[1.0 / 15.0, 0.75, 0.65], HAND, "WSM min_max by hand");
    assert_all_close(&p, &[0.06666666666666667, 0.75, 0.65], EXACT, "pymcdm WSM(minmax_normalization)");
    assert_eq!(rank_best_first(&p), vec![3, 1, 2]);
    // With weights summing to 1 this is the check-up pipeline's min_max (to [0, 1]) followed by
    // the arithmetic aggregation of the normalised matrix.
    let r = from_rows(&[[0.0, 0.0, 1.0 / 3.0], [0.5, 1.0, 1.0], [1.0, 0.5, 0.0]]).unwrap();
    assert_all_close(&arithmetic(r.view(), &HAND_W), &p, HAND, "min_max + arithmetic");
    assert_eq!(WeightedSumNormalization::default(), MIN_MAX);
}

#[test]
fn weighted_sum_sum_by_hand() {
    // The same x and w. Sum normalisation:
    //   column 1 x/Σx, Σ = 12: [1/6, 1/3, 1/2];
    //   column 2 (lower) (1/x)/Σ(1/x): 1/x = [1/30, 1/10, 1/20], Σ = 11/60 → [2/11, 6/11, 3/11];
    //   column 3 x/Σx, Σ = 14: [2/7, 4/7, 1/7].
    // P = 0.5 r1 + 0.3 r2 + 0.2 r3; the P sum to Σw = 1, since every column of r sums to 1.
    // pymcdm 1.4.0: WSM()(x, w, [1, -1, 1])
    //   = [0.195021645021645, 0.44458874458874453, 0.36038961038961037].
    let (u, c) = (names("A", 3), names("c", 3));
    let p = weighted_sum(hand_case().view(), &HAND_W, &HAND_DIRS, SUM, labels(&u, &c)).unwrap();
    let by_hand = [
        0.5 / 6.0 + 0.3 * 2.0 / 11.0 + 0.2 * 2.0 / 7.0,
        0.5 / 3.0 + 0.3 * 6.0 / 11.0 + 0.2 * 4.0 / 7.0,
        0.5 / 2.0 + 0.3 * 3.0 / 11.0 + 0.2 * 1.0 / 7.0,
    ];
    assert_all_close(&p, &by_hand, HAND, "WSM sum by hand");
    assert_all_close(&p, &[0.195021645021645, 0.44458874458874453, 0.36038961038961037], EXACT, "pymcdm WSM()");
    assert!((p.iter().sum::<f64>() - 1.0).abs() <= HAND);
}

#[test]
fn weighted_product_by_hand() {
    // The same x and w, the same sum-normalised r as in `weighted_sum_sum_by_hand`:
    //   P_i = r_i1^0.5 · r_i2^0.3 · r_i3^0.2.
    // pymcdm 1.4.0: WPM()(x, w, [1, -1, 1])
    //   = [0.1905469313460835, 0.43038718595281444, 0.32447703513895654].
    let (u, c) = (names("A", 3), names("c", 3));
    let p = weighted_product(hand_case().view(), &HAND_W, &HAND_DIRS, labels(&u, &c)).unwrap();
    let pow = |r: [f64; 3]| r[0].powf(0.5) * r[1].powf(0.3) * r[2].powf(0.2);
    let by_hand = [
        pow([1.0 / 6.0, 2.0 / 11.0, 2.0 / 7.0]),
        pow([1.0 / 3.0, 6.0 / 11.0, 4.0 / 7.0]),
        pow([1.0 / 2.0, 3.0 / 11.0, 1.0 / 7.0]),
    ];
    assert_all_close(&p, &by_hand, HAND, "WPM by hand");
    assert_all_close(&p, &[0.1905469313460835, 0.43038718595281444, 0.32447703513895654], EXACT, "pymcdm WPM()");
    assert_eq!(rank_best_first(&p), vec![3, 1, 2]);
}

// ---------------------------------------------------------------------------------------------
// pymcdm

#[test]
fn pymcdm_own_tests() {
    // pymcdm 1.4.0 TestWSM: [0.609, 0.313, 0.334, 0.265, 0.479]; TestWPM: [0.065, 0.017, 0.019,
    // 0.007, 0.052] (3 dp). At full precision, pymcdm 1.4.0:
    //   WSM()(x, w, types) = [0.6086313254772999, 0.3125202336929132, 0.3342223301084967,
    //                         0.2654375437487737, 0.47918856697251644]
    //   WPM()(x, w, types) = [0.06462383568044774, 0.01691743205986328, 0.0192318600094334,
    //                         0.0074277706775363155, 0.051725664255518666]
    //   WSM(minmax_normalization)(x, w, types) = [1.5384615384615383, 1.0447278933111148,
    //                         0.9103863040700282, 0.8941579866727049, 1.5080605572078976]
    // (the weights sum to 2, so WSM's P can reach 2).
    let (u, c) = (names("A", 5), names("c", 4));
    let x = pymcdm_case();
    let wsm = weighted_sum(x.view(), &PYMCDM_W, &PYMCDM_DIRS, SUM, labels(&u, &c)).unwrap();
    assert_all_close(&wsm, &[0.609, 0.313, 0.334, 0.265, 0.479], PUBLISHED_3DP, "pymcdm TestWSM");
    let wsm_peer =
        [0.6086313254772999, 0.3125202336929132, 0.3342223301084967, 0.2654375437487737, 0.47918856697251644];
    assert_all_close(&wsm, &wsm_peer, EXACT, "pymcdm WSM() (full precision)");

    let wpm = weighted_product(x.view(), &PYMCDM_W, &PYMCDM_DIRS, labels(&u, &c)).unwrap();
    assert_all_close(&wpm, &[0.065, 0.017, 0.019, 0.007, 0.052], PUBLISHED_3DP, "pymcdm TestWPM");
    let wpm_peer =
        [0.06462383568044774, 0.01691743205986328, 0.0192318600094334, 0.0074277706775363155, 0.051725664255518666];
    assert_all_close(&wpm, &wpm_peer, EXACT, "pymcdm WPM() (full precision)");

    let min_max = weighted_sum(x.view(), &PYMCDM_W, &PYMCDM_DIRS, MIN_MAX, labels(&u, &c)).unwrap();
    let min_max_peer =
        [1.5384615384615383, 1.0447278933111148, 0.9103863040700282, 0.8941579866727049, 1.5080605572078976];
    assert_all_close(&min_max, &min_max_peer, EXACT, "pymcdm WSM(minmax_normalization)");
    // A1 by hand: the best of columns 1, 2 and 4 (r = 1), the worst of cost column 3 (r = 0):
    // P = (8 + 5 + 0 + 7)/13 = 20/13.
    assert_all_close(&min_max[..1], &[20.0 / 13.0], HAND, "A1 by hand");
}

#[test]
fn liaoning_2012_against_pymcdm() {
    // pymcdm 1.4.0, numpy 2.4.6, on the matrix of `liaoning_2012`, w = [0.4, 0.2, 0.2, 0.2],
    // types = [1, 1, 1, -1]:
    //   WSM(minmax_normalization)(x, w, types) = [0.7729698191202448, 0.7655163559981158,
    //       0.3389972226892351, 0.3418834421971192, 0.4, 0.3311808122952629]
    //   WSM()(x, w, types) = [0.23229813837282887, 0.23778587317489144, 0.13360940649678266,
    //       0.12389303157184722, 0.14321785248902985, 0.12919569789461996]
    //   WPM()(x, w, types) = [0.20896922587723155, 0.2069113591552213, 0.12919134511842745,
    //       0.11285469027746407, 0.07430271954164551, 0.11629383407419852]
    // The two WSM normalisations put a different city first (沈阳市 under min_max, 大连市
    // under sum): the normalisation must be named, never picked silently.
    let (u, x) = liaoning_2012();
    let c: Vec<String> =
        ["gdp", "green_coverage_builtup", "tertiary_share", "industrial_so2"].map(String::from).to_vec();
    let min_max = weighted_sum(x.view(), &LIAONING_W, &LIAONING_DIRS, MIN_MAX, labels(&u, &c)).unwrap();
    let min_max_peer =
        [0.7729698191202448, 0.7655163559981158, 0.3389972226892351, 0.3418834421971192, 0.4, 0.3311808122952629];
    assert_all_close(&min_max, &min_max_peer, EXACT, "pymcdm WSM(minmax_normalization), Liaoning");
    let sum = weighted_sum(x.view(), &LIAONING_W, &LIAONING_DIRS, SUM, labels(&u, &c)).unwrap();
    let sum_peer = [
        0.23229813837282887,
        0.23778587317489144,
        0.13360940649678266,
        0.12389303157184722,
        0.14321785248902985,
        0.12919569789461996,
    ];
    assert_all_close(&sum, &sum_peer, EXACT, "pymcdm WSM(), Liaoning");
    let wpm = weighted_product(x.view(), &LIAONING_W, &LIAONING_DIRS, labels(&u, &c)).unwrap();
    let wpm_peer = [
        0.20896922587723155,
        0.2069113591552213,
        0.12919134511842745,
        0.11285469027746407,
        0.07430271954164551,
        0.11629383407419852,
    ];
    assert_all_close(&wpm, &wpm_peer, EXACT, "pymcdm WPM(), Liaoning");
    assert_eq!(rank_best_first(&min_max)[..2], [1, 2]);
    assert_eq!(rank_best_first(&sum)[..2], [2, 1]);
}

// ---------------------------------------------------------------------------------------------
// Properties

#[test]
fn weighted_product_does_not_depend_on_the_unit_of_measurement() {
    // WPM compares ratios: GDP in CNY instead of 10k CNY (× 10,000) and SO2 in kg instead of t
    // (× 1,000) give the same sum-normalised r, so the same P.
    let (u, x) = liaoning_2012();
    let c = names("c", 4);
    let rows: Vec<Vec<f64>> =
        (0..x.nrows()).map(|i| x.row(i).iter().zip([1e4, 1.0, 1.0, 1e3]).map(|(v, k)| v * k).collect()).collect();
    let rescaled = from_rows(&rows).unwrap();
    let base = weighted_product(x.view(), &LIAONING_W, &LIAONING_DIRS, labels(&u, &c)).unwrap();
    let other = weighted_product(rescaled.view(), &LIAONING_W, &LIAONING_DIRS, labels(&u, &c)).unwrap();
    assert_all_close(&other, &base, HAND, "WPM, columns rescaled");
}

#[test]
fn scaling_the_weights() {
    // Weights are used as given: × 10 scales every WSM score by 10 and raises every WPM score to
    // the power 10; neither changes the ranking.
    let (u, x) = liaoning_2012();
    let c = names("c", 4);
    let ten = LIAONING_W.map(|w| 10.0 * w);
    for normalization in [MIN_MAX, SUM] {
        let base = weighted_sum(x.view(), &LIAONING_W, &LIAONING_DIRS, normalization, labels(&u, &c)).unwrap();
        let more = weighted_sum(x.view(), &ten, &LIAONING_DIRS, normalization, labels(&u, &c)).unwrap();
        let expected: Vec<f64> = base.iter().map(|p| 10.0 * p).collect();
        assert_all_close(&more, &expected, HAND, &format!("WSM {normalization:?}, weights × 10"));
    }
    let base = weighted_product(x.view(), &LIAONING_W, &LIAONING_DIRS, labels(&u, &c)).unwrap();
    let more = weighted_product(x.view(), &ten, &LIAONING_DIRS, labels(&u, &c)).unwrap();
    let expected: Vec<f64> = base.iter().map(|p| p.powi(10)).collect();
    assert_all_close(&more, &expected, EXACT, "WPM, weights × 10");
    assert_eq!(rank_best_first(&more), rank_best_first(&base));
}

#[test]
fn flipping_every_direction_reverses_a_one_column_ranking() {
    let (u, c) = (names("A", 4), names("c", 1));
    let x = from_rows(&[[3.0], [1.0], [4.0], [2.0]]).unwrap();
    for normalization in [MIN_MAX, SUM] {
        let up = weighted_sum(x.view(), &[1.0], &[Higher], normalization, labels(&u, &c)).unwrap();
        let down = weighted_sum(x.view(), &[1.0], &[Lower], normalization, labels(&u, &c)).unwrap();
        assert_eq!(rank_best_first(&up), vec![2, 4, 1, 3], "{normalization:?}");
        assert_eq!(rank_best_first(&down), vec![3, 1, 4, 2], "{normalization:?}");
    }
    let up = weighted_product(x.view(), &[1.0], &[Higher], labels(&u, &c)).unwrap();
    let down = weighted_product(x.view(), &[1.0], &[Lower], labels(&u, &c)).unwrap();
    assert_eq!(rank_best_first(&up), vec![2, 4, 1, 3]);
    assert_eq!(rank_best_first(&down), vec![3, 1, 4, 2]);
}

// ---------------------------------------------------------------------------------------------
// Edge cases

#[test]
fn a_constant_column_changes_no_ranking() {
    // A constant fourth column (7 for every unit), weight 0.25, added to the hand case:
    //   min_max: r = 1 → every P + 0.25;  sum: r = 1/3 → every P + 0.25/3;
    //   WPM: r = 1/3 → every P × (1/3)^0.25.
    let (u, c) = (names("A", 3), names("c", 4));
    let x = from_rows(&[[2.0, 30.0, 4.0, 7.0], [4.0, 10.0, 8.0, 7.0], [6.0, 20.0, 2.0, 7.0]]).unwrap();
    let w = [0.5, 0.3, 0.2, 0.25];
    let dirs = [Higher, Lower, Higher, Lower];
    for (normalization, added) in [(MIN_MAX, 0.25), (SUM, 0.25 / 3.0)] {
        let base = weighted_sum(hand_case().view(), &HAND_W, &HAND_DIRS, normalization, labels(&u, &c)).unwrap();
        let more = weighted_sum(x.view(), &w, &dirs, normalization, labels(&u, &c)).unwrap();
        let expected: Vec<f64> = base.iter().map(|p| p + added).collect();
        assert_all_close(&more, &expected, HAND, &format!("WSM {normalization:?}, constant column"));
    }
    let base = weighted_product(hand_case().view(), &HAND_W, &HAND_DIRS, labels(&u, &c)).unwrap();
    let more = weighted_product(x.view(), &w, &dirs, labels(&u, &c)).unwrap();
    let expected: Vec<f64> = base.iter().map(|p| p * (1.0f64 / 3.0).powf(0.25)).collect();
    assert_all_close(&more, &expected, HAND, "WPM, constant column");
}

#[test]
fn an_all_zero_higher_column_is_constant_under_sum() {
    // Σx = 0: every unit scores 1/m, as the crate's `sum` normalisation; not a zero for WPM.
    let (u, c) = (names("A", 2), names("c", 2));
    let x = from_rows(&[[0.0, 1.0], [0.0, 3.0]]).unwrap();
    let p = weighted_sum(x.view(), &[0.5, 0.5], &[Higher, Higher], SUM, labels(&u, &c)).unwrap();
    assert_all_close(&p, &[0.25 + 0.125, 0.25 + 0.375], HAND, "WSM sum, all-zero column");
    let p = weighted_product(x.view(), &[0.5, 0.5], &[Higher, Higher], labels(&u, &c)).unwrap();
    assert_all_close(&p, &[(0.5f64 * 0.25).sqrt(), (0.5f64 * 0.75).sqrt()], HAND, "WPM, all-zero column");
}

#[test]
fn one_unit_is_defined() {
    // m = 1: every column is constant. min_max r = 1, sum r = 1: WSM P = Σw = 1; WPM P = 1.
    let (u, c) = (names("A", 1), names("c", 3));
    let x = from_rows(&[[5.0, 8.0, 4.0]]).unwrap();
    for normalization in [MIN_MAX, SUM] {
        let p = weighted_sum(x.view(), &HAND_W, &HAND_DIRS, normalization, labels(&u, &c)).unwrap();
        assert_all_close(&p, &[1.0], EXACT, &format!("WSM {normalization:?}, one unit"));
    }
    let p = weighted_product(x.view(), &HAND_W, &HAND_DIRS, labels(&u, &c)).unwrap();
    assert_all_close(&p, &[1.0], EXACT, "WPM, one unit");
}

#[test]
fn no_units() {
    let (u, c) = (names("A", 0), names("c", 2));
    let x = from_columns(0, 2, Vec::new()).unwrap();
    for normalization in [MIN_MAX, SUM] {
        assert!(weighted_sum(x.view(), &[0.5, 0.5], &[Higher, Lower], normalization, labels(&u, &c))
            .unwrap()
            .is_empty());
    }
    assert!(weighted_product(x.view(), &[0.5, 0.5], &[Higher, Lower], labels(&u, &c)).unwrap().is_empty());
}

#[test]
fn a_missing_cell_is_an_error_naming_the_unit_and_column() {
    let u = vec!["沈阳市".to_string(), "大连市".to_string(), "鞍山市".to_string()];
    let c = vec!["gdp".to_string(), "so2".to_string()];
    let x = from_rows(&[[2.0, 30.0], [4.0, NAN], [6.0, 20.0]]).unwrap();
    let dirs = [Higher, Lower];
    for normalization in [MIN_MAX, SUM] {
        let err = weighted_sum(x.view(), &[0.5, 0.5], &dirs, normalization, labels(&u, &c)).expect_err("NaN");
        assert!(err.to_string().contains("impute"), "{err}");
        assert_eq!(method_error(err), ("weighted_sum", Some("大连市".into()), Some("so2".into())));
    }
    let err = weighted_product(x.view(), &[0.5, 0.5], &dirs, labels(&u, &c)).expect_err("NaN");
    assert_eq!(method_error(err), ("weighted_product", Some("大连市".into()), Some("so2".into())));
}

#[test]
fn a_zero_in_the_weighted_product_is_an_error_unless_its_weight_is_zero() {
    // x = 0 in a higher column: r = 0 and 0^w = 0 would veto the unit. Refused, naming the cell.
    let u = vec!["沈阳市".to_string(), "大连市".to_string()];
    let c = vec!["parks".to_string(), "gdp".to_string()];
    let x = from_rows(&[[3.0, 1.0], [0.0, 3.0]]).unwrap();
    let err = weighted_product(x.view(), &[0.5, 0.5], &[Higher, Higher], labels(&u, &c)).expect_err("zero");
    assert!(err.to_string().contains("weighted_sum"), "the message suggests a way out: {err}");
    assert_eq!(method_error(err), ("weighted_product", Some("大连市".into()), Some("parks".into())));
    // With weight 0 the column contributes 0^0 = 1: P = r_gdp = [1/4, 3/4].
    let p = weighted_product(x.view(), &[0.0, 1.0], &[Higher, Higher], labels(&u, &c)).unwrap();
    assert_all_close(&p, &[0.25, 0.75], HAND, "zero-weight column");
    // WSM takes the zero (min-max maps it to 0 anyway).
    assert!(weighted_sum(x.view(), &[0.5, 0.5], &[Higher, Higher], SUM, labels(&u, &c)).is_ok());
}

#[test]
fn sum_normalisation_domain() {
    let (u, c) = (names("A", 2), names("c", 2));
    // A negative value: refused under sum (WSM and WPM), fine under min-max.
    let negative = from_rows(&[[-1.0, 2.0], [3.0, 4.0]]).unwrap();
    let err = weighted_sum(negative.view(), &[0.5, 0.5], &[Higher, Higher], SUM, labels(&u, &c)).expect_err("x < 0");
    assert_eq!(method_error(err), ("weighted_sum", Some("A1".into()), Some("c1".into())));
    let err = weighted_product(negative.view(), &[0.5, 0.5], &[Higher, Higher], labels(&u, &c)).expect_err("x < 0");
    assert_eq!(method_error(err), ("weighted_product", Some("A1".into()), Some("c1".into())));
    let p = weighted_sum(negative.view(), &[0.5, 0.5], &[Higher, Higher], MIN_MAX, labels(&u, &c)).unwrap();
    assert_all_close(&p, &[0.0, 1.0], HAND, "min-max takes negative values");
    // A zero in a lower column: 1/x.
    let zero = from_rows(&[[1.0, 0.0], [3.0, 4.0]]).unwrap();
    let err = weighted_sum(zero.view(), &[0.5, 0.5], &[Higher, Lower], SUM, labels(&u, &c)).expect_err("1/0");
    assert_eq!(method_error(err), ("weighted_sum", Some("A1".into()), Some("c2".into())));
    let err = weighted_product(zero.view(), &[0.5, 0.5], &[Higher, Lower], labels(&u, &c)).expect_err("1/0");
    assert_eq!(method_error(err), ("weighted_product", Some("A1".into()), Some("c2".into())));
}

#[test]
fn band_and_target_directions() {
    // Band [4, 6] on x = [1, 5, 9]: o(x) = −dist = [−3, 0, −3], min-max r = [0, 1, 0]; with one
    // column and w = [1], P = r. Sum normalisation (WSM sum, WPM) has no ratio form for a band:
    // an error naming the column, not a unit.
    let (u, c) = (names("A", 3), vec!["density".to_string()]);
    let x = from_rows(&[[1.0], [5.0], [9.0]]).unwrap();
    for direction in [Direction::Band([4.0, 6.0]), Direction::Target(5.0)] {
        let p = weighted_sum(x.view(), &[1.0], &[direction], MIN_MAX, labels(&u, &c)).unwrap();
        assert_all_close(&p, &[0.0, 1.0, 0.0], HAND, &format!("WSM min_max, {direction:?}"));
        let err = weighted_sum(x.view(), &[1.0], &[direction], SUM, labels(&u, &c)).expect_err("band under sum");
        assert_eq!(method_error(err), ("weighted_sum", None, Some("density".into())));
        let err = weighted_product(x.view(), &[1.0], &[direction], labels(&u, &c)).expect_err("band under WPM");
        assert_eq!(method_error(err), ("weighted_product", None, Some("density".into())));
    }
}

#[test]
fn weights_and_directions_must_fit_the_columns() {
    let (u, c) = (names("A", 3), names("c", 3));
    let x = hand_case();
    let cases: [(&[f64], &[Direction]); 5] = [
        (&[0.5, 0.5], &HAND_DIRS),
        (&HAND_W, &[Higher, Lower]),
        (&[0.5, -0.3, 0.8], &HAND_DIRS),
        (&[0.5, NAN, 0.5], &HAND_DIRS),
        (&[0.0, 0.0, 0.0], &HAND_DIRS),
    ];
    for (w, dirs) in cases {
        for normalization in [MIN_MAX, SUM] {
            let err = weighted_sum(x.view(), w, dirs, normalization, labels(&u, &c)).expect_err("bad weights");
            assert!(matches!(err, Error::Spec(_) | Error::Shape(_)), "WSM w = {w:?}, directions = {dirs:?}: {err:?}");
        }
        let err = weighted_product(x.view(), w, dirs, labels(&u, &c)).expect_err("bad weights");
        assert!(matches!(err, Error::Spec(_) | Error::Shape(_)), "WPM w = {w:?}, directions = {dirs:?}: {err:?}");
    }
}

#[test]
fn normalization_names() {
    // The names of Python keywords and run specs.
    assert_eq!(serde_json::to_string(&MIN_MAX).unwrap(), "\"min_max\"");
    assert_eq!(serde_json::from_str::<WeightedSumNormalization>("\"sum\"").unwrap(), SUM);
}
