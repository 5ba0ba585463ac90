//! Checks of the buckets trails deliver to, read through the account that owns each bucket.

use crate::finding::{Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, CisAwsV3, CisAwsV7, Nist80053};
use crate::rules::{need, not_required, CheckInfo, Fix, Raw, Subject};
use crate::sources::s3_access_logs::model::{
    Bucket, BucketDetails, LifecycleRule, MfaDelete, VersioningStatus,
};
use crate::sources::AccountInventory;
use crate::sources::{CheckDef, Ctx};
use std::collections::BTreeMap;

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "trail_bucket.access_logging",
        title: "Server access logging is enabled on the trail bucket",
        severity: Severity::Medium,
        scope: Subject::Resource(&crate::sources::s3_access_logs::checks::BUCKET),
        looks_at: "GetBucketLogging of each bucket a trail delivers to",
        rationale: "Access logs show who read or deleted the audit logs themselves.",
        remediation: "`aws s3api put-bucket-logging --bucket BUCKET --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"ACCESS_LOG_BUCKET\",\"TargetPrefix\":\"BUCKET/\"}}'`.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.4"]), (CisAwsV7, &["4.4"]), (AwsFsbp, &["CloudTrail.7"]), (Nist80053, &["AU-2", "AU-9"])],
        },
        eval: access_logging,
    },
    CheckDef {
        info: CheckInfo {
            id: "trail_bucket.mfa_delete",
        title: "MFA delete is enabled on the trail bucket (when the baseline asks)",
        severity: Severity::Low,
        scope: Subject::Resource(&crate::sources::s3_access_logs::checks::BUCKET),
        looks_at: "GetBucketVersioning: MFADelete",
        rationale: "MFA delete stops a stolen access key from deleting log versions. It needs the root user and cannot be combined with lifecycle rules.",
        remediation: "Manual, as the bucket owner's root user with its MFA device: `aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"SERIAL CODE\"`.",
        fix: Fix::Manual,
        frameworks: &[(CisAwsV3, &["2.1.2"]), (AwsFsbp, &["S3.20"]), (Nist80053, &["AU-9"])],
        },
        eval: mfa_delete,
    },
    CheckDef {
        info: CheckInfo {
            id: "trail_bucket.versioning",
        title: "Versioning is enabled on the trail bucket",
        severity: Severity::Medium,
        scope: Subject::Resource(&crate::sources::s3_access_logs::checks::BUCKET),
        looks_at: "GetBucketVersioning: Status",
        rationale: "With versioning, an overwritten or deleted log file can be recovered.",
        remediation: "`aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled`.",
        fix: Fix::Plan,
        frameworks: &[(AwsFsbp, &["S3.14"]), (Nist80053, &["AU-9", "AU-11"])],
        },
        eval: versioning,
    },
    CheckDef {
        info: CheckInfo {
            id: "trail_bucket.public_access",
        title: "The trail bucket is not public",
        severity: Severity::Critical,
        scope: Subject::Resource(&crate::sources::s3_access_logs::checks::BUCKET),
        looks_at: "GetPublicAccessBlock (all four settings), the bucket policy (one that names every principal it allows is not public; S3's GetBucketPolicyStatus judges any other), and GetBucketAcl with GetBucketOwnershipControls where the public access block does not ignore public ACLs (grants to AllUsers or AuthenticatedUsers make a bucket public unless Object Ownership is BucketOwnerEnforced)",
        rationale: "Public audit logs hand an attacker a map of the organization.",
        remediation: "`aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true` and remove public grants from the policy.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["2.1.4"]), (AwsFsbp, &["CloudTrail.6"]), (Nist80053, &["AU-9", "AC-3"])],
        },
        eval: public_access,
    },
    CheckDef {
        info: CheckInfo {
            id: "trail_bucket.lifecycle",
        title: "The trail bucket's lifecycle keeps logs as long as the baseline says, in the tiers it names",
        severity: Severity::Medium,
        scope: Subject::Resource(&crate::sources::s3_access_logs::checks::BUCKET),
        looks_at: "GetBucketLifecycleConfiguration: the enabled rules acting on the trails' log folders (the whole bucket, AWSLogs/, or a folder inside; a rule filtered by object tags never acts on logs, which AWS writes untagged), their transitions and expiration: the earliest expiration of any of them (a date-based one keeps new logs only until its date, none after it), the transitions of those acting on all the logs",
        rationale: "Investigations reach back months; logs that expire too early cannot answer, and logs kept in STANDARD forever cost more than needed.",
        remediation: "Add (merge, do not replace) a whole-bucket lifecycle rule with the baseline's transitions and an expiration no shorter than its retention.",
        fix: Fix::Plan,
        frameworks: &[(Nist80053, &["AU-11"])],
        },
        eval: lifecycle,
    },
    CheckDef {
        info: CheckInfo {
            id: "trail_bucket.object_lock",
        title: "Object Lock retention on the trail bucket (when the baseline asks)",
        severity: Severity::Low,
        scope: Subject::Resource(&crate::sources::s3_access_logs::checks::BUCKET),
        looks_at: "GetObjectLockConfiguration: default retention mode and period",
        rationale: "Object Lock (WORM) keeps even an administrator from deleting the evidence during the retention period.",
        remediation: "Object Lock can only be enabled on a new bucket or through AWS Support: create a bucket with Object Lock and the default retention, and point the trail at it.",
        fix: Fix::Plan,
        frameworks: &[(Nist80053, &["AU-9", "AU-11"])],
        },
        eval: object_lock,
    },
    CheckDef {
        info: CheckInfo {
            id: "trail_bucket.tls_only",
        title: "The trail bucket policy denies requests without TLS",
        severity: Severity::Medium,
        scope: Subject::Resource(&crate::sources::s3_access_logs::checks::BUCKET),
        looks_at: "GetBucketPolicy: a Deny for all principals when aws:SecureTransport is false",
        rationale: "Audit logs in transit must not be readable or alterable on the network.",
        remediation: "Add a statement {\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[BUCKET_ARN, BUCKET_ARN/*],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}} to the bucket policy (merged with the existing statements).",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["2.1.1"]), (AwsFsbp, &["S3.5"]), (Nist80053, &["SC-8", "AU-9"])],
        },
        eval: tls_only,
    },
];

/// Each trail bucket once, with the key prefixes trails write under (`<prefix>/AWSLogs/`).
fn trail_buckets(ctx: &Ctx) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in crate::sources::cloudtrail::trails(ctx) {
        if let Some(b) = &t.s3_bucket_name {
            out.entry(b.clone()).or_default().push(t.logs_prefix());
        }
    }
    out
}

/// Run `f` on each trail bucket's details, or report why they are unknown.
fn per_trail_bucket(
    ctx: &Ctx,
    mut f: impl FnMut(&AccountInventory, &Bucket, &BucketDetails, &[String]) -> (Status, String),
) -> Vec<Raw> {
    let mut out: Vec<Raw> = crate::sources::cloudtrail::gaps(ctx)
        .iter()
        .map(|g| g.unknown("the buckets of the trails"))
        .collect();
    for (name, prefixes) in trail_buckets(ctx) {
        let resource = crate::arn::Partition(&ctx.inv.partition).s3_bucket(&name);
        match crate::sources::s3_access_logs::buckets::find(ctx, &name) {
            None => out.push(Raw::new(
                Status::Unknown,
                None,
                None,
                resource,
                format!(
                    "bucket {name} is not in any audited account's bucket list (owned outside the audit scope, or the list could not be read)"
                ),
            )),
            Some((owner, bk)) => {
                let region = bk.region.value().cloned();
                let (status, message) = match &bk.details {
                    Some(d) => f(owner, bk, d, &prefixes),
                    None => (Status::Unknown, format!("details of bucket {name} were not read")),
                };
                out.push(Raw::new(
                    status,
                    Some(&owner.account_id),
                    region.as_deref(),
                    resource,
                    message,
                ));
            }
        }
    }
    out
}

pub fn access_logging(ctx: &Ctx) -> Vec<Raw> {
    per_trail_bucket(ctx, |_, bk, _, _| {
        if !ctx.b.trail_bucket.access_logging {
            return (
                Status::NotApplicable,
                not_required(ctx, "trail bucket access logging"),
            );
        }
        match need(&bk.logging) {
            Err(e) => (Status::Unknown, format!("bucket logging {e}")),
            Ok(Some(t)) => (
                Status::Pass,
                format!(
                    "access logs of {} go to {}/{}",
                    bk.name, t.target_bucket, t.target_prefix
                ),
            ),
            Ok(None) => (
                Status::Fail,
                format!("server access logging is off on trail bucket {}", bk.name),
            ),
        }
    })
}

pub fn versioning(ctx: &Ctx) -> Vec<Raw> {
    per_trail_bucket(ctx, |_, bk, d, _| {
        if !ctx.b.trail_bucket.versioning {
            return (
                Status::NotApplicable,
                not_required(ctx, "trail bucket versioning"),
            );
        }
        match need(&d.versioning) {
            Err(e) => (Status::Unknown, format!("versioning {e}")),
            Ok(v) if v.status == Some(VersioningStatus::Enabled) => (
                Status::Pass,
                format!("versioning is enabled on {}", bk.name),
            ),
            Ok(v) => (
                Status::Fail,
                format!(
                    "versioning is {} on {}",
                    v.status
                        .as_ref()
                        .map(|s| s.as_str())
                        .unwrap_or("never enabled"),
                    bk.name
                ),
            ),
        }
    })
}

pub fn mfa_delete(ctx: &Ctx) -> Vec<Raw> {
    per_trail_bucket(ctx, |_, bk, d, _| {
        if !ctx.b.trail_bucket.mfa_delete {
            return (Status::NotApplicable, not_required(ctx, "MFA delete"));
        }
        match need(&d.versioning) {
            Err(e) => (Status::Unknown, format!("versioning {e}")),
            Ok(v) if v.mfa_delete == Some(MfaDelete::Enabled) => {
                (Status::Pass, format!("MFA delete is enabled on {}", bk.name))
            }
            Ok(_) => (
                Status::Fail,
                format!(
                    "MFA delete is not enabled on {} (a manual step for the bucket owner's root user)",
                    bk.name
                ),
            ),
        }
    })
}

pub fn public_access(ctx: &Ctx) -> Vec<Raw> {
    per_trail_bucket(ctx, |_, bk, d, _| {
        let block = match need(&d.public_access_block) {
            Err(e) => Err(format!("public access block {e}")),
            Ok(b) => Ok(b.clone()),
        };
        let fully_blocked = matches!(&block, Ok(Some(p)) if p.all_on());
        if fully_blocked {
            // RestrictPublicBuckets makes any public policy ineffective: not public, whatever it says.
            return (
                Status::Pass,
                format!("{} blocks all public access", bk.name),
            );
        }
        let policy_public = match need(&d.policy_is_public) {
            Err(e) => return (Status::Unknown, format!("bucket policy status {e}")),
            Ok(p) => p.unwrap_or(false),
        };
        if policy_public {
            return (
                Status::Fail,
                format!("the bucket policy of {} makes it public", bk.name),
            );
        }
        // An ACL grant to everyone, unless the public access block ignores public ACLs (the
        // collector then does not read them) or Object Ownership disables ACLs.
        match need(&d.acl_public_grants) {
            Err(e) => return (Status::Unknown, format!("bucket ACL {e}")),
            Ok(grants) if !grants.is_empty() => {
                return (
                    Status::Fail,
                    format!(
                        "the ACL of {} makes it public: it grants {}",
                        bk.name,
                        grants.join(", ")
                    ),
                )
            }
            Ok(_) => {}
        }
        if !ctx.b.trail_bucket.public_access_block {
            return (
                Status::Pass,
                format!("the bucket policy of {} is not public", bk.name),
            );
        }
        match block {
            Err(e) => (Status::Unknown, e),
            Ok(None) => (
                Status::Fail,
                format!("{} has no public access block", bk.name),
            ),
            Ok(Some(p)) => {
                let off: Vec<&str> = [
                    ("BlockPublicAcls", p.block_public_acls),
                    ("IgnorePublicAcls", p.ignore_public_acls),
                    ("BlockPublicPolicy", p.block_public_policy),
                    ("RestrictPublicBuckets", p.restrict_public_buckets),
                ]
                .iter()
                .filter(|(_, on)| !on)
                .map(|(n, _)| *n)
                .collect();
                (
                    Status::Fail,
                    format!(
                        "public access block of {} leaves off {}",
                        bk.name,
                        off.join(", ")
                    ),
                )
            }
        }
    })
}

/// The rule acts on some of the trails' logs: it decides how soon a log can expire.
fn touches(rule: &LifecycleRule, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| rule.touches(p))
}

/// The rule acts on all of every trail's logs: what the latest expiry and the transitions can
/// count on.
fn covers(rule: &LifecycleRule, prefixes: &[String]) -> bool {
    prefixes.iter().all(|p| rule.covers(p))
}

pub fn lifecycle(ctx: &Ctx) -> Vec<Raw> {
    per_trail_bucket(ctx, |_, bk, d, prefixes| {
        let Some(want) = &ctx.b.trail_bucket.lifecycle else {
            return (
                Status::NotApplicable,
                not_required(ctx, "a lifecycle policy"),
            );
        };
        let rules = match need(&d.lifecycle_rules) {
            Err(e) => return (Status::Unknown, format!("lifecycle {e}")),
            Ok(r) => r,
        };
        let active: Vec<&LifecycleRule> = rules.iter().filter(|r| touches(r, prefixes)).collect();
        let whole: Vec<&LifecycleRule> = rules.iter().filter(|r| covers(r, prefixes)).collect();
        let mut problems = Vec::new();
        // The first log to go goes after the least expiration of any rule acting on logs;
        // every log is sure to go only by the least of the rules acting on them all.
        let earliest_expiry = active.iter().filter_map(|r| r.expires_after(ctx.now)).min();
        let sure_expiry = whole.iter().filter_map(|r| r.expires_after(ctx.now)).min();
        if let (Some(min), Some(exp)) = (want.min_retention_days, earliest_expiry) {
            if (exp as i64) < min as i64 {
                problems.push(format!(
                    "logs expire after {exp} days, the baseline keeps them {min}"
                ));
            }
        }
        if let Some(max) = want.max_retention_days {
            match sure_expiry {
                None if earliest_expiry.is_some() => problems.push(format!(
                    "only part of the logs expire (the rules that expire them act on some folders or sizes), the baseline expires them all by day {max}"
                )),
                None => problems.push(format!(
                    "logs never expire, the baseline expires them by day {max}"
                )),
                Some(exp) if exp as i64 > max as i64 => problems.push(format!(
                    "logs expire after {exp} days, the baseline by day {max}"
                )),
                _ => {}
            }
        }
        for t in &want.transitions {
            let met = whole.iter().any(|r| {
                r.transitions.iter().any(|x| {
                    x.storage_class == t.storage_class.as_str()
                        && x.days as i64 <= t.after_days as i64
                })
            });
            if !met {
                problems.push(format!(
                    "no transition to {} within {} days",
                    t.storage_class.as_str(),
                    t.after_days
                ));
            }
        }
        if problems.is_empty() {
            let exp = match (earliest_expiry, sure_expiry) {
                (None, _) => "never expire".to_string(),
                (Some(e), Some(s)) if e == s => format!("expire after {e} days"),
                (Some(e), Some(s)) => format!("expire after {e} to {s} days"),
                (Some(e), None) => format!("expire after {e} days in part, the rest never"),
            };
            (
                Status::Pass,
                format!(
                    "logs in {} {exp} and move through the baseline's tiers",
                    bk.name
                ),
            )
        } else {
            (
                Status::Fail,
                format!("{}: {}", bk.name, problems.join("; ")),
            )
        }
    })
}

pub fn object_lock(ctx: &Ctx) -> Vec<Raw> {
    per_trail_bucket(ctx, |_, bk, d, _| {
        let Some(want) = &ctx.b.trail_bucket.object_lock else {
            return (Status::NotApplicable, not_required(ctx, "Object Lock"));
        };
        let want_mode = format!("{:?}", want.mode);
        match need(&d.object_lock) {
            Err(e) => (Status::Unknown, format!("Object Lock configuration {e}")),
            Ok(None) => (
                Status::Fail,
                format!("Object Lock is not enabled on {}", bk.name),
            ),
            Ok(Some(l)) => {
                let days =
                    l.days.unwrap_or(0).max(0) as i64 + l.years.unwrap_or(0).max(0) as i64 * 365;
                if !l.enabled {
                    (
                        Status::Fail,
                        format!("Object Lock is not enabled on {}", bk.name),
                    )
                } else if l.mode.as_ref().map(|m| m.as_str()) != Some(want_mode.as_str()) {
                    (
                        Status::Fail,
                        format!(
                            "default retention mode of {} is {}, the baseline wants {want_mode}",
                            bk.name,
                            l.mode.as_ref().map(|m| m.as_str()).unwrap_or("none")
                        ),
                    )
                } else if days < want.days as i64 {
                    (
                        Status::Fail,
                        format!(
                            "default retention of {} is {days} days, the baseline wants {}",
                            bk.name, want.days
                        ),
                    )
                } else {
                    (
                        Status::Pass,
                        format!("{} retains objects {want_mode} for {days} days", bk.name),
                    )
                }
            }
        }
    })
}

/// Whether a bucket policy denies every principal any S3 action when `aws:SecureTransport` is false.
pub fn policy_denies_insecure_transport(policy: &str, bucket: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return false;
    };
    let statements = match &doc["Statement"] {
        serde_json::Value::Array(v) => v.clone(),
        v @ serde_json::Value::Object(_) => vec![v.clone()],
        _ => return false,
    };
    let as_list = |v: &serde_json::Value| -> Vec<String> {
        match v {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect(),
            _ => vec![],
        }
    };
    statements.iter().any(|s| {
        let deny = s["Effect"] == "Deny";
        let everyone =
            s["Principal"] == "*" || as_list(&s["Principal"]["AWS"]).iter().any(|p| p == "*");
        let actions = as_list(&s["Action"]);
        let all_actions = actions.iter().any(|a| a == "s3:*" || a == "*");
        let resources = as_list(&s["Resource"]);
        let objects = resources.iter().any(|r| {
            r == "*"
                || crate::arn::Arn::parse(r).is_some_and(|a| {
                    a.service == "s3"
                        && a.region.is_empty()
                        && a.account.is_empty()
                        && (a.resource == "*" || a.resource == format!("{bucket}/*"))
                })
        });
        let cond = &s["Condition"];
        let insecure = ["Bool", "BoolIfExists"].iter().any(|op| {
            let v = &cond[*op]["aws:SecureTransport"];
            v == "false" || v == false || as_list(v).iter().any(|x| x == "false")
        });
        // Every condition of a statement must hold for it to apply: any other key narrows the
        // Deny to some requests (a principal, a network, MFA...), so plain HTTP gets through
        // for the rest.
        let keys: usize = cond
            .as_object()
            .map(|ops| {
                ops.values()
                    .map(|k| k.as_object().map_or(1, |m| m.len()))
                    .sum()
            })
            .unwrap_or(0);
        deny && everyone && all_actions && objects && insecure && keys == 1
    })
}

pub fn tls_only(ctx: &Ctx) -> Vec<Raw> {
    per_trail_bucket(ctx, |_, bk, d, _| {
        if !ctx.b.trail_bucket.tls_only {
            return (
                Status::NotApplicable,
                not_required(ctx, "a TLS-only bucket policy"),
            );
        }
        match need(&d.policy) {
            Err(e) => (Status::Unknown, format!("bucket policy {e}")),
            Ok(None) => (Status::Fail, format!("{} has no bucket policy denying non-TLS access", bk.name)),
            Ok(Some(p)) if policy_denies_insecure_transport(p, &bk.name) => {
                (Status::Pass, format!("the policy of {} denies requests without TLS", bk.name))
            }
            Ok(Some(_)) => (
                Status::Fail,
                format!("the policy of {} does not deny requests without TLS (aws:SecureTransport=false)", bk.name),
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_policy_recognised_in_its_common_shapes() {
        let p = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
        assert!(policy_denies_insecure_transport(p, "logs"));
        let p2 = r#"{"Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"Action":["s3:*"],"Resource":"arn:aws:s3:::logs/*","Condition":{"Bool":{"aws:SecureTransport":false}}}}"#;
        assert!(policy_denies_insecure_transport(p2, "logs"));
    }

    #[test]
    fn a_tls_deny_narrowed_by_another_condition_is_not_tls_only() {
        let narrowed = [
            r#"{"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"aws:PrincipalAccount":"111111111111"}}"#,
            r#"{"Bool":{"aws:SecureTransport":"false","aws:MultiFactorAuthPresent":"false"}}"#,
            r#"{"Bool":{"aws:SecureTransport":"false"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
        ];
        for c in narrowed {
            let p = format!(
                r#"{{"Statement":[{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"],"Condition":{c}}}]}}"#
            );
            assert!(!policy_denies_insecure_transport(&p, "logs"), "{c}");
        }
    }

    #[test]
    fn tls_policy_that_only_covers_some_actions_or_another_bucket_is_not_enough() {
        let p = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
        assert!(!policy_denies_insecure_transport(p, "logs"));
        let p = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::other/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
        assert!(!policy_denies_insecure_transport(p, "logs"));
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::logs/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
        assert!(!policy_denies_insecure_transport(p, "logs"));
        assert!(!policy_denies_insecure_transport("not json", "logs"));
    }
}
