//! Bucket name templates (`{org_id}-logs-{account_id}`): the placeholders a profile may use,
//! rendering them, and whether the result is a valid S3 bucket name.

/// Placeholders a bucket name template may use.
pub const PLACEHOLDERS: &[&str] = &["org_id", "account_id", "region", "management_account_id"];

/// Values for a bucket name template.
#[derive(Debug, Clone, Default)]
pub struct TemplateValues<'a> {
    pub org_id: &'a str,
    pub account_id: &'a str,
    pub region: &'a str,
    pub management_account_id: &'a str,
}

/// Fill a bucket name template. Unknown placeholders were rejected when the profile was read.
pub fn render_template(template: &str, v: &TemplateValues) -> String {
    template
        .replace("{org_id}", v.org_id)
        .replace("{account_id}", v.account_id)
        .replace("{region}", v.region)
        .replace("{management_account_id}", v.management_account_id)
}

/// Placeholders used by a template, or the first unknown one.
pub fn template_placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(rest[start..].to_string());
        };
        let name = &rest[start + 1..start + len];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!("{{{name}}}"));
        }
        out.push(name);
        rest = &rest[start + len + 1..];
    }
    Ok(out)
}

/// Whether a rendered name is a valid S3 bucket name (3–63 lowercase letters, digits, dots,
/// hyphens; starts and ends with a letter or digit).
pub fn valid_bucket_name(name: &str) -> bool {
    let b = name.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'.')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// Check a bucket name template at `path`: known placeholders only, `{account_id}` and
/// `{region}` when one bucket is made per account and region, and a valid bucket name.
pub fn check_template(
    template: &str,
    path: &[&'static str],
    per_account_region: bool,
) -> Result<(), super::Issue> {
    use super::Issue;
    let used = template_placeholders(template).map_err(|bad| {
        Issue::at(
            path,
            format!("unknown placeholder `{bad}` in bucket name template `{template}`"),
            "use {org_id}, {account_id}, {region} or {management_account_id}",
        )
    })?;
    if per_account_region && !(used.contains(&"account_id") && used.contains(&"region")) {
        return Err(Issue::at(
            path,
            format!("bucket name template `{template}` must contain {{account_id}} and {{region}}"),
            "one such bucket is made per account and region, and bucket names are global",
        ));
    }
    let sample = render_template(
        template,
        &TemplateValues {
            org_id: "o-abcdefghij",
            account_id: "111111111111",
            region: "ap-southeast-2",
            management_account_id: "111111111111",
        },
    );
    if !valid_bucket_name(&sample) {
        return Err(Issue::at(
            path,
            format!("bucket name template `{template}` gives `{sample}`, which is not a valid bucket name"),
            "bucket names are 3-63 lowercase letters, digits, hyphens and dots",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_render_and_reject_unknown_placeholders() {
        let v = TemplateValues {
            org_id: "o-abc",
            account_id: "111111111111",
            region: "eu-west-1",
            management_account_id: "222222222222",
        };
        assert_eq!(
            render_template("{org_id}-logs-{account_id}-{region}", &v),
            "o-abc-logs-111111111111-eu-west-1"
        );
        assert_eq!(
            template_placeholders("{org_id}-x-{region}").unwrap(),
            vec!["org_id", "region"]
        );
        assert_eq!(template_placeholders("{orgid}-x").unwrap_err(), "{orgid}");
        assert!(template_placeholders("x-{org_id").is_err());
    }

    #[test]
    fn bucket_names_are_checked() {
        assert!(valid_bucket_name("o-abc-logs-111111111111"));
        assert!(!valid_bucket_name("O-ABC"));
        assert!(!valid_bucket_name("ab"));
        assert!(!valid_bucket_name(&"a".repeat(64)));
        assert!(!valid_bucket_name("-abc"));
    }
}
