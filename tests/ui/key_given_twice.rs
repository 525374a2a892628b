use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(name = "a")]
    #[column(name = "b")]
    id: i32,
}

fn main() {}
