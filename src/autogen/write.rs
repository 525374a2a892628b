//! Writing what autogenerate produced: revision files and `schema/<label>.yml`.

use std::path::{Path, PathBuf};

use tracing::warn;

use super::place::Placement;
use super::{Autogen, AutogenError};
use crate::diff::rename_hints;
use crate::lint;
use crate::model::{Catalog, PluginModels};
use crate::ops::DialectName;
use crate::ops::{Operation, reverse_all};
use crate::revision::codegen::{self, NewRevision};
use crate::revision::graph::RevisionGraph;
use crate::schema::Schema;

/// A revision file written by `make_migrations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The plugin it belongs to.
    pub plugin: String,
    /// Its id.
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// Why some operations can lose data (one line each).
    pub destructive: Vec<String>,
    /// Drops and adds that may be renames the models did not say (see
    /// [`crate::diff::RenameHint`]), written in the file too.
    pub hints: Vec<String>,
    /// The linter's findings in the file, as its `// lint:` comments give them.
    pub findings: Vec<String>,
}

/// Checks a `--rev-id` the way the version table and the graph need it.
pub(super) fn validate_id(id: &str, graph: &RevisionGraph) -> Result<(), AutogenError> {
    let bad = |reason| {
        Err(AutogenError::BadRevisionId {
            id: id.to_string(),
            reason,
        })
    };
    if id.is_empty() {
        return bad("it is empty");
    }
    if id.len() > crate::revision::graph::MAX_ID_LEN {
        return bad("it is longer than 32 characters, the size of the version column");
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return bad("use only letters, digits and '_' (it is also a file name)");
    }
    if graph.get(id).is_some() {
        return bad("a revision with this id already exists");
    }
    Ok(())
}

/// The id of a new revision: `--rev-id`, or a random one no revision has.
pub(super) fn new_id(autogen: &Autogen<'_>, given: Option<&str>) -> String {
    if let Some(id) = given {
        return id.to_string();
    }
    let graph = &autogen.migrator.revisions().graph;
    loop {
        let id = codegen::new_id();
        if graph.get(&id).is_none() {
            return id;
        }
    }
}

/// A revision file ready to be written: its text and what it is.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    pub text: String,
    pub written: Written,
}

impl Prepared {
    /// Writes the file.
    pub fn write(self) -> Result<Written, AutogenError> {
        write_file(&self.written.path, &self.text)?;
        for why in &self.written.destructive {
            warn!(
                "revision {} {why}: review it before you apply it",
                self.written.id
            );
        }
        Ok(self.written)
    }
}

/// Revision `id` of `plugin`, holding `ops`, rendered (not written yet: every revision of a
/// command is rendered before the first is written, so a refusal leaves no file behind).
pub(super) fn revision(
    autogen: &Autogen<'_>,
    plugin: &PluginModels,
    id: &str,
    message: &str,
    placement: &Placement,
    ops: &[Operation],
    before: &Schema,
) -> Result<Prepared, AutogenError> {
    let downgrade =
        reverse_all(ops).expect("operations from the differ always record what they destroy");
    let contents = Contents {
        id,
        message,
        placement,
        upgrade: ops,
        downgrade: &downgrade,
        irreversible: None,
        header: &[],
    };
    prepare(autogen, plugin, contents, before)
}

/// What a revision file holds beyond its plugin.
pub(super) struct Contents<'a> {
    pub id: &'a str,
    pub message: &'a str,
    pub placement: &'a Placement,
    pub upgrade: &'a [Operation],
    pub downgrade: &'a [Operation],
    /// Why the downgrade cannot run, when one of a squash's revisions says so.
    pub irreversible: Option<&'a str>,
    /// More header lines (a squash's `Replaces:`).
    pub header: &'a [String],
}

/// The file of `contents` in `plugin`'s folder, rendered with the reviewer's notes on the
/// operations (`before` is the schema they apply to).
pub(super) fn prepare(
    autogen: &Autogen<'_>,
    plugin: &PluginModels,
    contents: Contents<'_>,
    before: &Schema,
) -> Result<Prepared, AutogenError> {
    let set = plugin
        .revision_set()
        .ok_or_else(|| AutogenError::NoRevisionFolder {
            plugin: plugin.name().to_string(),
        })?;
    let ops = contents.upgrade;
    let dialect = autogen.migrator.target().dialect();
    let review = Review::of(ops, before, dialect);
    let text = codegen::render(&NewRevision {
        id: contents.id,
        message: contents.message.trim(),
        down_revisions: &contents.placement.down_revisions,
        branch_labels: &contents.placement.branch_labels,
        depends_on: &contents.placement.depends_on,
        create_date: chrono::Utc::now().naive_utc(),
        upgrade: ops,
        downgrade: contents.downgrade,
        notes: &review.notes,
        header: contents.header,
        irreversible: contents.irreversible,
    });
    let path = Path::new(set.dir)
        .join(autogen.label())
        .join(codegen::file_name(contents.id, contents.message));
    Ok(Prepared {
        text,
        written: Written {
            plugin: plugin.name().to_string(),
            id: contents.id.to_string(),
            path,
            destructive: ops.iter().filter_map(Operation::destruction).collect(),
            hints: review.hints,
            findings: review.findings,
        },
    })
}

/// What a reviewer reads above the operations of a new revision: the linter's findings on
/// the target's dialect and the rename hints, each at the operation it concerns.
struct Review {
    notes: Vec<Vec<String>>,
    hints: Vec<String>,
    findings: Vec<String>,
}

impl Review {
    fn of(ops: &[Operation], before: &Schema, dialect: DialectName) -> Review {
        let mut notes = vec![Vec::new(); ops.len()];
        let mut findings = Vec::new();
        for f in lint::lint(ops, before, Some(dialect)) {
            notes[f.op].push(format!(
                "lint: {} (silence it with `// lint: allow {}: <why>`)",
                f.line(),
                f.rule.id
            ));
            findings.push(f.line());
        }
        let mut hints = Vec::new();
        // Hints come first at their operation, in the order make_migrations prints them.
        let mut placed = vec![0; ops.len()];
        for hint in rename_hints(ops, crate::dialect::compare_for(dialect)) {
            if let Some(at) = ops.iter().position(|op| hint.drops(op)) {
                notes[at].insert(placed[at], format!("HINT: {hint}"));
                placed[at] += 1;
            }
            hints.push(hint.to_string());
        }
        Review {
            notes,
            hints,
            findings,
        }
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), AutogenError> {
    let fail = |e: std::io::Error| AutogenError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, text).map_err(fail)
}

/// The text of `schema/<label>.yml`.
fn schema_text(catalog: &Catalog, label: &str) -> Result<String, AutogenError> {
    let models = catalog.models(label)?;
    Ok(format!(
        "# The models of database '{label}' at head: the schema the revisions build.\n\
         # Written by `db make_migrations`; `db check` fails when it is out of date. Do not edit.\n{}",
        models.to_yaml()
    ))
}

/// Rewrites `schema/<label>.yml` when it differs from the models; the path when it did.
pub(super) fn schema_file(catalog: &Catalog, label: &str) -> Result<Option<PathBuf>, AutogenError> {
    let path = catalog.schema_file(label);
    let text = schema_text(catalog, label)?;
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(None);
    }
    write_file(&path, &text)?;
    Ok(Some(path))
}

/// Whether `schema/<label>.yml` describes the models.
pub(super) fn schema_file_is_current(catalog: &Catalog, label: &str) -> Result<bool, AutogenError> {
    let text = schema_text(catalog, label)?;
    let on_disk = std::fs::read_to_string(catalog.schema_file(label)).ok();
    Ok(on_disk.map(|t| t.replace("\r\n", "\n")).as_deref() == Some(text.as_str()))
}
