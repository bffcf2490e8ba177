//! Normalisation methods (METHODS.md §3), fitted and applied on small columns whose results
//! are worked out by hand in the comments, plus peer values from pymcdm and the TOPSIS
//! textbook example.

use citycheck::catalog::Indicator;
use citycheck::kernels::rank::average_rank_ascending;
use citycheck::normalize::{Normalize, Params};
use citycheck::{Catalog, Error};

use crate::prec::{assert_all_close, assert_close, EXACT, HAND, PUBLISHED_8DP};

const NAN: f64 = f64::NAN;

/// One indicator per direction, with goalposts and standards where a method needs them.
const CATALOG: &str = r#"
[catalog]
id = "normalize-test"
name = "标准化手算"
version = "1"

[[groups]]
id = "g"
name_zh = "测试组"
name_en = "Test group"

[[indicators]]
id = "up"
name_zh = "正向指标"
name_en = "Higher is better"
group = "g"
unit = "%"
direction = "higher"
goalposts = [0, 50]
[indicators.standard]
value = 40

[[indicators]]
id = "down"
name_zh = "负向指标"
name_en = "Lower is better"
group = "g"
unit = "t"
direction = "lower"
goalposts = [0, 50]
[indicators.standard]
value = 10

[[indicators]]
id = "mid"
name_zh = "区间型指标"
name_en = "Best inside [40, 60]"
group = "g"
unit = "%"
direction = { band = [40, 60] }
goalposts = [0, 100]

[[indicators]]
id = "communities"
name_zh = "完整居住社区数量"
name_en = "Complete residential communities"
group = "g"
unit = "个"
direction = "higher"
[indicators.standard]
value = 5
by_unit = { "沈阳市" = 20 }

[[indicators]]
id = "bare"
name_zh = "无目标值指标"
name_en = "No goalposts, no standard"
group = "g"
unit = "index"
direction = "higher"
"#;

fn catalog() -> Catalog {
    Catalog::from_toml(CATALOG, "normalize-test.toml").expect("test catalogue is valid")
}

/// Fits `method` on `xs` and applies it to every value of `xs` (unit "测试市").
fn fit_apply(method: &Normalize, ind: &Indicator, xs: &[f64]) -> (Params, Vec<f64>, Vec<String>) {
    let mut warnings = Vec::new();
    let params = method.fit(&ind.criterion(), xs, &mut warnings).expect("fit");
    let out = xs.iter().map(|&x| method.apply(&ind.criterion(), &params, "测试市", x).expect("apply")).collect();
    (params, out, warnings)
}

fn min_max(lo: f64, hi: f64) -> Normalize {
    Normalize::MinMax { lo, hi }
}

// ---------------------------------------------------------------- min_max

#[test]
fn min_max_higher() {
    // x = [10, 20, 40, NaN]: min 10, max 40, r = (x − 10)/30 → [0, 1/3, 1, NaN], × 100.
    let c = catalog();
    let up = c.indicator("up").unwrap();
    let (params, out, warnings) = fit_apply(&min_max(0.0, 100.0), up, &[10.0, 20.0, 40.0, NAN]);
    assert_eq!(params, Params::Bounds { min: 10.0, max: 40.0 });
    assert_all_close(&out, &[0.0, 100.0 / 3.0, 100.0, NAN], HAND, "min_max higher");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn min_max_lower() {
    // Lower: o(x) = −x, o = [−10, −20, −40]: min −40, max −10;
    // r = (o + 40)/30 = (40 − x)/30 → x=10: 1, x=20: 2/3, x=40: 0.
    let c = catalog();
    let down = c.indicator("down").unwrap();
    let (params, out, _) = fit_apply(&min_max(0.0, 100.0), down, &[10.0, 20.0, 40.0]);
    assert_eq!(params, Params::Bounds { min: -40.0, max: -10.0 });
    assert_all_close(&out, &[100.0, 200.0 / 3.0, 0.0], HAND, "min_max lower");
}

#[test]
fn min_max_scale_lo_hi() {
    // Same higher column on [lo, hi] = [1, 5]: s = 1 + 4r → [1, 1 + 4/3, 5].
    let c = catalog();
    let up = c.indicator("up").unwrap();
    let (_, out, _) = fit_apply(&min_max(1.0, 5.0), up, &[10.0, 20.0, 40.0]);
    assert_all_close(&out, &[1.0, 1.0 + 4.0 / 3.0, 5.0], HAND, "min_max on [1, 5]");
    assert_eq!(min_max(1.0, 5.0).scale(), Some((1.0, 5.0)));
}

#[test]
fn min_max_constant_column_scores_hi_with_a_warning() {
    // METHODS.md §3: constant column → every r = hi, with a warning (never NaN).
    let c = catalog();
    let up = c.indicator("up").unwrap();
    let (params, out, warnings) = fit_apply(&min_max(0.0, 100.0), up, &[7.0, 7.0, NAN, 7.0]);
    assert_eq!(params, Params::Bounds { min: 7.0, max: 7.0 });
    assert_all_close(&out, &[100.0, 100.0, NAN, 100.0], EXACT, "constant column");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("'up'") && warnings[0].contains("constant"), "{}", warnings[0]);

    let (_, out, _) = fit_apply(&min_max(1.0, 5.0), up, &[7.0, 7.0]);
    assert_all_close(&out, &[5.0, 5.0], EXACT, "constant column on [1, 5] scores hi = 5");
}

#[test]
fn all_missing_column_fits_empty_and_stays_missing() {
    let c = catalog();
    let up = c.indicator("up").unwrap();
    let (params, out, _) = fit_apply(&min_max(0.0, 100.0), up, &[NAN, NAN]);
    assert_eq!(params, Params::Empty);
    assert!(out.iter().all(|v| v.is_nan()), "{out:?}");
}

#[test]
fn min_max_matches_pymcdm() {
    // pymcdm 1.4.0 TestMinmaxNormalization (vectors/pymcdm_tests.json, round_decimals 8, a
    // regression value of an independent implementation): types [−1, −1, 1], output the
    // normalised matrix row-major with cost columns inverted, on [0, 1].
    let (out, expected) = pymcdm_case(
        &min_max(0.0, 1.0),
        &[
            0.85294118, 0.1875, 0.0, 1.0, 0.25, 0.85542169, 0.88235294, 0.625, 0.21686747, 0.0, 0.1875, 0.04819277,
            0.94117647, 1.0, 1.0, 0.61764706, 0.0, 0.54216867,
        ],
    );
    assert_all_close(&out, &expected, PUBLISHED_8DP, "pymcdm min-max");
}

// ---------------------------------------------------------------- goalposts

#[test]
fn goalposts_higher_and_lower_clip_to_the_bounds() {
    // up, [L, U] = [0, 50]: r = x/50 clipped → 25: 0.5, 60: 1 (clipped), −10: 0 (clipped), 50: 1.
    // down, [0, 50]: r = (50 − x)/50 → 10: 0.8, 60: 0 (clipped), 0: 1.
    let c = catalog();
    let method = Normalize::Goalposts { lo: 0.0, hi: 100.0 };
    let (params, out, _) = fit_apply(&method, c.indicator("up").unwrap(), &[25.0, 60.0, -10.0, 50.0]);
    assert_eq!(params, Params::Goalposts { lower: 0.0, upper: 50.0 });
    assert_all_close(&out, &[50.0, 100.0, 0.0, 100.0], HAND, "goalposts higher");
    let (_, out, _) = fit_apply(&method, c.indicator("down").unwrap(), &[10.0, 60.0, 0.0]);
    assert_all_close(&out, &[80.0, 0.0, 100.0], HAND, "goalposts lower");
}

#[test]
fn goalposts_do_not_depend_on_the_data() {
    // Fixed bounds: the same value scores the same whatever else is in the column.
    let c = catalog();
    let up = c.indicator("up").unwrap();
    let method = Normalize::Goalposts { lo: 0.0, hi: 100.0 };
    let (_, a, _) = fit_apply(&method, up, &[25.0, 1.0]);
    let (_, b, _) = fit_apply(&method, up, &[25.0, 1000.0]);
    assert_eq!(a[0], b[0]);
    // Even an all-missing column has goalposts to apply.
    let mut w = Vec::new();
    assert_eq!(method.fit(&up.criterion(), &[NAN], &mut w).unwrap(), Params::Goalposts { lower: 0.0, upper: 50.0 });
}

#[test]
fn goalposts_band_indicator() {
    // mid: band [a, b] = [40, 60], goalposts [0, 100]: spread = max(a − L, U − b) = max(40, 40) = 40.
    // 20: 1 − 20/40 = 0.5; 50: inside → 1; 90: 1 − 30/40 = 0.25; 0: 1 − 40/40 = 0.
    let c = catalog();
    let (_, out, _) =
        fit_apply(&Normalize::Goalposts { lo: 0.0, hi: 100.0 }, c.indicator("mid").unwrap(), &[20.0, 50.0, 90.0, 0.0]);
    assert_all_close(&out, &[50.0, 100.0, 25.0, 0.0], HAND, "goalposts band");
}

#[test]
fn goalposts_without_goalposts_is_a_method_error_naming_the_indicator() {
    let c = catalog();
    let err = Normalize::Goalposts { lo: 0.0, hi: 100.0 }
        .fit(&c.indicator("bare").unwrap().criterion(), &[1.0, 2.0], &mut Vec::new())
        .expect_err("no goalposts in the catalogue");
    assert!(matches!(err, Error::Method { method: "goalposts", .. }), "{err:?}");
    assert!(err.to_string().contains("'bare'"), "{err}");
}

// ---------------------------------------------------------------- band

#[test]
fn band_formula_on_a_band_indicator() {
    // mid, band [40, 60]; x = [20, 45, 70, 90]: min 20, max 90,
    // spread = max(a − min, max − b) = max(20, 30) = 30.
    // 20: 1 − 20/30 = 1/3; 45: inside → 1; 70: 1 − 10/30 = 2/3; 90: 1 − 30/30 = 0.
    let c = catalog();
    let method = Normalize::Band { lo: 0.0, hi: 100.0 };
    let (params, out, _) = fit_apply(&method, c.indicator("mid").unwrap(), &[20.0, 45.0, 70.0, 90.0]);
    assert_eq!(params, Params::RawBounds { min: 20.0, max: 90.0 });
    assert_all_close(&out, &[100.0 / 3.0, 100.0, 200.0 / 3.0, 0.0], HAND, "band");
}

#[test]
fn band_on_a_higher_indicator_is_min_max() {
    let c = catalog();
    let (params, out, _) =
        fit_apply(&Normalize::Band { lo: 0.0, hi: 100.0 }, c.indicator("up").unwrap(), &[10.0, 20.0, 40.0]);
    assert_eq!(params, Params::Bounds { min: 10.0, max: 40.0 });
    assert_all_close(&out, &[0.0, 100.0 / 3.0, 100.0], HAND, "band falls back to min_max");
}

// ---------------------------------------------------------------- target

#[test]
fn target_higher_is_min_x_over_t() {
    // up, T = 40: min(x/40, 1) → 30: 0.75, 40: 1, 50: 1 (capped), 0: 0.
    let c = catalog();
    let (params, out, _) =
        fit_apply(&Normalize::Target { lo: 0.0, hi: 100.0 }, c.indicator("up").unwrap(), &[30.0, 40.0, 50.0, 0.0]);
    assert_eq!(params, Params::Target { value: Some(40.0) });
    assert_all_close(&out, &[75.0, 100.0, 100.0, 0.0], HAND, "target higher");
}

#[test]
fn target_lower_is_min_t_over_x_and_zero_scores_one() {
    // down, T = 10: min(10/x, 1) → 20: 0.5, 10: 1, 5: 1 (capped), 0: 1 (x = 0 → 1).
    let c = catalog();
    let (_, out, _) =
        fit_apply(&Normalize::Target { lo: 0.0, hi: 100.0 }, c.indicator("down").unwrap(), &[20.0, 10.0, 5.0, 0.0]);
    assert_all_close(&out, &[50.0, 100.0, 100.0, 100.0], HAND, "target lower");
}

#[test]
fn target_uses_the_per_unit_standard() {
    // communities: standard 5, by_unit 沈阳市 = 20 (as liaoning-pilot-2025's 完整居住社区).
    // 沈阳市 with 10: 10/20 = 0.5; 鞍山市 with 10: min(10/5, 1) = 1; 鞍山市 with 4: 0.8.
    let c = catalog();
    let ind = c.indicator("communities").unwrap();
    let method = Normalize::Target { lo: 0.0, hi: 100.0 };
    let params = method.fit(&ind.criterion(), &[10.0, 10.0, 4.0], &mut Vec::new()).unwrap();
    assert_close(method.apply(&ind.criterion(), &params, "沈阳市", 10.0).unwrap(), 50.0, HAND, "沈阳市 (standard 20)");
    assert_close(method.apply(&ind.criterion(), &params, "鞍山市", 10.0).unwrap(), 100.0, HAND, "鞍山市 (standard 5)");
    assert_close(method.apply(&ind.criterion(), &params, "鞍山市", 4.0).unwrap(), 80.0, HAND, "鞍山市 (standard 5)");
}

#[test]
fn target_errors() {
    let c = catalog();
    let method = Normalize::Target { lo: 0.0, hi: 100.0 };
    // No standard in the catalogue.
    let err = method.fit(&c.indicator("bare").unwrap().criterion(), &[1.0], &mut Vec::new()).expect_err("no standard");
    assert!(matches!(err, Error::Method { method: "target", .. }), "{err:?}");
    assert!(err.to_string().contains("'bare'"), "{err}");
    // A negative value cannot attain a standard: the error names unit and indicator.
    let up = c.indicator("up").unwrap();
    let params = method.fit(&up.criterion(), &[1.0], &mut Vec::new()).unwrap();
    let err = method.apply(&up.criterion(), &params, "鞍山市", -3.0).expect_err("negative value");
    let text = err.to_string();
    assert!(text.contains("鞍山市") && text.contains("'up'") && text.contains("-3"), "{text}");
}

// ---------------------------------------------------------------- z_score

#[test]
fn z_score_uses_sample_sd() {
    // x = [1, 2, 3, 6]: mean 3, deviations [−2, −1, 0, 3], Σd² = 14,
    // sd (ddof = 1) = √(14/3) = 2.160246899469287 (ddof = 0 would give √3.5 = 1.8708).
    // z = [−2, −1, 0, 3]/sd = [−0.9258200997725514, −0.4629100498862757, 0, 1.3887301496588271].
    let c = catalog();
    let sd = (14.0f64 / 3.0).sqrt();
    let (params, out, _) = fit_apply(&Normalize::ZScore, c.indicator("up").unwrap(), &[1.0, 2.0, 3.0, 6.0]);
    let Params::Moments { mean, sd: fitted_sd } = params else { panic!("expected moments, got {params:?}") };
    assert_close(mean, 3.0, EXACT, "mean");
    assert_close(fitted_sd, sd, EXACT, "sd with ddof = 1");
    assert_all_close(&out, &[-2.0 / sd, -1.0 / sd, 0.0, 3.0 / sd], HAND, "z higher");
    // Lower: o = −x, mean −3, same sd: z(1) = (−1 + 3)/sd = +2/sd.
    let (_, out, _) = fit_apply(&Normalize::ZScore, c.indicator("down").unwrap(), &[1.0, 2.0, 3.0, 6.0]);
    assert_all_close(&out, &[2.0 / sd, 1.0 / sd, 0.0, -3.0 / sd], HAND, "z lower");
    assert_eq!(Normalize::ZScore.scale(), None, "z-scores are not mapped onto [lo, hi]");
}

/// A missing value of a band indicator is missing, not "inside the band": before, o(NaN) was
/// −0 and counted in the mean and sd.
#[test]
fn z_score_of_a_band_indicator_leaves_missing_cells_out() {
    // mid: best inside [40, 60]. x = [30, 50, 80, NaN]: o = [−10, 0, −20] over the three
    // present values: mean −10, deviations [0, 10, −10], sd (ddof = 1) = √(200/2) = 10.
    let c = catalog();
    let (params, out, _) = fit_apply(&Normalize::ZScore, c.indicator("mid").unwrap(), &[30.0, 50.0, 80.0, f64::NAN]);
    assert_eq!(params, Params::Moments { mean: -10.0, sd: 10.0 });
    assert_all_close(&out[..3], &[0.0, 1.0, -1.0], EXACT, "z of the band distances");
    assert!(out[3].is_nan(), "the missing cell stays missing");
    assert!(citycheck::direction::orient(citycheck::direction::Direction::Band([40.0, 60.0]), f64::NAN).is_nan());
}

#[test]
fn z_score_constant_column_is_zero_with_a_warning() {
    let c = catalog();
    let (_, out, warnings) = fit_apply(&Normalize::ZScore, c.indicator("up").unwrap(), &[5.0, 5.0, 5.0]);
    assert_all_close(&out, &[0.0, 0.0, 0.0], EXACT, "constant z");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

// ---------------------------------------------------------------- rank, percentile

#[test]
fn rank_gives_average_ranks_to_ties() {
    // x = [10, 20, 20, 30] higher: ascending ranks 1, (2 + 3)/2 = 2.5, 2.5, 4 (1 = worst).
    // Lower: the order flips: 10 is best → 4, 30 → 1, ties still 2.5.
    let c = catalog();
    let xs = [10.0, 20.0, 20.0, 30.0];
    let (_, out, _) = fit_apply(&Normalize::Rank, c.indicator("up").unwrap(), &xs);
    assert_all_close(&out, &[1.0, 2.5, 2.5, 4.0], EXACT, "rank higher");
    assert_all_close(&average_rank_ascending(&xs), &[1.0, 2.5, 2.5, 4.0], EXACT, "kernel average ranks");
    let (_, out, _) = fit_apply(&Normalize::Rank, c.indicator("down").unwrap(), &xs);
    assert_all_close(&out, &[4.0, 2.5, 2.5, 1.0], EXACT, "rank lower");
    assert_eq!(Normalize::Rank.scale(), None);
}

#[test]
fn percentile_is_rank_minus_one_over_m_minus_one() {
    // Ranks [1, 2.5, 2.5, 4], m = 4: (rank − 1)/3 = [0, 0.5, 0.5, 1] → × 100.
    let c = catalog();
    let (_, out, _) =
        fit_apply(&Normalize::Percentile { lo: 0.0, hi: 100.0 }, c.indicator("up").unwrap(), &[10.0, 20.0, 20.0, 30.0]);
    assert_all_close(&out, &[0.0, 50.0, 50.0, 100.0], HAND, "percentile");
    // On [lo, hi] = [1, 5]: 1 + 4·[0, 0.5, 0.5, 1].
    let (_, out, _) =
        fit_apply(&Normalize::Percentile { lo: 1.0, hi: 5.0 }, c.indicator("up").unwrap(), &[10.0, 20.0, 20.0, 30.0]);
    assert_all_close(&out, &[1.0, 3.0, 3.0, 5.0], HAND, "percentile on [1, 5]");
}

#[test]
fn percentile_of_a_single_value_is_one_with_a_warning() {
    let c = catalog();
    let (_, out, warnings) =
        fit_apply(&Normalize::Percentile { lo: 0.0, hi: 100.0 }, c.indicator("up").unwrap(), &[42.0, NAN]);
    assert_all_close(&out, &[100.0, NAN], EXACT, "single-value percentile");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

// ---------------------------------------------------------------- vector, sum

#[test]
fn vector_tzeng_huang_first_column() {
    // Tzeng & Huang (2011), TOPSIS example (METHODS.md §5; vectors/skcriteria_paper_cases.json):
    // criterion 1 = [5, 7, 8, 7]; √(25 + 49 + 64 + 49) = √187 = 13.674794331177344;
    // r = [5, 7, 8, 7]/√187 = [0.36563621, 0.51189070, 0.58501794, 0.51189070].
    let c = catalog();
    let (params, out, _) = fit_apply(&Normalize::Vector, c.indicator("up").unwrap(), &[5.0, 7.0, 8.0, 7.0]);
    let Params::Norm { norm } = params else { panic!("expected a norm, got {params:?}") };
    assert_close(norm, 187f64.sqrt(), EXACT, "√Σx²");
    assert_all_close(&out, &[0.36563621, 0.51189070, 0.58501794, 0.51189070], PUBLISHED_8DP, "vector benefit");
    // Cost convention (pymcdm): 1 − x/√Σx².
    let (_, out, _) = fit_apply(&Normalize::Vector, c.indicator("down").unwrap(), &[5.0, 7.0, 8.0, 7.0]);
    assert_all_close(
        &out,
        &[1.0 - 0.36563621, 1.0 - 0.51189070, 1.0 - 0.58501794, 1.0 - 0.51189070],
        PUBLISHED_8DP,
        "vector cost",
    );
    assert_eq!(Normalize::Vector.scale(), None, "vector is not mapped onto [lo, hi]");
}

#[test]
fn vector_matches_pymcdm() {
    // pymcdm 1.4.0 TestVectorNormalization (vectors/pymcdm_tests.json, round_decimals 8).
    let (out, expected) = pymcdm_case(
        &Normalize::Vector,
        &[
            0.62375904, 0.57085288, 0.28587109, 0.65226214, 0.57851622, 0.49952212, 0.62945966, 0.62449627, 0.34003614,
            0.45844104, 0.57085288, 0.29790777, 0.6408609, 0.67047632, 0.53563215, 0.57815408, 0.54786285, 0.42128371,
        ],
    );
    assert_all_close(&out, &expected, PUBLISHED_8DP, "pymcdm vector");
}

#[test]
fn sum_benefit_and_cost() {
    // Benefit x = [1, 3, 4, 2]: Σx = 10 → [0.1, 0.3, 0.4, 0.2].
    // Cost: 1/x = [1, 1/3, 1/4, 1/2], Σ = 25/12 → (1/x)·12/25 = [0.48, 0.16, 0.12, 0.24].
    let c = catalog();
    let xs = [1.0, 3.0, 4.0, 2.0];
    let (_, out, _) = fit_apply(&Normalize::Sum, c.indicator("up").unwrap(), &xs);
    assert_all_close(&out, &[0.1, 0.3, 0.4, 0.2], HAND, "sum benefit");
    let (_, out, _) = fit_apply(&Normalize::Sum, c.indicator("down").unwrap(), &xs);
    assert_all_close(&out, &[0.48, 0.16, 0.12, 0.24], HAND, "sum cost");
}

#[test]
fn sum_matches_pymcdm() {
    // pymcdm 1.4.0 TestSumNormalization (vectors/pymcdm_tests.json, round_decimals 8).
    let (out, expected) = pymcdm_case(
        &Normalize::Sum,
        &[
            0.17447136, 0.155945, 0.12010114, 0.1887723, 0.15878037, 0.20986094, 0.17715554, 0.17822286, 0.14285714,
            0.12121168, 0.155945, 0.12515803, 0.18277952, 0.20309117, 0.22503161, 0.15560959, 0.1480156, 0.17699115,
        ],
    );
    assert_all_close(&out, &expected, PUBLISHED_8DP, "pymcdm sum");
}

#[test]
fn sum_and_vector_refuse_what_they_cannot_score() {
    let c = catalog();
    let mut w = Vec::new();
    let err = Normalize::Sum
        .fit(&c.indicator("up").unwrap().criterion(), &[1.0, -2.0], &mut w)
        .expect_err("negative under sum");
    assert!(matches!(err, Error::Method { method: "sum", .. }), "{err:?}");
    let err = Normalize::Sum
        .fit(&c.indicator("down").unwrap().criterion(), &[0.0, 2.0], &mut w)
        .expect_err("1/0 under cost sum");
    assert!(err.to_string().contains("> 0"), "{err}");
    let err = Normalize::Vector
        .fit(&c.indicator("mid").unwrap().criterion(), &[1.0, 2.0], &mut w)
        .expect_err("band under vector");
    assert!(matches!(err, Error::Method { method: "vector", .. }), "{err:?}");
}

/// The 6 × 3 matrix of pymcdm's normalisation tests, types [−1, −1, 1]: normalises each
/// column with the `down`, `down`, `up` indicators and returns (row-major output, expected).
fn pymcdm_case(method: &Normalize, expected: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let matrix: [[f64; 3]; 6] = [
        [66.0, 56.0, 95.0],
        [61.0, 55.0, 166.0],
        [65.0, 49.0, 113.0],
        [95.0, 56.0, 99.0],
        [63.0, 43.0, 178.0],
        [74.0, 59.0, 140.0],
    ];
    let c = catalog();
    let inds = [c.indicator("down").unwrap(), c.indicator("down").unwrap(), c.indicator("up").unwrap()];
    let mut out = vec![0.0; 18];
    for (j, ind) in inds.iter().enumerate() {
        let column: Vec<f64> = matrix.iter().map(|row| row[j]).collect();
        let (_, scored, _) = fit_apply(method, ind, &column);
        for (i, v) in scored.into_iter().enumerate() {
            out[i * 3 + j] = v;
        }
    }
    (out, expected.to_vec())
}

#[test]
fn bounded_methods_map_onto_lo_hi() {
    // Every bounded method maps its [0, 1] result r onto [lo, hi] = [1, 5]: s = 1 + 4r.
    //   goalposts up [0, 50], x = 25: r = 0.5 → 3
    //   target up T = 40, x = 30:     r = 0.75 → 4
    //   band mid [40, 60], x = [20, 45, 70, 90]: r = [1/3, 1, 2/3, 0] → [7/3, 5, 11/3, 1]
    let c = catalog();
    let up = c.indicator("up").unwrap();
    let (_, out, _) = fit_apply(&Normalize::Goalposts { lo: 1.0, hi: 5.0 }, up, &[25.0]);
    assert_all_close(&out, &[3.0], HAND, "goalposts on [1, 5]");
    let (_, out, _) = fit_apply(&Normalize::Target { lo: 1.0, hi: 5.0 }, up, &[30.0]);
    assert_all_close(&out, &[4.0], HAND, "target on [1, 5]");
    let (_, out, _) =
        fit_apply(&Normalize::Band { lo: 1.0, hi: 5.0 }, c.indicator("mid").unwrap(), &[20.0, 45.0, 70.0, 90.0]);
    assert_all_close(&out, &[7.0 / 3.0, 5.0, 11.0 / 3.0, 1.0], HAND, "band on [1, 5]");
    // Unbounded methods have no scale.
    for method in [Normalize::ZScore, Normalize::Rank, Normalize::Vector, Normalize::Sum] {
        assert_eq!(method.scale(), None, "{}", method.name());
    }
}

// ---------------------------------------------------------------- names and checks

#[test]
fn method_names_and_scale_checks() {
    assert_eq!("min_max".parse::<Normalize>().unwrap(), Normalize::MinMax { lo: 0.0, hi: 100.0 });
    assert_eq!("goalposts".parse::<Normalize>().unwrap(), Normalize::Goalposts { lo: 0.0, hi: 100.0 });
    assert_eq!("z_score".parse::<Normalize>().unwrap(), Normalize::ZScore);
    for name in Normalize::NAMES {
        assert_eq!(name.parse::<Normalize>().unwrap().name(), *name);
    }
    let err = "minmax".parse::<Normalize>().expect_err("unknown name");
    assert!(
        matches!(&err, Error::UnknownName { message, suggestion, .. } if message.contains("min_max") && suggestion.as_deref() == Some("min_max")),
        "the message lists the known names and suggests the closest: {err}"
    );
    assert!(matches!(min_max(5.0, 1.0).check(), Err(Error::Spec(_))), "lo >= hi is refused");
    assert!(min_max(1.0, 5.0).check().is_ok());
}

/// METHODS.md §3: a count indicator with target 0 scores max(0, 1 − count/denominator). With
/// a denominator the run has already divided (x = count/denominator): 0.25 → 0.75; 0 → 1; a
/// count above the denominator → 0. Without one, any count above 0 scores 0.
#[test]
fn target_zero_count_with_a_denominator() {
    let toml = r#"
[catalog]
id = "counts"
name = "counts"
version = "1"
[[groups]]
id = "g"
name_zh = "组"
name_en = "g"
[[indicators]]
id = "hazards"
name_zh = "隐患住宅数量"
name_en = "Hazardous buildings"
group = "g"
unit = "栋"
direction = "lower"
denominator = "buildings"
[indicators.standard]
value = 0
[[indicators]]
id = "plain"
name_zh = "隐患数量"
name_en = "Hazards"
group = "g"
unit = "count"
direction = "lower"
[indicators.standard]
value = 0
[[indicators]]
id = "buildings"
name_zh = "住宅数量"
name_en = "Buildings surveyed"
unit = "栋"
"#;
    let catalog = citycheck::Catalog::from_toml(toml, "counts").unwrap();
    let method = citycheck::normalize::Normalize::Target { lo: 0.0, hi: 1.0 };
    let with = catalog.indicator("hazards").unwrap();
    let params = method.fit(&with.criterion(), &[0.25], &mut Vec::new()).unwrap();
    for (x, expected) in [(0.25, 0.75), (0.0, 1.0), (1.5, 0.0)] {
        assert_eq!(method.apply(&with.criterion(), &params, "u", x).unwrap(), expected, "x = {x}");
    }
    let without = catalog.indicator("plain").unwrap();
    let params = method.fit(&without.criterion(), &[3.0], &mut Vec::new()).unwrap();
    assert_eq!(method.apply(&without.criterion(), &params, "u", 3.0).unwrap(), 0.0);
    assert_eq!(method.apply(&without.criterion(), &params, "u", 0.0).unwrap(), 1.0);
}
