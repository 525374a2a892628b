use outflow::Model;

#[derive(Model)]
#[model(index(a, name = "ix_a_b", b))]
struct Pair {
    #[column(primary_key)]
    id: i32,
    a: i32,
    b: i32,
}

fn main() {}
