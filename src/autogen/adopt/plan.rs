//! What each table's attributes say, and what they leave to its `extend` function.
//!
//! Attributes say the common case in the words a reviewer expects (`#[column(unique)]`,
//! `#[model(index(a, b, name = "IX_T"))]`); whatever they cannot say exactly (an expression
//! or partial index, deferral, table options, identity options...) is said with the schema's
//! builders in the table's `extend` function, so that the model is the table, name for name.

use std::collections::{BTreeMap, BTreeSet};

use super::names::string;
use crate::ops::Constraint;
use crate::revision::codegen::exprs;
use crate::revision::codegen::layout::Expr;
use crate::schema::{Action, Column, ForeignKey, Index, Table, Type, naming};

/// One builder call of an `extend` function: the method and its arguments.
pub(super) type Call = (&'static str, Vec<Expr>);

/// A table's attributes and `extend` calls.
#[derive(Default)]
pub(super) struct TablePlan {
    /// `#[model(...)]` entries, in order.
    pub model: Vec<String>,
    /// `#[column(...)]` entries by column name.
    pub columns: BTreeMap<String, Vec<String>>,
    /// The calls of the `extend` function, in order; none when attributes say everything.
    pub extend: Vec<Call>,
}

/// The plan of `table`, whose columns are the fields `fields` (column name -> field name).
pub(super) fn plan(table: &Table, fields: &BTreeMap<&str, String>) -> TablePlan {
    let mut plan = TablePlan::default();
    let mut flagged = Flagged::default();
    for c in &table.columns {
        let attrs = column_attrs(table, c, &fields[c.name.as_str()], &mut flagged);
        if c.numbering.is_some() || c.on_update.is_some() {
            plan.extend.push(("with_column", vec![exprs::column(c)]));
        }
        plan.columns.insert(c.name.clone(), attrs);
    }
    // The fields of `cols`; none when a column is not a field (a column the table inherits).
    let list = |cols: &[String]| -> Option<String> {
        let names: Option<Vec<&str>> = cols
            .iter()
            .map(|c| fields.get(c.as_str()).map(String::as_str))
            .collect();
        names.map(|n| n.join(", "))
    };
    primary_key(table, &list, &mut plan);
    for (i, u) in table.uniques.iter().enumerate() {
        if flagged.uniques.contains(&i) {
            continue;
        }
        match list(&u.columns).filter(|_| u.options.is_default()) {
            Some(fields) => {
                let conventional = naming::unique(&table.name, &u.columns);
                let name = name_part(&u.name, &conventional);
                plan.model.push(format!("unique({fields}{name})"));
            }
            None => plan.extend.push((
                "with_unique",
                vec![exprs::constraint_value(&Constraint::Unique(u.clone()))],
            )),
        }
    }
    for (i, index) in table.indexes.iter().enumerate() {
        if flagged.indexes.contains(&i) {
            continue;
        }
        match attribute_columns(index).and_then(|c| Some((list(&c)?, c))) {
            Some((fields, columns)) => {
                let kind = if index.unique {
                    "unique_index"
                } else {
                    "index"
                };
                let conventional = naming::index(&table.name, &columns);
                let name = name_part(&index.name, &conventional);
                plan.model.push(format!("{kind}({fields}{name})"));
            }
            None => plan.extend.push(("with_index", vec![exprs::index(index)])),
        }
    }
    for (i, fk) in table.foreign_keys.iter().enumerate() {
        if flagged.foreign_keys.contains(&i) {
            continue;
        }
        match list(&fk.columns).filter(|_| listable(fk)) {
            Some(fields) => plan.model.push(table_foreign_key(table, fk, &fields)),
            None => plan
                .extend
                .push(("foreign_key", vec![exprs::foreign_key(fk)])),
        }
    }
    checks(table, &mut plan);
    for x in &table.exclusions {
        let value = exprs::constraint_value(&Constraint::Exclusion(x.clone()));
        plan.extend.push(("exclusion", vec![value]));
    }
    for (k, v) in &table.options {
        plan.extend
            .push(("option", vec![exprs::string(k), exprs::string(v)]));
    }
    plan
}

/// The constraints and indexes said by a column's flags, by position in their table's list.
#[derive(Default)]
struct Flagged {
    uniques: BTreeSet<usize>,
    indexes: BTreeSet<usize>,
    foreign_keys: BTreeSet<usize>,
}

/// `, name = "..."` when `name` is not what the convention would give.
fn name_part(name: &str, conventional: &str) -> String {
    if name == conventional {
        String::new()
    } else {
        format!(", name = {}", string(name))
    }
}

/// The columns of an index that `index(...)` can say: whole columns, nothing else.
fn attribute_columns(index: &Index) -> Option<Vec<String>> {
    let columns = index.plain_columns().filter(|_| index.comment.is_none())?;
    Some(columns.into_iter().map(str::to_string).collect())
}

/// The primary key: `#[column(primary_key)]` flags when they say it, else `primary_key(...)`,
/// else (deferral, a comment) `with_primary_key`.
fn primary_key(table: &Table, list: &dyn Fn(&[String]) -> Option<String>, plan: &mut TablePlan) {
    let Some(pk) = &table.primary_key else {
        return;
    };
    if flags_say_primary_key(table) {
        return;
    }
    let Some(fields) = list(&pk.columns).filter(|_| pk.options.is_default()) else {
        let value = exprs::constraint_value(&Constraint::PrimaryKey(pk.clone()));
        plan.extend.push(("with_primary_key", vec![value]));
        return;
    };
    let conventional = naming::primary_key(&table.name);
    let name = name_part(&pk.name, &conventional);
    plan.model.insert(0, format!("primary_key({fields}{name})"));
}

/// Whether `#[column(primary_key)]` on each key column says the primary key: the convention's
/// name, no option, the columns in field order.
fn flags_say_primary_key(table: &Table) -> bool {
    let Some(pk) = &table.primary_key else {
        return false;
    };
    let positions: Option<Vec<usize>> = pk
        .columns
        .iter()
        .map(|name| table.columns.iter().position(|c| &c.name == name))
        .collect();
    let Some(positions) = positions else {
        return false;
    };
    pk.options.is_default()
        && pk.name == naming::primary_key(&table.name)
        && positions.windows(2).all(|w| w[0] < w[1])
}

fn column_attrs(table: &Table, c: &Column, field: &str, flagged: &mut Flagged) -> Vec<String> {
    let mut out = Vec::new();
    let alone = |cols: &[String]| cols.len() == 1 && cols[0] == c.name;
    if in_key(table, c) && flags_say_primary_key(table) {
        out.push("primary_key".to_string());
    }
    if c.autoincrement {
        out.push("autoincrement".into());
    }
    let unique = table.uniques.iter().position(|u| {
        alone(&u.columns)
            && u.options.is_default()
            && u.name == naming::unique(&table.name, &u.columns)
    });
    if let Some(i) = unique {
        flagged.uniques.insert(i);
        out.push("unique".into());
    }
    let index = table.indexes.iter().position(|i| {
        !i.unique
            && attribute_columns(i).is_some_and(|cols| alone(&cols))
            && i.name == naming::index(&table.name, &[&c.name])
    });
    if let Some(i) = index {
        flagged.indexes.insert(i);
        out.push("index".into());
    }
    out.extend(type_attrs(&c.ty));
    if field != c.name {
        out.push(format!("name = {}", string(&c.name)));
    }
    if let Some(d) = &c.default {
        out.push(format!("default = {}", string(d)));
    }
    if let Some((i, fk)) = column_foreign_key(table, c) {
        flagged.foreign_keys.insert(i);
        let target = format!("{}.{}", fk.ref_table, fk.ref_columns[0]);
        out.push(format!("foreign_key = {}", string(&target)));
        out.extend(actions(fk));
    }
    if let Some(comment) = &c.comment {
        out.push(format!("comment = {}", string(comment)));
    }
    if let Some(collation) = &c.collation {
        out.push(format!("collate = {}", string(collation)));
    }
    if let Some(g) = &c.generated {
        out.push(format!("generated = {}", string(&g.expr)));
        if g.stored {
            out.push("stored".into());
        }
    }
    out
}

fn type_attrs(ty: &Type) -> Option<String> {
    match ty {
        Type::Varchar(n) => Some(format!("length = {n}")),
        Type::Numeric(..) | Type::Char(_) => {
            Some(format!("sql_type = {}", string(&ty.to_string())))
        }
        Type::Raw(spelling) => Some(format!("raw_type = {}", string(spelling))),
        Type::Enum { .. } => Some("db_enum".into()),
        _ => None,
    }
}

/// `on_delete = "cascade"`, `on_update = "set null"`, for the actions that are not the default.
fn actions(fk: &ForeignKey) -> Vec<String> {
    let mut out = Vec::new();
    for (key, action) in [("on_delete", fk.on_delete), ("on_update", fk.on_update)] {
        if action != Action::NoAction {
            out.push(format!("{key} = {}", string(action_name(action))));
        }
    }
    out
}

/// The single-column foreign key of `c` that `foreign_key = "table.column"` says: the
/// convention's name, no option, names without dots or spaces.
fn column_foreign_key<'a>(table: &'a Table, c: &Column) -> Option<(usize, &'a ForeignKey)> {
    table.foreign_keys.iter().enumerate().find(|(_, fk)| {
        fk.columns.len() == 1
            && fk.columns[0] == c.name
            && fk.options.is_default()
            && fk.name == naming::foreign_key(&table.name, &fk.columns, &fk.ref_table)
            && plain(&fk.ref_table)
            && plain(&fk.ref_columns[0])
    })
}

fn plain(name: &str) -> bool {
    !name.is_empty() && !name.contains(['.', ' ', '\t', '\n', '(', ')', ','])
}

/// Whether `#[model(foreign_key(..., references = "t(a, b)"))]` can say `fk`.
fn listable(fk: &ForeignKey) -> bool {
    let table_plain =
        !fk.ref_table.is_empty() && !fk.ref_table.contains([' ', '\t', '\n', '(', ')', ',']);
    fk.options.is_default() && table_plain && fk.ref_columns.iter().all(|c| plain(c))
}

fn table_foreign_key(table: &Table, fk: &ForeignKey, fields: &str) -> String {
    let target = format!("{}({})", fk.ref_table, fk.ref_columns.join(", "));
    let conventional = naming::foreign_key(&table.name, &fk.columns, &fk.ref_table);
    let mut parts = vec![
        fields.to_string(),
        format!("references = {}", string(&target)),
    ];
    if fk.name != conventional {
        parts.push(format!("name = {}", string(&fk.name)));
    }
    parts.extend(actions(fk));
    format!("foreign_key({})", parts.join(", "))
}

/// Checks named by the convention are `check(name = "<suffix>", ...)`; others are said with
/// their exact name in `extend`.
fn checks(table: &Table, plan: &mut TablePlan) {
    let prefix = format!("ck_{}_", table.name);
    for c in &table.checks {
        let suffix = c
            .name
            .strip_prefix(&prefix)
            .filter(|s| !s.is_empty() && naming::check(&table.name, s) == c.name);
        match (suffix, c.options.is_default()) {
            (Some(suffix), true) => plan.model.push(format!(
                "check(name = {}, expr = {})",
                string(suffix),
                string(&c.expr)
            )),
            (None, true) => plan.extend.push((
                "check",
                vec![exprs::string(&c.name), exprs::string(&c.expr)],
            )),
            (_, false) => plan.extend.push((
                "with_check",
                vec![exprs::constraint_value(&Constraint::Check(c.clone()))],
            )),
        }
    }
}

pub(super) fn in_key(table: &Table, c: &Column) -> bool {
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&c.name))
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Cascade => "cascade",
        Action::Restrict => "restrict",
        Action::SetNull => "set null",
        Action::SetDefault => "set default",
        Action::NoAction => "no action",
    }
}
