//! The plan for `tamper_protection`: on the organization trail's log group (the one that sees
//! every member's events), a metric filter and an alarm for each required control the audit
//! finds unnoticed somewhere, plus filters for the tampering events no control pattern covers,
//! all notifying one encrypted SNS topic with the profile's subscribers. Existing filters,
//! alarms and rules are never changed: logwarden's own are named with the profile's prefix and
//! created only where missing. Confirming a subscription is a person's step.

use super::apply::Op;
use super::controls::{tampering_event, CONTROLS};
use super::filter_pattern;
use super::model::{display_endpoint, endpoint_digest, AlarmTopic, RegionData};
use super::profile::TamperProtection;
use super::watch::log_group_parts;
use crate::finding::Status;
use crate::plan::{note, Action, AttrChange, Lookup};
use crate::sources::{Change, PlanCtx};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// CloudWatch Logs accepts filter patterns of at most this many characters.
pub const MAX_PATTERN: usize = 1024;

/// A metric filter and alarm logwarden wants on the group.
#[derive(Debug, Clone, PartialEq)]
pub struct Watched {
    pub name: String,
    pub pattern: String,
    /// The check it answers.
    pub check: String,
}

/// The filters and alarms the profile asks for, by name: one per required CIS control, and
/// (with `tampering`) as few as fit for the tampering events the control patterns miss.
pub fn wanted(t: &TamperProtection, tampering_actions: &[String]) -> Vec<Watched> {
    let required: Vec<_> = CONTROLS
        .iter()
        .filter(|c| t.controls.iter().any(|x| x == c.cis))
        .collect();
    let mut out: Vec<Watched> = required
        .iter()
        .map(|c| Watched {
            name: c.resource_name(&t.name_prefix),
            pattern: c.pattern.to_string(),
            check: format!("monitoring.{}", c.key),
        })
        .collect();
    if !t.tampering {
        return out;
    }
    let parsed: Vec<_> = required
        .iter()
        .filter_map(|c| filter_pattern::parse(c.pattern).ok())
        .collect();
    // Event names by event source, for the events no control pattern notices.
    let mut by_source: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in tampering_actions {
        let Some(e) = tampering_event(a) else {
            continue;
        };
        if parsed.iter().any(|p| p.matches(&e) == Ok(true)) {
            continue;
        }
        let src = e["eventSource"].as_str().unwrap_or_default().to_string();
        let name = e["eventName"].as_str().unwrap_or_default().to_string();
        let names = by_source.entry(src).or_default();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let groups: Vec<String> = by_source
        .iter()
        .map(|(src, names)| {
            let alts: Vec<String> = names
                .iter()
                .map(|n| format!("($.eventName = \"{n}\")"))
                .collect();
            format!("(($.eventSource = \"{src}\") && ({}))", alts.join(" || "))
        })
        .collect();
    let mut chunks: Vec<Vec<String>> = Vec::new();
    for g in groups {
        let fits = |c: &Vec<String>| {
            c.iter().map(|x| x.len() + 4).sum::<usize>() + g.len() + 4 <= MAX_PATTERN
        };
        match chunks.last_mut() {
            Some(c) if fits(c) => c.push(g),
            _ => chunks.push(vec![g]),
        }
    }
    for (i, c) in chunks.iter().enumerate() {
        out.push(Watched {
            name: format!("{}tampering-{}", t.name_prefix, i + 1),
            pattern: format!("{{ {} }}", c.join(" || ")),
            check: "monitoring.tampering_noticed".into(),
        });
    }
    out
}

/// Where the filters go: the organization trail's log group (existing, or the one the
/// cloudtrail plan is adding), and the change that must come first.
struct Target {
    account: String,
    region: String,
    name: String,
    after: Option<String>,
}

fn target(ctx: &PlanCtx) -> Option<Target> {
    let mgmt = ctx.inv.accounts.iter().find(|a| a.account_id == ctx.mgmt)?;
    let trails = &mgmt.data.cloudtrail.trails;
    // The trail the cloudtrail plan manages when it already delivers to a group; else the
    // management account's widest trail (its group, if it has one).
    let managed = match crate::sources::cloudtrail::plan::managed_trail(ctx) {
        Lookup::Found(t) => Some(t),
        _ => None,
    };
    let org = managed
        .filter(|t| t.cloudwatch_logs_log_group_arn.is_some())
        .or_else(|| {
            trails
                .iter()
                .filter(|t| crate::arn::account_of(&t.arn) == Some(ctx.mgmt.as_str()))
                .max_by_key(|t| (t.is_organization_trail, t.is_multi_region))
        });
    if let Some((r, a, n)) = org
        .and_then(|t| t.cloudwatch_logs_log_group_arn.as_deref())
        .and_then(log_group_parts)
    {
        return Some(Target {
            account: a.into(),
            region: r.into(),
            name: n.into(),
            after: None,
        });
    }
    // The cloudtrail plan delivers the trail to its group in this run.
    let arn = crate::sources::cloudtrail::plan::log_group_arn(ctx);
    let change = ctx
        .changes
        .iter()
        .find(|c| c.address.starts_with("cloudtrail_trail."))?;
    if !ctx.b.cloudtrail.cloudwatch_logs {
        return None;
    }
    let (r, a, n) = log_group_parts(&arn)?;
    Some(Target {
        account: a.into(),
        region: r.into(),
        name: n.into(),
        after: Some(change.address.clone()),
    })
}

fn region_data<'a>(ctx: &PlanCtx<'a>, account: &str, region: &str) -> Option<&'a RegionData> {
    ctx.inv
        .accounts
        .iter()
        .find(|a| a.account_id == account)?
        .regions
        .iter()
        .find(|r| r.region == region)
        .map(|r| &r.data.monitoring)
}

fn verdicts(ctx: &PlanCtx, check: &str) -> (bool, bool) {
    let f = ctx
        .evaluation
        .findings
        .iter()
        .filter(|f| f.check_id == check);
    let (mut fail, mut unknown) = (false, false);
    for x in f {
        fail |= x.status == Status::Fail;
        unknown |= x.status == Status::Unknown;
    }
    (fail, unknown)
}

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.tamper_protection.clone() else {
        return;
    };
    let actions = ctx
        .b
        .scp_protection
        .as_ref()
        .map(|s| s.actions.clone())
        .unwrap_or_else(crate::sources::scp::profile::default_actions);
    let watched = wanted(&want, &actions);
    let todo: Vec<&Watched> = watched
        .iter()
        .filter(|w| verdicts(ctx, &w.check).0)
        .collect();
    // Where the audit could not decide (and nothing fails), nothing is planned on a guess.
    let undecided: Vec<&Watched> = watched
        .iter()
        .filter(|w| matches!(verdicts(ctx, &w.check), (false, true)))
        .collect();
    let mgmt = ctx.mgmt.clone();
    let Some(t) = target(ctx) else {
        if !todo.is_empty() {
            ctx.push(Change::manual_step(
                "cloudwatch_metric_filters.organization_trail".to_string(),
                mgmt.clone(),
                "us-east-1".to_string(),
                AttrChange::new("log group", None::<String>, "organization trail's"),
                "the organization trail delivers to no CloudWatch Logs group, so no metric filter can see the members' events: set `cloudtrail.cloudwatch_logs: true` in the profile (plan then adds the delivery), or give each account EventBridge rules",
                "logwarden plan   # with cloudtrail.cloudwatch_logs: true".to_string(),
            ));
        }
        return;
    };
    let data = region_data(ctx, &t.account, &t.region);
    let (filters, alarms) = match data {
        None => (vec![], vec![]),
        Some(d) => match (d.metric_filters.as_result(), d.alarms.as_result()) {
            (Ok(f), Ok(a)) => (f.clone(), a.clone()),
            (Err(e), _) | (_, Err(e)) => {
                let e = e.clone();
                ctx.unknown(
                    "cloudwatch_metric_filters.organization_trail",
                    &t.account,
                    &t.region,
                    "the metric filters and alarms on the organization trail's log group",
                    &e,
                );
                return;
            }
        },
    };
    let topic_arn = crate::arn::Partition(&ctx.inv.partition).arn(
        "sns",
        &t.region,
        &t.account,
        &want.topic_name,
    );
    let topic_address = format!("sns_topic.{}", want.topic_name);
    let watch_changes: Vec<Change> = todo
        .iter()
        .filter_map(|w| watch_change(w, &want, &t, &filters, &alarms, &topic_arn, &topic_address))
        .collect();
    for w in &undecided {
        ctx.unknown.push(note(
            &format!("cloudwatch_metric_alarm.{}", w.name),
            &t.account,
            &t.region,
            format!(
                "whether every account notices what {} watches for is unknown (see {}); nothing is planned for it",
                w.name, w.check
            ),
        ));
    }
    if !undecided.is_empty() && watch_changes.is_empty() {
        ctx.unknown.push(note(
            &topic_address,
            &t.account,
            &t.region,
            "the detective controls' verdicts are unknown; the alarms' topic is planned with the first alarm it serves",
        ));
    }
    topic(
        ctx,
        &want,
        &t,
        data,
        &topic_arn,
        &topic_address,
        !watch_changes.is_empty(),
    );
    for c in watch_changes {
        ctx.push(c);
    }
}

/// The filter and alarm for `w` that do not exist yet (logwarden's own, by name), as one change.
fn watch_change(
    w: &Watched,
    want: &TamperProtection,
    t: &Target,
    filters: &[super::model::MetricFilter],
    alarms: &[super::model::Alarm],
    topic_arn: &str,
    topic_address: &str,
) -> Option<Change> {
    let has_filter = filters
        .iter()
        .any(|f| f.name == w.name && f.log_group == t.name);
    let has_alarm = alarms.iter().any(|a| a.name == w.name);
    if has_filter && has_alarm {
        return None;
    }
    let mut ops: Vec<crate::sources::Op> = Vec::new();
    let mut attributes = Vec::new();
    if !has_filter {
        attributes.push(AttrChange::new("log group", None::<String>, t.name.clone()));
        attributes.push(AttrChange::new(
            "filter pattern",
            None::<String>,
            w.pattern.clone(),
        ));
        ops.push(
            Op::PutMetricFilter {
                log_group: t.name.clone(),
                name: w.name.clone(),
                pattern: w.pattern.clone(),
                namespace: want.metric_namespace.clone(),
            }
            .into(),
        );
    }
    if !has_alarm {
        attributes.push(AttrChange::new(
            "alarm",
            None::<String>,
            format!(
                "{}/{} ≥ 1 in 5 minutes → {}",
                want.metric_namespace, w.name, want.topic_name
            ),
        ));
        ops.push(
            Op::PutMetricAlarm {
                name: w.name.clone(),
                namespace: want.metric_namespace.clone(),
                topic_arn: topic_arn.to_string(),
            }
            .into(),
        );
    }
    Some(
        Change::new(
            format!("cloudwatch_metric_alarm.{}", w.name),
            Action::Create,
            t.account.clone(),
            t.region.clone(),
            attributes,
            ops,
        )
        .depending_on(
            t.after
                .iter()
                .cloned()
                .chain([topic_address.to_string()])
                .collect(),
        ),
    )
}

/// The alarms' topic: created (with its key and policy) when alarms are to be made and the
/// audit did not see it, completed with missing subscribers, or a manual step when nobody has
/// confirmed a subscription.
fn topic(
    ctx: &mut PlanCtx,
    want: &TamperProtection,
    t: &Target,
    data: Option<&RegionData>,
    topic_arn: &str,
    address: &str,
    needed: bool,
) {
    let read = data
        .and_then(|d| d.topics.get(topic_arn))
        .map(|c| c.as_result());
    match read {
        Some(Err(e)) => {
            let e = e.clone();
            ctx.unknown(address, &t.account, &t.region, "the alarms' SNS topic", &e);
        }
        Some(Ok(subs)) => {
            let missing: Vec<_> = want
                .subscribers
                .iter()
                .filter(|s| {
                    !subs
                        .endpoints
                        .contains(&endpoint_digest(&s.protocol, &s.endpoint))
                })
                .collect();
            if !missing.is_empty() {
                ctx.push(Change::new(
                    address.to_string(),
                    Action::Update,
                    t.account.clone(),
                    t.region.clone(),
                    missing
                        .iter()
                        .map(|s| {
                            AttrChange::new(
                                "subscriber",
                                None::<String>,
                                display_endpoint(&s.protocol, &s.endpoint),
                            )
                        })
                        .collect(),
                    missing
                        .iter()
                        .map(|s| {
                            Op::Subscribe {
                                topic_arn: topic_arn.to_string(),
                                protocol: s.protocol.clone(),
                                endpoint: s.endpoint.clone(),
                            }
                            .into()
                        })
                        .collect(),
                ));
            } else if subs.confirmed.is_empty() {
                confirm_step(ctx, want, t, address, subs.pending);
            }
        }
        None if needed => {
            let spec = alarm_topic(ctx, want, t, topic_arn);
            let mut attributes = vec![
                AttrChange::new("encryption", None::<String>, spec.key_alias.clone()),
                AttrChange::new(
                    "policy",
                    None::<String>,
                    "cloudwatch.amazonaws.com may publish (alarms named with the prefix, this account); TLS only",
                ),
            ];
            attributes.extend(want.subscribers.iter().map(|s| {
                AttrChange::new(
                    "subscriber",
                    None::<String>,
                    display_endpoint(&s.protocol, &s.endpoint),
                )
            }));
            ctx.push(Change::new(
                address.to_string(),
                Action::Create,
                t.account.clone(),
                t.region.clone(),
                attributes,
                vec![Op::EnsureAlarmTopic(Box::new(spec)).into()],
            ));
            if want.subscribers.is_empty() {
                confirm_step(ctx, want, t, address, 0);
            }
        }
        None => {}
    }
}

fn confirm_step(
    ctx: &mut PlanCtx,
    want: &TamperProtection,
    t: &Target,
    address: &str,
    pending: usize,
) {
    let why = if pending > 0 {
        format!("{pending} subscription(s) to the alarms' topic await confirmation: each endpoint received a message from SNS with a link; until one is confirmed the alarms reach nobody")
    } else {
        "the alarms' topic has no subscriber: name them in tamper_protection.subscribers, or subscribe a person or a ticketing endpoint".into()
    };
    ctx.push(Change::manual_step(
        format!("{address}.subscription"),
        t.account.clone(),
        t.region.clone(),
        AttrChange::new("confirmed subscription", None::<String>, "at least one"),
        why,
        format!(
            "aws sns subscribe --region {} --topic-arn arn:aws:sns:{}:{}:{} --protocol email --notification-endpoint SECURITY_TEAM_ADDRESS   # in account {}, then confirm from the mail",
            t.region, t.region, t.account, want.topic_name, t.account
        ),
    ));
}

/// The topic's key and policy documents, in full (a saved plan applies exactly these).
fn alarm_topic(ctx: &PlanCtx, want: &TamperProtection, t: &Target, topic_arn: &str) -> AlarmTopic {
    let p = crate::arn::Partition(&ctx.inv.partition);
    let alarms = p.arn(
        "cloudwatch",
        &t.region,
        &t.account,
        &format!("alarm:{}*", want.name_prefix),
    );
    let cloudwatch_may = json!({
        "StringEquals": {"aws:SourceAccount": t.account},
        "ArnLike": {"aws:SourceArn": alarms},
    });
    let key_policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "LogwardenKeyAdministration",
                "Effect": "Allow",
                "Principal": {"AWS": p.arn("iam", "", &t.account, "root")},
                "Action": "kms:*",
                "Resource": "*"
            },
            {
                "Sid": "LogwardenCloudWatchAlarmsEncrypt",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
                "Condition": cloudwatch_may.clone()
            }
        ]
    });
    let topic_statements: Vec<Value> = vec![
        json!({
            "Sid": "LogwardenCloudWatchAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": cloudwatch_may
        }),
        json!({
            "Sid": "LogwardenDenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }),
    ];
    AlarmTopic {
        name: want.topic_name.clone(),
        key_alias: format!("alias/{}alarms", want.name_prefix),
        key_policy,
        topic_statements,
        subscribers: want
            .subscribers
            .iter()
            .map(|s| (s.protocol.clone(), s.endpoint.clone()))
            .collect(),
    }
}
