//! Loading a case's SQL as sqldef's own harness does: the roles it grants to exist (sqldef
//! creates them), and its statements may come in any order (sqldef sorts a desired schema by
//! dependency), so statements that fail for want of a later one are run again after it.

use crate::common::Dialect;
use crate::common::live::{Conn, Live};

/// Runs `sql` on `live`: whole when it runs so, else statement by statement, again and again
/// while each round makes progress. The error is the first failure of the last round.
pub async fn load(live: &Live, sql: &str) -> Result<(), String> {
    let mut conn = live.conn().await;
    if sql.trim().is_empty() {
        return Ok(());
    }
    if live.dialect == Dialect::Postgres {
        for role in roles(sql) {
            let create = format!(
                "DO $$ BEGIN CREATE ROLE {}; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                live.quote(&role)
            );
            conn.try_execute(&create).await?;
        }
    }
    let whole = conn.try_execute(sql).await;
    if whole.is_ok() {
        return Ok(());
    }
    // The whole text may have run in part (MySQL commits DDL as it goes): start again.
    drop(conn);
    live.reset().await;
    let mut conn = live.conn().await;
    let mut pending = statements(sql, live.dialect);
    loop {
        let (failed, first_error) = run_round(&mut conn, &pending).await;
        if failed.is_empty() {
            return Ok(());
        }
        if failed.len() == pending.len() {
            return Err(first_error.unwrap_or_default());
        }
        pending = failed;
    }
}

async fn run_round(conn: &mut Conn, statements: &[String]) -> (Vec<String>, Option<String>) {
    let mut failed = Vec::new();
    let mut first = None;
    for s in statements {
        if let Err(e) = conn.try_execute(s).await {
            first.get_or_insert(e);
            failed.push(s.clone());
        }
    }
    (failed, first)
}

/// The roles `GRANT ... TO`, `REVOKE ... FROM`, `CREATE POLICY ... TO` and `OWNER TO` name.
fn roles(sql: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in statements(sql, Dialect::Postgres) {
        let upper = s.to_ascii_uppercase();
        let interesting = upper.starts_with("GRANT")
            || upper.starts_with("REVOKE")
            || upper.starts_with("CREATE POLICY")
            || upper.contains(" OWNER TO ");
        if !interesting {
            continue;
        }
        let words = words(&s);
        for (i, w) in words.iter().enumerate() {
            let up = w.to_ascii_uppercase();
            if up != "TO" && up != "FROM" {
                continue;
            }
            for name in words[i + 1..].iter().take_while(|w| {
                let u = w.to_ascii_uppercase();
                !["WITH", "GRANTED", "USING", "CASCADE", "RESTRICT", ";"].contains(&u.as_str())
            }) {
                let name = name.trim_end_matches([',', ';']);
                let bare = name.trim_matches('"');
                let special = ["PUBLIC", "CURRENT_USER", "SESSION_USER", "CURRENT_ROLE"];
                if bare.is_empty()
                    || name.starts_with('(')
                    || special.contains(&bare.to_ascii_uppercase().as_str())
                    || name.eq_ignore_ascii_case("GROUP")
                {
                    continue;
                }
                let role = if name.starts_with('"') {
                    bare.replace("\"\"", "\"")
                } else {
                    bare.to_lowercase()
                };
                if !out.contains(&role) {
                    out.push(role);
                }
            }
        }
    }
    out
}

/// Words split on whitespace and commas, a quoted name kept whole.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if !quoted && (c.is_whitespace() || c == ',') => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The statements of `sql`: split on `;` outside quotes, comments, dollar-quoted bodies and
/// `BEGIN ... END` blocks (SQLite and MySQL triggers, MySQL routines).
pub fn statements(sql: &str, dialect: Dialect) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' | '"' | '`' => {
                let end = closing(&chars, i, c);
                current.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let mut j = i + 2;
                while j + 1 < chars.len() && !(chars[j] == '*' && chars[j + 1] == '/') {
                    j += 1;
                }
                i = (j + 2).min(chars.len());
                current.push(' ');
                continue;
            }
            '$' if dialect == Dialect::Postgres => {
                if let Some(end) = dollar_body_end(&chars, i) {
                    current.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
            }
            ';' if depth <= 0 => {
                push_statement(&mut out, &mut current);
                i += 1;
                continue;
            }
            c if c.is_alphabetic() && (i == 0 || !is_word(chars[i - 1])) => {
                let mut j = i;
                while j < chars.len() && is_word(chars[j]) {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect::<String>().to_ascii_uppercase();
                let next = next_word(&chars, j);
                match word.as_str() {
                    "BEGIN"
                        if dialect != Dialect::Postgres
                            && !["TRANSACTION", "WORK", "DEFERRED", "IMMEDIATE"]
                                .contains(&next.as_str()) =>
                    {
                        depth += 1
                    }
                    "CASE" if depth > 0 => depth += 1,
                    "END"
                        if depth > 0
                            && !["IF", "LOOP", "WHILE", "REPEAT"].contains(&next.as_str()) =>
                    {
                        depth -= 1
                    }
                    _ => {}
                }
                current.extend(&chars[i..j]);
                i = j;
                continue;
            }
            _ => {}
        }
        current.push(c);
        i += 1;
    }
    push_statement(&mut out, &mut current);
    out
}

fn push_statement(out: &mut Vec<String>, current: &mut String) {
    let s = std::mem::take(current);
    if !s.trim().is_empty() {
        out.push(s.trim().to_string());
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn next_word(chars: &[char], from: usize) -> String {
    let mut i = from;
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    let start = i;
    while i < chars.len() && is_word(chars[i]) {
        i += 1;
    }
    chars[start..i]
        .iter()
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Where the quoted text opened at `start` ends (after its closing quote; doubled quotes and,
/// in single quotes, backslash escapes inside).
fn closing(chars: &[char], start: usize, quote: char) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == '\\' && quote == '\'' {
            i += 2;
            continue;
        }
        if chars[i] == quote {
            if chars.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    chars.len()
}

/// The end of a `$tag$ ... $tag$` body starting at `start`, if one starts there.
fn dollar_body_end(chars: &[char], start: usize) -> Option<usize> {
    let mut j = start + 1;
    while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
        j += 1;
    }
    if chars.get(j) != Some(&'$') || (start > 0 && is_word(chars[start - 1])) {
        return None;
    }
    let tag: String = chars[start..=j].iter().collect();
    let body: String = chars[j + 1..].iter().collect();
    let end = body.find(&tag)?;
    Some(j + 1 + body[..end].chars().count() + tag.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_keep_bodies_whole() {
        let sql = "CREATE TABLE t (a text DEFAULT ';');\n\
                   CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\
                   -- a comment; with a semicolon\n\
                   CREATE INDEX i ON t (a)";
        let s = statements(sql, Dialect::Postgres);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[1].ends_with("LANGUAGE sql"));
        let trigger = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; \
                       SELECT CASE WHEN 1 THEN 2 END; END; CREATE VIEW v AS SELECT 1;";
        let s = statements(trigger, Dialect::Sqlite);
        assert_eq!(s.len(), 2, "{s:?}");
        let mysql = "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; END; SELECT 2";
        assert_eq!(statements(mysql, Dialect::Mysql).len(), 2);
    }

    #[test]
    fn roles_are_read_from_grants_and_policies() {
        let sql = "GRANT SELECT, INSERT ON TABLE \"public\".\"users\" TO \"app_user\", reader;\n\
                   CREATE POLICY p ON t TO PUBLIC USING (true);\n\
                   REVOKE ALL ON t FROM \"user-with-dash\" CASCADE;";
        assert_eq!(roles(sql), ["app_user", "reader", "user-with-dash"]);
    }
}
