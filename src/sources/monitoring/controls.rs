//! The CIS AWS Foundations Benchmark monitoring controls (v3.0.0, 4.1 to 4.15), each as the
//! CloudTrail events it must notice (and benign events it must not alarm on), the metric filter
//! pattern `apply` writes for it, and the events a tampering action leaves. The samples, not
//! the text of any reference pattern, decide whether a filter or rule counts.

use serde_json::{json, Value};

/// One monitoring control.
pub struct Control {
    /// CIS AWS Foundations Benchmark v3.0.0 number ("4.1").
    pub cis: &'static str,
    /// Stable name, used in check ids, filter and alarm names (`unauthorized_api_calls`).
    pub key: &'static str,
    pub title: &'static str,
    /// Whether AWS records the events in us-east-1 only (IAM, Organizations, console
    /// sign-in), so one EventBridge rule there covers the account.
    pub global: bool,
    /// The metric filter pattern `apply` creates (fully parenthesized).
    pub pattern: &'static str,
    samples: fn() -> (Vec<Value>, Vec<Value>),
}

impl Control {
    /// The events the control must notice, and benign events it must not alarm on.
    pub fn samples(&self) -> (Vec<Value>, Vec<Value>) {
        (self.samples)()
    }

    /// The metric filter and alarm name `apply` uses.
    pub fn resource_name(&self, prefix: &str) -> String {
        format!(
            "{prefix}cis-{}-{}",
            self.cis.replace('.', "-"),
            self.key.replace('_', "-")
        )
    }
}

/// A CloudTrail record of `source`'s `name` call made by an IAM user, as CloudTrail delivers it
/// to CloudWatch Logs and EventBridge (`detail`).
pub fn call(source: &str, name: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLE",
            "arn": "arn:aws:iam::111122223333:user/alice",
            "accountId": "111122223333",
            "userName": "alice"
        },
        "eventTime": "2026-01-01T00:00:00Z",
        "eventSource": format!("{source}.amazonaws.com"),
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.10",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {},
        "responseElements": null,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management"
    })
}

fn with(mut v: Value, patch: Value) -> Value {
    if let (Some(m), Value::Object(p)) = (v.as_object_mut(), patch) {
        for (k, x) in p {
            m.insert(k, x);
        }
    }
    v
}

fn calls(source: &str, names: &[&str]) -> Vec<Value> {
    names.iter().map(|n| call(source, n)).collect()
}

fn read(source: &str, name: &str) -> Value {
    with(call(source, name), json!({"readOnly": true}))
}

fn console_login(success: bool, mfa: &str, user_type: &str) -> Value {
    let who = if user_type == "Root" {
        json!({"type": "Root", "principalId": "111122223333", "arn": "arn:aws:iam::111122223333:root", "accountId": "111122223333"})
    } else {
        json!({"type": user_type, "principalId": "AIDAEXAMPLE", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333", "userName": "alice"})
    };
    let mut e = with(
        call("signin", "ConsoleLogin"),
        json!({
            "eventType": "AwsConsoleSignIn",
            "userIdentity": who,
            "requestParameters": null,
            "responseElements": {"ConsoleLogin": if success { "Success" } else { "Failure" }},
            "additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": mfa},
        }),
    );
    if !success {
        e["errorMessage"] = json!("Failed authentication");
    }
    e
}

fn root(e: Value) -> Value {
    with(
        e,
        json!({"userIdentity": {"type": "Root", "principalId": "111122223333", "arn": "arn:aws:iam::111122223333:root", "accountId": "111122223333"}}),
    )
}

/// The events a tampering action (`service:Action`, an IAM action) leaves in CloudTrail, or
/// `None` for a wildcard action (no single event to test).
pub fn tampering_event(action: &str) -> Option<Value> {
    let (svc, name) = action.split_once(':')?;
    if name.contains('*') || name.contains('?') {
        return None;
    }
    // CloudTrail's event names where they differ from the IAM action.
    let name = match (svc, name) {
        ("s3", "PutLifecycleConfiguration") => "PutBucketLifecycle",
        ("s3", "DeleteObjectVersion") => "DeleteObject",
        _ => name,
    };
    let mut e = call(svc, name);
    if svc == "s3" && name == "DeleteObject" {
        e["managementEvent"] = json!(false);
        e["eventCategory"] = json!("Data");
    }
    Some(e)
}

/// The controls, in benchmark order.
pub static CONTROLS: &[Control] = &[
    Control {
        cis: "4.1",
        key: "unauthorized_api_calls",
        title: "unauthorized API calls",
        global: false,
        pattern: r#"{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }"#,
        samples: || {
            (
                vec![
                    with(
                        call("ec2", "RunInstances"),
                        json!({"errorCode": "Client.UnauthorizedOperation", "errorMessage": "You are not authorized to perform this operation."}),
                    ),
                    with(
                        call("iam", "CreateUser"),
                        json!({"errorCode": "AccessDenied", "errorMessage": "User is not authorized to perform: iam:CreateUser"}),
                    ),
                ],
                vec![
                    call("ec2", "RunInstances"),
                    read("ec2", "DescribeInstances"),
                ],
            )
        },
    },
    Control {
        cis: "4.2",
        key: "console_signin_without_mfa",
        title: "Management Console sign-in without MFA",
        global: true,
        pattern: r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
        samples: || {
            (
                vec![console_login(true, "No", "IAMUser")],
                vec![
                    console_login(true, "Yes", "IAMUser"),
                    call("iam", "CreateUser"),
                ],
            )
        },
    },
    Control {
        cis: "4.3",
        key: "root_account_usage",
        title: "usage of the root user",
        global: false,
        pattern: r#"{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != "AwsServiceEvent") }"#,
        samples: || {
            (
                vec![
                    root(call("iam", "CreateAccessKey")),
                    console_login(true, "Yes", "Root"),
                ],
                vec![
                    call("iam", "CreateAccessKey"),
                    console_login(true, "Yes", "IAMUser"),
                ],
            )
        },
    },
    Control {
        cis: "4.4",
        key: "iam_policy_changes",
        title: "IAM policy changes",
        global: true,
        pattern: r#"{ ($.eventSource = "iam.amazonaws.com") && (($.eventName = "DeleteGroupPolicy") || ($.eventName = "DeleteRolePolicy") || ($.eventName = "DeleteUserPolicy") || ($.eventName = "PutGroupPolicy") || ($.eventName = "PutRolePolicy") || ($.eventName = "PutUserPolicy") || ($.eventName = "CreatePolicy") || ($.eventName = "DeletePolicy") || ($.eventName = "CreatePolicyVersion") || ($.eventName = "DeletePolicyVersion") || ($.eventName = "AttachRolePolicy") || ($.eventName = "DetachRolePolicy") || ($.eventName = "AttachUserPolicy") || ($.eventName = "DetachUserPolicy") || ($.eventName = "AttachGroupPolicy") || ($.eventName = "DetachGroupPolicy")) }"#,
        samples: || {
            (
                calls(
                    "iam",
                    &[
                        "DeleteGroupPolicy",
                        "DeleteRolePolicy",
                        "DeleteUserPolicy",
                        "PutGroupPolicy",
                        "PutRolePolicy",
                        "PutUserPolicy",
                        "CreatePolicy",
                        "DeletePolicy",
                        "CreatePolicyVersion",
                        "DeletePolicyVersion",
                        "AttachRolePolicy",
                        "DetachRolePolicy",
                        "AttachUserPolicy",
                        "DetachUserPolicy",
                        "AttachGroupPolicy",
                        "DetachGroupPolicy",
                    ],
                ),
                vec![read("iam", "GetPolicy"), call("iam", "CreateUser")],
            )
        },
    },
    Control {
        cis: "4.5",
        key: "cloudtrail_changes",
        title: "CloudTrail configuration changes",
        global: false,
        pattern: r#"{ ($.eventSource = "cloudtrail.amazonaws.com") && (($.eventName = "CreateTrail") || ($.eventName = "UpdateTrail") || ($.eventName = "DeleteTrail") || ($.eventName = "StartLogging") || ($.eventName = "StopLogging")) }"#,
        samples: || {
            (
                calls(
                    "cloudtrail",
                    &[
                        "CreateTrail",
                        "UpdateTrail",
                        "DeleteTrail",
                        "StartLogging",
                        "StopLogging",
                    ],
                ),
                vec![
                    read("cloudtrail", "DescribeTrails"),
                    read("cloudtrail", "GetTrailStatus"),
                ],
            )
        },
    },
    Control {
        cis: "4.6",
        key: "console_authentication_failures",
        title: "Management Console authentication failures",
        global: true,
        pattern: r#"{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }"#,
        samples: || {
            (
                vec![console_login(false, "No", "IAMUser")],
                vec![console_login(true, "Yes", "IAMUser")],
            )
        },
    },
    Control {
        cis: "4.7",
        key: "cmk_disable_or_deletion",
        title: "disabling or scheduled deletion of customer-managed KMS keys",
        global: false,
        pattern: r#"{ ($.eventSource = "kms.amazonaws.com") && (($.eventName = "DisableKey") || ($.eventName = "ScheduleKeyDeletion")) }"#,
        samples: || {
            (
                calls("kms", &["DisableKey", "ScheduleKeyDeletion"]),
                vec![read("kms", "DescribeKey"), call("kms", "CreateKey")],
            )
        },
    },
    Control {
        cis: "4.8",
        key: "s3_bucket_policy_changes",
        title: "S3 bucket policy changes",
        global: false,
        pattern: r#"{ ($.eventSource = "s3.amazonaws.com") && (($.eventName = "PutBucketAcl") || ($.eventName = "PutBucketPolicy") || ($.eventName = "PutBucketCors") || ($.eventName = "PutBucketLifecycle") || ($.eventName = "PutBucketReplication") || ($.eventName = "DeleteBucketPolicy") || ($.eventName = "DeleteBucketCors") || ($.eventName = "DeleteBucketLifecycle") || ($.eventName = "DeleteBucketReplication")) }"#,
        samples: || {
            (
                calls(
                    "s3",
                    &[
                        "PutBucketAcl",
                        "PutBucketPolicy",
                        "PutBucketCors",
                        "PutBucketLifecycle",
                        "PutBucketReplication",
                        "DeleteBucketPolicy",
                        "DeleteBucketCors",
                        "DeleteBucketLifecycle",
                        "DeleteBucketReplication",
                    ],
                ),
                vec![read("s3", "GetBucketPolicy"), call("s3", "CreateBucket")],
            )
        },
    },
    Control {
        cis: "4.9",
        key: "config_changes",
        title: "AWS Config configuration changes",
        global: false,
        pattern: r#"{ ($.eventSource = "config.amazonaws.com") && (($.eventName = "StopConfigurationRecorder") || ($.eventName = "DeleteDeliveryChannel") || ($.eventName = "PutDeliveryChannel") || ($.eventName = "PutConfigurationRecorder")) }"#,
        samples: || {
            (
                calls(
                    "config",
                    &[
                        "StopConfigurationRecorder",
                        "DeleteDeliveryChannel",
                        "PutDeliveryChannel",
                        "PutConfigurationRecorder",
                    ],
                ),
                vec![
                    read("config", "DescribeConfigurationRecorders"),
                    call("config", "PutConfigRule"),
                ],
            )
        },
    },
    Control {
        cis: "4.10",
        key: "security_group_changes",
        title: "security group changes",
        global: false,
        pattern: r#"{ ($.eventName = "AuthorizeSecurityGroupIngress") || ($.eventName = "AuthorizeSecurityGroupEgress") || ($.eventName = "RevokeSecurityGroupIngress") || ($.eventName = "RevokeSecurityGroupEgress") || ($.eventName = "CreateSecurityGroup") || ($.eventName = "DeleteSecurityGroup") }"#,
        samples: || {
            (
                calls(
                    "ec2",
                    &[
                        "AuthorizeSecurityGroupIngress",
                        "AuthorizeSecurityGroupEgress",
                        "RevokeSecurityGroupIngress",
                        "RevokeSecurityGroupEgress",
                        "CreateSecurityGroup",
                        "DeleteSecurityGroup",
                    ],
                ),
                vec![
                    read("ec2", "DescribeSecurityGroups"),
                    call("ec2", "RunInstances"),
                ],
            )
        },
    },
    Control {
        cis: "4.11",
        key: "nacl_changes",
        title: "network ACL changes",
        global: false,
        pattern: r#"{ ($.eventName = "CreateNetworkAcl") || ($.eventName = "CreateNetworkAclEntry") || ($.eventName = "DeleteNetworkAcl") || ($.eventName = "DeleteNetworkAclEntry") || ($.eventName = "ReplaceNetworkAclEntry") || ($.eventName = "ReplaceNetworkAclAssociation") }"#,
        samples: || {
            (
                calls(
                    "ec2",
                    &[
                        "CreateNetworkAcl",
                        "CreateNetworkAclEntry",
                        "DeleteNetworkAcl",
                        "DeleteNetworkAclEntry",
                        "ReplaceNetworkAclEntry",
                        "ReplaceNetworkAclAssociation",
                    ],
                ),
                vec![
                    read("ec2", "DescribeNetworkAcls"),
                    call("ec2", "RunInstances"),
                ],
            )
        },
    },
    Control {
        cis: "4.12",
        key: "network_gateway_changes",
        title: "changes to network gateways",
        global: false,
        pattern: r#"{ ($.eventName = "CreateCustomerGateway") || ($.eventName = "DeleteCustomerGateway") || ($.eventName = "AttachInternetGateway") || ($.eventName = "CreateInternetGateway") || ($.eventName = "DeleteInternetGateway") || ($.eventName = "DetachInternetGateway") }"#,
        samples: || {
            (
                calls(
                    "ec2",
                    &[
                        "CreateCustomerGateway",
                        "DeleteCustomerGateway",
                        "AttachInternetGateway",
                        "CreateInternetGateway",
                        "DeleteInternetGateway",
                        "DetachInternetGateway",
                    ],
                ),
                vec![
                    read("ec2", "DescribeInternetGateways"),
                    call("ec2", "RunInstances"),
                ],
            )
        },
    },
    Control {
        cis: "4.13",
        key: "route_table_changes",
        title: "route table changes",
        global: false,
        pattern: r#"{ ($.eventSource = "ec2.amazonaws.com") && (($.eventName = "CreateRoute") || ($.eventName = "CreateRouteTable") || ($.eventName = "ReplaceRoute") || ($.eventName = "ReplaceRouteTableAssociation") || ($.eventName = "DeleteRouteTable") || ($.eventName = "DeleteRoute") || ($.eventName = "DisassociateRouteTable")) }"#,
        samples: || {
            (
                calls(
                    "ec2",
                    &[
                        "CreateRoute",
                        "CreateRouteTable",
                        "ReplaceRoute",
                        "ReplaceRouteTableAssociation",
                        "DeleteRouteTable",
                        "DeleteRoute",
                        "DisassociateRouteTable",
                    ],
                ),
                vec![
                    read("ec2", "DescribeRouteTables"),
                    call("ec2", "RunInstances"),
                ],
            )
        },
    },
    Control {
        cis: "4.14",
        key: "vpc_changes",
        title: "VPC changes",
        global: false,
        pattern: r#"{ ($.eventName = "CreateVpc") || ($.eventName = "DeleteVpc") || ($.eventName = "ModifyVpcAttribute") || ($.eventName = "AcceptVpcPeeringConnection") || ($.eventName = "CreateVpcPeeringConnection") || ($.eventName = "DeleteVpcPeeringConnection") || ($.eventName = "RejectVpcPeeringConnection") || ($.eventName = "AttachClassicLinkVpc") || ($.eventName = "DetachClassicLinkVpc") || ($.eventName = "DisableVpcClassicLink") || ($.eventName = "EnableVpcClassicLink") }"#,
        samples: || {
            (
                calls(
                    "ec2",
                    &[
                        "CreateVpc",
                        "DeleteVpc",
                        "ModifyVpcAttribute",
                        "AcceptVpcPeeringConnection",
                        "CreateVpcPeeringConnection",
                        "DeleteVpcPeeringConnection",
                        "RejectVpcPeeringConnection",
                    ],
                ),
                vec![read("ec2", "DescribeVpcs"), call("ec2", "RunInstances")],
            )
        },
    },
    Control {
        cis: "4.15",
        key: "organizations_changes",
        title: "AWS Organizations changes",
        global: true,
        pattern: r#"{ ($.eventSource = "organizations.amazonaws.com") && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#,
        samples: || {
            (
                calls(
                    "organizations",
                    &[
                        "AcceptHandshake",
                        "AttachPolicy",
                        "CreateAccount",
                        "CreateOrganizationalUnit",
                        "CreatePolicy",
                        "DeclineHandshake",
                        "DeleteOrganization",
                        "DeleteOrganizationalUnit",
                        "DeletePolicy",
                        "DetachPolicy",
                        "DisablePolicyType",
                        "EnablePolicyType",
                        "InviteAccountToOrganization",
                        "LeaveOrganization",
                        "MoveAccount",
                        "RemoveAccountFromOrganization",
                        "UpdatePolicy",
                        "UpdateOrganizationalUnit",
                    ],
                ),
                vec![
                    read("organizations", "ListAccounts"),
                    read("organizations", "DescribeOrganization"),
                ],
            )
        },
    },
];

/// The EventBridge event a CloudTrail record becomes on the account's default event bus.
pub fn as_eventbridge(record: &Value, account: &str, region: &str) -> Value {
    let source = record["eventSource"]
        .as_str()
        .and_then(|s| s.strip_suffix(".amazonaws.com"))
        .unwrap_or("unknown");
    let detail_type = match record["eventType"].as_str() {
        Some("AwsConsoleSignIn") => "AWS Console Sign In via CloudTrail",
        Some("AwsServiceEvent") => "AWS Service Event via CloudTrail",
        _ => "AWS API Call via CloudTrail",
    };
    json!({
        "version": "0",
        "id": "00000000-0000-0000-0000-000000000000",
        "detail-type": detail_type,
        "source": format!("aws.{source}"),
        "account": account,
        "time": "2026-01-01T00:00:00Z",
        "region": region,
        "resources": [],
        "detail": record,
    })
}

/// A short label for a sample event (`iam:CreateUser`, `ConsoleLogin (no MFA)`).
pub fn label(e: &Value) -> String {
    let svc = e["eventSource"]
        .as_str()
        .and_then(|s| s.strip_suffix(".amazonaws.com"))
        .unwrap_or("?");
    let name = e["eventName"].as_str().unwrap_or("?");
    let mut out = format!("{svc}:{name}");
    if let Some(code) = e["errorCode"].as_str() {
        out.push_str(&format!(" ({code})"));
    }
    if e["userIdentity"]["type"] == "Root" {
        out.push_str(" by root");
    }
    if e["errorMessage"] == "Failed authentication" {
        out.push_str(" (failed)");
    } else if e["additionalEventData"]["MFAUsed"] == "No" {
        out.push_str(" (no MFA)");
    }
    out
}
