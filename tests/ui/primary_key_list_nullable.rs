use outflow::Model;

#[derive(Model)]
#[model(primary_key(day, id))]
struct Payment {
    id: i32,
    day: Option<i32>,
}

fn main() {}
