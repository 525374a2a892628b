use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(primary_key, autoincrement)]
    id: String,
}

fn main() {}
