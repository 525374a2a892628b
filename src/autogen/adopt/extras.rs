//! The `extras` module of adopted models: each table's `extend` function (what its attributes
//! do not say, in the schema's builders) and `objects()`, the database's views, triggers,
//! functions... with their SQL as raw-string consts, as the database gives it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::names::{field, unique};
use super::plan::Call;
use crate::revision::codegen::exprs::{atom, chain, object, string};
use crate::revision::codegen::layout::tail_expression;
use crate::revision::codegen::sql_consts::SqlConsts;
use crate::schema::Object;

/// The `extend` functions written so far, in table order.
#[derive(Default)]
pub(super) struct Extras {
    functions: Vec<(String, String, Vec<Call>)>,
    taken: BTreeMap<String, usize>,
}

impl Extras {
    /// Adds the `extend` function of `table`; returns its name.
    pub(super) fn add(&mut self, table: &str, calls: Vec<Call>) -> String {
        let name = unique(
            &mut self.taken,
            format!("{}_table", field(table).trim_end_matches('_')),
        );
        self.functions
            .push((name.clone(), table.to_string(), calls));
        name
    }

    /// The module, after a blank line; nothing when there is neither a function nor an object.
    pub(super) fn render(&self, objects: &[Object], label: &str) -> String {
        if self.functions.is_empty() && objects.is_empty() {
            return String::new();
        }
        let mut out = String::from(
            "\n/// What the attributes above do not say, in the schema's builders, and the database's\n\
             /// views, triggers, functions... as it gives their SQL.\nmod extras {\n    use outflow::schema::*;\n",
        );
        for (name, table, calls) in &self.functions {
            let _ = writeln!(out, "\n    /// The rest of table {table:?}.");
            let _ = writeln!(out, "    pub(super) fn {name}(table: Table) -> Table {{");
            let body = chain(
                atom("table"),
                calls.iter().map(|(m, a)| (*m, a.clone())).collect(),
            );
            let _ = writeln!(out, "{}\n    }}", tail_expression(&body, 8));
        }
        if !objects.is_empty() {
            write_objects(&mut out, objects, label);
        }
        out.push_str("}\n");
        out
    }
}

/// `pub(super) fn add_objects(plugin)` and the consts that hold the objects' SQL.
fn write_objects(out: &mut String, objects: &[Object], label: &str) {
    let consts = SqlConsts::of_objects(objects);
    out.push_str("\n    /// The database's objects other than tables, added to `plugin`.\n");
    out.push_str("    pub(super) fn add_objects(plugin: outflow::Plugin) -> outflow::Plugin {\n");
    let calls = objects
        .iter()
        .map(|o| match label == crate::model::DEFAULT_DATABASE {
            true => ("object", vec![object(o, &consts)]),
            false => ("object_in", vec![string(label), object(o, &consts)]),
        })
        .collect();
    let _ = writeln!(
        out,
        "{}\n    }}",
        tail_expression(&chain(atom("plugin"), calls), 8)
    );
    out.push_str(&consts.render_indented(4, ""));
}
