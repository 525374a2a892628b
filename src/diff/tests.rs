use proptest::prelude::*;

use super::*;
use crate::diff::{RenameHint, rename_hints};
use crate::ops::reverse_all;
use crate::schema::{Action, Type, column, foreign_key, naming, table};

fn describe(ops: &[Operation]) -> Vec<String> {
    ops.iter().map(ToString::to_string).collect()
}

fn parent() -> Table {
    table("parent")
        .column(column("id", Type::Integer).not_null())
        .column(column("name", Type::Varchar(20)).not_null())
        .primary_key("pk_parent", ["id"])
        .unique("uq_parent_name", ["name"])
}

fn child() -> Table {
    table("child")
        .column(column("id", Type::Integer).not_null())
        .column(column("parent_id", Type::Integer))
        .primary_key("pk_child", ["id"])
        .foreign_key(foreign_key(
            "fk_child_parent_id_parent",
            ["parent_id"],
            "parent",
            ["id"],
        ))
}

#[test]
fn creates_in_foreign_key_order_and_drops_in_reverse() {
    let desired = Schema::from_tables([child(), parent()]);
    let ops = diff(&Schema::new(), &desired, &Exact);
    assert_eq!(
        describe(&ops),
        [
            "create table 'parent' (2 columns)",
            "create table 'child' (2 columns)"
        ]
    );
    let back = diff(&desired, &Schema::new(), &Exact);
    assert_eq!(
        describe(&back),
        ["drop table 'child'", "drop table 'parent'"]
    );
    match &back[0] {
        Operation::DropTable {
            definition: Some(t),
            ..
        } => assert_eq!(**t, child()),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn identical_schemas_give_nothing() {
    let s = Schema::from_tables([child(), parent()]);
    assert!(diff(&s, &s, &Exact).is_empty());
}

#[test]
fn every_column_change_kind_is_detected() {
    let current = Schema::from_tables([parent()]);
    let mut p = parent();
    p.columns[1].ty = Type::Varchar(40);
    p.columns[1].nullable = true;
    p.columns[1].default = Some("'none'".into());
    p.columns[1].comment = Some("display name".into());
    p.columns.push(column("age", Type::SmallInt));
    p.comment = Some("people".into());
    let ops = diff(&current, &Schema::from_tables([p.clone()]), &Exact);
    assert_eq!(
        describe(&ops),
        [
            "alter column 'parent.name': type varchar(40) (was varchar(20)), NULL allowed, \
             default 'none' (was none), comment set",
            "add column 'parent.age' smallint",
            "set comment on table 'parent'",
        ]
    );
    let back = diff(&Schema::from_tables([p]), &current, &Exact);
    let back = describe(&back);
    assert_eq!(back.last().unwrap(), "drop column 'parent.age'", "{back:?}");
    assert!(back.contains(&"remove comment on table 'parent'".to_string()));
}

/// What destroys data comes after everything else, so a server without transactional DDL
/// stops at a failing change before anything is lost: tables dropped, then columns.
#[test]
fn destructive_operations_come_last() {
    let gone = table("gone").column(column("id", Type::Integer));
    let current = Schema::from_tables([parent(), gone.clone()]);
    let mut p = parent();
    p.columns.retain(|c| c.name != "name");
    p.uniques.clear();
    p.columns.push(column("label", Type::Text));
    let fresh = table("fresh").column(column("id", Type::Integer));
    let ops = diff(&current, &Schema::from_tables([p, fresh]), &Exact);
    assert_eq!(
        describe(&ops),
        [
            "drop unique constraint 'uq_parent_name' on 'parent'",
            "create table 'fresh' (1 column)",
            "add column 'parent.label' text",
            "drop table 'gone'",
            "drop column 'parent.name'",
        ]
    );
}

/// A dropped table's foreign key to a table whose key changes goes first (the key cannot be
/// dropped while it is referenced); the table itself still goes last, and its definition no
/// longer holds the key, so the downgrade adds it back once.
#[test]
fn a_dropped_table_lets_go_of_a_changing_parent_first() {
    let current = Schema::from_tables([parent(), child()]);
    let mut p = parent();
    p.primary_key = None;
    let ops = diff(&current, &Schema::from_tables([p.clone()]), &Exact);
    assert_eq!(
        describe(&ops),
        [
            "drop foreign key 'fk_child_parent_id_parent' on 'child'",
            "drop primary key 'pk_parent' on 'parent'",
            "drop table 'child'",
        ]
    );
    let Operation::DropTable { definition, .. } = &ops[2] else {
        panic!("{ops:?}")
    };
    assert!(definition.as_ref().unwrap().foreign_keys.is_empty());
    let mut back = Schema::from_tables([p]);
    for op in reverse_all(&ops).unwrap() {
        op.apply(&mut back).unwrap();
    }
    assert_eq!(back, current);
    // An unchanged parent keeps the key in the dropped table's definition.
    let ops = diff(&current, &Schema::from_tables([parent()]), &Exact);
    assert_eq!(describe(&ops), ["drop table 'child'"]);
}

#[test]
fn constraints_match_by_definition_not_name() {
    let mut renamed = parent();
    renamed.uniques[0].name = "parent_name_key".into();
    renamed.primary_key.as_mut().unwrap().name = "parent_pkey".into();
    let ops = diff(
        &Schema::from_tables([renamed]),
        &Schema::from_tables([parent()]),
        &Exact,
    );
    assert!(ops.is_empty(), "{ops:?}");
}

#[test]
fn changed_constraints_are_dropped_then_added() {
    let mut c = child();
    c.foreign_keys[0].on_delete = Action::Cascade;
    let mut p = parent();
    p.uniques[0].columns = vec!["id".into(), "name".into()];
    p.uniques[0].name = naming::unique("parent", &["id", "name"]);
    p.primary_key = None;
    p = p
        .index("ix_parent_name", ["name"])
        .check("ck_parent_name", "name <> ''");
    let current = Schema::from_tables([child(), parent()]);
    let ops = diff(&current, &Schema::from_tables([c, p]), &Exact);
    assert_eq!(
        describe(&ops),
        [
            "drop foreign key 'fk_child_parent_id_parent' on 'child'",
            "drop primary key 'pk_parent' on 'parent'",
            "drop unique constraint 'uq_parent_name' on 'parent'",
            "add unique constraint 'uq_parent_id_name' on 'parent' (id, name)",
            "create index 'ix_parent_name' on 'parent' (name)",
            "add check constraint 'ck_parent_name' on 'parent' (name <> '')",
            "add foreign key 'fk_child_parent_id_parent' on 'child' (parent_id) -> 'parent' (id)",
        ]
    );
}

#[test]
fn cycles_are_created_then_closed() {
    let a = table("a")
        .column(column("id", Type::Integer).not_null())
        .column(column("b_id", Type::Integer))
        .foreign_key(foreign_key("fk_a_b_id_b", ["b_id"], "b", ["id"]));
    let b = table("b")
        .column(column("id", Type::Integer).not_null())
        .column(column("a_id", Type::Integer))
        .foreign_key(foreign_key("fk_b_a_id_a", ["a_id"], "a", ["id"]));
    let ops = diff(&Schema::new(), &Schema::from_tables([a, b]), &Exact);
    assert_eq!(
        describe(&ops),
        [
            "create table 'a' (2 columns)",
            "create table 'b' (2 columns)",
            "add foreign key 'fk_a_b_id_b' on 'a' (b_id) -> 'b' (id)",
            "add foreign key 'fk_b_a_id_a' on 'b' (a_id) -> 'a' (id)",
        ]
    );
    assert!(matches!(&ops[0], Operation::CreateTable(t) if t.foreign_keys.is_empty()));
}

#[test]
fn enum_types_are_created_first_and_dropped_last() {
    let state = |labels: &[&str]| Type::enumeration("state", labels.iter().copied());
    let with = |labels: &[&str]| {
        Schema::from_tables([table("job")
            .column(column("id", Type::Integer).not_null())
            .column(column("state", state(labels)))])
    };
    let ops = diff(&Schema::new(), &with(&["a", "b"]), &Exact);
    assert_eq!(
        describe(&ops),
        [
            "create enum type 'state' ('a', 'b')",
            "create table 'job' (2 columns)"
        ]
    );
    let back = diff(&with(&["a", "b"]), &Schema::new(), &Exact);
    assert_eq!(
        describe(&back),
        ["drop table 'job'", "drop enum type 'state'"]
    );
    let grown = diff(&with(&["a", "b"]), &with(&["a", "b", "c"]), &Exact);
    assert_eq!(
        describe(&grown),
        [
            "alter enum type 'state': ('a', 'b', 'c') (was ('a', 'b'))",
            "alter column 'job.state': type enum state ('a', 'b', 'c') (was enum state ('a', 'b'))",
        ]
    );
    // MySQL's columns carry labels but no type name: the type still exists.
    let mut unnamed = with(&["a", "b"]);
    unnamed.table_mut("job").unwrap().columns[1].ty = Type::enumeration("", ["a", "b"]);
    let ops = diff(&unnamed, &with(&["a", "b"]), &Exact);
    assert!(
        ops.iter().all(|op| !op.to_string().contains("enum type")),
        "{ops:?}"
    );
    // Two MySQL databases compared (`db diff`): no type on either side, only the column.
    let mut relabelled = unnamed.clone();
    relabelled.table_mut("job").unwrap().columns[1].ty = Type::enumeration("", ["a", "c"]);
    let ops = diff(&unnamed, &relabelled, &Exact);
    assert_eq!(
        describe(&ops),
        ["alter column 'job.state': type enum ('a', 'c') (was enum ('a', 'b'))"]
    );
}

/// A dialect that ignores comments and type spellings, to check the hooks are honoured.
struct Lenient;

impl Compare for Lenient {
    fn ty(&self, _: &Table, _: &crate::schema::Column) -> Type {
        Type::Text
    }
    fn comments(&self) -> bool {
        false
    }
    fn check(&self, expr: &str) -> String {
        expr.replace(' ', "")
    }
}

#[test]
fn the_dialect_decides_what_is_equal_but_the_model_values_are_emitted() {
    let current = Schema::from_tables([parent().check("ck_parent_x", "id>0")]);
    let mut p = parent().check("ck_parent_x", "id > 0").comment("ignored");
    p.columns[1].ty = Type::Text;
    assert!(diff(&current, &Schema::from_tables([p.clone()]), &Lenient).is_empty());
    p.columns[1].nullable = true;
    let ops = diff(&current, &Schema::from_tables([p]), &Lenient);
    assert_eq!(describe(&ops), ["alter column 'parent.name': NULL allowed"]);
}

fn arb_table(name: &'static str) -> impl Strategy<Value = Table> {
    let types = prop::sample::select(vec![
        Type::Integer,
        Type::Text,
        Type::BigInt,
        Type::Varchar(5),
    ]);
    let cols = prop::collection::vec((types, any::<bool>(), any::<bool>(), any::<bool>()), 1..5);
    (cols, any::<bool>(), any::<bool>()).prop_map(move |(cols, pk, check)| {
        let mut t = table(name).column(column("id", Type::Integer).not_null());
        for (i, (ty, nullable, unique, indexed)) in cols.into_iter().enumerate() {
            let c = format!("c{i}");
            t = t.column(if nullable {
                column(&c, ty)
            } else {
                column(&c, ty).not_null()
            });
            if unique {
                t = t.unique(naming::unique(name, &[&c]), [&c]);
            }
            if indexed {
                t = t.index(naming::index(name, &[&c]), [&c]);
            }
        }
        if pk {
            t = t.primary_key(naming::primary_key(name), ["id"]);
        }
        if check {
            t = t.check(naming::check(name, "id"), "id > 0");
        }
        t
    })
}

fn arb_schema() -> impl Strategy<Value = Schema> {
    let tables = (arb_table("a"), arb_table("b"), arb_table("c"));
    (tables, prop::bits::u8::between(0, 3), any::<bool>()).prop_map(|((a, b, c), present, fk)| {
        let mut tables = vec![a];
        if present & 1 != 0 {
            let mut b = b;
            if fk {
                b = b.foreign_key(foreign_key(
                    naming::foreign_key("b", &["id"], "a"),
                    ["id"],
                    "a",
                    ["id"],
                ));
            }
            tables.push(b);
        }
        if present & 2 != 0 {
            tables.push(c);
        }
        Schema::from_tables(tables)
    })
}

/// Column order is not something the differ changes: compare with columns sorted.
fn canonical(schema: &Schema) -> Schema {
    Schema::from_tables(schema.tables().map(|t| {
        let mut t = t.clone();
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        t.sort_constraints();
        t
    }))
}

proptest! {
    #[test]
    fn applying_the_diff_gives_the_target_and_its_reverse_the_source(
        current in arb_schema(),
        desired in arb_schema(),
    ) {
        let ops = diff(&current, &desired, &Exact);
        let mut s = current.clone();
        for op in &ops {
            op.apply(&mut s).unwrap();
        }
        prop_assert_eq!(canonical(&s), canonical(&desired));
        prop_assert!(diff(&s, &desired, &Exact).is_empty());
        for op in reverse_all(&ops).unwrap() {
            op.apply(&mut s).unwrap();
        }
        prop_assert_eq!(canonical(&s), canonical(&current));
    }
}

/// SQLite and MySQL may see `USERS` and `users` as one name: what goes makes room first.
#[test]
fn a_name_taken_again_in_another_case_is_dropped_first() {
    let upper = table("USERS")
        .column(column("id", Type::Integer))
        .column(column("NAME", Type::Text));
    let lower = table("users").column(column("id", Type::Integer));
    let ops = diff(
        &Schema::from_tables([upper.clone()]),
        &Schema::from_tables([lower]),
        &Exact,
    );
    assert_eq!(
        describe(&ops),
        ["drop table 'USERS'", "create table 'users' (1 column)"]
    );
    let mut renamed = upper.clone();
    renamed.columns[1].name = "name".into();
    renamed.columns.push(column("kept", Type::Text));
    let ops = diff(
        &Schema::from_tables([upper]),
        &Schema::from_tables([renamed]),
        &Exact,
    );
    assert_eq!(
        describe(&ops),
        [
            "drop column 'USERS.NAME'",
            "add column 'USERS.name' text",
            "add column 'USERS.kept' text",
        ]
    );
}

fn person() -> Table {
    table("person")
        .column(column("id", Type::Integer).not_null())
        .column(column("old_name", Type::Text).not_null())
        .column(column("n", Type::Integer))
        .primary_key("pk_person", ["id"])
        .unique("uq_person_old_name", ["old_name"])
        .index("ix_person_old_name_n", ["old_name", "n"])
}

/// A model's `renamed_from` renames: the values stay, and the constraints and indexes,
/// matched by definition, follow the column without being dropped and made again.
#[test]
fn a_column_renamed_from_is_renamed_and_its_keys_follow() {
    let mut renamed = person();
    renamed.columns[1] = column("new_name", Type::Text)
        .not_null()
        .renamed_from("old_name");
    renamed.uniques[0].columns = vec!["new_name".into()];
    renamed.uniques[0].name = "uq_person_new_name".into();
    renamed.indexes[0].columns = vec!["new_name".into(), "n".into()];
    let current = Schema::from_tables([person()]);
    let desired = Schema::from_tables([renamed.clone()]);
    let ops = diff(&current, &desired, &Exact);
    assert_eq!(
        describe(&ops),
        ["rename column 'person.old_name' to 'new_name'"]
    );
    assert!(rename_hints(&ops, &Exact).is_empty());
    // Once renamed, the hint asks for nothing.
    let mut after = current.clone();
    ops[0].apply(&mut after).unwrap();
    assert!(diff(&after, &desired, &Exact).is_empty());
    // The downgrade gives the old name back.
    let mut back = after.clone();
    reverse_all(&ops).unwrap()[0].apply(&mut back).unwrap();
    assert_eq!(back, current);
}

/// A renamed column whose type changes too: renamed first, then altered.
#[test]
fn a_renamed_column_can_change_too() {
    let mut renamed = person();
    renamed.columns[2] = column("count", Type::BigInt).renamed_from("n");
    renamed.indexes[0].columns = vec!["old_name".into(), "count".into()];
    let ops = diff(
        &Schema::from_tables([person()]),
        &Schema::from_tables([renamed]),
        &Exact,
    );
    assert_eq!(
        describe(&ops),
        [
            "rename column 'person.n' to 'count'",
            "alter column 'person.count': type bigint (was integer)",
        ]
    );
}

/// A table renamed from: one rename, its rows kept; foreign keys to it follow.
#[test]
fn a_table_renamed_from_is_renamed_and_foreign_keys_follow() {
    let people = table("people")
        .column(column("id", Type::Integer).not_null())
        .column(column("name", Type::Text))
        .primary_key("pk_people", ["id"]);
    let pet = |owner: &str| {
        table("pet")
            .column(column("id", Type::Integer).not_null())
            .column(column("owner", Type::Integer))
            .primary_key("pk_pet", ["id"])
            .foreign_key(foreign_key("fk_pet_owner_people", ["owner"], owner, ["id"]))
    };
    let mut person = people.clone().renamed_from("people");
    person.name = "person".into();
    person.primary_key.as_mut().unwrap().name = "pk_person".into();
    let current = Schema::from_tables([people, pet("people")]);
    let desired = Schema::from_tables([person, pet("person")]);
    let ops = diff(&current, &desired, &Exact);
    assert_eq!(describe(&ops), ["rename table 'people' to 'person'"]);
}

/// Without the hint a drop and an add of the same type may be a rename the differ cannot
/// know: it says so, naming the attribute; of another type it says nothing.
#[test]
fn a_drop_and_an_add_of_one_type_get_a_rename_hint() {
    let mut renamed = person();
    renamed.columns[1] = column("new_name", Type::Text).not_null().default("''");
    renamed.uniques.clear();
    renamed.indexes.clear();
    let ops = diff(
        &Schema::from_tables([person()]),
        &Schema::from_tables([renamed.clone()]),
        &Exact,
    );
    let hints = rename_hints(&ops, &Exact);
    assert_eq!(
        hints,
        [RenameHint::Column {
            table: "person".into(),
            old: "old_name".into(),
            new: "new_name".into()
        }]
    );
    assert!(
        hints[0]
            .to_string()
            .contains("#[column(renamed_from = \"old_name\")]")
    );
    let drop = ops.iter().position(|op| hints[0].drops(op)).unwrap();
    assert_eq!(ops[drop].to_string(), "drop column 'person.old_name'");
    renamed.columns[1].ty = Type::Integer;
    let ops = diff(
        &Schema::from_tables([person()]),
        &Schema::from_tables([renamed]),
        &Exact,
    );
    assert!(rename_hints(&ops, &Exact).is_empty());
    // A table dropped and one created with the same columns.
    let mut moved = person();
    moved.name = "people".into();
    let ops = diff(
        &Schema::from_tables([person()]),
        &Schema::from_tables([moved]),
        &Exact,
    );
    assert_eq!(
        rename_hints(&ops, &Exact),
        [RenameHint::Table {
            old: "person".into(),
            new: "people".into()
        }]
    );
}

/// A NOT NULL column added to a table that exists (and may have rows) is added nullable,
/// backfilled, then made NOT NULL; the model's backfill, its default, or one left to write.
#[test]
fn a_not_null_column_on_an_existing_table_is_backfilled() {
    let with = |c: crate::schema::Column| {
        let mut t = person();
        t.columns.push(c);
        Schema::from_tables([t])
    };
    let current = Schema::from_tables([person()]);
    let ops = diff(
        &current,
        &with(column("m", Type::Integer).not_null()),
        &Exact,
    );
    assert_eq!(
        describe(&ops),
        [
            "add column 'person.m' integer",
            "alter column 'person.m': NOT NULL, backfill still to write",
        ]
    );
    let ops = diff(
        &current,
        &with(column("m", Type::Integer).not_null().backfill("n * 2")),
        &Exact,
    );
    assert_eq!(
        ops[1].to_string(),
        "alter column 'person.m': NOT NULL, NULLs backfilled with n * 2"
    );
    let Operation::AddColumn { column: added, .. } = &ops[0] else {
        panic!("{ops:?}")
    };
    assert_eq!(added.backfill, None, "hints stay out of the operations");
    // A default fills the rows itself: one operation.
    let ops = diff(
        &current,
        &with(column("m", Type::Integer).not_null().default("0")),
        &Exact,
    );
    assert_eq!(
        describe(&ops),
        ["add column 'person.m' integer NOT NULL DEFAULT 0"]
    );
    // A column that becomes NOT NULL is backfilled with its backfill, else its default.
    let mut strict = person();
    strict.columns[2] = column("n", Type::Integer).not_null().default("7");
    let ops = diff(&current, &Schema::from_tables([strict]), &Exact);
    assert_eq!(
        describe(&ops),
        ["alter column 'person.n': NOT NULL, default 7 (was none), NULLs backfilled with 7"]
    );
}
