//! Checksums of revision files, and the check that no applied revision was edited since.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::dialect::LogRow;
use crate::dialect::applied::LogEvent;
use crate::revision::load::Revisions;

/// SHA-256 (hex) of a revision file's source, with `\r\n` read as `\n` so that a checkout on
/// another platform does not count as an edit.
///
/// ```
/// use outflow::runner::checksum;
/// assert_eq!(checksum("a\r\nb\n"), checksum("a\nb\n"));
/// assert_ne!(checksum("a\nb\n"), checksum("a\nc\n"));
/// ```
pub fn checksum(source: &str) -> String {
    let digest = Sha256::digest(source.replace("\r\n", "\n"));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// An applied revision whose source changed after it was applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "revision {id} ({message}) was edited after it was applied on {applied_at}: its checksum was \
     {}, it is now {}; undo the edit, or accept it with `db stamp --update-checksums {id}`",
    short(then),
    short(now)
)]
pub struct EditedRevision {
    /// The revision.
    pub id: String,
    /// Its message.
    pub message: String,
    /// When the recorded source was applied (or accepted).
    pub applied_at: String,
    /// The checksum recorded then.
    pub then: String,
    /// The checksum of the source in this build.
    pub now: String,
}

fn short(sum: &str) -> &str {
    &sum[..sum.len().min(16)]
}

/// What `db verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// Applied revisions whose checksum matches.
    pub matching: usize,
    /// Applied revisions edited since.
    pub edited: Vec<EditedRevision>,
    /// Applied revisions with no checksum in the log (applied before the log existed, or by
    /// an offline script).
    pub unrecorded: Vec<String>,
}

/// Compares the checksum last recorded for each applied revision (every revision the heads
/// `current` need) with the source compiled in.
pub fn verify(revisions: &Revisions, current: &[String], log: &[LogRow]) -> Verification {
    let mut recorded: BTreeMap<&str, &LogRow> = BTreeMap::new();
    for row in log {
        if row.outcome == "applied" && LogEvent::records_source(&row.direction) {
            recorded.insert(&row.revision, row);
        }
    }
    let mut out = Verification::default();
    for id in applied(revisions, current) {
        let Some(revision) = revisions.by_id.get(id) else {
            continue;
        };
        let now = checksum(revision.embedded.source);
        match recorded
            .get(id)
            .and_then(|r| r.checksum.as_deref().map(|c| (r, c)))
        {
            None => out.unrecorded.push(id.to_string()),
            Some((_, then)) if then == now => out.matching += 1,
            // Applied before a squash rewrote the file: the squash is what was applied.
            Some((_, then)) if revision.replaced_checksum().as_deref() == Some(then) => {
                out.matching += 1
            }
            Some((row, then)) => out.edited.push(EditedRevision {
                id: id.to_string(),
                message: revision.message(),
                applied_at: row.applied_at.clone(),
                then: then.to_string(),
                now,
            }),
        }
    }
    out
}

/// Every applied revision: the heads and all they need, parents first.
pub fn applied<'a>(revisions: &'a Revisions, current: &[String]) -> Vec<&'a str> {
    let mut seen = BTreeSet::new();
    for head in current {
        if let Some(r) = revisions.graph.get(head) {
            seen.insert(r.id.as_str());
            seen.extend(revisions.graph.ancestors(head));
        }
    }
    revisions
        .graph
        .topological()
        .into_iter()
        .filter(|id| seen.contains(id))
        .collect()
}
