//! CloudTrail records as Apache Parquet: one string column per column of `logwarden query`'s
//! CloudTrail table (the same names, lower case, in the same order), nested values (the user
//! identity, the request parameters, the response elements, the additional event data, the
//! resources) kept as their JSON text, as Athena's table keeps the request and response; two
//! columns say which file each record came from and that file's verdict. Files are written
//! Hive-style, `source=cloudtrail/account=<id>/region=<region>/date=<yyyy-mm-dd>/`, which DuckDB,
//! Athena, pandas (pyarrow) and Spark read as partitions.

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use std::sync::Arc;

/// The columns added after the record's own: the file a record came from, and its verdict.
pub const FILE_COLUMN: &str = "logwarden_file";
pub const STATUS_COLUMN: &str = "logwarden_status";

/// One record's values, in `columns` order, and the day of its `eventTime` (`yyyy-mm-dd`).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub day: String,
    pub values: Vec<Option<String>>,
}

/// The records of one uncompressed CloudTrail log file (`{"Records": [...]}`), as rows of
/// `columns` (matched case-insensitively to the records' camelCase fields) followed by `file`
/// and `status`.
pub fn cloudtrail_rows(
    inflated: &[u8],
    columns: &[String],
    file: &str,
    status: &str,
) -> Result<Vec<Row>, String> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct LogFile {
        records: Vec<serde_json::Map<String, serde_json::Value>>,
    }
    let parsed: LogFile =
        serde_json::from_slice(inflated).map_err(|e| format!("not a CloudTrail log file: {e}"))?;
    Ok(parsed
        .records
        .into_iter()
        .map(|r| {
            let lower: std::collections::BTreeMap<String, &serde_json::Value> =
                r.iter().map(|(k, v)| (k.to_lowercase(), v)).collect();
            let mut values: Vec<Option<String>> = columns
                .iter()
                .map(|c| match lower.get(c.as_str()) {
                    None | Some(serde_json::Value::Null) => None,
                    Some(serde_json::Value::String(s)) => Some(s.clone()),
                    Some(v) => Some(v.to_string()),
                })
                .collect();
            values.push(Some(file.to_string()));
            values.push(Some(status.to_string()));
            let day = lower
                .get("eventtime")
                .and_then(|v| v.as_str())
                .and_then(|t| t.get(..10))
                .unwrap_or("unknown")
                .to_string();
            Row { day, values }
        })
        .collect())
}

/// A Parquet file of `rows` with `columns` (plus [`FILE_COLUMN`] and [`STATUS_COLUMN`]): every
/// column an optional UTF-8 string, Snappy pages, one row group.
pub fn write(columns: &[String], rows: &[Row]) -> Result<Vec<u8>, String> {
    let names: Vec<String> = columns
        .iter()
        .cloned()
        .chain([FILE_COLUMN.to_string(), STATUS_COLUMN.to_string()])
        .collect();
    let fields: Vec<String> = names
        .iter()
        .map(|n| format!("  OPTIONAL BYTE_ARRAY {n} (UTF8);"))
        .collect();
    let schema = parquet::schema::parser::parse_message_type(&format!(
        "message cloudtrail {{\n{}\n}}",
        fields.join("\n")
    ))
    .map_err(|e| e.to_string())?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("logwarden {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut buf = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut buf, Arc::new(schema), Arc::new(props))
        .map_err(|e| e.to_string())?;
    let mut group = writer.next_row_group().map_err(|e| e.to_string())?;
    let mut i = 0;
    while let Some(mut col) = group.next_column().map_err(|e| e.to_string())? {
        let mut values: Vec<ByteArray> = Vec::new();
        let mut levels: Vec<i16> = Vec::with_capacity(rows.len());
        for r in rows {
            match r.values.get(i).cloned().flatten() {
                Some(v) => {
                    values.push(ByteArray::from(v.into_bytes()));
                    levels.push(1);
                }
                None => levels.push(0),
            }
        }
        col.typed::<ByteArrayType>()
            .write_batch(&values, Some(&levels), None)
            .map_err(|e| e.to_string())?;
        col.close().map_err(|e| e.to_string())?;
        i += 1;
    }
    group.close().map_err(|e| e.to_string())?;
    writer.close().map_err(|e| e.to_string())?;
    Ok(buf)
}

/// Where the Parquet file of one account, region and day goes, relative to the evidence folder.
pub fn partition_path(source: &str, account: &str, region: &str, day: &str) -> String {
    format!(
        "parquet/source={source}/account={account}/region={region}/date={day}/part-00000.parquet"
    )
}
