-- Redshift connectionlog of cluster(s) analytics-dw (the day's folder holds every log type: queries keep to the connectionlog files by their name)
-- Reads s3://wa-redshift-audit/analytics/AWSLogs/
CREATE EXTERNAL TABLE IF NOT EXISTS `logwarden`.`redshift_connectionlog_wa_redshift_audit_analytics` (
  `event` string,
  `recordtime` string,
  `remotehost` string,
  `remoteport` string,
  `pid` string,
  `dbname` string,
  `username` string,
  `authmethod` string,
  `duration` string
)
PARTITIONED BY (`aws_account` string, `aws_region` string, `day` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES ('serialization.format' = '1', 'input.regex' = '([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*).*')
LOCATION 's3://wa-redshift-audit/analytics/AWSLogs/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.aws_account.type'='enum',
  'projection.aws_account.values'='763116566701',
  'projection.aws_region.type'='enum',
  'projection.aws_region.values'='us-east-1',
  'projection.day.type'='date',
  'projection.day.format'='yyyy/MM/dd',
  'projection.day.range'='2013/11/01,NOW',
  'projection.day.interval'='1',
  'projection.day.interval.unit'='DAYS',
  'storage.location.template'='s3://wa-redshift-audit/analytics/AWSLogs/${aws_account}/redshift/${aws_region}/${day}'
);
