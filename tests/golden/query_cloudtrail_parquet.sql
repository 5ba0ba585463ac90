-- Parquet copy of cloudtrail_org_trail_123456789012 for the window, partitioned by day: about a quarter of the data
-- scanned per query. Run the statements one at a time (Athena runs one per request).
CREATE TABLE IF NOT EXISTS "logwarden"."cloudtrail_org_trail_123456789012_parquet"
WITH (format = 'PARQUET', write_compression = 'SNAPPY', external_location = 's3://analysis-bucket/parquet/cloudtrail_org_trail_123456789012/', partitioned_by = ARRAY['day'])
AS SELECT "eventversion", "useridentity", "eventtime", "eventsource", "eventname", "awsregion", "sourceipaddress", "useragent", "errorcode", "errormessage", "requestparameters", "responseelements", "additionaleventdata", "requestid", "eventid", "readonly", "resources", "eventtype", "apiversion", "recipientaccountid", "serviceeventdetails", "sharedeventid", "vpcendpointid", "vpcendpointaccountid", "eventcategory", "addendum", "sessioncredentialfromconsole", "edgedevicedetails", "tlsdetails", "aws_account", "aws_region", "day"
FROM "logwarden"."cloudtrail_org_trail_123456789012"
WITH NO DATA;

INSERT INTO "logwarden"."cloudtrail_org_trail_123456789012_parquet"
SELECT "eventversion", "useridentity", "eventtime", "eventsource", "eventname", "awsregion", "sourceipaddress", "useragent", "errorcode", "errormessage", "requestparameters", "responseelements", "additionaleventdata", "requestid", "eventid", "readonly", "resources", "eventtype", "apiversion", "recipientaccountid", "serviceeventdetails", "sharedeventid", "vpcendpointid", "vpcendpointaccountid", "eventcategory", "addendum", "sessioncredentialfromconsole", "edgedevicedetails", "tlsdetails", "aws_account", "aws_region", "day"
FROM "logwarden"."cloudtrail_org_trail_123456789012"
WHERE "day" = '2026/11/25';

INSERT INTO "logwarden"."cloudtrail_org_trail_123456789012_parquet"
SELECT "eventversion", "useridentity", "eventtime", "eventsource", "eventname", "awsregion", "sourceipaddress", "useragent", "errorcode", "errormessage", "requestparameters", "responseelements", "additionaleventdata", "requestid", "eventid", "readonly", "resources", "eventtype", "apiversion", "recipientaccountid", "serviceeventdetails", "sharedeventid", "vpcendpointid", "vpcendpointaccountid", "eventcategory", "addendum", "sessioncredentialfromconsole", "edgedevicedetails", "tlsdetails", "aws_account", "aws_region", "day"
FROM "logwarden"."cloudtrail_org_trail_123456789012"
WHERE "day" = '2026/11/26';

INSERT INTO "logwarden"."cloudtrail_org_trail_123456789012_parquet"
SELECT "eventversion", "useridentity", "eventtime", "eventsource", "eventname", "awsregion", "sourceipaddress", "useragent", "errorcode", "errormessage", "requestparameters", "responseelements", "additionaleventdata", "requestid", "eventid", "readonly", "resources", "eventtype", "apiversion", "recipientaccountid", "serviceeventdetails", "sharedeventid", "vpcendpointid", "vpcendpointaccountid", "eventcategory", "addendum", "sessioncredentialfromconsole", "edgedevicedetails", "tlsdetails", "aws_account", "aws_region", "day"
FROM "logwarden"."cloudtrail_org_trail_123456789012"
WHERE "day" = '2026/11/27';
