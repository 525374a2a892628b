//! The plugin's models.

use outflow::Model;

/// The cached result of the (slow) computation, one row per input and multiplier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Model)]
#[model(unique(input_value, multiplier))]
pub struct ComputationResult {
    // SQLAlchemy numbers a lone integer key (SERIAL on PostgreSQL); here it is said.
    #[column(primary_key, autoincrement)]
    pub id_computation_result: i32,
    pub input_value: i32,
    pub multiplier: i32,
    pub result: i32,
}
