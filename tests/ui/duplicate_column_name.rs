use outflow::Model;

#[derive(Model)]
struct Run {
    name: String,
    #[column(name = "name")]
    label: String,
}

fn main() {}
