//! The database's own account of a schema (`pg_dump --schema-only`, `SHOW CREATE TABLE`,
//! SQLite's pragmas), split into what the schema model holds and what it does not. Two
//! databases that hold the same model must give the same held part, statement for statement;
//! what the original has outside the model is named by kind (view, function, partition...), so
//! that a test can check it against a reviewed list instead of ignoring it.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::Dialect;
use crate::common::live::{Live, unordered};

/// A schema as its database tells it.
#[derive(Debug, Default)]
pub struct Outline {
    /// What the model holds, one normalised statement or catalog row per entry.
    pub held: BTreeSet<String>,
    /// What it does not, by kind.
    pub outside: BTreeMap<String, BTreeSet<String>>,
}

impl Outline {
    /// The kinds of objects `self` has outside the model that `other` lacks.
    pub fn lost_in(&self, other: &Outline) -> BTreeSet<String> {
        self.outside
            .iter()
            .filter(|(kind, items)| other.outside.get(*kind).is_none_or(|o| !items.is_subset(o)))
            .map(|(kind, _)| kind.clone())
            .collect()
    }

    /// Replaces the identifier after each `marker` by `<name>`, keeping it under `names`:
    /// the model names keys and indexes by Outflow's convention, so a copy made from it has
    /// the same keys under other names.
    fn mask_names(&mut self, text: &str, marker: &str, quote: char) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find(marker) {
            let start = at + marker.len();
            out.push_str(&rest[..start]);
            let after = &rest[start..];
            let end = identifier_end(after, quote);
            self.outside("names", &after[..end]);
            out.push_str("<name>");
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }

    fn outside(&mut self, kind: &str, item: &str) {
        self.outside
            .entry(kind.to_string())
            .or_default()
            .insert(item.to_string());
    }
}

/// Reads the outline of the database at `url`. `tables_of` is the original's outline, when
/// this is the copy: its partitions and inheriting tables are set aside on both sides.
pub async fn read(dialect: Dialect, url: &str, like: Option<&Tables>) -> (Outline, Tables) {
    let live = Live::existing(dialect, url);
    match dialect {
        Dialect::Postgres => {
            let dump = live.dump().await;
            let tables = like.cloned().unwrap_or_else(|| Tables::of_pg_dump(&dump));
            (pg_outline(&dump, &tables), tables)
        }
        Dialect::Mysql => (mysql_outline(&live).await, Tables::default()),
        Dialect::Sqlite => (sqlite_outline(&live).await, Tables::default()),
    }
}

/// PostgreSQL tables whose `pg_dump` text cannot match a plain table's.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    /// Partitions of a partitioned table (`ATTACH PARTITION`): not tables of the model.
    partitions: BTreeSet<String>,
    /// Tables declared `INHERITS (...)`: pg_dump lists only their own columns.
    inheriting: BTreeSet<String>,
    /// Materialized views, which can have indexes.
    materialized: BTreeSet<String>,
}

impl Tables {
    fn of_pg_dump(dump: &str) -> Tables {
        let mut tables = Tables::default();
        for s in statements(dump) {
            if let Some(after) = s.split_once(" ATTACH PARTITION ").map(|(_, a)| a) {
                tables.partitions.insert(first_word(after));
            }
            if s.starts_with("CREATE TABLE ") && s.contains(" INHERITS (") {
                tables
                    .inheriting
                    .insert(first_word(&s["CREATE TABLE ".len()..]));
            }
            if let Some(rest) = s.strip_prefix("CREATE MATERIALIZED VIEW ") {
                tables.materialized.insert(first_word(rest));
            }
        }
        tables
    }

    fn is_partition(&self, name: &str) -> bool {
        self.partitions.contains(name)
    }
}

/// Where the identifier that starts `text` ends: a quoted one (doubled quotes inside) or a
/// bare word.
fn identifier_end(text: &str, quote: char) -> usize {
    let mut chars = text.char_indices().peekable();
    if text.starts_with(quote) {
        chars.next();
        while let Some((i, c)) = chars.next() {
            if c == quote {
                match chars.peek() {
                    Some((_, next)) if *next == quote => {
                        chars.next();
                    }
                    _ => return i + c.len_utf8(),
                }
            }
        }
        return text.len();
    }
    text.find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(text.len())
}

fn first_word(text: &str) -> String {
    text.split_whitespace().next().unwrap_or("").to_string()
}

/// `pg_dump` statements, each on one line with single spaces. Dollar-quoted bodies keep
/// their semicolons.
fn statements(dump: &str) -> Vec<String> {
    let (mut out, mut current, mut tag) = (Vec::new(), String::new(), None::<String>);
    for line in dump.lines() {
        current.push_str(line);
        current.push('\n');
        for token in dollar_tags(line) {
            tag = match tag {
                None => Some(token),
                Some(open) if open == token => None,
                keep => keep,
            };
        }
        if tag.is_none() && line.trim_end().ends_with(';') {
            let s = current.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(s.trim_end_matches(';').to_string());
            current.clear();
        }
    }
    out
}

/// The `$tag$` tokens of a line, in order.
fn dollar_tags(line: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('$') {
        let after = &rest[start + 1..];
        match after.find('$') {
            Some(end)
                if after[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                tags.push(after[..end].to_string());
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    tags
}

/// Kinds of object pg_dump writes that the model does not hold, by the words that start them.
const PG_OUTSIDE: &[(&str, &str)] = &[
    ("CREATE FUNCTION", "function"),
    ("CREATE OR REPLACE FUNCTION", "function"),
    ("ALTER FUNCTION", "function"),
    ("COMMENT ON FUNCTION", "function"),
    ("CREATE PROCEDURE", "function"),
    ("CREATE AGGREGATE", "aggregate"),
    ("ALTER AGGREGATE", "aggregate"),
    ("CREATE VIEW", "view"),
    ("CREATE MATERIALIZED VIEW", "materialized view"),
    ("CREATE TRIGGER", "trigger"),
    ("CREATE RULE", "rule"),
    ("CREATE DOMAIN", "domain"),
    ("ALTER DOMAIN", "domain"),
    ("CREATE EXTENSION", "extension"),
    ("COMMENT ON EXTENSION", "extension"),
    ("CREATE SEQUENCE", "sequence"),
    ("ALTER SEQUENCE", "sequence"),
    ("CREATE OR REPLACE PROCEDURAL LANGUAGE", "language"),
    ("ALTER PROCEDURAL LANGUAGE", "language"),
];

fn pg_outline(dump: &str, tables: &Tables) -> Outline {
    let mut outline = Outline::default();
    for s in statements(dump) {
        if s.starts_with("CREATE SCHEMA") || s.contains(" SCHEMA public") {
            continue;
        }
        if let Some((_, kind)) = PG_OUTSIDE.iter().find(|(start, _)| s.starts_with(start)) {
            outline.outside(kind, &s);
        } else if s.starts_with("CREATE TYPE ") && !s.contains(" AS ENUM ") {
            outline.outside("type", &s);
        } else if let Some(kind) = table_level_outside(&s, tables) {
            outline.outside(kind, &s);
        } else if s.starts_with("CREATE TABLE ") {
            let (table, partitioning) = without_partitioning(&without_sequence_defaults(&s));
            if let Some(p) = partitioning {
                outline.outside("partitioning", &p);
            }
            outline.held.extend(unordered(&table));
        } else {
            let mut s = s;
            for marker in [" ADD CONSTRAINT ", "CREATE INDEX ", "CREATE UNIQUE INDEX "] {
                s = outline.mask_names(&s, marker, '"');
            }
            outline.held.insert(s);
        }
    }
    outline
}

/// Statements about partitions, inheriting tables and how numbers are drawn: the model holds
/// none of these (numbering itself is compared by `db diff`).
fn table_level_outside(s: &str, tables: &Tables) -> Option<&'static str> {
    if s.contains(" ATTACH PARTITION ") {
        return Some("partition");
    }
    let subject = subject_table(s)?;
    if tables.is_partition(&subject) {
        Some("partition")
    } else if tables.materialized.contains(&subject) {
        Some("materialized view")
    } else if s.contains(" INDEX ") && s.contains(" USING ") && !s.contains(" USING btree ") {
        // The model's indexes are B-trees; GiST, GIN, hash... are the database's own.
        Some("index method")
    } else if s.starts_with("CREATE TABLE ") && tables.inheriting.contains(&subject) {
        Some("inheritance")
    } else if s.contains(" SET DEFAULT nextval(") || s.contains(" ADD GENERATED ") {
        Some("sequence")
    } else {
        None
    }
}

/// The table a `CREATE TABLE`, `ALTER TABLE` or `CREATE INDEX` statement is about.
fn subject_table(s: &str) -> Option<String> {
    let after = if let Some(rest) = s.strip_prefix("CREATE TABLE ") {
        rest
    } else if let Some(rest) = s.strip_prefix("ALTER TABLE ") {
        rest.strip_prefix("ONLY ").unwrap_or(rest)
    } else if s.starts_with("CREATE INDEX ") || s.starts_with("CREATE UNIQUE INDEX ") {
        let rest = s.split_once(" ON ")?.1;
        rest.strip_prefix("ONLY ").unwrap_or(rest)
    } else {
        return None;
    };
    Some(first_word(after))
}

/// A `CREATE TABLE` without its `DEFAULT nextval(...)` clauses: serial, identity and a
/// shared sequence all mean "numbered", which `db diff` compares.
fn without_sequence_defaults(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(start) = out.find(" DEFAULT nextval(") {
        let end = out[start..]
            .find("::regclass)")
            .map(|e| start + e + "::regclass)".len())
            .unwrap_or(out.len());
        out.replace_range(start..end, "");
    }
    out
}

/// A `CREATE TABLE` without `PARTITION BY ...`, and that clause.
fn without_partitioning(s: &str) -> (String, Option<String>) {
    match s.rfind(" PARTITION BY ") {
        Some(at) => (s[..at].to_string(), Some(s.to_string())),
        None => (s.to_string(), None),
    }
}

async fn mysql_outline(live: &Live) -> Outline {
    let mut outline = Outline::default();
    for table in live.dump().await.split(";\n") {
        let mut table = table.to_string();
        for marker in ["CONSTRAINT ", "KEY "] {
            table = outline.mask_names(&table, marker, '`');
        }
        let table = outline.without_character_sets(&table);
        let table = outline.without_mysql_extras(&table);
        outline.held.extend(unordered(&table));
    }
    let mut conn = live.conn().await;
    for (kind, sql) in [
        (
            "view",
            "SELECT table_name FROM information_schema.views WHERE table_schema = DATABASE()",
        ),
        (
            "trigger",
            "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
        ),
        (
            "function",
            "SELECT routine_name FROM information_schema.routines WHERE routine_schema = DATABASE()",
        ),
    ] {
        for row in conn.texts(sql).await {
            outline.outside(kind, &row[0].clone().unwrap_or_default());
        }
    }
    outline
}

impl Outline {
    /// `SHOW CREATE TABLE` without what MySQL has beyond the model: `ON UPDATE
    /// current_timestamp()` on a column, and full-text indexes.
    fn without_mysql_extras(&mut self, create: &str) -> String {
        let mut lines = Vec::new();
        for line in create.lines() {
            if line.trim_start().starts_with("FULLTEXT KEY ") {
                self.outside("fulltext index", line.trim().trim_end_matches(','));
                continue;
            }
            let mut line = line.to_string();
            const ON_UPDATE: &str = " ON UPDATE current_timestamp";
            if let Some(at) = line.find(ON_UPDATE) {
                self.outside("on update", line.trim());
                let mut end = at + ON_UPDATE.len();
                if line[end..].starts_with('(') {
                    end += line[end..].find(')').map_or(0, |e| e + 1);
                }
                line.replace_range(at..end, "");
            }
            lines.push(line);
        }
        // A dropped last key leaves its predecessor's comma before the closing parenthesis.
        lines.join("\n").replace(",\n)", "\n)")
    }

    /// `SHOW CREATE TABLE` without character sets and collations, kept under
    /// `character set`: the model does not hold them, a copy gets the server's defaults.
    fn without_character_sets(&mut self, create: &str) -> String {
        let mut kept = Vec::new();
        let create = create.replace(" DEFAULT CHARSET=", " CHARSET=");
        let words: Vec<&str> = create.split(' ').collect();
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            let option = ["CHARACTER", "COLLATE"].contains(&w) || w.starts_with("CHARSET=");
            if w == "CHARACTER" && words.get(i + 1) == Some(&"SET") {
                self.outside("character set", &format!("{} {}", w, words[i + 2]));
                i += 3;
            } else if w == "COLLATE" {
                self.outside("character set", &format!("COLLATE {}", words[i + 1]));
                i += 2;
            } else if option || w.starts_with("COLLATE=") {
                self.outside("character set", w);
                i += 1;
            } else {
                kept.push(w);
                i += 1;
            }
        }
        kept.join(" ")
    }
}

impl Outline {
    /// A `pragma_table_xinfo` row as SQLite uses it: the declared type's affinity (the
    /// spelling, `NVARCHAR(20)` or `VARCHAR(20)`, is kept under `declared type`), and a key
    /// column as NOT NULL (the model's rule; SQLite's leniency is kept under `nullable key`).
    fn column_semantics(&mut self, cells: &mut [String]) {
        let (table, column) = (cells[1].clone(), cells[3].clone());
        self.outside("declared type", &format!("{table}.{column} {}", cells[4]));
        cells[4] = affinity(&cells[4]).to_string();
        if cells[7] != "0" && cells[5] == "0" {
            self.outside("nullable key", &format!("{table}.{column}"));
            cells[5] = "1".into();
        }
    }
}

/// SQLite's type affinity of a declared type (<https://sqlite.org/datatype3.html>, 3.1).
fn affinity(declared: &str) -> &'static str {
    let upper = declared.to_ascii_uppercase();
    if upper.contains("INT") {
        "INTEGER"
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|t| upper.contains(t)) {
        "TEXT"
    } else if upper.contains("BLOB") || upper.trim().is_empty() {
        "BLOB"
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|t| upper.contains(t)) {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// SQLite stores the `CREATE TABLE` text as written, so two equal schemas seldom have equal
/// texts: the outline is what SQLite itself understood of them, through its pragmas. (Check
/// constraints and constraint names live only in that text; `db diff` compares them.)
async fn sqlite_outline(live: &Live) -> Outline {
    const TABLES: &str = "FROM sqlite_master m JOIN {pragma} p WHERE m.type = 'table' \
        AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'outflow_version%'";
    let from = |pragma: &str| TABLES.replace("{pragma}", pragma);
    let queries = [
        format!(
            "SELECT 'column', m.name, CAST(p.cid AS TEXT), p.name, p.type, \
             CAST(p.\"notnull\" AS TEXT), p.dflt_value, CAST(p.pk AS TEXT), \
             CAST(p.hidden AS TEXT) {}",
            from("pragma_table_xinfo(m.name)")
        ),
        format!(
            "SELECT 'index', m.name, CAST(p.\"unique\" AS TEXT), p.origin, \
             CAST(p.partial AS TEXT), \
             (SELECT group_concat(coalesce(x.name, '<expr>') || ' ' || x.desc || ' ' || x.coll, ', ') \
              FROM pragma_index_xinfo(p.name) x WHERE x.key) {}",
            from("pragma_index_list(m.name)")
        ),
        format!(
            "SELECT 'foreign key', m.name, CAST(p.seq AS TEXT), p.\"table\", p.\"from\", p.\"to\", \
             p.on_update, p.on_delete, p.\"match\" {}",
            from("pragma_foreign_key_list(m.name)")
        ),
    ];
    let mut outline = Outline::default();
    let mut conn = live.conn().await;
    for sql in &queries {
        for row in conn.texts(sql).await {
            let mut cells: Vec<String> = row
                .into_iter()
                .map(|c| c.unwrap_or_else(|| "NULL".into()))
                .collect();
            if cells[0] == "column" {
                outline.column_semantics(&mut cells);
            }
            outline.held.insert(cells.join("|"));
        }
    }
    let objects = "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')";
    for row in conn.texts(objects).await {
        let kind = row[0].clone().unwrap_or_default();
        outline.outside(&kind, &row[1].clone().unwrap_or_default());
    }
    outline
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_keep_dollar_quoted_bodies_whole() {
        let dump = "CREATE FUNCTION f() RETURNS int\n    AS $_$\nSELECT 1;\n$_$;\nCREATE TABLE t (\n    a int\n);\n";
        let s = statements(dump);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[0].contains("SELECT 1;"));
        assert_eq!(s[1], "CREATE TABLE t ( a int )");
    }

    #[test]
    fn names_and_character_sets_are_set_aside() {
        let mut outline = Outline::default();
        let masked = outline.mask_names(
            "ALTER TABLE ONLY t ADD CONSTRAINT \"PK \"\"x\"\"\" PRIMARY KEY (a)",
            " ADD CONSTRAINT ",
            '"',
        );
        assert_eq!(
            masked,
            "ALTER TABLE ONLY t ADD CONSTRAINT <name> PRIMARY KEY (a)"
        );
        let create = "CREATE TABLE `t` (\n  `a` varchar(9) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,\n  KEY `ix` (`a`)\n) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin";
        let create = outline.mask_names(create, "KEY ", '`');
        assert_eq!(
            outline.without_character_sets(&create),
            "CREATE TABLE `t` (\n  `a` varchar(9) NOT NULL,\n  KEY <name> (`a`)\n) ENGINE=InnoDB"
        );
        assert_eq!(outline.outside["names"].len(), 2);
        let create = "CREATE TABLE `t` (\n  `at` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),\n  FULLTEXT KEY `ft` (`a`)\n) ENGINE=InnoDB";
        assert_eq!(
            outline.without_mysql_extras(create),
            "CREATE TABLE `t` (\n  `at` timestamp NOT NULL DEFAULT current_timestamp()\n) ENGINE=InnoDB"
        );
        assert_eq!(outline.outside["character set"].len(), 4);
    }

    #[test]
    fn sqlite_columns_compare_by_affinity() {
        for (declared, expected) in [
            ("NVARCHAR(160)", "TEXT"),
            ("DATETIME", "NUMERIC"),
            ("TIMESTAMP", "NUMERIC"),
            ("DECIMAL(5,2)", "NUMERIC"),
            ("INT", "INTEGER"),
            ("", "BLOB"),
            ("DOUBLE PRECISION", "REAL"),
        ] {
            assert_eq!(affinity(declared), expected, "{declared}");
        }
    }

    #[test]
    fn sequence_defaults_and_partitioning_are_set_aside() {
        let t = "CREATE TABLE public.p ( id integer DEFAULT nextval('public.p_id_seq'::regclass) NOT NULL, d date ) PARTITION BY RANGE (d)";
        let (table, part) = without_partitioning(&without_sequence_defaults(t));
        assert_eq!(
            table,
            "CREATE TABLE public.p ( id integer NOT NULL, d date )"
        );
        assert!(part.is_some());
        let tables = Tables::of_pg_dump(
            "ALTER TABLE ONLY public.p ATTACH PARTITION public.p_1 FOR VALUES FROM (1) TO (2);\n\
             CREATE TABLE public.c (\n) INHERITS (public.p);\n",
        );
        assert!(tables.is_partition("public.p_1"));
        assert_eq!(
            table_level_outside("CREATE INDEX i ON public.p_1 USING btree (d)", &tables),
            Some("partition")
        );
        assert_eq!(
            table_level_outside("CREATE TABLE public.c ( ) INHERITS (public.p)", &tables),
            Some("inheritance")
        );
        assert_eq!(
            table_level_outside(
                "ALTER TABLE ONLY public.p ADD CONSTRAINT pk PRIMARY KEY (id)",
                &tables
            ),
            None
        );
    }
}
