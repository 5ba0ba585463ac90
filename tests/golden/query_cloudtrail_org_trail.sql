-- organization trail org-trail of account 123456789012 (every account of the organization; logs it wrote before it became an organization trail lie under AWSLogs/ACCOUNT/ and are not read)
-- Reads s3://lw-org-trail-logs/AWSLogs/o-hbrpoig8f1/
CREATE EXTERNAL TABLE IF NOT EXISTS `logwarden`.`cloudtrail_org_trail_123456789012` (
  `eventversion` string,
  `useridentity` struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,onbehalfof:struct<userid:string,identitystorearn:string>,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,sourceidentity:string,ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>,
  `eventtime` string,
  `eventsource` string,
  `eventname` string,
  `awsregion` string,
  `sourceipaddress` string,
  `useragent` string,
  `errorcode` string,
  `errormessage` string,
  `requestparameters` string,
  `responseelements` string,
  `additionaleventdata` string,
  `requestid` string,
  `eventid` string,
  `readonly` string,
  `resources` array<struct<arn:string,accountid:string,type:string>>,
  `eventtype` string,
  `apiversion` string,
  `recipientaccountid` string,
  `serviceeventdetails` string,
  `sharedeventid` string,
  `vpcendpointid` string,
  `vpcendpointaccountid` string,
  `eventcategory` string,
  `addendum` struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>,
  `sessioncredentialfromconsole` string,
  `edgedevicedetails` string,
  `tlsdetails` struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>
)
PARTITIONED BY (`aws_account` string, `aws_region` string, `day` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://lw-org-trail-logs/AWSLogs/o-hbrpoig8f1/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.aws_account.type'='enum',
  'projection.aws_account.values'='009788208121,123456789012,528809570154,763116566701',
  'projection.aws_region.type'='enum',
  'projection.aws_region.values'='us-east-1,eu-west-1',
  'projection.day.type'='date',
  'projection.day.format'='yyyy/MM/dd',
  'projection.day.range'='2013/11/01,NOW',
  'projection.day.interval'='1',
  'projection.day.interval.unit'='DAYS',
  'storage.location.template'='s3://lw-org-trail-logs/AWSLogs/o-hbrpoig8f1/${aws_account}/CloudTrail/${aws_region}/${day}'
);
