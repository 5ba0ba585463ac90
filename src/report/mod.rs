//! The evaluated report: built once from inventory + evaluation, then rendered in every format.
//!
//! The JSON form is a documented, versioned contract (`docs/report-format.md`); its structs
//! deny unknown fields on the way back in, so tests catch any silent schema change.

mod catalog;
pub mod crosswalk;
mod csv_out;
pub mod escape;
mod html;
mod junit;
mod markdown;
mod sarif;
pub mod security;
mod table;

pub use catalog::{Catalog, Coverage, SourceInfo};
pub use csv_out::render_csv;
pub use html::render_html;
pub use junit::render_junit;
pub use markdown::render_markdown;
pub use sarif::render_sarif;
pub use security::{render_asff, render_ocsf};
pub use table::{render_table, render_table_width, FILE_WIDTH};

use crate::exceptions::ExceptionReport;
use crate::finding::{CoverageCell, CoverageState, Finding, Lookback, Severity, Status};
use crate::frameworks::Framework;
use crate::inventory::{CallError, Inventory, ScopeMode};
use crate::profile::Profile;
use crate::rules::Evaluation;
use crate::shape::Shape;
use crosswalk::FrameworkScore;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The formats a report renders to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Sarif,
    Junit,
    Csv,
    Ocsf,
    Asff,
    Markdown,
    Html,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Table,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Csv,
        Format::Ocsf,
        Format::Asff,
        Format::Markdown,
        Format::Html,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Csv => "csv",
            Format::Ocsf => "ocsf",
            Format::Asff => "asff",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Format::Table => "Coverage matrix and failing findings (default on a terminal)",
            Format::Json => "The documented, versioned report (default otherwise)",
            Format::Sarif => "SARIF 2.1.0 (GitHub code scanning)",
            Format::Junit => "JUnit XML (CI test reports)",
            Format::Csv => "One row per finding",
            Format::Ocsf => "OCSF Compliance Finding events, JSON Lines (Security Lake)",
            Format::Asff => "AWS Security Finding Format (Security Hub)",
            Format::Markdown => "Pull-request comments and CI job summaries",
            Format::Html => "One self-contained, printable page",
        }
    }

    /// The file name `--output-dir` writes this format to.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Table => "report.txt",
            Format::Json => "report.json",
            Format::Sarif => "report.sarif",
            Format::Junit => "report.junit.xml",
            Format::Csv => "report.csv",
            Format::Ocsf => "report.ocsf.jsonl",
            Format::Asff => "report.asff.json",
            Format::Markdown => "report.md",
            Format::Html => "report.html",
        }
    }
}

/// Every format from the one evaluated report.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => report.to_json(),
        Format::Table => render_table(report),
        Format::Sarif => render_sarif(report),
        Format::Junit => render_junit(report),
        Format::Csv => render_csv(report),
        Format::Ocsf => render_ocsf(report),
        Format::Asff => render_asff(report),
        Format::Markdown => render_markdown(report),
        Format::Html => render_html(report),
    }
}

/// [`render`] written to `w` as it is produced: JSON is serialized straight to the writer (a
/// report of a thousand accounts is hundreds of megabytes as text); the other formats are
/// rendered whole first.
pub fn render_to(
    report: &Report,
    format: Format,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, report).map_err(std::io::Error::from)?;
            w.write_all(b"\n")
        }
        _ => w.write_all(render(report, format).as_bytes()),
    }
}

/// Version of the report format. Bumped on any incompatible change.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub generated_at: String,
    pub inventory_collected_at: String,
    pub baseline: BaselineRef,
    pub scope: AuditScope,
    /// The framework the findings were filtered to (`--framework`), if any.
    pub framework: Option<Framework>,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    pub coverage: Vec<CoverageCell>,
    /// How far back each account's management events can be read.
    pub lookback: Vec<Lookback>,
    /// Per framework (or only the filtered one): each control's status and a score.
    pub framework_scores: Vec<FrameworkScore>,
    /// Every exception of `--exceptions`, active or expired, with how many findings it matched.
    pub exceptions: Vec<ExceptionReport>,
    pub errors: Vec<CallError>,
    /// What the registry says of its sources and checks (titles, coverage columns, fixes): not
    /// part of the JSON report, which names checks and sources by id.
    #[serde(skip)]
    #[schemars(skip)]
    pub catalog: Catalog,
}

/// What the CI gate (`audit`'s exit code) says of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Nothing the gate counts fails or could not be judged.
    Pass,
    /// A finding at or above `--fail-on` fails.
    Failing,
    /// Nothing fails, but a finding the gate counts could not be judged: it may be failing.
    Unjudged,
}

/// How the gate counts findings that could not be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknowns {
    /// Those at or above `--fail-on` (the default: an unknown may be a failure).
    AtOrAbove,
    /// Every one, whatever its severity (`--fail-on-unknown`).
    Any,
    /// None (`--allow-unknown`: partial reads accepted).
    Allowed,
}

/// What to do with the evaluation before reporting it.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub framework: Option<Framework>,
    pub exceptions: Vec<crate::exceptions::Exception>,
    /// When the report is made: its `generated_at`, and the day exceptions expire against.
    pub now: time::OffsetDateTime,
}

impl ReportOptions {
    /// No framework filter, no exceptions.
    pub fn at(now: time::OffsetDateTime) -> Self {
        ReportOptions {
            framework: None,
            exceptions: vec![],
            now,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BaselineRef {
    pub name: String,
    pub source: String,
}

impl BaselineRef {
    /// The profile a report judges by: its name and where it was loaded from.
    pub fn of<B: Profile>(loaded: &crate::baseline::LoadedBaseline<B>) -> BaselineRef {
        BaselineRef {
            name: loaded.baseline.name().to_string(),
            source: loaded.source.clone(),
        }
    }
}

// The accounts and regions the report covers, and how they were reached (a plain comment: the
// published schema has no description for it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scope")]
pub struct AuditScope {
    pub mode: ScopeMode,
    pub mode_reason: Option<String>,
    pub organization_id: Option<String>,
    pub management_account_id: Option<String>,
    pub caller_account_id: String,
    pub accounts: Vec<AccountRef>,
    pub regions: Vec<String>,
    /// Enabled regions `--regions` left out: what may live only there is unknown, not absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions_left_out: Vec<String>,
}

impl AuditScope {
    /// The audited regions for a header line, and those `--regions` left out.
    pub fn regions_line(&self) -> String {
        let mut line = self.regions.join(", ");
        if !self.regions_left_out.is_empty() {
            line.push_str(&format!(
                " (left out by --regions: {})",
                crate::inventory::first_few(&self.regions_left_out)
            ));
        }
        line
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountRef {
    pub id: String,
    pub name: Option<String>,
    /// False when the role could not be assumed.
    pub audited: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub total: usize,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub not_applicable: usize,
    pub excepted: usize,
    /// Failing findings per severity.
    pub failing_by_severity: BTreeMap<Severity, usize>,
}

impl Report {
    pub fn build<S: Shape>(
        inv: &Inventory<S>,
        baseline: BaselineRef,
        eval: Evaluation,
        opts: &ReportOptions,
        catalog: Catalog,
    ) -> Report {
        let Evaluation {
            mut findings,
            coverage,
            lookback,
        } = eval;
        let exceptions = crate::exceptions::apply(&mut findings, &opts.exceptions, opts.now.date());
        if let Some(fw) = opts.framework {
            findings.retain(|f| !f.frameworks.of(fw).is_empty());
        }
        let framework_scores = match opts.framework {
            Some(fw) => vec![crosswalk::score(fw, &findings, &catalog.checks)],
            None => Framework::ALL
                .iter()
                .map(|fw| crosswalk::score(*fw, &findings, &catalog.checks))
                .collect(),
        };
        let mut summary = Summary {
            total: findings.len(),
            ..Default::default()
        };
        for f in &findings {
            match f.status {
                Status::Pass => summary.pass += 1,
                Status::Fail => {
                    summary.fail += 1;
                    *summary.failing_by_severity.entry(f.severity).or_default() += 1;
                }
                Status::Unknown => summary.unknown += 1,
                Status::NotApplicable => summary.not_applicable += 1,
                Status::Excepted => summary.excepted += 1,
            }
        }
        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            generated_at: crate::timefmt::rfc3339(opts.now),
            inventory_collected_at: inv.collected_at.clone(),
            baseline,
            scope: AuditScope {
                mode: inv.mode,
                mode_reason: inv.mode_reason.clone(),
                organization_id: inv.organization.as_ref().map(|o| o.id.clone()),
                management_account_id: inv
                    .organization
                    .as_ref()
                    .map(|o| o.management_account_id.clone()),
                caller_account_id: inv.caller_account_id.clone(),
                accounts: inv
                    .accounts
                    .iter()
                    .map(|a| AccountRef {
                        id: a.account_id.clone(),
                        name: a.name.clone(),
                        audited: a.access.value().is_some(),
                    })
                    .collect(),
                regions: inv.regions.clone(),
                regions_left_out: inv.regions_left_out.clone(),
            },
            framework: opts.framework,
            summary,
            findings,
            coverage,
            lookback,
            framework_scores,
            exceptions,
            errors: inv.errors(),
            catalog,
        }
    }

    /// The CI gate: failing when a finding at or above `fail_on` fails; else unjudged when a
    /// finding the policy counts could not be judged (it may be failing); else passing.
    /// Excepted findings never fail the gate.
    pub fn gate(&self, fail_on: Severity, unknowns: Unknowns) -> Gate {
        let at = |f: &&Finding| f.severity.at_least(fail_on);
        if self
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .any(|f| at(&f))
        {
            return Gate::Failing;
        }
        let counted = self
            .findings
            .iter()
            .filter(|f| f.status == Status::Unknown)
            .any(|f| match unknowns {
                Unknowns::AtOrAbove => at(&f),
                Unknowns::Any => true,
                Unknowns::Allowed => false,
            });
        if counted {
            Gate::Unjudged
        } else {
            Gate::Pass
        }
    }

    /// How many findings could not be judged and why (the failed calls by kind, with their IAM
    /// actions), for the top of every human report; `None` when every finding was judged.
    pub fn unjudged(&self) -> Option<String> {
        if self.summary.unknown == 0 {
            return None;
        }
        use crate::inventory::ErrorKind::*;
        let mut by_kind: BTreeMap<&str, (usize, std::collections::BTreeSet<&str>)> =
            BTreeMap::new();
        for e in &self.errors {
            let label = match e.kind() {
                Denied => "denied",
                Throttled => "throttled",
                Server => "server errors",
                Timeout => "timed out",
                Network => "unreachable",
                Credentials => "credentials rejected",
                AssumeRole => "role not assumed",
                Other => "failed",
            };
            let entry = by_kind.entry(label).or_default();
            entry.0 += 1;
            entry.1.insert(&e.iam_action);
        }
        let why: Vec<String> = by_kind
            .into_iter()
            .map(|(label, (n, actions))| {
                let mut names: Vec<&str> = actions.into_iter().collect();
                let more = names.len().saturating_sub(3);
                names.truncate(3);
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("{n} {label} ({}{more})", names.join(", "))
            })
            .collect();
        let because = if why.is_empty() {
            String::new()
        } else {
            format!(
                ": {} AWS call(s) failed: {}",
                self.errors.len(),
                why.join(", ")
            )
        };
        Some(format!(
            "{} of {} finding(s) could not be judged (unknown: they may be failing){because}",
            self.summary.unknown, self.summary.total
        ))
    }

    /// One line per active organization-wide exception, for the top of every human report:
    /// "organization-wide exception: CHECK on RESOURCE in every account until DATE (N
    /// finding(s) excepted): REASON".
    pub fn organization_wide_exceptions(&self) -> Vec<String> {
        self.exceptions
            .iter()
            .filter(|e| {
                e.organization_wide && e.state == crate::exceptions::ExceptionState::Active
            })
            .map(|e| {
                format!(
                    "organization-wide exception: {} on {} in every account until {} ({} finding(s) excepted): {}",
                    e.check_id, e.resource, e.expires, e.matched, e.reason
                )
            })
            .collect()
    }

    /// "14 failing, 2 unknown across 5 accounts and 2 regions"
    pub fn summary_line(&self) -> String {
        let n =
            |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        format!(
            "{} failing, {} unknown across {} and {}",
            self.summary.fail,
            self.summary.unknown,
            n(self.scope.accounts.len(), "account", "accounts"),
            n(self.scope.regions.len(), "region", "regions"),
        )
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the report serializes") + "\n"
    }
}

/// The coverage matrix rows: ("id name", one combined state per source across regions).
pub fn coverage_by_account(r: &Report) -> Vec<(String, Vec<CoverageState>)> {
    r.scope
        .accounts
        .iter()
        .map(|a| {
            let label = match &a.name {
                Some(n) => format!("{} {n}", a.id),
                None => a.id.clone(),
            };
            let row = r
                .catalog
                .coverage_columns()
                .map(|(s, _)| {
                    CoverageState::combine(
                        r.coverage
                            .iter()
                            .filter(|c| c.account_id == a.id && c.source == s)
                            .map(|c| c.state),
                    )
                })
                .collect();
            (label, row)
        })
        .collect()
}

/// Rows of the lookback table: an account's label and its lookback per source.
pub type LookbackRows<'a> = Vec<(String, Vec<Option<&'a Lookback>>)>;

/// The lookback as one table: the sources that report one for some account (registry order),
/// and per account its days for each (`None`: the source has no row for it), the accounts
/// that can answer least first (gaps first; then by account).
pub fn lookback_by_account(r: &Report) -> (Vec<&'static str>, LookbackRows<'_>) {
    let sources: Vec<&'static str> = r
        .catalog
        .lookback_sources()
        .into_iter()
        .filter(|s| r.lookback.iter().any(|l| l.source == *s))
        .collect();
    let mut rows: Vec<(u32, String, Vec<Option<&Lookback>>)> = r
        .scope
        .accounts
        .iter()
        .filter_map(|a| {
            let row: Vec<Option<&Lookback>> = sources
                .iter()
                .map(|s| {
                    r.lookback
                        .iter()
                        .find(|l| l.account_id == a.id && l.source == *s)
                })
                .collect();
            let least = row.iter().flatten().map(|l| l.days).min()?;
            let label = match &a.name {
                Some(n) => format!("{} {n}", a.id),
                None => a.id.clone(),
            };
            Some((least, label, row))
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    (
        sources,
        rows.into_iter()
            .map(|(_, label, row)| (label, row))
            .collect(),
    )
}

/// A lookback cell: `365 d`, `90 d (event history)` for a service's own floor, `-` for none.
pub fn lookback_cell(l: Option<&Lookback>) -> String {
    match l {
        None => "-".into(),
        Some(l) => match l.floor {
            Some(f) => format!("{} d ({f})", l.days),
            None => format!("{} d", l.days),
        },
    }
}

/// The JSON Schema of the report (`docs/report.schema.json` is exactly this), with the ids of
/// the sources that fill a coverage column and of the sources with a lookback (the registry's).
pub fn json_schema(coverage_sources: &[&str], lookback_sources: &[&str]) -> String {
    let mut schema = serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default();
    for (def, ids) in [
        ("CoverageCell", coverage_sources),
        ("Lookback", lookback_sources),
    ] {
        if let Some(source) = schema["$defs"][def]["properties"]["source"].as_object_mut() {
            source.insert("enum".into(), serde_json::json!(ids));
        }
    }
    serde_json::to_string_pretty(&schema).expect("the schema serializes") + "\n"
}

impl Report {
    /// The next step for a failing finding: "run `logwarden plan`" where apply fixes its
    /// check, then its remediation.
    pub fn next_step(&self, f: &Finding) -> String {
        let fix = self
            .catalog
            .check(&f.check_id)
            .map(|c| c.fix)
            .unwrap_or(crate::rules::Fix::Manual);
        fix.next_step(&f.remediation)
    }

    /// The next step for each failing check, once per check.
    pub fn next_steps(&self, failing: &[&Finding]) -> Vec<(String, String)> {
        let mut seen = std::collections::BTreeSet::new();
        failing
            .iter()
            .filter(|f| seen.insert(f.check_id.as_str()))
            .map(|f| (f.check_id.clone(), self.next_step(f)))
            .collect()
    }
}

/// Failing findings grouped by severity, most severe first; severities without any are left out.
pub fn failing_by_severity(r: &Report) -> Vec<(Severity, Vec<&Finding>)> {
    [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ]
    .into_iter()
    .map(|sev| {
        let rows: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail && f.severity == sev)
            .collect();
        (sev, rows)
    })
    .filter(|(_, rows)| !rows.is_empty())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regions_line_names_a_few_regions_left_out_and_counts_the_rest() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut scope = AuditScope {
            mode: ScopeMode::Organization,
            mode_reason: None,
            organization_id: None,
            management_account_id: None,
            caller_account_id: "111111111111".into(),
            accounts: vec![],
            regions: names(&["us-east-1", "eu-west-1"]),
            regions_left_out: vec![],
        };
        assert_eq!(scope.regions_line(), "us-east-1, eu-west-1");
        scope.regions_left_out = names(&["a-1", "b-1", "c-1", "d-1", "e-1", "f-1"]);
        assert_eq!(
            scope.regions_line(),
            "us-east-1, eu-west-1 (left out by --regions: a-1, b-1, c-1, d-1 and 2 more)"
        );
    }
}
