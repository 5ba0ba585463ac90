//! Times as AWS and logwarden write them: RFC 3339 both ways. A leaf: it uses nothing of the
//! crate.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A time as RFC 3339 (`2026-12-01T12:00:00Z`).
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// An RFC 3339 time as AWS and the inventory write them, if it is one.
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips_and_refuses_what_is_not_a_time() {
        let t = super::parse("2026-12-01T12:00:00Z").unwrap();
        assert_eq!(super::rfc3339(t), "2026-12-01T12:00:00Z");
        assert_eq!(super::parse("yesterday"), None);
    }
}
