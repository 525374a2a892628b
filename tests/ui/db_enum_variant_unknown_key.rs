use outflow::DbEnum;

#[derive(DbEnum)]
enum State {
    #[db_enum(label = "waiting")]
    Pending,
}

fn main() {}
