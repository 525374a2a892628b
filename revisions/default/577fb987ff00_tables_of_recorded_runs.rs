//! Tables of recorded runs
//!
//! Revision ID: 577fb987ff00
//! Revises:
//! Create Date: 2026-11-26 01:58:58

use outflow::migration::prelude::*;

pub const REVISION: &str = "577fb987ff00";
pub const DOWN_REVISION: &[&str] = &[];
pub const BRANCH_LABELS: &[&str] = &["outflow"];
pub const DEPENDS_ON: &[&str] = &[];

pub fn upgrade(op: &mut Operations) {
    op.create_enum("outflow_block_type", ["task", "workflow"]);
    op.create_enum(
        "outflow_state",
        ["pending", "running", "failed", "success", "skipped"],
    );
    op.create_table(
        table("outflow_configuration")
            .column(column("id", Type::BigInt).not_null().autoincrement())
            .column(column("config", Type::Json).not_null())
            .column(column("settings", Type::Json).not_null())
            .column(column("hash", Type::Varchar(64)).not_null())
            .primary_key("pk_outflow_configuration", ["id"])
            .unique("uq_outflow_configuration_hash", ["hash"]),
    );
    op.create_table(
        table("outflow_run")
            .column(column("id", Type::BigInt).not_null().autoincrement())
            .column(column("uuid", Type::Varchar(36)).not_null())
            .column(column("start_time", Type::TimestampTz))
            .column(column("end_time", Type::TimestampTz))
            .column(
                column(
                    "state",
                    Type::enumeration(
                        "outflow_state",
                        ["pending", "running", "failed", "success", "skipped"],
                    ),
                )
                .not_null(),
            )
            .column(column("hostname", Type::Varchar(256)))
            .column(column("configuration_id", Type::BigInt).not_null())
            .column(column("command_name", Type::Varchar(256)))
            .primary_key("pk_outflow_run", ["id"])
            .unique("uq_outflow_run_uuid", ["uuid"])
            .index("ix_outflow_run_configuration_id", ["configuration_id"])
            .foreign_key(foreign_key(
                "fk_outflow_run_configuration_id_outflow_configuration",
                ["configuration_id"],
                "outflow_configuration",
                ["id"],
            )),
    );
    op.create_table(
        table("outflow_block")
            .column(column("id", Type::BigInt).not_null().autoincrement())
            .column(column("uuid", Type::Varchar(36)).not_null())
            .column(column("start_time", Type::TimestampTz))
            .column(column("end_time", Type::TimestampTz))
            .column(
                column(
                    "state",
                    Type::enumeration(
                        "outflow_state",
                        ["pending", "running", "failed", "success", "skipped"],
                    ),
                )
                .not_null(),
            )
            .column(column("hostname", Type::Varchar(256)))
            .column(
                column(
                    "type",
                    Type::enumeration("outflow_block_type", ["task", "workflow"]),
                )
                .not_null(),
            )
            .column(column("plugin", Type::Varchar(256)))
            .column(column("name", Type::Varchar(256)).not_null())
            .column(column("run_id", Type::BigInt).not_null())
            .column(column("input_targets", Type::Json).not_null())
            .column(column("output_targets", Type::Json).not_null())
            .column(column("input_values", Type::Json))
            .column(column("parent_id", Type::BigInt))
            .primary_key("pk_outflow_block", ["id"])
            .unique("uq_outflow_block_uuid", ["uuid"])
            .index("ix_outflow_block_run_id", ["run_id"])
            .foreign_key(foreign_key(
                "fk_outflow_block_run_id_outflow_run",
                ["run_id"],
                "outflow_run",
                ["id"],
            ))
            .foreign_key(foreign_key(
                "fk_outflow_block_parent_id_outflow_block",
                ["parent_id"],
                "outflow_block",
                ["id"],
            )),
    );
    op.create_table(
        table("outflow_edge")
            .column(column("upstream_block_id", Type::BigInt).not_null())
            .column(column("downstream_block_id", Type::BigInt).not_null())
            .primary_key(
                "pk_outflow_edge",
                ["upstream_block_id", "downstream_block_id"],
            )
            .index(
                "ix_outflow_edge_downstream_block_id",
                ["downstream_block_id"],
            )
            .foreign_key(foreign_key(
                "fk_outflow_edge_upstream_block_id_outflow_block",
                ["upstream_block_id"],
                "outflow_block",
                ["id"],
            ))
            .foreign_key(foreign_key(
                "fk_outflow_edge_downstream_block_id_outflow_block",
                ["downstream_block_id"],
                "outflow_block",
                ["id"],
            )),
    );
    op.create_table(
        table("outflow_runtime_exception")
            .column(column("id", Type::BigInt).not_null().autoincrement())
            .column(column("block_id", Type::BigInt))
            .column(column("exception_type", Type::Varchar(256)).not_null())
            .column(column("exception_msg", Type::Text).not_null())
            .column(column("traceback", Type::Text).not_null())
            .column(column("time", Type::TimestampTz).not_null())
            .primary_key("pk_outflow_runtime_exception", ["id"])
            .index("ix_outflow_runtime_exception_block_id", ["block_id"])
            .foreign_key(foreign_key(
                "fk_outflow_runtime_exception_block_id_outflow_block",
                ["block_id"],
                "outflow_block",
                ["id"],
            )),
    );
}

pub fn downgrade(op: &mut Operations) {
    op.drop_table("outflow_runtime_exception");
    op.drop_table("outflow_edge");
    op.drop_table("outflow_block");
    op.drop_table("outflow_run");
    op.drop_table("outflow_configuration");
    op.drop_enum("outflow_state");
    op.drop_enum("outflow_block_type");
}
