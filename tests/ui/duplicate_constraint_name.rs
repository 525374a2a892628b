use outflow::Model;

#[derive(Model)]
#[model(unique(name))]
struct Run {
    #[column(unique)]
    name: String,
}

fn main() {}
