use outflow::{DbEnum, Model};

#[derive(DbEnum)]
enum State {
    Pending,
}

#[derive(Model)]
struct Run {
    #[column(primary_key, db_enum, autoincrement)]
    state: State,
}

fn main() {}
