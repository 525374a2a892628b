use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(length = 0)]
    name: String,
}

fn main() {}
