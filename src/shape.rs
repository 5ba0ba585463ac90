//! The types the source registry assembles (`crate::sources`), which the shared machinery is
//! generic over: the profile, the data every source reads per account and per account × region,
//! and the operations `apply` performs. The machinery never names a source; the registry names
//! [`Shape`]'s types once, at the top.

use crate::inventory::Fallible;
use crate::profile::Profile;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

/// Data the inventory holds for every source at once (what one account, or one account ×
/// region, read): serializable, comparable, and able to say that nothing could be read.
pub trait Data:
    Clone + Debug + PartialEq + Serialize + DeserializeOwned + Fallible + Send + Sync + 'static
{
}

impl<T> Data for T where
    T: Clone + Debug + PartialEq + Serialize + DeserializeOwned + Fallible + Send + Sync + 'static
{
}

/// What the registry assembles from its sources.
pub trait Shape: Sized + Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The profile: the common keys and every source's sections.
    type Baseline: Profile;
    /// What the sources read account-wide.
    type AccountData: Data;
    /// What the sources read in one account × region.
    type RegionData: Data;
    /// What the sources read for `plan` beyond the audit.
    type PlanData: Clone + Debug + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static;
    /// An operation `apply` performs (any source's).
    type Op: Clone + Debug + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static;
}
