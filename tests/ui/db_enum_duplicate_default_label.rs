use outflow::DbEnum;

#[derive(DbEnum)]
enum State {
    HTTPError,
    HttpError,
}

fn main() {}
