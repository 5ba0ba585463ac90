//! What apply does for GuardDuty: find the account's detector in the region (or create it,
//! enabled), then enable it and the protection plans the plan names. Existing protection plans
//! keep their status.

use crate::aws::apply::Apply;
use crate::aws::CallCtx;
use crate::inventory::CallError;
use aws_sdk_guardduty::types::{DetectorFeature, DetectorFeatureConfiguration, FeatureStatus};
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations: the GuardDuty
/// service-linked roles made on first enablement (AWS: "Service-linked role permissions for
/// GuardDuty").
pub const IMPLIED: &[&str] = &["iam:CreateServiceLinkedRole"];

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// An enabled detector (created when the account has none in the region) with these
    /// protection plans enabled.
    EnsureDetector { features: Vec<String> },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnsureDetector { .. } => "guardduty:CreateDetector",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let Op::EnsureDetector { features } = self;
        let client = crate::client!(aws_sdk_guardduty, x.session, x.region);
        ensure_detector(&client, &x.reads, &x.writes, features).await
    }
}

/// An enabled detector with `features` running, reached through `client`: created when there
/// is none, else enabled and given the plans it lacks (reads through `reads`, writes through
/// `writes`).
pub async fn ensure_detector(
    client: &aws_sdk_guardduty::Client,
    reads: &CallCtx,
    writes: &CallCtx,
    features: &[String],
) -> Result<(), CallError> {
    let enabled = |names: &[String]| -> Vec<DetectorFeatureConfiguration> {
        names
            .iter()
            .map(|f| {
                DetectorFeatureConfiguration::builder()
                    .name(DetectorFeature::from(f.as_str()))
                    .status(FeatureStatus::Enabled)
                    .build()
            })
            .collect()
    };
    // Re-read: a run interrupted after the creation finds its detector again.
    let pages = reads
        .pages(
            "guardduty:ListDetectors",
            client.list_detectors().into_paginator().send(),
        )
        .await?;
    let Some(id) = pages
        .iter()
        .flat_map(|p| p.detector_ids().iter().cloned())
        .next()
    else {
        writes
            .call(
                "guardduty:CreateDetector",
                client
                    .create_detector()
                    .enable(true)
                    .set_features(Some(enabled(features)).filter(|f| !f.is_empty()))
                    .send(),
            )
            .await?;
        return Ok(());
    };
    let d = reads
        .call(
            "guardduty:GetDetector",
            client.get_detector().detector_id(&id).send(),
        )
        .await?;
    let current: Vec<(String, bool)> = d
        .features()
        .iter()
        .filter_map(|f| {
            Some((
                f.name()?.as_str().to_string(),
                f.status() == Some(&FeatureStatus::Enabled),
            ))
        })
        .collect();
    let running: Vec<&str> = current
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| n.as_str())
        .collect();
    let todo: Vec<String> = features
        .iter()
        .filter(|f| !super::model::runs(&running, f))
        .cloned()
        .collect();
    let disabled = d.status().map(|s| s.as_str()) != Some("ENABLED");
    if !disabled && todo.is_empty() {
        return Ok(());
    }
    let all: Vec<DetectorFeatureConfiguration> = super::model::update_request(&current, &todo)
        .into_iter()
        .map(|(name, on)| {
            DetectorFeatureConfiguration::builder()
                .name(DetectorFeature::from(name.as_str()))
                .status(if on {
                    FeatureStatus::Enabled
                } else {
                    FeatureStatus::Disabled
                })
                .build()
        })
        .collect();
    writes
        .call(
            "guardduty:UpdateDetector",
            client
                .update_detector()
                .detector_id(&id)
                .enable(true)
                .set_features(Some(all).filter(|f| !f.is_empty()))
                .send(),
        )
        .await?;
    Ok(())
}
