//! Hand-written expected layouts for the common shapes (each one is rustfmt's output for
//! the one-line statement given as input).

use super::corpus::parse;
use super::width::str_width;
use super::*;

/// Asserts the layout of the one-line `source` at indent 4; `expected` is written without
/// the indentation of its first line.
#[track_caller]
fn check(source: &str, expected: &str) {
    let expr = parse(source);
    assert_eq!(one_line(&expr), source, "the parser round-trips");
    assert_eq!(statement(&expr, 4), format!("    {expected}"));
}

#[test]
fn create_table_breaks_the_chain_and_the_long_unique() {
    check(
        concat!(
            r#"op.create_table(table("computation_result")"#,
            r#".column(column("id_computation_result", Type::Integer).not_null())"#,
            r#".column(column("input_value", Type::Integer).not_null())"#,
            r#".column(column("multiplier", Type::Integer).not_null())"#,
            r#".column(column("result", Type::Integer).not_null())"#,
            r#".primary_key("pk_computation_result", ["id_computation_result"])"#,
            r#".unique("uq_computation_result_input_value_multiplier", ["input_value", "multiplier"]))"#,
        ),
        r#"op.create_table(
        table("computation_result")
            .column(column("id_computation_result", Type::Integer).not_null())
            .column(column("input_value", Type::Integer).not_null())
            .column(column("multiplier", Type::Integer).not_null())
            .column(column("result", Type::Integer).not_null())
            .primary_key("pk_computation_result", ["id_computation_result"])
            .unique(
                "uq_computation_result_input_value_multiplier",
                ["input_value", "multiplier"],
            ),
    );"#,
    );
}

#[test]
fn short_statements_stay_on_one_line() {
    for source in [
        r#"op.create_table(table("t").column(column("a", Type::Integer)))"#,
        r#"op.execute("select 1")"#,
        r#"op.set_table_comment("t", None)"#,
        r#"op.alter_column("t", "c", alter().set_nullable())"#,
        r#"op.add_column("t", column("price", Type::Numeric(12, 2)).default("0"))"#,
    ] {
        check(source, &format!("{source};"));
    }
}

#[test]
fn a_lone_column_breaks_its_own_chain() {
    check(
        concat!(
            r#"op.create_table(table("t0001").column(column("a_very_long_column_name_that_goes_on", "#,
            r#"Type::Varchar(120)).not_null().default("'some default value'").comment("a long comment about it")))"#,
        ),
        r#"op.create_table(
        table("t0001").column(
            column("a_very_long_column_name_that_goes_on", Type::Varchar(120))
                .not_null()
                .default("'some default value'")
                .comment("a long comment about it"),
        ),
    );"#,
    );
}

#[test]
fn arguments_go_one_per_line() {
    check(
        r#"op.add_column("some_table_name", column("a_long_column_name_here", Type::Integer).not_null().default("0"))"#,
        r#"op.add_column(
        "some_table_name",
        column("a_long_column_name_here", Type::Integer)
            .not_null()
            .default("0"),
    );"#,
    );
    check(
        r#"op.rename_column("a_table_name_of_some_length", "an_old_column_name", "a_new_column_name")"#,
        r#"op.rename_column(
        "a_table_name_of_some_length",
        "an_old_column_name",
        "a_new_column_name",
    );"#,
    );
}

#[test]
fn nested_calls_break_like_their_callers() {
    check(
        r#"op.create_index("some_table_name", index("ix_some_table_name_a_long_column_name_here", ["a_long_column_name_here"]))"#,
        r#"op.create_index(
        "some_table_name",
        index(
            "ix_some_table_name_a_long_column_name_here",
            ["a_long_column_name_here"],
        ),
    );"#,
    );
    check(
        r#"op.alter_column("some_table_name", "a_long_column_name_here", alter().set_type(Type::BigInt).set_not_null().drop_default())"#,
        r#"op.alter_column(
        "some_table_name",
        "a_long_column_name_here",
        alter().set_type(Type::BigInt).set_not_null().drop_default(),
    );"#,
    );
}

#[test]
fn a_multi_line_parent_keeps_its_children_at_its_indentation() {
    check(
        concat!(
            r#"op.create_foreign_key("child_table", foreign_key("fk_child_table_parent_id_parent_table", "#,
            r#"["parent_id"], "parent_table", ["id"]).on_delete(Action::Cascade))"#,
        ),
        r#"op.create_foreign_key(
        "child_table",
        foreign_key(
            "fk_child_table_parent_id_parent_table",
            ["parent_id"],
            "parent_table",
            ["id"],
        )
        .on_delete(Action::Cascade),
    );"#,
    );
}

#[test]
fn chains_longer_than_chain_width_break() {
    check(
        r#"op.create_table(table("t").column(column("a", Type::Integer)).foreign_key(foreign_key("fk_t_a_u", ["a"], "u", ["id"])))"#,
        r#"op.create_table(
        table("t")
            .column(column("a", Type::Integer))
            .foreign_key(foreign_key("fk_t_a_u", ["a"], "u", ["id"])),
    );"#,
    );
    check(
        r#"op.create_table(table("t").column(column("a", Type::Integer)).comment("a comment"))"#,
        r#"op.create_table(
        table("t")
            .column(column("a", Type::Integer))
            .comment("a comment"),
    );"#,
    );
}

#[test]
fn the_last_child_overflows_when_it_takes_five_lines_or_more() {
    check(
        concat!(
            r#"op.create_table(table("t").column(column("a", Type::Integer)).unique("uq_t_a_b_c_d_e_f_g", "#,
            r#"["a", "b", "c", "d", "e", "f", "g", "hhhhhhhhhhhhhhhh", "iiiiiiiiiiiiiiiiiii"]))"#,
        ),
        r#"op.create_table(table("t").column(column("a", Type::Integer)).unique(
        "uq_t_a_b_c_d_e_f_g",
        [
            "a",
            "b",
            "c",
            "d",
            "e",
            "f",
            "g",
            "hhhhhhhhhhhhhhhh",
            "iiiiiiiiiiiiiiiiiii",
        ],
    ));"#,
    );
}

#[test]
fn short_simple_elements_fill_lines() {
    let letters: Vec<String> = ('a'..='u')
        .map(|c| format!("{:?}", c.to_string()))
        .collect();
    check(
        &format!(r#"op.create_unique("t", "uq_t", [{}])"#, letters.join(", ")),
        r#"op.create_unique(
        "t",
        "uq_t",
        [
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
            "r", "s", "t", "u",
        ],
    );"#,
    );
}

#[test]
fn a_call_among_other_arguments_is_not_overflowed() {
    check(
        r#"op.set_table_comment("some_table_with_a_long_name", Some("A comment that is long enough to wrap"))"#,
        r#"op.set_table_comment(
        "some_table_with_a_long_name",
        Some("A comment that is long enough to wrap"),
    );"#,
    );
}

#[test]
fn a_long_string_may_end_at_the_last_column() {
    let sql = "update some_table set some_column = 'a fairly long value' where id in (1, 2, 3)";
    check(
        &format!("op.execute({sql:?})"),
        &format!("op.execute({sql:?});"),
    );
    // One column more than fits on the statement's line: on its own line, it ends at 100.
    let sql = format!("{sql} and x = 1");
    check(
        &format!("op.execute({sql:?})"),
        &format!("op.execute(\n        {sql:?},\n    );"),
    );
}

#[test]
fn statements_rustfmt_cannot_fit_keep_a_rustfmt_like_layout() {
    // rustfmt leaves such a statement as written; the engine writes it as rustfmt's rules
    // lay it out when the overlong line is let through.
    let sql = "update some_table set some_column = 'a fairly long value' where id in (1, 2, 3) and x = 12";
    let source = format!("op.execute({sql:?})");
    assert_eq!(format_statement(&parse(&source), 4), None);
    check(&source, &format!("op.execute(\n        {sql:?},\n    );"));
}

#[test]
fn wide_characters_count_two_columns() {
    assert_eq!(str_width("abc"), 3);
    assert_eq!(str_width("é"), 1);
    assert_eq!(str_width("日本語"), 6);
    assert_eq!(str_width("🎉x"), 3);
    check(
        r#"op.create_table(table("日本語の表").column(column("名前", Type::Text).comment("日本語のコメント、とても長いコメントです")))"#,
        r#"op.create_table(
        table("日本語の表")
            .column(column("名前", Type::Text).comment("日本語のコメント、とても長いコメントです")),
    );"#,
    );
}

#[test]
fn deeper_indentation_shifts_every_line() {
    let expr = parse(
        r#"op.add_column("some_table_name", column("a_long_column_name_here_and_more", Type::Integer).not_null())"#,
    );
    assert_eq!(
        statement(&expr, 8),
        r#"        op.add_column(
            "some_table_name",
            column("a_long_column_name_here_and_more", Type::Integer).not_null(),
        );"#
    );
}
