use outflow::DbEnum;

#[derive(DbEnum)]
enum State<T> {
    Pending,
    Done(T),
}

fn main() {}
