//! Data envelopment analysis and the Malmquist index (METHODS §12).
//!
//! Reference values: Cooper, Seiford & Tone, *Data Envelopment Analysis* (2nd ed., 2007),
//! Example 3.2 (six stores, two inputs, one output = 1) and a one-input one-output example in
//! the spirit of their Table 1.1, each worked out by hand below; Tone (2001)'s SBM example with
//! its printed scores; Tone (2003)'s example of undesirable outputs, worked out by hand; the
//! Malmquist example of Coelli's DEAP 2.1 guide (1996) with its printed indices; random data
//! cross-checked with scipy.optimize.linprog (HiGHS) and pasted as literals (the script is
//! described in the test; scripts/peers/dea_scipy.py is the peer written since).

use citycheck::efficiency::{
    dea, malmquist, malmquist_dataframe, malmquist_pairs, malmquist_with, DeaData, DeaOptions, MalmquistOptions, Model,
    Orientation, ReturnsToScale, Status, UnitEfficiency, MALMQUIST_COLUMNS,
};
use citycheck::kernels::{from_rows, Array2};
use citycheck::Error;

use crate::prec::{assert_close, LP, PUBLISHED_3DP};

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|k| format!("{prefix}{}", k + 1)).collect()
}

struct Owned {
    units: Vec<String>,
    inputs: Vec<String>,
    outputs: Vec<String>,
    undesirable: Vec<String>,
    x: Array2<f64>,
    y: Array2<f64>,
}

impl Owned {
    fn new(units: &[&str], x: &[Vec<f64>], y: &[Vec<f64>]) -> Owned {
        let x = from_rows(x).unwrap();
        let y = from_rows(y).unwrap();
        Owned {
            units: units.iter().map(|s| s.to_string()).collect(),
            inputs: names("x", x.ncols()),
            outputs: names("y", y.ncols()),
            undesirable: Vec::new(),
            x,
            y,
        }
    }
    fn data(&self) -> DeaData<'_> {
        DeaData {
            units: &self.units,
            inputs: &self.inputs,
            outputs: &self.outputs,
            undesirable: &self.undesirable,
            x: self.x.view(),
            y: self.y.view(),
        }
    }
}

fn options(model: Model, orientation: Orientation, super_efficiency: bool) -> DeaOptions {
    DeaOptions { model, orientation, super_efficiency, ..DeaOptions::default() }
}

fn scores(results: &[UnitEfficiency]) -> Vec<Option<f64>> {
    results.iter().map(|r| r.score).collect()
}

#[track_caller]
fn assert_scores(actual: &[Option<f64>], expected: &[Option<f64>], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (k, (a, e)) in actual.iter().zip(expected).enumerate() {
        match (a, e) {
            (Some(a), Some(e)) => assert_close(*a, *e, LP, &format!("{what}, unit {}", k + 1)),
            (None, None) => {}
            _ => panic!("{what}, unit {}: expected {e:?}, got {a:?}", k + 1),
        }
    }
}

/// One input (employees), one output (sales), eight branches A–H.
/// CCR: B has the best ratio y/x = 1, so θ_o = (y_o/x_o) / 1 in either orientation:
/// A 1/2, B 1, C 2/3, D 3/4, E 4/5, F 2/5, G 1/2, H 5/8.
/// BCC (input): the variable-returns frontier runs A(2,1) – B(3,3) – E(5,4) – H(8,5); C (3,2)
/// needs x = 2.5 (half A, half B): 2.5/3 = 5/6; D (4,3) is matched by B: 3/4; F (5,2) by 5/6 of
/// the A–B segment at x = 2.5: 1/2; G (6,3) by B: 1/2; A, B, E, H are 1.
/// BCC (output): C reaches y = 3 at x = 3: 2/3; D at x = 4 half B, half E: 3.5, 3/3.5 = 6/7;
/// F at x = 5 (E): 2/4; G at x = 6 (2/3 E + 1/3 H): 13/3, 3/(13/3) = 9/13.
fn branches() -> Owned {
    let x = [2.0, 3.0, 3.0, 4.0, 5.0, 5.0, 6.0, 8.0].map(|v| vec![v]);
    let y = [1.0, 3.0, 2.0, 3.0, 4.0, 2.0, 3.0, 5.0].map(|v| vec![v]);
    Owned::new(&["A", "B", "C", "D", "E", "F", "G", "H"], &x, &y)
}

/// Cooper, Seiford & Tone, Example 3.2: six stores, inputs (employees, floor area), output 1.
/// A = 6/7 with peers D (5/7) and E (2/7); B = 12/19 with peers C and D; C, D, E efficient;
/// F has θ = 1 but an input slack s⁻_1 = 2 (C uses 8 employees where F uses 10): weakly
/// efficient only.
fn stores() -> Owned {
    Owned::new(
        &["A", "B", "C", "D", "E", "F"],
        &[vec![4.0, 3.0], vec![7.0, 3.0], vec![8.0, 1.0], vec![4.0, 2.0], vec![2.0, 4.0], vec![10.0, 1.0]],
        &vec![vec![1.0]; 6],
    )
}

#[test]
fn ccr_and_bcc_of_the_one_input_example() {
    let d = branches();
    let ccr = [0.5, 1.0, 2.0 / 3.0, 0.75, 0.8, 0.4, 0.5, 0.625].map(Some);
    for orientation in [Orientation::Input, Orientation::Output] {
        let r = dea(&d.data(), &options(Model::Ccr, orientation, false)).unwrap();
        assert_scores(&scores(&r.results), &ccr, &format!("ccr {orientation}"));
    }
    let bcc_in = [1.0, 1.0, 5.0 / 6.0, 0.75, 1.0, 0.5, 0.5, 1.0].map(Some);
    let r = dea(&d.data(), &options(Model::Bcc, Orientation::Input, false)).unwrap();
    assert_scores(&scores(&r.results), &bcc_in, "bcc input");
    let bcc_out = [1.0, 1.0, 2.0 / 3.0, 6.0 / 7.0, 1.0, 0.5, 9.0 / 13.0, 1.0].map(Some);
    let r = dea(&d.data(), &options(Model::Bcc, Orientation::Output, false)).unwrap();
    assert_scores(&scores(&r.results), &bcc_out, "bcc output");
    // Output orientation writes φ = 1 / score.
    assert_close(r.results[6].expansion.unwrap(), 13.0 / 9.0, LP, "G's expansion");
}

#[test]
fn scale_efficiency_and_returns_to_scale() {
    // Input orientation: SE = CCR / BCC; Σλ of CCR (all on B, λ_B = y_o / 3) says which side.
    let d = branches();
    let r = dea(&d.data(), &options(Model::Ccr, Orientation::Input, false)).unwrap();
    let se = [0.5, 1.0, 0.8, 1.0, 0.8, 0.8, 1.0, 0.625];
    use ReturnsToScale::*;
    let rts = [Increasing, Constant, Increasing, Constant, Decreasing, Increasing, Constant, Decreasing];
    for (k, u) in r.results.iter().enumerate() {
        assert_close(u.scale_efficiency.unwrap(), se[k], LP, &format!("SE of {}", d.units[k]));
        assert!(u.scale_efficiency.unwrap() <= 1.0);
        assert_eq!(u.returns_to_scale, Some(rts[k]), "RTS of {}", d.units[k]);
    }
    // The same from the BCC side.
    let b = dea(&d.data(), &options(Model::Bcc, Orientation::Input, false)).unwrap();
    for (k, u) in b.results.iter().enumerate() {
        assert_close(u.scale_efficiency.unwrap(), se[k], LP, &format!("SE (bcc) of {}", d.units[k]));
        assert_eq!(u.returns_to_scale, Some(rts[k]));
    }
}

#[test]
fn slacks_peers_and_targets_of_example_3_2() {
    let d = stores();
    let r = dea(&d.data(), &options(Model::Ccr, Orientation::Input, false)).unwrap();
    let expected = [6.0 / 7.0, 12.0 / 19.0, 1.0, 1.0, 1.0, 1.0].map(Some);
    assert_scores(&scores(&r.results), &expected, "ccr input");
    let a = &r.results[0];
    assert_eq!(a.lambdas.iter().map(|(j, _)| *j).collect::<Vec<_>>(), vec![3, 4], "A's peers D, E");
    assert_close(a.lambdas[0].1, 5.0 / 7.0, LP, "λ_D of A");
    assert_close(a.lambdas[1].1, 2.0 / 7.0, LP, "λ_E of A");
    // A's target: θx = (24/7, 18/7), no slack.
    assert_close(a.input_targets[0], 24.0 / 7.0, LP, "A's employees target");
    assert_close(a.input_targets[1], 18.0 / 7.0, LP, "A's area target");
    assert_eq!(a.efficient, Some(false));
    let f = &r.results[5];
    assert_close(f.input_slacks[0], 2.0, LP, "F's employee slack");
    assert_eq!(f.input_slacks[1], 0.0);
    assert_close(f.input_targets[0], 8.0, LP, "F's employees target");
    assert_eq!(f.efficient, Some(false), "F is only weakly efficient");
    assert_eq!(f.lambdas.iter().map(|(j, _)| *j).collect::<Vec<_>>(), vec![2], "F's peer C");
    for (k, u) in r.results.iter().enumerate().take(5).skip(2) {
        assert_eq!(u.efficient, Some(true), "{} is efficient", d.units[k]);
        assert_eq!(u.lambdas.len(), 1);
        assert_eq!(u.lambdas[0].0, k, "an efficient unit is its own peer");
    }
}

#[test]
fn sbm_of_example_3_2() {
    // ρ = 1 − (1/2)(s⁻_1/x_1 + s⁻_2/x_2) (the output 1 has no slack): A projects to D (slack
    // (0, 1)): 1 − (1/2)(1/3) = 5/6; B to D (3, 1): 1 − (1/2)(3/7 + 1/3) = 13/21; F to C (2, 0):
    // 1 − (1/2)(2/10) = 9/10; C, D, E are 1.
    let d = stores();
    let r = dea(&d.data(), &options(Model::Sbm, Orientation::NonOriented, false)).unwrap();
    let expected = [5.0 / 6.0, 13.0 / 21.0, 1.0, 1.0, 1.0, 0.9].map(Some);
    assert_scores(&scores(&r.results), &expected, "sbm");
    // B's optimum is not unique: D with slacks (3, 1) and no output slack gives 13/21, and so
    // does 1.5·D = (6, 3) with input slacks (1, 0) and output slack 0.5:
    // (1 − (1/2)(1/7)) / (1 + 0.5) = (13/14)/(3/2) = 13/21. An interior-point solver may return
    // any point of that optimal face, so the slacks are checked through the ratio they give.
    let b = &r.results[1];
    let x = [7.0, 3.0];
    let rho = (1.0 - 0.5 * (b.input_slacks[0] / x[0] + b.input_slacks[1] / x[1])) / (1.0 + b.output_slacks[0] / 1.0);
    assert_close(rho, 13.0 / 21.0, LP, "B's ratio from its slacks");
    assert!(b.input_slacks.iter().chain(&b.output_slacks).all(|&s| s >= -LP), "slacks are non-negative");
    // SBM ≤ CCR.
    let ccr = dea(&d.data(), &options(Model::Ccr, Orientation::Input, false)).unwrap();
    for (s, c) in r.results.iter().zip(&ccr.results) {
        assert!(s.score.unwrap() <= c.score.unwrap() + LP);
    }
}

/// Twelve units, two inputs, two outputs, drawn with numpy (`default_rng(20)`, integers 5–49);
/// scores from scipy.optimize.linprog (HiGHS) on the same envelopment LPs, to 10 decimals.
fn random() -> Owned {
    let x = [
        [45.0, 17.0],
        [16.0, 25.0],
        [45.0, 10.0],
        [16.0, 28.0],
        [15.0, 23.0],
        [20.0, 8.0],
        [6.0, 9.0],
        [34.0, 49.0],
        [46.0, 36.0],
        [46.0, 25.0],
        [29.0, 33.0],
        [23.0, 17.0],
    ];
    let y = [
        [36.0, 18.0],
        [29.0, 8.0],
        [14.0, 7.0],
        [32.0, 41.0],
        [44.0, 41.0],
        [46.0, 5.0],
        [39.0, 19.0],
        [34.0, 9.0],
        [14.0, 26.0],
        [17.0, 32.0],
        [45.0, 29.0],
        [47.0, 11.0],
    ];
    let units: Vec<String> = names("u", 12);
    let units: Vec<&str> = units.iter().map(String::as_str).collect();
    Owned::new(&units, &x.map(|r| r.to_vec()), &y.map(|r| r.to_vec()))
}

#[test]
fn random_data_agree_with_scipy() {
    let d = random();
    let cases: [(Model, Orientation, bool, [Option<f64>; 12]); 6] = [
        (
            Model::Ccr,
            Orientation::Input,
            false,
            [
                0.5015479876,
                0.2788461538,
                0.3315789474,
                0.8092105263,
                0.8631578947,
                1.0,
                1.0,
                0.1593523647,
                0.3421052632,
                0.6063157895,
                0.4162679426,
                0.5684442001,
            ]
            .map(Some),
        ),
        (
            Model::Bcc,
            Orientation::Input,
            false,
            [
                0.525210084,
                0.375,
                0.8142857143,
                0.9375,
                1.0,
                1.0,
                1.0,
                0.1833333333,
                0.3737373737,
                0.6909090909,
                0.6077586207,
                1.0,
            ]
            .map(Some),
        ),
        (
            Model::Ccr,
            Orientation::Output,
            false,
            [
                0.5015479876,
                0.2788461538,
                0.3315789474,
                0.8092105263,
                0.8631578947,
                1.0,
                1.0,
                0.1593523647,
                0.3421052632,
                0.6063157895,
                0.4162679426,
                0.5684442001,
            ]
            .map(Some),
        ),
        (
            Model::Bcc,
            Orientation::Output,
            false,
            [
                0.7937681542,
                0.6531531532,
                0.3520686963,
                1.0,
                1.0,
                1.0,
                1.0,
                0.7255717256,
                0.6341463415,
                0.7804878049,
                0.9958419958,
                1.0,
            ]
            .map(Some),
        ),
        (
            Model::Bcc,
            Orientation::Input,
            true,
            [
                Some(0.525210084),
                Some(0.375),
                Some(0.8142857143),
                Some(0.9375),
                None,
                Some(2.0),
                Some(2.5185185185),
                Some(0.1833333333),
                Some(0.3737373737),
                Some(0.6909090909),
                Some(0.6077586207),
                None,
            ],
        ),
        (
            Model::Sbm,
            Orientation::NonOriented,
            false,
            [
                0.309854851,
                0.197589803,
                0.1878787879,
                0.4140073791,
                0.5862476565,
                1.0,
                1.0,
                0.1105356887,
                0.1081861413,
                0.1698259209,
                0.3151606701,
                0.3090585836,
            ]
            .map(Some),
        ),
    ];
    for (model, orientation, super_efficiency, expected) in cases {
        let r = dea(&d.data(), &options(model, orientation, super_efficiency)).unwrap();
        assert_scores(&scores(&r.results), &expected, &format!("{model} {orientation} super={super_efficiency}"));
    }
    // The second phase's largest slack sum (CCR input), from the same scipy script.
    let slack_sums = [
        17.83281734,
        6.40705128,
        13.07894737,
        55.39473684,
        40.58947368,
        0.0,
        0.0,
        7.31188752,
        46.89473684,
        66.46947368,
        17.44019139,
        4.02501374,
    ];
    let r = dea(&d.data(), &options(Model::Ccr, Orientation::Input, false)).unwrap();
    for (k, u) in r.results.iter().enumerate() {
        let sum: f64 = u.input_slacks.iter().chain(&u.output_slacks).sum();
        assert_close(sum, slack_sums[k], 1e-5, &format!("slack sum of u{}", k + 1));
    }
}

#[test]
fn bcc_is_at_least_ccr() {
    let d = random();
    for orientation in [Orientation::Input, Orientation::Output] {
        let c = dea(&d.data(), &options(Model::Ccr, orientation, false)).unwrap();
        let b = dea(&d.data(), &options(Model::Bcc, orientation, false)).unwrap();
        for (c, b) in c.results.iter().zip(&b.results) {
            assert!(b.score.unwrap() >= c.score.unwrap() - LP);
            assert!(c.scale_efficiency.unwrap() <= 1.0);
        }
    }
}

#[test]
fn super_efficiency_exceeds_one_only_for_efficient_units() {
    for d in [branches(), stores(), random()] {
        for model in [Model::Ccr, Model::Bcc] {
            let plain = dea(&d.data(), &options(model, Orientation::Input, false)).unwrap();
            let sup = dea(&d.data(), &options(model, Orientation::Input, true)).unwrap();
            for (k, (p, s)) in plain.results.iter().zip(&sup.results).enumerate() {
                assert!(s.lambdas.iter().all(|(j, _)| *j != k), "unit {k} is not its own peer");
                let Some(score) = s.score else { continue };
                if score > 1.0 + LP {
                    assert_close(p.score.unwrap(), 1.0, LP, "a super-efficient unit is efficient");
                } else if p.score.unwrap() < 1.0 - LP {
                    assert_close(score, p.score.unwrap(), LP, "an inefficient unit keeps its score");
                }
            }
        }
    }
    // Example 3.2 under CCR: C 8/7, D 5/4, E 2, F (weakly efficient) 1.
    let r = dea(&stores().data(), &options(Model::Ccr, Orientation::Input, true)).unwrap();
    let expected = [6.0 / 7.0, 12.0 / 19.0, 8.0 / 7.0, 1.25, 2.0, 1.0].map(Some);
    assert_scores(&scores(&r.results), &expected, "ccr super");
    for (k, u) in r.results.iter().enumerate() {
        assert!(u.lambdas.iter().all(|(j, _)| *j != k), "unit {k} is not its own peer");
    }
}

#[test]
fn infeasible_super_efficiency_is_reported() {
    // BCC input, H (the largest output, 5) left out: no convex combination of the others makes
    // 5, so the LP is infeasible: no score, a status and a note.
    let r = dea(&branches().data(), &options(Model::Bcc, Orientation::Input, true)).unwrap();
    let h = &r.results[7];
    assert_eq!(h.score, None);
    assert_eq!(h.status, Status::Infeasible);
    assert!(h.note.as_deref().is_some_and(|n| n.contains("infeasible")));
    // The others have scores. A left out: the frontier starts at B (3, 3), y = 1 needs x = 3:
    // 3/2. B left out: y = 3 at x = 4 (D, or λ_A = 1/3, λ_E = 2/3):
    // 4/3. E left out: y = 4 from half B, half H at x = 5.5: 11/10.
    let expected = [Some(1.5), Some(4.0 / 3.0), Some(5.0 / 6.0), Some(0.75), Some(1.1), Some(0.5), Some(0.5), None];
    assert_scores(&scores(&r.results), &expected, "bcc super");
}

#[test]
fn malmquist_equals_efficiency_change_times_technical_change() {
    // One input, one output. Year t: A (1, 1), B (2, 1); year t+1: A (1, 2), B (2, 1.5).
    // Frontier t: y = x (A); frontier t+1: y = 2x (A). Input distance θ = (y/x) / slope:
    // A: D^t(x^t) 1, D^t(x^t+1) 2, D^t+1(x^t) 1/2, D^t+1(x^t+1) 1 → M = √(2 · 2) = 2, EC 1, TC 2.
    // B: 1/2, 3/4, 1/4, 3/8 → M = √(1.5 · 1.5) = 1.5, EC = (3/8)/(1/2) = 3/4, TC = 2.
    let t0 = Owned::new(&["A", "B"], &[vec![1.0], vec![2.0]], &[vec![1.0], vec![1.0]]);
    let t1 = Owned::new(&["A", "B"], &[vec![1.0], vec![2.0]], &[vec![2.0], vec![1.5]]);
    let m = malmquist(&t0.data(), &t1.data(), Model::Ccr).unwrap();
    let expected = [(2.0, 1.0, 2.0), (1.5, 0.75, 2.0)];
    for (u, (mi, ec, tc)) in m.iter().zip(expected) {
        assert_close(u.malmquist.unwrap(), mi, LP, &format!("M of {}", u.unit));
        assert_close(u.efficiency_change.unwrap(), ec, LP, &format!("EC of {}", u.unit));
        assert_close(u.technical_change.unwrap(), tc, LP, &format!("TC of {}", u.unit));
        assert_close(
            u.malmquist.unwrap(),
            u.efficiency_change.unwrap() * u.technical_change.unwrap(),
            1e-12,
            "M = EC × TC",
        );
        assert!(u.note.is_none());
    }
    assert_close(m[1].d_to_from.unwrap(), 0.25, LP, "D^t+1(x^t) of B");
    // Under variable returns A's year t+1 output (2) is beyond year t's technology (at most 1):
    // D^t(x^t+1) is infeasible, so A has no index and says why.
    let v = malmquist(&t0.data(), &t1.data(), Model::Bcc).unwrap();
    assert_eq!(v[0].malmquist, None);
    assert_eq!(v[0].d_from_to, None);
    assert!(v[0].note.as_deref().is_some_and(|n| n.contains("D^t(x^t+1): infeasible")), "{:?}", v[0].note);
}

#[test]
fn results_are_deterministic() {
    let d = random();
    for model in [Model::Ccr, Model::Bcc, Model::Sbm] {
        let orientation = if model == Model::Sbm { Orientation::NonOriented } else { Orientation::Input };
        let a = dea(&d.data(), &options(model, orientation, false)).unwrap();
        let b = dea(&d.data(), &options(model, orientation, false)).unwrap();
        assert_eq!(a, b, "{model}: two runs give the same bits");
    }
}

#[test]
fn bad_input_is_refused_with_the_unit_and_variable() {
    let mut d = stores();
    d.x[[1, 0]] = f64::NAN;
    let e = dea(&d.data(), &DeaOptions::default()).unwrap_err().to_string();
    assert!(e.contains("B") && e.contains("x1") && e.contains("missing"), "{e}");
    let mut d = stores();
    d.y[[2, 0]] = -1.0;
    let e = dea(&d.data(), &DeaOptions::default()).unwrap_err().to_string();
    assert!(e.contains("C") && e.contains("negative"), "{e}");
    // A zero input is fine for CCR, refused by SBM (it divides by it).
    let mut d = stores();
    d.x[[0, 1]] = 0.0;
    assert!(dea(&d.data(), &DeaOptions::default()).is_ok());
    let e = dea(&d.data(), &options(Model::Sbm, Orientation::NonOriented, false)).unwrap_err().to_string();
    assert!(e.contains("A") && e.contains("x2") && e.contains("SBM"), "{e}");
    // All outputs 0.
    let mut d = stores();
    d.y[[3, 0]] = 0.0;
    let e = dea(&d.data(), &DeaOptions::default()).unwrap_err().to_string();
    assert!(e.contains("D") && e.contains("every output is 0"), "{e}");
    // A duplicated unit.
    let mut d = stores();
    d.units[5] = "A".into();
    assert!(matches!(dea(&d.data(), &DeaOptions::default()), Err(Error::Method { .. })));
    // CCR without an orientation.
    assert!(dea(&stores().data(), &options(Model::Ccr, Orientation::NonOriented, false)).is_err());
    // Six units for two inputs and one output: fewer than 3(m + s) = 9, warned.
    let r = dea(&stores().data(), &DeaOptions::default()).unwrap();
    assert!(r.warnings.iter().any(|w| w.contains("discriminates")), "{:?}", r.warnings);
}

/// Tone (2001), "A slacks-based measure of efficiency in data envelopment analysis", European
/// Journal of Operational Research 130:498–509, the example of p. 505 (the data deaR ships as
/// `Tone2001`): five DMUs A–E, inputs (x1, x2), outputs (y1, y2).
fn tone_2001() -> Owned {
    Owned::new(
        &["A", "B", "C", "D", "E"],
        &[vec![4.0, 3.0], vec![6.0, 3.0], vec![8.0, 1.0], vec![8.0, 1.0], vec![2.0, 4.0]],
        &[vec![2.0, 3.0], vec![2.0, 3.0], vec![6.0, 2.0], vec![6.0, 1.0], vec![1.0, 4.0]],
    )
}

#[test]
fn sbm_of_tone_2001_matches_the_printed_scores() {
    // Printed (p. 505): ρ* = 0.798, 0.568, 1, 0.667, 1. The exact optima of the same LP
    // (solved in rational arithmetic) are 79/99, 25/44, 1, 2/3, 1. D by hand: C has D's inputs
    // and one more y2, so λ_C = 1 with s⁺_2 = 1: ρ = 1 / (1 + (1/2)(0/6 + 1/1)) = 2/3.
    let d = tone_2001();
    let r = dea(&d.data(), &options(Model::Sbm, Orientation::NonOriented, false)).unwrap();
    let printed = [0.798, 0.568, 1.0, 0.667, 1.0];
    let exact = [79.0 / 99.0, 25.0 / 44.0, 1.0, 2.0 / 3.0, 1.0];
    for (k, u) in r.results.iter().enumerate() {
        let score = u.score.unwrap();
        assert_close(score, printed[k], PUBLISHED_3DP, &format!("Tone's ρ* of {}", d.units[k]));
        assert_close(score, exact[k], LP, &format!("exact ρ* of {}", d.units[k]));
        // The slacks give the score back: ρ = (1 − (1/2) Σ s⁻/x) / (1 + (1/2) Σ s⁺/y).
        let shrink: f64 = (0..2).map(|i| u.input_slacks[i] / d.x[[k, i]]).sum::<f64>() / 2.0;
        let grow: f64 = (0..2).map(|r| u.output_slacks[r] / d.y[[k, r]]).sum::<f64>() / 2.0;
        assert_close((1.0 - shrink) / (1.0 + grow), score, LP, &format!("ρ from the slacks of {}", d.units[k]));
    }
    let efficient: Vec<Option<bool>> = r.results.iter().map(|u| u.efficient).collect();
    assert_eq!(efficient, [Some(false), Some(false), Some(true), Some(false), Some(true)]);
    // CCR (input) scores D 1 although C beats it on y2: the radial score misses the slack.
    let ccr = dea(&d.data(), &options(Model::Ccr, Orientation::Input, false)).unwrap();
    assert_close(ccr.results[3].score.unwrap(), 1.0, LP, "D's CCR θ");
    assert_close(ccr.results[3].output_slacks[1], 1.0, LP, "D's y2 slack");
    assert_eq!(ccr.results[3].efficient, Some(false));
}

/// Tone (2003), "Dealing with undesirable outputs in DEA: a slacks-based measure (SBM)
/// approach", GRIPS Research Report I-2003-0005, the example of pp. 10–11 (deaR's `Tone2003`):
/// nine DMUs A–I, one input (1 for every DMU), a good output and a bad output.
fn tone_2003() -> Owned {
    let good = [1.0, 2.0, 6.0, 8.0, 9.0, 5.0, 4.0, 6.0, 4.0];
    let bad = [1.0, 1.0, 2.0, 4.0, 7.0, 2.0, 3.0, 4.0, 6.0];
    let y: Vec<Vec<f64>> = good.iter().zip(&bad).map(|(g, b)| vec![*g, *b]).collect();
    let mut d = Owned::new(&["A", "B", "C", "D", "E", "F", "G", "H", "I"], &vec![vec![1.0]; 9], &y);
    d.outputs = vec!["good".into(), "bad".into()];
    d.undesirable = vec!["bad".into()];
    d
}

#[test]
fn sbm_with_an_undesirable_output_by_hand() {
    // Variable returns, as in Tone's example. Every input is 1 and Σλ = 1, so the input has no
    // slack and ρ = 1 / (1 + (1/2)(s^g/y^g_o + s^b/y^b_o)). The target is a point of the
    // frontier B(2, 1) – C(6, 2) – D(8, 4) – E(9, 7) (good up, bad down; slopes 1/4, 1, 3: a
    // convex frontier) with good ≥ y^g_o and bad ≤ y^b_o that maximises the sum; the sum is
    // linear along each segment, so the best point is a vertex:
    // A (1, 1): only B has bad ≤ 1: 1/1 + 0 = 1 → ρ = 1/(1 + 1/2) = 2/3;
    // F (5, 2): C: 1/5 + 0 → ρ = 1/1.1 = 10/11;
    // G (4, 3): C: 2/4 + 1/3 = 5/6 → ρ = 1/(1 + 5/12) = 12/17;
    // H (6, 4): C: 0 + 2/4 = 1/2 (D: 2/6) → ρ = 1/(1 + 1/4) = 4/5;
    // I (4, 6): D: 4/4 + 2/6 = 4/3 (C: 2/4 + 4/6 = 7/6) → ρ = 1/(1 + 2/3) = 3/5;
    // B, C, D, E are on the frontier: 1.
    let d = tone_2003();
    let r = dea(&d.data(), &options(Model::SbmVrs, Orientation::NonOriented, false)).unwrap();
    let expected = [2.0 / 3.0, 1.0, 1.0, 1.0, 1.0, 10.0 / 11.0, 12.0 / 17.0, 0.8, 0.6].map(Some);
    assert_scores(&scores(&r.results), &expected, "sbm_vrs with a bad output");
    assert_eq!(r.undesirable, ["bad"]);
    // I's target is D: the good output up by 4, the bad one down by 2; A's is B.
    let i = &r.results[8];
    assert_eq!(i.lambdas.iter().map(|(j, _)| *j).collect::<Vec<_>>(), vec![3], "I's peer D");
    assert_close(i.output_slacks[0], 4.0, LP, "I's good slack");
    assert_close(i.output_slacks[1], 2.0, LP, "I's bad slack");
    assert_close(i.output_targets[0], 8.0, LP, "I's good target");
    assert_close(i.output_targets[1], 4.0, LP, "I's bad target");
    assert_eq!(i.input_slacks, [0.0]);
    let a = &r.results[0];
    assert_eq!(a.lambdas.iter().map(|(j, _)| *j).collect::<Vec<_>>(), vec![1], "A's peer B");
    assert_close(a.output_targets[0], 2.0, LP, "A's good target");
    assert_close(a.output_targets[1], 1.0, LP, "A's bad target");
    // A bad output's target never exceeds what was observed, a good one's never falls short.
    for (k, u) in r.results.iter().enumerate() {
        assert!(u.output_targets[0] >= d.y[[k, 0]] - LP && u.output_targets[1] <= d.y[[k, 1]] + LP);
    }
    // The table: the bad output's slack and target columns are there like any output's.
    let table = r.to_dataframe(None).unwrap();
    let names: Vec<String> = table.get_column_names().iter().map(|c| c.to_string()).collect();
    assert!(names.contains(&"slack_bad".to_string()) && names.contains(&"target_bad".to_string()), "{names:?}");
    assert_eq!(table.column("model").unwrap().str().unwrap().get(0), Some("sbm_vrs"));
}

#[test]
fn sbm_under_variable_returns_lies_between_sbm_and_bcc() {
    // The variable-returns technology is smaller than the constant-returns one (more units
    // score higher), and SBM counts every slack where the radial BCC θ does not.
    let d = random();
    let sbm = dea(&d.data(), &options(Model::Sbm, Orientation::Input, false)).unwrap();
    let sbm_vrs = dea(&d.data(), &options(Model::SbmVrs, Orientation::Input, false)).unwrap();
    let bcc = dea(&d.data(), &options(Model::Bcc, Orientation::Input, false)).unwrap();
    let all = sbm.results.iter().zip(&sbm_vrs.results).zip(&bcc.results);
    for (k, ((c, v), b)) in all.enumerate() {
        let (c, v, b) = (c.score.unwrap(), v.score.unwrap(), b.score.unwrap());
        assert!(c <= v + LP && v <= b + LP, "unit {}: sbm {c}, sbm_vrs {v}, bcc {b}", d.units[k]);
    }
    assert_eq!("sbm_vrs".parse::<Model>().unwrap(), Model::SbmVrs);
    assert_eq!(Model::SbmVrs.as_str(), "sbm_vrs");
}

#[test]
fn undesirable_outputs_are_refused_where_no_model_takes_them() {
    // A radial model would treat the bad output as one to increase: refused.
    let d = tone_2003();
    let e = dea(&d.data(), &options(Model::Ccr, Orientation::Input, false)).unwrap_err().to_string();
    assert!(e.contains("undesirable") && e.contains("sbm"), "{e}");
    assert!(matches!(malmquist(&d.data(), &d.data(), Model::Ccr), Err(Error::Spec(_))));
    // A name that is not an output, a name given twice, every output undesirable.
    let sbm = options(Model::Sbm, Orientation::NonOriented, false);
    let mut d = tone_2003();
    d.undesirable = vec!["noise".into()];
    let e = dea(&d.data(), &sbm).unwrap_err().to_string();
    assert!(e.contains("'noise'") && e.contains("not among the outputs"), "{e}");
    d.undesirable = vec!["bad".into(), "bad".into()];
    assert!(matches!(dea(&d.data(), &sbm), Err(Error::Spec(_))));
    d.undesirable = vec!["good".into(), "bad".into()];
    let e = dea(&d.data(), &sbm).unwrap_err().to_string();
    assert!(e.contains("every output is undesirable"), "{e}");
}

/// Coelli (1996), *A Guide to DEAP Version 2.1*, CEPA Working Paper 96/08, example 4
/// (eg4-dta.txt): five firms, one output and one input, three years (the third repeats the
/// second); the output-oriented Malmquist DEA of eg4-out.txt.
fn deap_example_4() -> [Owned; 3] {
    let firms = ["1", "2", "3", "4", "5"];
    let column = |v: [f64; 5]| v.map(|a| vec![a]);
    let year1 = || Owned::new(&firms, &column([2.0, 4.0, 3.0, 5.0, 6.0]), &column([1.0, 2.0, 3.0, 4.0, 5.0]));
    let year2 = || Owned::new(&firms, &column([2.0, 4.0, 3.0, 5.0, 5.0]), &column([1.0, 3.0, 4.0, 3.0, 5.0]));
    [year1(), year2(), year2()]
}

#[test]
fn malmquist_of_deap_example_4_matches_the_printed_indices() {
    let [y1, y2, y3] = deap_example_4();
    let output = MalmquistOptions { model: Model::Ccr, orientation: Orientation::Output };
    let m = malmquist_with(&y1.data(), &y2.data(), &output).unwrap();
    // Printed for year 2, per firm: effch, techch, pech, sech, tfpch; and the exact values of
    // the same LPs: CRS distances y/x ÷ the best y/x (1 in year 1, 4/3 in year 2); VRS
    // output distances from the frontiers (2,1)–(3,3)–(6,5) and (2,1)–(3,4)–(5,5), e.g. firm 2
    // (x = 4): 2 / (3 + 2/3) = 6/11 in year 1 and 3 / 4.5 = 2/3 in year 2, pech = 11/9.
    let printed = [
        [0.750, 1.333, 1.000, 0.750, 1.000],
        [1.125, 1.333, 1.222, 0.920, 1.500],
        [1.000, 1.333, 1.000, 1.000, 1.333],
        [0.562, 1.333, 0.650, 0.865, 0.750],
        [0.900, 1.333, 1.000, 0.900, 1.200],
    ];
    let exact = [
        [3.0 / 4.0, 4.0 / 3.0, 1.0, 3.0 / 4.0, 1.0],
        [9.0 / 8.0, 4.0 / 3.0, 11.0 / 9.0, 81.0 / 88.0, 1.5],
        [1.0, 4.0 / 3.0, 1.0, 1.0, 4.0 / 3.0],
        [9.0 / 16.0, 4.0 / 3.0, 13.0 / 20.0, 45.0 / 52.0, 0.75],
        [0.9, 4.0 / 3.0, 1.0, 0.9, 1.2],
    ];
    // The printed distances: CRS of year 1 against its own (t) and the next (t+1) technology,
    // VRS of year 1; CRS of year 2 against the previous (t−1) and its own; VRS of year 2.
    let distances = [
        [0.5, 0.375, 1.0, 0.5, 0.375, 1.0],
        [0.5, 0.375, 0.545, 0.75, 0.563, 0.667],
        [1.0, 0.75, 1.0, 1.333, 1.0, 1.0],
        [0.8, 0.6, 0.923, 0.6, 0.45, 0.6],
        [0.833, 0.625, 1.0, 1.0, 0.75, 1.0],
    ];
    for (k, u) in m.iter().enumerate() {
        let got = [
            u.efficiency_change.unwrap(),
            u.technical_change.unwrap(),
            u.pure_efficiency_change.unwrap(),
            u.scale_efficiency_change.unwrap(),
            u.malmquist.unwrap(),
        ];
        for (c, name) in ["effch", "techch", "pech", "sech", "tfpch"].iter().enumerate() {
            let what = format!("firm {} {name}", u.unit);
            // 0.5625 is printed 0.562: half a unit of the last decimal, plus the LP's tolerance.
            assert_close(got[c], printed[k][c], PUBLISHED_3DP + LP, &what);
            assert_close(got[c], exact[k][c], LP, &what);
        }
        let d = [u.d_from_from, u.d_to_from, u.vrs_from_from, u.d_from_to, u.d_to_to, u.vrs_to_to].map(Option::unwrap);
        for (c, value) in d.iter().enumerate() {
            assert_close(*value, distances[k][c], PUBLISHED_3DP + LP, &format!("firm {} distance {c}", u.unit));
        }
        assert!(u.note.is_none(), "{:?}", u.note);
    }
    // Year 3 repeats year 2: every index of 2 → 3 is 1, as printed.
    for u in malmquist_with(&y2.data(), &y3.data(), &output).unwrap() {
        for v in [u.malmquist, u.efficiency_change, u.technical_change, u.pure_efficiency_change] {
            assert_close(v.unwrap(), 1.0, LP, &format!("firm {}, year 3", u.unit));
        }
    }
    // The window 1 → 3 compares year 1 with year 3 (= year 2) directly.
    assert_eq!(malmquist_pairs(&[3, 1, 2]), [(1, 2), (2, 3), (1, 3)]);
    let window = malmquist_with(&y1.data(), &y3.data(), &output).unwrap();
    for (w, u) in window.iter().zip(&m) {
        assert_close(w.malmquist.unwrap(), u.malmquist.unwrap(), LP, "window = 1 → 2 here");
    }
    // Input distances: with one input and one output under constant returns θ = 1/φ, so M, EC
    // and TC are the same; the VRS split is not (firm 2: θ_v = 5/8 in year 1, 2/3 in year 2,
    // pech = 16/15).
    let input = malmquist(&y1.data(), &y2.data(), Model::Ccr).unwrap();
    for (i, o) in input.iter().zip(&m) {
        assert_close(i.malmquist.unwrap(), o.malmquist.unwrap(), LP, "M either way");
        assert_close(i.efficiency_change.unwrap(), o.efficiency_change.unwrap(), LP, "EC either way");
    }
    assert_close(input[1].pure_efficiency_change.unwrap(), 16.0 / 15.0, LP, "firm 2's input pech");
    // The table has every column, in order.
    let table = malmquist_dataframe(1, 2, &m).unwrap();
    let names: Vec<String> = table.get_column_names().iter().map(|c| c.to_string()).collect();
    assert_eq!(names, MALMQUIST_COLUMNS);
}

#[test]
fn malmquist_decomposes_into_pure_scale_and_technical_change() {
    // Two years of the random data: year two's inputs scaled by 0.9 + 0.02k and outputs by
    // 1.1 − 0.03k for unit k (so the units move differently).
    let a = random();
    let mut b = random();
    for k in 0..b.units.len() {
        for j in 0..2 {
            b.x[[k, j]] *= 0.9 + 0.02 * k as f64;
            b.y[[k, j]] *= 1.1 - 0.03 * k as f64;
        }
    }
    for orientation in [Orientation::Input, Orientation::Output] {
        let options = MalmquistOptions { model: Model::Ccr, orientation };
        for u in malmquist_with(&a.data(), &b.data(), &options).unwrap() {
            let what = format!("{} ({orientation})", u.unit);
            let [m, ec, tc, pec, sec] = [
                u.malmquist,
                u.efficiency_change,
                u.technical_change,
                u.pure_efficiency_change,
                u.scale_efficiency_change,
            ]
            .map(Option::unwrap);
            assert_close(m, ec * tc, 1e-12, &format!("M = EC × TC, {what}"));
            assert_close(m, pec * sec * tc, 1e-12, &format!("M = PEC × SEC × TC, {what}"));
            // Own-frontier scores are efficiencies, the VRS one at least the CRS one.
            let (crs, vrs) = (u.d_from_from.unwrap(), u.vrs_from_from.unwrap());
            assert!(crs <= 1.0 + LP && vrs <= 1.0 + LP && vrs >= crs - LP, "{what}: {crs} {vrs}");
        }
    }
    // A BCC index has no scale split: null, with no note needed.
    let bcc = MalmquistOptions { model: Model::Bcc, orientation: Orientation::Input };
    for u in malmquist_with(&a.data(), &b.data(), &bcc).unwrap() {
        assert!(u.pure_efficiency_change.is_none() && u.scale_efficiency_change.is_none() && u.vrs_to_to.is_none());
    }
    // Refused: SBM, and no orientation.
    let sbm = MalmquistOptions { model: Model::Sbm, orientation: Orientation::Input };
    assert!(matches!(malmquist_with(&a.data(), &b.data(), &sbm), Err(Error::Spec(_))));
    let none = MalmquistOptions { model: Model::Ccr, orientation: Orientation::NonOriented };
    assert!(matches!(malmquist_with(&a.data(), &b.data(), &none), Err(Error::Spec(_))));
}

/// The embedded Liaoning example's values of `indicators` in `year`, read from the embedded CSV
/// with a plain line split (not through the panel), rows in the file's city order.
fn liaoning(year: &str, indicators: &[&str]) -> (Vec<String>, Vec<Vec<f64>>) {
    let (_, bytes) = citycheck::panel::EMBEDDED[0];
    let text = std::str::from_utf8(bytes).unwrap();
    let mut cities: Vec<String> = Vec::new();
    let mut values: Vec<Vec<f64>> = Vec::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let Some(j) = indicators.iter().position(|i| *i == cells[2]) else { continue };
        if cells[1] != year {
            continue;
        }
        let k = match cities.iter().position(|c| c == cells[0]) {
            Some(k) => k,
            None => {
                cities.push(cells[0].to_string());
                values.push(vec![f64::NAN; indicators.len()]);
                cities.len() - 1
            }
        };
        values[k][j] = cells[3].parse().unwrap();
    }
    (cities, values)
}

fn efficiency_config(outputs: &[&str], undesirable: &[&str], model: Model) -> citycheck::run::EfficiencyConfig {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    citycheck::run::EfficiencyConfig {
        class: Some("city services".into()),
        facility: None,
        inputs: strings(&["population", "hospital_beds"]),
        outputs: strings(outputs),
        undesirable: strings(undesirable),
        model,
        orientation: None,
        super_efficiency: false,
        year: None,
        from: None,
        to: None,
        join_as: None,
    }
}

#[test]
fn a_run_config_writes_efficiency_and_malmquist_into_its_folder() {
    use citycheck::run::{run, RunConfig};
    // The embedded Liaoning run (60 city-years, every one with the five variables) with an
    // [efficiency] table: SBM under variable returns, industrial SO2 an undesirable output.
    let mut config = RunConfig::embedded();
    config.diagnose = None;
    config.evaluate = None;
    config.efficiency =
        Some(efficiency_config(&["gdp", "retail_sales", "industrial_so2"], &["industrial_so2"], Model::SbmVrs));
    let dir = tempfile::tempdir().unwrap();
    let output = run(&config, Some(dir.path())).unwrap();
    // The run returns the tables it wrote (the Python binding converts them from there).
    let tables = output.efficiency.as_ref().expect("the run has [efficiency]");
    assert_eq!(tables.efficiency.height(), 60);
    assert!(tables.malmquist.is_none());
    let table = std::fs::read_to_string(dir.path().join("efficiency.csv")).unwrap();
    let header: Vec<&str> = table.lines().next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = table.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 60);
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert!(rows.iter().all(|r| r[col("model")] == "sbm_vrs" && r[col("orientation")] == "non_oriented"));
    // 2010 against the library called on the year's matrix read independently from the CSV.
    let variables = ["population", "hospital_beds", "gdp", "retail_sales", "industrial_so2"];
    let (cities, values) = liaoning("2010", &variables);
    let x: Vec<Vec<f64>> = values.iter().map(|v| v[..2].to_vec()).collect();
    let y: Vec<Vec<f64>> = values.iter().map(|v| v[2..].to_vec()).collect();
    let mut d = Owned::new(&cities.iter().map(String::as_str).collect::<Vec<_>>(), &x, &y);
    d.inputs = vec!["population".into(), "hospital_beds".into()];
    d.outputs = vec!["gdp".into(), "retail_sales".into(), "industrial_so2".into()];
    d.undesirable = vec!["industrial_so2".into()];
    let direct = dea(&d.data(), &options(Model::SbmVrs, Orientation::NonOriented, false)).unwrap();
    let of_2010: Vec<&Vec<&str>> = rows.iter().filter(|r| r[col("year")] == "2010").collect();
    assert_eq!(of_2010.len(), cities.len());
    for (k, city) in cities.iter().enumerate() {
        let row = of_2010.iter().find(|r| r[0] == city).unwrap();
        let score: f64 = row[col("score")].parse().unwrap();
        assert_close(score, direct.results[k].score.unwrap(), LP, &format!("{city} 2010"));
    }
    // run.json: the summary, and why there is no malmquist.csv (an undesirable output).
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("run.json")).unwrap()).unwrap();
    let summary = &json["efficiency"];
    assert_eq!(summary["model"], "sbm_vrs");
    assert_eq!(summary["class"], "city services");
    assert_eq!(summary["rows"], 60);
    assert_eq!(summary["years"], serde_json::json!([2008, 2009, 2010, 2011, 2012]));
    assert!(summary["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("malmquist.csv")));
    assert!(!dir.path().join("malmquist.csv").exists());
    let outputs: Vec<&str> = json["outputs"].as_array().unwrap().iter().map(|o| o["file"].as_str().unwrap()).collect();
    assert!(outputs.contains(&"efficiency.csv"), "{outputs:?}");

    // CCR without the bad output, 2009–2012: consecutive pairs, then the window 2009 → 2012.
    let mut ccr = efficiency_config(&["gdp", "retail_sales"], &[], Model::Ccr);
    ccr.from = Some(2009);
    config.efficiency = Some(ccr);
    run(&config, Some(dir.path())).unwrap();
    let table = std::fs::read_to_string(dir.path().join("malmquist.csv")).unwrap();
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header, MALMQUIST_COLUMNS);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut pairs: Vec<(&str, &str)> = rows.iter().map(|r| (r[1], r[2])).collect();
    pairs.dedup();
    assert_eq!(pairs, [("2009", "2010"), ("2010", "2011"), ("2011", "2012"), ("2009", "2012")]);
    for r in &rows {
        let [m, ec, tc, pec, sec] = [3, 4, 5, 6, 7].map(|c| r[c].parse::<f64>().unwrap());
        assert_close(m, ec * tc, 1e-9, &format!("M = EC × TC for {r:?}"));
        assert_close(ec, pec * sec, 1e-9, &format!("EC = PEC × SEC for {r:?}"));
    }
    let efficiency = std::fs::read_to_string(dir.path().join("efficiency.csv")).unwrap();
    let years: Vec<&str> = efficiency.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert!(!years.contains(&"2008") && years.contains(&"2009"), "2008 is outside the window");
}

#[test]
fn a_run_config_refuses_a_bad_efficiency_table() {
    use citycheck::run::RunConfig;
    let config = |table: &str| {
        RunConfig::from_toml(&format!(
            "catalog = \"ccsy-example\"\n[data]\npath = \"c.csv\"\n[efficiency]\ninputs = [\"population\"]\n{table}"
        ))
    };
    assert!(config("outputs = [\"gdp\"]").is_ok());
    // A misspelt key, an unknown model, a window backwards, a year with a window, no output.
    for bad in [
        "outputs = [\"gdp\"]\nsuper_efficiency = true",
        "outputs = [\"gdp\"]\nmodel = \"sbm-crs\"",
        "outputs = [\"gdp\"]\nfrom = 2012\nto = 2010",
        "outputs = [\"gdp\"]\nyear = 2010\nfrom = 2008",
        "outputs = []",
    ] {
        assert!(matches!(config(bad), Err(Error::Spec(_))), "{bad}");
    }
    // A variable the data never have, named.
    let mut run = RunConfig::embedded();
    run.diagnose = None;
    run.evaluate = None;
    run.efficiency = Some(efficiency_config(&["metro_length"], &[], Model::Ccr));
    let dir = tempfile::tempdir().unwrap();
    let e = citycheck::run::run(&run, Some(dir.path())).unwrap_err().to_string();
    assert!(e.contains("'metro_length'") && e.contains("not in the data"), "{e}");
}

/// The test catalogue with six facility classes (`[[facilities]]`) and the indicator
/// `sanitation_efficiency` that a run's efficiency score joins.
fn facilities_catalog_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/facilities.toml")
}

#[test]
fn facility_classes_are_read_with_the_catalogue() {
    let catalog = citycheck::Catalog::load(facilities_catalog_path()).unwrap();
    let ids: Vec<&str> = catalog.facilities().iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["sanitation", "water_supply", "drainage", "public_transport", "hospitals", "schools"]);
    let water = catalog.facility("water_supply").unwrap();
    assert_eq!(water.inputs, ["water_capacity", "water_pipes"]);
    assert_eq!(water.outputs, ["water_supplied", "water_leakage"]);
    assert_eq!(water.undesirable, ["water_leakage"]);
    assert!(catalog.facility("sewers").is_none());
    // A catalogue without the table has no class.
    assert!(citycheck::Catalog::builtin("ccsy-example").unwrap().facilities().is_empty());
}

#[test]
fn a_bad_facility_class_is_refused_naming_the_file_and_the_class() {
    let text = std::fs::read_to_string(facilities_catalog_path()).unwrap();
    let with = |class: &str| {
        let toml = format!("{text}\n[[facilities]]\nid = \"bad\"\nname_zh = \"坏\"\nname_en = \"Bad\"\n{class}\n");
        citycheck::Catalog::from_toml(&toml, "facilities.toml")
    };
    assert!(with("inputs = [\"buses\"]\noutputs = [\"bus_passengers\"]").is_ok());
    let one = "inputs = [\"buses\"]\noutputs = [\"bus_passengers\"]";
    let not_an_output = format!("{one}\nundesirable = [\"bus_staff\"]");
    let all_bad = format!("{one}\nundesirable = [\"bus_passengers\"]");
    let unsourced = format!("{one}\nstatus = \"official\"");
    let cases = [
        ("inputs = [\"buses\"]\noutputs = [\"passengers\"]", "'passengers', which is not an indicator id"),
        ("inputs = [\"buses\"]\noutputs = [\"buses\"]", "'buses' is both an input and an output"),
        ("inputs = [\"buses\", \"buses\"]\noutputs = [\"bus_passengers\"]", "'buses' is listed twice in inputs"),
        ("inputs = []\noutputs = [\"bus_passengers\"]", "lists no inputs"),
        ("inputs = [\"buses\"]\noutputs = []", "lists no outputs"),
        (not_an_output.as_str(), "not one of its outputs"),
        (all_bad.as_str(), "every output is undesirable"),
        (unsourced.as_str(), "no source"),
    ];
    for (class, expected) in cases {
        match with(class) {
            Err(Error::Catalog { source_name, entry, message }) => {
                assert_eq!(source_name, "facilities.toml", "{class}");
                assert_eq!(entry.as_deref(), Some("bad"), "{class}");
                assert!(message.contains(expected), "{class}: {message}");
            }
            other => panic!("{class}: expected a catalogue error, got {other:?}"),
        }
    }
    // A second class with an id already used, and a misspelt key.
    let twice = format!(
        "{text}\n[[facilities]]\nid = \"schools\"\nname_zh = \"学校\"\nname_en = \"Schools\"\n\
         inputs = [\"teachers\"]\noutputs = [\"students\"]\n"
    );
    let error = citycheck::Catalog::from_toml(&twice, "f.toml");
    assert!(matches!(&error, Err(Error::Catalog { entry: Some(e), .. }) if e == "schools"), "{error:?}");
    assert!(with(&format!("{one}\nmodle = \"bcc\"")).is_err());
}

/// Four cities, one year: sanitation vehicles (the input) and waste collected (the output) of
/// the facility class `sanitation`, and the waste collection coverage (%), a scored indicator.
const SANITATION: [(&str, f64, f64, f64); 4] =
    [("A", 10.0, 10.0, 90.0), ("B", 20.0, 30.0, 80.0), ("C", 40.0, 40.0, 70.0), ("D", 50.0, 25.0, 100.0)];

/// A run folder with the sanitation data and a config scoring them with the test catalogue:
/// min-max to [0, 100] over the panel, equal weights, arithmetic mean; `efficiency` is the
/// `[efficiency]` table.
fn sanitation_run(dir: &std::path::Path, efficiency: &str) -> citycheck::Result<citycheck::run::RunOutput> {
    let mut data = String::from("city,year,indicator,value\n");
    for (city, vehicles, waste, coverage) in SANITATION {
        data.push_str(&format!("{city},2024,sanitation_vehicles,{vehicles}\n{city},2024,waste_collected,{waste}\n"));
        data.push_str(&format!("{city},2024,waste_coverage,{coverage}\n"));
    }
    std::fs::write(dir.join("data.csv"), data).unwrap();
    let config = format!(
        "catalog = {:?}\n[data]\npath = \"data.csv\"\nunit_column = \"city\"\n[spec]\n\
         normalize = {{ method = \"min_max\", lo = 0.0, hi = 100.0 }}\nscope = \"panel\"\nmissing = \"renormalize\"\n\
         aggregate = {{ method = \"arithmetic\" }}\n[spec.weights]\ndefault = {{ method = \"equal\" }}\n\
         [efficiency]\n{efficiency}\n",
        facilities_catalog_path().display().to_string()
    );
    let path = dir.join("run.toml");
    std::fs::write(&path, config).unwrap();
    let config = citycheck::run::RunConfig::load(&path)?;
    citycheck::run::run(&config, Some(&dir.join("out")))
}

/// `(unit, score)` of the rows of `file` (a CSV of the run folder) whose `column` is `value`.
fn csv_scores(dir: &std::path::Path, file: &str, filter: Option<(&str, &str)>) -> Vec<(String, f64)> {
    let text = std::fs::read_to_string(dir.join("out").join(file)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').collect::<Vec<&str>>())
        .filter(|r| filter.is_none_or(|(c, v)| r[col(c)] == v))
        .map(|r| (r[col("unit")].to_string(), r[col("score")].parse().unwrap()))
        .collect()
}

#[track_caller]
fn assert_unit_scores(actual: &[(String, f64)], expected: &[(&str, f64)], what: &str) {
    assert_unit_scores_within(actual, expected, LP, what);
}

#[track_caller]
fn assert_unit_scores_within(actual: &[(String, f64)], expected: &[(&str, f64)], tolerance: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: {actual:?}");
    for (unit, e) in expected {
        let (_, a) = actual.iter().find(|(u, _)| u == unit).unwrap_or_else(|| panic!("{what}: no row of {unit}"));
        assert_close(*a, *e, tolerance, &format!("{what}, {unit}"));
    }
}

/// CCR with one input and one output: θ_o = (y_o/x_o) / max_j (y_j/x_j). Waste per vehicle is
/// A 1, B 1.5, C 1, D 0.5, so θ = A 2/3, B 1, C 2/3, D 1/3. Joined as `sanitation_efficiency`
/// and min-max normalised over the four: (θ − 1/3) / (2/3) × 100 = A 50, B 100, C 50, D 0.
/// Coverage 90, 80, 70, 100 normalises to (x − 70) / 30 × 100 = A 66.667, B 33.333, C 0,
/// D 100. One group, equal weights: the index is the mean of the two, A 58.333, B 66.667,
/// C 25, D 50; without the joined score it is the coverage alone.
#[test]
fn an_efficiency_score_joins_the_checkup_as_an_indicator() {
    let dir = tempfile::tempdir().unwrap();
    let output = sanitation_run(dir.path(), "facility = \"sanitation\"\njoin_as = \"sanitation_efficiency\"").unwrap();
    let theta = [("A", 2.0 / 3.0), ("B", 1.0), ("C", 2.0 / 3.0), ("D", 1.0 / 3.0)];
    assert_unit_scores(&csv_scores(dir.path(), "efficiency.csv", None), &theta, "efficiency.csv");
    // The normalised value (θ − min) / (max − min) × 100 carries the LPs' error of θ, min and
    // max times 100 / (2/3): within 3 × 150 × LP (the index, half of it).
    let propagated = 3.0 * 150.0 * LP;
    let joined = [("A", 50.0), ("B", 100.0), ("C", 50.0), ("D", 0.0)];
    let rows = csv_scores(dir.path(), "scores.csv", Some(("node", "sanitation_efficiency")));
    assert_unit_scores_within(&rows, &joined, propagated, "the joined indicator, normalised");
    let index = [("A", 175.0 / 3.0), ("B", 200.0 / 3.0), ("C", 25.0), ("D", 50.0)];
    let index_rows = csv_scores(dir.path(), "scores.csv", Some(("kind", "index")));
    assert_unit_scores_within(&index_rows, &index, propagated, "index");
    let summary = output.report.efficiency.as_ref().unwrap();
    assert_eq!(summary.facility.as_deref(), Some("sanitation"));
    assert_eq!(summary.class.as_deref(), Some("sanitation"));
    assert_eq!(summary.inputs, ["sanitation_vehicles"]);
    assert_eq!(summary.outputs, ["waste_collected"]);
    assert_eq!((summary.joined_as.as_deref(), summary.joined), (Some("sanitation_efficiency"), 4));

    // The same run without join_as: the index is the coverage alone.
    let alone = tempfile::tempdir().unwrap();
    sanitation_run(alone.path(), "facility = \"sanitation\"").unwrap();
    let coverage = [("A", 200.0 / 3.0), ("B", 100.0 / 3.0), ("C", 0.0), ("D", 100.0)];
    assert_unit_scores(&csv_scores(alone.path(), "scores.csv", Some(("kind", "index"))), &coverage, "index alone");
}

#[test]
fn a_bad_facility_or_join_is_refused() {
    let spec = |efficiency: &str| {
        let dir = tempfile::tempdir().unwrap();
        match sanitation_run(dir.path(), efficiency) {
            Err(Error::Spec(m)) => m,
            other => panic!("{efficiency}: expected a spec error, got {:?}", other.map(|_| ())),
        }
    };
    let m = spec("facility = \"sewers\"");
    assert!(m.contains("no such facility class") && m.contains("sanitation, water_supply"), "{m}");
    let m = spec("facility = \"sanitation\"\njoin_as = \"waste_coverage\"");
    assert!(m.contains("already have values of 'waste_coverage'"), "{m}");
    let m = spec("facility = \"sanitation\"\njoin_as = \"water_capacity\"");
    assert!(m.contains("context variable"), "{m}");
    let m = spec("facility = \"sanitation\"\njoin_as = \"sanitation_eficiency\"");
    assert!(m.contains("did you mean 'sanitation_efficiency'"), "{m}");
    // A facility with variables of its own; neither a facility nor variables.
    let m = spec("facility = \"sanitation\"\ninputs = [\"sanitation_vehicles\"]");
    assert!(m.contains("leave out inputs"), "{m}");
    let m = spec("join_as = \"sanitation_efficiency\"");
    assert!(m.contains("or a facility class"), "{m}");
}

/// Tone (2002)'s SBM super-efficiency on Cooper, Seiford & Tone's Example 3.2 (six stores, the
/// output 1 everywhere), worked out by hand. SBM finds C, D and E efficient; F (10, 1) has the
/// slack s⁻_1 = 2 against C (8, 1): input-oriented ρ = 1 − (1/2)(2/10) = 0.9, and keeps it.
/// Input orientation (ȳ = 1, so the others' weights add up to at least 1), δ = (1/2)(x̄_1/x_1o +
/// x̄_2/x_2o) with x̄ ≥ x_o and x̄ ≥ Σ λ_j x_j:
/// - D (4, 2): A (4, 3) gives x̄ = (4, 3), δ = (1 + 3/2)/2 = 1.25; so does every mix of C (8, 1)
///   and E (2, 4) with weight on C between 1/3 and 2/3 (x̄ = (2 + 6λ, 4 − 3λ), 1/2 + 3λ/2 + 2 −
///   3λ/2 = 5/2), and nothing is lower (outside that range one coordinate is held at x_o while
///   the other grows): δ_D = 1.25;
/// - E (2, 4): every other store has x_1 ≥ 4, so x̄ ≥ (4, 4) and δ_E = (4/2 + 4/4)/2 = 1.5,
///   reached by A or D;
/// - C (8, 1): F gives x̄ = (10, 1), δ = (10/8 + 1)/2 = 1.125; mixes of D (4, 2) and F reach
///   (4 + 6λ, 2 − λ) ≥ (8, 1) at best at λ = 1 (F), as do A–F and E–F: δ_C = 1.125.
///
/// Output orientation (x̄ = x_o, δ = 1/ȳ with ȳ = Σλ at most 1 and Σ λ_j x_j ≤ x_o): D reaches
/// Σλ = 0.8 (C 0.4 and E 0.4: 8·0.4 + 2·0.4 = 4, 0.4 + 4·0.4 = 2), δ_D = 1.25; E only 0.5 (every
/// other store has x_1 ≥ 4 against E's 2), δ_E = 2; C 7/8 (D 1/8 and F 3/4: 4/8 + 7.5 = 8,
/// 2/8 + 3/4 = 1), δ_C = 8/7. The non-oriented δ lies between 1 and the input-oriented one
/// (ȳ = y_o is one of its choices).
#[test]
fn sbm_super_efficiency_of_example_3_2_by_hand() {
    let d = stores();
    let plain = dea(&d.data(), &options(Model::Sbm, Orientation::Input, false)).unwrap();
    let input = dea(&d.data(), &options(Model::Sbm, Orientation::Input, true)).unwrap();
    let (c, dd, e, f) = (2, 3, 4, 5);
    for (k, expected) in [(c, 1.125), (dd, 1.25), (e, 1.5), (f, 0.9)] {
        assert_close(input.results[k].score.unwrap(), expected, LP, &format!("input δ of {}", d.units[k]));
    }
    // The inefficient stores keep their SBM score; the efficient ones are above 1.
    for k in [0, 1, f] {
        assert_eq!(input.results[k].score, plain.results[k].score, "{}", d.units[k]);
        assert!(input.results[k].score.unwrap() < 1.0);
    }
    // D's point: x̄ ≥ D's inputs, its super-slacks x̄ − x_o ≥ 0, peers without D.
    let d_row = &input.results[dd];
    assert!(d_row.lambdas.iter().all(|(j, _)| *j != dd), "{:?}", d_row.lambdas);
    for (i, (target, slack)) in d_row.input_targets.iter().zip(&d_row.input_slacks).enumerate() {
        assert!(*target >= d.x[[dd, i]] - LP, "{target}");
        assert_close(*slack, target - d.x[[dd, i]], LP, "super-slack");
    }
    let mean_ratio = (d_row.input_targets[0] / 4.0 + d_row.input_targets[1] / 2.0) / 2.0;
    assert_close(mean_ratio, 1.25, LP, "δ_D from its targets");

    let output = dea(&d.data(), &options(Model::Sbm, Orientation::Output, true)).unwrap();
    for (k, expected) in [(c, 8.0 / 7.0), (dd, 1.25), (e, 2.0)] {
        assert_close(output.results[k].score.unwrap(), expected, LP, &format!("output δ of {}", d.units[k]));
    }
    let free = dea(&d.data(), &options(Model::Sbm, Orientation::NonOriented, true)).unwrap();
    for k in [c, dd, e] {
        let delta = free.results[k].score.unwrap();
        assert!(delta >= 1.0 - LP && delta <= input.results[k].score.unwrap() + LP, "{}: {delta}", d.units[k]);
    }
}

/// The super-SBM with an undesirable output (Li, Fang, Yang, Wang & Hong 2013, Mathematical and
/// Computer Modelling 58:1018–1031), worked by hand. Three units, one input x, a good output y
/// and a bad output b: A (1; 4, 2), B (1; 2, 1), C (1; 2, 2). A is the only efficient one (B and C
/// make half of A's good output per input: A/2 leaves B ρ = 0.5, under constant returns). A's point against
/// λ_B = p, λ_C = q, u = p + q: x̄ ≥ max(1, u), ȳ ≤ min(4, 2u), b̄ ≥ max(2, p + 2q) (least with
/// q = 0: max(2, u)); δ = x̄ / ((1/2)(ȳ/4 + 2 − b̄/2)):
/// - non-oriented: u ≤ 1 gives 1 / ((u/2 + 1)/2) = 4/(u + 2), 1 ≤ u ≤ 2 gives 4u/(u + 2), u ≥ 2
///   gives 2u/(3 − u/2): least at u = 1, δ = 4/3 (x̄ = 1, ȳ = 2, b̄ = 2: super-slacks 0, 2, 0;
///   λ not unique: any p + q = 1 keeps p + 2q ≤ 2, so b̄ = 2);
/// - input orientation (ȳ = 4, b̄ = 2): 2u ≥ 4 and p + 2q ≤ 2 force p = 2, x̄ = 2: δ = 2;
/// - output orientation (x̄ = 1, so u ≤ 1): ȳ = 2u, b̄ = 2: δ = 4/(u + 2), least at u = 1: 4/3;
/// - without the bad output (Tone 2002): δ = max(1, u) / (min(4, 2u)/4) = 2 for every u in
///   [1, 2], so the bad output is what lowers it to 4/3.
///
/// Variable returns (Σλ = 1, so u = 1) give the same non-oriented and output-oriented δ; the
/// input orientation's ȳ = 4 is then out of reach: infeasible, reported.
#[test]
fn sbm_super_efficiency_with_an_undesirable_output_by_hand() {
    let mut d = Owned::new(
        &["A", "B", "C"],
        &[vec![1.0], vec![1.0], vec![1.0]],
        &[vec![4.0, 2.0], vec![2.0, 1.0], vec![2.0, 2.0]],
    );
    d.outputs = vec!["y".into(), "b".into()];
    d.undesirable = vec!["b".into()];
    for model in [Model::Sbm, Model::SbmVrs] {
        let free = dea(&d.data(), &options(model, Orientation::NonOriented, true)).unwrap();
        let a = &free.results[0];
        assert_close(a.score.unwrap(), 4.0 / 3.0, LP, &format!("{model} non-oriented δ_A"));
        assert_close(a.input_targets[0], 1.0, LP, "x̄");
        assert_close(a.output_targets[0], 2.0, LP, "ȳ");
        assert_close(a.output_targets[1], 2.0, LP, "b̄");
        assert_close(a.output_slacks[0], 2.0, LP, "good super-slack y_o − ȳ");
        assert_close(a.output_slacks[1], 0.0, LP, "bad super-slack b̄ − b_o");
        assert!(a.lambdas.iter().all(|(j, _)| *j != 0), "{:?}", a.lambdas);
        assert_close(a.lambda_sum(), 1.0, LP, "λ_B + λ_C");
        // Constant returns: B and C are not efficient and keep their SBM ρ (< 1). Variable
        // returns: no mix of A and C (bad output 2 each) reaches B's bad output 1, so B is
        // efficient, and against them (Σλ = 1: b̄ ≥ 2, ȳ ≤ 2, x̄ ≥ 1) δ_B = 1 / ((1/2)(2/2 + 2 −
        // 2/1)) = 2; C keeps ρ.
        let plain = dea(&d.data(), &options(model, Orientation::NonOriented, false)).unwrap();
        let inefficient: &[usize] = if model == Model::Sbm { &[1, 2] } else { &[2] };
        if model == Model::SbmVrs {
            assert_close(free.results[1].score.unwrap(), 2.0, LP, "sbm_vrs non-oriented δ_B");
        }
        for &k in inefficient {
            assert_eq!(free.results[k].score, plain.results[k].score, "{model} {}", d.units[k]);
            assert!(free.results[k].score.unwrap() < 1.0);
        }
        let input = dea(&d.data(), &options(model, Orientation::Input, true)).unwrap();
        let output = dea(&d.data(), &options(model, Orientation::Output, true)).unwrap();
        if model == Model::Sbm {
            assert_close(input.results[0].score.unwrap(), 2.0, LP, "input δ_A");
            assert_close(input.results[0].output_targets[1], 2.0, LP, "input orientation keeps b̄ = b_o");
        } else {
            // Σλ = 1 cannot reach ȳ = 4 from B and C (good output 2): infeasible, reported.
            assert_eq!(input.results[0].score, None);
            assert!(input.results[0].note.as_deref().unwrap_or("").contains("infeasible"));
        }
        assert_close(output.results[0].score.unwrap(), 4.0 / 3.0, LP, &format!("{model} output δ_A"));
    }
    // The same units without the bad output: Tone 2002, δ_A = 2.
    let plain = Owned::new(&["A", "B", "C"], &[vec![1.0], vec![1.0], vec![1.0]], &[vec![4.0], vec![2.0], vec![2.0]]);
    let r = dea(&plain.data(), &options(Model::Sbm, Orientation::NonOriented, true)).unwrap();
    assert_close(r.results[0].score.unwrap(), 2.0, LP, "δ_A without the bad output");
}

/// DEA scores do not depend on the units of a variable (each LP is the same after dividing a
/// variable by a constant; slacks and targets scale with it). The random data rescaled to the
/// magnitudes of the Liaoning example — population in 万人 (10^2), hospital beds (10^4), GDP in
/// 万元 (10^7), retail sales (10^7) — stopped clarabel on `MaxIterations` or
/// `InsufficientProgress` (no score), or ended at a wrong optimum (SBM), before every LP
/// divided each variable by its mean (radial.rs `variable_scales`); scripts/peers/dea_scipy.py
/// `--check embedded` found it on the real data (丹东市 2011, input-oriented SBM: 0.634 against
/// the optimum 0.492).
#[test]
fn scores_do_not_depend_on_the_units_of_a_variable() {
    let plain = random();
    let (fx, fy) = ([3.0e1, 1.0e3], [1.0e6, 3.0e5]);
    let scaled = scaled_copy(&plain, &fx, &fy);
    for model in [Model::Ccr, Model::Bcc, Model::Sbm, Model::SbmVrs] {
        let orientations: &[Orientation] = if model.is_sbm() {
            &[Orientation::NonOriented, Orientation::Input, Orientation::Output]
        } else {
            &[Orientation::Input, Orientation::Output]
        };
        for &orientation in orientations {
            let o = options(model, orientation, false);
            let a = dea(&plain.data(), &o).unwrap();
            let b = dea(&scaled.data(), &o).unwrap();
            let what = format!("{model} {}", orientation.as_str());
            for (k, (ra, rb)) in a.results.iter().zip(&b.results).enumerate() {
                assert_eq!(rb.status, Status::Optimal, "{what}, unit {}: {:?}", k + 1, rb.note);
                assert_close(rb.score.unwrap(), ra.score.unwrap(), LP, &format!("{what}, unit {}", k + 1));
                for (i, f) in fx.iter().enumerate() {
                    let want = ra.input_slacks[i] * f;
                    assert!(
                        (rb.input_slacks[i] - want).abs() <= 1e-5 * f.max(want.abs()),
                        "{what}, unit {}: input slack {i}: {} vs {want}",
                        k + 1,
                        rb.input_slacks[i]
                    );
                }
            }
        }
    }
    // The Malmquist distances too: year two is year one with every output 10 % higher.
    let mut later = random();
    later.y.mapv_inplace(|v| v * 1.1);
    let later_scaled = scaled_copy(&later, &fx, &fy);
    let a = malmquist(&plain.data(), &later.data(), Model::Ccr).unwrap();
    let b = malmquist(&scaled.data(), &later_scaled.data(), Model::Ccr).unwrap();
    for (ua, ub) in a.iter().zip(&b) {
        assert_close(ub.malmquist.unwrap(), ua.malmquist.unwrap(), LP, &format!("Malmquist {}", ua.unit));
        // Outputs 10 % higher everywhere: the frontier moved by 1.1, efficiencies did not.
        assert_close(ua.malmquist.unwrap(), 1.1, LP, &format!("Malmquist {} = 1.1", ua.unit));
    }
}

fn scaled_copy(data: &Owned, fx: &[f64], fy: &[f64]) -> Owned {
    let mut x = data.x.clone();
    let mut y = data.y.clone();
    for (mut column, f) in x.columns_mut().into_iter().zip(fx) {
        column.mapv_inplace(|v| v * f);
    }
    for (mut column, f) in y.columns_mut().into_iter().zip(fy) {
        column.mapv_inplace(|v| v * f);
    }
    Owned {
        units: data.units.clone(),
        inputs: data.inputs.clone(),
        outputs: data.outputs.clone(),
        undesirable: data.undesirable.clone(),
        x,
        y,
    }
}
