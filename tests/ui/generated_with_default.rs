use outflow::Model;

#[derive(Model)]
struct Priced {
    #[column(primary_key)]
    id: i32,
    price: i32,
    #[column(generated = "price * 2", default = "0")]
    doubled: Option<i32>,
}

fn main() {}
