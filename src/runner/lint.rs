//! `db lint`: the linter over revisions, each against the schema the revisions before it build
//! (replayed in memory: no database is opened, but for the default range, which is the
//! revisions the database has not applied yet).

use std::path::PathBuf;

use super::{Migrator, RunError};
use crate::lint::{self, Finding, Rule, Severity};
use crate::ops::DialectName;
use crate::revision::graph::Direction;

/// A finding in a revision file.
#[derive(Debug, Clone)]
pub struct Reported {
    /// The revision.
    pub revision: String,
    /// Its file.
    pub path: PathBuf,
    /// The line of the operation in it.
    pub line: u32,
    /// The rule.
    pub rule: &'static Rule,
    /// What happens and what to do.
    pub message: String,
}

impl Reported {
    /// Whether this finding fails the lint.
    pub fn is_error(&self) -> bool {
        self.rule.severity == Severity::Error
    }
}

/// The rule of a `// lint: allow` comment that gives no reason.
static ALLOW_WITHOUT_REASON: Rule = Rule {
    id: "allow-without-reason",
    severity: Severity::Error,
    dialect: None,
    summary: "a `// lint: allow` comment that says no reason",
};

impl Migrator {
    /// The findings of the revisions `range` applies (`a:b`, `b` from base), or, without a
    /// range, of the ones the database has not applied yet, on `dialect`. Findings silenced by
    /// a `// lint: allow <rule>: <reason>` comment above their operation are left out.
    pub async fn lint(
        &self,
        range: Option<&str>,
        dialect: DialectName,
    ) -> Result<Vec<Reported>, RunError> {
        let (rows, plan) = match range {
            Some(range) => {
                let (start, end) = super::offline::split(range, false)?;
                let rows = self.revisions.graph.resolve(start, &[])?;
                let plan = self.revisions.graph.upgrade(&rows, end)?;
                (rows, plan)
            }
            None => {
                let rows = self.current_heads().await?;
                let plan = self.revisions.graph.upgrade(&rows, "heads")?;
                (rows, plan)
            }
        };
        let mut state = self.replay(&rows)?;
        let mut out = Vec::new();
        for step in plan.iter().filter(|s| s.direction == Direction::Up) {
            let revision = self.revisions.get(&step.revision);
            let recorded = revision.upgrade_recorded();
            let lines = recorded.lines().to_vec();
            let ops = recorded.into_vec();
            for finding in lint::lint(&ops, &state, Some(dialect)) {
                let line = lines.get(finding.op).copied().unwrap_or(0);
                out.extend(self.unless_allowed(&step.revision, line, finding));
            }
            for op in &ops {
                // What the model cannot replay (raw SQL) leaves the schema as it was.
                let _ = op.apply(&mut state);
            }
        }
        Ok(out)
    }

    /// The finding, or nothing when a comment above its operation allows its rule with a
    /// reason; an allow without a reason is a finding of its own.
    fn unless_allowed(&self, revision: &str, line: u32, finding: Finding) -> Option<Reported> {
        let loaded = self.revisions.get(revision);
        let report = |rule: &'static Rule, message: String| Reported {
            revision: revision.to_string(),
            path: loaded.path.clone(),
            line,
            rule,
            message,
        };
        let allowed = lint::allowed(loaded.embedded.source, line);
        match allowed.iter().find(|(id, _)| id == finding.rule.id) {
            None => Some(report(finding.rule, finding.message)),
            Some((_, reason)) if reason.is_empty() => Some(report(
                &ALLOW_WITHOUT_REASON,
                format!(
                    "`// lint: allow {}` says no reason: write it after a colon, as in `// lint: allow {}: <why it is safe here>`",
                    finding.rule.id, finding.rule.id
                ),
            )),
            Some(_) => None,
        }
    }
}
