use outflow::{DbEnum, Model};

#[derive(DbEnum)]
enum State {
    Pending,
}

#[derive(Model)]
struct Run {
    #[column(enum)]
    state: State,
}

fn main() {}
