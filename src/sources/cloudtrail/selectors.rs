//! What a trail's event selectors actually capture.
//!
//! Selectors are judged by evaluating concrete *probe events* against them, exactly as CloudTrail
//! matches an event: basic selectors by read/write type, management flag, excluded sources and data
//! resource prefixes; advanced selectors field by field (`Equals`/`StartsWith`/`EndsWith` any-of,
//! `Not*` none-of, all fields of a selector together, any selector of the trail). Never by name.
//!
//! Probes are generated from the requirement (read and write management events, every bucket the
//! baseline names) *and* from the selectors' own exclusions (a `NotEquals eventSource kms...` yields
//! a KMS probe; a `NotStartsWith resources.ARN arn:aws:s3:::prod/` yields a probe for that bucket),
//! so a narrowing selector is caught and named instead of passing on a generic probe.
use super::model::{AdvancedSelector, BasicSelector, EventSelectors, FieldSelector, ReadWriteType};

/// An event CloudTrail might record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProbeEvent {
    pub category: Category,
    /// `AWS::S3::Object`, `AWS::Lambda::Function`; `None` for management events.
    pub resource_type: Option<String>,
    pub read_only: bool,
    pub arn: Option<String>,
    pub event_source: String,
    pub event_name: String,
    /// How to name this event in a message when it is not captured.
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Management,
    Data,
}

impl ProbeEvent {
    pub fn management(read_only: bool, source: &str, name: &str, label: impl Into<String>) -> Self {
        ProbeEvent {
            category: Category::Management,
            resource_type: None,
            read_only,
            arn: None,
            event_source: source.into(),
            event_name: name.into(),
            label: label.into(),
        }
    }

    /// A read (`GetObject`) or write (`PutObject`) of an object in `bucket`.
    pub fn s3_object(
        partition: &str,
        bucket: &str,
        read_only: bool,
        label: impl Into<String>,
    ) -> Self {
        ProbeEvent {
            category: Category::Data,
            resource_type: Some("AWS::S3::Object".into()),
            read_only,
            arn: Some(
                crate::arn::Partition(partition)
                    .s3_bucket(&format!("{bucket}/logwarden-probe-object")),
            ),
            event_source: "s3.amazonaws.com".into(),
            event_name: if read_only { "GetObject" } else { "PutObject" }.into(),
            label: label.into(),
        }
    }

    /// The object events of `bucket` to probe: a read (`GetObject`), or the writes a
    /// responder needs, `PutObject` and `DeleteObject` (a selector may keep one and drop the
    /// other; the deletion's label says so).
    pub fn s3_object_events(
        partition: &str,
        bucket: &str,
        read_only: bool,
        label: impl Into<String>,
    ) -> Vec<Self> {
        let label = label.into();
        let mut v = vec![ProbeEvent::s3_object(
            partition,
            bucket,
            read_only,
            label.clone(),
        )];
        if !read_only {
            let mut delete =
                ProbeEvent::s3_object(partition, bucket, false, format!("{label} (DeleteObject)"));
            delete.event_name = "DeleteObject".into();
            v.push(delete);
        }
        v
    }

    pub fn lambda_invoke(function_arn: &str, label: impl Into<String>) -> Self {
        ProbeEvent {
            category: Category::Data,
            resource_type: Some("AWS::Lambda::Function".into()),
            read_only: false,
            arn: Some(function_arn.into()),
            event_source: "lambda.amazonaws.com".into(),
            event_name: "Invoke".into(),
            label: label.into(),
        }
    }
}

/// How a trail's selectors treat one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capture {
    /// Recorded.
    Yes,
    /// Recorded by a selector that also keeps only some such events (conditions on who made
    /// the call, from the console, of which type, or excluding some event names), or that uses a
    /// field AWS does not accept there: the reason says which.
    Partly(String),
    /// Not recorded.
    No,
}

/// Whether the trail records the event, and fully.
pub fn capture(selectors: &EventSelectors, ev: &ProbeEvent) -> Capture {
    if selectors.basic.is_empty() && selectors.advanced.is_empty() {
        // A trail always has selectors in AWS; none at all is what a trail is created with
        // (all management events, no data events). Emulators report it as an empty list.
        return if ev.category == Category::Management {
            Capture::Yes
        } else {
            Capture::No
        };
    }
    if selectors.basic.iter().any(|s| basic_captures(s, ev)) {
        return Capture::Yes;
    }
    let mut partly = Vec::new();
    for s in &selectors.advanced {
        match advanced_capture(s, ev) {
            Capture::Yes => return Capture::Yes,
            Capture::Partly(why) => partly.push(why),
            Capture::No => {}
        }
    }
    if partly.is_empty() {
        Capture::No
    } else {
        Capture::Partly(partly.join("; "))
    }
}

/// Whether the trail records the event in full.
pub fn captures(selectors: &EventSelectors, ev: &ProbeEvent) -> bool {
    capture(selectors, ev) == Capture::Yes
}

fn basic_captures(s: &BasicSelector, ev: &ProbeEvent) -> bool {
    let rw_ok = match s.read_write_type {
        ReadWriteType::ReadOnly => ev.read_only,
        ReadWriteType::WriteOnly => !ev.read_only,
        // All, and values this version does not know (read as broadly as AWS's default).
        _ => true,
    };
    if !rw_ok {
        return false;
    }
    match ev.category {
        Category::Management => {
            s.include_management_events
                && !s
                    .exclude_management_event_sources
                    .iter()
                    .any(|x| x == &ev.event_source)
        }
        Category::Data => s.data_resources.iter().any(|dr| {
            Some(dr.resource_type.as_str()) == ev.resource_type.as_deref()
                && dr.values.iter().any(|v| basic_value_matches(v, ev))
        }),
    }
}

/// Basic data resource values: `arn:aws:s3` (or `arn:aws:s3:::`) means every bucket,
/// `arn:aws:lambda` every function; otherwise an ARN prefix.
fn basic_value_matches(value: &str, ev: &ProbeEvent) -> bool {
    let Some(arn) = ev.arn.as_deref() else {
        return false;
    };
    match crate::arn::service_wide(value) {
        Some(service) => crate::arn::service_of(arn) == Some(service),
        None => arn.starts_with(value),
    }
}

/// The fields a probe event decides (see [`event_field`]).
const PROBE_FIELDS: &[&str] = &[
    "eventCategory",
    "readOnly",
    "resources.type",
    "resources.ARN",
    "eventSource",
    "eventName",
];

/// The only fields AWS accepts in a trail's management-event selector.
const MANAGEMENT_FIELDS: &[&str] = &["eventCategory", "eventSource", "readOnly"];

fn has_conditions(f: &FieldSelector) -> bool {
    !(f.equals.is_empty()
        && f.starts_with.is_empty()
        && f.ends_with.is_empty()
        && f.not_equals.is_empty()
        && f.not_starts_with.is_empty()
        && f.not_ends_with.is_empty())
}

/// `userIdentity.arn StartsWith [arn:aws:iam::1:role/a]`, for a message.
fn describe(f: &FieldSelector) -> String {
    let ops: Vec<String> = [
        ("Equals", &f.equals),
        ("StartsWith", &f.starts_with),
        ("EndsWith", &f.ends_with),
        ("NotEquals", &f.not_equals),
        ("NotStartsWith", &f.not_starts_with),
        ("NotEndsWith", &f.not_ends_with),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(op, v)| format!("{} {op} [{}]", f.field, v.join(", ")))
    .collect();
    ops.join(" and ")
}

fn advanced_capture(s: &AdvancedSelector, ev: &ProbeEvent) -> Capture {
    let mut narrowing = Vec::new();
    for f in &s.field_selectors {
        if PROBE_FIELDS.contains(&f.field.as_str()) {
            if !field_matches(f, ev) {
                return Capture::No;
            }
            // It matches this event but drops other events by name: a data selector that
            // excludes, say, DeleteObject records the writes but not the deletions.
            if f.field == "eventName"
                && ev.category == Category::Data
                && !(f.not_equals.is_empty()
                    && f.not_starts_with.is_empty()
                    && f.not_ends_with.is_empty())
            {
                narrowing.push(describe(f));
            }
        } else if has_conditions(f) {
            narrowing.push(describe(f));
        }
    }
    let name = s.name.as_deref().unwrap_or("(unnamed)");
    if ev.category == Category::Management {
        let unsupported: Vec<&str> = s
            .field_selectors
            .iter()
            .map(|f| f.field.as_str())
            .filter(|f| !MANAGEMENT_FIELDS.contains(f))
            .collect();
        if !unsupported.is_empty() {
            return Capture::Partly(format!(
                "selector '{name}' uses {}, which AWS does not accept in a trail's management-event selector (only eventCategory, eventSource and readOnly)",
                unsupported.join(", ")
            ));
        }
    }
    if narrowing.is_empty() {
        Capture::Yes
    } else {
        Capture::Partly(format!(
            "selector '{name}' keeps only events where {}",
            narrowing.join(" and ")
        ))
    }
}

fn event_field<'a>(ev: &'a ProbeEvent, field: &str) -> Option<&'a str> {
    match field {
        "eventCategory" => Some(match ev.category {
            Category::Management => "Management",
            Category::Data => "Data",
        }),
        "readOnly" => Some(if ev.read_only { "true" } else { "false" }),
        "resources.type" => ev.resource_type.as_deref(),
        "resources.ARN" => ev.arn.as_deref(),
        "eventSource" => Some(&ev.event_source),
        "eventName" => Some(&ev.event_name),
        // Fields a probe does not carry (userIdentity.arn, errorCode, vpcEndpointId...): such a
        // condition narrows what is captured; `field_matches` treats it as not met.
        _ => None,
    }
}

fn field_matches(f: &FieldSelector, ev: &ProbeEvent) -> bool {
    let value = event_field(ev, &f.field);
    let positive = !f.equals.is_empty() || !f.starts_with.is_empty() || !f.ends_with.is_empty();
    let Some(v) = value else {
        // The event has no such field: positive conditions cannot hold, negative ones do.
        return !positive;
    };
    let pos_ok = !positive
        || f.equals.iter().any(|x| x == v)
        || f.starts_with.iter().any(|x| v.starts_with(x.as_str()))
        || f.ends_with.iter().any(|x| v.ends_with(x.as_str()));
    let neg_ok = !f.not_equals.iter().any(|x| x == v)
        && !f.not_starts_with.iter().any(|x| v.starts_with(x.as_str()))
        && !f.not_ends_with.iter().any(|x| v.ends_with(x.as_str()));
    pos_ok && neg_ok
}

/// Event sources excluded anywhere in the selectors (basic exclusions and advanced `Not*`
/// conditions on `eventSource`), to turn into probes.
pub fn excluded_event_sources(sel: &EventSelectors) -> Vec<String> {
    let mut out: Vec<String> = sel
        .basic
        .iter()
        .flat_map(|b| b.exclude_management_event_sources.iter().cloned())
        .collect();
    for a in &sel.advanced {
        for f in a
            .field_selectors
            .iter()
            .filter(|f| f.field == "eventSource")
        {
            out.extend(f.not_equals.iter().cloned());
            out.extend(f.not_starts_with.iter().cloned());
            out.extend(f.not_ends_with.iter().cloned());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Event names excluded by advanced `Not*` conditions, with the source they probably belong to
/// unknown: probed with a generic source.
pub fn excluded_event_names(sel: &EventSelectors) -> Vec<String> {
    let mut out = Vec::new();
    let management = |a: &&AdvancedSelector| {
        a.field_selectors
            .iter()
            .any(|f| f.field == "eventCategory" && f.equals.iter().any(|v| v == "Management"))
    };
    for a in sel.advanced.iter().filter(management) {
        for f in a.field_selectors.iter().filter(|f| f.field == "eventName") {
            out.extend(f.not_equals.iter().cloned());
            out.extend(f.not_starts_with.iter().cloned());
            out.extend(f.not_ends_with.iter().cloned());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Bucket names (or name prefixes) excluded by `Not*` conditions on `resources.ARN`.
pub fn excluded_s3_buckets(sel: &EventSelectors) -> Vec<String> {
    let mut out = Vec::new();
    for a in &sel.advanced {
        for f in a
            .field_selectors
            .iter()
            .filter(|f| f.field == "resources.ARN")
        {
            for v in f.not_equals.iter().chain(&f.not_starts_with) {
                if let Some(rest) = v.split(":::").nth(1) {
                    let bucket = rest.split('/').next().unwrap_or("");
                    if !bucket.is_empty() {
                        out.push(bucket.to_string());
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Probes for "read and write management events" (or write only), plus one per source or name the
/// selectors exclude. `allowed` sources may be excluded without failing, so no probe is made for them.
/// A write event of a global service (IAM), which CloudTrail delivers only in the partition's
/// global region and only to trails that include global service events: probed there.
pub fn global_service_probe() -> ProbeEvent {
    ProbeEvent::management(
        false,
        "iam.amazonaws.com",
        "AttachRolePolicy",
        "global service events (IAM, STS, CloudFront)",
    )
}

pub fn management_probes(
    sel: &EventSelectors,
    want_read: bool,
    allowed: &[String],
) -> Vec<ProbeEvent> {
    let mut probes = vec![ProbeEvent::management(
        false,
        "iam.amazonaws.com",
        "CreateUser",
        "write management events",
    )];
    if want_read {
        probes.push(ProbeEvent::management(
            true,
            "ec2.amazonaws.com",
            "DescribeInstances",
            "read management events",
        ));
    }
    for src in excluded_event_sources(sel) {
        if allowed.iter().any(|a| a == &src) {
            continue;
        }
        probes.push(ProbeEvent::management(
            false,
            &src,
            "LogwardenProbeWrite",
            format!("write management events from {src}"),
        ));
        if want_read {
            probes.push(ProbeEvent::management(
                true,
                &src,
                "LogwardenProbeRead",
                format!("read management events from {src}"),
            ));
        }
    }
    for name in excluded_event_names(sel) {
        probes.push(ProbeEvent::management(
            false,
            "logwarden-probe.amazonaws.com",
            &name,
            format!("management event {name}"),
        ));
        if want_read {
            probes.push(ProbeEvent::management(
                true,
                "logwarden-probe.amazonaws.com",
                &name,
                format!("management event {name}"),
            ));
        }
    }
    probes
}

/// Whether any management event at all is recorded (for duplicate-copy counting).
pub fn records_management_events(sel: &EventSelectors) -> bool {
    [true, false].iter().any(|&ro| {
        captures(
            sel,
            &ProbeEvent::management(ro, "iam.amazonaws.com", "AnyEvent", ""),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::cloudtrail::model::DataResource;

    fn basic(rw: &str, mgmt: bool, data: Vec<(&str, Vec<&str>)>) -> EventSelectors {
        EventSelectors {
            basic: vec![BasicSelector {
                read_write_type: rw.into(),
                include_management_events: mgmt,
                exclude_management_event_sources: vec![],
                data_resources: data
                    .into_iter()
                    .map(|(t, v)| DataResource {
                        resource_type: t.into(),
                        values: v.into_iter().map(String::from).collect(),
                    })
                    .collect(),
            }],
            advanced: vec![],
        }
    }

    fn field(name: &str) -> FieldSelector {
        FieldSelector {
            field: name.into(),
            ..Default::default()
        }
    }

    fn adv(fields: Vec<FieldSelector>) -> AdvancedSelector {
        AdvancedSelector {
            name: Some("Log all management events".into()),
            field_selectors: fields,
        }
    }

    fn eq(name: &str, vals: &[&str]) -> FieldSelector {
        FieldSelector {
            equals: vals.iter().map(|s| s.to_string()).collect(),
            ..field(name)
        }
    }

    fn uncaptured(sel: &EventSelectors, probes: &[ProbeEvent]) -> Vec<String> {
        probes
            .iter()
            .filter(|p| !captures(sel, p))
            .map(|p| p.label.clone())
            .collect()
    }

    #[test]
    fn basic_all_management_captures_read_and_write() {
        let sel = basic("All", true, vec![]);
        assert!(uncaptured(&sel, &management_probes(&sel, true, &[])).is_empty());
    }

    #[test]
    fn basic_write_only_misses_read_events() {
        let sel = basic("WriteOnly", true, vec![]);
        assert_eq!(
            uncaptured(&sel, &management_probes(&sel, true, &[])),
            vec!["read management events"]
        );
        assert!(uncaptured(&sel, &management_probes(&sel, false, &[])).is_empty());
    }

    #[test]
    fn basic_excluded_kms_source_is_named_unless_allowed() {
        let mut sel = basic("All", true, vec![]);
        sel.basic[0].exclude_management_event_sources = vec!["kms.amazonaws.com".into()];
        let missing = uncaptured(&sel, &management_probes(&sel, true, &[]));
        assert_eq!(
            missing,
            vec![
                "write management events from kms.amazonaws.com",
                "read management events from kms.amazonaws.com"
            ]
        );
        let allowed = vec!["kms.amazonaws.com".to_string()];
        assert!(uncaptured(&sel, &management_probes(&sel, true, &allowed)).is_empty());
    }

    #[test]
    fn no_selectors_means_the_default_management_selector() {
        let sel = EventSelectors::default();
        assert!(captures(
            &sel,
            &ProbeEvent::management(true, "ec2.amazonaws.com", "X", "")
        ));
        assert!(!captures(
            &sel,
            &ProbeEvent::s3_object("aws", "b", true, "")
        ));
    }

    #[test]
    fn basic_s3_all_buckets_and_prefixes() {
        let all = basic("All", true, vec![("AWS::S3::Object", vec!["arn:aws:s3"])]);
        assert!(captures(
            &all,
            &ProbeEvent::s3_object("aws", "anything", true, "")
        ));
        let all2 = basic(
            "All",
            true,
            vec![("AWS::S3::Object", vec!["arn:aws:s3:::"])],
        );
        assert!(captures(
            &all2,
            &ProbeEvent::s3_object("aws", "anything", false, "")
        ));
        let one = basic(
            "All",
            true,
            vec![("AWS::S3::Object", vec!["arn:aws:s3:::prod/"])],
        );
        assert!(captures(
            &one,
            &ProbeEvent::s3_object("aws", "prod", true, "")
        ));
        assert!(!captures(
            &one,
            &ProbeEvent::s3_object("aws", "other", true, "")
        ));
        assert!(!captures(
            &one,
            &ProbeEvent::s3_object("aws", "production", true, "")
        ));
        let ro = basic(
            "ReadOnly",
            true,
            vec![("AWS::S3::Object", vec!["arn:aws:s3"])],
        );
        assert!(!captures(
            &ro,
            &ProbeEvent::s3_object("aws", "b", false, "")
        ));
    }

    #[test]
    fn basic_lambda_all_functions() {
        let sel = basic(
            "All",
            true,
            vec![("AWS::Lambda::Function", vec!["arn:aws:lambda"])],
        );
        assert!(captures(
            &sel,
            &ProbeEvent::lambda_invoke("arn:aws:lambda:us-east-1:1:function:f", "")
        ));
        assert!(!captures(
            &sel,
            &ProbeEvent::s3_object("aws", "b", false, "")
        ));
    }

    #[test]
    fn advanced_management_selector_is_judged_by_content_not_name() {
        // Named "Log all management events" but only captures write events.
        let sel = EventSelectors {
            basic: vec![],
            advanced: vec![adv(vec![
                eq("eventCategory", &["Management"]),
                eq("readOnly", &["false"]),
            ])],
        };
        assert_eq!(
            uncaptured(&sel, &management_probes(&sel, true, &[])),
            vec!["read management events"]
        );
    }

    #[test]
    fn advanced_exclusion_of_kms_and_rds_data_is_caught() {
        let sel = EventSelectors {
            basic: vec![],
            advanced: vec![adv(vec![
                eq("eventCategory", &["Management"]),
                FieldSelector {
                    not_equals: vec!["kms.amazonaws.com".into(), "rdsdata.amazonaws.com".into()],
                    ..field("eventSource")
                },
            ])],
        };
        let missing = uncaptured(&sel, &management_probes(&sel, false, &[]));
        assert_eq!(
            missing,
            vec![
                "write management events from kms.amazonaws.com",
                "write management events from rdsdata.amazonaws.com"
            ]
        );
    }

    #[test]
    fn advanced_event_name_exclusion_is_caught() {
        let sel = EventSelectors {
            basic: vec![],
            advanced: vec![adv(vec![
                eq("eventCategory", &["Management"]),
                FieldSelector {
                    not_equals: vec!["ConsoleLogin".into()],
                    ..field("eventName")
                },
            ])],
        };
        // AWS accepts no eventName in a trail's management selector: nothing it records is
        // certain, and the reason says so.
        let probes = management_probes(&sel, true, &[]);
        let missing = uncaptured(&sel, &probes);
        assert_eq!(
            missing,
            vec![
                "write management events",
                "read management events",
                "management event ConsoleLogin",
                "management event ConsoleLogin"
            ]
        );
        match capture(&sel, &probes[0]) {
            Capture::Partly(why) => assert!(
                why.contains("uses eventName, which AWS does not accept"),
                "{why}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn advanced_s3_data_selectors_with_prefix_and_exclusion() {
        let sel = EventSelectors {
            basic: vec![],
            advanced: vec![adv(vec![
                eq("eventCategory", &["Data"]),
                eq("resources.type", &["AWS::S3::Object"]),
                FieldSelector {
                    not_starts_with: vec!["arn:aws:s3:::secret-bucket/".into()],
                    ..field("resources.ARN")
                },
            ])],
        };
        assert!(captures(
            &sel,
            &ProbeEvent::s3_object("aws", "any", true, "")
        ));
        assert!(captures(
            &sel,
            &ProbeEvent::s3_object("aws", "any", false, "")
        ));
        assert!(!captures(
            &sel,
            &ProbeEvent::s3_object("aws", "secret-bucket", false, "")
        ));
        assert_eq!(excluded_s3_buckets(&sel), vec!["secret-bucket"]);
        // Data selectors do not capture management events.
        assert!(!records_management_events(&sel));
    }

    #[test]
    fn advanced_read_only_filter_on_data() {
        let sel = EventSelectors {
            basic: vec![],
            advanced: vec![adv(vec![
                eq("eventCategory", &["Data"]),
                eq("resources.type", &["AWS::S3::Object"]),
                eq("readOnly", &["false"]),
            ])],
        };
        assert!(captures(
            &sel,
            &ProbeEvent::s3_object("aws", "b", false, "")
        ));
        assert!(!captures(
            &sel,
            &ProbeEvent::s3_object("aws", "b", true, "")
        ));
    }

    #[test]
    fn advanced_condition_on_a_field_the_probe_lacks_narrows_capture() {
        let sel = EventSelectors {
            basic: vec![],
            advanced: vec![adv(vec![
                eq("eventCategory", &["Management"]),
                FieldSelector {
                    not_starts_with: vec!["arn:aws:sts::1:assumed-role/Noisy".into()],
                    ..field("userIdentity.arn")
                },
            ])],
        };
        assert!(!records_management_events(&sel));
    }
}
