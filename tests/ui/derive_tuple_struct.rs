use outflow::Model;

#[derive(Model)]
struct Run(i32, String);

fn main() {}
