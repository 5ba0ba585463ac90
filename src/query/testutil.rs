//! What the query tests of every source share: the context of a `logwarden query` run over the
//! test organization (`rules::testutil::org`), for 2026-11-29 to 2026-12-01.

use super::QueryCtx;
use crate::rules::testutil::{MEMBER, MGMT, R1, R2};
use time::macros::date;

pub fn query_ctx() -> QueryCtx {
    QueryCtx {
        database: "logwarden".into(),
        org_id: Some("o-example".into()),
        accounts: vec![MGMT.into(), MEMBER.into()],
        regions: vec![R1.into(), R2.into()],
        since: date!(2026 - 11 - 29),
        until: date!(2026 - 12 - 01),
        only_accounts: vec![],
        parquet_location: Some("s3://analysis/parquet/".into()),
        reader: None,
    }
}
