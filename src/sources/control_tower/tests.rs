//! Control Tower's resources are never planned for.

use crate::plan::testutil::*;
use crate::rules::testutil::*;
use crate::sources::control_tower::plan::CONTROL_TOWER_TRAIL;

#[test]
fn control_tower_resources_are_never_changed() {
    let mut inv = managed_org();
    add_trail(&mut inv, trail(MGMT, CONTROL_TOWER_TRAIL, R1, true, true));
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![bucket(
        "aws-controltower-logs-222222222222-us-east-1",
        R1,
    )]);
    let b = profile("s3_access_logs: {}\n");
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    assert!(!addresses(&p)
        .iter()
        .any(|a| a.starts_with("cloudtrail_trail.")
            || a.starts_with("kms_key.")
            || a.contains("aws-controltower")
            || a.starts_with("config_")
            || a.contains(ARCHIVE)));
    assert!(p
        .not_manageable
        .iter()
        .any(|n| n.resource.contains(CONTROL_TOWER_TRAIL)));
    assert!(p
        .not_manageable
        .iter()
        .any(|n| n.resource.contains("aws-controltower-logs-")));
    assert!(addresses(&p).contains(&"budget.logwarden-logging-cost"));
}
