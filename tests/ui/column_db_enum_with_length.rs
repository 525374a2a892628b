use outflow::{DbEnum, Model};

#[derive(DbEnum)]
enum State {
    Pending,
}

#[derive(Model)]
struct Run {
    #[column(length = 10, db_enum)]
    state: Option<State>,
}

fn main() {}
