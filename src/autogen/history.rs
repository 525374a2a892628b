//! What the database cannot hold but the revisions say: the live schema completed from the
//! schema the revisions build, so that a revision generated against a database is the one
//! generated offline (`make_migrations --offline`).

use crate::schema::{Schema, Type};

/// Gives each nameless enum column of `live` (MySQL keeps an enum's labels in the column and
/// no name) the name the revisions gave the same column, when they agree on its labels.
pub(super) fn name_enums(live: &mut Schema, replayed: &Schema) {
    let names: Vec<String> = live.tables().map(|t| t.name.clone()).collect();
    for name in names {
        let Some(history) = replayed.table(&name) else {
            continue;
        };
        let Some(table) = live.table_mut(&name) else {
            continue;
        };
        for column in &mut table.columns {
            let Type::Enum { name, values } = &mut column.ty else {
                continue;
            };
            if !name.is_empty() {
                continue;
            }
            if let Some(Type::Enum {
                name: given,
                values: labels,
            }) = history.column_named(&column.name).map(|c| &c.ty)
                && labels == values
            {
                *name = given.clone();
            }
        }
    }
}

/// Gives each object of `live` that the revisions made the definition they wrote. The
/// database reports a view, a function... in its own words (PostgreSQL and MySQL rewrite a
/// view's query), which the model's words never match: what the revisions created is compared
/// as they wrote it, so a second `make_migrations` after an upgrade finds nothing. An object
/// the revisions do not know (made by hand) is compared as the database reports it.
pub(super) fn declared_objects(live: &mut Schema, replayed: &Schema) {
    let keys: Vec<_> = live.objects().map(|o| o.key()).collect();
    for key in keys {
        if let (Some(written), Some(o)) = (replayed.object(&key), live.object_mut(&key)) {
            o.definition = written.definition.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{column, table, view};

    #[test]
    fn an_object_the_revisions_made_is_compared_as_they_wrote_it() {
        let mut live = Schema::new().with_objects([
            view("v", "CREATE VIEW v AS\n SELECT t.id\n   FROM t"),
            view("by_hand", "CREATE VIEW by_hand AS\n SELECT 1"),
        ]);
        let replayed = Schema::new().with_objects([view("v", "create view v as select id from t")]);
        declared_objects(&mut live, &replayed);
        let key = |n: &str| view(n, "").key();
        assert_eq!(
            live.object(&key("v")).unwrap().definition,
            "create view v as select id from t"
        );
        assert!(
            live.object(&key("by_hand"))
                .unwrap()
                .definition
                .contains("SELECT 1")
        );
    }

    #[test]
    fn a_nameless_enum_takes_the_name_the_revisions_gave_its_column() {
        let labels = ["a", "b"];
        let mut live = Schema::from_tables([table("t")
            .column(column("s", Type::enumeration("", labels)))
            .column(column("other", Type::enumeration("", ["x"])))]);
        let replayed = Schema::from_tables([table("t")
            .column(column("s", Type::enumeration("state", labels)))
            .column(column("other", Type::enumeration("kind", ["x", "y"])))]);
        name_enums(&mut live, &replayed);
        let t = live.table("t").unwrap();
        assert_eq!(t.columns[0].ty, Type::enumeration("state", labels));
        // Other labels: the revisions describe another type, the database's stays nameless.
        assert_eq!(t.columns[1].ty, Type::enumeration("", ["x"]));
    }
}
