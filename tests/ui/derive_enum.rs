use outflow::Model;

#[derive(Model)]
enum Run {
    Started,
    Finished,
}

fn main() {}
