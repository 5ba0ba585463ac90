//! The `redshift_audit_logging` section: every Amazon Redshift provisioned cluster writes its
//! audit logs, and whether the user activity log (each query before it runs) is required too.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RedshiftAuditLoggingBaseline {
    /// Also require the user activity log: each query before it runs, what a responder reads
    /// to know which data was taken (default true). It needs `enable_user_activity_logging`
    /// in the cluster's parameter group, a static parameter applied at the next reboot, so
    /// `plan` lists it as a manual step.
    #[serde(default = "yes")]
    pub user_activity_log: bool,
}

fn yes() -> bool {
    true
}

impl Default for RedshiftAuditLoggingBaseline {
    fn default() -> Self {
        RedshiftAuditLoggingBaseline {
            user_activity_log: true,
        }
    }
}
