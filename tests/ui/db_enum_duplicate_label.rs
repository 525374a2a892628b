use outflow::DbEnum;

#[derive(DbEnum)]
enum State {
    InProgress,
    #[db_enum(rename = "in_progress")]
    Running,
}

fn main() {}
