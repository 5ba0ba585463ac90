"""Seed an emulated AWS Organization into moto's server, through the AWS APIs (boto3).

Accounts: management, log-archive, workload-a, workload-b (plus --extra-accounts empty workloads
for the benchmark), in the regions given. The setup gives every logwarden check a passing and a
failing case; tests assert the exact findings. Prints a JSON document with the ids it created.

Usage: python scripts/seed_org.py --endpoint http://127.0.0.1:PORT [--regions us-east-1,eu-west-1]
       [--extra-accounts N]
"""

import argparse
import io
import json
import zipfile
import urllib.request

import boto3
from botocore.config import Config

# The emulator can be slow under a parallel test suite: retry and wait rather than fail.
PATIENT = Config(retries={"mode": "standard", "max_attempts": 10}, connect_timeout=30, read_timeout=300)

p = argparse.ArgumentParser()
p.add_argument("--endpoint", required=True)
p.add_argument("--regions", default="us-east-1,eu-west-1")
p.add_argument("--extra-accounts", type=int, default=0)
args = p.parse_args()
EP = args.endpoint
R1, R2 = (args.regions.split(",") + ["eu-west-1"])[:2]
REGIONS = args.regions.split(",")

for path in ("/moto-api/reset", "/moto-api/seed?a=42"):
    urllib.request.urlopen(urllib.request.Request(EP + path, data=b"", method="POST")).read()

MGMT_CREDS = dict(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="secret")


def client(service, region=R1, creds=None):
    return boto3.client(service, region_name=region, endpoint_url=EP, config=PATIENT,
                        **(creds or MGMT_CREDS))


orgs = client("organizations")
org = orgs.create_organization(FeatureSet="ALL")["Organization"]
mgmt = org["MasterAccountId"]
orgs.enable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")


def new_account(name):
    st = orgs.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
    return st["AccountId"]


archive, wa, wb = new_account("log-archive"), new_account("workload-a"), new_account("workload-b")
extra = [new_account(f"workload-{i:03d}") for i in range(args.extra_accounts)]


def creds_for(account):
    if account == mgmt:
        return MGMT_CREDS
    c = client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="seed"
    )["Credentials"]
    return dict(
        aws_access_key_id=c["AccessKeyId"],
        aws_secret_access_key=c["SecretAccessKey"],
        aws_session_token=c["SessionToken"],
    )


C = {a: creds_for(a) for a in [mgmt, archive, wa, wb]}


def c(service, account, region=R1):
    return client(service, region, C[account])


def _zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


ZIP = _zip()


def bucket(account, name, region=R1):
    s3 = c("s3", account, region)
    kw = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=name, **kw)
    return s3


def access_log_target(account, name, region=R1):
    """A server-access-log target: the logging service may write, from this account only."""
    s3 = bucket(account, name, region)
    s3.put_bucket_acl(Bucket=name, ACL="log-delivery-write")
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{name}/*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]}))
    return s3


TLS_ONLY = lambda b: json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{b}", f"arn:aws:s3:::{b}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }],
})

# --- log archive: the organization trail bucket, well protected --------------------------------
ORG_BUCKET = "lw-org-trail-logs"
access_log_target(archive, "lw-access-logs")
s3a = bucket(archive, ORG_BUCKET)
s3a.put_bucket_versioning(Bucket=ORG_BUCKET, MFA="arn:aws:iam::%s:mfa/root 123456" % archive,
                          VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"})
s3a.put_public_access_block(Bucket=ORG_BUCKET, PublicAccessBlockConfiguration={
    "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
s3a.put_bucket_lifecycle_configuration(Bucket=ORG_BUCKET, LifecycleConfiguration={"Rules": [{
    "ID": "tiers", "Status": "Enabled", "Filter": {"Prefix": ""},
    "Transitions": [{"Days": 90, "StorageClass": "GLACIER_IR"}, {"Days": 365, "StorageClass": "DEEP_ARCHIVE"}],
    "Expiration": {"Days": 2555}}]})
s3a.put_bucket_logging(Bucket=ORG_BUCKET, BucketLoggingStatus={"LoggingEnabled": {
    "TargetBucket": "lw-access-logs", "TargetPrefix": f"{ORG_BUCKET}/"}})
s3a.put_bucket_policy(Bucket=ORG_BUCKET, Policy=TLS_ONLY(ORG_BUCKET))

# --- management: the organization trail -------------------------------------------------------
kms = c("kms", mgmt)
org_key = kms.create_key(Description="org trail")["KeyMetadata"]["Arn"]
kms.enable_key_rotation(KeyId=org_key)
logs = c("logs", mgmt)
logs.create_log_group(logGroupName="org-trail")
group_arn = f"arn:aws:logs:{R1}:{mgmt}:log-group:org-trail:*"
iam = c("iam", mgmt)
role = iam.create_role(RoleName="CloudTrailToCloudWatch", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
# The trail bucket lives in the log archive account; moto checks that it exists in the caller's
# account, so a bucket of the same name cannot be made there: create the trail, then point it.
ct = c("cloudtrail", mgmt)
bucket(mgmt, "lw-mgmt-bootstrap")
ct.create_trail(Name="org-trail", S3BucketName="lw-mgmt-bootstrap", IsMultiRegionTrail=True,
                IsOrganizationTrail=True, EnableLogFileValidation=True, KmsKeyId=org_key,
                CloudWatchLogsLogGroupArn=group_arn, CloudWatchLogsRoleArn=role)
try:
    ct.update_trail(Name="org-trail", S3BucketName=ORG_BUCKET)
except Exception:
    pass
ct.put_event_selectors(TrailName="org-trail", AdvancedEventSelectors=[
    {"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
    {"Name": "Log all S3 data events", "FieldSelectors": [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
        # Log buckets are excluded (no feedback loop) -- and so, by mistake, is wb-data.
        {"Field": "resources.ARN", "NotStartsWith": [f"arn:aws:s3:::{ORG_BUCKET}/", "arn:aws:s3:::lw-access-logs/",
                                                      "arn:aws:s3:::wa-trail-logs/", "arn:aws:s3:::wb-data/"]}]},
    {"Name": "Lambda of workload A", "FieldSelectors": [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::Lambda::Function"]},
        {"Field": "resources.ARN", "StartsWith": [f"arn:aws:lambda:{r}:{wa}:function:" for r in REGIONS]}]},
])
ct.put_insight_selectors(TrailName="org-trail", InsightSelectors=[
    {"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}])
ct.start_logging(Name="org-trail")

# Config in the management account: both regions, global types once, and the aggregator.
for region, glob in ((R1, True), (R2, False)):
    cfg = c("config", mgmt, region)
    cfg.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": f"arn:aws:iam::{mgmt}:role/config",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": glob}})
    cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "lw-mgmt-bootstrap"})
    cfg.start_configuration_recorder(ConfigurationRecorderName="default")
c("config", mgmt).put_configuration_aggregator(
    ConfigurationAggregatorName="org",
    OrganizationAggregationSource={"RoleArn": f"arn:aws:iam::{mgmt}:role/aggregator", "AllAwsRegions": True})

c("budgets", mgmt, "us-east-1").create_budget(AccountId=mgmt, Budget={
    "BudgetName": "logging", "BudgetLimit": {"Amount": "100", "Unit": "USD"}, "TimeUnit": "MONTHLY",
    "BudgetType": "COST", "CostFilters": {"Service": ["AWS CloudTrail", "AWS Config"]}},
    NotificationsWithSubscribers=[{"Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN",
                                                    "Threshold": 80, "ThresholdType": "PERCENTAGE"},
                                   "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "ops@example.com"}]}])

# --- workload A: its own (duplicate, weaker) trail, an unlogged bucket, load balancers -----------
bucket(wa, "wa-trail-logs")
# Made public by its ACL (no public access block ignores it): trail_bucket.public_access fails.
c("s3", wa).put_bucket_acl(Bucket="wa-trail-logs", ACL="public-read")
s3wa = bucket(wa, "wa-app-data")
wa_key = c("kms", wa).create_key(Description="wa trail")["KeyMetadata"]["Arn"]
cta = c("cloudtrail", wa)
cta.create_trail(Name="wa-local-trail", S3BucketName="wa-trail-logs", IsMultiRegionTrail=True, KmsKeyId=wa_key)
cta.put_event_selectors(TrailName="wa-local-trail", EventSelectors=[
    {"ReadWriteType": "All", "IncludeManagementEvents": True}])
cta.start_logging(Name="wa-local-trail")
cfg = c("config", wa, R1)
cfg.put_configuration_recorder(ConfigurationRecorder={
    "name": "default", "roleARN": f"arn:aws:iam::{wa}:role/config",
    "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": False}})
cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "wa-trail-logs"})
cfg.start_configuration_recorder(ConfigurationRecorderName="default")

ec2 = c("ec2", wa)
vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.1.{i}.0/24", AvailabilityZone=f"{R1}{z}")["Subnet"]["SubnetId"]
           for i, z in ((1, "a"), (2, "b"))]
ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="REJECT",
                     LogDestinationType="s3", LogDestination=f"arn:aws:s3:::{ORG_BUCKET}")
bucket(wa, "wa-elb-logs")
elb2 = c("elbv2", wa)
alb = elb2.create_load_balancer(Name="wa-alb", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
elb2.modify_load_balancer_attributes(LoadBalancerArn=alb, Attributes=[
    {"Key": "access_logs.s3.enabled", "Value": "true"}, {"Key": "access_logs.s3.bucket", "Value": "wa-elb-logs"}])
nlb = elb2.create_load_balancer(Name="wa-nlb", Subnets=subnets, Type="network")["LoadBalancers"][0]["LoadBalancerArn"]
c("elb", wa).create_load_balancer(LoadBalancerName="wa-clb", AvailabilityZones=[f"{R1}a"],
                                   Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}])

# --- workload B: a stopped single-region trail, logged bucket, an all-traffic flow log -----------
# A WORM trail bucket: Object Lock with a default GOVERNANCE retention of 30 days.
s3lock = c("s3", wb, R2)
s3lock.create_bucket(Bucket="wb-stopped-trail-logs", ObjectLockEnabledForBucket=True,
                     CreateBucketConfiguration={"LocationConstraint": R2})
s3lock.put_object_lock_configuration(Bucket="wb-stopped-trail-logs", ObjectLockConfiguration={
    "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}})
ctb = c("cloudtrail", wb, R2)
ctb.create_trail(Name="wb-stopped", S3BucketName="wb-stopped-trail-logs", EnableLogFileValidation=True)
ctb.put_event_selectors(TrailName="wb-stopped", EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}])
access_log_target(wb, "wb-access-logs")
s3b = bucket(wb, "wb-data")
s3b.put_bucket_logging(Bucket="wb-data", BucketLoggingStatus={"LoggingEnabled": {
    "TargetBucket": "wb-access-logs", "TargetPrefix": "wb-data/"}})
ec2b = c("ec2", wb)
vpcb = ec2b.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
ec2b.create_flow_logs(ResourceIds=[vpcb], ResourceType="VPC", TrafficType="ALL",
                      LogDestinationType="s3", LogDestination=f"arn:aws:s3:::{ORG_BUCKET}")
# Its DNS queries are logged to the organization bucket (Route 53 Resolver query logging).
r53b = c("route53resolver", wb)
qlc = r53b.create_resolver_query_log_config(Name="wb-dns", DestinationArn=f"arn:aws:s3:::{ORG_BUCKET}",
                                            CreatorRequestId="wb-dns")["ResolverQueryLogConfig"]["Id"]
r53b.associate_resolver_query_log_config(ResolverQueryLogConfigId=qlc, ResourceId=vpcb)

# --- GuardDuty: the management and log archive accounts have it everywhere, with S3 protection;
# workload A only in the first region, without S3 protection; workload B's detector is
# suspended; the log archive account administers it for the organization in the first region.
S3_ON = [{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}]
for account in (mgmt, archive):
    for region in REGIONS:
        c("guardduty", account, region).create_detector(Enable=True, Features=S3_ON)
c("guardduty", wa).create_detector(Enable=True, Features=[{"Name": "S3_DATA_EVENTS", "Status": "DISABLED"}])
c("guardduty", wb).create_detector(Enable=False)
c("guardduty", mgmt).enable_organization_admin_account(AdminAccountId=archive)

# --- Security Hub: enabled in the management account everywhere, in the log archive account in
# the first region only, nowhere in the workloads.
for region in REGIONS:
    c("securityhub", mgmt, region).enable_security_hub(EnableDefaultStandards=True)
c("securityhub", archive).enable_security_hub(EnableDefaultStandards=True)

# --- Service control policies: the log archive account is protected from turning its logging
# off (a break-glass role exempt); workload A only from stopping or deleting trails. A resource
# control policy on the root protects the lw-* log buckets and every key from re-policying or
# deletion, whoever asks.
orgs = client("organizations")
root = orgs.list_roots()["Roots"][0]["Id"]
orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
orgs.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
PROTECTED = ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail",
             "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors",
             "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder",
             "config:DeleteDeliveryChannel", "ec2:DeleteFlowLogs",
             "route53resolver:DisassociateResolverQueryLogConfig",
             "route53resolver:DeleteResolverQueryLogConfig", "logs:DeleteLogGroup",
             "logs:PutRetentionPolicy", "logs:DeleteSubscriptionFilter", "guardduty:DeleteDetector",
             "guardduty:DisassociateFromAdministratorAccount", "guardduty:UpdateDetector",
             "securityhub:DisableSecurityHub", "organizations:LeaveOrganization"]
BREAK_GLASS = {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass"}}
def policy(kind, name, statements, target):
    pid = orgs.create_policy(Name=name, Description=name, Type=kind, Content=json.dumps(
        {"Version": "2012-10-17", "Statement": statements}))["Policy"]["PolicySummary"]["Id"]
    orgs.attach_policy(PolicyId=pid, TargetId=target)
def scp(name, statement, target):
    policy("SERVICE_CONTROL_POLICY", name, [statement], target)
scp("protect-logging", {"Effect": "Deny", "Action": PROTECTED, "Resource": "*",
                        "Condition": BREAK_GLASS}, archive)
scp("protect-trails", {"Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
                       "Resource": "*"}, wa)
policy("RESOURCE_CONTROL_POLICY", "protect-log-storage", [
    {"Effect": "Deny", "Action": ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy",
                                  "s3:PutLifecycleConfiguration", "s3:PutBucketLogging"],
     "Resource": "arn:aws:s3:::lw-*", "Condition": BREAK_GLASS},
    {"Effect": "Deny", "Action": "s3:DeleteObjectVersion", "Resource": "arn:aws:s3:::lw-*/*",
     "Condition": BREAK_GLASS},
    {"Effect": "Deny", "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"],
     "Resource": "*", "Condition": BREAK_GLASS}], root)

# --- Detective controls: on the organization trail's log group (management account), metric
# filters and alarms for CIS 4.3 (root), 4.5 (CloudTrail changes) and 4.7 (KMS keys) notify a
# topic with a confirmed subscription; 4.4's (IAM policies) notifies a topic nobody subscribed
# to. Workload A's own trail delivers to its own group, where a 4.10 (security groups) alarm
# notifies an unsubscribed topic. Workload B has an EventBridge rule with a target for VPC
# changes (4.14) in every region, and nothing else.
def alarm_topic(account, name, queue=None):
    topic = c("sns", account).create_topic(Name=name)["TopicArn"]
    if queue:
        q = c("sqs", account).create_queue(QueueName=queue)["QueueUrl"]
        qarn = c("sqs", account).get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        c("sns", account).subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)
    return topic
def watch(account, group, name, pattern, topic):
    c("logs", account).put_metric_filter(logGroupName=group, filterName=name, filterPattern=pattern,
        metricTransformations=[{"metricName": name, "metricNamespace": "LogMetrics", "metricValue": "1"}])
    c("cloudwatch", account).put_metric_alarm(AlarmName=name, MetricName=name, Namespace="LogMetrics",
        Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold", AlarmActions=[topic])
secops = alarm_topic(mgmt, "secops", queue="secops-inbox")
unread = alarm_topic(mgmt, "nobody-listens")
watch(mgmt, "org-trail", "root-usage",
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', secops)
watch(mgmt, "org-trail", "trail-changes",
      "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
      "($.eventName = StartLogging) || ($.eventName = StopLogging) }", secops)
watch(mgmt, "org-trail", "key-changes",
      "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }", secops)
watch(mgmt, "org-trail", "iam-policy-changes",
      "{ ($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || "
      "($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || "
      "($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || "
      "($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
      "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || "
      "($.eventName=DetachGroupPolicy) }", unread)
c("logs", wa).create_log_group(logGroupName="wa-trail")
# Log groups with mixed retention: a Lambda group at a week, one at 400 days, an EKS group that
# never expires (log_group_retention).
for name, days in (("/aws/lambda/orders", 7), ("/aws/lambda/billing", 400)):
    c("logs", wa).create_log_group(logGroupName=name)
    c("logs", wa).put_retention_policy(logGroupName=name, retentionInDays=days)
c("logs", wb).create_log_group(logGroupName="/aws/eks/prod/cluster")
# Transit gateways: workload A's logs to the organization's bucket; workload B's logs nowhere
# (transit_gateway.flow_logs).
tgw_a = c("ec2", wa).create_transit_gateway(Description="hub-a")["TransitGateway"]["TransitGatewayId"]
c("ec2", wa).create_flow_logs(ResourceIds=[tgw_a], ResourceType="TransitGateway", LogDestinationType="s3",
                              LogDestination=f"arn:aws:s3:::{ORG_BUCKET}", MaxAggregationInterval=60)
tgw_b = c("ec2", wb).create_transit_gateway(Description="hub-b")["TransitGateway"]["TransitGatewayId"]
# WAF web ACLs (waf.logging): the management account's portal logs every request to a log group;
# workload A's API logs only BLOCK (its filter leaves allowed requests out); workload B's
# CloudFront ACL logs nothing.
VIS = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "acl"}
c("logs", mgmt).create_log_group(logGroupName="aws-waf-logs-portal")
c("logs", mgmt).put_retention_policy(logGroupName="aws-waf-logs-portal", retentionInDays=365)
portal = c("wafv2", mgmt).create_web_acl(Name="portal", Scope="REGIONAL", DefaultAction={"Allow": {}},
                                         VisibilityConfig=VIS)["Summary"]["ARN"]
c("wafv2", mgmt).put_logging_configuration(LoggingConfiguration={
    "ResourceArn": portal, "LogDestinationConfigs": [f"arn:aws:logs:{R1}:{mgmt}:log-group:aws-waf-logs-portal"]})
wa_api = c("wafv2", wa).create_web_acl(Name="wa-api", Scope="REGIONAL", DefaultAction={"Allow": {}},
                                       VisibilityConfig=VIS)["Summary"]["ARN"]
c("wafv2", wa).put_logging_configuration(LoggingConfiguration={
    "ResourceArn": wa_api, "LogDestinationConfigs": [f"arn:aws:firehose:{R1}:{wa}:deliverystream/aws-waf-logs-wa"],
    "LoggingFilter": {"DefaultBehavior": "DROP", "Filters": [
        {"Behavior": "KEEP", "Requirement": "MEETS_ANY", "Conditions": [{"ActionCondition": {"Action": "BLOCK"}}]}]}})
c("wafv2", wb).create_web_acl(Name="wb-edge", Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, VisibilityConfig=VIS)

# Network Firewall (network_firewall.logging): workload A's egress firewall sends ALERT to the
# organization bucket and FLOW to a log group; workload B's sends ALERT only.
NFW_POLICY = "arn:aws:network-firewall:{}:{}:firewall-policy/egress"
c("logs", wa).create_log_group(logGroupName="/nfw/wa-flow")
c("logs", wa).put_retention_policy(logGroupName="/nfw/wa-flow", retentionInDays=90)
nfw_a = c("network-firewall", wa).create_firewall(
    FirewallName="wa-egress", FirewallPolicyArn=NFW_POLICY.format(R1, wa), VpcId=vpc,
    SubnetMappings=[{"SubnetId": "subnet-0a"}])["Firewall"]["FirewallArn"]
c("network-firewall", wa).update_logging_configuration(FirewallArn=nfw_a, LoggingConfiguration={"LogDestinationConfigs": [
    {"LogType": "ALERT", "LogDestinationType": "S3", "LogDestination": {"bucketName": ORG_BUCKET, "prefix": "nfw"}},
    {"LogType": "FLOW", "LogDestinationType": "CloudWatchLogs", "LogDestination": {"logGroup": "/nfw/wa-flow"}}]})
nfw_b = c("network-firewall", wb).create_firewall(
    FirewallName="wb-egress", FirewallPolicyArn=NFW_POLICY.format(R1, wb), VpcId=vpcb,
    SubnetMappings=[{"SubnetId": "subnet-0b"}])["Firewall"]["FirewallArn"]
c("network-firewall", wb).update_logging_configuration(FirewallArn=nfw_b, LoggingConfiguration={"LogDestinationConfigs": [
    {"LogType": "ALERT", "LogDestinationType": "S3", "LogDestination": {"bucketName": ORG_BUCKET}}]})

# Route 53 hosted zones (route53.query_logging): the management account's public zone logs its
# queries to a us-east-1 group; workload B's public zone logs nothing; workload A's private zone
# is Resolver query logs' part and is not judged here.
c("logs", mgmt).create_log_group(logGroupName="/aws/route53/example.com")
c("logs", mgmt).put_retention_policy(logGroupName="/aws/route53/example.com", retentionInDays=400)
zone_m = c("route53", mgmt).create_hosted_zone(Name="example.com", CallerReference="seed-m")["HostedZone"]["Id"]
c("route53", mgmt).create_query_logging_config(
    HostedZoneId=zone_m.split("/")[-1],
    CloudWatchLogsLogGroupArn=f"arn:aws:logs:us-east-1:{mgmt}:log-group:/aws/route53/example.com:*")
zone_b = c("route53", wb).create_hosted_zone(Name="shop.example", CallerReference="seed-b")["HostedZone"]["Id"]
c("route53", wa).create_hosted_zone(Name="internal.example", CallerReference="seed-a",
                                    HostedZoneConfig={"PrivateZone": True},
                                    VPC={"VPCRegion": R1, "VPCId": vpc})

# CloudFront distributions (cloudfront.logging): the management account's portal logs by legacy
# standard logging; workload A's API by a standard logging v2 delivery to S3; workload B's shop
# logs nowhere.
def cf_config(ref, log_bucket=None):
    cfg = {"CallerReference": ref, "Comment": ref, "Enabled": True,
           "Origins": {"Quantity": 1, "Items": [{"Id": "o1", "DomainName": f"{ref}.example.com", "CustomOriginConfig": {
               "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}]},
           "DefaultCacheBehavior": {"TargetOriginId": "o1", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
                                    "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}}}
    if log_bucket:
        cfg["Logging"] = {"Enabled": True, "IncludeCookies": False, "Bucket": f"{log_bucket}.s3.amazonaws.com",
                          "Prefix": "cf/"}
    return cfg


cf_m = c("cloudfront", mgmt).create_distribution(DistributionConfig=cf_config("portal", ORG_BUCKET))["Distribution"]["Id"]
cf_a = c("cloudfront", wa).create_distribution(DistributionConfig=cf_config("api"))["Distribution"]
c("logs", wa, "us-east-1").put_delivery_source(name="cf-api", resourceArn=cf_a["ARN"], logType="ACCESS_LOGS")
_dst = c("logs", wa, "us-east-1").put_delivery_destination(
    name="cf-logs", deliveryDestinationConfiguration={"destinationResourceArn": f"arn:aws:s3:::{ORG_BUCKET}"})
c("logs", wa, "us-east-1").create_delivery(deliverySourceName="cf-api",
                                           deliveryDestinationArn=_dst["deliveryDestination"]["arn"])
cf_b = c("cloudfront", wb).create_distribution(DistributionConfig=cf_config("shop"))["Distribution"]["Id"]

# Lambda functions in workload A: orders and billing write to the groups above; reports has
# never run, so it has no group (lambda.log_group).
c("iam", wa).create_role(RoleName="lambda-exec", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}]}))
for name in ("orders", "billing", "reports"):
    c("lambda", wa).create_function(
        FunctionName=name, Runtime="python3.12", Role=f"arn:aws:iam::{wa}:role/lambda-exec",
        Handler="index.handler", Code={"ZipFile": ZIP})
# EKS clusters: workload B's prod sends only the API server's log (its group above never
# expires); workload A's analytics sends api, audit and authenticator (eks.control_plane_logging).
for account, name, types in ((wb, "prod", ["api"]), (wa, "analytics", ["api", "audit", "authenticator"])):
    c("eks", account).create_cluster(
        name=name, roleArn=f"arn:aws:iam::{account}:role/eks-cluster",
        resourcesVpcConfig={"subnetIds": []}, logging={"clusterLogging": [{"types": types, "enabled": True}]})
# Databases: workload B's orders-db (PostgreSQL) exports its log to a group kept 400 days;
# workload A's legacy-db (MySQL) exports nothing, and its Aurora MySQL cluster ledger (with
# member ledger-1, judged as the cluster) exports audit and error but not slowquery
# (rds.instance_log_exports, rds.cluster_log_exports).
_pw = dict(MasterUsername="admin", MasterUserPassword="not-a-real-password-1")
c("rds", wb).create_db_instance(
    DBInstanceIdentifier="orders-db", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20,
    EnableCloudwatchLogsExports=["postgresql"], **_pw)
c("logs", wb).create_log_group(logGroupName="/aws/rds/instance/orders-db/postgresql")
c("logs", wb).put_retention_policy(logGroupName="/aws/rds/instance/orders-db/postgresql", retentionInDays=400)
c("rds", wa).create_db_instance(
    DBInstanceIdentifier="legacy-db", Engine="mysql", DBInstanceClass="db.t3.micro", AllocatedStorage=20, **_pw)
c("rds", wa).create_db_cluster(DBClusterIdentifier="ledger", Engine="aurora-mysql",
                               EnableCloudwatchLogsExports=["audit", "error"], **_pw)
c("rds", wa).create_db_instance(DBInstanceIdentifier="ledger-1", Engine="aurora-mysql",
                                DBInstanceClass="db.r6g.large", DBClusterIdentifier="ledger")
# APIs in workload B: the REST API orders writes its prod stage's access logs to a log group
# and its dev stage's nowhere, and logs prod's executions at ERROR, dev's not at all; the HTTP
# API portal's $default stage writes none (api_gateway.rest_access_logging,
# api_gateway.v2_access_logging, api_gateway.rest_execution_logging).
_gw = c("apigateway", wb)
rest_api = _gw.create_rest_api(name="orders")["id"]
_root = [x for x in _gw.get_resources(restApiId=rest_api)["items"] if x["path"] == "/"][0]["id"]
_gw.put_method(restApiId=rest_api, resourceId=_root, httpMethod="GET", authorizationType="NONE")
_gw.put_integration(restApiId=rest_api, resourceId=_root, httpMethod="GET", type="MOCK")
for _stage in ("prod", "dev"):
    _gw.create_deployment(restApiId=rest_api, stageName=_stage)
_gw.update_stage(restApiId=rest_api, stageName="prod", patchOperations=[
    {"op": "replace", "path": "/accessLogSettings/destinationArn",
     "value": f"arn:aws:logs:{R1}:{wb}:log-group:/aws/apigateway/access-logs/{rest_api}/prod"},
    {"op": "replace", "path": "/accessLogSettings/format", "value": '{"requestId":"$context.requestId"}'},
    {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"}])
http_api = c("apigatewayv2", wb).create_api(Name="portal", ProtocolType="HTTP")["ApiId"]
c("apigatewayv2", wb).create_stage(ApiId=http_api, StageName="$default")
# OpenSearch: workload A's search (fine-grained access control on) publishes its error log but
# not its audit log; workload B's quiet (no fine-grained access control) publishes nothing
# (opensearch.logging).
c("opensearch", wa).create_domain(
    DomainName="search", EngineVersion="OpenSearch_2.13",
    AdvancedSecurityOptions={"Enabled": True, "InternalUserDatabaseEnabled": True,
                             "MasterUserOptions": {"MasterUserName": "admin",
                                                   "MasterUserPassword": "Not-a-real-password-1"}},
    LogPublishingOptions={"ES_APPLICATION_LOGS": {
        "CloudWatchLogsLogGroupArn": f"arn:aws:logs:{R1}:{wa}:log-group:/aws/OpenSearchService/domains/search/application-logs",
        "Enabled": True}})
c("opensearch", wb).create_domain(DomainName="quiet", EngineVersion="OpenSearch_2.13")
# Redshift: workload A's warehouse writes no audit logs; workload B's reports writes them to its
# log bucket, but its default parameter group does not log the queries run (redshift.audit_logging).
_rs = dict(NodeType="dc2.large", ClusterType="single-node", MasterUsername="admin",
           MasterUserPassword="Not-a-real-password-1")
c("redshift", wa).create_cluster(ClusterIdentifier="warehouse", **_rs)
c("redshift", wb).create_cluster(ClusterIdentifier="reports", **_rs)
c("redshift", wb).enable_logging(ClusterIdentifier="reports", BucketName="wb-access-logs",
                                 S3KeyPrefix="redshift-audit/", LogDestinationType="s3")
# Step Functions: workload A's export workflow logs nothing; workload B's orders workflow logs
# its errors to the console's log group (step_functions.logging).
_sfn = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
c("stepfunctions", wa).create_state_machine(
    name="export", definition=_sfn, roleArn=f"arn:aws:iam::{wa}:role/export-workflow")
c("logs", wb).create_log_group(logGroupName="/aws/vendedlogs/states/orders-Logs")
c("stepfunctions", wb).create_state_machine(
    name="orders", definition=_sfn, roleArn=f"arn:aws:iam::{wb}:role/orders-workflow",
    loggingConfiguration={"level": "ERROR", "includeExecutionData": False, "destinations": [
        {"cloudWatchLogsLogGroup": {
            "logGroupArn": f"arn:aws:logs:{R1}:{wb}:log-group:/aws/vendedlogs/states/orders-Logs:*"}}]})
cta.update_trail(Name="wa-local-trail", CloudWatchLogsLogGroupArn=f"arn:aws:logs:{R1}:{wa}:log-group:wa-trail:*",
                 CloudWatchLogsRoleArn=f"arn:aws:iam::{wa}:role/CloudTrailToCloudWatch")
watch(wa, "wa-trail", "sg-changes",
      "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
      "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
      "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }", alarm_topic(wa, "wa-alarms"))
for region in REGIONS:
    ev = c("events", wb, region)
    ev.put_rule(Name="vpc-changes", EventPattern=json.dumps({
        "source": ["aws.ec2"], "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {"eventSource": ["ec2.amazonaws.com"], "eventName": [
            "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
            "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
            "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink"]}}))
    ev.put_targets(Rule="vpc-changes", Targets=[{"Id": "secops", "Arn": f"arn:aws:sns:{region}:{wb}:vpc-alerts"}])

print(json.dumps({
    "organization_id": org["Id"], "management": mgmt, "log_archive": archive, "workload_a": wa,
    "workload_b": wb, "extra": extra, "regions": REGIONS, "org_key": org_key, "wa_key": wa_key,
    "wa_vpc": vpc, "wb_vpc": vpcb, "alb": alb, "nlb": nlb, "wb_dns": qlc, "tgw_a": tgw_a, "tgw_b": tgw_b,
    "zone_m": zone_m.split("/")[-1], "zone_b": zone_b.split("/")[-1],
    "cf_m": cf_m, "cf_a": cf_a["Id"], "cf_b": cf_b, "rest_api": rest_api, "http_api": http_api,
}, indent=1))
