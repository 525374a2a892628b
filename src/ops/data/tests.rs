use std::sync::Arc;

use super::*;

/// A database that records what it is asked and answers with canned replies.
struct Recording {
    asked: Vec<RowRequest>,
    rows: Vec<Row>,
}

impl RowLink for Recording {
    fn dialect(&self) -> DialectName {
        DialectName::Sqlite
    }

    fn send(&mut self, request: RowRequest) -> Result<RowReply, DataError> {
        let reply = match &request {
            RowRequest::Select { .. } => RowReply::Rows(self.rows.clone()),
            _ => RowReply::Count(2),
        };
        self.asked.push(request);
        Ok(reply)
    }
}

fn person(id: i64, name: Option<&str>) -> Row {
    let columns: Arc<[String]> = Arc::from(vec!["id".to_string(), "name".to_string()]);
    let name = name.map_or(Value::Null, |n| Value::Text(n.into()));
    Row::new(Arc::from("person"), columns, vec![Value::Int(id), name])
}

fn recording() -> Recording {
    Recording {
        asked: Vec::new(),
        rows: vec![person(1, Some("Ada")), person(2, None)],
    }
}

#[test]
fn a_select_asks_for_its_columns_filters_order_and_limit() {
    let mut db = recording();
    let found = Rows::new(&mut db)
        .select("person", ["id", "name"])
        .filter("kind", "admin")
        .filter("deleted", Option::<i64>::None)
        .order_by_desc("id")
        .limit(10)
        .all()
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(
        db.asked,
        vec![RowRequest::Select {
            table: "person".into(),
            columns: vec!["id".into(), "name".into()],
            filters: vec![
                ("kind".into(), Value::Text("admin".into())),
                ("deleted".into(), Value::Null),
            ],
            order: vec![("id".into(), true)],
            limit: Some(10),
        }]
    );
}

#[test]
fn first_asks_for_one_row() {
    let mut db = recording();
    let first = Rows::new(&mut db).select("person", ["id"]).first().unwrap();
    assert_eq!(first, Some(person(1, Some("Ada"))));
    assert!(matches!(
        &db.asked[0],
        RowRequest::Select { limit: Some(1), .. }
    ));
}

#[test]
fn writes_carry_their_values_and_filters_and_return_the_count() {
    let mut db = recording();
    let mut rows = Rows::new(&mut db);
    assert_eq!(rows.insert("person").value("name", "Bob").run().unwrap(), 2);
    rows.update("person")
        .set("name", "Eve")
        .filter("id", 3_i64)
        .run()
        .unwrap();
    rows.delete("person").filter("id", 4_i64).run().unwrap();
    rows.execute("UPDATE person SET n = n + ?", [1_i64])
        .unwrap();
    assert_eq!(
        db.asked,
        vec![
            RowRequest::Insert {
                table: "person".into(),
                values: vec![("name".into(), Value::Text("Bob".into()))],
            },
            RowRequest::Update {
                table: "person".into(),
                set: vec![("name".into(), Value::Text("Eve".into()))],
                filters: vec![("id".into(), Value::Int(3))],
            },
            RowRequest::Delete {
                table: "person".into(),
                filters: vec![("id".into(), Value::Int(4))],
            },
            RowRequest::Execute {
                sql: "UPDATE person SET n = n + ?".into(),
                values: vec![Value::Int(1)],
            },
        ]
    );
}

#[test]
fn malformed_writes_are_refused_before_reaching_the_database() {
    let mut db = recording();
    let mut rows = Rows::new(&mut db);
    let e = rows.update("person").filter("id", 1_i64).run().unwrap_err();
    assert_eq!(
        e.message(),
        "the update of 'person' sets no column; add .set(column, value)"
    );
    let e = rows
        .insert("person")
        .value("name", "x")
        .filter("id", 1_i64)
        .run()
        .unwrap_err();
    assert!(
        e.message()
            .starts_with("an insert into 'person' takes no filter")
    );
    let e = rows.delete("person").value("name", "x").run().unwrap_err();
    assert!(
        e.message()
            .starts_with("a delete from 'person' sets no value")
    );
    assert!(db.asked.is_empty());
}

#[test]
fn a_row_reads_typed_values_and_names_what_is_wrong() {
    let ada = person(1, Some("Ada"));
    assert_eq!(ada.int("id").unwrap(), Some(1));
    assert_eq!(ada.float("id").unwrap(), Some(1.0));
    assert_eq!(ada.text("name").unwrap(), Some("Ada"));
    assert_eq!(person(2, None).text("name").unwrap(), None);
    assert_eq!(
        ada.text("id").unwrap_err().message(),
        "'person.id' holds Int(1), not text"
    );
    assert_eq!(
        ada.get("email").unwrap_err().message(),
        "the row of 'person' has no column 'email': the select read id, name"
    );
    assert_eq!(ada.columns(), ["id", "name"]);
    assert_eq!(ada.values().len(), 2);
}

#[test]
fn any_error_converts_into_a_data_error_with_its_message() {
    fn parse(text: &str) -> Result<i64, DataError> {
        Ok(text.parse::<i64>()?)
    }
    assert_eq!(
        parse("x").unwrap_err().message(),
        "invalid digit found in string"
    );
}

#[test]
fn steps_are_the_same_step_by_name() {
    let a = DataStep {
        name: "fill".into(),
        body: Arc::new(|_| Ok(())),
    };
    let b = DataStep {
        name: "fill".into(),
        body: Arc::new(|_| Err(DataError::new("other code"))),
    };
    assert_eq!(a, b);
    assert_eq!(format!("{a:?}"), r#"DataStep { name: "fill" }"#);
}
