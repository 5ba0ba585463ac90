//! Everything that talks to AWS. The only module where SDK types appear.
//!
//! [`client`] builds the SDK configuration (credential chain, profile, endpoint override,
//! retries and timeouts) and assumes roles into member accounts; [`call`] wraps every API call
//! (counting it and turning SDK errors into [`CallError`]s that name the account, region,
//! operation and IAM action); one collector file per service turns responses into the
//! [`crate::inventory`] model; [`collect`] fans out over accounts × regions under one
//! concurrency cap.

pub mod budgets;
pub mod call;
pub mod client;
pub mod cloudtrail;
pub mod collect;
pub mod config_service;
pub mod ec2;
pub mod elb;
pub mod kms;
pub mod managed;
pub mod mutate;
pub mod organizations;
pub mod s3;

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
