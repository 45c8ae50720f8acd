//! `liaison generate`: synthetic people and episodes for load testing, into the database
//! `--database-url` names (migrated first, as `liaison migrate` does).

use clap::Args;

use super::connect;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::{db, generate};

#[derive(Args)]
pub(super) struct GenerateArgs {
    /// How many people to add
    #[arg(long)]
    people: u64,
    /// How many episodes to add in all (at least one per person, at most 50), today's open ones included
    #[arg(long)]
    episodes: u64,
    /// Seed for the random choices: the same seed gives the same data
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Go ahead even though the database holds records that are not synthetic (a disposable copy only)
    #[arg(long)]
    force: bool,
}

pub(super) fn generate(config: &Config, args: GenerateArgs) -> Result<(), String> {
    let plan = generate::Plan {
        people: args.people,
        episodes: args.episodes,
        seed: args.seed,
        force: args.force,
        retention: config.retention_periods(),
    };
    if let Some(problem) = plan.problem() {
        return Err(problem);
    }
    let mut conn = connect(config)?;
    db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
    let mut out = std::io::stdout().lock();
    generate::run(&mut conn, &plan, SystemClock.now_ms(), &mut out)?;
    super::serve::print_demo_accounts();
    Ok(())
}
