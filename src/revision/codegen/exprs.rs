//! Operations as Rust expressions of a revision file.

use super::layout::Expr;
use super::sql_consts::SqlConsts;
use crate::ops::{Alter, Constraint, Operation};
use crate::schema::{Action, Column, ForeignKey, Index, KeyPart, Object, ObjectKind, Table, Type};

pub(crate) fn atom(text: impl Into<String>) -> Expr {
    Expr::Atom(text.into())
}

/// A Rust string literal.
pub(crate) fn string(text: &str) -> Expr {
    Expr::Atom(format!("{text:?}"))
}

pub(crate) fn strings<S: AsRef<str>>(items: &[S]) -> Expr {
    Expr::Array(items.iter().map(|s| string(s.as_ref())).collect())
}

pub(crate) fn call(callee: &str, args: Vec<Expr>) -> Expr {
    Expr::Call(callee.to_string(), args)
}

/// `receiver.m1(..).m2(..)`, or the receiver alone when there is no method.
pub(crate) fn chain(receiver: Expr, methods: Vec<(&str, Vec<Expr>)>) -> Expr {
    if methods.is_empty() {
        return receiver;
    }
    let methods = methods
        .into_iter()
        .map(|(m, args)| (m.to_string(), args))
        .collect();
    Expr::Chain(Box::new(receiver), methods)
}

pub(crate) fn op_call(method: &str, args: Vec<Expr>) -> Expr {
    chain(atom("op"), vec![(method, args)])
}

/// `Type::Integer`, `Type::Varchar(32)`, `Type::raw("GEOMETRY")`.
pub(crate) fn ty(ty: &Type) -> Expr {
    match ty {
        Type::SmallInt => atom("Type::SmallInt"),
        Type::Integer => atom("Type::Integer"),
        Type::BigInt => atom("Type::BigInt"),
        Type::Boolean => atom("Type::Boolean"),
        Type::Real => atom("Type::Real"),
        Type::Double => atom("Type::Double"),
        Type::Numeric(p, s) => call(
            "Type::Numeric",
            vec![atom(p.to_string()), atom(s.to_string())],
        ),
        Type::Text => atom("Type::Text"),
        Type::Varchar(n) => call("Type::Varchar", vec![atom(n.to_string())]),
        Type::Char(n) => call("Type::Char", vec![atom(n.to_string())]),
        Type::Date => atom("Type::Date"),
        Type::Time => atom("Type::Time"),
        Type::Timestamp => atom("Type::Timestamp"),
        Type::TimestampTz => atom("Type::TimestampTz"),
        Type::Blob => atom("Type::Blob"),
        Type::Json => atom("Type::Json"),
        Type::Uuid => atom("Type::Uuid"),
        Type::Enum { name, values } => {
            call("Type::enumeration", vec![string(name), strings(values)])
        }
        Type::Raw(spelling) => call("Type::raw", vec![string(spelling)]),
    }
}

fn action(a: Action) -> Expr {
    atom(match a {
        Action::NoAction => "Action::NoAction",
        Action::Restrict => "Action::Restrict",
        Action::Cascade => "Action::Cascade",
        Action::SetNull => "Action::SetNull",
        Action::SetDefault => "Action::SetDefault",
    })
}

/// `column("name", Type::X).not_null().default("..")...`
pub(crate) fn column(c: &Column) -> Expr {
    let mut methods = Vec::new();
    if !c.nullable {
        methods.push(("not_null", vec![]));
    }
    if let Some(d) = &c.default {
        methods.push(("default", vec![string(d)]));
    }
    if c.autoincrement {
        methods.push(("autoincrement", vec![]));
    }
    if let Some(comment) = &c.comment {
        methods.push(("comment", vec![string(comment)]));
    }
    if let Some(n) = &c.numbering {
        methods.push(("numbered", vec![numbering(n)]));
    }
    if let Some(u) = &c.on_update {
        methods.push(("on_update", vec![string(u)]));
    }
    match &c.generated {
        Some(g) if g.stored => methods.push(("generated_stored", vec![string(&g.expr)])),
        Some(g) => methods.push(("generated", vec![string(&g.expr)])),
        None => {}
    }
    if let Some(collation) = &c.collation {
        methods.push(("collate", vec![string(collation)]));
    }
    chain(call("column", vec![string(&c.name), ty(&c.ty)]), methods)
}

pub(crate) fn foreign_key(fk: &ForeignKey) -> Expr {
    let base = call(
        "foreign_key",
        vec![
            string(&fk.name),
            strings(&fk.columns),
            string(&fk.ref_table),
            strings(&fk.ref_columns),
        ],
    );
    let mut methods = Vec::new();
    if fk.on_delete != Action::NoAction {
        methods.push(("on_delete", vec![action(fk.on_delete)]));
    }
    if fk.on_update != Action::NoAction {
        methods.push(("on_update", vec![action(fk.on_update)]));
    }
    methods.extend(option_methods(&fk.options));
    chain(base, methods)
}

/// `index("ix", ["a", "b"]).unique()`, or with written-out parts
/// (`[key_column("a").desc(), key_expr("lower(b)")]`) and the index's other clauses.
pub(crate) fn index(i: &Index) -> Expr {
    let plain = i.columns.iter().all(|p| p.plain_column().is_some());
    let parts = match plain {
        true => strings(&i.column_names()),
        false => Expr::Array(i.columns.iter().map(key_part).collect()),
    };
    let base = call("index", vec![string(&i.name), parts]);
    let mut methods = Vec::new();
    if i.unique {
        methods.push(("unique", vec![]));
    }
    if let Some(m) = &i.method {
        methods.push(("using", vec![string(m)]));
    }
    if !i.include.is_empty() {
        methods.push(("include", vec![strings(&i.include)]));
    }
    if i.nulls_not_distinct {
        methods.push(("nulls_not_distinct", vec![]));
    }
    if let Some(w) = &i.with {
        methods.push(("with", vec![string(w)]));
    }
    if let Some(p) = &i.predicate {
        methods.push(("filter", vec![string(p)]));
    }
    if let Some(c) = &i.comment {
        methods.push(("comment", vec![string(c)]));
    }
    chain(base, methods)
}

/// `numbering(NumberingKind::Always).options("START WITH 10")`.
fn numbering(n: &crate::schema::Numbering) -> Expr {
    let kind = match n.kind {
        crate::schema::NumberingKind::ByDefault => "NumberingKind::ByDefault",
        crate::schema::NumberingKind::Always => "NumberingKind::Always",
        crate::schema::NumberingKind::Serial => "NumberingKind::Serial",
    };
    let base = call("numbering", vec![atom(kind)]);
    match &n.options {
        Some(o) => chain(base, vec![("options", vec![string(o)])]),
        None => base,
    }
}

/// `key_column("a").desc()`, `key_expr("lower(b)")`.
fn key_part(p: &KeyPart) -> Expr {
    let base = match (&p.column, &p.expr) {
        (Some(c), _) => call("key_column", vec![string(c)]),
        (None, e) => call("key_expr", vec![string(e.as_deref().unwrap_or_default())]),
    };
    let mut methods = Vec::new();
    if let Some(n) = p.length {
        methods.push(("length", vec![atom(n.to_string())]));
    }
    if let Some(c) = &p.collation {
        methods.push(("collate", vec![string(c)]));
    }
    if let Some(o) = &p.opclass {
        methods.push(("opclass", vec![string(o)]));
    }
    if p.desc {
        methods.push(("desc", vec![]));
    }
    match p.nulls_first {
        Some(true) => methods.push(("nulls_first", vec![])),
        Some(false) => methods.push(("nulls_last", vec![])),
        None => {}
    }
    chain(base, methods)
}

/// `table("name").column(..)...` with every constraint and index.
pub(crate) fn table(t: &Table) -> Expr {
    let mut methods: Vec<(&str, Vec<Expr>)> = t
        .columns
        .iter()
        .map(|c| ("column", vec![column(c)]))
        .collect();
    if let Some(pk) = &t.primary_key {
        match pk.options.is_default() {
            true => methods.push(("primary_key", vec![string(&pk.name), strings(&pk.columns)])),
            false => methods.push((
                "with_primary_key",
                vec![constraint_value(&Constraint::PrimaryKey(pk.clone()))],
            )),
        }
    }
    for u in &t.uniques {
        match u.options.is_default() {
            true => methods.push(("unique", vec![string(&u.name), strings(&u.columns)])),
            false => methods.push((
                "with_unique",
                vec![constraint_value(&Constraint::Unique(u.clone()))],
            )),
        }
    }
    for i in &t.indexes {
        match i.plain_columns() {
            Some(columns) => {
                let method = if i.unique { "unique_index" } else { "index" };
                methods.push((method, vec![string(&i.name), strings(&columns)]));
            }
            None => methods.push(("with_index", vec![index(i)])),
        }
    }
    for fk in &t.foreign_keys {
        methods.push(("foreign_key", vec![foreign_key(fk)]));
    }
    for c in &t.checks {
        match c.options.is_default() {
            true => methods.push(("check", vec![string(&c.name), string(&c.expr)])),
            false => methods.push((
                "with_check",
                vec![constraint_value(&Constraint::Check(c.clone()))],
            )),
        }
    }
    for x in &t.exclusions {
        methods.push((
            "exclusion",
            vec![constraint_value(&Constraint::Exclusion(x.clone()))],
        ));
    }
    for (k, v) in &t.options {
        methods.push(("option", vec![string(k), string(v)]));
    }
    if let Some(comment) = &t.comment {
        methods.push(("comment", vec![string(comment)]));
    }
    chain(call("table", vec![string(&t.name)]), methods)
}

fn alter(a: &Alter) -> Expr {
    let mut methods = Vec::new();
    if let Some(t) = &a.ty {
        methods.push(("set_type", vec![ty(t)]));
    }
    match a.nullable {
        Some(true) => methods.push(("set_nullable", vec![])),
        Some(false) => methods.push(("set_not_null", vec![])),
        None => {}
    }
    match &a.default {
        Some(Some(d)) => methods.push(("set_default", vec![string(d)])),
        Some(None) => methods.push(("drop_default", vec![])),
        None => {}
    }
    match &a.comment {
        Some(Some(c)) => methods.push(("set_comment", vec![string(c)])),
        Some(None) => methods.push(("drop_comment", vec![])),
        None => {}
    }
    if let Some(on) = a.autoincrement {
        methods.push(("set_autoincrement", vec![atom(on.to_string())]));
    }
    match &a.numbering {
        Some(Some(n)) => methods.push(("set_numbering", vec![call("Some", vec![numbering(n)])])),
        Some(None) => methods.push(("set_numbering", vec![atom("None")])),
        None => {}
    }
    match &a.on_update {
        Some(Some(u)) => methods.push(("set_on_update", vec![call("Some", vec![string(u)])])),
        Some(None) => methods.push(("set_on_update", vec![atom("None")])),
        None => {}
    }
    match &a.generated {
        Some(Some(g)) if g.stored => methods.push(("set_generated_stored", vec![string(&g.expr)])),
        Some(Some(g)) => methods.push(("set_generated", vec![string(&g.expr)])),
        Some(None) => methods.push(("drop_generated", vec![])),
        None => {}
    }
    match &a.collation {
        Some(Some(c)) => methods.push(("set_collation", vec![string(c)])),
        Some(None) => methods.push(("drop_collation", vec![])),
        None => {}
    }
    match &a.backfill {
        Some(crate::ops::Backfill::Expr(e)) => methods.push(("backfill", vec![string(e)])),
        Some(crate::ops::Backfill::ToWrite) => methods.push(("backfill_to_write", vec![])),
        None => {}
    }
    chain(call("alter", vec![]), methods)
}

/// `object(ObjectKind::View, "adults", VIEW_ADULTS).on("..").comment("..")`.
pub(crate) fn object(o: &Object, consts: &SqlConsts) -> Expr {
    let base = call(
        "object",
        vec![
            atom(o.kind.rust_path()),
            string(&o.name),
            atom(consts.name_of(&o.definition)),
        ],
    );
    let mut methods = Vec::new();
    if let Some(t) = &o.table {
        methods.push(("on", vec![string(t)]));
    }
    if let Some(c) = &o.comment {
        methods.push(("comment", vec![string(c)]));
    }
    chain(base, methods)
}

fn optional(text: &Option<String>) -> Expr {
    match text {
        Some(c) => call("Some", vec![string(c)]),
        None => atom("None"),
    }
}

/// `op.drop_object(..)`, `op.set_object_comment_on(..)`: the kind, the table when there is one,
/// the name, then `more`.
fn object_call(
    method: &str,
    kind: ObjectKind,
    table: &Option<String>,
    name: &str,
    more: Vec<Expr>,
) -> Expr {
    let mut args = vec![atom(kind.rust_path())];
    let method = match table {
        Some(t) => {
            args.push(string(t));
            format!("{method}_on")
        }
        None => method.to_string(),
    };
    args.push(string(name));
    args.extend(more);
    op_call(&method, args)
}

/// The `op.<method>(..)` statement that records `op`.
pub(crate) fn operation(op: &Operation, consts: &SqlConsts) -> Expr {
    use Operation::*;
    match op {
        CreateObject(o) => op_call("create_object", vec![object(o, consts)]),
        ReplaceObject { object: o, .. } => op_call("replace_object", vec![object(o, consts)]),
        DropObject {
            kind, table, name, ..
        } => object_call("drop_object", *kind, table, name, vec![]),
        SetObjectComment {
            kind,
            table,
            name,
            comment,
            ..
        } => object_call(
            "set_object_comment",
            *kind,
            table,
            name,
            vec![optional(comment)],
        ),
        CreateTable(t) => op_call("create_table", vec![table(t)]),
        DropTable { table, .. } => op_call("drop_table", vec![string(table)]),
        RenameTable { from, to } => op_call("rename_table", vec![string(from), string(to)]),
        AddColumn { table, column: c } => op_call("add_column", vec![string(table), column(c)]),
        DropColumn { table, column, .. } => {
            op_call("drop_column", vec![string(table), string(column)])
        }
        AlterColumn {
            table,
            column,
            changes,
            ..
        } => op_call(
            "alter_column",
            vec![string(table), string(column), alter(changes)],
        ),
        RenameColumn { table, from, to } => op_call(
            "rename_column",
            vec![string(table), string(from), string(to)],
        ),
        CreateIndex { table, index: i } => op_call("create_index", vec![string(table), index(i)]),
        DropIndex { table, name, .. } => op_call("drop_index", vec![string(table), string(name)]),
        RenameIndex { table, from, to } => op_call(
            "rename_index",
            vec![string(table), string(from), string(to)],
        ),
        RenameConstraint { table, from, to } => op_call(
            "rename_constraint",
            vec![string(table), string(from), string(to)],
        ),
        AddConstraint { table, constraint } => add_constraint(table, constraint),
        DropConstraint { table, name, .. } => {
            op_call("drop_constraint", vec![string(table), string(name)])
        }
        SetIndexComment {
            table,
            name,
            comment,
            ..
        } => op_call(
            "set_index_comment",
            vec![string(table), string(name), optional(comment)],
        ),
        SetTableOptions { table, options, .. } => {
            let pairs = options
                .iter()
                .map(|(k, v)| atom(format!("({k:?}, {v:?})")))
                .collect();
            op_call("set_table_options", vec![string(table), Expr::Array(pairs)])
        }
        SetTableComment { table, comment, .. } => {
            let value = match comment {
                Some(c) => call("Some", vec![string(c)]),
                None => atom("None"),
            };
            op_call("set_table_comment", vec![string(table), value])
        }
        CreateEnum { name, values } => op_call("create_enum", vec![string(name), strings(values)]),
        DropEnum { name, .. } => op_call("drop_enum", vec![string(name)]),
        AlterEnum { name, values, .. } => {
            op_call("alter_enum", vec![string(name), strings(values)])
        }
        Execute { sql, dialect: None } => op_call("execute", vec![string(sql)]),
        Execute {
            sql,
            dialect: Some(d),
        } => {
            let name = match d {
                crate::ops::DialectName::Sqlite => "DialectName::Sqlite",
                crate::ops::DialectName::Postgres => "DialectName::Postgres",
                crate::ops::DialectName::Mysql => "DialectName::Mysql",
            };
            op_call("execute_on", vec![atom(name), string(sql)])
        }
        // A closure cannot be read back from a recording: the file says where it goes.
        RunRust(step) => op_call(
            "run_rust",
            vec![
                string(&step.name),
                atom(
                    "|_rows| Err(DataError::new(\"the code of this data step was not carried over: write it here\"))",
                ),
            ],
        ),
    }
}

/// The option methods of a constraint (`.initially_deferred().comment("..")`).
fn option_methods(o: &crate::schema::ConstraintOptions) -> Vec<(&'static str, Vec<Expr>)> {
    let mut methods = Vec::new();
    match o.deferrable {
        Some(crate::schema::Deferral::InitiallyDeferred) => {
            methods.push(("initially_deferred", vec![]))
        }
        Some(crate::schema::Deferral::InitiallyImmediate) => methods.push(("deferrable", vec![])),
        None => {}
    }
    for (on, name) in [
        (o.not_valid, "not_valid"),
        (o.no_inherit, "no_inherit"),
        (o.match_full, "match_full"),
        (o.nulls_not_distinct, "nulls_not_distinct"),
    ] {
        if on {
            methods.push((name, vec![]));
        }
    }
    if let Some(c) = &o.comment {
        methods.push(("comment", vec![string(c)]));
    }
    methods
}

/// `unique("uq", ["a"]).deferrable()`, `check(..)`, `exclusion(..)`: a constraint with its
/// options, as a value.
pub(crate) fn constraint_value(constraint: &Constraint) -> Expr {
    let base = match constraint {
        Constraint::PrimaryKey(k) => {
            call("primary_key", vec![string(&k.name), strings(&k.columns)])
        }
        Constraint::Unique(u) => call("unique", vec![string(&u.name), strings(&u.columns)]),
        Constraint::ForeignKey(fk) => return foreign_key(fk),
        Constraint::Check(c) => call("check", vec![string(&c.name), string(&c.expr)]),
        Constraint::Exclusion(x) => call("exclusion", vec![string(&x.name), string(&x.definition)]),
    };
    chain(base, option_methods(constraint.options()))
}

fn add_constraint(table: &str, constraint: &Constraint) -> Expr {
    let plain = constraint.options().is_default();
    match constraint {
        _ if !plain || matches!(constraint, Constraint::Exclusion(_)) => op_call(
            "add_constraint",
            vec![string(table), constraint_value(constraint)],
        ),
        Constraint::Exclusion(_) => unreachable!("written out above"),
        Constraint::PrimaryKey(k) => op_call(
            "create_primary_key",
            vec![string(table), string(&k.name), strings(&k.columns)],
        ),
        Constraint::Unique(u) => op_call(
            "create_unique",
            vec![string(table), string(&u.name), strings(&u.columns)],
        ),
        Constraint::ForeignKey(fk) => {
            op_call("create_foreign_key", vec![string(table), foreign_key(fk)])
        }
        Constraint::Check(c) => op_call(
            "create_check",
            vec![string(table), string(&c.name), string(&c.expr)],
        ),
    }
}
