//! The shared AWS plumbing. SDK types appear only here and in the sources' `collect.rs` and
//! apply files.
//!
//! [`client`] builds the SDK configuration (credential chain, profile, endpoint override,
//! retries and timeouts) and assumes roles into member accounts; [`call`] wraps every API call
//! (counting it, capping how many are in flight, and turning SDK errors into [`CallError`]s that
//! name the account, region, operation and IAM action); [`collect`] discovers the organization
//! and runs every source's collectors over accounts × regions; [`memo`] shares reads between
//! collectors; [`organizations`] lists accounts, organizational units and regions.

pub mod apply;
pub mod athena;
pub mod attempts;
pub mod call;
pub mod client;
pub mod collect;
pub mod memo;
pub mod objects;
pub mod organizations;

pub use call::{CallCtx, Counter};
pub use client::{AccountSession, AwsOptions};
pub use collect::CollectRequest;

pub use crate::inventory::CallError;

/// Why a run could not go on at all (anything narrower is a [`CallError`] in the inventory).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Who the caller is could not be learnt (sts:GetCallerIdentity).
    #[error("the caller could not be identified: {}", .0.summary())]
    Credentials(Box<CallError>),
    /// The organization (or its accounts) could not be read.
    #[error("the organization could not be read: {}", .0.summary())]
    Organization(Box<CallError>),
    /// The request cannot be met (an account or region outside the scope...): what and why.
    #[error("{0}")]
    Usage(String),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// The async runtime for the AWS calls: one thread.
///
/// The collection is one future (every account's reads joined, `engine::collect`), so the SDK's
/// work already ran on one thread; a multi-threaded runtime only moved the HTTP connections'
/// tasks to worker threads, and every answer then crossed threads to wake the reads waiting on
/// it. At 1,000 accounts × 17 regions that cost about a fifth of the CPU (113 s against 93 s,
/// most of it the kernel's wake-ups) for the same wall time (docs/performance.md). More cores
/// are used by running shards side by side (`audit --shard K/N`).
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Failure::Runtime)
}

/// An SDK timestamp as RFC 3339 in UTC, to the second (`None` when out of range).
pub fn rfc3339(t: &aws_smithy_types::DateTime) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(t.secs())
        .ok()
        .map(crate::timefmt::rfc3339)
}
