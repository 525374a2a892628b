use outflow::DbEnum;

#[derive(DbEnum)]
enum State {
    Pending,
    Failed(String),
}

fn main() {}
