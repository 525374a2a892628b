use outflow::Model;

#[derive(Model)]
struct Run {
    #[model(table = "runs")]
    id: i32,
}

fn main() {}
