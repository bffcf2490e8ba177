//! Re-check across years (复查, METHODS.md §10): hand-built three-year ledgers with every
//! status written out, rates by hand, the invariant resolved + persisting + not_assessed =
//! carried over (proptest), the readers of ledger.csv and attainment.csv, and bad input.

use std::collections::BTreeSet;

use proptest::prelude::*;

use citycheck::recheck::{
    read_ledger, read_ledger_year, read_observations, recheck, Change, ListedProblem, Observation, ProblemId, Status,
    YearLedger,
};
use citycheck::{Catalog, Error};

fn id(indicator: &str) -> ProblemId {
    ProblemId::unit("A市", "city", indicator)
}

fn problem(indicator: &str, severity: f64, standard: Option<f64>) -> ListedProblem {
    ListedProblem { id: id(indicator), value: Some(1.0), standard, severity: Some(severity), row: None }
}

fn ledger(year: i32, problems: Vec<ListedProblem>) -> YearLedger {
    YearLedger { year, source: format!("ledger {year}"), problems }
}

fn value(indicator: &str, year: i32, x: f64, met: Option<bool>) -> Observation {
    Observation { id: id(indicator), year, value: x, standard: None, met, source: format!("values {year}") }
}

/// 2010: w, x, y, z. 2011: x (improved), y (worsened), v (new); z has a value (resolved), w has
/// none (not assessed). 2012: y (unchanged), z again (recurring); x has a value that meets its
/// standard (resolved), v has none (not assessed).
fn three_years() -> (Vec<YearLedger>, Vec<Observation>) {
    let ledgers = vec![
        // Given out of year order: the re-check sorts them.
        ledger(2012, vec![problem("y", 3.0, None), problem("z", 1.0, None)]),
        ledger(
            2010,
            vec![
                problem("x", 3.0, Some(20.0)),
                problem("y", 2.0, None),
                problem("z", 1.0, None),
                problem("w", 2.0, None),
            ],
        ),
        ledger(2011, vec![problem("x", 2.0, Some(20.0)), problem("y", 3.0, None), problem("v", 1.0, None)]),
    ];
    let observations = vec![value("z", 2011, 5.0, None), value("x", 2012, 21.0, Some(true))];
    (ledgers, observations)
}

#[test]
fn every_status_of_three_years() {
    let (ledgers, observations) = three_years();
    let r = recheck(&ledgers, &observations, None, None).unwrap();
    assert_eq!(r.years, [2010, 2011, 2012]);
    let got: Vec<(i32, &str, Status, Option<Change>, i32)> =
        r.rows.iter().map(|x| (x.year, x.id.indicator.as_str(), x.status, x.change, x.first_year)).collect();
    use Status::*;
    let expected = vec![
        (2010, "w", New, None, 2010),
        (2010, "x", New, None, 2010),
        (2010, "y", New, None, 2010),
        (2010, "z", New, None, 2010),
        (2011, "v", New, None, 2011),
        (2011, "w", NotAssessed, None, 2010),
        (2011, "x", Persisting, Some(Change::Improved), 2010),
        (2011, "y", Persisting, Some(Change::Worsened), 2010),
        (2011, "z", Resolved, None, 2010),
        (2012, "v", NotAssessed, None, 2011),
        (2012, "x", Resolved, None, 2010),
        (2012, "y", Persisting, Some(Change::Unchanged), 2010),
        (2012, "z", Recurring, None, 2010),
    ];
    assert_eq!(got, expected);
    // Evidence of the resolutions: value before and after, standard, where the value is from.
    let z = r.rows.iter().find(|x| x.year == 2011 && x.id.indicator == "z").unwrap();
    assert_eq!((z.value_before, z.value_after, z.severity_before, z.closed), (Some(1.0), Some(5.0), Some(1.0), true));
    assert!(z.note.as_deref().unwrap().contains("values 2011"));
    let x = r.rows.iter().find(|x| x.year == 2012 && x.id.indicator == "x").unwrap();
    assert_eq!((x.value_after, x.standard, x.closed), (Some(21.0), Some(20.0), true));
    assert!(x.note.as_deref().unwrap().contains("meets the standard 20"));
    let w = r.rows.iter().find(|x| x.year == 2011 && x.id.indicator == "w").unwrap();
    assert_eq!((w.value_after, w.closed), (None, false));
}

#[test]
fn counts_and_rates_by_hand() {
    let (ledgers, observations) = three_years();
    let r = recheck(&ledgers, &observations, None, None).unwrap();
    let rows: Vec<_> = r.summary.iter().map(|s| (s.year, s.counts)).collect();
    assert_eq!(rows.len(), 3);
    let (y2010, y2011, y2012) = (rows[0].1, rows[1].1, rows[2].1);
    // 2010: the first ledger, nothing carried over, rates empty (never NaN).
    assert_eq!((y2010.carried_over, y2010.new, y2010.listed), (0, 4, 0));
    assert_eq!((y2010.rectification_rate(), y2010.closure_rate()), (None, None));
    // 2011: 4 carried over = 1 resolved (z) + 2 persisting (x, y) + 1 not assessed (w); v new.
    assert_eq!(
        (y2011.carried_over, y2011.resolved, y2011.persisting, y2011.not_assessed, y2011.new, y2011.recurring),
        (4, 1, 2, 1, 1, 0)
    );
    assert_eq!(y2011.rectification_rate(), Some(0.25));
    // Listed up to 2010: w, x, y, z; closed: z.
    assert_eq!((y2011.listed, y2011.closed, y2011.closure_rate()), (4, 1, Some(0.25)));
    // 2012: 3 carried over (v, x, y) = 1 resolved (x) + 1 persisting (y) + 1 not assessed (v); z recurs.
    assert_eq!(
        (y2012.carried_over, y2012.resolved, y2012.persisting, y2012.not_assessed, y2012.new, y2012.recurring),
        (3, 1, 1, 1, 0, 1)
    );
    assert_eq!(y2012.rectification_rate(), Some(1.0 / 3.0));
    // Listed up to 2011: v, w, x, y, z; closed: x (z is open again).
    assert_eq!((y2012.listed, y2012.closed, y2012.closure_rate()), (5, 1, Some(0.2)));
    // Per indicator over units: y in 2011 is one persisting problem.
    let y = r.by_indicator.iter().find(|s| s.indicator == "y" && s.year == 2011).unwrap();
    assert_eq!((y.counts.carried_over, y.counts.persisting), (1, 1));
    assert!(r.by_task.is_empty());
}

#[test]
fn a_value_that_still_misses_the_standard_is_not_resolved() {
    let ledgers = vec![ledger(2010, vec![problem("x", 3.0, Some(20.0))]), ledger(2011, vec![])];
    let r = recheck(&ledgers, &[value("x", 2011, 15.0, Some(false))], None, None).unwrap();
    assert_eq!(r.rows[1].status, Status::Persisting);
    // A value after without a judgement against the standard resolves but does not close.
    let r = recheck(&ledgers, &[value("x", 2011, 25.0, None)], None, None).unwrap();
    assert_eq!((r.rows[1].status, r.rows[1].closed), (Status::Resolved, false));
    assert_eq!(r.summary[1].counts.closure_rate(), Some(0.0));
    assert_eq!(r.summary[1].counts.rectification_rate(), Some(1.0));
}

#[test]
fn an_indicator_that_left_the_catalogue_is_reported_and_not_assessed() {
    let catalog = Catalog::builtin("ccsy-example").unwrap();
    let ledgers = vec![
        ledger(2010, vec![problem("green_coverage_builtup", 2.0, None), problem("retired_indicator", 2.0, None)]),
        ledger(2011, vec![]),
    ];
    let observations =
        vec![value("green_coverage_builtup", 2011, 45.0, None), value("retired_indicator", 2011, 1.0, None)];
    let r = recheck(&ledgers, &observations, Some(&catalog), None).unwrap();
    let retired = r.rows.iter().find(|x| x.year == 2011 && x.id.indicator == "retired_indicator").unwrap();
    assert_eq!(retired.status, Status::NotAssessed);
    assert!(retired.note.as_deref().unwrap().contains("not in catalogue ccsy-example"));
    let kept = r.rows.iter().find(|x| x.year == 2011 && x.id.indicator == "green_coverage_builtup").unwrap();
    assert_eq!(kept.status, Status::Resolved);
    assert_eq!(r.issues.len(), 1);
    assert_eq!(r.issues[0].location.indicator.as_deref(), Some("retired_indicator"));
    assert_eq!(r.issues[0].location.file.as_deref(), Some("ledger 2010"));
}

#[test]
fn two_ledgers_of_one_year_and_a_problem_twice_are_errors() {
    let twice = vec![ledger(2010, vec![]), ledger(2010, vec![])];
    let e = recheck(&twice, &[], None, None).unwrap_err();
    assert!(e.to_string().contains("a second ledger of year 2010"), "{e}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.csv");
    std::fs::write(&path, "unit,year,indicator,value,severity\nA市,2010,x,1,3\nA市,2010,y,1,2\nA市,2010,x,2,3\n")
        .unwrap();
    let ledgers = read_ledger(&path, "city").unwrap();
    let e = recheck(&ledgers, &[], None, None).unwrap_err();
    assert!(matches!(e, Error::Data { .. }));
    let text = e.to_string();
    assert!(text.contains("ledger.csv") && text.contains("rows 2 and 4"), "{text}");
}

#[test]
fn the_files_diagnose_writes_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let l2011 = dir.path().join("l2011.csv");
    let l2012 = dir.path().join("l2012.csv");
    let attainment = dir.path().join("attainment.csv");
    let header =
        "unit,year,indicator,value,standard,attainment,level,points,weight,obstacle,rank,severity,reasons,source,note";
    std::fs::write(&l2011, format!("{header}\nA市,2011,x,10,20,0.5,red,3,0.1,12,1,30,below standard,,\nA市,2011,y,5,,,,1,0.1,8,2,10,top-5 obstacle,,\n")).unwrap();
    std::fs::write(&l2012, format!("{header}\nA市,2012,y,4,,,,1,0.1,9,1,10,top-5 obstacle,,\n")).unwrap();
    std::fs::write(&attainment, "unit,year,indicator,value,standard,met,gap,note\nA市,2012,x,22,20,true,,\n").unwrap();
    // Later ledger first: sorted by year.
    let mut ledgers = read_ledger(&l2012, "city").unwrap();
    ledgers.extend(read_ledger(&l2011, "city").unwrap());
    let values = read_observations(&attainment, "city").unwrap();
    assert_eq!(values.len(), 1);
    let r = recheck(&ledgers, &values, None, None).unwrap();
    let x = r.rows.iter().find(|x| x.year == 2012 && x.id.indicator == "x").unwrap();
    assert_eq!(
        (x.status, x.value_before, x.value_after, x.standard, x.closed),
        (Status::Resolved, Some(10.0), Some(22.0), Some(20.0), true)
    );
    assert!(x.note.as_deref().unwrap().contains("attainment.csv row 2"));
    let y = r.rows.iter().find(|x| x.year == 2012 && x.id.indicator == "y").unwrap();
    assert_eq!((y.status, y.change), (Status::Persisting, Some(Change::Unchanged)));
    // Without the attainment file, x has no value in 2012: not assessed, never resolved.
    let r = recheck(&ledgers, &[], None, None).unwrap();
    let x = r.rows.iter().find(|x| x.year == 2012 && x.id.indicator == "x").unwrap();
    assert_eq!(x.status, Status::NotAssessed);
    // The tables: rates empty where nothing was carried over; the issue's columns first.
    let summary = r.summary_dataframe().unwrap();
    let names: Vec<&str> = summary.get_column_names().iter().map(|n| n.as_str()).collect();
    assert_eq!(
        &names[..11],
        [
            "unit",
            "level",
            "year",
            "carried_over",
            "resolved",
            "persisting",
            "new",
            "recurring",
            "not_assessed",
            "rectification_rate",
            "closure_rate"
        ]
    );
    assert_eq!(summary.column("rectification_rate").unwrap().null_count(), 1);
    let rows = r.rows_dataframe().unwrap();
    let names: Vec<&str> = rows.get_column_names().iter().map(|n| n.as_str()).collect();
    assert_eq!(
        &names[..14],
        [
            "unit",
            "level",
            "object_id",
            "indicator",
            "first_year",
            "year",
            "status",
            "value_before",
            "value_after",
            "standard",
            "severity_before",
            "severity_after",
            "tasks",
            "note"
        ]
    );
}

/// A year without problems: its ledger.csv has a header and no rows. Read with its year, every
/// problem of the previous year is resolved (a value that meets the standard), persisting (a
/// value that still misses it) or not assessed (no value); read without a year it is refused.
#[test]
fn an_empty_ledger_is_a_year_without_problems() {
    let dir = tempfile::tempdir().unwrap();
    let header = "unit,year,indicator,value,standard,severity\n";
    let y2011 = dir.path().join("2011.csv");
    std::fs::write(&y2011, format!("{header}A市,2011,x,10,20,3\nA市,2011,y,5,,1\nA市,2011,z,12,20,2\n")).unwrap();
    let y2012 = dir.path().join("2012.csv");
    std::fs::write(&y2012, header).unwrap();
    let e = read_ledger(&y2012, "city").unwrap_err().to_string();
    assert!(e.contains("2012.csv") && e.contains("header and no rows"), "{e}");
    let empty = read_ledger_year(&y2012, "city", 2012).unwrap();
    assert_eq!((empty.year, empty.problems.len()), (2012, 0));
    // A ledger of other years read at a year it lacks is refused, never read as empty.
    let e = read_ledger_year(&y2011, "city", 2012).unwrap_err().to_string();
    assert!(e.contains("no problem of year 2012") && e.contains("its years: 2011"), "{e}");
    // A header that is not a ledger's is refused even without rows.
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "city,year,value\n").unwrap();
    let e = read_ledger_year(&other, "city", 2012).unwrap_err().to_string();
    assert!(e.contains("no column 'indicator'"), "{e}");

    let mut ledgers = read_ledger(&y2011, "city").unwrap();
    ledgers.push(empty);
    // 2012: x meets its standard 20, z still misses it, y has no value.
    let observations = vec![value("x", 2012, 25.0, Some(true)), value("z", 2012, 15.0, Some(false))];
    let r = recheck(&ledgers, &observations, None, None).unwrap();
    let later: Vec<(&str, Status, bool)> =
        r.rows.iter().filter(|x| x.year == 2012).map(|x| (x.id.indicator.as_str(), x.status, x.closed)).collect();
    assert_eq!(
        later,
        [("x", Status::Resolved, true), ("y", Status::NotAssessed, false), ("z", Status::Persisting, false)]
    );
    // 3 carried over = 1 resolved + 1 persisting + 1 not assessed, nothing new; 整改率 1/3;
    // 销号率 = closed (x) / listed up to 2011 (x, y, z) = 1/3.
    let c = r.summary.iter().find(|s| s.year == 2012).unwrap().counts;
    assert_eq!((c.carried_over, c.resolved, c.persisting, c.not_assessed, c.new), (3, 1, 1, 1, 0));
    assert_eq!(c.rectification_rate(), Some(1.0 / 3.0));
    assert_eq!((c.listed, c.closed, c.closure_rate()), (3, 1, Some(1.0 / 3.0)));
}

/// A ledger without rows that a run wrote is read at the diagnosed year of the run.json beside
/// it, when that run.json lists the file with its SHA-256; another file of the same name is
/// not that run's, and is refused.
#[test]
fn an_empty_ledger_beside_its_run_json_has_the_diagnosed_year() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.csv");
    std::fs::write(&ledger, "unit,year,indicator,value,standard,severity\n").unwrap();
    let digest = citycheck::io::sha256_file(&ledger).unwrap();
    let run_json = |sha: &str| {
        format!(
            r#"{{"diagnosis": {{"year": 2013}}, "outputs": [{{"file": "ledger.csv", "sha256": "{sha}"}}], "complete": true}}"#
        )
    };
    std::fs::write(dir.path().join("run.json"), run_json(digest.as_str())).unwrap();
    let ledgers = read_ledger(&ledger, "city").unwrap();
    assert_eq!(ledgers.len(), 1);
    assert_eq!((ledgers[0].year, ledgers[0].problems.len()), (2013, 0));
    std::fs::write(dir.path().join("run.json"), run_json("0".repeat(64).as_str())).unwrap();
    let e = read_ledger(&ledger, "city").unwrap_err().to_string();
    assert!(e.contains("header and no rows"), "{e}");
}

#[test]
fn object_ledgers_are_read_with_their_level_and_object_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("object_ledger.csv");
    std::fs::write(
        &path,
        "year,level,object_id,compound_id,block_id,district_id,city_id,indicator\n\
         2024,building,B1,C1,K1,D1,A市,unsafe_housing\n2025,building,B1,C1,K1,D1,A市,unsafe_housing\n\
         2025,building,B2,C1,K1,D1,A市,unsafe_housing\n",
    )
    .unwrap();
    let ledgers = read_ledger(&path, "city").unwrap();
    assert_eq!(ledgers.iter().map(|l| l.year).collect::<Vec<_>>(), [2024, 2025]);
    let r = recheck(&ledgers, &[], None, None).unwrap();
    let later: Vec<(Option<&str>, Status)> =
        r.rows.iter().filter(|x| x.year == 2025).map(|x| (x.id.object_id.as_deref(), x.status)).collect();
    assert_eq!(later, [(Some("B1"), Status::Persisting), (Some("B2"), Status::New)]);
    assert_eq!(r.rows[0].id.level, "building");
    assert_eq!(r.rows[0].id.unit, "A市");
}

proptest! {
    /// resolved + persisting + not_assessed = carried over, and carried over = the problems of
    /// the previous ledger year, for every unit and year; rates in [0, 1] or empty.
    #[test]
    fn carried_over_is_resolved_persisting_or_not_assessed(
        listed in proptest::collection::vec(proptest::collection::vec((0u8..3, 0u8..6, 1u8..4), 0..12), 2..5),
        observed in proptest::collection::vec((0u8..3, 0u8..6, 0usize..5), 0..30),
    ) {
        let ledgers: Vec<YearLedger> = listed.iter().enumerate().map(|(k, problems)| {
            let mut seen = BTreeSet::new();
            YearLedger {
                year: 2020 + k as i32,
                source: format!("y{k}"),
                problems: problems.iter().filter(|(u, i, _)| seen.insert((*u, *i))).map(|&(u, i, s)| ListedProblem {
                    id: ProblemId::unit(format!("u{u}"), "city", format!("i{i}")),
                    value: Some(1.0), standard: None, severity: Some(f64::from(s)), row: None,
                }).collect(),
            }
        }).collect();
        let observations: Vec<Observation> = observed.iter().map(|&(u, i, k)| Observation {
            id: ProblemId::unit(format!("u{u}"), "city", format!("i{i}")),
            year: 2020 + k as i32, value: 1.0, standard: None, met: None, source: "v".into(),
        }).collect();
        let r = recheck(&ledgers, &observations, None, None).unwrap();
        for s in &r.summary {
            let c = s.counts;
            prop_assert_eq!(c.resolved + c.persisting + c.not_assessed, c.carried_over);
            let k = (s.year - 2020) as usize;
            let previous = if k == 0 { 0 } else {
                ledgers[k - 1].problems.iter().filter(|p| p.id.unit == s.unit).count() as u32
            };
            prop_assert_eq!(c.carried_over, previous);
            for rate in [c.rectification_rate(), c.closure_rate()].into_iter().flatten() {
                prop_assert!((0.0..=1.0).contains(&rate));
            }
            prop_assert!(c.closed <= c.listed);
        }
    }
}
