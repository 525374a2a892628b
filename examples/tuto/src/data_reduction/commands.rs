//! The plugin's command: `compute_data --multiplier N`.

use outflow::pipeline::{Command, Task, Workflow};

use super::tasks;

/// Arguments of `compute_data`.
#[derive(Debug, clap::Args)]
pub struct ComputeArgs {
    /// What the generated data is multiplied by
    #[arg(long)]
    pub multiplier: i32,
}

/// GenData -> Compute -> PrintData, as in the tutorial.
pub fn compute_data() -> Command {
    Command::new("compute_data", |_: &ComputeArgs| {
        Workflow::new()
            .then(Task::new("gen_data", tasks::gen_data).output("raw_data"))
            .then(
                Task::new("compute", tasks::compute)
                    .input("raw_data")
                    .output("computation_result"),
            )
            .then(Task::new("print_data", tasks::print_data).input("computation_result"))
    })
    .about("Generates data, multiplies it (the result is cached in the database) and prints it")
}
