//! `logwarden evidence pull` and `evidence verify`: copy a window of logs out of the buckets the
//! inventory says they land in (the layouts `logwarden query` projects), validate CloudTrail's
//! with its digests, write the chain-of-custody manifest; and judge such a copy again offline.
//!
//! A pull resumes: every file it finishes is recorded in `DIR/.pull-journal.jsonl` (location,
//! ETag, SHA-256, a digest's signature); a later pull into the same folder reuses a file whose
//! ETag is unchanged and whose copy still hashes to what was recorded.

use crate::aws::apply::Executor;
use crate::aws::objects::{self, Listed};
use crate::aws::CallCtx;
use crate::config::{EvidencePullConfig, EvidenceVerifyConfig};
use crate::error::Error;
use crate::evidence::layout::{self, Listing};
use crate::evidence::validate::{self, Content, Loc};
use crate::evidence::{self as ev, records, Entry, Kind, Manifest, Status};
use crate::query::{QueryCtx, Table};
use crate::sources::{Inventory, Sources};
use futures::StreamExt;
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// How long after a log file's delivery the digest that signs it can arrive: CloudTrail
/// delivers a digest for each hour, within about an hour.
const DIGEST_LAG: time::Duration = time::Duration::hours(2);
const JOURNAL: &str = ".pull-journal.jsonl";
const MANIFEST: &str = "manifest.json";

/// One finished download, as the journal records it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Done {
    bucket: String,
    key: String,
    etag: Option<String>,
    version_id: Option<String>,
    size: u64,
    sha256: String,
    signature: Option<String>,
    signature_algorithm: Option<String>,
}

/// The pull's shared state: sessions, where each bucket is, the journal, what went wrong.
struct Puller<'a> {
    exec: &'a Executor,
    out: &'a Path,
    /// Bucket → (owning account, region).
    buckets: BTreeMap<String, (String, String)>,
    fallback: (String, String),
    journal: Mutex<(BTreeMap<Loc, Done>, Option<std::fs::File>)>,
    downloaded: std::sync::atomic::AtomicUsize,
    reused: std::sync::atomic::AtomicUsize,
    errors: Mutex<Vec<String>>,
    progress: ProgressBar,
}

/// `evidence pull`.
pub fn pull(
    cfg: EvidencePullConfig,
    show_progress: bool,
    quiet: bool,
    stdout: &mut dyn Write,
) -> Result<i32, Error> {
    crate::io::check_writable_dir(&cfg.out)?;
    let inventory = match &cfg.inventory {
        Some(p) => crate::inventory::load::<Sources>(p)?,
        None => {
            super::collect_inventory(&cfg.request, &cfg.baseline.baseline, show_progress, quiet)?
        }
    };
    let tables = source_tables(&inventory, &cfg);
    if tables.is_empty() {
        eprintln!(
            "error: the inventory shows no {} logs delivered to S3 in the accounts and regions asked\n  hint: `logwarden audit` shows where each source's logs land; `logwarden query` lists the layouts evidence reads",
            cfg.source
        );
        return Ok(2);
    }
    let digests_until = cfg.until + DIGEST_LAG;
    let mut lists: Vec<Listing> = Vec::new();
    let accounts = cfg.request.accounts.clone().unwrap_or_default();
    let regions = cfg.request.regions.clone().unwrap_or_default();
    for t in &tables {
        lists.extend(layout::listings(
            t,
            Kind::Log,
            &layout::days(cfg.since, digests_until),
            &accounts,
            &regions,
        ));
        if let Some(d) = layout::digest_table(t) {
            lists.extend(layout::listings(
                &d,
                Kind::Digest,
                &layout::days(cfg.since, digests_until),
                &accounts,
                &regions,
            ));
        }
    }
    let buckets = bucket_homes(&inventory);
    // Sessions only where the logs are: the accounts owning the tables' buckets, and the
    // caller (CloudTrail's public keys).
    let mut who: BTreeSet<String> = tables
        .iter()
        .filter_map(|t| buckets.get(&t.bucket).map(|(a, _)| a.clone()))
        .collect();
    who.insert(inventory.caller_account_id.clone());
    let who: Vec<String> = who.into_iter().collect();
    let rt = crate::aws::runtime()?;
    let aws = &cfg.request.aws;
    let exec = rt.block_on(Executor::connect_as(
        aws,
        &who,
        cfg.request.concurrency,
        &aws.role_name,
        "logwarden-evidence",
    ))?;
    let progress = if show_progress {
        let pb = ProgressBar::new(0);
        pb.set_style(crate::io::progress_counting());
        pb
    } else {
        ProgressBar::hidden()
    };
    let puller = Puller {
        exec: &exec,
        out: &cfg.out,
        buckets,
        fallback: (
            inventory.caller_account_id.clone(),
            aws.region.clone().unwrap_or_else(|| "us-east-1".into()),
        ),
        journal: Mutex::new((read_journal(&cfg.out), None)),
        downloaded: Default::default(),
        reused: Default::default(),
        errors: Mutex::new(Vec::new()),
        progress,
    };
    let (files, content) = rt.block_on(puller.run(&cfg, &lists, digests_until));
    let keys = match &cfg.public_keys {
        Some(k) => k.clone(),
        None if cfg.source == "cloudtrail" => rt.block_on(puller.public_keys(&files, &cfg)),
        None => Vec::new(),
    };
    puller.progress.finish_and_clear();
    let files = judge(cfg.source, files, &content, &keys, cfg.since);
    if cfg.parquet {
        write_parquet(&cfg.out, &files, &tables)?;
    }
    let errors = puller.errors.into_inner().unwrap_or_default();
    let manifest = Manifest {
        logwarden: env!("CARGO_PKG_VERSION").into(),
        source: cfg.source.into(),
        since: crate::timefmt::rfc3339(cfg.since),
        until: crate::timefmt::rfc3339(cfg.until),
        digests_from: crate::timefmt::rfc3339(cfg.since),
        public_keys: keys,
        summary: ev::summarize(&files),
        files,
        errors: errors.clone(),
    };
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    crate::io::write_file(&cfg.out.join(MANIFEST), &text)?;
    if !quiet {
        eprintln!(
            "pulled {} file(s) into {} ({} downloaded, {} already there and unchanged); manifest: {}",
            manifest.files.iter().filter(|f| f.present()).count(),
            cfg.out.display(),
            puller.downloaded.load(std::sync::atomic::Ordering::Relaxed),
            puller.reused.load(std::sync::atomic::Ordering::Relaxed),
            cfg.out.join(MANIFEST).display()
        );
    }
    crate::io::write_stdout(stdout, &report(&manifest))?;
    for e in &errors {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        eprintln!(
            "the pull is incomplete: {} read(s) failed; run it again to resume",
            errors.len()
        );
        return Ok(2);
    }
    Ok(ev::exit_code(&manifest.files))
}

/// The tables of the asked source (each a bucket and key layout).
fn source_tables(inv: &Inventory, cfg: &EvidencePullConfig) -> Vec<Table> {
    let ctx = QueryCtx {
        reader: None,
        database: "logwarden".into(),
        org_id: inv.organization.as_ref().map(|o| o.id.clone()),
        accounts: inv.accounts.iter().map(|a| a.account_id.clone()).collect(),
        regions: inv.regions.clone(),
        since: cfg.since.date(),
        until: cfg.until.date(),
        only_accounts: Vec::new(),
        parquet_location: None,
    };
    let found = crate::engine::query::<Sources>(inv, &ctx);
    let mut out: Vec<Table> = Vec::new();
    for t in found.tables.into_iter().filter(|t| t.source == cfg.source) {
        // Two tables over one layout (an organization trail's shadows) are listed once.
        if !out
            .iter()
            .any(|o| o.bucket == t.bucket && o.template == t.template)
        {
            out.push(t);
        }
    }
    out
}

/// Each bucket the inventory read: the account that owns it and its region.
fn bucket_homes(inv: &Inventory) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for a in &inv.accounts {
        for b in a.data.s3_access_logs.buckets.value().into_iter().flatten() {
            if let Some(r) = b.region.value() {
                out.insert(b.name.clone(), (a.account_id.clone(), r.clone()));
            }
        }
    }
    out
}

/// Every file's verdict: CloudTrail's by its digests, other sources' copied.
fn judge(
    source: &str,
    mut files: Vec<Entry>,
    content: &BTreeMap<Loc, Content>,
    keys: &[ev::PublicKey],
    since: time::OffsetDateTime,
) -> Vec<Entry> {
    if source == "cloudtrail" {
        return validate::validate(files, content, keys, since);
    }
    for f in files.iter_mut().filter(|f| f.present()) {
        f.status = Status::Copied;
    }
    files.sort_by(|a, b| (&a.bucket, &a.key).cmp(&(&b.bucket, &b.key)));
    files
}

impl Puller<'_> {
    /// List every prefix, download what the window holds (digests first, then the log files
    /// they or the window name), and read each file's content.
    async fn run(
        &self,
        cfg: &EvidencePullConfig,
        lists: &[Listing],
        digests_until: time::OffsetDateTime,
    ) -> (Vec<Entry>, BTreeMap<Loc, Content>) {
        let conc = cfg.request.concurrency.max(1);
        let listed: Vec<(Listing, Vec<Listed>)> = futures::stream::iter(lists.iter().cloned())
            .map(|l| async move {
                let objects = self.list(&l).await;
                (l, objects)
            })
            .buffer_unordered(conc)
            .collect()
            .await;
        let mut wanted: Vec<(Listing, Listed)> = Vec::new();
        let mut seen: BTreeSet<Loc> = BTreeSet::new();
        for (l, objects) in listed {
            for o in objects {
                let until = if l.kind == Kind::Digest {
                    digests_until
                } else {
                    cfg.until
                };
                let in_window =
                    layout::key_time(&o.key).is_none_or(|t| t >= cfg.since && t <= until);
                if in_window && seen.insert((l.bucket.clone(), o.key.clone())) {
                    wanted.push((l.clone(), o));
                }
            }
        }
        self.progress.set_length(wanted.len() as u64);
        let (digests, logs): (Vec<_>, Vec<_>) = wanted
            .into_iter()
            .partition(|(l, _)| l.kind == Kind::Digest);
        let mut got = self.fetch_all(digests, conc).await;
        // Log files a digest names that the window's listing did not hold (delivered on a day
        // outside it): fetched by name, `missing` if absent.
        let mut extra: Vec<(Listing, Listed)> = Vec::new();
        for (_, c) in &got {
            if let Some(Content::Digest(Ok(bytes))) = c {
                let Ok(d) = ev::digest::Digest::parse(bytes) else {
                    continue;
                };
                for lf in d.log_files {
                    let at = (lf.s3_bucket.clone(), lf.s3_object.clone());
                    // Every file chosen from the listings is in `seen` already.
                    if !seen.insert(at.clone()) {
                        continue;
                    }
                    let (account, region) = layout::cloudtrail_location(&at.1).unwrap_or_default();
                    extra.push((
                        Listing {
                            bucket: at.0,
                            prefix: String::new(),
                            kind: Kind::Log,
                            source: cfg.source.into(),
                            account,
                            region,
                        },
                        Listed {
                            key: at.1,
                            size: 0,
                            etag: None,
                        },
                    ));
                }
            }
        }
        self.progress.inc_length(extra.len() as u64);
        got.extend(
            self.fetch_all(logs.into_iter().chain(extra).collect(), conc)
                .await,
        );
        let mut files = Vec::new();
        let mut content = BTreeMap::new();
        for (e, c) in got {
            if let Some(c) = c {
                content.insert((e.bucket.clone(), e.key.clone()), c);
                files.push(e);
            }
        }
        (files, content)
    }

    async fn fetch_all(
        &self,
        items: Vec<(Listing, Listed)>,
        conc: usize,
    ) -> Vec<(Entry, Option<Content>)> {
        futures::stream::iter(items)
            .map(|(l, o)| async move {
                let got = self.fetch(&l, &o).await;
                self.progress.inc(1);
                got
            })
            .buffer_unordered(conc)
            .filter_map(|x| async move { x })
            .collect()
            .await
    }

    /// The account and region a bucket is read from.
    fn home(&self, bucket: &str) -> (&str, &str) {
        let (a, r) = self.buckets.get(bucket).unwrap_or(&self.fallback);
        (a, r)
    }

    fn failed(&self, what: String, e: &crate::inventory::CallError) {
        let line = format!("{what}: {}; {}", e.summary(), e.advice());
        if let Ok(mut errs) = self.errors.lock() {
            errs.push(line);
        }
    }

    async fn list(&self, l: &Listing) -> Vec<Listed> {
        let (account, region) = self.home(&l.bucket);
        let session = match self.exec.session(account) {
            Ok(s) => s,
            Err(e) => {
                self.failed(format!("listing s3://{}/{}", l.bucket, l.prefix), &e);
                return Vec::new();
            }
        };
        let ctx = CallCtx::new(account, Some(region), &self.exec.reads);
        match objects::list(session, region, &ctx, &l.bucket, &l.prefix).await {
            Ok(v) => v,
            Err(e) => {
                self.failed(format!("listing s3://{}/{}", l.bucket, l.prefix), &e);
                Vec::new()
            }
        }
    }

    /// One file: reused from an earlier pull when unchanged, else downloaded and written.
    /// `None` when it could not be read (the error is recorded); an entry without content when
    /// it does not exist.
    async fn fetch(&self, l: &Listing, o: &Listed) -> Option<(Entry, Option<Content>)> {
        let Some(rel) = ev::local_path(&l.bucket, &o.key) else {
            if let Ok(mut errs) = self.errors.lock() {
                errs.push(format!(
                    "s3://{}/{}: a key that would leave the evidence folder; not copied",
                    l.bucket, o.key
                ));
            }
            return None;
        };
        let path = self.out.join(&rel);
        let (account, region) = self.home(&l.bucket);
        let (account, region) = (account.to_string(), region.to_string());
        let reusable = self.reusable(l, o, &path);
        let (bytes, done) = match reusable {
            Some(r) => r,
            None => {
                let session = match self.exec.session(&account) {
                    Ok(s) => s,
                    Err(e) => {
                        self.failed(format!("reading s3://{}/{}", l.bucket, o.key), &e);
                        return None;
                    }
                };
                let ctx = CallCtx::new(&account, Some(&region), &self.exec.reads);
                let got = match objects::get(session, &region, &ctx, &l.bucket, &o.key).await {
                    Ok(Some(g)) => g,
                    Ok(None) => return Some((entry(l, &o.key, None, &rel), None)),
                    Err(e) => {
                        self.failed(format!("reading s3://{}/{}", l.bucket, o.key), &e);
                        return None;
                    }
                };
                let done = Done {
                    bucket: l.bucket.clone(),
                    key: o.key.clone(),
                    etag: got.etag.clone().or_else(|| o.etag.clone()),
                    version_id: got.version_id.clone(),
                    size: got.bytes.len() as u64,
                    sha256: ev::sha256_hex(&got.bytes),
                    signature: got.metadata.get("signature").cloned(),
                    signature_algorithm: got.metadata.get("signature-algorithm").cloned(),
                };
                if let Err(e) = write_atomically(&path, &got.bytes) {
                    if let Ok(mut errs) = self.errors.lock() {
                        errs.push(format!("writing {}: {e}", path.display()));
                    }
                    return None;
                }
                self.record(&done);
                self.downloaded
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                (got.bytes, done)
            }
        };
        let c = read_content(l.kind, &bytes);
        Some((entry(l, &o.key, Some(&done), &rel), Some(c)))
    }

    /// The bytes of an earlier pull's copy, when the object is unchanged (same ETag, when the
    /// listing gave one) and the copy still hashes to what the journal recorded.
    fn reusable(&self, l: &Listing, o: &Listed, path: &Path) -> Option<(Vec<u8>, Done)> {
        let done = {
            let j = self.journal.lock().ok()?;
            j.0.get(&(l.bucket.clone(), o.key.clone())).cloned()?
        };
        if o.etag.is_some() && done.etag.is_some() && o.etag != done.etag {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        (ev::sha256_hex(&bytes) == done.sha256).then(|| {
            self.reused
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            (bytes, done)
        })
    }

    fn record(&self, done: &Done) {
        let Ok(mut j) = self.journal.lock() else {
            return;
        };
        if j.1.is_none() {
            j.1 = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.out.join(JOURNAL))
                .ok();
        }
        if let Some(f) = j.1.as_mut() {
            let line = serde_json::to_string(done).unwrap_or_default();
            let _ = writeln!(f, "{line}");
        }
        j.0.insert((done.bucket.clone(), done.key.clone()), done.clone());
    }

    /// CloudTrail's public keys for the digests' regions and times, from the caller's account.
    async fn public_keys(&self, files: &[Entry], cfg: &EvidencePullConfig) -> Vec<ev::PublicKey> {
        let regions: BTreeSet<&str> = files
            .iter()
            .filter(|f| f.kind == Kind::Digest)
            .map(|f| f.region.as_str())
            .collect();
        let caller = self.fallback.0.clone();
        let session = match self.exec.session(&caller) {
            Ok(s) => s,
            Err(e) => {
                // No keys means no digest can be judged: a failed read (exit 2), not a verdict.
                self.failed("CloudTrail's public keys".into(), &e);
                return Vec::new();
            }
        };
        let mut out: Vec<ev::PublicKey> = Vec::new();
        for r in regions {
            let ctx = CallCtx::new(&caller, Some(r), &self.exec.reads);
            let start = cfg.since - time::Duration::days(1);
            let end = cfg.until + DIGEST_LAG + time::Duration::hours(1);
            match objects::public_keys(session, r, &ctx, start, end).await {
                Ok(keys) => {
                    for k in keys {
                        if !out.iter().any(|o| o.fingerprint == k.fingerprint) {
                            out.push(ev::PublicKey {
                                fingerprint: k.fingerprint,
                                value: k.value,
                                validity_start_time: k
                                    .validity_start_time
                                    .map(serde_json::Value::String),
                                validity_end_time: k
                                    .validity_end_time
                                    .map(serde_json::Value::String),
                            });
                        }
                    }
                }
                Err(e) => self.failed(format!("CloudTrail's public keys in {r}"), &e),
            }
        }
        out
    }
}

/// A manifest entry for a file of listing `l` (`done`: what the read gave; `None`: absent).
fn entry(l: &Listing, key: &str, done: Option<&Done>, rel: &str) -> Entry {
    let (account, region) = match layout::cloudtrail_location(key) {
        Some(ar) if l.source == "cloudtrail" => ar,
        _ => (
            if l.account.is_empty() {
                layout::account_in(key).unwrap_or_default()
            } else {
                l.account.clone()
            },
            l.region.clone(),
        ),
    };
    Entry {
        bucket: l.bucket.clone(),
        key: key.to_string(),
        version_id: done.and_then(|d| d.version_id.clone()),
        etag: done.and_then(|d| d.etag.clone()),
        size: done.map(|d| d.size),
        sha256: done.map(|d| d.sha256.clone()),
        kind: l.kind,
        source: l.source.clone(),
        account,
        region,
        status: if done.is_some() {
            Status::NotCovered
        } else {
            Status::Missing
        },
        reason: None,
        signature: done.and_then(|d| d.signature.clone()),
        signature_algorithm: done.and_then(|d| d.signature_algorithm.clone()),
        path: done.map(|_| rel.to_string()),
    }
}

/// What validation reads of a file's bytes.
fn read_content(kind: Kind, bytes: &[u8]) -> Content {
    match kind {
        Kind::Digest => Content::Digest(ev::inflate(bytes)),
        Kind::Log => Content::Log(ev::inflate(bytes).map(|b| ev::sha256_hex(&b))),
    }
}

fn read_journal(out: &Path) -> BTreeMap<Loc, Done> {
    std::fs::read_to_string(out.join(JOURNAL))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<Done>(l).ok())
        .map(|d| ((d.bucket.clone(), d.key.clone()), d))
        .collect()
}

/// Write through a temporary file and a rename: a copy is whole or absent.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("logwarden-part");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// The CloudTrail records of every present log file as Parquet, one file per account, region
/// and day.
fn write_parquet(out: &Path, files: &[Entry], tables: &[Table]) -> Result<(), Error> {
    let Some(t) = tables.iter().find(|t| t.source == "cloudtrail") else {
        eprintln!("note: --format parquet converts CloudTrail records; for other sources use `logwarden query`'s CTAS statements");
        return Ok(());
    };
    let columns: Vec<String> = t.columns.iter().map(|(n, _)| n.clone()).collect();
    let mut groups: BTreeMap<(String, String, String), Vec<records::Row>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.kind == Kind::Log && f.present()) {
        let Some(rel) = &f.path else { continue };
        let bytes = std::fs::read(out.join(rel)).map_err(|source| Error::Io {
            action: "read",
            path: out.join(rel).display().to_string(),
            source,
        })?;
        let rows = ev::inflate(&bytes)
            .and_then(|b| records::cloudtrail_rows(&b, &columns, &f.key, f.status.name()));
        match rows {
            Ok(rows) => {
                for r in rows {
                    groups
                        .entry((f.account.clone(), f.region.clone(), r.day.clone()))
                        .or_default()
                        .push(r);
                }
            }
            Err(e) => eprintln!("note: s3://{}/{} is not converted: {e}", f.bucket, f.key),
        }
    }
    for ((account, region, day), rows) in &groups {
        let bytes = records::write(&columns, rows)
            .map_err(|e| Error::Usage(format!("writing Parquet: {e}")))?;
        let path = out.join(records::partition_path("cloudtrail", account, region, day));
        write_atomically(&path, &bytes).map_err(|source| Error::Io {
            action: "write",
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

/// The summary people read: one line per account and region, then every file that is not
/// valid, with why.
fn report(m: &Manifest) -> String {
    let mut out = String::new();
    let counts = |c: &BTreeMap<Status, usize>| {
        c.iter()
            .map(|(s, n)| format!("{n} {}", s.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for s in &m.summary {
        out.push_str(&format!(
            "{} {} {}: logs {}; digests {}\n",
            if s.valid { "ok  " } else { "FAIL" },
            s.account,
            if s.region.is_empty() { "-" } else { &s.region },
            if s.logs.is_empty() {
                "none".into()
            } else {
                counts(&s.logs)
            },
            if s.digests.is_empty() {
                "none".into()
            } else {
                counts(&s.digests)
            },
        ));
    }
    let bad: Vec<&Entry> = m.files.iter().filter(|f| !f.status.passes()).collect();
    for f in &bad {
        out.push_str(&format!(
            "  {} s3://{}/{}: {}\n",
            f.status.name(),
            f.bucket,
            f.key,
            f.reason.as_deref().unwrap_or("")
        ));
    }
    let total = m.files.len();
    out.push_str(&format!(
        "{} of {total} file(s) {}\n",
        total - bad.len(),
        if m.source == "cloudtrail" {
            "valid"
        } else {
            "copied"
        }
    ));
    out
}

/// `evidence verify`.
pub fn verify(cfg: EvidenceVerifyConfig, stdout: &mut dyn Write) -> Result<i32, Error> {
    let path = cfg.dir.join(MANIFEST);
    let text = crate::io::read_capped(&path, 1024 * 1024 * 1024)?;
    let manifest: Manifest = match serde_json::from_str(&text) {
        Ok(m) => m,
        Err(e) => {
            let (at, message) = crate::io::json_error(&text, &e);
            eprintln!(
                "error: {}{at}: not a logwarden evidence manifest: {message}\n  hint: give the folder `logwarden evidence pull --out` wrote",
                path.display(),
            );
            return Ok(2);
        }
    };
    let keys = cfg
        .public_keys
        .clone()
        .unwrap_or_else(|| manifest.public_keys.clone());
    let since =
        crate::timefmt::parse(&manifest.digests_from).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let mut files = Vec::new();
    let mut content = BTreeMap::new();
    let mut recorded: BTreeMap<Loc, Option<String>> = BTreeMap::new();
    let mut now: BTreeMap<Loc, String> = BTreeMap::new();
    for f in manifest.files.iter().filter(|f| f.present()) {
        let mut e = f.clone();
        let at = (e.bucket.clone(), e.key.clone());
        recorded.insert(at.clone(), f.sha256.clone());
        match e.path.as_ref().map(|p| std::fs::read(cfg.dir.join(p))) {
            Some(Ok(bytes)) => {
                now.insert(at.clone(), ev::sha256_hex(&bytes));
                content.insert(at, read_content(e.kind, &bytes));
            }
            _ => {
                e.status = Status::Missing;
                e.reason = Some("absent from the copy".into());
            }
        }
        files.push(e);
    }
    let mut files = judge(&manifest.source, files, &content, &keys, since);
    for f in &mut files {
        let at = (f.bucket.clone(), f.key.clone());
        validate::against_manifest(
            f,
            recorded.get(&at).cloned().flatten().as_deref(),
            now.get(&at).map(String::as_str),
        );
    }
    let judged = Manifest {
        summary: ev::summarize(&files),
        files,
        public_keys: keys,
        ..manifest
    };
    if cfg.json {
        let mut s = serde_json::to_string_pretty(&judged.files).unwrap_or_default();
        s.push('\n');
        crate::io::write_stdout(stdout, &s)?;
    } else {
        crate::io::write_stdout(stdout, &report(&judged))?;
    }
    Ok(ev::exit_code(&judged.files))
}
