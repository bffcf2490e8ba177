//! Projects (项目生成): a hand-built ledger and projects table with every linked value written
//! out — coverage, gaps, priority and rank, progress against plan, overdue — and every bad
//! input's message with its file, row and column.

use std::path::{Path, PathBuf};

use citycheck::diagnose::TaskCatalog;
use citycheck::error::{Issue, IssueKind};
use citycheck::projects::{link, read_projects, Date, LinkOptions, ProjectStatus, Projects};
use citycheck::recheck::{read_ledger, read_ledger_year, YearLedger};
use citycheck::Catalog;

const LEDGER: &str = "unit,year,indicator,value,standard,severity
A,2023,green_coverage_builtup,35,40,6
A,2023,tertiary_share,38,,2
A,2023,hospital_beds,40,,4
B,2023,green_coverage_builtup,38,40,3
B,2023,garbage_harmless_rate,80,100,5
";

// P1: 2024-01-01 → 2024-12-31 (365 days); at 2024-07-01 182 days have passed.
// P2: ended 2024-03-31, not completed: overdue. P3 starts on the reference date.
// P4 names no problem and is completed (its end has passed: not overdue).
const PROJECTS: &str =
    "project_id,unit,name,tasks,problems,investment,funding_source,lead_department,plan_start,plan_end,status,progress
P1,A,绿地提升,2;3,green_coverage_builtup;tertiary_share,100,专项债,住建局,2024-01-01,2024-12-31,in_progress,30
P2,A,医疗设施,13,hospital_beds,50.5,地方财政,卫健委,2023-01-01,2024-03-31,在建,90
P3,A,口袋公园,2,green_coverage_builtup,20,社会资本,园林局,2024-07-01,2025-06-30,planned,0
P4,B,智慧平台,9,,5,地方财政,大数据局,2024-01,2024-05,completed,100%
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writable");
    path
}

fn ledger(dir: &Path) -> YearLedger {
    let mut years = read_ledger(write(dir, "ledger.csv", LEDGER), "city").expect("ledger reads");
    assert_eq!(years.len(), 1);
    years.remove(0)
}

fn as_of() -> LinkOptions {
    LinkOptions { as_of: Some(Date::new(2024, 7, 1).expect("a date")), units: Vec::new() }
}

fn linked(dir: &Path) -> Projects {
    let table = read_projects(write(dir, "projects.csv", PROJECTS)).expect("projects read");
    assert!(table.issues.is_empty(), "{:?}", table.issues);
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning").expect("built-in tasks");
    link(&table, &ledger(dir), None, Some(&tasks), &as_of())
}

#[test]
fn coverage_gaps_priority_and_progress_by_hand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = linked(dir.path());
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.year, 2023);
    let row = |id: &str| p.projects.iter().find(|r| r.project.id == id).expect("a project");

    // Priority = Σ severity of the problems addressed; ranks within A: P1 8, P3 6, P2 4.
    let (p1, p2, p3, p4) = (row("P1"), row("P2"), row("P3"), row("P4"));
    assert_eq!((p1.priority, p1.rank), (8.0, 1));
    assert_eq!((p3.priority, p3.rank), (6.0, 2));
    assert_eq!((p2.priority, p2.rank), (4.0, 3));
    assert_eq!((p4.priority, p4.rank), (0.0, 1));
    let addressed: Vec<&str> = p1.addressed.iter().map(|id| id.indicator.as_str()).collect();
    assert_eq!(addressed, ["green_coverage_builtup", "tertiary_share"]);
    assert_eq!(p1.project.tasks, [2, 3]);
    assert_eq!(p2.project.investment, Some(50.5));
    assert_eq!(p2.project.status, Some(ProjectStatus::InProgress)); // 在建

    // Progress against plan at 2024-07-01.
    let planned = 100.0 * 182.0 / 365.0;
    assert!((p1.planned_progress.unwrap() - planned).abs() < 1e-12);
    assert!((p1.progress_gap.unwrap() - (30.0 - planned)).abs() < 1e-12);
    assert_eq!(p1.overdue, Some(false));
    assert_eq!((p2.planned_progress, p2.progress_gap, p2.overdue), (Some(100.0), Some(-10.0), Some(true)));
    assert_eq!((p3.planned_progress, p3.progress_gap, p3.overdue), (Some(0.0), Some(0.0), Some(false)));
    // A month alone: the first day of a start, the last of an end; "100%" is read as 100.
    assert_eq!(p4.project.plan_start, Date::new(2024, 1, 1));
    assert_eq!(p4.project.plan_end, Date::new(2024, 5, 31));
    assert_eq!((p4.project.progress, p4.planned_progress, p4.overdue), (Some(100.0), Some(100.0), Some(false)));

    // Coverage in ledger order; the gaps are B's two problems, by severity.
    let coverage: Vec<(&str, &str, Vec<&str>)> = p
        .coverage
        .iter()
        .map(|c| (c.id.unit.as_str(), c.id.indicator.as_str(), c.projects.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        coverage,
        [
            ("A", "green_coverage_builtup", vec!["P1", "P3"]),
            ("A", "tertiary_share", vec!["P1"]),
            ("A", "hospital_beds", vec!["P2"]),
            ("B", "green_coverage_builtup", vec![]),
            ("B", "garbage_harmless_rate", vec![]),
        ]
    );
    let gaps: Vec<(u32, &str, Option<f64>)> =
        p.gaps().iter().map(|&(rank, c)| (rank, c.id.indicator.as_str(), c.severity)).collect();
    assert_eq!(gaps, [(1, "garbage_harmless_rate", Some(5.0)), (2, "green_coverage_builtup", Some(3.0))]);
    let unlinked: Vec<&str> = p.unlinked().map(|r| r.project.id.as_str()).collect();
    assert_eq!(unlinked, ["P4"]);
    assert!(p4.note.as_deref().unwrap().contains("addresses no recorded problem of the ledger of 2023"));
}

#[test]
fn the_tables_are_written_with_their_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = linked(dir.path());
    let out = dir.path().join("out");
    let written = p.write(&out, citycheck::io::OutputFormat::Csv).expect("written");
    let names: Vec<String> = written.iter().map(|w| w.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        ["projects.csv", "project_reserve.csv", "project_implementation.csv", "problem_coverage.csv", "gaps.csv"]
    );
    let gaps = std::fs::read_to_string(out.join("gaps.csv")).unwrap();
    let mut lines = gaps.lines();
    assert_eq!(lines.next(), Some("rank,unit,level,object_id,indicator,severity,value,standard,tasks"));
    // (tasks: whatever the task file links the indicator to)
    assert!(lines.next().unwrap().starts_with("1,B,city,,garbage_harmless_rate,5.0,80.0,100.0,"));
    let reserve = std::fs::read_to_string(out.join("project_reserve.csv")).unwrap();
    assert!(reserve
        .starts_with("unit,rank,project_id,name,tasks,addressed,n_addressed,investment,funding_source,priority\n"));
    assert!(
        reserve.contains("A,1,P1,绿地提升,2;3,green_coverage_builtup;tertiary_share,2,100.0,专项债,8.0"),
        "{reserve}"
    );
    let implementation = std::fs::read_to_string(out.join("project_implementation.csv")).unwrap();
    assert!(implementation
        .contains("P2,A,医疗设施,卫健委,2023-01-01,2024-03-31,in_progress,90.0,2024-07-01,100.0,-10.0,true"));
}

fn find<'a>(issues: &'a [Issue], kind: IssueKind, column: &str, row: usize) -> &'a Issue {
    issues
        .iter()
        .find(|i| i.kind == kind && i.location.column.as_deref() == Some(column) && i.location.row == Some(row))
        .unwrap_or_else(|| panic!("no {kind:?} issue at row {row}, column '{column}': {issues:#?}"))
}

#[test]
fn every_bad_cell_is_reported_with_file_row_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "bad.csv",
        "project_id,unit,name,tasks,problems,investment,plan_start,plan_end,status,progress,owner
Q1,A,x,2;x,no_such_problem,12万,2024-05-01,2024-01-31,in_progress,120,me
Q2,C,y,99,green_coverage_builtup,1,,,,,
Q3,B,z,2,garbage_harmless_rate,1,2024-13-01,,whatever,-5,
",
    );
    let table = read_projects(&path).expect("read: bad cells are issues");
    assert_eq!(table.projects.len(), 3, "nothing is dropped");
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning").unwrap();
    let p = link(&table, &ledger(dir.path()), None, Some(&tasks), &as_of());
    let file = path.display().to_string();
    for issue in &p.issues {
        assert_eq!(issue.location.file.as_deref(), Some(file.as_str()), "{issue}");
    }
    let ignored = p.issues.iter().find(|i| i.kind == IssueKind::IgnoredColumn).expect("owner is reported");
    assert_eq!(ignored.location.column.as_deref(), Some("owner"));
    assert!(find(&p.issues, IssueKind::UnknownReference, "tasks", 2).message.contains("task 'x' is not a task number"));
    let investment = find(&p.issues, IssueKind::NonNumeric, "investment", 2);
    assert!(investment.message.contains("expected a number, found '12万'"), "{investment}");
    assert!(find(&p.issues, IssueKind::OutOfRange, "progress", 2).message.contains("progress 120 is outside 0–100 %"));
    let schedule = find(&p.issues, IssueKind::InvalidSchedule, "plan_end", 2);
    assert!(schedule.message.contains("plan_end 2024-01-31 is before plan_start 2024-05-01"), "{schedule}");
    assert!(find(&p.issues, IssueKind::UnknownReference, "problems", 2).message.contains("problem 'no_such_problem'"));
    let unit = find(&p.issues, IssueKind::UnknownReference, "unit", 3);
    assert!(unit.message.contains("unit 'C' is not a unit of the ledger of 2023"), "{unit}");
    assert!(find(&p.issues, IssueKind::UnknownReference, "tasks", 3).message.contains("task 99 is not in task file"));
    assert!(find(&p.issues, IssueKind::InvalidSchedule, "plan_start", 4).message.contains("'2024-13-01'"));
    assert!(find(&p.issues, IssueKind::UnknownReference, "status", 4).message.contains("status 'whatever'"));
    assert!(find(&p.issues, IssueKind::OutOfRange, "progress", 4).message.contains("progress -5"));
    // The message names the place: file, row, column.
    let text = find(&p.issues, IssueKind::NonNumeric, "investment", 2).to_string();
    assert!(text.starts_with(&format!("{file}, row 2, column 'investment'")), "{text}");
    // Read as empty, the project kept: Q1 has no investment, no progress, both dates.
    let q1 = &p.projects[0];
    assert_eq!((q1.project.investment, q1.project.progress), (None, None));
    assert_eq!(q1.planned_progress, None, "no planned progress for an end before the start");
    // A known unit given besides the ledger's is not reported.
    let known = LinkOptions { units: vec!["C".into()], ..as_of() };
    let p = link(&table, &ledger(dir.path()), None, Some(&tasks), &known);
    assert!(!p.issues.iter().any(|i| i.location.column.as_deref() == Some("unit")));
}

/// A ledger with a header and no rows (a year without problems) links every project to
/// nothing: no coverage, no gap, every project's names unrecorded, priority 0 (rank 1 in its
/// unit); the schedule is still followed.
#[test]
fn a_year_without_problems_has_nothing_to_address() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "empty.csv", "unit,year,indicator,value,standard,severity\n");
    let empty = read_ledger_year(&path, "city", 2024).expect("a year without problems");
    let table = read_projects(write(dir.path(), "projects.csv", PROJECTS)).expect("projects read");
    let catalog = Catalog::builtin("ccsy-example").expect("built-in catalogue");
    let options = LinkOptions { units: vec!["A".into(), "B".into()], ..as_of() };
    let p = link(&table, &empty, Some(&catalog), None, &options);
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.year, 2024);
    assert!(p.coverage.is_empty() && p.gaps().is_empty());
    assert_eq!(p.unlinked().count(), 4);
    assert!(p.projects.iter().all(|r| r.priority == 0.0 && r.rank == 1 && r.addressed.is_empty()));
    assert_eq!(p.projects[0].unrecorded, ["green_coverage_builtup", "tertiary_share"]);
    assert!((p.projects[0].planned_progress.unwrap() - 100.0 * 182.0 / 365.0).abs() < 1e-12);
}

#[test]
fn duplicate_ids_and_missing_columns_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let twice = write(dir.path(), "twice.csv", "project_id,unit,name\nP1,A,x\nP1,B,y\n");
    let e = read_projects(&twice).unwrap_err().to_string();
    assert!(e.contains("row 3, column 'project_id'") && e.contains("'P1' is given twice (rows 2 and 3)"), "{e}");
    let no_unit = write(dir.path(), "no_unit.csv", "project_id,name\nP1,x\n");
    let e = read_projects(&no_unit).unwrap_err().to_string();
    assert!(e.contains("no column 'unit'"), "{e}");
    let empty_id = write(dir.path(), "empty_id.csv", "project_id,unit,name\n,A,x\n");
    let e = read_projects(&empty_id).unwrap_err().to_string();
    assert!(e.contains("row 2, column 'project_id'") && e.contains("empty project_id"), "{e}");
}

#[test]
fn an_object_of_another_unit_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let objects = write(
        dir.path(),
        "object_ledger.csv",
        "year,level,object_id,city_id,indicator\n2024,compound,C01-X,A,green_share\n",
    );
    let ledger = read_ledger(&objects, "city").unwrap().remove(0);
    let table = read_projects(write(
        dir.path(),
        "p.csv",
        "project_id,unit,name,problems\nP1,A,ok,C01-X\nP2,B,wrong city,C01-X\n",
    ))
    .unwrap();
    let p = link(&table, &ledger, None, None, &LinkOptions { units: vec!["B".into()], ..Default::default() });
    assert_eq!(p.projects[0].addressed.len(), 1);
    assert_eq!(p.coverage[0].projects, ["P1"]);
    let issue = find(&p.issues, IssueKind::UnknownReference, "problems", 3);
    assert!(issue.message.contains("object 'C01-X' is a problem of A in the ledger of 2024, not of 'B'"), "{issue}");
}

#[test]
fn a_run_links_the_synthetic_projects_to_its_diagnosis() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = citycheck::run::RunConfig::embedded();
    config.projects = Some(citycheck::run::ProjectsConfig {
        path: concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/projects_synthetic/projects.csv").to_string(),
        as_of: Some(Date::new(2025, 6, 30).unwrap()),
    });
    let out = citycheck::run::run(&config, Some(dir.path())).expect("the run");
    let p = out.projects.expect("[projects] links");
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.projects.len(), 6);
    assert!(p.unlinked().any(|r| r.project.id == "AS-2024-01"));
    // SY-2024-02 ended 2024-12-31 and is not completed; DL-2024-02 is completed.
    let overdue: Vec<&str> =
        p.projects.iter().filter(|r| r.overdue == Some(true)).map(|r| r.project.id.as_str()).collect();
    assert_eq!(overdue, ["SY-2024-02"]);
    for file in
        ["projects.csv", "project_reserve.csv", "project_implementation.csv", "problem_coverage.csv", "gaps.csv"]
    {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
    assert_eq!(out.report.projects.as_ref().map(|s| s.projects), Some(6));
}
