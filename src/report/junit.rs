//! JUnit XML (through the `quick-junit` crate): one test suite per check, one test case per judged
//! resource; `<failure>` for fail, `<skipped>` for not applicable and excepted, `<error>` for unknown.

use super::Report;
use crate::finding::Status;
use quick_junit::{NonSuccessKind, Report as JReport, TestCase, TestCaseStatus, TestSuite};

pub fn render_junit(r: &Report) -> String {
    let mut report = JReport::new("logwarden");
    for check in &r.catalog.checks {
        let findings: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.check_id == check.id)
            .collect();
        if findings.is_empty() {
            continue;
        }
        let mut suite = TestSuite::new(check.id);
        for f in findings {
            let name = match (&f.account_id, &f.region) {
                (Some(a), Some(reg))
                    if !f.resource.contains(a.as_str()) || !f.resource.contains(reg.as_str()) =>
                {
                    format!("{} [{a} {reg}]", f.resource)
                }
                (Some(a), None) if !f.resource.contains(a.as_str()) => {
                    format!("{} [{a}]", f.resource)
                }
                _ => f.resource.clone(),
            };
            let status = match f.status {
                Status::Pass => TestCaseStatus::success(),
                Status::Fail => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(f.message.clone())
                        .set_type(f.severity.as_str())
                        .set_description(format!(
                            "{}\n\nRemediation: {}",
                            f.message, f.remediation
                        ));
                    s
                }
                Status::Unknown => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                    s.set_message(f.message.clone()).set_type("unknown");
                    s
                }
                Status::NotApplicable => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(f.message.clone());
                    s
                }
                Status::Excepted => {
                    let mut s = TestCaseStatus::skipped();
                    let why = f.exception.as_ref().map(|e| e.describe());
                    s.set_message(why.unwrap_or_else(|| "excepted".into()));
                    s
                }
            };
            let mut case = TestCase::new(name, status);
            case.set_classname(check.id);
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().unwrap_or_default()
}
