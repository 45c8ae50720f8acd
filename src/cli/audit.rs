//! `liaison audit verify`: walks the audit trail's hash chain and reports the first broken link.

use clap::Subcommand;

use crate::audit::chain::{self, Verdict};
use crate::config::Config;

#[derive(Subcommand)]
pub(super) enum AuditCommand {
    /// Check every audit row's link to the one before it and its hash; fails at the first
    /// broken link. Read-only: runs beside a serving instance.
    Verify,
}

pub(super) fn audit(config: &Config, cmd: AuditCommand) -> Result<(), String> {
    match cmd {
        AuditCommand::Verify => {
            let mut conn = super::connect(config)?;
            let verdict = chain::verify(&mut conn).map_err(|e| format!("cannot read the audit trail: {e}"))?;
            println!("{}", describe(&verdict));
            match verdict {
                Verdict::Intact { .. } => Ok(()),
                Verdict::Broken { .. } => Err("the audit trail has been altered".into()),
            }
        }
    }
}

/// The verdict in words for an operator.
pub(super) fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Intact {
            unchained,
            checked,
            destroyed,
            head,
        } => {
            let mut text = format!("Audit chain intact: {checked} rows checked");
            if *destroyed > 0 {
                text.push_str(&format!(
                    ", {destroyed} removed with destroyed records bridged by their kept links"
                ));
            }
            if *unchained > 0 {
                text.push_str(&format!(
                    " ({unchained} earlier rows were written before the chain began)"
                ));
            }
            if let Some((id, hash)) = head {
                text.push_str(&format!(
                    ".\nLast row: id {id}, hash {hash}\n(keep this line elsewhere: a later check can show nothing before it was rewritten)"
                ));
            }
            text
        }
        Verdict::Broken { id, reason } => format!("Audit chain BROKEN at row id {id}: {reason}."),
    }
}
