use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(primary_key)]
    id: Option<i32>,
}

fn main() {}
