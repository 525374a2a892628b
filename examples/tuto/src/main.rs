//! The tutorial pipeline of Outflow's "Models and database" chapter, in Rust.

mod data_reduction;

fn main() -> std::process::ExitCode {
    outflow::pipeline!().plugin(data_reduction::plugin()).run()
}

/// The pipeline's own checks, with `outflow::testing` as any pipeline would use it.
#[cfg(test)]
mod tests {
    use outflow::testing::{TestDatabase, assert_migrations_in_sync, stairway};

    fn pipeline() -> outflow::Pipeline {
        outflow::pipeline!()
            .plugin(super::data_reduction::plugin())
            .into_pipeline()
    }

    #[test]
    fn models_and_revisions_are_in_sync() {
        assert_migrations_in_sync(&pipeline());
    }

    #[test]
    fn every_revision_goes_down_and_up_again_on_sqlite() {
        // The framework's own revisions and the plugin's.
        assert!(stairway(&pipeline(), &TestDatabase::sqlite()) >= 2);
    }

    /// On each server CI starts (its URL in the variable); a developer without one is told.
    #[test]
    fn every_revision_goes_down_and_up_again_on_the_servers() {
        for variable in ["OUTFLOW_TEST_POSTGRES_URL", "OUTFLOW_TEST_MYSQL_URL"] {
            match TestDatabase::from_env(variable) {
                Some(db) => assert!(stairway(&pipeline(), &db) >= 2),
                None if std::env::var_os("CI").is_some() => {
                    panic!("{variable} is not set: CI must run this test on the server")
                }
                None => eprintln!("{variable} is not set: the stairway did not run there"),
            }
        }
    }
}
