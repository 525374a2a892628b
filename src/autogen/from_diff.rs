//! `db diff --from X --to Y --revision`: the operations between any two schemas, written as a
//! revision of one plugin, placed as `make_migrations` places its own.

use std::collections::BTreeMap;

use super::write::{self, Written};
use super::{Autogen, AutogenError, Ownership, Request, Snapshot};
use crate::ops::Operation;
use crate::schema::Schema;

impl Autogen<'_> {
    /// Writes `ops` as one revision of the plugin `request` selects, on its branch of this
    /// label. The label's database is not read: the operations come from the diff.
    pub fn write_diff(
        &self,
        request: &Request,
        ops: &[Operation],
        before: &Schema,
    ) -> Result<Written, AutogenError> {
        if request.message.trim().is_empty() {
            return Err(AutogenError::BlankMessage);
        }
        let plugins = self.select(request.plugin.as_deref())?;
        let [plugin] = plugins.as_slice() else {
            let known = plugins
                .iter()
                .map(|p| p.name())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(AutogenError::DiffNeedsPlugin { known });
        };
        if let Some(id) = &request.rev_id {
            write::validate_id(id, &self.migrator.revisions().graph)?;
        }
        self.check_disk()?;
        let ownership = Ownership::new(
            self.catalog.plugins(),
            self.migrator.revisions(),
            self.label(),
        )?;
        let snapshot = Snapshot {
            live: Schema::new(),
            ownership,
        };
        let placement = self.placement(plugin, request, ops, &snapshot, &BTreeMap::new())?;
        let id = write::new_id(self, request.rev_id.as_deref());
        write::revision(self, plugin, &id, &request.message, &placement, ops, before)?.write()
    }
}
