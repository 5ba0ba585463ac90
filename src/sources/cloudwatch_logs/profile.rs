//! The `log_group_retention` section: every log group (or, with `groups: sources`, every group
//! that holds a source's logs) keeps its logs at least `min_days`; whether "never expire" passes
//! is the profile's choice (`never_expire`); with `deletion_protection`, every group that holds a
//! source's logs is protected from deletion.

use crate::profile::{check_log_retention, Issue};
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

/// What a log group set to never expire counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NeverExpire {
    /// It keeps the logs at least as long as any retention: it passes (the default; the cost
    /// of keeping logs forever is a budget question, not a gap in what responders can read).
    Accept,
    /// It fails: the organization wants every group bounded (cost, data minimisation).
    /// `plan` never shortens it: a manual step says so.
    Flag,
}

/// Which log groups the retention floor applies to.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum GroupScope {
    /// Every log group, workload and application logs included (the default; FSBP
    /// CloudWatch.16 asks it of every group).
    #[default]
    All,
    /// Only the groups that hold a source's logs: those a trail, flow log, Resolver query log
    /// or other source delivers to, and those AWS names for a service's logs (`/aws/lambda/`,
    /// `/aws/eks/`, `/aws/rds/`...). Application teams keep the rest.
    Sources,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogGroupRetentionBaseline {
    /// `all` (default) or `sources`: which log groups keep their logs at least `min_days`.
    #[serde(default)]
    pub groups: GroupScope,
    /// Days every such log group keeps its logs at least (a retention
    /// CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    /// 1096, 1827, 2192, 2557, 2922, 3288, 3653). `plan` raises shorter ones to it.
    #[serde(default = "default_days")]
    pub min_days: u32,
    /// `accept` (default) or `flag` a group that never expires.
    #[serde(default = "default_never")]
    pub never_expire: NeverExpire,
    /// Every group that holds a source's logs (whatever `groups` says: application teams keep
    /// deleting their own groups) has CloudWatch Logs' deletion protection on, so deleting it, or
    /// its streams, is refused until someone turns protection off. `plan` turns it on for the
    /// groups that exist and creates its own groups protected; it never turns it off. Off by
    /// default. Add `logs:PutLogGroupDeletionProtection` to `scp_protection.actions` so member
    /// accounts cannot turn it off either.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deletion_protection: bool,
}

fn default_days() -> u32 {
    365
}

fn default_never() -> NeverExpire {
    NeverExpire::Accept
}

impl Default for LogGroupRetentionBaseline {
    fn default() -> Self {
        LogGroupRetentionBaseline {
            groups: GroupScope::default(),
            min_days: default_days(),
            never_expire: default_never(),
            deletion_protection: false,
        }
    }
}

/// The section's bad values. (A log group another section creates shorter than `min_days` is
/// refused by that section: see [`shorter_than_asked`].)
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match &b.log_group_retention {
        Some(l) => check_log_retention(l.min_days, &["log_group_retention", "min_days"]),
        None => Ok(()),
    }
}

/// A log group another section creates at `days` while `log_group_retention` asks more: it
/// would be created at one retention, then raised by the next plan, never converging in one
/// pass.
pub fn shorter_than_asked(b: &Baseline, days: u32, path: &[&'static str]) -> Result<(), Issue> {
    match &b.log_group_retention {
        Some(l) if days < l.min_days => Err(Issue::at(
            path,
            format!(
                "{} is {days} days, shorter than log_group_retention.min_days ({}): the group would be created at {days} days, then raised",
                path.join("."),
                l.min_days
            ),
            format!(
                "set it to {} or more, or lower log_group_retention.min_days",
                l.min_days
            ),
        )
        .otherwise_at(&["log_group_retention", "min_days"])),
        _ => Ok(()),
    }
}
