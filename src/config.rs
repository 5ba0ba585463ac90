//! Validated settings: the command line checked without touching the network or credentials.

use crate::aws::{AwsOptions, CollectRequest};
use crate::baseline::{self, LoadedBaseline};
use crate::cli::{AuditArgs, Format};
use crate::error::Error;
use crate::rules::Severity;
use std::path::PathBuf;
use std::time::Duration;

/// Where the inventory comes from.
#[derive(Debug)]
pub enum InventorySource {
    Aws(CollectRequest),
    File(PathBuf),
}

#[derive(Debug)]
pub struct AuditConfig {
    pub source: InventorySource,
    pub baseline: LoadedBaseline,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub save_inventory: Option<PathBuf>,
    pub fail_on: Severity,
}

pub fn valid_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
}

fn valid_account(a: &str) -> bool {
    a.len() == 12 && a.chars().all(|c| c.is_ascii_digit())
}

impl AuditConfig {
    /// `stdout_is_terminal` picks the default format.
    pub fn from_args(args: AuditArgs, stdout_is_terminal: bool) -> Result<Self, Error> {
        if let Some(rs) = &args.regions {
            if rs.is_empty() {
                return Err(Error::Usage("--regions needs at least one region".into()));
            }
            for r in rs {
                if !valid_region(r) {
                    return Err(Error::Usage(format!(
                        "`{r}` is not a region name\n  hint: use region codes such as us-east-1,eu-west-1"
                    )));
                }
            }
        }
        if let Some(r) = &args.region {
            if !valid_region(r) {
                return Err(Error::Usage(format!("--region `{r}` is not a region name")));
            }
        }
        for a in args.accounts.iter().flatten().chain(&args.exclude_accounts) {
            if !valid_account(a) {
                return Err(Error::Usage(format!(
                    "`{a}` is not an account id\n  hint: account ids are 12 digits"
                )));
            }
        }
        if !(1..=256).contains(&args.concurrency) {
            return Err(Error::Usage(
                "--concurrency must be between 1 and 256".into(),
            ));
        }
        if args.call_timeout == 0 || args.max_attempts == 0 {
            return Err(Error::Usage(
                "--call-timeout and --max-attempts must be at least 1".into(),
            ));
        }
        let baseline = baseline::load(&args.baseline)?;
        let format = args
            .format
            .unwrap_or(if stdout_is_terminal && args.output.is_none() {
                Format::Table
            } else {
                Format::Json
            });
        let source = match args.from_inventory {
            Some(p) => InventorySource::File(p),
            None => InventorySource::Aws(CollectRequest {
                aws: AwsOptions {
                    profile: args.profile,
                    region: args.region,
                    endpoint_url: args.endpoint_url,
                    role_name: args.role_name,
                    external_id: args.external_id,
                    max_attempts: args.max_attempts,
                    call_timeout: Duration::from_secs(args.call_timeout),
                },
                regions: args.regions,
                accounts: args.accounts,
                exclude_accounts: args.exclude_accounts,
                concurrency: args.concurrency,
            }),
        };
        Ok(AuditConfig {
            source,
            baseline,
            format,
            output: args.output,
            save_inventory: args.save_inventory,
            fail_on: args.fail_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_validated() {
        assert!(valid_region("us-east-1"));
        assert!(valid_region("ap-southeast-3"));
        assert!(valid_region("us-gov-west-1"));
        assert!(!valid_region("useast1"));
        assert!(!valid_region("us-east-"));
        assert!(!valid_region("US-EAST-1"));
    }
}
