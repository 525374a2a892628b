//! The tasks of `compute_data`. Compute caches its result in `computation_result`: a second
//! run with the same input and multiplier finds it there instead of computing it again.

use std::time::Duration;

use anyhow::Context as _;
use outflow::pipeline::Context;
use outflow::tracing::info;

use super::commands::ComputeArgs;
use super::models::ComputationResult;

/// How long the "big computation" takes.
const COMPUTATION_TIME: Duration = Duration::from_secs(1);

/// The data to reduce.
pub fn gen_data(_ctx: &mut Context, _: ()) -> anyhow::Result<i32> {
    Ok(42)
}

/// The data times the multiplier, from the database when an earlier run computed it.
pub fn compute(ctx: &mut Context, raw_data: i32) -> anyhow::Result<i32> {
    let multiplier = ctx.args::<ComputeArgs>().multiplier;
    if ctx.dry_run() {
        info!("Dry run: computing without the database");
        return big_computation(raw_data, multiplier);
    }
    let db = ctx.db_of::<ComputationResult>()?;
    let cached = db
        .select::<ComputationResult>()
        .filter("input_value", raw_data)
        .filter("multiplier", multiplier)
        .first()?;
    if let Some(row) = cached {
        info!("Result found in database");
        return Ok(row.result);
    }
    info!("Result not found in database, computing result and inserting");
    let result = big_computation(raw_data, multiplier)?;
    // The key is left to the database (autoincrement).
    let row = ComputationResult {
        input_value: raw_data,
        multiplier,
        result,
        ..Default::default()
    };
    match db.insert(&row) {
        Ok(_) => {}
        // Another run computed the same result meanwhile: it is cached either way.
        Err(e) if e.is_unique_violation() => info!("Result inserted by another run meanwhile"),
        Err(e) => return Err(e.into()),
    }
    Ok(result)
}

/// Prints the result.
pub fn print_data(_ctx: &mut Context, computation_result: i32) -> anyhow::Result<()> {
    println!("Result of the computation: {computation_result}");
    Ok(())
}

/// The slow part the cache saves.
fn big_computation(raw_data: i32, multiplier: i32) -> anyhow::Result<i32> {
    std::thread::sleep(COMPUTATION_TIME);
    raw_data
        .checked_mul(multiplier)
        .with_context(|| format!("{raw_data} x {multiplier} does not fit in a 32-bit integer"))
}
