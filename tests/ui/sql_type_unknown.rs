use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(sql_type = "integr")]
    id: i32,
}

fn main() {}
