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

/// A multi-threaded async runtime for the AWS calls.
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Failure::Runtime)
}
