//! The tutorial pipeline of Outflow's "Models and database" chapter, in Rust.

mod data_reduction;

fn main() -> std::process::ExitCode {
    outflow::pipeline!().plugin(data_reduction::plugin()).run()
}
