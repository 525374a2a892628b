//! Progress on a terminal: a bar over the revisions of a long upgrade or downgrade, a spinner
//! while a database is read. Never drawn when stderr is not a terminal, nor for `--sql` and
//! `--json` output (which do not call these).

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::runner::{Progress, ProgressEvent};

/// A plan of at least this many revisions gets a bar; a shorter one is done before a bar
/// would be read.
pub const BAR_FROM: usize = 5;

/// The bar or spinner on screen, which log lines lift.
static SHOWN: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Runs `write` with the bar on screen (if any) lifted, so that a log line is not drawn over.
pub fn above_bar(write: impl FnOnce()) {
    let shown = SHOWN.lock().ok().and_then(|s| s.clone());
    match shown {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

/// Whether progress may be drawn: stderr is a terminal.
pub fn wanted(stderr_is_terminal: bool, steps: usize) -> bool {
    stderr_is_terminal && steps >= BAR_FROM
}

fn show(bar: &ProgressBar) {
    if let Ok(mut shown) = SHOWN.lock() {
        *shown = Some(bar.clone());
    }
}

fn hide(bar: &ProgressBar) {
    bar.finish_and_clear();
    if let Ok(mut shown) = SHOWN.lock() {
        *shown = None;
    }
}

/// What the runner calls as it goes: a bar `[elapsed] ███░░ n/N <revision message>` when the
/// plan is long enough and stderr a terminal.
pub fn revisions_on_stderr() -> Progress {
    revisions(std::io::stderr().is_terminal())
}

/// [`revisions_on_stderr`], told whether stderr is a terminal.
fn revisions(terminal: bool) -> Progress {
    let bar: Arc<Mutex<Option<ProgressBar>>> = Arc::default();
    Arc::new(move |event: ProgressEvent<'_>| {
        let Ok(mut slot) = bar.lock() else { return };
        match event {
            ProgressEvent::Planned { steps } if wanted(terminal, steps) => {
                let new = ProgressBar::new(steps as u64).with_style(
                    ProgressStyle::with_template(
                        "[{elapsed_precise}] {bar:30} {pos}/{len} {wide_msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                show(&new);
                *slot = Some(new);
            }
            ProgressEvent::Planned { .. } => {}
            ProgressEvent::Step { title } => {
                if let Some(b) = slot.as_ref() {
                    b.set_message(title.to_string());
                }
            }
            ProgressEvent::Done => {
                if let Some(b) = slot.as_ref() {
                    b.inc(1);
                }
            }
            ProgressEvent::Finished => {
                if let Some(b) = slot.take() {
                    hide(&b);
                }
            }
        }
    })
}

/// A spinner saying `what` while `work` runs, on a terminal only.
pub async fn spinning<T>(what: &str, work: impl Future<Output = T>) -> T {
    if !std::io::stderr().is_terminal() {
        return work.await;
    }
    let spinner = ProgressBar::new_spinner().with_message(what.to_string());
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    spinner.enable_steady_tick(Duration::from_millis(120));
    show(&spinner);
    let out = work.await;
    hide(&spinner);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_needs_a_terminal_and_a_long_plan() {
        assert!(wanted(true, BAR_FROM));
        assert!(!wanted(true, BAR_FROM - 1));
        assert!(!wanted(false, 5000));
    }

    #[test]
    fn without_a_terminal_events_draw_nothing() {
        let progress = revisions(false);
        progress(ProgressEvent::Planned { steps: 50 });
        assert!(SHOWN.lock().unwrap().is_none());
        progress(ProgressEvent::Step {
            title: "Running upgrade",
        });
        progress(ProgressEvent::Done);
        progress(ProgressEvent::Finished);
        assert!(SHOWN.lock().unwrap().is_none());
    }
}
