use outflow::Model;

#[derive(Model)]
struct Person {
    #[column(primary_key)]
    id: i32,
    #[column(renamed_from = "")]
    full_name: String,
}

fn main() {}
