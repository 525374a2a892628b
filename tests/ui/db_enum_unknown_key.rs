use outflow::DbEnum;

#[derive(DbEnum)]
#[db_enum(rename_all = "lowercase")]
enum State {
    Pending,
}

fn main() {}
