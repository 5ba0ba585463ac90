//! The `access` section: which roles logwarden assumes in each account. A read-only role for
//! `audit` and `plan` (AWS's `SecurityAudit` plus `budgets:ViewBudget`, or the role `logwarden
//! permissions audit --format cloudformation` makes), and a role that may write for `apply`.
//!
//! Flags and the environment win over the profile: `--role-name` / `LOGWARDEN_ROLE_NAME` for
//! reading, `--apply-role-name` / `LOGWARDEN_APPLY_ROLE_NAME` for apply's writes.

use serde::{Deserialize, Serialize};

/// The role every command assumed before roles could be told apart: AWS Organizations creates
/// it in every account it creates (an administrator role).
pub const DEFAULT_ROLE: &str = "OrganizationAccountAccessRole";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Access {
    /// Role `audit` and `plan` (and apply's re-reading) assume in each member account
    /// (default OrganizationAccountAccessRole).
    #[serde(default)]
    pub audit_role: Option<String>,
    /// Role `apply` makes its changes with in each account (default: `audit_role`).
    #[serde(default)]
    pub apply_role: Option<String>,
}

impl Access {
    /// The section's bad values: role names IAM would not accept.
    pub fn validate(&self) -> Result<(), super::Issue> {
        for (key, role) in [
            ("audit_role", &self.audit_role),
            ("apply_role", &self.apply_role),
        ] {
            if let Some(r) = role {
                if !valid_role_name(r) {
                    return Err(super::Issue::at(
                        &["access", key],
                        format!("`{r}` is not an IAM role name"),
                        "a role name is 1-64 letters, digits and +=,.@_- (the name, not the ARN)",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A name IAM accepts for a role (without a path).
pub fn valid_role_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

/// The role names a command assumes: (reads, writes). `flag_read` / `flag_write` are the
/// command line (or environment); the profile comes next, then [`DEFAULT_ROLE`].
pub fn resolve(
    access: &Access,
    flag_read: Option<&str>,
    flag_write: Option<&str>,
) -> (String, String) {
    let read = flag_read
        .map(String::from)
        .or_else(|| access.audit_role.clone())
        .unwrap_or_else(|| DEFAULT_ROLE.to_string());
    let write = flag_write
        .map(String::from)
        .or_else(|| access.apply_role.clone())
        .unwrap_or_else(|| read.clone());
    (read, write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_profile_and_apply_defaults_to_the_read_role() {
        let none = Access::default();
        assert_eq!(
            resolve(&none, None, None),
            (DEFAULT_ROLE.to_string(), DEFAULT_ROLE.to_string())
        );
        let profile = Access {
            audit_role: Some("logwarden-audit".into()),
            apply_role: Some("logwarden-apply".into()),
        };
        assert_eq!(
            resolve(&profile, None, None),
            ("logwarden-audit".into(), "logwarden-apply".into())
        );
        assert_eq!(
            resolve(&profile, Some("ro"), None),
            ("ro".into(), "logwarden-apply".into())
        );
        let read_only = Access {
            audit_role: Some("ro".into()),
            apply_role: None,
        };
        assert_eq!(
            resolve(&read_only, None, Some("rw")),
            ("ro".into(), "rw".into())
        );
        assert_eq!(resolve(&read_only, None, None), ("ro".into(), "ro".into()));
    }

    #[test]
    fn role_names_iam_would_refuse_are_caught() {
        assert!(valid_role_name("OrganizationAccountAccessRole"));
        assert!(valid_role_name("logwarden-audit@x.y"));
        assert!(!valid_role_name("arn:aws:iam::111111111111:role/x"));
        assert!(!valid_role_name(""));
        assert!(!valid_role_name(&"a".repeat(65)));
        let bad = Access {
            audit_role: Some("role/with/path".into()),
            apply_role: None,
        };
        assert_eq!(
            bad.validate().unwrap_err().path,
            vec!["access", "audit_role"]
        );
    }
}
