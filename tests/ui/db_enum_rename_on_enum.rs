use outflow::DbEnum;

#[derive(DbEnum)]
#[db_enum(rename = "run_state")]
enum State {
    Pending,
}

fn main() {}
