//! Progress of long work (issue 19 item 5): each observed stage of the library (rows read,
//! uncertainty draws, Sobol runs, efficiency LPs, record tables, report pages) announces its
//! total, advances by exactly that total and ends; the command line draws no bar on a stderr
//! that is not a terminal.

use std::sync::{Arc, Mutex};

use citycheck::compute::{compute_observed, ComputeOptions, RecordTable};
use citycheck::efficiency::{
    dea_observed, malmquist_observed, DeaData, DeaOptions, MalmquistOptions, Model, Orientation,
};
use citycheck::kernels::from_rows;
use citycheck::prelude::*;
use citycheck::progress::{Observer, Progress};
use citycheck::report::{write_report, ReportOptions};
use citycheck::run::RunConfig;
use citycheck::uncertainty::{analyze_observed, UncertaintyConfig};

/// One stage as observed: name, total and unit as announced, the work reported done, ended.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    stage: String,
    total: u64,
    unit: String,
    done: u64,
    finished: bool,
}

impl Seen {
    /// A stage that ran to its end: all its work reported, then finished.
    fn complete(stage: &str, total: u64, unit: &str) -> Seen {
        Seen { stage: stage.to_string(), total, unit: unit.to_string(), done: total, finished: true }
    }
}

/// Records every call; stages run one after another, so work goes to the last one started.
#[derive(Default)]
struct Recorder(Mutex<Vec<Seen>>);

impl Progress for Recorder {
    fn start(&self, stage: &str, total: u64, unit: &str) {
        let mut seen = self.0.lock().unwrap();
        assert!(seen.iter().all(|s| s.finished), "{stage} starts before the stage before it ended");
        seen.push(Seen { stage: stage.to_string(), total, unit: unit.to_string(), done: 0, finished: false });
    }

    fn advance(&self, done: u64) {
        let mut seen = self.0.lock().unwrap();
        let last = seen.last_mut().expect("work is reported after a stage starts");
        assert!(!last.finished, "work reported after {} ended", last.stage);
        last.done += done;
    }

    fn finish(&self) {
        let mut seen = self.0.lock().unwrap();
        let last = seen.last_mut().expect("a stage ends after it starts");
        assert!(!last.finished, "{} ended twice", last.stage);
        last.finished = true;
    }
}

fn new_recorder() -> (Arc<Recorder>, Observer) {
    let recorder = Arc::new(Recorder::default());
    let observer = Observer::new(recorder.clone());
    (recorder, observer)
}

fn seen(recorder: &Recorder) -> Vec<Seen> {
    recorder.0.lock().unwrap().clone()
}

#[test]
fn uncertainty_reports_every_draw_then_every_sobol_run() {
    let checkup = Checkup::new(Catalog::builtin("ccsy-example").unwrap(), Spec::checkup_default()).unwrap();
    let read = ReadOptions::default().unit_column("city");
    let panel = Panel::embedded("cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv", &read).unwrap();
    let validation = panel.validate(checkup.catalog(), ValidationMode::Strict).unwrap();
    let config = UncertaintyConfig::from_toml(
        "draws = 40\nseed = 3\nsensitivity = { rows = 8, bootstrap = 20 }\n\
         [[inputs]]\nstage = \"normalize\"\nalternatives = [\"min_max\", \"rank\"]\n\
         [[inputs]]\nstage = \"weights\"\nperturb = 0.25\n",
    )
    .unwrap();
    let (recorder, observer) = new_recorder();
    let result = analyze_observed(&checkup, &panel, &validation, &config, &observer).unwrap();
    // Two inputs (k = 2): the Sobol design runs the model N (k + 2) = 8 × 4 = 32 times.
    // Two rows (one per input) of the mean absolute rank shift, then two per ranked unit-year.
    let shift: Vec<_> = result.sensitivity.iter().filter(|r| r.target == "mean_abs_rank_shift").collect();
    assert_eq!(shift.len(), 2);
    assert_eq!(result.sensitivity.len() % 2, 0);
    assert_eq!(
        seen(&recorder),
        [Seen::complete("uncertainty draws", 40, "draws"), Seen::complete("Sobol model runs", 32, "runs")]
    );
    // The observer changes nothing: the same analysis without one.
    let plain = citycheck::uncertainty::analyze(&checkup, &panel, &validation, &config).unwrap();
    assert_eq!(plain.rows, result.rows);
}

#[test]
fn efficiency_reports_its_lps_and_malmquist_units() {
    let units: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
    let (inputs, outputs, undesirable) = (vec!["x".to_string()], vec!["y".to_string()], Vec::<String>::new());
    let x = from_rows(&[vec![2.0], vec![3.0], vec![4.0], vec![5.0]]).unwrap();
    let y = from_rows(&[vec![1.0], vec![2.0], vec![2.0], vec![3.0]]).unwrap();
    let data = DeaData {
        units: &units,
        inputs: &inputs,
        outputs: &outputs,
        undesirable: &undesirable,
        x: x.view(),
        y: y.view(),
    };
    // CCR without super-efficiency: 4 CCR LPs and 4 BCC LPs for the scale efficiency.
    // With super-efficiency, and SBM: one LP per unit.
    let cases = [
        (DeaOptions { model: Model::Ccr, orientation: Orientation::Input, ..DeaOptions::default() }, 8),
        (
            DeaOptions {
                model: Model::Ccr,
                orientation: Orientation::Input,
                super_efficiency: true,
                ..DeaOptions::default()
            },
            4,
        ),
        (DeaOptions { model: Model::Sbm, orientation: Orientation::NonOriented, ..DeaOptions::default() }, 4),
    ];
    for (options, lps) in cases {
        let (recorder, observer) = new_recorder();
        let observed = dea_observed(&data, &options, &observer).unwrap();
        assert_eq!(seen(&recorder), [Seen::complete("efficiency LPs", lps, "LPs")], "{options:?}");
        let plain = citycheck::efficiency::dea(&data, &options).unwrap();
        let scores = |e: &citycheck::efficiency::Efficiency| e.results.iter().map(|r| r.score).collect::<Vec<_>>();
        assert_eq!(scores(&observed), scores(&plain), "{options:?}: the observer changes nothing");
    }
    // The Malmquist index: a step per unit of both years (here a year against itself).
    let (recorder, observer) = new_recorder();
    let options = MalmquistOptions { model: Model::Ccr, orientation: Orientation::Input };
    let units = malmquist_observed(&data, &data, &options, &observer).unwrap();
    assert_eq!(units.len(), 4);
    assert_eq!(seen(&recorder), [Seen::complete("Malmquist units", 4, "units")]);
}

#[test]
fn computing_from_records_reports_each_table() {
    let folder = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/province_sample"));
    let paths: Vec<std::path::PathBuf> =
        ["buildings", "compounds", "blocks", "districts"].iter().map(|t| folder.join(format!("{t}.csv"))).collect();
    let tables = RecordTable::read_all(&paths).unwrap();
    let catalog = Catalog::builtin("mohurd-2023").unwrap();
    let (recorder, observer) = new_recorder();
    compute_observed(&catalog, &tables, &ComputeOptions::default(), &observer).unwrap();
    assert_eq!(seen(&recorder), [Seen::complete("computing from records", tables.len() as u64, "tables")]);
}

#[test]
fn a_run_reports_its_rows_and_its_pages() {
    // The default run reads the embedded long table (a row per city, year and indicator) and
    // writes a page per city (14); nothing else it does is a long stage.
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv"
    ))
    .unwrap();
    let rows = csv.lines().skip(1).filter(|l| !l.trim().is_empty()).count() as u64;
    assert_eq!(rows, 480);
    let dir = tempfile::tempdir().unwrap();
    let (recorder, observer) = new_recorder();
    let config = RunConfig { progress: observer, ..RunConfig::embedded() };
    citycheck::run::run(&config, Some(dir.path())).unwrap();
    assert_eq!(
        seen(&recorder),
        [Seen::complete("reading rows", rows, "rows"), Seen::complete("report pages", 14, "pages")]
    );

    let (recorder, observer) = new_recorder();
    let options = ReportOptions::new().progress(observer).out(dir.path().join("again"));
    let written = write_report(dir.path(), &options).unwrap();
    assert_eq!(seen(&recorder), [Seen::complete("report pages", written.units as u64, "pages")]);
}

/// No progress bar where stderr is not a terminal (here a pipe the test reads), with or without
/// `--quiet` (a global flag, after the subcommand too).
#[cfg(feature = "cli")]
#[test]
fn the_command_line_draws_no_bar_on_a_captured_stderr() {
    use std::process::Command;
    for quiet in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_citycheck"));
        command.arg("run").arg("--out").arg(dir.path());
        if quiet {
            command.arg("--quiet");
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(dir.path().join("report.html").exists());
        assert!(!stderr.contains('\r'), "a bar redraws its line with \\r: {stderr}");
        assert!(!stderr.contains('\u{1b}'), "no terminal escape sequence: {stderr}");
        assert!(!stderr.contains("report pages"), "no stage name: {stderr}");
        assert!(stderr.contains("wrote"), "the messages are still written: {stderr}");
    }
}
