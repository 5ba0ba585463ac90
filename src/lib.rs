//! logwarden: audit and enforce the logging baseline of an AWS Organization.
//!
//! The pipeline is `cli` → [`config`] (validated settings) → [`commands`] (orchestration) →
//! [`aws`] (the only module that touches the AWS SDK) → [`inventory`] (a serde model) →
//! [`rules`] (pure checks against a [`baseline`]) → [`report`] (every format from one
//! evaluated report).

pub mod apply;
pub mod arn;
pub mod aws;
pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diff;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod exceptions;
pub mod facts;
pub mod finding;
pub mod frameworks;
pub mod inventory;
pub mod io;
pub mod permissions;
pub mod plan;
pub mod profile;
pub mod query;
pub mod report;
pub mod rules;
pub mod shape;
pub mod sources;
pub mod timefmt;
