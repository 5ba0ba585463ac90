//! Athena tables and starter queries over the logs where they lie, and CloudWatch Logs Insights
//! queries for the logs in log groups: the shared model the sources fill (each source's
//! `query.rs` turns its inventory into [`Table`]s and [`Insights`]), the DDL with partition
//! projection, the projection's key matcher, the Parquet conversion, and the index.
//!
//! Everything here is pure: the inventory, the window and today come in as arguments, and the
//! files come out as text for the `query` command to write.

use serde::Serialize;
use std::collections::BTreeMap;

/// What the sources need to write their tables: the organization, the window the starter
/// queries cover, the Glue database.
#[derive(Debug, Clone)]
pub struct QueryCtx {
    /// The Glue database the tables are created in.
    pub database: String,
    /// The organization's id, when the inventory is an organization's.
    pub org_id: Option<String>,
    /// Every account of the inventory (the `account` projection of organization-wide tables).
    pub accounts: Vec<String>,
    /// Every region of the inventory (the `region` projection).
    pub regions: Vec<String>,
    /// The window the starter queries cover, inclusive (`yyyy-mm-dd`).
    pub since: time::Date,
    pub until: time::Date,
    /// Only these accounts in the starter queries (empty: every account).
    pub only_accounts: Vec<String>,
    /// Where the Parquet copies go (`s3://bucket/prefix`), if the user named it.
    pub parquet_location: Option<String>,
    /// The account that will query the logs, when known: what must let it read them.
    pub reader: Option<Reader>,
}

/// The account Athena runs in, and who owns each log bucket (as the inventory read them).
#[derive(Debug, Clone, Default)]
pub struct Reader {
    pub partition: String,
    pub account: String,
    pub region: String,
    /// Bucket name → the account that owns it.
    pub bucket_owners: BTreeMap<String, String>,
}

/// A statement another account's bucket or key policy needs so the reader can query the logs:
/// a manual step (logwarden never edits a log bucket's or key's policy for this).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessStep {
    /// The bucket or key ARN.
    pub resource: String,
    /// The account whose policy it goes in (`None`: a bucket outside the inventory).
    pub owner: Option<String>,
    /// The statement to add (or check is there) to its policy.
    pub statement: serde_json::Value,
}

/// What the reader needs that the logs' owners must grant: each table's bucket (read on its
/// log prefix) and each trail key (decrypt through S3) in another account. Least privilege:
/// the reader's account only, TLS only, the log prefix only; keys only through S3 in the
/// bucket's region.
pub fn access_steps(reader: &Reader, c: &Contribution) -> Vec<AccessStep> {
    let principal = format!("arn:{}:iam::{}:root", reader.partition, reader.account);
    let mut out: Vec<AccessStep> = Vec::new();
    for t in &c.tables {
        let owner = reader.bucket_owners.get(&t.bucket).cloned();
        if owner.as_deref() == Some(reader.account.as_str()) {
            continue;
        }
        let bucket = format!("arn:{}:s3:::{}", reader.partition, t.bucket);
        let step = AccessStep {
            resource: bucket.clone(),
            owner: owner.clone(),
            statement: serde_json::json!([
                {
                    "Sid": "LogwardenAthenaList",
                    "Effect": "Allow",
                    "Principal": {"AWS": principal},
                    "Action": "s3:ListBucket",
                    "Resource": bucket,
                    "Condition": {
                        "StringLike": {"s3:prefix": format!("{}*", t.prefix)},
                        "Bool": {"aws:SecureTransport": "true"}
                    }
                },
                {
                    "Sid": "LogwardenAthenaRead",
                    "Effect": "Allow",
                    "Principal": {"AWS": principal},
                    "Action": "s3:GetObject",
                    "Resource": format!("{bucket}/{}*", t.prefix),
                    "Condition": {"Bool": {"aws:SecureTransport": "true"}}
                }
            ]),
        };
        if !out.contains(&step) {
            out.push(step);
        }
    }
    for t in &c.tables {
        for k in &t.kms_keys {
            let Some(key_account) = k.split(':').nth(4).filter(|a| !a.is_empty()) else {
                continue;
            };
            if key_account == reader.account || out.iter().any(|s| &s.resource == k) {
                continue;
            }
            let region = k.split(':').nth(3).unwrap_or(&reader.region).to_string();
            out.push(AccessStep {
                resource: k.clone(),
                owner: Some(key_account.to_string()),
                statement: serde_json::json!([{
                    "Sid": "LogwardenAthenaDecrypt",
                    "Effect": "Allow",
                    "Principal": {"AWS": principal},
                    "Action": "kms:Decrypt",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"kms:ViaService": format!("s3.{region}.amazonaws.com")}}
                }]),
            });
        }
    }
    out
}

/// The partition columns every table names the same way (never a record's own column name:
/// flow logs and Resolver query logs have `account_id` and `region` fields).
pub const ACCOUNT: &str = "aws_account";
pub const REGION: &str = "aws_region";
pub const DAY: &str = "day";

/// A partition whose values are these.
pub fn enumerated(name: &str, values: Vec<String>) -> Partition {
    Partition {
        name: name.into(),
        projection: Projection::Enum { values },
    }
}

/// The [`DAY`] partition: a date in `format` from [`start_in`], one per day or hour.
pub fn day(format: &str, unit: DateUnit) -> Partition {
    Partition {
        name: DAY.into(),
        projection: Projection::Date {
            format: format.into(),
            start: start_in(format),
            unit,
        },
    }
}

/// The usual partitions: accounts and regions as enums, the [`day`] in `date_format`.
pub fn partitions(
    accounts: &[String],
    regions: &[String],
    date_format: &str,
    unit: DateUnit,
) -> Vec<Partition> {
    vec![
        enumerated(ACCOUNT, accounts.to_vec()),
        enumerated(REGION, regions.to_vec()),
        day(date_format, unit),
    ]
}

/// Where a `date` projection starts, in its format: the earliest date any AWS log can carry
/// (CloudTrail's launch, November 2013). The first log of a prefix cannot be known without
/// listing the bucket (`StartLoggingTime` is only the latest start, and logs from before a stop
/// and restart stay), and every starter query filters on the date column, so a wide range costs
/// nothing.
pub fn start_in(format: &str) -> String {
    let d = time::Date::from_calendar_date(2013, time::Month::November, 1).expect("a real date");
    format_date(format, d, 0)
}

/// How a table's files are read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    /// CloudTrail's JSON files: `CloudTrailInputFormat` splits each file's `Records`.
    #[serde(rename = "cloudtrail")]
    CloudTrail,
    /// One JSON document per line.
    JsonLines,
    /// Text fields separated by one space, a header line to skip (flow logs).
    SpaceDelimited,
    /// Apache Parquet.
    Parquet,
    /// Text lines read with this Java regular expression, one group per column (load balancer
    /// and S3 server access logs).
    Regex(String),
}

/// How a partition column's values are projected.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Projection {
    /// One of these values.
    Enum { values: Vec<String> },
    /// A date in this Java `DateTimeFormatter` pattern (letters `yyyy`, `MM`, `dd`, `HH`;
    /// `'...'` quotes literal text), from `start` to now, one step per `unit`.
    Date {
        format: String,
        start: String,
        unit: DateUnit,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum DateUnit {
    Days,
    Hours,
}

/// A partition column and its projection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partition {
    pub name: String,
    #[serde(flatten)]
    pub projection: Projection,
}

/// A starter query: named, over one table (or log group), for the window and accounts asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Query {
    /// File name without extension (`trail_tampering`).
    pub name: String,
    /// What it answers, for the index.
    pub title: String,
    pub sql: String,
}

/// An Athena table over one log layout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Table name in the database (`cloudtrail_org_trail`).
    pub name: String,
    /// The source that wrote it (`cloudtrail`).
    pub source: String,
    /// What it reads, for people.
    pub about: String,
    /// The bucket the logs are in.
    pub bucket: String,
    /// The fixed part of every key, up to the first partition (`AWSLogs/o-abc/`).
    pub prefix: String,
    /// The columns, in record order: (name, Hive type).
    pub columns: Vec<(String, String)>,
    pub storage: Storage,
    pub partitions: Vec<Partition>,
    /// `s3://bucket/prefix/${account}/...`: where each partition's files are.
    pub template: String,
    /// KMS keys the logs are encrypted with: the analyst needs `kms:Decrypt` on each.
    pub kms_keys: Vec<String>,
    /// The column that holds the date partition (`day`), for window filters.
    pub date_column: Option<String>,
    /// An SQL expression of a record's time, for tables whose keys carry no date (the window
    /// filter then reads the whole prefix).
    pub record_time: Option<String>,
    /// The starter queries.
    pub queries: Vec<Query>,
    /// Whether a Parquet copy is offered (the source's volume makes it worth it).
    pub parquet: bool,
}

/// A CloudWatch Logs Insights query over log groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    pub source: String,
    pub name: String,
    pub title: String,
    /// The log groups, with the account and region they are in.
    pub log_groups: Vec<LogGroupRef>,
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LogGroupRef {
    pub account: String,
    pub region: String,
    pub name: String,
}

/// Everything one source contributes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Contribution {
    pub tables: Vec<Table>,
    pub insights: Vec<Insights>,
    /// What could not be turned into a table, and why (a layout not read, a read that failed).
    pub notes: Vec<String>,
}

impl Contribution {
    pub fn extend(&mut self, other: Contribution) {
        self.tables.extend(other.tables);
        self.insights.extend(other.insights);
        self.notes.extend(other.notes);
    }

    /// `source`'s Logs Insights queries, each `(name, title, query)` over `groups` (sorted, each
    /// once); none when there is no group.
    pub fn insights_over(
        &mut self,
        source: &str,
        mut groups: Vec<LogGroupRef>,
        queries: &[(&str, &str, &str)],
    ) {
        groups.sort();
        groups.dedup();
        if groups.is_empty() {
            return;
        }
        for (name, title, query) in queries {
            self.insights.push(Insights {
                source: source.into(),
                name: (*name).into(),
                title: (*title).into(),
                log_groups: groups.clone(),
                query: (*query).into(),
            });
        }
    }
}

/// A name Athena accepts for a table: lower case letters, digits and underscores.
pub fn table_name(parts: &[&str]) -> String {
    let mut s: String = parts
        .join("_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').chars().take(120).collect()
}

/// A key prefix as S3 writes it: no leading slash, one trailing slash (empty stays empty).
pub fn key_prefix(prefix: Option<&str>) -> String {
    match prefix.map(|p| p.trim_matches('/')) {
        Some(p) if !p.is_empty() => format!("{p}/"),
        _ => String::new(),
    }
}

/// An SQL string literal for queries (Trino: a quote doubled).
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A string literal for DDL (Hive: backslash escapes; adjacent literals would be concatenated,
/// so a doubled quote would vanish).
pub fn hive_lit(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The date projection's value of `d` in `format` (`yyyy/MM/dd`, `'year='yyyy'/month='MM...`).
pub fn format_date(format: &str, d: time::Date, hour: u8) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            for q in chars.by_ref() {
                if q == '\'' {
                    break;
                }
                out.push(q);
            }
            continue;
        }
        let mut n = 1;
        while chars.peek() == Some(&c) {
            chars.next();
            n += 1;
        }
        match (c, n) {
            ('y', 4) => out.push_str(&format!("{:04}", d.year())),
            ('M', 2) => out.push_str(&format!("{:02}", u8::from(d.month()))),
            ('d', 2) => out.push_str(&format!("{:02}", d.day())),
            ('H', 2) => out.push_str(&format!("{hour:02}")),
            _ => out.push_str(&c.to_string().repeat(n)),
        }
    }
    out
}

impl Table {
    /// The `CREATE EXTERNAL TABLE` statement, with partition projection.
    pub fn ddl(&self, database: &str) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|(n, t)| format!("  `{n}` {t}"))
            .collect();
        let parts: Vec<String> = self
            .partitions
            .iter()
            .map(|p| format!("`{}` string", p.name))
            .collect();
        let storage = match &self.storage {
            Storage::CloudTrail => "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\nSTORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'\nOUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'".to_string(),
            Storage::JsonLines => "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'".to_string(),
            Storage::SpaceDelimited => "ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '".to_string(),
            Storage::Parquet => "STORED AS PARQUET".to_string(),
            Storage::Regex(re) => format!(
                "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'\nWITH SERDEPROPERTIES ('serialization.format' = '1', 'input.regex' = {})",
                hive_lit(re)
            ),
        };
        let mut props: Vec<(String, String)> = Vec::new();
        if !self.partitions.is_empty() {
            props.push(("projection.enabled".into(), "true".into()));
        }
        for p in &self.partitions {
            let key = |k: &str| format!("projection.{}.{k}", p.name);
            match &p.projection {
                Projection::Enum { values } => {
                    props.push((key("type"), "enum".into()));
                    props.push((key("values"), values.join(",")));
                }
                Projection::Date {
                    format,
                    start,
                    unit,
                } => {
                    props.push((key("type"), "date".into()));
                    props.push((key("format"), format.clone()));
                    props.push((key("range"), format!("{start},NOW")));
                    props.push((key("interval"), "1".into()));
                    let unit = match unit {
                        DateUnit::Days => "DAYS",
                        DateUnit::Hours => "HOURS",
                    };
                    props.push((key("interval.unit"), unit.into()));
                }
            }
        }
        if !self.partitions.is_empty() {
            props.push(("storage.location.template".into(), self.template.clone()));
        }
        if self.storage == Storage::SpaceDelimited {
            props.push(("skip.header.line.count".into(), "1".into()));
        }
        let props: Vec<String> = props
            .iter()
            .map(|(k, v)| format!("  {}={}", hive_lit(k), hive_lit(v)))
            .collect();
        let parts = if parts.is_empty() {
            String::new()
        } else {
            format!("PARTITIONED BY ({})\n", parts.join(", "))
        };
        let props = if props.is_empty() {
            String::new()
        } else {
            format!("\nTBLPROPERTIES (\n{}\n)", props.join(",\n"))
        };
        format!(
            "-- {about}\n-- Reads s3://{bucket}/{prefix}\nCREATE EXTERNAL TABLE IF NOT EXISTS `{database}`.`{name}` (\n{cols}\n)\n{parts}{storage}\nLOCATION {location}{props};\n",
            about = self.about,
            bucket = self.bucket,
            prefix = self.prefix,
            name = self.name,
            cols = cols.join(",\n"),
            location = hive_lit(&format!("s3://{}/{}", self.bucket, self.prefix)),
        )
    }

    /// The table as queries name it (`"database"."table"`).
    pub fn from(&self, ctx: &QueryCtx) -> String {
        format!("\"{}\".\"{}\"", ctx.database, self.name)
    }

    /// The filter that keeps a query to the window (on the projected date column), and to the
    /// accounts asked for: partition pruning, so a query never scans the whole bucket.
    pub fn window(&self, ctx: &QueryCtx) -> String {
        let mut filters = Vec::new();
        if let (Some(col), Some(Projection::Date { format, .. })) = (
            &self.date_column,
            self.partitions
                .iter()
                .find(|p| Some(&p.name) == self.date_column.as_ref())
                .map(|p| &p.projection),
        ) {
            filters.push(format!(
                "\"{col}\" BETWEEN {} AND {}",
                lit(&format_date(format, ctx.since, 0)),
                lit(&format_date(format, ctx.until, 23))
            ));
        }
        if self.date_column.is_none() {
            if let Some(time) = &self.record_time {
                // No date in the keys: the records' own time (the whole prefix is read).
                filters.push(format!(
                    "{time} BETWEEN timestamp {} AND timestamp {}",
                    lit(&format!("{} 00:00:00 UTC", ctx.since)),
                    lit(&format!("{} 23:59:59 UTC", ctx.until))
                ));
            }
        }
        let has_account = self.partitions.iter().any(|p| p.name == ACCOUNT);
        if has_account && !ctx.only_accounts.is_empty() {
            let accounts: Vec<String> = ctx.only_accounts.iter().map(|a| lit(a)).collect();
            filters.push(format!("\"{ACCOUNT}\" IN ({})", accounts.join(", ")));
        }
        filters.join("\n  AND ")
    }

    /// The Parquet copy of the window: a CTAS that makes the table (without data) and one
    /// `INSERT INTO` per day of the window (Athena writes at most 100 partitions per statement,
    /// so the copy is partitioned by day only; account and region stay columns, sorted on).
    pub fn parquet_sql(&self, ctx: &QueryCtx) -> Option<String> {
        if !self.parquet {
            return None;
        }
        let date = self.date_column.as_ref()?;
        let location = ctx
            .parquet_location
            .as_deref()
            .unwrap_or("s3://YOUR-BUCKET/parquet");
        let location = format!("{}/{}/", location.trim_end_matches('/'), self.name);
        let Some(Projection::Date { format, .. }) = self
            .partitions
            .iter()
            .find(|p| &p.name == date)
            .map(|p| &p.projection)
        else {
            return None;
        };
        let target = format!("\"{}\".\"{}_parquet\"", ctx.database, self.name);
        let source = format!("\"{}\".\"{}\"", ctx.database, self.name);
        let others: Vec<String> = self
            .columns
            .iter()
            .map(|(n, _)| format!("\"{n}\""))
            .chain(
                self.partitions
                    .iter()
                    .filter(|p| &p.name != date)
                    .map(|p| format!("\"{}\"", p.name)),
            )
            .collect();
        let select = format!("SELECT {}, \"{date}\"", others.join(", "));
        let mut out = format!(
            "-- Parquet copy of {name} for the window, partitioned by {date}: about a quarter of the data\n-- scanned per query. Run the statements one at a time (Athena runs one per request).\nCREATE TABLE IF NOT EXISTS {target}\nWITH (format = 'PARQUET', write_compression = 'SNAPPY', external_location = {loc}, partitioned_by = ARRAY['{date}'])\nAS {select}\nFROM {source}\nWITH NO DATA;\n",
            name = self.name,
            loc = lit(&location),
        );
        let mut d = ctx.since;
        while d <= ctx.until {
            let day = format_date(format, d, 0);
            let filter = if matches!(
                self.partitions
                    .iter()
                    .find(|p| &p.name == date)
                    .map(|p| &p.projection),
                Some(Projection::Date {
                    unit: DateUnit::Hours,
                    ..
                })
            ) {
                let prefix = day[..day.len() - 2].to_string();
                format!("\"{date}\" LIKE {}", lit(&format!("{prefix}%")))
            } else {
                format!("\"{date}\" = {}", lit(&day))
            };
            out.push_str(&format!(
                "\nINSERT INTO {target}\n{select}\nFROM {source}\nWHERE {filter};\n"
            ));
            match d.next_day() {
                Some(n) => d = n,
                None => break,
            }
        }
        Some(out)
    }

    /// The partition values of the object `key` (in this table's bucket), if it lies under a
    /// projected partition: the template matched against the key, enum values among the
    /// projection's, dates in the projection's format. `None` means no query could read it.
    pub fn partition_of(&self, key: &str) -> Option<BTreeMap<String, String>> {
        if self.partitions.is_empty() {
            // No projection: the table reads everything under its location.
            return key.starts_with(&self.prefix).then(BTreeMap::new);
        }
        let template = self
            .template
            .strip_prefix(&format!("s3://{}/", self.bucket))?;
        let mut values = BTreeMap::new();
        let mut rest = key;
        let mut t = template;
        while !t.is_empty() {
            if let Some(after) = t.strip_prefix("${") {
                let end = after.find('}')?;
                let name = &after[..end];
                t = &after[end + 1..];
                let p = self.partitions.iter().find(|p| p.name == name)?;
                let value = match &p.projection {
                    Projection::Enum { values } => values
                        .iter()
                        .filter(|v| rest.starts_with(v.as_str()))
                        .max_by_key(|v| v.len())?
                        .clone(),
                    Projection::Date { format, .. } => {
                        let width = format_date(format, SAMPLE_DATE, 0).len();
                        let v = rest.get(..width)?;
                        if !date_matches(format, v) {
                            return None;
                        }
                        v.to_string()
                    }
                };
                rest = &rest[value.len()..];
                values.insert(name.to_string(), value);
            } else {
                let lit_end = t.find("${").unwrap_or(t.len());
                rest = rest.strip_prefix(&t[..lit_end])?;
                t = &t[lit_end..];
            }
        }
        // The template names a folder: the key is in it.
        (rest.starts_with('/') || rest.is_empty()).then_some(values)
    }
}

/// Any four-digit-year date: every date in a format has the width this one has.
const SAMPLE_DATE: time::Date = time::macros::date!(2000 - 01 - 01);

/// Whether `v` is a date written in `format` (digits where the pattern has letters, the
/// literal text where it has literals, a real month, day and hour).
fn date_matches(format: &str, v: &str) -> bool {
    let shape = format_date(format, SAMPLE_DATE, 0);
    if shape.len() != v.len() {
        return false;
    }
    let mut fields = BTreeMap::new();
    let mut chars = format.chars().peekable();
    let mut pos = 0;
    while let Some(c) = chars.next() {
        if c == '\'' {
            for q in chars.by_ref() {
                if q == '\'' {
                    break;
                }
                if !v[pos..].starts_with(q) {
                    return false;
                }
                pos += q.len_utf8();
            }
            continue;
        }
        let mut n = 1;
        while chars.peek() == Some(&c) {
            chars.next();
            n += 1;
        }
        if c.is_ascii_alphabetic() {
            let Some(digits) = v.get(pos..pos + n) else {
                return false;
            };
            let Ok(x) = digits.parse::<u32>() else {
                return false;
            };
            if !digits.chars().all(|d| d.is_ascii_digit()) {
                return false;
            }
            fields.insert(c, x);
        } else if v.get(pos..pos + n) != Some(&c.to_string().repeat(n)) {
            return false;
        }
        pos += n;
    }
    let ok = |c: char, lo: u32, hi: u32| fields.get(&c).is_none_or(|x| (lo..=hi).contains(x));
    ok('M', 1, 12) && ok('d', 1, 31) && ok('H', 0, 23)
}

/// What the `query` command writes: (path relative to the output folder, content).
pub fn render(ctx: &QueryCtx, c: &Contribution) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for t in &c.tables {
        files.push((format!("tables/{}.sql", t.name), t.ddl(&ctx.database)));
        for q in &t.queries {
            files.push((
                format!("queries/{}/{}__{}.sql", t.source, t.name, q.name),
                format!("-- {}\n{}\n", q.title, q.sql.trim_end()),
            ));
        }
        if let Some(p) = t.parquet_sql(ctx) {
            files.push((format!("parquet/{}.sql", t.name), p));
        }
    }
    for i in &c.insights {
        files.push((
            format!("insights/{}/{}.txt", i.source, i.name),
            format!("# {}\n{}\n", i.title, i.query.trim_end()),
        ));
    }
    files.push(("index.md".into(), index_md(ctx, c)));
    files.push(("index.json".into(), index_json(ctx, c)));
    files
}

fn index_json(ctx: &QueryCtx, c: &Contribution) -> String {
    let tables: Vec<serde_json::Value> = c
        .tables
        .iter()
        .map(|t| {
            serde_json::json!({
                "name": t.name,
                "source": t.source,
                "about": t.about,
                "bucket": t.bucket,
                "prefix": t.prefix,
                "storage": t.storage,
                "partitions": t.partitions,
                "template": t.template,
                "kms_keys": t.kms_keys,
                "ddl": format!("tables/{}.sql", t.name),
                "queries": t.queries.iter().map(|q| serde_json::json!({
                    "name": q.name,
                    "title": q.title,
                    "file": format!("queries/{}/{}__{}.sql", t.source, t.name, q.name),
                })).collect::<Vec<_>>(),
                "parquet": t.parquet_sql(ctx).map(|_| format!("parquet/{}.sql", t.name)),
            })
        })
        .collect();
    let insights: Vec<serde_json::Value> = c
        .insights
        .iter()
        .map(|i| {
            serde_json::json!({
                "name": i.name,
                "source": i.source,
                "title": i.title,
                "log_groups": i.log_groups,
                "file": format!("insights/{}/{}.txt", i.source, i.name),
            })
        })
        .collect();
    let v = serde_json::json!({
        "database": ctx.database,
        "window": {"since": ctx.since.to_string(), "until": ctx.until.to_string()},
        "accounts": if ctx.only_accounts.is_empty() { &ctx.accounts } else { &ctx.only_accounts },
        "tables": tables,
        "insights": insights,
        "reader": ctx.reader.as_ref().map(|r| serde_json::json!({"account": r.account, "region": r.region})),
        "access_steps": ctx.reader.as_ref().map(|r| access_steps(r, c)).unwrap_or_default(),
        "notes": c.notes,
    });
    serde_json::to_string_pretty(&v).expect("the index serializes") + "\n"
}

fn index_md(ctx: &QueryCtx, c: &Contribution) -> String {
    let mut s = format!(
        "# Log tables and starter queries\n\nDatabase `{db}`; starter queries cover {since} to {until}{only}.\n\n",
        db = ctx.database,
        since = ctx.since,
        until = ctx.until,
        only = if ctx.only_accounts.is_empty() {
            String::new()
        } else {
            format!(" for accounts {}", ctx.only_accounts.join(", "))
        }
    );
    s.push_str(
        "## How to run them\n\n1. Create the database once: `CREATE DATABASE IF NOT EXISTS ",
    );
    s.push_str(&ctx.database);
    s.push_str("`.\n2. Run each file under `tables/` in the Athena query editor (or `aws athena start-query-execution --query-string file://tables/NAME.sql --work-group primary`), in the account and region of the log bucket or one its policy lets read it.\n3. Run the queries under `queries/`: each filters on the projected date (and account) columns, so it reads only the window's files. Athena bills the data scanned (USD 5 per TB in most regions); the Parquet copies under `parquet/` cut that by about three quarters for repeated questions.\n\n");
    if !c.tables.is_empty() {
        s.push_str("## Tables\n\n| table | source | reads | partitions | decrypt with |\n|---|---|---|---|---|\n");
        for t in &c.tables {
            let parts: Vec<&str> = t.partitions.iter().map(|p| p.name.as_str()).collect();
            s.push_str(&format!(
                "| `{}` | {} | `s3://{}/{}` | {} | {} |\n",
                t.name,
                t.about,
                t.bucket,
                t.prefix,
                parts.join(", "),
                if t.kms_keys.is_empty() {
                    "—".to_string()
                } else {
                    t.kms_keys.join("<br>")
                }
            ));
        }
        s.push_str("\n## Starter queries\n\n");
        for t in &c.tables {
            for q in &t.queries {
                s.push_str(&format!(
                    "- `queries/{}/{}__{}.sql`: {}\n",
                    t.source, t.name, q.name, q.title
                ));
            }
        }
        s.push('\n');
    }
    if !c.insights.is_empty() {
        s.push_str("## Logs in CloudWatch Logs (Logs Insights)\n\nRun in the console's Logs Insights page, or `aws logs start-query --log-group-names NAME --start-time ... --end-time ... --query-string file://insights/...`, in the account and region of the log group.\n\n");
        for i in &c.insights {
            let groups: Vec<String> = i
                .log_groups
                .iter()
                .map(|g| format!("`{}` ({} {})", g.name, g.account, g.region))
                .collect();
            s.push_str(&format!(
                "- `insights/{}/{}.txt`: {} — {}\n",
                i.source,
                i.name,
                i.title,
                groups.join(", ")
            ));
        }
        s.push('\n');
    }
    let mut keys: Vec<&String> = c.tables.iter().flat_map(|t| &t.kms_keys).collect();
    keys.sort();
    keys.dedup();
    let mut buckets: Vec<&String> = c.tables.iter().map(|t| &t.bucket).collect();
    buckets.sort();
    buckets.dedup();
    s.push_str("## The IAM the analyst needs\n\n- `athena:StartQueryExecution`, `athena:GetQueryExecution`, `athena:GetQueryResults` on the work group, and write access to its query-results location;\n- `glue:CreateDatabase`, `glue:CreateTable`, `glue:GetDatabase`, `glue:GetTable`, `glue:GetPartitions` on the database and its tables;\n");
    if !buckets.is_empty() {
        let arns: Vec<String> = buckets
            .iter()
            .map(|b| format!("`arn:aws:s3:::{b}`"))
            .collect();
        s.push_str(&format!(
            "- `s3:GetObject` on `BUCKET/*` and `s3:ListBucket` on {} (and the bucket policy must let the analyst's account read, if it is another);\n",
            arns.join(", ")
        ));
    }
    if !keys.is_empty() {
        let list: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        s.push_str(&format!(
            "- `kms:Decrypt` on {} (the logs are SSE-KMS encrypted; the key policy must allow the analyst's role too);\n",
            list.join(", ")
        ));
    }
    s.push_str(
        "- for Logs Insights: `logs:StartQuery`, `logs:GetQueryResults` on the log groups.\n",
    );
    if let Some(r) = &ctx.reader {
        s.push_str(&access_md(r, c));
    }
    if !c.notes.is_empty() {
        s.push_str("\n## Not written\n\n");
        for n in &c.notes {
            s.push_str(&format!("- {n}\n"));
        }
    }
    s
}

/// The index's section on what other accounts must grant the reader.
fn access_md(r: &Reader, c: &Contribution) -> String {
    let steps = access_steps(r, c);
    let mut s = format!("\n## Access from account {} ({})\n\n", r.account, r.region);
    if steps.is_empty() {
        s.push_str("Every log bucket and key is in this account: its role's own IAM permissions are enough.\n");
        return s;
    }
    s.push_str("The logs of other accounts are read across accounts: add these statements to their policies (logwarden never changes a log bucket's or key's policy for this; check first whether a broader grant is there).\n\n");
    for st in &steps {
        s.push_str(&format!(
            "- `{}` ({}):\n\n  ```json\n  {}\n  ```\n",
            st.resource,
            match &st.owner {
                Some(o) => format!("account {o}"),
                None => "outside the audited accounts".to_string(),
            },
            serde_json::to_string(&st.statement).expect("a statement serializes")
        ));
    }
    s
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub mod testutil;
