use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(primary_key, autoincrement, raw_type = "int4range")]
    id: String,
}

fn main() {}
