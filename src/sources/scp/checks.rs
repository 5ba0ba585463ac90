//! Whether the organization policies in force on each member account deny the actions that would
//! turn its logging off, shorten it or delete it (the profile's `scp_protection.actions`): per
//! action denied (for everyone but the principals named), left open, or undecided; one finding
//! per account naming the actions left open.

use super::model::{PolicyKind, Scp, Scps};
use super::policy::{allows, treatment, Request, Treatment};
use super::resources::{log_group, Kind, LogResources};
use crate::finding::{Part, Severity, Status};
use crate::frameworks::Framework::Nist80053;
use crate::rules::{every_account, not_required, unknown_because, CheckInfo, Fix, Raw, Subject};
use crate::sources::{CheckDef, Ctx};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
    id: "scp.protects_logging",
    title: "Organization policies stop member accounts from turning their logging off",
    severity: Severity::High,
    scope: Subject::Account,
    looks_at: "ListRoots, ListPolicies (SCPs, and RCPs where enabled), DescribePolicy, ListTargetsForPolicy and the organizational tree, in the management account: for each protected action (cloudtrail:StopLogging, logs:DeleteLogGroup, s3:PutBucketPolicy, kms:ScheduleKeyDeletion... as the baseline lists them), a Deny in an SCP attached to the account, a unit above it or the root (or in an RCP, for S3 and KMS), or no SCP at some level that allows it. S3, KMS and CloudWatch Logs actions are judged on the log buckets, keys and trail log groups the account holds; exemptions of named principals are listed; a condition logwarden cannot decide (a tag, an IP range) makes the action unknown",
    rationale: "An intruder with administrator rights in a member account stops its trail, recorder or flow logs, shortens retention, re-policies the log bucket or disables the key before acting; the organization trail records the call, but only an SCP or RCP refuses it. Logging that a member can switch off is evidence an attacker controls.",
    remediation: "Create an SCP that denies the actions (on the log resources for S3, KMS and CloudWatch Logs; exempting a break-glass role if needed) and attach it to the root: `aws organizations create-policy --type SERVICE_CONTROL_POLICY --name logwarden-protect-logging --content file://protect-logging.json`, then `aws organizations attach-policy --policy-id ID --target-id ROOT_ID` (`logwarden plan` prints the document).",
    fix: Fix::Manual,
    frameworks: &[(Nist80053, &["AU-9", "AC-3"])],
    },
    eval: protects_logging,
}];

pub fn protects_logging(ctx: &Ctx) -> Vec<Raw> {
    let each = |status: Status, msg: &dyn Fn(&str) -> String| every_account(ctx, status, msg);
    let Some(want) = &ctx.b.scp_protection else {
        return each(Status::NotApplicable, &|_| {
            not_required(ctx, "protection of the logging by an SCP")
        });
    };
    let Some(org) = ctx.inv.organization.as_ref().filter(|_| ctx.in_org()) else {
        return each(Status::NotApplicable, &|_| {
            "single-account audit: service control policies are read in the organization's management account".into()
        });
    };
    let mgmt = org.management_account_id.as_str();
    let Some(m) = ctx.inv.accounts.iter().find(|a| a.account_id == mgmt) else {
        return each(Status::NotApplicable, &|_| {
            format!("the management account {mgmt} is not in this audit's accounts; audit it to judge the SCPs")
        });
    };
    let scps = match (
        m.access.error(),
        m.data.scp.policies.as_ref().map(|c| c.as_result()),
    ) {
        (Some(e), _) | (None, Some(Err(e))) => {
            let why = unknown_because(e);
            return each(Status::Unknown, &|_| {
                format!("the organization's service control policies {why}")
            });
        }
        (None, None) => {
            return each(Status::Unknown, &|_| {
                "the organization's service control policies were not read".into()
            })
        }
        (None, Some(Ok(s))) => s,
    };
    let resources = log_resources(ctx, mgmt);
    let on = Judge {
        scps,
        resources: &resources,
        partition: &ctx.inv.partition,
        org_id: &org.id,
    };
    ctx.inv
        .accounts
        .iter()
        .map(|a| {
            let id = a.account_id.as_str();
            let (status, msg, parts) = if id == mgmt {
                (
                    Status::NotApplicable,
                    "SCPs and RCPs never restrict the management account: keep workloads out of it and its logging is the organization trail's".to_string(),
                    vec![],
                )
            } else {
                on.account(id, &want.actions)
            };
            Raw::new(status, Some(id), None, id.to_string(), msg).with_breakdown(parts)
        })
        .collect()
}

/// The policies in force on `account` (attached to it, a unit above it or the root), each with
/// the target it is attached to.
pub fn in_force<'a>(scps: &'a Scps, account: &str) -> Option<Vec<(&'a Scp, &'a str)>> {
    let chain = scps.ancestors.get(account)?;
    let mut out = Vec::new();
    for p in &scps.policies {
        // Every level it is attached to: each level's SCPs must allow an action.
        for t in &p.targets {
            if t.as_str() == account || chain.contains(t) {
                out.push((p, t.as_str()));
            }
        }
    }
    Some(out)
}

/// The services whose resources RCPs govern (AWS Organizations, "List of AWS services that
/// support RCPs"): an RCP denying another service's action has no effect.
const RCP_SERVICES: &[&str] = &["s3", "kms", "sts", "sqs", "secretsmanager"];

/// The log resources of the organization, by the account holding them, from the trails and the
/// log buckets the audit read; and the reads that failed and could have named more.
pub fn log_resources(ctx: &Ctx, mgmt: &str) -> LogResources {
    let partition = crate::arn::Partition(&ctx.inv.partition);
    let mut r = LogResources::default();
    for name in &ctx.log_buckets.names {
        if let Some((a, _)) = crate::sources::s3_access_logs::buckets::find(ctx, name) {
            r.add(&a.account_id, Kind::Bucket, partition.s3_bucket(name));
        }
    }
    for d in &ctx.log_buckets.doubts {
        let account = match &d.scope {
            crate::rules::DoubtScope::Account(a, _) => Some(a.as_str()),
            _ => None,
        };
        r.doubt(account, Kind::Bucket, d.reason.clone());
    }
    for a in &ctx.inv.accounts {
        if let Some(e) = a.data.s3_access_logs.buckets.error() {
            let why = format!(
                "the buckets of account {} {}",
                a.account_id,
                unknown_because(e)
            );
            r.doubt(Some(&a.account_id), Kind::Bucket, why);
        }
    }
    for t in crate::sources::cloudtrail::trails(ctx) {
        let key = t.kms_key_id.as_deref().filter(|k| k.starts_with("arn:"));
        if let Some((k, owner)) = key.and_then(|k| Some((k, crate::arn::account_of(k)?))) {
            r.add(owner, Kind::Key, k.to_string());
        }
        let group = t.cloudwatch_logs_log_group_arn.as_deref();
        if let Some((g, owner)) = group.and_then(|g| Some((g, crate::arn::account_of(g)?))) {
            r.add(owner, Kind::LogGroup, log_group(g));
        }
    }
    for g in crate::sources::cloudtrail::gaps(ctx) {
        // A trail's log group is in its account; its key may be anywhere when the trail is
        // the management account's (the organization trail).
        let keys = (g.account_id != mgmt).then_some(g.account_id.as_str());
        r.doubt(keys, Kind::Key, g.reason.clone());
        r.doubt(Some(&g.account_id), Kind::LogGroup, g.reason.clone());
    }
    r
}

/// How the policies in force treat one action in one account.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    /// Denied (`by`: "SCP 'name' (on TARGET) denies", "no SCP attached to ou-x allows"), for
    /// everyone but these principals.
    Denied { by: String, exempt: Vec<String> },
    /// Left open (how the policies that deny it in part leave it open).
    Open(Vec<String>),
    /// Whether it is denied cannot be told (why).
    Undecided(String),
    /// Nothing of the kind it acts on is in the account.
    Nothing(Kind),
}

/// What the judgement of every account shares.
struct Judge<'a> {
    scps: &'a Scps,
    resources: &'a LogResources,
    partition: &'a str,
    org_id: &'a str,
}

impl Judge<'_> {
    /// The account's status and message, and each action's verdict.
    fn account(&self, account: &str, actions: &[String]) -> (Status, String, Vec<Part>) {
        let scps = self.scps;
        if !scps.enabled && !scps.rcps_enabled {
            return (
                Status::Fail,
                "service control policies are not enabled in the organization (nor resource control policies): nothing stops a member account from turning its logging off".into(),
                vec![],
            );
        }
        let Some(policies) = in_force(scps, account) else {
            return (
                Status::Unknown,
                format!("account {account} was not found in the organizational tree read from the management account"),
                vec![],
            );
        };
        let verdicts: Vec<(&str, Verdict)> = actions
            .iter()
            .map(|a| (a.as_str(), self.action(account, &policies, a)))
            .collect();
        let (status, msg) = summary(&verdicts, &policies);
        (
            status,
            msg,
            verdicts.iter().map(|(a, v)| part(a, v)).collect(),
        )
    }

    /// How the policies in force on `account` treat `action`: per log resource the strongest
    /// policy, over the resources the weakest.
    fn action(&self, account: &str, policies: &[(&Scp, &str)], action: &str) -> Verdict {
        let Some(targets) = self.resources.targets(self.partition, account, action) else {
            return Verdict::Nothing(Kind::of(action).unwrap_or(Kind::Bucket));
        };
        let service = action.split_once(':').map_or("", |(s, _)| s);
        let rcp_applies = self.scps.rcps_enabled && RCP_SERVICES.contains(&service);
        let applicable: Vec<(&Scp, String)> = policies
            .iter()
            .filter(|(p, _)| match p.kind {
                PolicyKind::Scp => self.scps.enabled,
                PolicyKind::Rcp => rcp_applies,
            })
            .map(|(p, t)| (*p, format!("{} '{}' (on {t})", p.kind.as_str(), p.name)))
            .collect();
        let (mut by, mut exempt): (Vec<&str>, Vec<String>) = (Vec::new(), Vec::new());
        let (mut open, mut undecided) = (Vec::new(), Vec::new());
        let mut left_open = false;
        for target in &targets {
            let one = std::slice::from_ref(target);
            let req = Request {
                action,
                targets: one,
                account,
                org_id: self.org_id,
            };
            let mut best: Option<(&str, Treatment)> = None;
            for (p, label) in &applicable {
                let t = treatment(&p.content, &req);
                best = Some(match best {
                    None => (label, t),
                    Some((l, b)) => {
                        let kept = b.clone().or(t.clone());
                        if kept == b {
                            (l, b)
                        } else {
                            (label, t)
                        }
                    }
                });
            }
            let said = |label: &str, why: &str| format!("{label} denies it {why}");
            if let Some(why) = &target.unread {
                // Resources a failed read could have named: only a Deny that covers them all counts.
                if !matches!(best, Some((_, Treatment::Denied { .. }))) {
                    undecided.push(format!(
                        "whether it is denied on {} is unknown ({why})",
                        target.arns.join(" ")
                    ));
                    continue;
                }
            }
            match best {
                Some((label, Treatment::Denied { exempt: e })) => {
                    if !by.contains(&label) {
                        by.push(label);
                    }
                    exempt.extend(
                        e.into_iter()
                            .filter(|x| !exempt.contains(x))
                            .collect::<Vec<_>>(),
                    );
                }
                Some((label, Treatment::Unreadable(why))) => {
                    undecided.push(format!("{label} could not be judged: {why}"))
                }
                Some((label, Treatment::Undecided(why))) => undecided.push(said(label, &why)),
                Some((label, Treatment::Narrowed(why))) => open.push(said(label, &why)),
                Some((_, Treatment::Allowed)) | None => {
                    left_open = true;
                    if target.arns != ["*"] {
                        open.push(format!("nothing denies it on {}", target.arns[0]));
                    }
                }
            }
        }
        left_open |= !open.is_empty();
        if !left_open && undecided.is_empty() {
            return Verdict::Denied {
                by: format!("{} denies", by.join(" and ")),
                exempt,
            };
        }
        if self.scps.enabled {
            match self.unallowed_level(account, policies, action) {
                Ok(Some(level)) => {
                    return Verdict::Denied {
                        by: format!("no SCP attached to {level} allows"),
                        exempt: vec![],
                    }
                }
                Ok(None) => {}
                Err(why) => undecided.push(why),
            }
        }
        // What could not be decided may deny what is otherwise left open: unknown, never a
        // guessed fail.
        if !undecided.is_empty() {
            undecided.extend(open);
            return Verdict::Undecided(undecided.join("; "));
        }
        Verdict::Open(open)
    }

    /// A level (the account, a unit above it, the root) none of whose SCPs allows `action`:
    /// every level must allow an action for anyone in the account to be allowed it.
    fn unallowed_level<'p>(
        &self,
        account: &'p str,
        policies: &[(&Scp, &'p str)],
        action: &str,
    ) -> Result<Option<&'p str>, String> {
        let mut levels: Vec<&'p str> = vec![account];
        for (_, t) in policies {
            if !levels.contains(t) {
                levels.push(t);
            }
        }
        for level in levels {
            let mut attached = policies
                .iter()
                .filter(|(p, t)| *t == level && p.kind == PolicyKind::Scp)
                .peekable();
            if attached.peek().is_none() {
                continue; // AWS keeps one SCP on every level; none read: not a deny on a guess
            }
            let mut allowed = false;
            for (p, _) in attached {
                match allows(&p.content, action) {
                    Ok(a) => allowed |= a,
                    Err(why) => return Err(format!("SCP '{}' could not be judged: {why}", p.name)),
                }
            }
            if !allowed {
                return Ok(Some(level));
            }
        }
        Ok(None)
    }
}

/// One action's verdict, as the finding's breakdown (the report's account × action matrix).
fn part(action: &str, v: &Verdict) -> Part {
    let (status, note) = match v {
        Verdict::Denied { by, exempt } => (
            Status::Pass,
            if exempt.is_empty() {
                format!("{by} it")
            } else {
                format!("{by} it, except {}", exempt.join(", "))
            },
        ),
        Verdict::Open(why) if why.is_empty() => {
            (Status::Fail, "no policy in force denies it".into())
        }
        Verdict::Open(why) => (Status::Fail, why.join("; ")),
        Verdict::Undecided(why) => (Status::Unknown, why.clone()),
        Verdict::Nothing(kind) => (
            Status::NotApplicable,
            format!("the account holds no {} logwarden found", kind.noun()),
        ),
    };
    Part {
        item: action.to_string(),
        status,
        note,
    }
}

/// The account's finding from its per-action verdicts: failing when an action is left open,
/// unknown when none is but one is undecided, passing otherwise; the message names the actions
/// left open first.
fn summary(verdicts: &[(&str, Verdict)], policies: &[(&Scp, &str)]) -> (Status, String) {
    let pick = |f: &dyn Fn(&Verdict) -> bool| -> Vec<&str> {
        verdicts
            .iter()
            .filter(|(_, v)| f(v))
            .map(|(a, _)| *a)
            .collect()
    };
    let open = pick(&|v| matches!(v, Verdict::Open(_)));
    let undecided = pick(&|v| matches!(v, Verdict::Undecided(_)));
    // Each reason once, with the actions it holds for ("s3:DeleteBucket, s3:PutBucketPolicy:
    // RCP 'x' (on r-1) denies it on arn:aws:s3:::b: only on resources ...").
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for (a, v) in verdicts {
        let why: Vec<&str> = match v {
            Verdict::Open(why) => why.iter().map(String::as_str).collect(),
            Verdict::Undecided(why) => vec![why.as_str()],
            _ => vec![],
        };
        for w in why {
            match grouped.iter_mut().find(|(r, _)| *r == w) {
                Some((_, acts)) => acts.push(a),
                None => grouped.push((w, vec![a])),
            }
        }
    }
    let reasons: Vec<String> = grouped
        .iter()
        .map(|(why, acts)| format!("{}: {why}", acts.join(", ")))
        .collect();
    let nothing: Vec<String> = {
        let mut kinds: Vec<Kind> = verdicts
            .iter()
            .filter_map(|(_, v)| match v {
                Verdict::Nothing(k) => Some(*k),
                _ => None,
            })
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds.iter().map(|k| k.noun().to_string() + "s").collect()
    };
    let nothing = if nothing.is_empty() {
        String::new()
    } else {
        format!(
            "; nothing to protect here for the actions on {} (the account holds none logwarden found)",
            nothing.join(", ")
        )
    };
    let reasons = if reasons.is_empty() {
        String::new()
    } else {
        format!("; {}", reasons.join("; "))
    };
    if !open.is_empty() {
        let mut names: Vec<String> = Vec::new();
        for (p, _) in policies {
            let name = format!("{} {}", p.kind.as_str(), p.name);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let mut msg = format!(
            "no policy in force denies {} (in force: {})",
            open.join(", "),
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            }
        );
        if !undecided.is_empty() {
            msg.push_str(&format!("; undecided: {}", undecided.join(", ")));
        }
        return (Status::Fail, msg + &reasons + &nothing);
    }
    if !undecided.is_empty() {
        return (
            Status::Unknown,
            format!(
                "whether a policy denies {} is unknown{reasons}{nothing}",
                undecided.join(", ")
            ),
        );
    }
    // Every action that applies is denied: by which policy, with which exemptions.
    let mut by: Vec<(&str, &[String], Vec<&str>)> = Vec::new();
    for (a, v) in verdicts {
        if let Verdict::Denied { by: p, exempt } = v {
            match by
                .iter_mut()
                .find(|(q, e, _)| q == p && *e == exempt.as_slice())
            {
                Some((_, _, acts)) => acts.push(a),
                None => by.push((p, exempt, vec![a])),
            }
        }
    }
    let parts: Vec<String> = by
        .iter()
        .map(|(p, exempt, acts)| {
            format!(
                "{p} {}{}",
                acts.join(", "),
                if exempt.is_empty() {
                    String::new()
                } else {
                    format!(" (except {})", exempt.join(", "))
                }
            )
        })
        .collect();
    (Status::Pass, parts.join("; ") + &nothing)
}
