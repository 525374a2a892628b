use outflow::DbEnum;

#[derive(DbEnum)]
enum State {
    #[db_enum(name = "waiting")]
    Pending,
}

fn main() {}
