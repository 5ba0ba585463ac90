//! Validated settings: the command line checked without touching the network or credentials.

use crate::aws::{AwsOptions, CollectRequest};
use crate::baseline::{self, LoadedBaseline};
use crate::cli::{AuditArgs, Format};
use crate::error::Error;
use crate::frameworks::Framework;
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
    pub formats: Vec<Format>,
    pub output: Option<PathBuf>,
    pub output_dir: Option<PathBuf>,
    pub save_inventory: Option<PathBuf>,
    pub fail_on: Severity,
    pub fail_on_unknown: bool,
    pub framework: Option<Framework>,
    pub exceptions: Vec<crate::exceptions::Exception>,
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
        let mut formats = args.format.clone();
        formats.dedup();
        if formats.is_empty() {
            let terminal = stdout_is_terminal && args.output.is_none() && args.output_dir.is_none();
            formats.push(if terminal {
                Format::Table
            } else {
                Format::Json
            });
        }
        if formats.len() > 1 && args.output_dir.is_none() {
            return Err(Error::Usage(
                "several formats need --output-dir DIR (one file per format)".into(),
            ));
        }
        let exceptions = match &args.exceptions {
            Some(p) => crate::exceptions::load(&p.display().to_string())?,
            None => vec![],
        };
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
            formats,
            output: args.output,
            output_dir: args.output_dir,
            save_inventory: args.save_inventory,
            fail_on: args.fail_on,
            fail_on_unknown: args.fail_on_unknown,
            framework: args.framework,
            exceptions,
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
