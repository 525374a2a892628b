use outflow::Model;

#[derive(Model)]
#[model(check(expr = "value > 0"))]
struct Run {
    value: i32,
}

fn main() {}
