use outflow::DbEnum;

#[derive(DbEnum)]
#[db_enum(name = "a")]
#[db_enum(name = "b")]
enum State {
    Pending,
}

fn main() {}
