use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(autoincrement)]
    id: i64,
}

fn main() {}
