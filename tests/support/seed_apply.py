"""Seed an organization for the plan/apply end-to-end test, through the AWS APIs (boto3).

A brownfield organization: a log-archive bucket that already has someone else's lifecycle rule and
policy statement (which apply must keep byte-for-byte), an organization trail with a team's own
advanced event selector (which must survive), a workload account with an unlogged bucket and an
application load balancer without access logs, and nothing else. Prints the ids it created.

Usage: python tests/support/seed_apply.py --endpoint http://127.0.0.1:PORT
"""

import argparse
import io
import json
import urllib.request
import zipfile

import boto3
from botocore.config import Config

# The emulator can be slow under a parallel test suite: retry and wait rather than fail.
PATIENT = Config(retries={"mode": "standard", "max_attempts": 10}, connect_timeout=30, read_timeout=300)

p = argparse.ArgumentParser()
p.add_argument("--endpoint", required=True)
args = p.parse_args()
EP = args.endpoint
R1, R2 = "us-east-1", "eu-west-1"

for path in ("/moto-api/reset", "/moto-api/seed?a=7"):
    urllib.request.urlopen(urllib.request.Request(EP + path, data=b"", method="POST")).read()

MGMT_CREDS = dict(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="secret")


def client(service, region=R1, creds=None):
    return boto3.client(service, region_name=region, endpoint_url=EP, config=PATIENT,
                        **(creds or MGMT_CREDS))


orgs = client("organizations")
org = orgs.create_organization(FeatureSet="ALL")["Organization"]
mgmt, org_id = org["MasterAccountId"], org["Id"]


def new_account(name):
    return orgs.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]["AccountId"]


archive, workload = new_account("log-archive"), new_account("workload")


def creds_for(account):
    if account == mgmt:
        return MGMT_CREDS
    c = client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="seed"
    )["Credentials"]
    return dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                aws_session_token=c["SessionToken"])


def c(service, account, region=R1):
    return client(service, region, creds_for(account))


# The log archive bucket exists already, with a team's lifecycle rule and policy statement.
ARCHIVE = f"{org_id}-logs-{archive}"
s3a = c("s3", archive)
s3a.create_bucket(Bucket=ARCHIVE)
TEAM_RULE = {"ID": "team-tmp-cleanup", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
             "Expiration": {"Days": 7}}
# And the team keeps the logs ten years, longer than the profile's seven: never to be shortened.
TEAM_LOGS_RULE = {"ID": "team-logs-10y", "Status": "Enabled", "Filter": {"Prefix": "AWSLogs/"},
                  "Expiration": {"Days": 3650}}
s3a.put_bucket_lifecycle_configuration(Bucket=ARCHIVE,
                                       LifecycleConfiguration={"Rules": [TEAM_RULE, TEAM_LOGS_RULE]})
TEAM_STATEMENT = {"Sid": "TeamAuditRead", "Effect": "Allow",
                  "Principal": {"AWS": f"arn:aws:iam::{archive}:root"},
                  "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{ARCHIVE}/*"}
s3a.put_bucket_policy(Bucket=ARCHIVE, Policy=json.dumps({"Version": "2012-10-17", "Statement": [TEAM_STATEMENT]}))

# An organization trail delivering there: stopped, no validation, with a team's own selector.
ct = c("cloudtrail", mgmt)
ct.create_trail(Name="org-trail", S3BucketName=ARCHIVE, IsMultiRegionTrail=True, IsOrganizationTrail=True)
TEAM_SELECTORS = [
    {"Name": "team management", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
    {"Name": "team dynamodb", "FieldSelectors": [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::DynamoDB::Table"]}]},
]
ct.put_event_selectors(TrailName="org-trail", AdvancedEventSelectors=TEAM_SELECTORS)

# An organization-wide budget on the whole bill, with an alert: it would never notice a runaway
# logging bill, so it does not stand in for the logging budget the profile asks for.
c("budgets", mgmt, "us-east-1").create_budget(AccountId=mgmt, Budget={
    "BudgetName": "org-wide", "BudgetLimit": {"Amount": "25000", "Unit": "USD"},
    "TimeUnit": "MONTHLY", "BudgetType": "COST"},
    NotificationsWithSubscribers=[{
        "Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN",
                         "Threshold": 80, "ThresholdType": "PERCENTAGE"},
        "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "finance@example.com"}]}])

# A workload: an unlogged bucket, and an application load balancer without access logs.
s3w = c("s3", workload)
s3w.create_bucket(Bucket=f"wl-app-data-{workload}")
ec2 = c("ec2", workload)
vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
ec2.create_tags(Resources=[vpc], Tags=[{"Key": "env", "Value": "prod"}])
subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.3.{i}.0/24", AvailabilityZone=f"{R1}{z}")["Subnet"]["SubnetId"]
           for i, z in ((1, "a"), (2, "b"))]
# A Lambda function's log group at AWS's one-week habit: apply raises it, never shortens.
c("logs", workload).create_log_group(logGroupName="/aws/lambda/wl-orders")
c("logs", workload).put_retention_policy(logGroupName="/aws/lambda/wl-orders", retentionInDays=7)
# A web ACL that logs nothing: apply gives it the profile's aws-waf-logs- log group.
c("wafv2", workload).create_web_acl(Name="wl-api", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig={
    "SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "wl"})
# A Network Firewall that sends ALERT to its team's log group but no FLOW: apply adds FLOW to the
# log archive and keeps the team's destination.
c("logs", workload).create_log_group(logGroupName="/team/nfw-alert")
nfw = c("network-firewall", workload).create_firewall(
    FirewallName="wl-egress", FirewallPolicyArn=f"arn:aws:network-firewall:{R1}:{workload}:firewall-policy/egress",
    VpcId=vpc, SubnetMappings=[{"SubnetId": subnets[0]}])["Firewall"]["FirewallArn"]
c("network-firewall", workload).update_logging_configuration(FirewallArn=nfw, LoggingConfiguration={
    "LogDestinationConfigs": [{"LogType": "ALERT", "LogDestinationType": "CloudWatchLogs",
                               "LogDestination": {"logGroup": "/team/nfw-alert"}}]})
# A public hosted zone that logs nothing: apply gives it a us-east-1 group, a resource policy
# for Route 53 (beside the team's own policy, which is kept) and a query logging config.
c("logs", workload).put_resource_policy(policyName="team-es-logs", policyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Sid": "Team", "Effect": "Allow",
        "Principal": {"Service": "es.amazonaws.com"}, "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
        "Resource": f"arn:aws:logs:{R1}:{workload}:log-group:/team/es:*"}]}))
zone = c("route53", workload).create_hosted_zone(Name="wl.example", CallerReference="wl")["HostedZone"]["Id"].split("/")[-1]
# A CloudFront distribution that logs nowhere: apply gives it a standard logging v2 delivery to
# the log archive.
cf = c("cloudfront", workload).create_distribution(DistributionConfig={
    "CallerReference": "wl", "Comment": "wl", "Enabled": True,
    "Origins": {"Quantity": 1, "Items": [{"Id": "o1", "DomainName": "wl.example.com", "CustomOriginConfig": {
        "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}]},
    "DefaultCacheBehavior": {"TargetOriginId": "o1", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
                             "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}}})["Distribution"]["Id"]
# A transit gateway without a flow log: apply logs it to the log archive.
tgw = c("ec2", workload).create_transit_gateway(Description="wl-hub")["TransitGateway"]["TransitGatewayId"]
# Lambda functions: wl-orders writes to the group above; wl-reports has never run, so it has no
# group: apply creates it at the retention floor.
c("iam", workload).create_role(RoleName="lambda-exec", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}]}))
_buf = io.BytesIO()
with zipfile.ZipFile(_buf, "w") as z:
    z.writestr("index.py", "def handler(event, context):\n    return None\n")
for name in ("wl-orders", "wl-reports"):
    c("lambda", workload).create_function(
        FunctionName=name, Runtime="python3.12", Role=f"arn:aws:iam::{workload}:role/lambda-exec",
        Handler="index.handler", Code={"ZipFile": _buf.getvalue()})
# An EKS cluster that sends only the scheduler's log: apply adds api, audit and authenticator,
# keeps the scheduler's on, and creates its log group at the retention floor first.
c("eks", workload).create_cluster(
    name="wl-eks", roleArn=f"arn:aws:iam::{workload}:role/eks-cluster", resourcesVpcConfig={"subnetIds": subnets},
    logging={"clusterLogging": [{"types": ["scheduler"], "enabled": True}]})
# A Redshift cluster that sends only its connection log to CloudWatch Logs: apply adds the user
# log, keeps the connection log, and creates the new type's group at the retention floor first.
c("redshift", workload).create_cluster(
    ClusterIdentifier="wl-dw", NodeType="dc2.large", ClusterType="single-node", MasterUsername="admin",
    MasterUserPassword="Not-a-real-password-1")
c("redshift", workload).enable_logging(ClusterIdentifier="wl-dw", LogDestinationType="cloudwatch",
                                       LogExports=["connectionlog"])
alb = c("elbv2", workload).create_load_balancer(Name="wl-alb", Subnets=subnets, Type="application")[
    "LoadBalancers"][0]["LoadBalancerArn"]

print(json.dumps({
    "organization_id": org_id, "management": mgmt, "log_archive": archive, "workload": workload,
    "archive_bucket": ARCHIVE, "team_rule": TEAM_RULE, "team_logs_rule": TEAM_LOGS_RULE, "team_statement": TEAM_STATEMENT,
    "team_selectors": TEAM_SELECTORS, "vpc": vpc, "alb": alb, "tgw": tgw, "zone": zone, "cf": cf,
}, indent=1))
