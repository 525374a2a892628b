use outflow::Model;

#[derive(Model)]
#[model(tabel = "runs")]
struct Run {
    id: i32,
}

fn main() {}
