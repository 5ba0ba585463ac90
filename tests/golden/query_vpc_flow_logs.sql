-- VPC flow logs (text) of 2 account(s)
-- Reads s3://lw-org-trail-logs/AWSLogs/
CREATE EXTERNAL TABLE IF NOT EXISTS `logwarden`.`vpc_flow_logs_lw_org_trail_logs` (
  `version` int,
  `account_id` string,
  `interface_id` string,
  `srcaddr` string,
  `dstaddr` string,
  `srcport` int,
  `dstport` int,
  `protocol` int,
  `packets` bigint,
  `bytes` bigint,
  `start` bigint,
  `end` bigint,
  `action` string,
  `log_status` string
)
PARTITIONED BY (`aws_account` string, `aws_region` string, `day` string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '
LOCATION 's3://lw-org-trail-logs/AWSLogs/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.aws_account.type'='enum',
  'projection.aws_account.values'='009788208121,763116566701',
  'projection.aws_region.type'='enum',
  'projection.aws_region.values'='us-east-1',
  'projection.day.type'='date',
  'projection.day.format'='yyyy/MM/dd',
  'projection.day.range'='2013/11/01,NOW',
  'projection.day.interval'='1',
  'projection.day.interval.unit'='DAYS',
  'storage.location.template'='s3://lw-org-trail-logs/AWSLogs/${aws_account}/vpcflowlogs/${aws_region}/${day}',
  'skip.header.line.count'='1'
);
