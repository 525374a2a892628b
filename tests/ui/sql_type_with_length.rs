use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(sql_type = "text", length = 10)]
    name: String,
}

fn main() {}
