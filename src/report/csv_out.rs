//! CSV: one row per finding, every field of the JSON finding, one column per framework.

use super::Report;
use crate::frameworks::Framework;

pub fn render_csv(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "check_id",
        "status",
        "severity",
        "account_id",
        "region",
        "resource",
        "message",
        "remediation",
    ];
    header.extend(Framework::ALL.iter().map(|f| f.key()));
    header.extend(["exception_reason", "exception_expires"]);
    let _ = w.write_record(header);
    for f in &r.findings {
        let controls: Vec<String> = Framework::ALL
            .iter()
            .map(|fw| f.frameworks.of(*fw).join(";"))
            .collect();
        let mut row = vec![
            f.check_id.as_str(),
            f.status.as_str(),
            f.severity.as_str(),
            f.account_id.as_deref().unwrap_or(""),
            f.region.as_deref().unwrap_or(""),
            &f.resource,
            &f.message,
            &f.remediation,
        ];
        row.extend(controls.iter().map(String::as_str));
        row.extend([
            f.exception
                .as_ref()
                .map(|e| e.reason.as_str())
                .unwrap_or(""),
            f.exception
                .as_ref()
                .map(|e| e.expires.as_str())
                .unwrap_or(""),
        ]);
        let _ = w.write_record(row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
