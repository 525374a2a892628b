use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(primary_key, primay_key)]
    id: i32,
}

fn main() {}
