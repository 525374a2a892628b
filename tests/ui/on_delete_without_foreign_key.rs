use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(on_delete = "cascade")]
    parent_id: i32,
}

fn main() {}
