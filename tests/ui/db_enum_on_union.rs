use outflow::DbEnum;

#[derive(DbEnum)]
union State {
    a: u32,
    b: f32,
}

fn main() {}
