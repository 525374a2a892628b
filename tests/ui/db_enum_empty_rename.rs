use outflow::DbEnum;

#[derive(DbEnum)]
enum State {
    #[db_enum(rename = "")]
    Pending,
}

fn main() {}
