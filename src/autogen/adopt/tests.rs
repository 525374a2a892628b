use std::collections::BTreeMap;

use super::models;
use super::names::{camel, field, raw_rust_type, unique};
use crate::schema::{
    Action, NumberingKind, ObjectKind, Schema, Type, column, enum_type, exclusion, foreign_key,
    index, key_column, key_expr, numbering, object, table, unique as unique_constraint, view,
};

fn schema() -> Schema {
    let parent = table("Order Details")
        .column(column("id", Type::BigInt).not_null().autoincrement())
        .column(column("type", Type::enumeration("mood", ["happy", "so-so"])).default("'happy'"))
        .column(column("Unit Price", Type::Numeric(10, 2)).not_null())
        .column(column("code", Type::Char(3)).comment("ISO"))
        .column(column("doc", Type::Json))
        .column(column("odd", Type::raw("int4range")))
        .primary_key("pk", ["id"])
        .unique("uq", ["code", "type"])
        .index("ix", ["code"])
        .check("positive", "\"Unit Price\" > 0")
        .comment("lines");
    let child = table("line_note")
        .column(column("order_id", Type::BigInt).not_null())
        .column(column("n", Type::Integer).not_null().autoincrement())
        .column(column("state", Type::enumeration("", ["a", "b"])))
        .primary_key("pk2", ["n", "order_id"])
        .foreign_key(
            foreign_key("fk", ["order_id"], "Order Details", ["id"]).on_delete(Action::Cascade),
        );
    Schema::from_tables([parent, child])
}

/// Conventional names (said by flags), and what only builders say.
fn postgres_schema() -> Schema {
    let account = table("account")
        .column(
            column("id", Type::BigInt)
                .not_null()
                .numbered(numbering(NumberingKind::Always).options("START WITH 100")),
        )
        .column(column("email", Type::Text).not_null().collate("C"))
        .column(column("parent_id", Type::BigInt))
        .column(column("during", Type::raw("tstzrange")))
        .column(column("email_lower", Type::Text).generated_stored("lower(email)"))
        .primary_key("pk_account", ["id"])
        .unique("uq_account_email", ["email"])
        .index("ix_account_parent_id", ["parent_id"])
        .with_unique(
            unique_constraint("account_email_parent", ["email", "parent_id"]).initially_deferred(),
        )
        .with_index(
            index("account_lower_email", [key_expr("lower(email)")])
                .filter("parent_id IS NOT NULL"),
        )
        .with_index(index("account_during", [key_column("during").desc()]).using("gist"))
        .foreign_key(foreign_key(
            "fk_account_parent_id_account",
            ["parent_id"],
            "account",
            ["id"],
        ))
        .check("ck_account_email", "email <> ''")
        .check("account_email_check", "email LIKE '%@%'")
        .exclusion(exclusion(
            "account_no_overlap",
            "EXCLUDE USING gist (during WITH &&)",
        ))
        .option("fillfactor", "70");
    Schema::from_tables([account]).with_objects([
        view("active_account", "CREATE VIEW active_account AS\n SELECT id, email\n   FROM account;"),
        object(ObjectKind::Trigger, "account_stamp", "CREATE TRIGGER account_stamp BEFORE UPDATE ON public.account FOR EACH ROW EXECUTE FUNCTION stamp()").on("account"),
        enum_type("unused_mood", &["up".to_string(), "down".to_string()]),
    ])
}

fn assert_rustfmt_clean(code: &str) {
    if let Some(formatted) = crate::revision::codegen::tests::rustfmt(code) {
        assert_eq!(formatted, code, "the models are not rustfmt-clean");
    }
}

#[test]
fn models_say_everything_the_attributes_can() {
    let code = models(&schema(), "test.db", "archive");
    assert_rustfmt_clean(&code);
    insta::assert_snapshot!(code);
}

#[test]
fn what_attributes_cannot_say_is_said_by_builders_and_objects_by_their_sql() {
    let code = models(&postgres_schema(), "postgres", "default");
    assert_rustfmt_clean(&code);
    insta::assert_snapshot!(code);
}

#[test]
fn names_become_identifiers() {
    assert_eq!(camel("Order Details"), "OrderDetails");
    assert_eq!(camel("2fa_codes"), "T2faCodes");
    assert_eq!(field("type"), "type_");
    assert_eq!(field("Unit Price"), "unit_price");
    assert_eq!(field("名前"), "unnamed");
    assert_eq!(raw_rust_type("int unsigned"), "u32");
    assert_eq!(raw_rust_type("TINYINT(4)"), "i8");
    assert_eq!(raw_rust_type("bigint unsigned zerofill"), "u64");
    assert_eq!(raw_rust_type("mediumint"), "i32");
    assert_eq!(raw_rust_type("int4range"), "String");
    let mut taken = BTreeMap::new();
    assert_eq!(unique(&mut taken, "a".into()), "a");
    assert_eq!(unique(&mut taken, "a".into()), "a2");
}
