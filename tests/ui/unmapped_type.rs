use outflow::Model;

#[derive(Model)]
struct Run {
    count: Option<u32>,
}

fn main() {}
