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
pub mod attempts;
pub mod call;
pub mod client;
pub mod collect;
pub mod managed;
pub mod memo;
pub mod organizations;

pub use call::{CallCtx, Counter};
pub use client::{AccountSession, AwsOptions};
pub use collect::{collect, CollectRequest};

pub use crate::inventory::CallError;

/// A multi-threaded async runtime for the AWS calls.
pub fn runtime() -> Result<tokio::runtime::Runtime, crate::error::Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| crate::error::Error::Io {
            action: "start",
            path: "the async runtime".into(),
            source,
        })
}
