//! The tutorial's loop, end to end, with the real binary of a copy of `examples/tuto`:
//! upgrade, autogenerate nothing, change a model, autogenerate, upgrade, downgrade.

mod common;

use common::{Dialect, Project};
use outflow::schema::Type;

#[test]
fn the_tutorial_loop_on_sqlite() {
    tutorial_loop(Dialect::Sqlite);
}

#[test]
fn the_tutorial_loop_on_postgres() {
    tutorial_loop(Dialect::Postgres);
}

#[test]
fn the_tutorial_loop_on_mysql() {
    tutorial_loop(Dialect::Mysql);
}

fn tutorial_loop(dialect: Dialect) {
    if !common::dialects().contains(&dialect) {
        return;
    }
    let p = Project::example("tuto").on(dialect);
    let committed = p.revision_files();
    assert_eq!(committed.len(), 1, "the tutorial ships its first revision");

    let up = p.run(&["db", "upgrade", "heads"]).expect(0);
    assert!(up.stderr.contains("Running upgrade  -> "), "{}", up.stderr);
    let schema = p.schema();
    let table = schema
        .table("computation_result")
        .expect("created by the committed revision");
    assert_eq!(
        table
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.ty.clone(), c.nullable))
            .collect::<Vec<_>>(),
        [
            ("id_computation_result", Type::Integer, false),
            ("input_value", Type::Integer, false),
            ("multiplier", Type::Integer, false),
            ("result", Type::Integer, false),
        ]
    );
    assert_eq!(
        table.primary_key.as_ref().unwrap().columns,
        ["id_computation_result"]
    );
    assert_eq!(table.uniques[0].columns, ["input_value", "multiplier"]);

    // Right after upgrade: nothing to generate, check passes, the same again is a no-op.
    let again = p
        .run(&[
            "db",
            "make_migrations",
            "--plugin",
            "tuto.data_reduction",
            "-m",
            "nothing",
        ])
        .expect(0);
    assert!(
        again.stdout.contains("No changes detected"),
        "{}",
        again.stdout
    );
    assert_eq!(p.revision_files(), committed);
    p.run(&["db", "check"]).expect(0);
    let current = p.run(&["db", "current"]).expect(0);
    assert!(
        current.stdout.contains("(tuto.data_reduction) (head)"),
        "{}",
        current.stdout
    );

    // A table nobody owns is listed with -v and never touched.
    stray(&p);
    let listed = p
        .run(&["-v", "db", "make_migrations", "-m", "nothing"])
        .expect(0);
    assert!(
        listed.stdout.contains("unmanaged table 'stray'"),
        "{}",
        listed.stdout
    );
    assert!(
        listed.stdout.contains("No changes detected"),
        "{}",
        listed.stdout
    );
    assert_eq!(p.revision_files(), committed);
    p.run(&["db", "check"]).expect(0);

    // A model change, rebuilt as `cargo run` would, becomes a revision on the plugin's branch.
    p.edit(
        "src/data_reduction/models.rs",
        "    pub result: i32,\n",
        "    pub result: i32,\n    #[column(length = 200)]\n    pub note: Option<String>,\n",
    );
    p.build();
    p.run(&["db", "check"]).expect(1);
    let made = p
        .run(&["db", "make_migrations", "-m", "Add a note to results"])
        .expect(0);
    assert!(
        made.stdout.contains("_add_a_note_to_results.rs ... done"),
        "{}",
        made.stdout
    );
    let files = p.revision_files();
    assert_eq!(files.len(), 2);
    let new = files.iter().find(|f| !committed.contains(f)).unwrap();
    let text = std::fs::read_to_string(new).unwrap();
    assert!(text.contains("op.add_column(\n        \"computation_result\",\n        column(\"note\", Type::Varchar(200)),\n    );")
        || text.contains("op.add_column(\"computation_result\", column(\"note\", Type::Varchar(200)));"), "{text}");
    assert!(
        text.contains("op.drop_column(\"computation_result\", \"note\");"),
        "{text}"
    );
    let first_id = committed[0].file_name().unwrap().to_string_lossy()[..12].to_string();
    assert!(
        text.contains(&format!(
            "pub const DOWN_REVISION: &[&str] = &[\"{first_id}\"];"
        )),
        "{text}"
    );
    assert!(
        text.contains("pub const BRANCH_LABELS: &[&str] = &[];"),
        "{text}"
    );
    let schema_file = std::fs::read_to_string(p.path("schema/default.yml")).unwrap();
    assert!(schema_file.contains("name: note"), "{schema_file}");

    // The binary does not have the new file yet: commands that write revisions refuse.
    let stale = p
        .run(&["db", "make_migrations", "-m", "too early"])
        .expect(2);
    assert!(
        stale
            .error_line()
            .contains("add_a_note_to_results.rs is not in this build"),
        "{}",
        stale.stderr
    );
    // Rebuilt but not applied: autogenerate refuses, check reports it.
    p.build();
    let behind = p
        .run(&["db", "make_migrations", "-m", "too early"])
        .expect(2);
    assert!(
        behind.error_line().contains("is not at its heads"),
        "{}",
        behind.stderr
    );
    let check = p.run(&["db", "check"]).expect(1);
    assert!(
        check.stdout.contains("not at its heads"),
        "{}",
        check.stdout
    );
    p.run(&["db", "upgrade", "heads"]).expect(0);
    p.run(&["db", "check"]).expect(0);
    let note = p
        .schema()
        .table("computation_result")
        .unwrap()
        .column_named("note")
        .cloned();
    assert_eq!(note.map(|c| c.ty), Some(Type::Varchar(200)));

    p.run(&["db", "downgrade", "-1"]).expect(0);
    assert!(
        p.schema()
            .table("computation_result")
            .unwrap()
            .column_named("note")
            .is_none()
    );
    // Removing the unapplied revision file is picked up by the next build.
    std::fs::remove_file(new).unwrap();
    p.build();
    let heads = p.run(&["db", "heads"]).expect(0);
    let mut lines: Vec<&str> = heads.stdout.lines().collect();
    lines.sort();
    let framework = format!("{} (outflow) (head)", common::framework_head());
    let mut expected = vec![
        format!("{first_id} (tuto.data_reduction) (head)"),
        framework,
    ];
    expected.sort();
    assert_eq!(lines, expected);
    let check = p.run(&["db", "check"]).expect(1);
    assert!(
        check
            .stdout
            .contains("add column 'computation_result.note'"),
        "{}",
        check.stdout
    );
    p.run(&["db", "upgrade", "heads"]).expect(0);
    p.run(&["db", "downgrade", "base"]).expect(0);
    let left: Vec<String> = p.schema().table_names().map(str::to_owned).collect();
    assert_eq!(left, ["stray"], "only the table nobody owns is left");
}

/// Creates a table by hand, as another tool would.
fn stray(p: &Project) {
    if let Some(db) = &p.database {
        db.execute("CREATE TABLE stray (x INTEGER)");
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", p.path("outflow.db").display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE stray (x INTEGER)")
            .execute(&mut conn)
            .await
            .unwrap();
    });
}
