use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(length = 10)]
    id: i32,
}

fn main() {}
