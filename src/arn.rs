//! Amazon Resource Names and partitions: one parser, one formatter, one region validator.
//!
//! Every ARN logwarden reads is taken apart here ([`Arn::parse`]) and every ARN it writes is
//! made here ([`Partition::arn`] and the shortcuts beside it), so nothing else splits on `:` or
//! writes `arn:aws:` by hand. The partition (`aws`, `aws-cn`, `aws-us-gov`...) comes from the
//! caller's identity and is carried through, so GovCloud and China ARNs come out right.
//!
//! The `aws-arn` crate was considered: it has not been released since 2022 and validates in ways
//! emulators and real ARNs do not always meet (it rejects empty account fields some services use);
//! the parse below is the documented format and nothing more.

use std::fmt;

/// The parts of an ARN: `arn:partition:service:region:account-id:resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    /// Empty for global resources (S3 buckets, IAM).
    pub region: &'a str,
    /// Empty for S3 buckets.
    pub account: &'a str,
    /// Everything after the fifth colon (it may contain colons and slashes).
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Parse an ARN; `None` when `s` is not one.
    pub fn parse(s: &'a str) -> Option<Arn<'a>> {
        let mut parts = s.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let arn = Arn {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        };
        (!arn.partition.is_empty() && !arn.service.is_empty()).then_some(arn)
    }

    /// The account id, when the ARN has one.
    pub fn account_id(&self) -> Option<&'a str> {
        Some(self.account).filter(|a| !a.is_empty())
    }

    /// The region, when the ARN has one.
    pub fn region_name(&self) -> Option<&'a str> {
        Some(self.region).filter(|r| !r.is_empty())
    }

    /// For `arn:p:s3:::bucket/key...`, the bucket.
    pub fn s3_bucket(&self) -> Option<&'a str> {
        (self.service == "s3" && self.account.is_empty() && self.region.is_empty())
            .then(|| self.resource.split('/').next().unwrap_or(""))
            .filter(|b| !b.is_empty())
    }
}

impl fmt::Display for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// For a basic event selector's data resource value that names a whole service (`arn:aws:s3`,
/// `arn:aws:s3:::`, `arn:aws:lambda`), the service; `None` for an ARN or ARN prefix of resources.
pub fn service_wide(value: &str) -> Option<&str> {
    let mut parts = value.trim_end_matches(':').splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let _partition = parts.next()?;
    let service = parts.next().filter(|s| !s.is_empty())?;
    parts.all(str::is_empty).then_some(service)
}

/// The service of an ARN.
pub fn service_of(arn: &str) -> Option<&str> {
    Arn::parse(arn).map(|a| a.service)
}

/// The account id inside an ARN (`None` if `arn` is not an ARN or has no account).
pub fn account_of(arn: &str) -> Option<&str> {
    Arn::parse(arn).and_then(|a| a.account_id())
}

/// The region inside an ARN (`None` if `arn` is not an ARN or has no region).
pub fn region_of(arn: &str) -> Option<&str> {
    Arn::parse(arn).and_then(|a| a.region_name())
}

/// An AWS partition, by name (`aws`, `aws-cn`, `aws-us-gov`, ...): makes the ARNs of resources
/// in it and knows where its partition-wide services answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition<'a>(pub &'a str);

impl<'a> Partition<'a> {
    /// The partition a region belongs to.
    pub fn of_region(region: &str) -> Partition<'static> {
        Partition(if region.starts_with("cn-") {
            "aws-cn"
        } else if region.starts_with("us-gov-") {
            "aws-us-gov"
        } else if region.starts_with("us-isob-") {
            "aws-iso-b"
        } else if region.starts_with("us-iso-") {
            "aws-iso"
        } else if region.starts_with("eusc-") {
            "aws-eusc"
        } else {
            "aws"
        })
    }

    /// The partition named in a caller ARN (`sts:GetCallerIdentity`), `aws` when unreadable.
    pub fn of_arn(arn: &str) -> Partition<'_> {
        Partition(Arn::parse(arn).map(|a| a.partition).unwrap_or("aws"))
    }

    pub fn name(&self) -> &'a str {
        self.0
    }

    /// The region partition-wide services (AWS Budgets, the global endpoint of IAM) are called
    /// in: `us-east-1` in `aws`, `cn-northwest-1` in `aws-cn`, `us-gov-west-1` in `aws-us-gov`.
    pub fn global_region(&self) -> &'static str {
        match self.0 {
            "aws-cn" => "cn-northwest-1",
            "aws-us-gov" => "us-gov-west-1",
            "aws-iso" => "us-iso-east-1",
            "aws-iso-b" => "us-isob-east-1",
            _ => "us-east-1",
        }
    }

    /// `arn:<partition>:<service>:<region>:<account>:<resource>`.
    pub fn arn(&self, service: &str, region: &str, account: &str, resource: &str) -> String {
        Arn {
            partition: self.0,
            service,
            region,
            account,
            resource,
        }
        .to_string()
    }

    /// The ARN of an S3 bucket (`arn:<partition>:s3:::<bucket>`).
    pub fn s3_bucket(&self, bucket: &str) -> String {
        self.arn("s3", "", "", bucket)
    }

    /// The ARN of an IAM role.
    pub fn iam_role(&self, account: &str, name: &str) -> String {
        self.arn("iam", "", account, &format!("role/{name}"))
    }

    /// The ARN that names a whole account as a principal (`arn:...:iam::<account>:root`).
    pub fn account_root(&self, account: &str) -> String {
        self.arn("iam", "", account, "root")
    }
}

/// Whether `r` looks like a region code: lowercase letters and digits in three or more
/// dash-separated parts, the last all digits (`us-east-1`, `us-gov-west-1`, `ap-southeast-3`).
/// The one region validator of the command line and the profile.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_arns_of_every_partition() {
        for s in [
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/org",
            "arn:aws-cn:kms:cn-north-1:222222222222:key/abc",
            "arn:aws-us-gov:logs:us-gov-west-1:333333333333:log-group:/a/b:*",
            "arn:aws:s3:::bucket/prefix/key",
        ] {
            let a = Arn::parse(s).unwrap();
            assert_eq!(a.to_string(), s);
        }
        let a =
            Arn::parse("arn:aws-us-gov:logs:us-gov-west-1:333333333333:log-group:/a/b:*").unwrap();
        assert_eq!(a.partition, "aws-us-gov");
        assert_eq!(a.resource, "log-group:/a/b:*");
        assert_eq!(
            account_of("arn:aws:cloudtrail:us-east-1:111111111111:trail/org"),
            Some("111111111111")
        );
        assert_eq!(
            region_of("arn:aws:cloudtrail:us-east-1:111111111111:trail/org"),
            Some("us-east-1")
        );
        assert_eq!(account_of("arn:aws:s3:::bucket"), None);
        assert_eq!(
            Arn::parse("arn:aws:s3:::bucket/x/y").unwrap().s3_bucket(),
            Some("bucket")
        );
        assert_eq!(service_wide("arn:aws:s3"), Some("s3"));
        assert_eq!(service_wide("arn:aws:s3:::"), Some("s3"));
        assert_eq!(service_wide("arn:aws-cn:lambda"), Some("lambda"));
        assert_eq!(service_wide("arn:aws:s3:::prod/"), None);
        assert_eq!(service_wide("arn:aws:lambda:us-east-1:1:function:f"), None);
        for bad in ["not-an-arn", "arn:aws", "arn::s3:::b", "", "arn:aws:s3"] {
            assert!(Arn::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn partitions_make_their_own_arns_and_pick_their_global_region() {
        let cn = Partition::of_region("cn-northwest-1");
        assert_eq!(cn.s3_bucket("b"), "arn:aws-cn:s3:::b");
        assert_eq!(cn.global_region(), "cn-northwest-1");
        let gov = Partition::of_arn("arn:aws-us-gov:iam::1:user/x");
        assert_eq!(gov.iam_role("1", "r"), "arn:aws-us-gov:iam::1:role/r");
        assert_eq!(gov.global_region(), "us-gov-west-1");
        assert_eq!(
            Partition::of_region("eu-west-1").account_root("2"),
            "arn:aws:iam::2:root"
        );
        assert_eq!(Partition::of_arn("garbage").name(), "aws");
    }

    #[test]
    fn regions_are_validated() {
        assert!(valid_region("us-east-1"));
        assert!(valid_region("ap-southeast-3"));
        assert!(valid_region("us-gov-west-1"));
        assert!(!valid_region("useast1"));
        assert!(!valid_region("us-east-"));
        assert!(!valid_region("US-EAST-1"));
        assert!(!valid_region("us-east-1a"));
    }
}
