//! The SQL of the objects a revision creates (views, triggers, functions...), written once
//! each as a `const` at the end of the file, as the database will run it: a raw string with
//! its line breaks, readable in a review, which the statements name.

use std::collections::BTreeMap;

use crate::ops::Operation;
use crate::schema::Object;

/// Each definition's `const` name, in order of first use.
#[derive(Debug, Default)]
pub(crate) struct SqlConsts {
    names: BTreeMap<String, String>,
    order: Vec<(String, String)>,
}

impl SqlConsts {
    /// The definitions of every object `upgrade` and `downgrade` create or replace.
    pub(crate) fn collect(upgrade: &[Operation], downgrade: &[Operation]) -> SqlConsts {
        let mut consts = SqlConsts::default();
        for op in upgrade.iter().chain(downgrade) {
            if let Operation::CreateObject(o) | Operation::ReplaceObject { object: o, .. } = op {
                consts.add(o);
            }
        }
        consts
    }

    /// The definitions of `objects`, in their order.
    pub(crate) fn of_objects<'a>(objects: impl IntoIterator<Item = &'a Object>) -> SqlConsts {
        let mut consts = SqlConsts::default();
        for o in objects {
            consts.add(o);
        }
        consts
    }

    /// The `const` items at `indent` spaces, each after a blank line, with `visibility`
    /// (`pub(super) `, or nothing) before `const`.
    pub(crate) fn render_indented(&self, indent: usize, visibility: &str) -> String {
        let pad = " ".repeat(indent);
        let mut out = String::new();
        for (name, sql) in &self.order {
            out.push('\n');
            out.push_str(&format!(
                "{pad}{visibility}const {name}: &str = {};\n",
                literal(sql)
            ));
        }
        out
    }

    fn add(&mut self, o: &Object) {
        if self.names.contains_key(&o.definition) {
            return;
        }
        let base = const_name(o);
        let taken = |name: &str| self.order.iter().any(|(n, _)| n == name);
        let mut name = base.clone();
        let mut n = 2;
        while taken(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.names.insert(o.definition.clone(), name.clone());
        self.order.push((name, o.definition.clone()));
    }

    /// The `const` that holds `definition`.
    pub(crate) fn name_of(&self, definition: &str) -> &str {
        self.names
            .get(definition)
            .map(String::as_str)
            .expect("every definition of the revision was collected")
    }

    /// The `const` items, after a blank line; nothing when there is none.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for (name, sql) in &self.order {
            out.push('\n');
            out.push_str(&format!("const {name}: &str = {};\n", literal(sql)));
        }
        out
    }
}

/// `VIEW_ADULTS`, `TRIGGER_PERSON_STAMP`, `FUNCTION_ADD`: kind, table and name (without a
/// function's argument list) in upper snake case.
fn const_name(o: &Object) -> String {
    let name = o.name.split('(').next().unwrap_or(&o.name);
    let words = [o.kind.words(), o.table.as_deref().unwrap_or(""), name].join(" ");
    let mut out = String::new();
    for c in words.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// A raw string literal with enough `#` that the text cannot close it, or an escaped one when
/// the text holds a carriage return (not allowed in a raw string).
fn literal(sql: &str) -> String {
    if sql.contains('\r') {
        return format!("{sql:?}");
    }
    let mut hashes = 1;
    while sql.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{sql}\"{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ObjectKind, view};

    #[test]
    fn each_definition_gets_one_named_const() {
        let v1 = view("adults", "CREATE VIEW adults AS SELECT 1");
        let v2 = view("adults", "CREATE VIEW adults AS SELECT 2");
        let trigger = Object::new(ObjectKind::Trigger, "stamp", "CREATE TRIGGER \"#x").on("p");
        let up = [
            Operation::ReplaceObject {
                object: v2.clone(),
                previous: Some(Box::new(v1.clone())),
            },
            Operation::CreateObject(trigger),
        ];
        let down = [Operation::ReplaceObject {
            object: v1,
            previous: None,
        }];
        let consts = SqlConsts::collect(&up, &down);
        assert_eq!(
            consts.name_of("CREATE VIEW adults AS SELECT 2"),
            "VIEW_ADULTS"
        );
        assert_eq!(
            consts.name_of("CREATE VIEW adults AS SELECT 1"),
            "VIEW_ADULTS_2"
        );
        assert_eq!(consts.name_of("CREATE TRIGGER \"#x"), "TRIGGER_P_STAMP");
        assert!(consts.render().contains("r##\"CREATE TRIGGER \"#x\"##"));
    }
}
