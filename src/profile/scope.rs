//! The `scope` section: which accounts (by id, name or organizational unit) and regions a
//! profile governs, for the audit, plan and apply alike.

use serde::{Deserialize, Serialize};

/// Which accounts and regions the profile governs (audit, plan and apply alike).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Accounts to include (ids or names); empty means every active account.
    #[serde(default)]
    pub accounts: Vec<String>,
    /// Accounts to leave out (ids or names).
    #[serde(default)]
    pub exclude_accounts: Vec<String>,
    /// Organizational units (ids `ou-...`, nested units included) to include; empty means all.
    #[serde(default)]
    pub organizational_units: Vec<String>,
    /// Organizational units whose accounts (nested units included) are left out.
    #[serde(default)]
    pub exclude_organizational_units: Vec<String>,
    /// Regions to include; empty means every enabled region.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Regions to leave out.
    #[serde(default)]
    pub exclude_regions: Vec<String>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        self == &Scope::default()
    }

    /// Whether an account is in scope, given the OUs (with ancestors) it belongs to.
    pub fn includes_account(&self, id: &str, name: Option<&str>, ous: &[String]) -> bool {
        let named = |list: &[String]| list.iter().any(|a| a == id || Some(a.as_str()) == name);
        let in_ou = |list: &[String]| list.iter().any(|o| ous.contains(o));
        (self.accounts.is_empty() || named(&self.accounts))
            && (self.organizational_units.is_empty() || in_ou(&self.organizational_units))
            && !named(&self.exclude_accounts)
            && !in_ou(&self.exclude_organizational_units)
    }

    pub fn includes_region(&self, region: &str) -> bool {
        (self.regions.is_empty() || self.regions.iter().any(|r| r == region))
            && !self.exclude_regions.iter().any(|r| r == region)
    }

    pub fn uses_ous(&self) -> bool {
        !self.organizational_units.is_empty() || !self.exclude_organizational_units.is_empty()
    }

    /// The section's bad values.
    pub fn validate(&self) -> Result<(), super::Issue> {
        use super::Issue;
        for r in &self.regions {
            super::check_region(r, &["scope", "regions"])?;
        }
        for r in &self.exclude_regions {
            super::check_region(r, &["scope", "exclude_regions"])?;
        }
        for ou in self
            .organizational_units
            .iter()
            .chain(&self.exclude_organizational_units)
        {
            if !(ou.starts_with("ou-") || ou.starts_with("r-")) {
                return Err(Issue::at(
                    &["scope", "organizational_units"],
                    format!("`{ou}` is not an organizational unit or root id"),
                    "use ids such as ou-ab12-cdef3456 (or r-ab12 for the root); `aws organizations list-organizational-units-for-parent` lists them",
                ));
            }
        }
        if let Some(a) = self
            .accounts
            .iter()
            .find(|a| self.exclude_accounts.contains(a))
        {
            return Err(Issue::at(
                &["scope", "exclude_accounts"],
                format!("account `{a}` is both included and excluded"),
                "list it in one of `accounts` and `exclude_accounts`",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_filters_accounts_by_id_name_and_ou() {
        let s = Scope {
            organizational_units: vec!["ou-prod".into()],
            exclude_accounts: vec!["Sandbox".into()],
            ..Scope::default()
        };
        let ous = vec!["ou-prod".to_string(), "r-root".to_string()];
        assert!(s.includes_account("1", Some("App"), &ous));
        assert!(!s.includes_account("2", Some("Sandbox"), &ous));
        assert!(!s.includes_account("3", Some("Dev"), &["ou-dev".into()]));
        let r = Scope {
            exclude_regions: vec!["us-west-2".into()],
            ..Scope::default()
        };
        assert!(r.includes_region("us-east-1") && !r.includes_region("us-west-2"));
    }
}
