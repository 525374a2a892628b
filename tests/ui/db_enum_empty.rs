use outflow::DbEnum;

#[derive(DbEnum)]
enum State {}

fn main() {}
