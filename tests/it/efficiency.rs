//! Data envelopment analysis and the Malmquist index (METHODS §12).
//!
//! Reference values: Cooper, Seiford & Tone, *Data Envelopment Analysis* (2nd ed., 2007),
//! Example 3.2 (six stores, two inputs, one output = 1) and a one-input one-output example in
//! the spirit of their Table 1.1, each worked out by hand below; random data cross-checked with
//! scipy.optimize.linprog (HiGHS) and pasted as literals (the script is described in the test).

use citycheck::efficiency::{
    dea, malmquist, DeaData, DeaOptions, Model, Orientation, ReturnsToScale, Status, UnitEfficiency,
};
use citycheck::kernels::{from_rows, Array2};
use citycheck::Error;

use crate::prec::{assert_close, LP};

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|k| format!("{prefix}{}", k + 1)).collect()
}

struct Owned {
    units: Vec<String>,
    inputs: Vec<String>,
    outputs: Vec<String>,
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
            x,
            y,
        }
    }
    fn data(&self) -> DeaData<'_> {
        DeaData { units: &self.units, inputs: &self.inputs, outputs: &self.outputs, x: self.x.view(), y: self.y.view() }
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
    // CCR without an orientation; SBM with super-efficiency.
    assert!(dea(&stores().data(), &options(Model::Ccr, Orientation::NonOriented, false)).is_err());
    assert!(dea(&stores().data(), &options(Model::Sbm, Orientation::NonOriented, true)).is_err());
    // Six units for two inputs and one output: fewer than 3(m + s) = 9, warned.
    let r = dea(&stores().data(), &DeaOptions::default()).unwrap();
    assert!(r.warnings.iter().any(|w| w.contains("discriminates")), "{:?}", r.warnings);
}
