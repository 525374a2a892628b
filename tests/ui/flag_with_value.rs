use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(primary_key = true)]
    id: i32,
}

fn main() {}
