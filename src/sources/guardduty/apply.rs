//! What apply does for GuardDuty: find the account's detector in the region (or create it,
//! enabled), then enable it and the protection plans the plan names. Existing protection plans
//! keep their status.

use crate::aws::apply::Apply;
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
        let pages = x
            .reads
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
            x.writes
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
        let d = x
            .reads
            .call(
                "guardduty:GetDetector",
                client.get_detector().detector_id(&id).send(),
            )
            .await?;
        let on = |name: &str| {
            d.features().iter().any(|f| {
                f.name().map(|n| n.as_str()) == Some(name)
                    && f.status() == Some(&FeatureStatus::Enabled)
            })
        };
        let todo: Vec<String> = features.iter().filter(|f| !on(f)).cloned().collect();
        let disabled = d.status().map(|s| s.as_str()) != Some("ENABLED");
        if !disabled && todo.is_empty() {
            return Ok(());
        }
        // The plans already configured are sent back with their status, so nothing is turned
        // off whether the service merges or replaces the list.
        let mut all: Vec<DetectorFeatureConfiguration> = d
            .features()
            .iter()
            .filter_map(|f| {
                let name = f.name()?.as_str();
                if todo.iter().any(|t| t == name) {
                    return None;
                }
                Some(
                    DetectorFeatureConfiguration::builder()
                        .name(DetectorFeature::from(name))
                        .set_status(f.status().cloned())
                        .build(),
                )
            })
            .collect();
        all.extend(enabled(&todo));
        x.writes
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
}
