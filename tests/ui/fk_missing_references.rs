use outflow::Model;

#[derive(Model)]
#[model(foreign_key(parent_id, name = "fk_child_parent"))]
struct Child {
    #[column(primary_key)]
    id: i32,
    parent_id: i32,
}

fn main() {}
