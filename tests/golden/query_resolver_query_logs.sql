-- Route 53 Resolver query logs of 1 VPC(s)
-- Reads s3://lw-org-trail-logs/AWSLogs/
CREATE EXTERNAL TABLE IF NOT EXISTS `logwarden`.`resolver_query_logs_lw_org_trail_logs` (
  `version` string,
  `account_id` string,
  `region` string,
  `vpc_id` string,
  `query_timestamp` string,
  `query_name` string,
  `query_type` string,
  `query_class` string,
  `rcode` string,
  `answers` array<struct<rdata:string,type:string,class:string>>,
  `srcaddr` string,
  `srcport` int,
  `transport` string,
  `srcids` struct<instance:string,resolver_endpoint:string>,
  `firewall_rule_action` string,
  `firewall_rule_group_id` string,
  `firewall_domain_list_id` string
)
PARTITIONED BY (`aws_account` string, `vpc` string, `day` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://lw-org-trail-logs/AWSLogs/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.aws_account.type'='enum',
  'projection.aws_account.values'='009788208121',
  'projection.vpc.type'='enum',
  'projection.vpc.values'='vpc-bdd45f61f77e1f69a',
  'projection.day.type'='date',
  'projection.day.format'='yyyy/MM/dd',
  'projection.day.range'='2013/11/01,NOW',
  'projection.day.interval'='1',
  'projection.day.interval.unit'='DAYS',
  'storage.location.template'='s3://lw-org-trail-logs/AWSLogs/${aws_account}/vpcdnsquerylogs/${vpc}/${day}'
);
