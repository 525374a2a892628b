use outflow::DbEnum;

#[derive(DbEnum)]
#[db_enum(name = " ")]
enum State {
    Pending,
}

fn main() {}
