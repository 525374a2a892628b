//! Add table 'computation_result'
//!
//! Revision ID: 2f066d6f168d
//! Revises:
//! Create Date: 2026-11-25 20:04:17

use outflow::migration::prelude::*;

pub const REVISION: &str = "2f066d6f168d";
pub const DOWN_REVISION: &[&str] = &[];
pub const BRANCH_LABELS: &[&str] = &["tuto.data_reduction"];
pub const DEPENDS_ON: &[&str] = &[];

pub fn upgrade(op: &mut Operations) {
    op.create_table(
        table("computation_result")
            .column(
                column("id_computation_result", Type::Integer)
                    .not_null()
                    .autoincrement(),
            )
            .column(column("input_value", Type::Integer).not_null())
            .column(column("multiplier", Type::Integer).not_null())
            .column(column("result", Type::Integer).not_null())
            .primary_key("pk_computation_result", ["id_computation_result"])
            .unique(
                "uq_computation_result_input_value_multiplier",
                ["input_value", "multiplier"],
            ),
    );
}

pub fn downgrade(op: &mut Operations) {
    op.drop_table("computation_result");
}
