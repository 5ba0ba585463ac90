//! Planning changes toward the baseline (issue #3, in progress). So far: the merges that apply
//! will need, because AWS replaces lifecycle configurations, bucket and key policies and event
//! selectors wholesale. They are pure and property-tested: nothing the baseline does not own is
//! ever dropped or altered.

pub mod merge;
