use outflow::Model;

#[derive(Model)]
#[model(index(started))]
struct Run {
    #[column(name = "started")]
    started_at: i64,
}

fn main() {}
