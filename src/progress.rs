//! Progress of long work: the stages that can take more than a second (computing indicators
//! from records, uncertainty draws, Sobol model runs, efficiency LPs, report pages) tell an
//! observer how much of their work is done. The library never prints: the command line draws
//! the observer as a progress bar on a terminal (indicatif), the tests count the calls.
//!
//! A leaf (layer 0, importing nothing of the crate), so that every layer, the methods
//! included, can report.
//!
//! # Examples
//! ```
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use std::sync::Arc;
//! use citycheck::progress::{Observer, Progress};
//!
//! /// Counts the work done.
//! #[derive(Default)]
//! struct Count(AtomicU64);
//! impl Progress for Count {
//!     fn start(&self, _stage: &str, _total: u64, _unit: &str) {}
//!     fn advance(&self, done: u64) {
//!         self.0.fetch_add(done, Ordering::Relaxed);
//!     }
//!     fn finish(&self) {}
//! }
//!
//! let count = Arc::new(Count::default());
//! let observer = Observer::new(count.clone());
//! {
//!     let stage = observer.stage("draws", 3, "draws");
//!     for _ in 0..3 {
//!         stage.advance(1);
//!     }
//! } // the stage ends here
//! assert_eq!(count.0.load(Ordering::Relaxed), 3);
//! // Without an observer nothing is called.
//! Observer::none().stage("draws", 3, "draws").advance(1);
//! ```

use std::fmt;
use std::sync::Arc;

/// An observer of long work. A stage calls [`start`](Progress::start) once, then
/// [`advance`](Progress::advance) as its work is done (from rayon's worker threads: hence
/// `Send + Sync`; the increments add up to `total` when the stage completes), then
/// [`finish`](Progress::finish), also when it fails. Stages run one after another.
pub trait Progress: Send + Sync {
    /// A stage starts: `stage` names it (`uncertainty draws`), `total` counts its work in
    /// `unit`s (`draws`, `LPs`, `units`).
    fn start(&self, stage: &str, total: u64, unit: &str);
    /// `done` more units of work of the current stage are done.
    fn advance(&self, done: u64);
    /// The current stage has ended.
    fn finish(&self);
}

/// An optional [`Progress`] observer as options and configs carry it: cheap to clone, none by
/// default. Two observers always compare equal (progress never changes a result), and one
/// prints as `Observer(on)` or `Observer(off)`.
#[derive(Clone, Default)]
pub struct Observer(Option<Arc<dyn Progress>>);

impl Observer {
    /// An observer that reports to `progress`.
    pub fn new(progress: Arc<dyn Progress>) -> Observer {
        Observer(Some(progress))
    }

    /// No observer: stages report nothing.
    pub fn none() -> Observer {
        Observer(None)
    }

    /// Whether there is an observer.
    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Starts a stage of `total` units of work; it ends when the returned [`Stage`] is dropped.
    pub fn stage(&self, name: &str, total: u64, unit: &str) -> Stage<'_> {
        let progress = self.0.as_deref();
        if let Some(p) = progress {
            p.start(name, total, unit);
        }
        Stage { progress }
    }
}

impl fmt::Debug for Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_on() { "Observer(on)" } else { "Observer(off)" })
    }
}

impl PartialEq for Observer {
    fn eq(&self, _other: &Observer) -> bool {
        true
    }
}

/// A running stage of an [`Observer`]: [`advance`](Stage::advance) reports work done (it may
/// be called from several threads at once); dropping it ends the stage.
pub struct Stage<'a> {
    progress: Option<&'a dyn Progress>,
}

impl Stage<'_> {
    /// `done` more units of work are done.
    pub fn advance(&self, done: u64) {
        if let Some(p) = self.progress {
            p.advance(done);
        }
    }
}

impl Drop for Stage<'_> {
    fn drop(&mut self) {
        if let Some(p) = self.progress {
            p.finish();
        }
    }
}
