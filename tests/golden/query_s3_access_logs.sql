-- S3 server access logs of wb-data (flat key format: every query reads the whole folder; switch the buckets' logging to the date-based key format to query by day)
-- Reads s3://wb-access-logs/wb-data/
CREATE EXTERNAL TABLE IF NOT EXISTS `logwarden`.`s3_access_logs_wb_access_logs_wb_data` (
  `bucketowner` string,
  `bucket` string,
  `requestdatetime` string,
  `remoteip` string,
  `requester` string,
  `requestid` string,
  `operation` string,
  `key` string,
  `request_uri` string,
  `httpstatus` string,
  `errorcode` string,
  `bytessent` bigint,
  `objectsize` bigint,
  `totaltime` string,
  `turnaroundtime` string,
  `referrer` string,
  `useragent` string,
  `versionid` string,
  `hostid` string,
  `sigv` string,
  `ciphersuite` string,
  `authtype` string,
  `endpoint` string,
  `tlsversion` string,
  `accesspointarn` string,
  `aclrequired` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES ('serialization.format' = '1', 'input.regex' = '([^ ]*) ([^ ]*) \\[([^\\]]*)\\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (?:"([^"]*)"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (?:"([^"]*)"|-) (?:"([^"]*)"|-) ([^ ]*)(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?.*')
LOCATION 's3://wb-access-logs/wb-data/';
