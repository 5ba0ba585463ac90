-- Application Load Balancer access logs of wa-alb (the folder may hold other kinds' files too: their rows are empty and the queries skip them)
-- Reads s3://wa-elb-logs/AWSLogs/
CREATE EXTERNAL TABLE IF NOT EXISTS `logwarden`.`elb_alb_wa_elb_logs` (
  `type` string,
  `time` string,
  `elb` string,
  `client_ip` string,
  `client_port` int,
  `target_ip` string,
  `target_port` int,
  `request_processing_time` double,
  `target_processing_time` double,
  `response_processing_time` double,
  `elb_status_code` int,
  `target_status_code` string,
  `received_bytes` bigint,
  `sent_bytes` bigint,
  `request_verb` string,
  `request_url` string,
  `request_proto` string,
  `user_agent` string,
  `ssl_cipher` string,
  `ssl_protocol` string,
  `target_group_arn` string,
  `trace_id` string,
  `domain_name` string,
  `chosen_cert_arn` string,
  `matched_rule_priority` string,
  `request_creation_time` string,
  `actions_executed` string,
  `redirect_url` string,
  `error_reason` string,
  `target_port_list` string,
  `target_status_code_list` string,
  `classification` string,
  `classification_reason` string,
  `conn_trace_id` string
)
PARTITIONED BY (`aws_account` string, `aws_region` string, `day` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES ('serialization.format' = '1', 'input.regex' = '([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) (?:([^ ]*):([0-9]*)|-) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) ([-0-9]*) ([-0-9]*) ([-0-9]*) ([-0-9]*) "([^ ]*) (.*) ([^ ]*)" "([^"]*)" ([^ ]*) ([^ ]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^"]*)" ([-.0-9]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"(?: "([^"]*)" "([^"]*)")?(?: ([^ ]*))?.*')
LOCATION 's3://wa-elb-logs/AWSLogs/'
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
  'storage.location.template'='s3://wa-elb-logs/AWSLogs/${aws_account}/elasticloadbalancing/${aws_region}/${day}'
);
