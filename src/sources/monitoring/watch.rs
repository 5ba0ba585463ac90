//! Whether an event in an account and region would reach a person: through a metric filter on
//! the log group of a trail that records it (the organization trail's covers every member), an
//! alarm on the filter's metric whose action notifies an SNS topic with a confirmed subscription
//! (or an Incident Manager response plan), or an enabled EventBridge rule of the account whose
//! pattern matches it and which has a target. Pure: it reads the inventory only, and remembers
//! what it judged for a log group, since an organization trail's group answers for every member.

use super::controls::{self, as_eventbridge, call, CONTROLS};
use super::event_pattern;
use super::filter_pattern::{self, FilterPattern};
use super::model::{Alarm, Metric, MetricFilter, RegionData as Mon};
use crate::sources::cloudtrail::checks::{blind_spots, serves, trails_for, Serves};
use crate::sources::cloudtrail::selectors::{Category, ProbeEvent};
use crate::sources::{AccountInventory, Ctx};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

/// Benign events no detective control should alarm on: a filter or rule that matches them
/// matches everything and notices nothing in particular.
pub fn benign() -> Vec<Value> {
    let read = |s: &str, n: &str| {
        let mut e = call(s, n);
        e["readOnly"] = json!(true);
        e
    };
    vec![
        read("ec2", "DescribeInstances"),
        read("s3", "ListBuckets"),
        read("sts", "GetCallerIdentity"),
    ]
}

/// Every event a detective control watches for (the controls' events and the default
/// tampering actions'), for deciding which rules are worth reading.
fn watched_events() -> Vec<Value> {
    let mut v: Vec<Value> = CONTROLS.iter().flat_map(|c| c.samples().0).collect();
    v.extend(
        crate::sources::scp::profile::default_actions()
            .iter()
            .filter_map(|a| controls::tampering_event(a)),
    );
    v
}

/// The watched events as EventBridge delivers them (account and region left blank), made once:
/// every rule of every account-region is tried against them.
fn watched_envelopes() -> &'static [Value] {
    static ENVELOPES: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| {
        watched_events()
            .iter()
            .map(|e| as_eventbridge(e, "", ""))
            .collect()
    });
    &ENVELOPES
}

/// Whether a rule's event pattern matches (or may match) an event logwarden watches for.
pub fn rule_is_relevant(pattern: &str) -> bool {
    let Ok(p) = event_pattern::parse(pattern) else {
        return true;
    };
    // The rule's own account and region are unknown here: fields the pattern filters on are
    // copied from it where they name one value, so only the event decides.
    let pinned: Vec<(&str, &Value)> = ["account", "region"]
        .into_iter()
        .filter_map(|k| {
            p.get(k)
                .and_then(|v| v.get(0))
                .filter(|x| x.is_string())
                .map(|x| (k, x))
        })
        .collect();
    watched_envelopes().iter().any(|ev| {
        if pinned.is_empty() {
            return event_pattern::matches(&p, ev).unwrap_or(true);
        }
        let mut ev = ev.clone();
        for (k, x) in &pinned {
            ev[*k] = (*x).clone();
        }
        event_pattern::matches(&p, &ev).unwrap_or(true)
    })
}

/// The alarms on any of the filters' metrics, and the composite alarms that name them.
pub fn relevant_alarms<'a>(filters: &[MetricFilter], alarms: &'a [Alarm]) -> Vec<&'a Alarm> {
    let metrics: BTreeSet<&Metric> = filters.iter().flat_map(|f| &f.metrics).collect();
    let direct: Vec<&Alarm> = alarms
        .iter()
        .filter(|a| a.metrics.iter().any(|m| metrics.contains(m)))
        .collect();
    let names: BTreeSet<&str> = direct.iter().map(|a| a.name.as_str()).collect();
    let mut out = direct.clone();
    out.extend(
        alarms
            .iter()
            .filter(|a| a.names_in_rule().iter().any(|n| names.contains(n.as_str()))),
    );
    out
}

/// How one event would be noticed.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Noticed, and how.
    Yes(String),
    /// Not noticed: the near misses (a filter without an alarm, a topic nobody confirmed...).
    No(Vec<String>),
    /// Not decided: what could not be read or evaluated.
    Unknown(Vec<String>),
}

/// The judge, with what it has already evaluated.
pub struct Watch<'c, 'a> {
    ctx: &'c Ctx<'a>,
    /// The audited accounts by id (a filter's log group or an alarm's topic may be in another).
    accounts: HashMap<&'a str, &'a AccountInventory>,
    patterns: RefCell<HashMap<String, Result<FilterPattern, String>>>,
    /// (log group ARN, `scope/label` of the event) → how the group's filters and alarms notice it.
    by_group: RefCell<HashMap<(String, String), Notice>>,
}

/// Where an event is recorded for EventBridge: global services' events in us-east-1.
pub fn eventbridge_region<'r>(event: &Value, region: &'r str) -> &'r str {
    match event["eventSource"].as_str() {
        Some("iam.amazonaws.com" | "organizations.amazonaws.com" | "signin.amazonaws.com") => {
            "us-east-1"
        }
        _ => region,
    }
}

impl<'c, 'a> Watch<'c, 'a> {
    pub fn new(ctx: &'c Ctx<'a>) -> Self {
        Watch {
            ctx,
            accounts: ctx
                .inv
                .accounts
                .iter()
                .map(|a| (a.account_id.as_str(), a))
                .collect(),
            patterns: RefCell::default(),
            by_group: RefCell::default(),
        }
    }

    fn mon(&self, account: &str, region: &str) -> Result<&'a Mon, String> {
        let a = self
            .accounts
            .get(account)
            .ok_or_else(|| format!("account {account} was not audited"))?;
        Self::mon_of(a, region)
    }

    fn mon_of(a: &'a AccountInventory, region: &str) -> Result<&'a Mon, String> {
        if let Some(e) = a.access.error() {
            return Err(format!(
                "account {} {}",
                a.account_id,
                crate::rules::unknown_because(e)
            ));
        }
        a.regions
            .iter()
            .find(|r| r.region == region && r.enabled.value().is_some())
            .map(|r| &r.data.monitoring)
            .ok_or_else(|| format!("{}/{region} was not audited", a.account_id))
    }

    /// How `event` (a CloudTrail record) in account `a`, `region` would be noticed; `negatives`
    /// are events a counted filter or rule must not match (the same for every call with the
    /// same `scope`).
    pub fn notice(
        &self,
        a: &AccountInventory,
        region: &str,
        event: &Value,
        label: &str,
        negatives: &[Value],
        scope: &str,
    ) -> Notice {
        let (mut misses, mut doubts) = (Vec::new(), Vec::new());
        let probe = probe(event, label);
        for t in trails_for(self.ctx, a, region) {
            let Some(group) = &t.cloudwatch_logs_log_group_arn else {
                continue;
            };
            // A trail that fails to deliver to its group feeds no filter.
            if let Some(err) = t
                .status
                .value()
                .and_then(|st| st.latest_cloudwatch_logs_delivery_error.as_deref())
            {
                misses.push(format!(
                    "trail '{}' fails to deliver to CloudWatch Logs: {err}",
                    t.name
                ));
                continue;
            }
            match serves(t, std::slice::from_ref(&probe), self.ctx.now) {
                Serves::Fully => {}
                Serves::Unknown(w) => {
                    doubts.push(w);
                    continue;
                }
                Serves::Stopped(w) => {
                    misses.push(w);
                    continue;
                }
                Serves::Partly(_) => {
                    misses.push(format!("trail '{}' does not record {label}", t.name));
                    continue;
                }
            }
            let key = (group.clone(), format!("{scope}/{label}"));
            let cached = self.by_group.borrow().get(&key).cloned();
            let n = cached.unwrap_or_else(|| {
                let n = self.through_group(group, event, negatives);
                self.by_group.borrow_mut().insert(key, n.clone());
                n
            });
            match n {
                Notice::Yes(how) => return Notice::Yes(how),
                Notice::No(m) => misses.extend(m),
                Notice::Unknown(d) => doubts.extend(d),
            }
        }
        match self.through_rules(a, region, event, negatives) {
            Notice::Yes(how) => return Notice::Yes(how),
            Notice::No(m) => misses.extend(m),
            Notice::Unknown(d) => doubts.extend(d),
        }
        // A trail that could not be read may deliver to a group with the filter.
        doubts.extend(
            blind_spots(self.ctx, a, region)
                .into_iter()
                .map(|w| format!("the trails that record it: {w}")),
        );
        if doubts.is_empty() {
            Notice::No(misses)
        } else {
            Notice::Unknown(doubts)
        }
    }

    fn pattern_matches(&self, text: &str, event: &Value) -> Result<bool, String> {
        let mut cache = self.patterns.borrow_mut();
        let p = cache
            .entry(text.to_string())
            .or_insert_with(|| filter_pattern::parse(text).map_err(|e| e.to_string()));
        match p {
            Ok(p) => p.matches(event),
            Err(e) => Err(e.clone()),
        }
    }

    /// A filter on the log group `group` (ARN) that matches the event, with an alarm that
    /// reaches a person.
    fn through_group(&self, group: &str, event: &Value, negatives: &[Value]) -> Notice {
        let Some((region, account, name)) = log_group_parts(group) else {
            return Notice::No(vec![format!("log group ARN {group} is not readable")]);
        };
        let mon = match self.mon(account, region) {
            Ok(m) => m,
            Err(w) => {
                return Notice::Unknown(vec![format!(
                    "the metric filters of log group {name}: {w}"
                )])
            }
        };
        let filters = match mon.metric_filters.as_result() {
            Ok(f) => f,
            Err(e) => {
                return Notice::Unknown(vec![format!(
                    "the metric filters in {account}/{region} {}",
                    crate::rules::unknown_because(e)
                )])
            }
        };
        let (mut misses, mut doubts) = (Vec::new(), Vec::new());
        for f in filters.iter().filter(|f| f.log_group == name) {
            match self.pattern_matches(&f.pattern, event) {
                Ok(false) => continue,
                Err(w) => {
                    doubts.push(format!("metric filter '{}': {w}", f.name));
                    continue;
                }
                Ok(true) => {}
            }
            if negatives
                .iter()
                .any(|n| self.pattern_matches(&f.pattern, n) == Ok(true))
            {
                misses.push(format!(
                    "metric filter '{}' matches every event, benign ones too",
                    f.name
                ));
                continue;
            }
            match self.alarm_reaches(mon, account, region, f) {
                Notice::Yes(how) => {
                    return Notice::Yes(format!(
                        "metric filter '{}' on {name} ({account}/{region}) → {how}",
                        f.name
                    ))
                }
                Notice::No(m) => misses.extend(m),
                Notice::Unknown(d) => doubts.extend(d),
            }
        }
        if doubts.is_empty() {
            Notice::No(misses)
        } else {
            Notice::Unknown(doubts)
        }
    }

    fn alarm_reaches(&self, mon: &Mon, account: &str, region: &str, f: &MetricFilter) -> Notice {
        let alarms = match mon.alarms.as_result() {
            Ok(a) => a,
            Err(e) => {
                return Notice::Unknown(vec![format!(
                    "the alarms in {account}/{region} {}",
                    crate::rules::unknown_because(e)
                )])
            }
        };
        let on: Vec<&Alarm> = relevant_alarms(std::slice::from_ref(f), alarms);
        if on.is_empty() {
            return Notice::No(vec![format!(
                "metric filter '{}' has no alarm on its metric",
                f.name
            )]);
        }
        let (mut misses, mut doubts) = (Vec::new(), Vec::new());
        for a in on {
            if !a.actions_enabled {
                misses.push(format!("alarm '{}' has its actions disabled", a.name));
                continue;
            }
            if a.actions.is_empty() {
                misses.push(format!("alarm '{}' has no action", a.name));
            }
            for act in &a.actions {
                match self.action_reaches(act) {
                    Ok(how) => return Notice::Yes(format!("alarm '{}' → {how}", a.name)),
                    Err((true, w)) => doubts.push(w),
                    Err((false, w)) => misses.push(format!("alarm '{}': {w}", a.name)),
                }
            }
        }
        if doubts.is_empty() {
            Notice::No(misses)
        } else {
            Notice::Unknown(doubts)
        }
    }

    /// Whether an alarm action reaches a person; the error says why not (`true`: undecided).
    fn action_reaches(&self, action: &str) -> Result<String, (bool, String)> {
        let parts: Vec<&str> = action.splitn(6, ':').collect();
        match parts.as_slice() {
            ["arn", _, "sns", region, account, topic] => {
                let mon = self
                    .mon(account, region)
                    .map_err(|w| (true, format!("the subscriptions of SNS topic {topic}: {w}")))?;
                match mon.topics.get(action).map(|c| c.as_result()) {
                    Some(Ok(s)) if !s.confirmed.is_empty() => Ok(format!(
                        "SNS topic {topic} ({} confirmed subscription{})",
                        s.confirmed.len(),
                        if s.confirmed.len() == 1 { "" } else { "s" }
                    )),
                    Some(Ok(s)) if s.pending > 0 => Err((
                        false,
                        format!("SNS topic {topic} has only subscriptions awaiting confirmation"),
                    )),
                    Some(Ok(_)) => Err((false, format!("SNS topic {topic} has no subscription"))),
                    Some(Err(e)) => Err((
                        true,
                        format!(
                            "the subscriptions of SNS topic {topic} {}",
                            crate::rules::unknown_because(e)
                        ),
                    )),
                    None => Err((
                        true,
                        format!("the subscriptions of SNS topic {topic} were not read"),
                    )),
                }
            }
            ["arn", _, "ssm-incidents", ..] => {
                Ok(format!("Incident Manager response plan {action}"))
            }
            _ => Err((false, format!("action {action} notifies nobody"))),
        }
    }

    fn through_rules(
        &self,
        a: &AccountInventory,
        region: &str,
        event: &Value,
        negatives: &[Value],
    ) -> Notice {
        let region = eventbridge_region(event, region);
        let mon = match self.mon(&a.account_id, region) {
            Ok(m) => m,
            Err(w) => return Notice::Unknown(vec![format!("the EventBridge rules: {w}")]),
        };
        let rules = match mon.rules.as_result() {
            Ok(r) => r,
            Err(e) => {
                return Notice::Unknown(vec![format!(
                    "the EventBridge rules in {}/{region} {}",
                    a.account_id,
                    crate::rules::unknown_because(e)
                )])
            }
        };
        // Most regions have no rule: the event is not built for them (at 17,000 account-regions
        // this was the checks' largest cost).
        if !rules.iter().any(|r| r.enabled()) {
            return Notice::No(Vec::new());
        }
        let ev = as_eventbridge(event, &a.account_id, region);
        let (mut misses, mut doubts) = (Vec::new(), Vec::new());
        for r in rules.iter().filter(|r| r.enabled()) {
            let p = match event_pattern::parse(&r.event_pattern) {
                Ok(p) => p,
                Err(w) => {
                    doubts.push(format!("EventBridge rule '{}': {w}", r.name));
                    continue;
                }
            };
            match event_pattern::matches(&p, &ev) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(w) => {
                    doubts.push(format!("EventBridge rule '{}': {w}", r.name));
                    continue;
                }
            }
            let noisy = negatives.iter().any(|n| {
                event_pattern::matches(&p, &as_eventbridge(n, &a.account_id, region)) == Ok(true)
            });
            if noisy {
                misses.push(format!(
                    "EventBridge rule '{}' matches benign events too",
                    r.name
                ));
                continue;
            }
            // A rule that only forwards to another event bus reaches nobody by itself; the rules
            // of that bus are not read (see docs/tamper-readiness.md).
            let is_bus = |arn: &String| arn.contains(":event-bus/");
            match r.targets.as_result() {
                Ok(t) if t.iter().any(|x| !is_bus(x)) => {
                    let n = t.iter().filter(|x| !is_bus(x)).count();
                    return Notice::Yes(format!(
                        "EventBridge rule '{}' in {}/{region} → {n} target{}",
                        r.name,
                        a.account_id,
                        if n == 1 { "" } else { "s" }
                    ));
                }
                Ok(t) if !t.is_empty() => doubts.push(format!(
                    "EventBridge rule '{}' forwards to event bus {}, whose rules logwarden does not read",
                    r.name,
                    t.join(", ")
                )),
                Ok(_) => misses.push(format!("EventBridge rule '{}' has no target", r.name)),
                Err(e) => doubts.push(format!(
                    "the targets of EventBridge rule '{}' {}",
                    r.name,
                    crate::rules::unknown_because(e)
                )),
            }
        }
        if doubts.is_empty() {
            Notice::No(misses)
        } else {
            Notice::Unknown(doubts)
        }
    }
}

/// (region, account, name) of a log group ARN (`arn:aws:logs:R:A:log-group:NAME[:*]`).
pub fn log_group_parts(arn: &str) -> Option<(&str, &str, &str)> {
    let mut p = arn.splitn(7, ':');
    let (_, _, svc, region, account, kind) = (
        p.next()?,
        p.next()?,
        p.next()?,
        p.next()?,
        p.next()?,
        p.next()?,
    );
    if svc != "logs" || kind != "log-group" {
        return None;
    }
    let name = p.next()?;
    Some((region, account, name.strip_suffix(":*").unwrap_or(name)))
}

/// The trail-selector probe for a sample record.
fn probe(e: &Value, label: &str) -> ProbeEvent {
    let source = e["eventSource"].as_str().unwrap_or_default();
    let name = e["eventName"].as_str().unwrap_or_default();
    let read_only = e["readOnly"] == json!(true);
    let mut p = ProbeEvent::management(read_only, source, name, label);
    if e["managementEvent"] == json!(false) {
        p.category = Category::Data;
        p.resource_type = Some("AWS::S3::Object".into());
    }
    p
}
