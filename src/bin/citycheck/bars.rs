//! Progress bars on the terminal (indicatif) for the library's long stages: the library reports
//! to a [`citycheck::progress::Progress`] observer and never prints; this one draws each stage
//! as a bar on stderr and clears it when the stage ends. There is none when stderr is not a
//! terminal (a pipe, a file, a test capturing it) or with `--quiet`.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use citycheck::progress::{Observer, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar's layout: the stage, the bar, done / total and the unit, time left.
const TEMPLATE: &str = "{msg} [{bar:32}] {pos}/{len} {prefix} ({elapsed}, about {eta} left)";

static OBSERVER: OnceLock<Observer> = OnceLock::new();

/// Chooses the observer of this process: bars when stderr is a terminal and `quiet` is off,
/// else none.
pub(crate) fn init(quiet: bool) {
    let observer = if quiet || !std::io::stderr().is_terminal() {
        Observer::none()
    } else {
        Observer::new(Arc::new(Bars::default()))
    };
    // Called once, from `execute`; a second call keeps the first choice.
    let _ = OBSERVER.set(observer);
}

/// The observer of this process (none before [`init`]).
pub(crate) fn observer() -> Observer {
    OBSERVER.get().cloned().unwrap_or_default()
}

/// The bar of the stage running, if any (stages run one after another).
#[derive(Default)]
struct Bars {
    bar: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn current(&self) -> MutexGuard<'_, Option<ProgressBar>> {
        self.bar.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Progress for Bars {
    fn start(&self, stage: &str, total: u64, unit: &str) {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(TEMPLATE).unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style.progress_chars("=> "));
        bar.set_message(stage.to_string());
        bar.set_prefix(unit.to_string());
        if let Some(earlier) = self.current().replace(bar) {
            earlier.finish_and_clear();
        }
    }

    fn advance(&self, done: u64) {
        if let Some(bar) = self.current().as_ref() {
            bar.inc(done);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.current().take() {
            bar.finish_and_clear();
        }
    }
}
