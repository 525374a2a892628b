use outflow::{DbEnum, Model};

#[derive(DbEnum)]
enum State {
    Pending,
}

#[derive(Model)]
struct Run {
    #[column(db_enum, sql_type = "text")]
    state: State,
}

fn main() {}
