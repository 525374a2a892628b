use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(foreign_key = "parent")]
    parent_id: i32,
}

fn main() {}
