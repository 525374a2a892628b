use outflow::Model;

#[derive(Model)]
#[model(foreign_key(a, b, references = "parent(id)"))]
struct Child {
    #[column(primary_key)]
    id: i32,
    a: i32,
    b: i32,
}

fn main() {}
