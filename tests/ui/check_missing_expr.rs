use outflow::Model;

#[derive(Model)]
#[model(check(name = "positive"))]
struct Run {
    value: i32,
}

fn main() {}
