use outflow::Model;

#[derive(Model)]
#[model(extend)]
struct Plain {
    #[column(primary_key)]
    id: i32,
}

fn main() {}
