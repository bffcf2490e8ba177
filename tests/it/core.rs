//! Every route a Rust program can take through the core gives the command line's numbers or
//! refuses (issue 12: the wrong numbers found by linking the crate from a batch program).
//!
//! The reference is the embedded default run (`citycheck run`, golden file
//! tests/golden/default_run_scores_pandas.csv, checked against pandas in golden.rs):
//! 沈阳市 2012 index = 92.7210 with the catalogue's denominators.

use std::sync::Arc;

use citycheck::aggregate::Aggregate;
use citycheck::checkup::Staged;
use citycheck::diagnose::{diagnose, diagnose_with, DiagnoseOptions, TaskCatalog};
use citycheck::evaluate::{evaluate, worsening, EvaluateOptions, DEFAULT_ALPHA};
use citycheck::normalize::Normalize;
use citycheck::run::RunConfig;
use citycheck::{Catalog, Checkup, Dataset, Error, Outcome, Panel, Pipeline, ReadOptions, Spec, ValidationMode};

const EMBEDDED: &str = "cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv";

fn panel() -> Panel {
    Panel::embedded(EMBEDDED, &ReadOptions::default().unit_column("city")).unwrap()
}

fn catalog() -> Arc<Catalog> {
    Arc::new(Catalog::builtin("ccsy-example").unwrap())
}

fn scored(spec: Spec) -> (Checkup, Dataset, Outcome) {
    let checkup = Checkup::new(catalog(), spec).unwrap();
    let panel = panel();
    let validation = panel.validate(checkup.catalog(), ValidationMode::Strict).unwrap();
    let (data, outcome) = checkup.run(&panel, &validation).unwrap();
    (checkup, data, outcome)
}

fn index(outcome: &Outcome, unit: &str, year: i32) -> f64 {
    outcome.scores.get(unit, year, "index").unwrap_or_else(|| panic!("no index for {unit} {year}"))
}

/// The README quick start's route (the library) and the command line's route (a run config)
/// give the same numbers in every cell: 92.7210 for 沈阳市 2012, not the 92.4416 of data that
/// skipped the denominators.
#[test]
fn library_routes_give_the_command_lines_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let cli = citycheck::run::run(&RunConfig::embedded(), Some(dir.path())).unwrap().outcome;
    let (_, _, library) = scored(Spec::checkup_default());
    let pipeline = Pipeline::new(catalog(), Spec::checkup_default()).unwrap().run(&panel()).unwrap().outcome;
    assert_eq!(format!("{:.4}", index(&library, "沈阳市", 2012)), "92.7210");
    for other in [&library, &pipeline] {
        assert_eq!(other.scores.rows(), cli.scores.rows());
        for r in 0..cli.scores.rows() {
            for n in 0..cli.scores.tree().nodes().len() {
                let (a, b) = (cli.scores.value(r, n), other.scores.value(r, n));
                assert!(a == b || (a.is_nan() && b.is_nan()), "row {r} node {n}: {a} vs {b}");
            }
        }
    }
}

/// Data prepared one way cannot be scored with parameters fitted on data prepared another:
/// before, scoring undivided data with the default run's parameters gave 沈阳市 2012 =
/// −27,997,611 without a word. There is no public way left to divide data twice.
#[test]
fn parameters_refuse_data_prepared_another_way() {
    let (_, _, outcome) = scored(Spec::checkup_default());
    let raw = Checkup::new(catalog(), Spec { denominate: false, ..Spec::checkup_default() }).unwrap();
    let panel = panel();
    let validation = panel.validate(raw.catalog(), ValidationMode::Strict).unwrap();
    let undivided = raw.prepare(&panel, &validation).unwrap();
    let err = outcome.fitted.transform(&undivided).unwrap_err();
    assert!(matches!(&err, Error::Mismatch(m) if m.contains("denominate = false")), "{err}");
    // The same data through a check-up whose spec divides are refused by its fit too.
    let divides = Checkup::new(catalog(), Spec::checkup_default()).unwrap();
    assert!(matches!(divides.fit(&undivided), Err(Error::Mismatch(_))));
}

/// `transform` uses the fitted spec, whatever check-up made the data: before, a TOPSIS
/// check-up scoring arithmetic-fitted parameters returned 0.868 while the spec said arithmetic.
#[test]
fn transform_uses_the_fitted_spec() {
    let (_, data, arithmetic) = scored(Spec::checkup_default());
    let topsis = Spec {
        aggregate: Staged::uniform(Aggregate::Topsis { normalize: Default::default() }),
        ..Spec::checkup_default()
    };
    let (_, _, by_topsis) = scored(topsis);
    assert!((index(&by_topsis, "沈阳市", 2012) - index(&arithmetic, "沈阳市", 2012)).abs() > 1.0);
    let again = arithmetic.fitted.transform(&data).unwrap();
    assert_eq!(again.spec(), arithmetic.spec());
    assert_eq!(index(&again, "沈阳市", 2012), index(&arithmetic, "沈阳市", 2012));
}

/// A fitted min-max cannot be applied as a z-score.
#[test]
fn parameters_of_one_method_are_not_applied_as_another() {
    let (_, data, outcome) = scored(Spec::checkup_default());
    let mut fitted = outcome.fitted.clone();
    fitted.spec.normalize = Normalize::ZScore;
    let err = fitted.transform(&data).unwrap_err();
    assert!(matches!(&err, Error::Mismatch(m) if m.contains("z_score") && m.contains("Bounds")), "{err}");
}

/// Fitted on 2008–2011, applied to 2012: values beyond the fitted bounds score above 100, and
/// the warnings count them, indicator by indicator (before: 108.59 without a note).
#[test]
fn values_beyond_the_fitted_bounds_are_counted() {
    let checkup = Checkup::new(catalog(), Spec::checkup_default()).unwrap();
    let panel = panel();
    let earlier = panel.filter_years(2008..=2011);
    let validation = earlier.validate(checkup.catalog(), ValidationMode::Strict).unwrap();
    let fitted = checkup.fit(&checkup.prepare(&earlier, &validation).unwrap()).unwrap().fitted;
    let all = panel.validate(checkup.catalog(), ValidationMode::Strict).unwrap();
    let data = checkup.prepare(&panel, &all).unwrap();
    let outcome = fitted.transform(&data).unwrap();
    let scores = &outcome.scores;
    // Count by hand the 2012 indicator cells outside [0, 100] and compare with the warnings.
    for &node in &scores.tree().indicator_nodes().collect::<Vec<_>>() {
        let id = &scores.tree().node(node).id;
        let beyond = (0..scores.rows())
            .filter(|&r| scores.year(r) == 2012)
            .filter(|&r| !(0.0..=100.0).contains(&scores.value(r, node)) && !scores.value(r, node).is_nan())
            .count();
        let warned = outcome
            .warnings
            .iter()
            .filter(|w| w.code == citycheck::WarningCode::BeyondFittedBounds)
            .find(|w| w.message.starts_with("2012: ") && w.message.contains(&format!("'{id}'")));
        match warned {
            Some(w) => assert!(w.message.contains(&format!("{beyond} value(s) lie beyond")), "{id}: {beyond} vs {w}"),
            None => assert_eq!(beyond, 0, "{id}: {beyond} cells beyond the bounds without a warning"),
        }
    }
    assert!(outcome.warnings.iter().any(|w| w.message.contains("beyond the bounds")), "{:?}", outcome.warnings);
    // The 2008–2011 rows score as the fit did: inside the bounds, no warning for those years.
    assert!(!outcome.warnings.iter().any(|w| w.message.starts_with("2010: ") && w.message.contains("beyond")));
}

/// The diagnosis reads every option: the task file it names, and the trends it asks for.
#[test]
fn diagnose_reads_its_tasks_and_trends_options() {
    let (_, data, outcome) = scored(Spec::checkup_default());
    let missing = DiagnoseOptions { tasks: "no-such-task-file".into(), ..DiagnoseOptions::default() };
    let err = diagnose(&data, &outcome, &missing).unwrap_err();
    assert!(matches!(&err, Error::Io { path, .. } if path.ends_with("no-such-task-file")), "{err}");

    let with_trends = DiagnoseOptions { trends: true, ..DiagnoseOptions::default() };
    let read = diagnose(&data, &outcome, &with_trends).unwrap();
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning").unwrap();
    let trends = worsening(&data, None, DEFAULT_ALPHA).unwrap();
    let given = diagnose_with(&data, &outcome, &tasks, Some(&trends), &with_trends).unwrap();
    assert_eq!(read.ledger, given.ledger);

    // Where a problem worsens significantly, `trends` adds its point: 沈阳市's green coverage
    // falls five years running (Mann-Kendall S = −10, exact p = 2/120 < 0.05) and is the
    // weaker of the two cities in 2012.
    let panel = Panel::from_records((2008..=2012).flat_map(|y| {
        let t = f64::from(y - 2008);
        [("沈阳市", y, "green_coverage_builtup", 45.0 - t), ("大连市", y, "green_coverage_builtup", 50.0 + t)]
    }));
    let checkup = Checkup::new(catalog(), Spec::default()).unwrap();
    let validation = panel.validate(checkup.catalog(), ValidationMode::Strict).unwrap();
    let (data, outcome) = checkup.run(&panel, &validation).unwrap();
    let points = |options: &DiagnoseOptions| {
        let d = diagnose(&data, &outcome, options).unwrap();
        d.ledger.iter().find(|p| p.unit == "沈阳市" && p.indicator == "green_coverage_builtup").unwrap().points
    };
    assert_eq!(points(&DiagnoseOptions::default()), 1, "green (no standard): 1 point");
    assert_eq!(points(&with_trends), 2, "plus one for the significant worsening trend");
}

/// An outcome is only read with the data it was scored from.
#[test]
fn outcomes_of_other_data_are_refused() {
    let (_, _, outcome) = scored(Spec::checkup_default());
    let (_, other_data, _) = scored(Spec::checkup_default());
    let err = evaluate(&other_data, &outcome, &EvaluateOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Mismatch(_)), "{err}");
    assert!(matches!(diagnose(&other_data, &outcome, &DiagnoseOptions::default()), Err(Error::Mismatch(_))));
    // A clone of the scored data is the same data.
    let (_, data, outcome) = scored(Spec::checkup_default());
    assert!(evaluate(&data.clone(), &outcome, &EvaluateOptions::default()).is_ok());
}

/// A validation belongs to one catalogue and one panel.
#[test]
fn validations_of_another_catalogue_or_panel_are_refused() {
    let panel = panel();
    let checkup = Checkup::new(catalog(), Spec::default()).unwrap();
    let other = Catalog::builtin("mohurd-2021").unwrap();
    let lenient = panel.validate(&other, ValidationMode::Lenient).unwrap();
    assert!(matches!(checkup.prepare(&panel, &lenient), Err(Error::Mismatch(m)) if m.contains("another catalogue")));
    let validation = panel.validate(checkup.catalog(), ValidationMode::Strict).unwrap();
    let fewer = panel.filter_years(2012..);
    assert!(matches!(checkup.prepare(&fewer, &validation), Err(Error::Mismatch(m)) if m.contains("another panel")));
}

/// A check-up owns its catalogue: it moves to another thread with its data, and one pipeline
/// serves several threads.
#[test]
fn checkups_move_to_other_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Checkup>();
    send_sync::<Pipeline>();
    send_sync::<Dataset>();
    send_sync::<Outcome>();
    let (checkup, data, outcome) = scored(Spec::checkup_default());
    let expected = index(&outcome, "沈阳市", 2012);
    let handle = std::thread::spawn(move || checkup.fit(&data).map(|o| index(&o, "沈阳市", 2012)));
    assert_eq!(handle.join().unwrap().unwrap(), expected);
    let pipeline = Pipeline::new(catalog(), Spec::checkup_default()).unwrap();
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..2).map(|_| s.spawn(|| pipeline.run(&panel()).unwrap())).collect();
        for run in runs {
            assert_eq!(index(&run.join().unwrap().outcome, "沈阳市", 2012), expected);
        }
    });
}

/// League tables and year filters.
#[test]
fn rankings_and_year_filters() {
    let (_, _, outcome) = scored(Spec::checkup_default());
    let league = outcome.scores.ranking(2012, "index");
    let rows_2012 = (0..outcome.scores.rows()).filter(|&r| outcome.scores.year(r) == 2012).count();
    assert_eq!(league.len(), rows_2012);
    assert!(league.windows(2).all(|w| w[0].rank <= w[1].rank && w[0].score >= w[1].score));
    assert_eq!(league[0].rank, 1);
    let shenyang = league.iter().find(|r| r.unit == "沈阳市").unwrap();
    assert_eq!(shenyang.score, index(&outcome, "沈阳市", 2012));
    assert_eq!(outcome.scores.top(2012, "index", 3).len(), 3);
    assert!(outcome.scores.top(2012, "index", 0).is_empty());
    assert!(outcome.scores.ranking(2012, "no-such-node").is_empty());
    assert!(outcome.scores.ranking(1999, "index").is_empty());
    assert_eq!(outcome.scores.years(), [2008, 2009, 2010, 2011, 2012]);
    let panel = panel();
    assert_eq!(panel.filter_years(2010..=2011).years(), [2010, 2011]);
    assert_eq!(panel.filter_years(..).len(), panel.len());
}

/// A run config with `fitted` scores with those parameters and their spec; a `[spec]` that
/// says otherwise is refused rather than silently ignored.
#[test]
fn run_configs_score_with_fitted_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let first = citycheck::run::run(&RunConfig::embedded(), Some(&dir.path().join("first"))).unwrap();
    let fitted = dir.path().join("first/fitted.json").display().to_string();
    let mut again = RunConfig::embedded();
    again.fitted = Some(fitted.clone());
    let second = citycheck::run::run(&again, Some(&dir.path().join("second"))).unwrap();
    assert_eq!(index(&second.outcome, "沈阳市", 2012), index(&first.outcome, "沈阳市", 2012));
    assert_eq!(
        std::fs::read(dir.path().join("first/scores.csv")).unwrap(),
        std::fs::read(dir.path().join("second/scores.csv")).unwrap()
    );
    again.spec = Spec { normalize: Normalize::ZScore, ..Spec::checkup_default() };
    let err = citycheck::run::run(&again, Some(&dir.path().join("third"))).unwrap_err();
    assert!(matches!(&err, Error::Mismatch(m) if m.contains("[spec]")), "{err}");
}

/// The diagnosis reads a group's score on the range its aggregation gives: TOPSIS closeness is
/// on [0, 1], so coupling's T is the mean closeness of the top-level groups (before: the
/// closeness divided by 100, and every city "极度失调").
#[test]
fn coupling_after_topsis_reads_closeness_on_its_own_scale() {
    let topsis =
        Spec { aggregate: Staged::uniform(Aggregate::Topsis { normalize: Default::default() }), ..Spec::default() };
    let (_, data, outcome) = scored(topsis);
    let d = diagnose(&data, &outcome, &DiagnoseOptions::default()).unwrap();
    let tree = outcome.scores.tree();
    let top: Vec<&str> = tree.root().children.iter().map(|&c| tree.node(c).id.as_str()).collect();
    assert!(top.len() >= 2);
    for row in d.coupling.iter().filter(|c| c.t.is_some()) {
        let u: Vec<f64> = top.iter().map(|g| outcome.scores.get(&row.unit, row.year, g).unwrap()).collect();
        assert!(u.iter().all(|x| (0.0..=1.0).contains(x)));
        // T = Σ β_k U_k with equal β.
        let t = u.iter().sum::<f64>() / u.len() as f64;
        assert!((row.t.unwrap() - t).abs() < 1e-12, "{}: T {} vs {t}", row.unit, row.t.unwrap());
    }
    // With arithmetic means the groups stay on [0, 100] and are read as score / 100.
    let (_, data, outcome) = scored(Spec::default());
    let d = diagnose(&data, &outcome, &DiagnoseOptions::default()).unwrap();
    let row = d.coupling.iter().find(|c| c.unit == "大连市").unwrap();
    let u: Vec<f64> = top.iter().map(|g| outcome.scores.get("大连市", row.year, g).unwrap() / 100.0).collect();
    assert!((row.t.unwrap() - u.iter().sum::<f64>() / u.len() as f64).abs() < 1e-12);
}

/// The natural first attempts compile: `citycheck::evaluate(..)` and `citycheck::diagnose(..)`
/// are the functions, `use citycheck::Validation` a type.
#[test]
fn root_functions_and_types() {
    let (_, data, outcome) = scored(Spec::checkup_default());
    let _: citycheck::evaluate::Evaluation =
        citycheck::evaluate(&data, &outcome, &citycheck::evaluate::EvaluateOptions::default()).unwrap();
    let d = citycheck::diagnose(&data, &outcome, &citycheck::diagnose::DiagnoseOptions::default()).unwrap();
    assert_eq!(d.year, 2012);
    let panel = panel();
    let validation: citycheck::Validation = panel.validate(&catalog(), ValidationMode::Strict).unwrap();
    assert!(validation.fatal().next().is_none());
}
