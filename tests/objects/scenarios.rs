//! The scenarios of `tests/objects.rs`: for each dialect, each kind of object created from a
//! schema without it (the downgrade drops it), changed, or kept around a change of the table
//! it uses.

use crate::common::Dialect;

/// A schema before and after, as the database's own SQL.
pub struct Scenario {
    pub name: &'static str,
    pub before: &'static str,
    pub after: &'static str,
}

const fn scenario(name: &'static str, before: &'static str, after: &'static str) -> Scenario {
    Scenario {
        name,
        before,
        after,
    }
}

/// The scenarios of `dialect`.
pub fn of(dialect: Dialect) -> Vec<Scenario> {
    match dialect {
        Dialect::Sqlite => sqlite(),
        Dialect::Postgres => postgres(),
        Dialect::Mysql => mysql(),
    }
}

fn sqlite() -> Vec<Scenario> {
    const T: &str =
        "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);";
    vec![
        scenario(
            "view",
            T,
            concat!(
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);",
                "CREATE VIEW adults AS SELECT id, name FROM person WHERE age >= 18;"
            ),
        ),
        scenario(
            "view_changed",
            concat!(
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);",
                "CREATE VIEW adults AS SELECT id, name FROM person WHERE age >= 18;"
            ),
            concat!(
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);",
                "CREATE VIEW adults AS SELECT id, name, age FROM person WHERE age >= 21;"
            ),
        ),
        scenario(
            "view_over_a_rebuilt_table",
            concat!(
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);",
                "CREATE VIEW adults AS SELECT id, name FROM person WHERE age >= 18;"
            ),
            concat!(
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age BIGINT NOT NULL DEFAULT 0);",
                "CREATE VIEW adults AS SELECT id, name FROM person WHERE age >= 18;"
            ),
        ),
        scenario(
            "trigger",
            T,
            concat!(
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);",
                "CREATE TRIGGER person_name BEFORE INSERT ON person ",
                "BEGIN SELECT RAISE(ABORT, 'empty name') WHERE NEW.name = ''; END;"
            ),
        ),
        scenario(
            "partial_and_expression_indexes",
            T,
            concat!(
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);",
                "CREATE INDEX person_adult ON person (name) WHERE age >= 18;",
                "CREATE INDEX person_lower ON person (lower(name) DESC);"
            ),
        ),
        scenario(
            "generated_columns_and_collation",
            T,
            concat!(
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE, ",
                "age INTEGER, shout TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL, ",
                "decade INTEGER GENERATED ALWAYS AS (age / 10) STORED);"
            ),
        ),
        // A WITHOUT ROWID table's key is NOT NULL, so the table it comes back to says so.
        scenario(
            "table_options",
            "CREATE TABLE person (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, age INTEGER);",
            "CREATE TABLE person (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, age INTEGER) STRICT, WITHOUT ROWID;",
        ),
    ]
}

/// PostgreSQL's table, and the function a trigger needs.
const PG_T: &str = "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);";

fn postgres() -> Vec<Scenario> {
    let mut out = postgres_types();
    out.extend(postgres_routines());
    out.extend(postgres_tables());
    out
}

fn postgres_types() -> Vec<Scenario> {
    vec![
        scenario(
            "extension",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE EXTENSION citext;"
            ),
        ),
        scenario(
            "collation",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE COLLATION binary_text FROM \"C\";"
            ),
        ),
        scenario(
            "composite_type",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE TYPE point2 AS (x double precision, y double precision);"
            ),
        ),
        scenario(
            "enum_type_unused",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE TYPE mood AS ENUM ('happy', 'sad');",
                "COMMENT ON TYPE mood IS 'how one feels';"
            ),
        ),
        scenario(
            "domain_used_by_a_column",
            PG_T,
            concat!(
                "CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);",
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age positive_int);"
            ),
        ),
        scenario(
            "sequence",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE SEQUENCE ticket_seq START 100 INCREMENT 5;"
            ),
        ),
    ]
}

fn postgres_routines() -> Vec<Scenario> {
    vec![
        scenario(
            "function_and_aggregate",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE FUNCTION add_ages(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;",
                "CREATE AGGREGATE total_age(integer) (SFUNC = add_ages, STYPE = integer, INITCOND = '0');",
                "COMMENT ON FUNCTION add_ages(integer, integer) IS 'adds';"
            ),
        ),
        scenario(
            "function_changed",
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE FUNCTION adult(age integer) RETURNS boolean LANGUAGE sql AS $$ SELECT age >= 18 $$;"
            ),
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE FUNCTION adult(age integer) RETURNS boolean LANGUAGE sql AS $$ SELECT age >= 21 $$;"
            ),
        ),
        scenario(
            "procedure",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE PROCEDURE forget_ages() LANGUAGE sql AS $$ UPDATE person SET age = NULL $$;"
            ),
        ),
        scenario(
            "trigger",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE FUNCTION trim_name() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.name := trim(NEW.name); RETURN NEW; END $$;",
                "CREATE TRIGGER person_trim BEFORE INSERT OR UPDATE ON person FOR EACH ROW EXECUTE FUNCTION trim_name();"
            ),
        ),
    ]
}

fn postgres_tables() -> Vec<Scenario> {
    vec![
        scenario(
            "view_and_materialized_view",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE VIEW adults AS SELECT id, name FROM person WHERE age >= 18;",
                "COMMENT ON VIEW adults IS 'grown-ups';",
                "CREATE MATERIALIZED VIEW ages AS SELECT age, count(*) AS n FROM person GROUP BY age;",
                "CREATE UNIQUE INDEX ages_age ON ages (age);"
            ),
        ),
        scenario(
            "view_over_a_changed_column",
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE VIEW adults AS SELECT id, name, age FROM person WHERE age >= 18;"
            ),
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age bigint);",
                "CREATE VIEW adults AS SELECT id, name, age FROM person WHERE age >= 18;"
            ),
        ),
        scenario(
            "rule",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE RULE person_keep AS ON DELETE TO person DO INSTEAD NOTHING;"
            ),
        ),
        scenario(
            "row_security_policy_and_grant",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "ALTER TABLE person ENABLE ROW LEVEL SECURITY;",
                "CREATE POLICY adults_only ON person FOR SELECT TO outflow_reader USING (age >= 18);",
                "GRANT SELECT ON person TO outflow_reader;"
            ),
        ),
        scenario(
            "partitions",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE TABLE log (at date NOT NULL, line text, PRIMARY KEY (at, line)) PARTITION BY RANGE (at);",
                "CREATE TABLE log_2026 PARTITION OF log FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
                "CREATE INDEX log_2026_line ON log_2026 (line);"
            ),
        ),
        scenario(
            "partition_added",
            concat!(
                "CREATE TABLE log (at date NOT NULL, line text, PRIMARY KEY (at, line)) PARTITION BY RANGE (at);",
                "CREATE TABLE log_2026 PARTITION OF log FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');"
            ),
            concat!(
                "CREATE TABLE log (at date NOT NULL, line text, PRIMARY KEY (at, line)) PARTITION BY RANGE (at);",
                "CREATE TABLE log_2026 PARTITION OF log FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
                "CREATE TABLE log_rest PARTITION OF log DEFAULT;"
            ),
        ),
        scenario(
            "inheritance",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, age integer);",
                "CREATE TABLE employee (salary numeric(10, 2), CHECK (salary > 0)) INHERITS (person);"
            ),
        ),
        scenario(
            "indexes_identity_and_exclusion",
            PG_T,
            concat!(
                "CREATE TABLE person (id integer GENERATED ALWAYS AS IDENTITY (START WITH 10) PRIMARY KEY, ",
                "name text NOT NULL COLLATE \"C\", age integer, during tstzrange, ",
                "shout text GENERATED ALWAYS AS (upper(name)) STORED, ",
                "EXCLUDE USING gist (during WITH &&) DEFERRABLE INITIALLY DEFERRED);",
                "CREATE INDEX person_adult ON person (name) INCLUDE (age) WHERE age >= 18;",
                "CREATE INDEX person_lower ON person (lower(name) DESC NULLS LAST);",
                "CREATE UNIQUE INDEX person_name_age ON person (name, age) NULLS NOT DISTINCT;"
            ),
        ),
    ]
}

fn mysql() -> Vec<Scenario> {
    const T: &str = "CREATE TABLE person (id int PRIMARY KEY, name varchar(50) NOT NULL, age int);";
    vec![
        scenario(
            "view",
            T,
            concat!(
                "CREATE TABLE person (id int PRIMARY KEY, name varchar(50) NOT NULL, age int);",
                "CREATE VIEW adults AS SELECT id, concat(name, _utf8mb4' !') AS name FROM person WHERE age >= 18;"
            ),
        ),
        scenario(
            "view_over_a_changed_column",
            concat!(
                "CREATE TABLE person (id int PRIMARY KEY, name varchar(50) NOT NULL, age int);",
                "CREATE VIEW adults AS SELECT id, name, age FROM person WHERE age >= 18;"
            ),
            concat!(
                "CREATE TABLE person (id int PRIMARY KEY, name varchar(50) NOT NULL, age bigint);",
                "CREATE VIEW adults AS SELECT id, name, age FROM person WHERE age >= 18;"
            ),
        ),
        scenario(
            "trigger",
            T,
            concat!(
                "CREATE TABLE person (id int PRIMARY KEY, name varchar(50) NOT NULL, age int);",
                "CREATE TRIGGER person_trim BEFORE INSERT ON person FOR EACH ROW SET NEW.name = trim(NEW.name);"
            ),
        ),
        scenario(
            "function_and_procedure",
            T,
            concat!(
                "CREATE TABLE person (id int PRIMARY KEY, name varchar(50) NOT NULL, age int);",
                "CREATE FUNCTION adult(age int) RETURNS tinyint(1) DETERMINISTIC RETURN age >= 18;",
                "CREATE PROCEDURE forget_ages() MODIFIES SQL DATA COMMENT 'for privacy' UPDATE person SET age = NULL;"
            ),
        ),
        scenario(
            "event",
            T,
            concat!(
                "CREATE TABLE person (id int PRIMARY KEY, name varchar(50) NOT NULL, age int);",
                "CREATE EVENT grow_older ON SCHEDULE EVERY 1 YEAR DISABLE DO UPDATE person SET age = age + 1;"
            ),
        ),
        scenario(
            "partitions_and_table_options",
            T,
            concat!(
                "CREATE TABLE person (id int PRIMARY KEY, name varchar(50) NOT NULL, age int) ",
                "ENGINE=InnoDB DEFAULT CHARSET=latin1 ROW_FORMAT=COMPACT COMMENT='people' ",
                "PARTITION BY HASH (id) PARTITIONS 3;"
            ),
        ),
        scenario(
            "indexes_and_generated_columns",
            T,
            concat!(
                "CREATE TABLE person (id int PRIMARY KEY, name varchar(50) NOT NULL, age int, ",
                "shout varchar(50) AS (upper(name)) VIRTUAL, decade int AS (age DIV 10) STORED, ",
                "bio text, KEY person_name (name(10) DESC), FULLTEXT KEY person_bio (bio));"
            ),
        ),
    ]
}
