use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(length = "x")]
    name: String,
}

fn main() {}
