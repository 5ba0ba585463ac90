//! AWS Control Tower: when its organization trail exists, Control Tower owns CloudTrail, the log
//! archive and AWS Config (its SCPs deny changes), and logwarden plans only what Control Tower
//! leaves alone: load balancer and S3 access logs, and budgets.

use crate::plan::note;

use crate::sources::PlanCtx;

/// The trail Control Tower creates; its presence means Control Tower owns CloudTrail, the log
/// archive and AWS Config.
pub const CONTROL_TOWER_TRAIL: &str = "aws-controltower-BaselineCloudTrail";
const CONTROL_TOWER_BUCKETS: &[&str] =
    &["aws-controltower-logs-", "aws-controltower-s3-access-logs-"];

/// Detect Control Tower: its trail and buckets are reported as not manageable.
pub fn plan(ctx: &mut PlanCtx) {
    let Some(a) = ctx.account(&ctx.mgmt) else {
        return;
    };
    if let Some(t) = a
        .data
        .cloudtrail
        .trails
        .iter()
        .find(|t| t.name == CONTROL_TOWER_TRAIL)
    {
        ctx.control_tower = true;
        ctx.not_manageable.push(note(
            &format!("cloudtrail_trail.{}", t.name),
            &a.account_id,
            &t.home_region,
            "AWS Control Tower manages the organization trail, the log archive and AWS Config (its SCPs deny changes); logwarden plans only flow-log-independent sources: load balancer and S3 access logs, and budgets",
        ));
    }
    for acct in &ctx.inv.accounts {
        for bk in acct
            .data
            .s3_access_logs
            .buckets
            .value()
            .into_iter()
            .flatten()
        {
            if CONTROL_TOWER_BUCKETS.iter().any(|p| bk.name.starts_with(p)) {
                ctx.not_manageable.push(note(
                    &format!("s3_bucket.{}", bk.name),
                    &acct.account_id,
                    bk.region.value().map(String::as_str).unwrap_or(""),
                    "a Control Tower log bucket: never changed",
                ));
            }
        }
    }
}

/// A bucket Control Tower made (its SCPs deny changing it).
pub fn is_control_tower_bucket(name: &str) -> bool {
    CONTROL_TOWER_BUCKETS.iter().any(|p| name.starts_with(p))
}
