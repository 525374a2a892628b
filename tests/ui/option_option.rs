use outflow::Model;

#[derive(Model)]
struct Run {
    note: Option<Option<String>>,
}

fn main() {}
