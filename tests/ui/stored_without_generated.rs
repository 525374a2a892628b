use outflow::Model;

#[derive(Model)]
struct Priced {
    #[column(primary_key)]
    id: i32,
    #[column(stored)]
    price: i32,
}

fn main() {}
