use outflow::Model;

#[derive(Model)]
#[model(unique(name, colour))]
struct Run {
    name: String,
    color: String,
}

fn main() {}
