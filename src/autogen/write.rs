//! Writing what autogenerate produced: revision files and `schema/<label>.yml`.

use std::path::{Path, PathBuf};

use tracing::warn;

use super::place::Placement;
use super::{Autogen, AutogenError};
use crate::model::Plugin;
use crate::ops::{Operation, reverse_all};
use crate::pipeline::Pipeline;
use crate::revision::codegen::{self, NewRevision};
use crate::revision::graph::RevisionGraph;

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

/// Writes revision `id` of `plugin`, holding `ops`.
pub(super) fn revision(
    autogen: &Autogen<'_>,
    plugin: &Plugin,
    id: &str,
    message: &str,
    placement: &Placement,
    ops: &[Operation],
) -> Result<Written, AutogenError> {
    let set = plugin
        .revision_set()
        .ok_or_else(|| AutogenError::NoRevisionFolder {
            plugin: plugin.name().to_string(),
        })?;
    let downgrade =
        reverse_all(ops).expect("operations from the differ always record what they destroy");
    let text = codegen::render(&NewRevision {
        id,
        message: message.trim(),
        down_revisions: &placement.down_revisions,
        branch_labels: &placement.branch_labels,
        depends_on: &placement.depends_on,
        create_date: chrono::Utc::now().naive_utc(),
        upgrade: ops,
        downgrade: &downgrade,
    });
    let path = Path::new(set.dir)
        .join(autogen.label())
        .join(codegen::file_name(id, message));
    write_file(&path, &text)?;
    println!("Generating {} ... done", path.display());
    let destructive: Vec<String> = ops.iter().filter_map(Operation::destruction).collect();
    for why in &destructive {
        warn!("revision {id} {why}: review it before you apply it");
    }
    Ok(Written {
        plugin: plugin.name().to_string(),
        id: id.to_string(),
        path,
        destructive,
    })
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
fn schema_text(pipeline: &Pipeline, label: &str) -> Result<String, AutogenError> {
    let models = pipeline.models(label)?;
    Ok(format!(
        "# The models of database '{label}' at head: the schema the revisions build.\n\
         # Written by `db make_migrations`; `db check` fails when it is out of date. Do not edit.\n{}",
        models.to_yaml()
    ))
}

/// Rewrites `schema/<label>.yml` when it differs from the models.
pub(super) fn schema_file(pipeline: &Pipeline, label: &str) -> Result<(), AutogenError> {
    let path = pipeline.schema_file(label);
    let text = schema_text(pipeline, label)?;
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        write_file(&path, &text)?;
        println!("Wrote {}", path.display());
    }
    Ok(())
}

/// Whether `schema/<label>.yml` describes the models.
pub(super) fn schema_file_is_current(
    pipeline: &Pipeline,
    label: &str,
) -> Result<bool, AutogenError> {
    let text = schema_text(pipeline, label)?;
    let on_disk = std::fs::read_to_string(pipeline.schema_file(label)).ok();
    Ok(on_disk.map(|t| t.replace("\r\n", "\n")).as_deref() == Some(text.as_str()))
}
