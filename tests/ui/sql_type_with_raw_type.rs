use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(sql_type = "text", raw_type = "CITEXT")]
    name: String,
}

fn main() {}
