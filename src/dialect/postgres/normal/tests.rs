use super::*;
use crate::schema::column;

#[test]
fn checks_read_back_from_the_catalog_equal_the_model() {
    for (model, catalog) in [
        ("tiny > -100", "tiny > '-100'::integer"),
        ("amount>=0", "amount >= 0::numeric"),
        ("amount >= 0", "(amount >= (0)::numeric)"),
        ("length(name) > 0", "length(name::text) > 0"),
        ("LENGTH(Name) > 0", "length(name::text) > 0"),
        ("length(code) = 3", "length(code) = 3"),
        (
            "lk like 'a%' and lk not in ('b','c') and lk between 'a' and 'z'",
            "lk ~~ 'a%'::text AND (lk <> ALL (ARRAY['b'::text, 'c'::text])) AND lk >= 'a'::text AND lk <= 'z'::text",
        ),
        (
            "vv in ('x','y')",
            "vv::text = ANY (ARRAY['x'::character varying, 'y'::character varying]::text[])",
        ),
        (
            "nn is not null and (nn + 1) * 2 > 3 and nn::text <> '5'",
            "nn IS NOT NULL AND ((nn + 1) * 2) > 3 AND nn::text <> '5'::text",
        ),
        ("st2 in ('pending')", "st2 = 'pending'::state"),
        (
            "r > 0 and r < 1.5",
            "r > 0::double precision AND r < 1.5::double precision",
        ),
        ("x not between 1 and 5", "x < 1 OR x > 5"),
        ("name ilike 'A%'", "name ~~* 'A%'::text"),
        ("\"Mixed\" > 0", "\"Mixed\" > 0"),
        ("created <= now()", "created <= CURRENT_TIMESTAMP"),
    ] {
        assert_eq!(check(model), check(catalog), "{model} / {catalog}");
    }
}

#[test]
fn different_checks_stay_different() {
    for (a, b) in [
        ("x > 0", "x > 1"),
        ("(a + b) * c", "a + (b * c)"),
        ("\"Amount\" > 0", "Amount > 0"),
        ("a = 'x'", "a = 'y'"),
        ("a in ('x', 'y')", "a in ('y', 'x')"),
        ("a or b and c", "(a or b) and c"),
    ] {
        assert_ne!(check(a), check(b), "{a} / {b}");
    }
    assert_eq!(check("not ( valid"), "not ( valid");
}

fn default_of(ty: Type, text: &str) -> Option<String> {
    default(&column("c", ty).default(text))
}

#[test]
fn defaults_read_back_from_the_catalog_equal_the_model() {
    let state = Type::enumeration("state", ["pending", "done"]);
    for (ty, model, catalog) in [
        (Type::SmallInt, "-1", "'-1'::integer"),
        (Type::Integer, "'5'", "5"),
        (Type::BigInt, "0", "0"),
        (Type::Numeric(12, 2), "-1.5", "'-1.50'::numeric"),
        (Type::Numeric(12, 2), "0", "0.00"),
        (Type::Real, "1.5", "1.5"),
        (Type::Text, "'it''s'", "'it''s'::text"),
        (Type::Varchar(3), "'x'", "'x'::character varying"),
        (Type::Varchar(3), "0", "'0'::character varying"),
        (Type::Char(2), "'ab'", "'ab'::bpchar"),
        (Type::Boolean, "FALSE", "false"),
        (Type::Boolean, "'t'", "true"),
        (Type::Timestamp, "CURRENT_TIMESTAMP", "now()"),
        (Type::TimestampTz, "now()", "CURRENT_TIMESTAMP"),
        (
            Type::Timestamp,
            "'2020-01-01'",
            "'2020-01-01 00:00:00'::timestamp without time zone",
        ),
        (Type::Time, "'10:30'", "'10:30:00'::time without time zone"),
        (Type::Json, "'{\"a\":1}'", "'{\"a\": 1}'::jsonb"),
        (Type::Json, "'{}'", "'{}'::json"),
        (state, "'pending'", "'pending'::state"),
        (Type::raw("text[]"), "'{}'", "'{}'::text[]"),
        (Type::Date, "CURRENT_DATE", "CURRENT_DATE"),
        (Type::Uuid, "gen_random_uuid()", "gen_random_uuid()"),
    ] {
        assert_eq!(
            default_of(ty.clone(), model),
            default_of(ty.clone(), catalog),
            "{ty}: {model} / {catalog}"
        );
    }
    assert_eq!(default(&column("c", Type::Integer).default("NULL")), None);
    assert_eq!(
        default(&column("c", Type::Integer).not_null().default("NULL")),
        Some("NULL".into())
    );
    assert_ne!(
        default_of(Type::Integer, "1"),
        default_of(Type::Integer, "-1")
    );
    assert_ne!(default_of(Type::Text, "'a'"), default_of(Type::Text, "'b'"));
}

#[test]
fn numbers_have_one_spelling() {
    assert_eq!(number("+01.50").as_deref(), Some("1.5"));
    assert_eq!(number("-0.0").as_deref(), Some("0"));
    assert_eq!(number(".5").as_deref(), Some("0.5"));
    assert_eq!(number("1E3").as_deref(), Some("1e3"));
    assert_eq!(number("abc"), None);
    assert_eq!(number("-"), None);
}
