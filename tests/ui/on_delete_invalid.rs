use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(foreign_key = "parent.id", on_delete = "explode")]
    parent_id: i32,
}

fn main() {}
