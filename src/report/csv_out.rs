//! CSV: one row per finding, every field of the JSON finding, one column per framework.

use super::Report;

pub fn render_csv(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "check_id",
        "status",
        "severity",
        "account_id",
        "region",
        "resource",
        "message",
        "remediation",
        "cis_aws_v3",
        "cis_aws_v7",
        "aws_fsbp",
        "nist_800_53",
        "exception_reason",
        "exception_expires",
    ]);
    for f in &r.findings {
        let _ = w.write_record([
            f.check_id.as_str(),
            f.status.as_str(),
            f.severity.as_str(),
            f.account_id.as_deref().unwrap_or(""),
            f.region.as_deref().unwrap_or(""),
            &f.resource,
            &f.message,
            &f.remediation,
            &f.frameworks.cis_aws_v3.join(";"),
            &f.frameworks.cis_aws_v7.join(";"),
            &f.frameworks.aws_fsbp.join(";"),
            &f.frameworks.nist_800_53.join(";"),
            f.exception
                .as_ref()
                .map(|e| e.reason.as_str())
                .unwrap_or(""),
            f.exception
                .as_ref()
                .map(|e| e.expires.as_str())
                .unwrap_or(""),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
