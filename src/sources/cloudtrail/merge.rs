//! Merging event selectors: the advanced selectors a requirement needs are added only where the
//! trail does not already capture its probe events; what exists is never removed or narrowed
//! (basic selectors are restated as equivalent advanced ones, since a trail takes one kind).

use super::model::{AdvancedSelector, BasicSelector, EventSelectors, FieldSelector, ReadWriteType};
use super::selectors::{captures, ProbeEvent};

/// Add the advanced selectors a requirement needs, only where the trail does not already capture
/// the probe events; existing selectors are never removed or narrowed.
/// The advanced selectors equivalent to basic ones (CloudTrail takes one kind or the other, so
/// adding an advanced selector to a trail with basic ones means restating the basic ones).
pub fn basic_to_advanced(basic: &[BasicSelector]) -> Vec<AdvancedSelector> {
    let eq = |field: &str, values: Vec<String>| FieldSelector {
        field: field.into(),
        equals: values,
        ..FieldSelector::default()
    };
    let mut out = Vec::new();
    for (i, b) in basic.iter().enumerate() {
        let read_only = match b.read_write_type {
            ReadWriteType::ReadOnly => Some("true"),
            ReadWriteType::WriteOnly => Some("false"),
            // All, and values this version does not know: no readOnly condition.
            _ => None,
        };
        if b.include_management_events {
            let mut f = vec![eq("eventCategory", vec!["Management".into()])];
            if let Some(ro) = read_only {
                f.push(eq("readOnly", vec![ro.into()]));
            }
            if !b.exclude_management_event_sources.is_empty() {
                f.push(FieldSelector {
                    field: "eventSource".into(),
                    not_equals: b.exclude_management_event_sources.clone(),
                    ..FieldSelector::default()
                });
            }
            out.push(AdvancedSelector {
                name: Some(format!("basic-{}-management", i + 1)),
                field_selectors: f,
            });
        }
        for (j, d) in b.data_resources.iter().enumerate() {
            let mut f = vec![
                eq("eventCategory", vec!["Data".into()]),
                eq("resources.type", vec![d.resource_type.clone()]),
            ];
            if let Some(ro) = read_only {
                f.push(eq("readOnly", vec![ro.into()]));
            }
            // `arn:aws:s3`, `arn:aws:s3:::` and `arn:aws:lambda` mean every resource.
            let every = d
                .values
                .iter()
                .any(|v| crate::arn::service_wide(v).is_some());
            if !every && !d.values.is_empty() {
                f.push(FieldSelector {
                    field: "resources.ARN".into(),
                    starts_with: d.values.clone(),
                    ..FieldSelector::default()
                });
            }
            out.push(AdvancedSelector {
                name: Some(format!("basic-{}-data-{}", i + 1, j + 1)),
                field_selectors: f,
            });
        }
    }
    out
}

/// The advanced selectors to write so the trail captures every required selector's probes, or
/// `None` when it already does. What exists is kept (basic selectors restated as advanced
/// ones; no selectors at all read as CloudTrail's default, all management events).
pub fn merged_selectors(
    existing: &EventSelectors,
    required: &[super::apply::RequiredSelector],
) -> Option<Vec<AdvancedSelector>> {
    let missing = required
        .iter()
        .any(|r| !r.probes.iter().all(|p| captures(existing, p)));
    if !missing {
        return None;
    }
    let base = if !existing.advanced.is_empty() {
        existing.advanced.clone()
    } else if !existing.basic.is_empty() {
        basic_to_advanced(&existing.basic)
    } else {
        basic_to_advanced(&[BasicSelector {
            read_write_type: ReadWriteType::All,
            include_management_events: true,
            exclude_management_event_sources: vec![],
            data_resources: vec![],
        }])
    };
    let pairs: Vec<(AdvancedSelector, Vec<ProbeEvent>)> = required
        .iter()
        .map(|r| (r.selector.clone(), r.probes.clone()))
        .collect();
    Some(merge_advanced_selectors(
        &EventSelectors {
            basic: vec![],
            advanced: base,
        },
        &pairs,
    ))
}

pub fn merge_advanced_selectors(
    existing: &EventSelectors,
    required: &[(AdvancedSelector, Vec<ProbeEvent>)],
) -> Vec<AdvancedSelector> {
    let mut out = existing.advanced.clone();
    for (selector, probes) in required {
        let current = EventSelectors {
            basic: existing.basic.clone(),
            advanced: out.clone(),
        };
        if !probes.iter().all(|p| captures(&current, p)) {
            out.push(selector.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn selectors_are_added_only_where_capture_is_missing() {
        let f = |field: &str, v: &str| FieldSelector {
            field: field.into(),
            equals: vec![v.into()],
            ..Default::default()
        };
        let s3 = AdvancedSelector {
            name: Some("logwarden-s3".into()),
            field_selectors: vec![
                f("eventCategory", "Data"),
                f("resources.type", "AWS::S3::Object"),
            ],
        };
        let probes = vec![
            ProbeEvent::s3_object("aws", "any", true, ""),
            ProbeEvent::s3_object("aws", "any", false, ""),
        ];
        let mgmt = AdvancedSelector {
            name: Some("team management".into()),
            field_selectors: vec![f("eventCategory", "Management")],
        };
        let existing = EventSelectors {
            basic: vec![],
            advanced: vec![mgmt.clone()],
        };
        let merged = merge_advanced_selectors(&existing, &[(s3.clone(), probes.clone())]);
        assert_eq!(merged, vec![mgmt.clone(), s3.clone()]);
        // Already captured: nothing added; the existing selectors are untouched.
        let again = merge_advanced_selectors(
            &EventSelectors {
                basic: vec![],
                advanced: merged.clone(),
            },
            &[(s3, probes)],
        );
        assert_eq!(again, merged);
    }

    fn probe_set() -> Vec<ProbeEvent> {
        let mut v = Vec::new();
        for ro in [true, false] {
            v.push(ProbeEvent::management(
                ro,
                "iam.amazonaws.com",
                "CreateUser",
                "",
            ));
            v.push(ProbeEvent::management(
                ro,
                "kms.amazonaws.com",
                "Decrypt",
                "",
            ));
            v.push(ProbeEvent::s3_object("aws", "logs", ro, ""));
            v.push(ProbeEvent::s3_object("aws", "data", ro, ""));
        }
        v.push(ProbeEvent::lambda_invoke(
            "arn:aws:lambda:us-east-1:111111111111:function:f",
            "",
        ));
        v
    }

    proptest! {
        #[test]
        fn basic_selectors_restated_as_advanced_capture_the_same_events(
            rw in prop_oneof![Just("All"), Just("ReadOnly"), Just("WriteOnly")],
            management in any::<bool>(),
            exclude_kms in any::<bool>(),
            s3 in prop_oneof![Just(None), Just(Some("arn:aws:s3")), Just(Some("arn:aws:s3:::data/"))],
            lambda in any::<bool>(),
        ) {
            let mut data_resources = Vec::new();
            if let Some(v) = s3 {
                data_resources.push(crate::sources::cloudtrail::model::DataResource { resource_type: "AWS::S3::Object".into(), values: vec![v.into()] });
            }
            if lambda {
                data_resources.push(crate::sources::cloudtrail::model::DataResource { resource_type: "AWS::Lambda::Function".into(), values: vec!["arn:aws:lambda".into()] });
            }
            let basic = vec![BasicSelector {
                read_write_type: rw.into(),
                include_management_events: management,
                exclude_management_event_sources: if exclude_kms { vec!["kms.amazonaws.com".into()] } else { vec![] },
                data_resources,
            }];
            let before = EventSelectors { basic: basic.clone(), advanced: vec![] };
            let after = EventSelectors { basic: vec![], advanced: basic_to_advanced(&basic) };
            for p in probe_set() {
                if after.advanced.is_empty() {
                    // Nothing to restate (an empty list would read as CloudTrail's default).
                    prop_assert!(!captures(&before, &p), "{:?}", p);
                } else {
                    prop_assert_eq!(captures(&before, &p), captures(&after, &p), "{:?}", p);
                }
            }
        }
    }

    #[test]
    fn merged_selectors_keep_what_exists_and_add_only_what_is_missing() {
        let req = |sel: AdvancedSelector, probes: Vec<ProbeEvent>| {
            super::super::apply::RequiredSelector {
                selector: sel,
                probes,
            }
        };
        let s3 = AdvancedSelector {
            name: Some("logwarden-s3-data-events".into()),
            field_selectors: vec![
                FieldSelector {
                    field: "eventCategory".into(),
                    equals: vec!["Data".into()],
                    ..FieldSelector::default()
                },
                FieldSelector {
                    field: "resources.type".into(),
                    equals: vec!["AWS::S3::Object".into()],
                    ..FieldSelector::default()
                },
            ],
        };
        let required = vec![req(
            s3.clone(),
            vec![ProbeEvent::s3_object("aws", "any", false, "")],
        )];
        // No selectors at all (CloudTrail's default): management events are restated first.
        let merged = merged_selectors(&EventSelectors::default(), &required).unwrap();
        assert_eq!(merged.len(), 2);
        assert!(captures(
            &EventSelectors {
                basic: vec![],
                advanced: merged.clone()
            },
            &ProbeEvent::management(true, "ec2.amazonaws.com", "DescribeInstances", "")
        ));
        assert_eq!(merged[1], s3);
        // Once captured: nothing to write.
        assert_eq!(
            merged_selectors(
                &EventSelectors {
                    basic: vec![],
                    advanced: merged.clone()
                },
                &required
            ),
            None
        );
    }
}
