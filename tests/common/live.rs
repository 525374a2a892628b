//! A scratch database of any dialect driven through the library, with raw SQL on the side and
//! the dialect's own dump of its schema (`sqlite_master`, `pg_dump --schema-only`,
//! `SHOW CREATE TABLE`) to check our introspection against.

use outflow::dialect::sql::Quote;
use outflow::dialect::{Database, DialectName, OpenMode, Step, Target, VERSION_TABLE, compare_for};
use outflow::diff::Compare;
use outflow::ops::Operation;
use outflow::schema::Schema;
use sqlx::{AssertSqlSafe, Connection, Row};

use super::{Dialect, ServerDatabase};

/// A fresh, empty database for one test.
pub struct Live {
    /// The dialect.
    pub dialect: Dialect,
    target: Target,
    _dir: tempfile::TempDir,
    server: Option<ServerDatabase>,
}

/// A raw connection, for rows and dumps.
pub enum Conn {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
    Mysql(sqlx::MySqlConnection),
}

impl Live {
    /// A new database on `dialect`; `None` when its server is not available (outside CI).
    pub fn new(dialect: Dialect) -> Option<Live> {
        let dir = tempfile::tempdir().unwrap();
        let (target, server) = match dialect {
            Dialect::Sqlite => (
                Target::Sqlite {
                    path: dir.path().join("live.db"),
                },
                None,
            ),
            _ => {
                let server = ServerDatabase::create(dialect)?;
                (
                    Target::from_url(&server.url(), dir.path()).unwrap(),
                    Some(server),
                )
            }
        };
        Some(Live {
            dialect,
            target,
            _dir: dir,
            server,
        })
    }

    /// The same database, its tables read from and written to PostgreSQL schema `schema`
    /// (when given), as a label configured with `schema:` does; its account is that schema's.
    pub fn in_schema(mut self, schema: Option<&str>) -> Live {
        if let (Target::Postgres(server), Some(schema)) = (&mut self.target, schema) {
            server.schema = Some(schema.to_string());
        }
        self
    }

    /// A database that already exists at `url` (`sqlite://path` or a server's URL), for
    /// rows and dumps; it is left in place.
    pub fn existing(dialect: Dialect, url: &str) -> Live {
        let dir = tempfile::tempdir().unwrap();
        Live {
            dialect,
            target: Target::from_url(url, dir.path()).unwrap(),
            _dir: dir,
            server: None,
        }
    }

    /// Empties the database: drops it and creates it again (SQLite: removes the file).
    pub async fn reset(&self) {
        match (&self.target, &self.server) {
            (Target::Sqlite { path }, _) => {
                let _ = std::fs::remove_file(path);
            }
            (_, Some(server)) => server.reset().await,
            (_, None) => panic!("only a database of the test's own can be reset"),
        }
    }

    /// The schema its tables live in (PostgreSQL; `public` unless [`Live::in_schema`] said).
    pub fn schema_name(&self) -> &str {
        self.target.schema()
    }

    /// The dialect's normal form.
    pub fn compare(&self) -> &'static dyn Compare {
        compare_for(match self.dialect {
            Dialect::Sqlite => DialectName::Sqlite,
            Dialect::Postgres => DialectName::Postgres,
            Dialect::Mysql => DialectName::Mysql,
        })
    }

    /// Runs `ops` as one step, the way a revision runs; the error as text.
    pub async fn run(&self, ops: &[Operation]) -> Result<(), String> {
        let mut db = Database::open(&self.target, OpenMode::ReadWrite)
            .await
            .map_err(|e| e.to_string())?;
        db.run_step(&Step {
            ops,
            version: &[],
            version_table: VERSION_TABLE,
            log: &[],
        })
        .await
        .map_err(|e| e.to_string())
    }

    /// The schema as our introspection reads it.
    pub async fn schema(&self) -> Schema {
        self.try_schema().await.unwrap()
    }

    /// The schema as our introspection reads it; the error as text.
    pub async fn try_schema(&self) -> Result<Schema, String> {
        let mut db = Database::open(&self.target, OpenMode::ReadOnly)
            .await
            .map_err(|e| e.to_string())?;
        db.introspect().await.map_err(|e| e.to_string())
    }

    /// A raw connection.
    pub async fn conn(&self) -> Conn {
        match &self.target {
            Target::Sqlite { path } => Conn::Sqlite(
                sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display()))
                    .await
                    .unwrap(),
            ),
            Target::Postgres(s) => {
                Conn::Postgres(sqlx::PgConnection::connect(&s.url).await.unwrap())
            }
            Target::Mysql(s) => Conn::Mysql(sqlx::MySqlConnection::connect(&s.url).await.unwrap()),
        }
    }

    /// `name` quoted for the dialect, by the library's own quoting.
    pub fn quote(&self, name: &str) -> String {
        match self.dialect {
            Dialect::Mysql => Quote::Backtick.ident(name),
            _ => Quote::Double.ident(name),
        }
    }

    /// `columns` of `table` as one text per row, `|`-separated, `NULL` for nulls, ordered by
    /// `id`.
    pub async fn rows(&self, table: &str, columns: &[String]) -> Vec<String> {
        self.rows_by(table, columns, "id").await
    }

    /// [`Live::rows`] ordered by column `order`.
    pub async fn rows_by(&self, table: &str, columns: &[String], order: &str) -> Vec<String> {
        let text = |c: &String| match self.dialect {
            Dialect::Mysql => format!("CAST({} AS CHAR)", self.quote(c)),
            _ => format!("CAST({} AS TEXT)", self.quote(c)),
        };
        let select: Vec<String> = columns.iter().map(text).collect();
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            select.join(", "),
            self.quote(table),
            self.quote(order)
        );
        let rows = self.conn().await.texts(&sql).await;
        rows.into_iter()
            .map(|row| {
                let cells: Vec<String> = row
                    .into_iter()
                    .map(|c| c.unwrap_or_else(|| "NULL".into()))
                    .collect();
                cells.join("|")
            })
            .collect()
    }

    /// The dialect's own account of the schema: `sqlite_master`, `pg_dump --schema-only`,
    /// `SHOW CREATE TABLE` of every table, without the version tables.
    pub async fn dump(&self) -> String {
        match self.dialect {
            Dialect::Sqlite => {
                let sql = "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL \
                           AND name NOT LIKE 'outflow_version%' ORDER BY type, name";
                let rows = self.conn().await.texts(sql).await;
                let sql: Vec<String> = rows.into_iter().flatten().flatten().collect();
                sql.join(";\n")
            }
            Dialect::Postgres => match &self.target {
                Target::Postgres(s) => pg_dump(&s.url, s.schema.as_deref()),
                _ => unreachable!("a PostgreSQL database has a PostgreSQL target"),
            },
            Dialect::Mysql => self.show_create_tables().await,
        }
    }

    async fn show_create_tables(&self) -> String {
        let mut conn = self.conn().await;
        let tables = conn
            .texts(
                "SELECT table_name FROM information_schema.tables \
                 WHERE table_schema = DATABASE() AND table_name NOT LIKE 'outflow_version%' \
                 AND table_type = 'BASE TABLE' ORDER BY table_name",
            )
            .await;
        let mut out = Vec::new();
        for t in tables.into_iter().flatten().flatten() {
            let sql = format!("SHOW CREATE TABLE {}", self.quote(&t));
            let create = conn.texts(&sql).await;
            let text = create[0][1].clone().unwrap();
            out.push(standard_quotes(&strip_auto_increment(&text)));
        }
        out.join(";\n")
    }
}

/// MariaDB writes a quote inside a string as `\'` in some defaults and `''` in others: `''`
/// everywhere, so that the dump splits on its real separators.
fn standard_quotes(create: &str) -> String {
    let (mut out, mut in_string, mut chars) = (String::new(), false, create.chars());
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => match chars.next() {
                Some('\'') => out.push_str("''"),
                Some(next) => {
                    out.push(c);
                    out.push(next);
                }
                None => out.push(c),
            },
            '\'' => {
                in_string = !in_string;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `AUTO_INCREMENT=N` is the counter's position, not the schema.
fn strip_auto_increment(create: &str) -> String {
    create
        .split(' ')
        .filter(|w| !w.starts_with("AUTO_INCREMENT="))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `pg_dump --schema-only` without its comments, `SET` lines and the version table. The
/// binary is the server's own (`OUTFLOW_TEST_PG_DUMP`, written by `scripts/servers.sh`) so its
/// version matches; a missing one fails the test.
/// `pg_dump --schema-only` of the database at `url`, of `schema` alone when given. Owners
/// are left out (every object is the test user's); privileges are in.
fn pg_dump(url: &str, schema: Option<&str>) -> String {
    let program = std::env::var("OUTFLOW_TEST_PG_DUMP").unwrap_or_else(|_| "pg_dump".into());
    let only = schema.map(|s| format!("--schema={s}"));
    let out = std::process::Command::new(&program)
        .args(["--schema-only", "--no-owner"])
        .args(only)
        .args(["--exclude-table", "*.outflow_version*", url])
        .output()
        .unwrap_or_else(|e| panic!("{program} cannot run ({e}): set OUTFLOW_TEST_PG_DUMP"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| {
            !l.starts_with("--") && !l.starts_with("SET ") && !l.starts_with("SELECT pg_catalog")
        })
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Conn {
    /// Runs one statement.
    pub async fn execute(&mut self, sql: &str) {
        self.try_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Runs SQL (several statements allowed); the error as text.
    pub async fn try_execute(&mut self, sql: &str) -> Result<(), String> {
        let q = AssertSqlSafe(sql.to_string());
        let done = match self {
            Conn::Sqlite(c) => sqlx::raw_sql(q).execute(c).await.map(|_| ()),
            Conn::Postgres(c) => sqlx::raw_sql(q).execute(c).await.map(|_| ()),
            Conn::Mysql(c) => sqlx::raw_sql(q).execute(c).await.map(|_| ()),
        };
        done.map_err(|e| e.to_string())
    }

    /// Every row of a query whose columns are all text.
    pub async fn texts(&mut self, sql: &str) -> Vec<Vec<Option<String>>> {
        fn cells<R: Row>(row: &R) -> Vec<Option<String>>
        where
            for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            usize: sqlx::ColumnIndex<R>,
        {
            // A column that is not text (SHOW CREATE TRIGGER's `Created`) reads as NULL.
            (0..row.len())
                .map(|i| row.try_get(i).ok().flatten())
                .collect()
        }
        let q = || sqlx::raw_sql(AssertSqlSafe(sql.to_string()));
        match self {
            Conn::Sqlite(c) => q()
                .fetch_all(c)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .iter()
                .map(cells)
                .collect(),
            Conn::Postgres(c) => q()
                .fetch_all(c)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .iter()
                .map(cells)
                .collect(),
            Conn::Mysql(c) => q()
                .fetch_all(c)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .iter()
                .map(cells)
                .collect(),
        }
    }
}

/// A dump as a sorted list of statements, each `CREATE TABLE` with its sorted elements: two
/// dumps are equal under it when they differ only in the order of statements, of columns and
/// of constraints. (A column dropped then added again comes back last on every dialect, as
/// with any tool; its type, default and constraints must come back the same.)
pub fn unordered(dump: &str) -> Vec<String> {
    let mut statements: Vec<String> = split_top_level(dump, ';')
        .into_iter()
        .map(|s| {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let (Some(open), Some(close)) = (s.find('('), s.rfind(')')) else {
                return s;
            };
            if !s.starts_with("CREATE TABLE") {
                return s;
            }
            let mut parts = split_top_level(&s[open + 1..close], ',');
            parts.iter_mut().for_each(|p| *p = p.trim().to_string());
            parts.sort();
            format!("{}({}){}", &s[..open], parts.join(", "), &s[close + 1..])
        })
        .filter(|s| !s.is_empty())
        .collect();
    statements.sort();
    statements
}

/// Splits on `sep` outside parentheses, quotes, dollar-quoted bodies and `--` comments (a
/// function body's text must not split nor count its parentheses).
fn split_top_level(text: &str, sep: char) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let (mut out, mut current) = (Vec::new(), String::new());
    let (mut depth, mut i) = (0i32, 0);
    while i < chars.len() {
        let c = chars[i];
        let skip_to = match c {
            '\'' | '"' | '`' => Some(
                chars[i + 1..]
                    .iter()
                    .position(|&x| x == c)
                    .map_or(chars.len(), |p| i + p + 2),
            ),
            '-' if chars.get(i + 1) == Some(&'-') => Some(
                chars[i..]
                    .iter()
                    .position(|&x| x == '\n')
                    .map_or(chars.len(), |p| i + p),
            ),
            '$' => dollar_body_end(&chars, i),
            _ => None,
        };
        if let Some(end) = skip_to {
            current.extend(&chars[i..end]);
            i = end;
            continue;
        }
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if c == sep && depth == 0 => {
                out.push(std::mem::take(&mut current).trim().to_string());
                i += 1;
                continue;
            }
            _ => {}
        }
        current.push(c);
        i += 1;
    }
    out.push(current.trim().to_string());
    out
}

/// The index after a `$tag$ ... $tag$` body opened at `start`; `None` when `$` opens none.
fn dollar_body_end(chars: &[char], start: usize) -> Option<usize> {
    let tag_len = chars[start + 1..]
        .iter()
        .position(|&c| !(c.is_alphanumeric() || c == '_'))?;
    if chars.get(start + 1 + tag_len) != Some(&'$') {
        return None;
    }
    let tag = &chars[start..start + tag_len + 2];
    let body = start + tag.len();
    let close =
        (body..=chars.len().saturating_sub(tag.len())).find(|&k| chars[k..k + tag.len()] == *tag);
    Some(close.map_or(chars.len(), |k| k + tag.len()))
}
