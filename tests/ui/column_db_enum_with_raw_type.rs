use outflow::{DbEnum, Model};

#[derive(DbEnum)]
enum State {
    Pending,
}

#[derive(Model)]
struct Run {
    #[column(raw_type = "CITEXT")]
    #[column(db_enum)]
    state: State,
}

fn main() {}
