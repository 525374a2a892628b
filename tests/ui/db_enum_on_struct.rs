use outflow::DbEnum;

#[derive(DbEnum)]
struct State {
    label: String,
}

fn main() {}
