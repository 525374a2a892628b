//! The `outflow` binary: a pipeline made of the framework's own plugin only, so `db inspect`,
//! `db diff` and the framework's migrations work on any database.

fn main() -> std::process::ExitCode {
    outflow::pipeline!().run()
}
