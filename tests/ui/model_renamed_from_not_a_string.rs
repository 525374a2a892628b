use outflow::Model;

#[derive(Model)]
#[model(renamed_from = people)]
struct Person {
    #[column(primary_key)]
    id: i32,
}

fn main() {}
