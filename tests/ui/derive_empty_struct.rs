use outflow::Model;

#[derive(Model)]
struct Run {}

fn main() {}
