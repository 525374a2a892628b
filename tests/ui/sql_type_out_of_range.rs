use outflow::Model;

#[derive(Model)]
struct Run {
    #[column(sql_type = "numeric(2, 5)")]
    amount: f64,
}

fn main() {}
