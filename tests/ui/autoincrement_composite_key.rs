use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(primary_key, autoincrement)]
    id: i32,
    #[column(primary_key)]
    step: i32,
}

fn main() {}
