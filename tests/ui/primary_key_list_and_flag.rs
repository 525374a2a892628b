use outflow::Model;

#[derive(Model)]
#[model(primary_key(day, id))]
struct Payment {
    #[column(primary_key)]
    id: i32,
    day: i32,
}

fn main() {}
