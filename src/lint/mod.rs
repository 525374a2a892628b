//! The linter: what a revision's operations risk when they run on a database with data, rule
//! by rule, before they run.
//!
//! Each rule has a stable id, a severity and a message that says what happens and what to do
//! ([`RULES`]; Squawk's and Atlas's analyzers are the anchors). `db lint` reports the findings
//! of the revisions not yet applied, one line each, and fails on errors; the generator writes
//! the same findings as `// lint:` comments above each operation of a new revision, so that a
//! reviewer reads them in the pull request. A finding is silenced, with its reason, by a
//! comment right above the operation: `// lint: allow drop-column: nothing reads it since
//! v2.3`.
//!
//! Layer: above `diff`, `ops` and `schema`, the only modules it may use: it reads operations
//! and the schema they apply to, never a database.

mod rules;

use crate::ops::{DialectName, Operation};
use crate::schema::Schema;

pub use rules::RULES;

/// How much a finding matters: an error fails `db lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth a look; never fails the lint.
    Warning,
    /// Loses or rejects data, or cannot run as written: fails the lint until silenced.
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A rule of the linter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The stable id, as a `// lint: allow` comment names it.
    pub id: &'static str,
    /// How much its findings matter.
    pub severity: Severity,
    /// Only on this dialect (`None`: every one).
    pub dialect: Option<DialectName>,
    /// What it finds, in a few words.
    pub summary: &'static str,
}

/// One thing a rule found in one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// The operation, by its index in the revision.
    pub op: usize,
    /// What happens and what to do.
    pub message: String,
}

impl Finding {
    /// `rule-id (severity): message`, the line a report and a generated comment show.
    pub fn line(&self) -> String {
        format!(
            "{} ({}): {}",
            self.rule.id, self.rule.severity, self.message
        )
    }
}

/// The findings of `ops`, a revision applied to `before`, on `dialect` (`None`: the rules of
/// every dialect), in operation order.
///
/// ```
/// use outflow::lint::lint;
/// use outflow::ops::Operation;
/// use outflow::schema::{column, table, Schema, Type};
///
/// let before = Schema::from_tables([table("t").column(column("a", Type::Integer))]);
/// let ops = [Operation::DropColumn { table: "t".into(), column: "a".into(), definition: None }];
/// let findings = lint(&ops, &before, None);
/// assert_eq!(findings[0].rule.id, "drop-column");
/// ```
pub fn lint(ops: &[Operation], before: &Schema, dialect: Option<DialectName>) -> Vec<Finding> {
    let mut state = before.clone();
    let mut created = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let context = rules::Context {
            state: &state,
            created: &created,
            ops,
            index: i,
        };
        out.extend(
            rules::check(op, &context)
                .into_iter()
                .filter_map(|(rule, message)| {
                    let applies =
                        rule.dialect.is_none() || dialect.is_none() || rule.dialect == dialect;
                    applies.then_some(Finding {
                        rule,
                        op: i,
                        message,
                    })
                }),
        );
        if let Operation::CreateTable(t) = op {
            created.insert(t.name.clone());
        }
        if let Operation::RenameTable { from, to } = op
            && created.remove(from)
        {
            created.insert(to.clone());
        }
        // Raw SQL and operations the schema model cannot replay leave the state as it was.
        let _ = op.apply(&mut state);
    }
    out
}

/// The `// lint: allow <id>[, <id>]: <reason>` comments in the lines right above `line`
/// (1-based) of `source`: each id with its reason (empty when none was given).
pub fn allowed(source: &str, line: u32) -> Vec<(String, String)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    let mut at = (line as usize).saturating_sub(1);
    while at > 0 {
        at -= 1;
        let text = lines.get(at).map(|l| l.trim()).unwrap_or("");
        let Some(comment) = text.strip_prefix("//") else {
            break;
        };
        if let Some(allow) = comment.trim().strip_prefix("lint: allow ") {
            let (ids, reason) = allow.split_once(':').unwrap_or((allow, ""));
            for id in ids.split(',') {
                out.push((id.trim().to_string(), reason.trim().to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
