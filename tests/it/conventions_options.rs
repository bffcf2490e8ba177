//! The conventions of the literature as named options (issue 17, "Names"): AHP's random-index
//! table, reciprocity tolerance and fractions; entropy's rescaling range; Mann-Kendall's
//! p-value and τ; Sen's intercept; and the error for a command-line flag the chosen method
//! does not read.
//!
//! Expected values come from independent implementations, computed once and pasted here with
//! the script that produced them (numpy 2, scipy 1.17.1, pymannkendall 1.4.3):
//!
//! ```text
//! python3 -m venv /tmp/venv-conv && /tmp/venv-conv/bin/pip install numpy scipy pymannkendall
//! /tmp/venv-conv/bin/python expected.py   # the snippets quoted at each test
//! ```

use std::path::Path;
use std::process::{Command, Output};

use citycheck::direction::Direction;
use citycheck::kernels::{array, Array2};
use citycheck::trend::{
    mann_kendall, mann_kendall_with, sen_slope, sen_slope_with, Alternative, MannKendallOptions, PMethod, PValue,
    SenIntercept, Tau,
};
use citycheck::weight::{
    ahp, ahp_within, entropy_normalized, entropy_rescaled, parse_judgement, AhpMethod, RandomIndex, Weight,
    DONEGAN_DODD_RI, SAATY_RI,
};
use citycheck::Error;

fn citycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citycheck")).args(args).output().expect("the citycheck binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

fn close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!((actual - expected).abs() <= tol, "{what}: {actual} vs {expected}");
}

fn message<T: std::fmt::Debug>(r: citycheck::Result<T>) -> String {
    match r {
        Err(e) => e.to_string(),
        Ok(v) => panic!("expected an error, got {v:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Mann-Kendall: p_value and tau
// ---------------------------------------------------------------------------------------

/// Eight years with two ties (n1 = 2 tied pairs).
const Y8: [f64; 8] = [3.1, 3.4, 3.4, 3.9, 3.7, 4.2, 4.2, 4.5];

/// ```text
/// r = pymannkendall.original_test(y)   # y = Y8
/// s 24.0  var_s 63.333333333333336  z 2.890091967212699  p 0.0038512913785901937
/// tau 0.8571428571428571
/// ```
#[test]
fn normal_cc_is_pymannkendall_original_test_at_any_n() -> citycheck::Result<()> {
    let options = MannKendallOptions { p_value: PValue::NormalCc, tau: Tau::A };
    let mk = mann_kendall_with(&Y8, Alternative::TwoSided, options)?;
    assert_eq!((mk.s, mk.method), (24, PMethod::Normal));
    close(mk.var_s, 63.333333333333336, 1e-12, "var_s");
    close(mk.z, 2.890091967212699, 1e-12, "z");
    // z agrees to 1e-12; the p-values then differ only by the normal tail functions (statrs's
    // erfc against scipy's ndtr), which agree to ~4e-11 relative at z ≈ 2.9: 1e-12 absolute.
    close(mk.p_value, 0.0038512913785901937, 1e-12, "p");
    close(mk.tau, 0.8571428571428571, 1e-15, "tau_a");
    // The default at n = 8 is the exact permutation p, unchanged.
    let default = mann_kendall(&Y8, Alternative::TwoSided)?;
    assert_eq!(default.method, PMethod::ExactTies);
    assert_eq!(mann_kendall_with(&Y8, Alternative::TwoSided, MannKendallOptions::default())?, default);
    Ok(())
}

/// ```text
/// k = scipy.stats.kendalltau(t, y, method="asymptotic", alternative=alt)   # t = T8, y = Y8
/// two-sided  tau_b 0.8894991799933215  p 0.002563460923869317
/// greater    p 0.0012817304619346585
/// less       p 0.9987182695380653
/// ```
#[test]
fn normal_without_correction_and_tau_b_are_scipy_kendalltau() -> citycheck::Result<()> {
    let options = MannKendallOptions { p_value: PValue::Normal, tau: Tau::B };
    let expected = [
        (Alternative::TwoSided, 0.002563460923869317),
        (Alternative::Increasing, 0.0012817304619346585),
        (Alternative::Decreasing, 0.9987182695380653),
    ];
    for (alternative, p) in expected {
        let mk = mann_kendall_with(&Y8, alternative, options)?;
        assert_eq!(mk.method, PMethod::NormalUncorrected);
        assert_eq!(mk.method.as_str(), "normal_uncorrected");
        // The normal tail functions of statrs and scipy agree to ~4e-11 relative here.
        close(mk.p_value, p, 1e-12, alternative.as_str());
        close(mk.tau, 0.8894991799933215, 1e-15, "tau_b");
    }
    // Without ties τ_b = τ_a.
    let untied = [1.0, 3.0, 2.0, 5.0, 4.0];
    let a =
        mann_kendall_with(&untied, Alternative::TwoSided, MannKendallOptions { tau: Tau::A, ..Default::default() })?;
    let b =
        mann_kendall_with(&untied, Alternative::TwoSided, MannKendallOptions { tau: Tau::B, ..Default::default() })?;
    assert_eq!(a.tau, b.tau);
    Ok(())
}

#[test]
fn exact_is_refused_above_its_table_and_names_parse() {
    let twelve: Vec<f64> = (0..12).map(f64::from).collect();
    let options = MannKendallOptions { p_value: PValue::Exact, tau: Tau::A };
    let err = message(mann_kendall_with(&twelve, Alternative::TwoSided, options));
    assert!(err.contains("n <= 10") && err.contains("normal_cc"), "{err}");
    // "exact" at n ≤ 10 is the default's answer.
    let exact = mann_kendall_with(&Y8, Alternative::Increasing, options).unwrap();
    assert_eq!(exact, mann_kendall(&Y8, Alternative::Increasing).unwrap());

    assert_eq!("normal_cc".parse::<PValue>().unwrap(), PValue::NormalCc);
    assert_eq!("b".parse::<Tau>().unwrap(), Tau::B);
    assert_eq!("residuals".parse::<SenIntercept>().unwrap(), SenIntercept::Residuals);
    let err = message("normal-cc".parse::<PValue>());
    assert!(err.contains("normal_cc"), "{err}");
    // R's and scipy's names of the one-sided alternatives.
    #[derive(serde::Deserialize)]
    struct Wrapper {
        alternative: Alternative,
    }
    let read = |name: &str| toml::from_str::<Wrapper>(&format!("alternative = \"{name}\"")).unwrap().alternative;
    assert_eq!((read("greater"), read("less")), (Alternative::Increasing, Alternative::Decreasing));
}

// ---------------------------------------------------------------------------------------
// Sen's intercept
// ---------------------------------------------------------------------------------------

/// ```text
/// t = [2008, 2009, 2010, 2012, 2013, 2015]; y = [61.0, 63.5, 62.0, 66.2, 70.1, 69.0]
/// scipy.stats.theilslopes(y, t, method="separate")[:2]  # 1.3000000000000007, -2549.4500000000016
/// scipy.stats.theilslopes(y, t, method="joint")[:2]     # 1.3000000000000007, -2549.4000000000015
/// ```
#[test]
fn sen_intercepts_are_scipy_theilslopes_separate_and_joint() -> citycheck::Result<()> {
    let t = [2008.0, 2009.0, 2010.0, 2012.0, 2013.0, 2015.0];
    let y = [61.0, 63.5, 62.0, 66.2, 70.1, 69.0];
    let medians = sen_slope_with(&t, &y, 0.05, SenIntercept::Medians)?;
    let residuals = sen_slope_with(&t, &y, 0.05, SenIntercept::Residuals)?;
    close(medians.slope, 1.3000000000000007, 1e-12, "slope");
    close(medians.intercept, -2549.4500000000016, 1e-8, "separate intercept");
    close(residuals.intercept, -2549.4000000000015, 1e-8, "joint intercept");
    assert_eq!((residuals.slope, residuals.ci), (medians.slope, medians.ci));
    assert_eq!(sen_slope(&t, &y, 0.05)?, medians, "the default is medians");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Entropy: rescale
// ---------------------------------------------------------------------------------------

/// numpy, written independently of the crate:
/// ```text
/// for each column: c = x or −x (cost); r = (c − min)/(max − min); v = 0.002 + 0.994 r
/// p = v/Σv; e = −Σ p ln p / ln m; d = 1 − e; w = d/Σd
/// → [0.38931972077528926, 0.3221766373339551, 0.28850364189075567]
/// ```
#[test]
fn entropy_rescale_is_the_r_range() -> citycheck::Result<()> {
    let x = array![[12.0, 3.5, 80.0], [15.0, 2.0, 95.0], [9.0, 4.1, 70.0], [20.0, 1.5, 88.0], [11.0, 2.9, 60.0]];
    let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let dirs = [Direction::Higher, Direction::Lower, Direction::Higher];
    let w = entropy_rescaled(x.view(), &dirs, 0.0, Some([0.002, 0.996]), &names, &mut Vec::new())?;
    for (a, e) in w.iter().zip([0.38931972077528926, 0.3221766373339551, 0.28850364189075567]) {
        close(*a, e, 1e-12, "rescaled entropy weight");
    }
    // The default shift is allowed alongside (not applied); another shift is refused.
    let with_default = entropy_rescaled(x.view(), &dirs, 1e-4, Some([0.002, 0.996]), &names, &mut Vec::new())?;
    assert_eq!(with_default, w);
    let err = message(entropy_rescaled(x.view(), &dirs, 0.01, Some([0.002, 0.996]), &names, &mut Vec::new()));
    assert!(err.contains("rescale or shift"), "{err}");
    let err = message(entropy_rescaled(x.view(), &dirs, 0.0, Some([0.5, 0.2]), &names, &mut Vec::new()));
    assert!(err.contains("lo < hi"), "{err}");
    // No rescale: exactly entropy_normalized.
    assert_eq!(
        entropy_rescaled(x.view(), &dirs, 1e-4, None, &names, &mut Vec::new())?,
        entropy_normalized(x.view(), &dirs, 1e-4, &names, &mut Vec::new())?
    );
    // In a spec: `rescale = [lo, hi]`, left out when not given.
    let w: Weight = toml::from_str("method = \"entropy_normalized\"\nrescale = [0.002, 0.996]").unwrap();
    assert_eq!(w, Weight::EntropyNormalized { shift: 1e-4, rescale: Some([0.002, 0.996]) });
    let plain = toml::to_string(&Weight::EntropyNormalized { shift: 1e-4, rescale: None }).unwrap();
    assert!(!plain.contains("rescale"), "{plain}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// AHP: random_index, reciprocal_tolerance, fractions
// ---------------------------------------------------------------------------------------

/// numpy.linalg.eig of [[1, 3, 5], [1/3, 1, 2], [1/5, 1/2, 1]]:
/// ```text
/// w [0.6483290138222366, 0.22965079406263708, 0.12202019211512619]
/// lambda 3.00369459806364  ci 0.0018472990318199045
/// cr (RI 0.58) 0.0031849983307239735   cr (RI 0.52) 0.003552498138115201
/// ```
#[test]
fn ahp_random_index_tables_and_fractions() -> citycheck::Result<()> {
    let third = parse_judgement("1/3").unwrap();
    let a = array![
        [1.0, 3.0, 5.0],
        [third, 1.0, 2.0],
        [parse_judgement("1/5").unwrap(), parse_judgement(" 1 / 2 ").unwrap(), 1.0]
    ];
    let saaty = ahp(a.view(), AhpMethod::Eigenvector, RandomIndex::Saaty1980.table())?;
    for (w, e) in saaty.weights.iter().zip([0.6483290138222366, 0.22965079406263708, 0.12202019211512619]) {
        close(*w, e, 1e-10, "eigenvector weight");
    }
    close(saaty.lambda_max, 3.00369459806364, 1e-10, "lambda_max");
    close(saaty.cr.unwrap(), 0.0031849983307239735, 1e-10, "CR with Saaty's RI(3) = 0.58");
    // A table given in full (here a hypothetical RI(3) = 0.52, to show the list is used).
    let table: RandomIndex = "0,0,0.52".parse()?;
    let custom = ahp(a.view(), AhpMethod::Eigenvector, table.table())?;
    close(custom.cr.unwrap(), 0.003552498138115201, 1e-10, "CR with RI(3) = 0.52");
    assert_eq!(RandomIndex::Saaty1980.table(), &SAATY_RI[..]);
    // The tables that are not shipped are refused with the way to give them.
    for name in ["saaty2005", "alonso_lamata"] {
        let err = message(name.parse::<RandomIndex>());
        assert!(err.contains("not shipped") && err.contains("random_index = ["), "{err}");
    }
    assert_eq!(parse_judgement("1/0"), None);
    assert_eq!(parse_judgement("a/3"), None);
    Ok(())
}

/// The criteria of AHPy's "Purchasing a vehicle" example (PhilipGriffith/AHPy, README; the
/// judgements of Wikipedia's "Analytic hierarchy process – car example"), in the order Cost,
/// Safety, Style, Capacity: `('Cost','Safety'): 3, ('Cost','Style'): 7, ('Cost','Capacity'): 3,
/// ('Safety','Style'): 9, ('Safety','Capacity'): 1, ('Style','Capacity'): 1/7`.
const CAR_CRITERIA: [[f64; 4]; 4] = [
    [1.0, 3.0, 7.0, 3.0],
    [1.0 / 3.0, 1.0, 9.0, 1.0],
    [1.0 / 7.0, 1.0 / 9.0, 1.0, 1.0 / 7.0],
    [1.0 / 3.0, 1.0, 7.0, 1.0],
];

/// AHPy's README prints, for `Compare('Criteria', criteria_comparisons, precision=3)` with its
/// default `random_index='dd'` (Donegan & Dodd), the weights Cost 0.51, Safety 0.234,
/// Capacity 0.215, Style 0.041 and `"consistency_ratio": 0.08`. numpy.linalg.eig of the matrix:
/// ```text
/// w [0.5100750217780861, 0.23435219357179216, 0.04051874697205854, 0.21505403767806316]
/// lambda 4.199235118131176  ci 0.06641170604372526
/// cr (RI 0.8286) 0.0801492952494874   cr (RI 0.90) 0.07379078449302806
/// ```
/// CR = CI / RI(4) with RI(4) = 0.8286, Donegan & Dodd (1991), "A note on Saaty's random
/// indexes", Mathematical and Computer Modelling 15(10):135–137; with Saaty's (1980) RI(4) =
/// 0.90 the same matrix gives 0.074, which is not what AHPy prints.
#[test]
fn ahp_donegan_dodd_table_reproduces_ahpy() -> citycheck::Result<()> {
    let a = Array2::from_shape_fn((4, 4), |(i, j)| CAR_CRITERIA[i][j]);
    let dd: RandomIndex = "donegan_dodd".parse()?;
    assert_eq!(dd, RandomIndex::DoneganDodd);
    assert_eq!(dd.table(), &DONEGAN_DODD_RI[..]);
    assert_eq!((dd.name(), dd.to_string()), ("donegan_dodd", "donegan_dodd".to_string()));
    let r = ahp(a.view(), AhpMethod::Eigenvector, dd.table())?;
    for (w, e) in
        r.weights.iter().zip([0.5100750217780861, 0.23435219357179216, 0.04051874697205854, 0.21505403767806316])
    {
        close(*w, e, 1e-9, "eigenvector weight of the car criteria");
    }
    close(r.lambda_max, 4.199235118131176, 1e-10, "lambda_max");
    close(r.ci, 0.06641170604372526, 1e-10, "CI");
    let cr = r.cr.expect("RI(4) > 0");
    close(cr, 0.06641170604372526 / 0.8286, 1e-10, "CR = CI / 0.8286 (Donegan & Dodd's RI(4))");
    close(cr, 0.0801492952494874, 1e-10, "CR with Donegan & Dodd's table");
    assert_eq!(format!("{cr:.3}"), "0.080", "AHPy prints 0.08 at precision 3");
    assert!(r.consistent);
    let saaty = ahp(a.view(), AhpMethod::Eigenvector, RandomIndex::Saaty1980.table())?;
    close(saaty.cr.unwrap(), 0.07379078449302806, 1e-10, "CR = CI / 0.90 (Saaty 1980)");

    // n = 7: Saaty's (2008) drinks matrix (coffee, wine, tea, beer, soda, milk, water), which
    // AHPy's tests/test_ahp.py scores with `random_index='dd'`, precision 4: CR 0.0235.
    // numpy.linalg.eigvals: λ 7.17662903933035, CI 0.029438173221724966; CR = CI / RI(7) with
    // RI(7) = 1.2519 (Donegan & Dodd 1991) = 0.023514796087327237.
    let drinks = array![
        [1.0, 9.0, 5.0, 2.0, 1.0, 1.0, 1.0 / 2.0],
        [1.0 / 9.0, 1.0, 1.0 / 3.0, 1.0 / 9.0, 1.0 / 9.0, 1.0 / 9.0, 1.0 / 9.0],
        [1.0 / 5.0, 3.0, 1.0, 1.0 / 3.0, 1.0 / 4.0, 1.0 / 3.0, 1.0 / 9.0],
        [1.0 / 2.0, 9.0, 3.0, 1.0, 1.0 / 2.0, 1.0, 1.0 / 3.0],
        [1.0, 9.0, 4.0, 2.0, 1.0, 2.0, 1.0 / 2.0],
        [1.0, 9.0, 3.0, 1.0, 1.0 / 2.0, 1.0, 1.0 / 3.0],
        [2.0, 9.0, 9.0, 3.0, 2.0, 3.0, 1.0]
    ];
    let r7 = ahp(drinks.view(), AhpMethod::Eigenvector, dd.table())?;
    close(r7.ci, 0.029438173221724966, 1e-10, "CI of the drinks matrix");
    close(r7.cr.unwrap(), 0.029438173221724966 / 1.2519, 1e-10, "CR = CI / 1.2519 (Donegan & Dodd's RI(7))");
    assert_eq!(format!("{:.4}", r7.cr.unwrap()), "0.0235", "AHPy's test asserts 0.0235");

    // The table as published, RI(3..20) written out, RI(1) = RI(2) = 0.
    assert_eq!(
        DONEGAN_DODD_RI,
        [
            0.0, 0.0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213, 1.4497, 1.4643, 1.4822,
            1.4969, 1.5078, 1.5153, 1.5262, 1.5313, 1.5371
        ]
    );
    // n ≤ 2: CR undefined, consistent when CI = 0.
    let two = ahp(array![[1.0, 4.0], [0.25, 1.0]].view(), AhpMethod::Eigenvector, dd.table())?;
    assert_eq!(two.cr, None);
    assert!(two.consistent);
    // Beyond n = 20 the matrix is refused, as beyond Saaty's n = 15.
    let big = Array2::<f64>::ones((21, 21));
    let err = message(ahp(big.view(), AhpMethod::Eigenvector, dd.table()));
    assert!(err.contains("stops at n = 20"), "{err}");
    assert!(ahp(Array2::<f64>::ones((20, 20)).view(), AhpMethod::Eigenvector, dd.table())?.consistent);
    let err = message(ahp(Array2::<f64>::ones((16, 16)).view(), AhpMethod::Eigenvector, &SAATY_RI));
    assert!(err.contains("stops at n = 15"), "{err}");

    // In a spec by name, and written back by name.
    let w: Weight = toml::from_str("method = \"ahp\"\nrandom_index = \"donegan_dodd\"").unwrap();
    assert!(matches!(&w, Weight::Ahp { random_index: RandomIndex::DoneganDodd, .. }), "{w:?}");
    let back = toml::to_string(&w).unwrap();
    assert!(back.contains("random_index = \"donegan_dodd\""), "{back}");
    // A misspelt name is answered with the known ones.
    let err = message("donegan-dod".parse::<RandomIndex>());
    assert!(err.contains("donegan_dodd") && err.contains("saaty1980"), "{err}");
    Ok(())
}

/// A list reproduces the table AHPy calls `'saaty'` (cited there to Saaty 2005, *Theory and
/// Applications of the Analytic Network Process*, p. 31; RI(3) = 0.52), which citycheck does not
/// ship by name: AHPy's README, "Choosing a leader", `Compare('Education', {('Moll','Nell'): 3,
/// ('Moll','Sue'): 1/5, ('Nell','Sue'): 1/7}, precision=3, random_index='saaty')` prints
/// `consistency_ratio` 0.062. numpy.linalg.eigvals: λ 3.064887579872818, CI 0.03244378993640895;
/// CR = CI / 0.52 = 0.062391903723863364 (CI / 0.58, Saaty 1980, = 0.05593756885587751).
#[test]
fn ahp_a_list_reproduces_ahpy_saaty_table() -> citycheck::Result<()> {
    let a = array![[1.0, 3.0, 1.0 / 5.0], [1.0 / 3.0, 1.0, 1.0 / 7.0], [5.0, 7.0, 1.0]];
    let table: RandomIndex = "0,0,0.52".parse()?;
    let r = ahp(a.view(), AhpMethod::Eigenvector, table.table())?;
    close(r.ci, 0.03244378993640895, 1e-10, "CI");
    close(r.cr.unwrap(), 0.03244378993640895 / 0.52, 1e-10, "CR = CI / 0.52");
    assert_eq!(format!("{:.3}", r.cr.unwrap()), "0.062", "AHPy prints 0.062");
    let saaty = ahp(a.view(), AhpMethod::Eigenvector, &SAATY_RI)?;
    close(saaty.cr.unwrap(), 0.05593756885587751, 1e-10, "CR = CI / 0.58 (Saaty 1980)");
    Ok(())
}

/// numpy.linalg.eig of [[1, 3, 5], [0.33, 1, 2], [0.2, 0.5, 1]] (1/3 typed as 0.33):
/// ```text
/// w [0.6487759363971132, 0.22910427357098004, 0.12211979003190675]  lambda 3.0005547340122467
/// ```
#[test]
fn ahp_reciprocal_tolerance_accepts_two_decimals() -> citycheck::Result<()> {
    let a = array![[1.0, 3.0, 5.0], [0.33, 1.0, 2.0], [0.2, 0.5, 1.0]];
    let err = message(ahp(a.view(), AhpMethod::Eigenvector, &SAATY_RI));
    assert!(err.contains("not reciprocal") && err.contains("reciprocal_tolerance"), "{err}");
    let r = ahp_within(a.view(), AhpMethod::Eigenvector, &SAATY_RI, 0.01)?;
    for (w, e) in r.weights.iter().zip([0.6487759363971132, 0.22910427357098004, 0.12211979003190675]) {
        close(*w, e, 1e-10, "weight of the rounded matrix");
    }
    close(r.lambda_max, 3.0005547340122467, 1e-10, "lambda_max");
    assert!(matches!(ahp_within(a.view(), AhpMethod::Eigenvector, &SAATY_RI, 1.5), Err(Error::Spec(_))));
    // In a spec, both parameters; left out when default.
    let w: Weight =
        toml::from_str("method = \"ahp\"\nrandom_index = [0, 0, 0.52]\nreciprocal_tolerance = 0.01").unwrap();
    assert_eq!(
        w,
        Weight::Ahp {
            derivation: AhpMethod::Eigenvector,
            strict: false,
            random_index: RandomIndex::Table(vec![0.0, 0.0, 0.52]),
            reciprocal_tolerance: 0.01,
        }
    );
    let plain = toml::to_string(&"ahp".parse::<Weight>()?).unwrap();
    assert!(!plain.contains("random_index") && !plain.contains("reciprocal_tolerance"), "{plain}");
    // A catalogue's judgements may be written as fractions.
    let j: citycheck::catalog::Judgement =
        toml::from_str("node = \"g\"\norder = [\"a\", \"b\"]\nmatrix = [[1, \"3\"], [\"1/3\", 1]]").unwrap();
    assert_eq!(j.matrix, vec![vec![1.0, 3.0], vec![1.0 / 3.0, 1.0]]);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------

#[test]
fn cli_weights_reads_fractions_and_the_new_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "p.csv", "criterion,a,b,c\na,1,3,5\nb,1/3,1,2\nc,1/5,1/2,1\n");
    let out = citycheck(&["weights", "--method", "ahp", "--pairwise", &p]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first: Vec<String> = text(&out.stdout).lines().nth(1).unwrap().split(',').map(str::to_string).collect();
    close(first[1].parse().unwrap(), 0.6483290138222366, 1e-10, "a's weight from fractions");
    let out = citycheck(&["weights", "--method", "ahp", "--pairwise", &p, "--random-index", "0,0,0.52"]);
    let first: Vec<String> = text(&out.stdout).lines().nth(1).unwrap().split(',').map(str::to_string).collect();
    close(first[4].parse().unwrap(), 0.003552498138115201, 1e-10, "CR with --random-index");
    // By name: AHPy's car criteria (see ahp_donegan_dodd_table_reproduces_ahpy), CR = CI / 0.8286.
    let car = write(
        dir.path(),
        "car.csv",
        "criterion,cost,safety,style,capacity\ncost,1,3,7,3\nsafety,1/3,1,9,1\nstyle,1/7,1/9,1,1/7\ncapacity,1/3,1,7,1\n",
    );
    let out = citycheck(&["weights", "--method", "ahp", "--pairwise", &car, "--random-index", "donegan_dodd"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first: Vec<String> = text(&out.stdout).lines().nth(1).unwrap().split(',').map(str::to_string).collect();
    close(first[4].parse().unwrap(), 0.0801492952494874, 1e-9, "CR with --random-index donegan_dodd");
    let out = citycheck(&["weights", "--method", "ahp", "--pairwise", &car, "--random-index", "saaty2005"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("not shipped"), "{}", text(&out.stderr));

    let rounded = write(dir.path(), "r.csv", "criterion,a,b,c\na,1,3,5\nb,0.33,1,2\nc,0.2,0.5,1\n");
    let refused = citycheck(&["weights", "--method", "ahp", "--pairwise", &rounded]);
    assert_eq!(refused.status.code(), Some(2));
    let accepted = citycheck(&["weights", "--method", "ahp", "--pairwise", &rounded, "--reciprocal-tolerance", "0.01"]);
    assert!(accepted.status.success(), "{}", text(&accepted.stderr));

    let m = write(dir.path(), "m.csv", "alt,a,b,c\nA,12,3.5,80\nB,15,2,95\nC,9,4.1,70\nD,20,1.5,88\nE,11,2.9,60\n");
    let out = citycheck(&[
        "weights",
        "--matrix",
        &m,
        "--method",
        "entropy_normalized",
        "--types",
        "+,-,+",
        "--rescale",
        "0.002,0.996",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let w: Vec<f64> =
        text(&out.stdout).lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse().unwrap()).collect();
    for (a, e) in w.iter().zip([0.38931972077528926, 0.3221766373339551, 0.28850364189075567]) {
        close(*a, e, 1e-12, "--rescale");
    }
    let shifted = citycheck(&["weights", "--matrix", &m, "--method", "entropy_normalized", "--shift", "0.01"]);
    assert!(shifted.status.success(), "{}", text(&shifted.stderr));
}

#[test]
fn cli_flags_a_method_ignores_are_errors_naming_the_methods_that_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let m = write(dir.path(), "m.csv", "alternative,cost,quality\nA,10,7\nB,12,9\nC,8,5\n");
    let cases: [(&[&str], &str, &str); 7] = [
        (&["rank", "--matrix", &m, "--method", "topsis", "--parameter", "0.3"], "--parameter", "vikor"),
        (&["rank", "--matrix", &m, "--method", "vikor", "--normalize", "sum"], "--normalize", "weighted_sum"),
        (&["rank", "--matrix", &m, "--method", "weighted_product", "--normalize", "sum"], "--normalize", "topsis"),
        (&["weights", "--matrix", &m, "--method", "critic", "--types", "-,+"], "--types", "entropy_normalized"),
        (&["weights", "--matrix", &m, "--method", "entropy", "--shift", "0.01"], "--shift", "entropy_normalized"),
        (&["weights", "--matrix", &m, "--method", "cv", "--rescale", "0.002,0.996"], "--rescale", "entropy_normalized"),
        (
            &["weights", "--matrix", &m, "--method", "critic", "--reciprocal-tolerance", "0.01"],
            "--reciprocal-tolerance",
            "ahp",
        ),
    ];
    for (args, flag, taker) in cases {
        let out = citycheck(args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(flag) && err.contains(taker) && err.contains("not read by"), "{args:?}: {err}");
    }
    // The flags are still read by the methods that take them.
    let out = citycheck(&["rank", "--matrix", &m, "--types", "-,+", "--method", "vikor", "--parameter", "0.3"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = citycheck(&["rank", "--matrix", &m, "--types", "-,+", "--method", "topsis", "--normalize", "min_max"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
