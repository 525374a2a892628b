//! `db merge`: a revision whose parents are several heads, with empty bodies.

use std::collections::BTreeSet;

use super::place::Placement;
use super::{Autogen, AutogenError, Written, write};
use crate::schema::Schema;

/// What `db merge` is asked for.
#[derive(Debug, Clone, Default)]
pub struct MergeRequest {
    /// Revisions to merge (`heads` for every head).
    pub revisions: Vec<String>,
    /// `--message`.
    pub message: String,
    /// `--plugin`: whose folder holds the merge, when the revisions belong to several.
    pub plugin: Option<String>,
    /// `--rev-id`.
    pub rev_id: Option<String>,
}

impl Autogen<'_> {
    /// Writes a merge revision of `request.revisions`.
    pub fn merge(&self, request: &MergeRequest) -> Result<Written, AutogenError> {
        if request.message.trim().is_empty() {
            return Err(AutogenError::BlankMessage);
        }
        let revisions = self.migrator.revisions();
        let graph = &revisions.graph;
        if let Some(id) = &request.rev_id {
            write::validate_id(id, graph)?;
        }
        self.check_disk()?;
        let mut parents = BTreeSet::new();
        for given in &request.revisions {
            let mut resolved = graph.resolve(given, &[]).map_err(Box::new)?;
            // `heads` means the pipeline's heads: the framework's branch is Outflow's own and
            // is never joined by a pipeline's merge (name its head to do so anyway).
            let users: Vec<String> = resolved
                .iter()
                .filter(|r| revisions.get(r).plugin != crate::model::FRAMEWORK_PLUGIN)
                .cloned()
                .collect();
            if given == "heads" && !users.is_empty() {
                resolved = users;
            }
            parents.extend(resolved);
        }
        let parents: Vec<String> = parents.into_iter().collect();
        let found = if parents.is_empty() {
            "they name none".to_string()
        } else {
            format!("they name {}", parents.join(", "))
        };
        if parents.len() < 2 {
            return Err(AutogenError::NothingToMerge { found });
        }
        for p in &parents {
            if parents
                .iter()
                .any(|q| q != p && graph.ancestors(q).contains(&p.as_str()))
            {
                return Err(AutogenError::NothingToMerge {
                    found: format!("{p} is an ancestor of another of them"),
                });
            }
        }
        let plugin = self.merge_plugin(request, &parents)?;
        let placement = Placement {
            down_revisions: parents,
            ..Placement::default()
        };
        let id = write::new_id(self, request.rev_id.as_deref());
        write::revision(
            self,
            plugin,
            &id,
            &request.message,
            &placement,
            &[],
            &Schema::new(),
        )?
        .write()
    }

    fn merge_plugin(
        &self,
        request: &MergeRequest,
        parents: &[String],
    ) -> Result<&crate::model::PluginModels, AutogenError> {
        if let Some(name) = &request.plugin {
            return self.select(Some(name)).map(|p| p[0]);
        }
        let owners: BTreeSet<&str> = parents
            .iter()
            .map(|p| self.migrator.revisions().get(p).plugin.as_str())
            .collect();
        match owners.iter().collect::<Vec<_>>().as_slice() {
            [one] => self.select(Some(one)).map(|p| p[0]),
            _ => Err(AutogenError::MergeNeedsPlugin {
                plugins: owners.into_iter().collect::<Vec<_>>().join(", "),
            }),
        }
    }
}
