//! Athena tables over the trails' logs where they land (an organization trail's
//! `AWSLogs/<o-id>/<account>/CloudTrail/<region>/yyyy/MM/dd/` layout, an account trail's
//! `AWSLogs/<account>/CloudTrail/...`, under the trail's key prefix), the responders' starter
//! queries, and Logs Insights queries over the trails' log groups.

use crate::query::{
    lit, partitions, table_name, Contribution, DateUnit, Insights, LogGroupRef, Query, QueryCtx,
    Storage, Table, ACCOUNT, DAY, REGION,
};
use crate::sources::Inventory;

/// The CloudTrail record as AWS documents it: nested identities as structs, the request,
/// response and additional data kept as JSON strings (their shape differs per API: read them
/// with `json_extract_scalar`).
const COLUMNS: &[(&str, &str)] = &[
    ("eventversion", "string"),
    ("useridentity", "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,onbehalfof:struct<userid:string,identitystorearn:string>,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,sourceidentity:string,ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>"),
    ("eventtime", "string"),
    ("eventsource", "string"),
    ("eventname", "string"),
    ("awsregion", "string"),
    ("sourceipaddress", "string"),
    ("useragent", "string"),
    ("errorcode", "string"),
    ("errormessage", "string"),
    ("requestparameters", "string"),
    ("responseelements", "string"),
    ("additionaleventdata", "string"),
    ("requestid", "string"),
    ("eventid", "string"),
    ("readonly", "string"),
    ("resources", "array<struct<arn:string,accountid:string,type:string>>"),
    ("eventtype", "string"),
    ("apiversion", "string"),
    ("recipientaccountid", "string"),
    ("serviceeventdetails", "string"),
    ("sharedeventid", "string"),
    ("vpcendpointid", "string"),
    ("vpcendpointaccountid", "string"),
    ("eventcategory", "string"),
    ("addendum", "struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>"),
    ("sessioncredentialfromconsole", "string"),
    ("edgedevicedetails", "string"),
    ("tlsdetails", "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>"),
];

/// The calls that turn logging off, shorten it or blind the detectors.
pub const TAMPERING: &[&str] = &[
    "StopLogging",
    "DeleteTrail",
    "UpdateTrail",
    "PutEventSelectors",
    "StopConfigurationRecorder",
    "DeleteConfigurationRecorder",
    "DeleteDeliveryChannel",
    "DeleteFlowLogs",
    "DeleteDetector",
    "UpdateDetector",
    "DisassociateFromAdministratorAccount",
    "DisableSecurityHub",
    "DeleteLogGroup",
    "PutLogGroupDeletionProtection",
    "PutRetentionPolicy",
    "DeleteSubscriptionFilter",
    "DisassociateResolverQueryLogConfig",
    "DeleteResolverQueryLogConfig",
    "DeleteQueryLoggingConfig",
    "DeleteLoggingConfiguration",
    "DisableLogging",
    "ScheduleKeyDeletion",
    "DisableKey",
    "PutBucketLifecycle",
    "DeleteBucketPolicy",
    "LeaveOrganization",
];

pub fn query(inv: &Inventory, ctx: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    let mut seen: Vec<&str> = Vec::new();
    for a in &inv.accounts {
        for t in &a.data.cloudtrail.trails {
            if seen.contains(&t.arn.as_str())
                || crate::arn::account_of(&t.arn) != Some(a.account_id.as_str())
            {
                continue;
            }
            seen.push(&t.arn);
            let Some(bucket) = t.s3_bucket_name.clone() else {
                continue;
            };
            let org = match (&ctx.org_id, t.is_organization_trail) {
                (Some(o), true) => Some(o.as_str()),
                (None, true) => {
                    out.notes.push(format!(
                        "organization trail {} not written: the organization's id is unknown (audit from the management account)",
                        t.arn
                    ));
                    continue;
                }
                _ => None,
            };
            let accounts = match org {
                Some(_) => ctx.accounts.clone(),
                None => vec![a.account_id.clone()],
            };
            let regions = if t.is_multi_region {
                ctx.regions.clone()
            } else {
                vec![t.home_region.clone()]
            };
            let prefix = format!(
                "{}{}",
                t.logs_prefix(),
                org.map(|o| format!("{o}/")).unwrap_or_default()
            );
            let mut table = Table {
                name: table_name(&["cloudtrail", &t.name, &a.account_id]),
                source: "cloudtrail".into(),
                about: format!(
                    "{} trail {} of account {}{}",
                    if org.is_some() {
                        "organization"
                    } else {
                        "account"
                    },
                    t.name,
                    a.account_id,
                    if org.is_some() {
                        " (every account of the organization; logs it wrote before it became an organization trail lie under AWSLogs/ACCOUNT/ and are not read)"
                    } else {
                        ""
                    }
                ),
                template: format!(
                    "s3://{bucket}/{prefix}${{{ACCOUNT}}}/CloudTrail/${{{REGION}}}/${{{DAY}}}"
                ),
                bucket,
                prefix,
                columns: COLUMNS
                    .iter()
                    .map(|(n, t)| (n.to_string(), t.to_string()))
                    .collect(),
                storage: Storage::CloudTrail,
                partitions: partitions(&accounts, &regions, "yyyy/MM/dd", DateUnit::Days),
                kms_keys: t.kms_key_id.iter().cloned().collect(),
                date_column: Some(DAY.into()),
                record_time: None,
                queries: vec![],
                parquet: true,
            };
            table.queries = queries(&table, ctx);
            out.tables.push(table);
            if let Some(g) = t
                .cloudwatch_logs_log_group_arn
                .as_deref()
                .and_then(|g| g.split_once(":log-group:"))
            {
                let region = crate::arn::Arn::parse(
                    t.cloudwatch_logs_log_group_arn
                        .as_deref()
                        .unwrap_or_default(),
                )
                .map(|a| a.region.to_string())
                .unwrap_or_else(|| t.home_region.clone());
                out.insights.push(Insights {
                    source: "cloudtrail".into(),
                    name: table_name(&["cloudtrail", &t.name, "tampering"]),
                    title: format!("Calls that turn logging off, from trail {}'s log group", t.name),
                    log_groups: vec![LogGroupRef {
                        account: a.account_id.clone(),
                        region,
                        name: g.1.trim_end_matches(":*").to_string(),
                    }],
                    query: format!(
                        "fields @timestamp, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.arn, sourceIPAddress, errorCode\n| filter eventName in [{}]\n| sort @timestamp desc\n| limit 500",
                        TAMPERING.iter().map(|e| format!("\"{e}\"")).collect::<Vec<_>>().join(", ")
                    ),
                });
            }
        }
    }
    out
}

/// The starter queries over one trail table.
fn queries(t: &Table, ctx: &QueryCtx) -> Vec<Query> {
    let from = t.from(ctx);
    let w = t.window(ctx);
    let list = |names: &[&str]| names.iter().map(|n| lit(n)).collect::<Vec<_>>().join(", ");
    let base = "eventtime, \"aws_account\", awsregion, eventsource, eventname, useridentity.type AS identity_type, useridentity.arn AS principal, sourceipaddress, useragent, errorcode";
    vec![
        Query {
            name: "logging_tampering".into(),
            title: "Trail, Config, flow log, GuardDuty, Security Hub, log group and key tampering".into(),
            sql: format!(
                "SELECT {base}, requestparameters\nFROM {from}\nWHERE {w}\n  AND eventname IN ({})\nORDER BY eventtime DESC\nLIMIT 1000;",
                list(TAMPERING)
            ),
        },
        Query {
            name: "root_activity".into(),
            title: "Calls made with the root user".into(),
            sql: format!(
                "SELECT {base}\nFROM {from}\nWHERE {w}\n  AND useridentity.type = 'Root'\n  AND coalesce(eventtype, '') <> 'AwsServiceEvent'\nORDER BY eventtime DESC\nLIMIT 1000;"
            ),
        },
        Query {
            name: "console_logins_without_mfa".into(),
            title: "Console sign-ins without MFA".into(),
            sql: format!(
                "SELECT {base}, json_extract_scalar(responseelements, '$.ConsoleLogin') AS result\nFROM {from}\nWHERE {w}\n  AND eventname = 'ConsoleLogin'\n  AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'\nORDER BY eventtime DESC\nLIMIT 1000;"
            ),
        },
        Query {
            name: "access_denied_bursts".into(),
            title: "Bursts of access denied by principal and hour (20 or more)".into(),
            sql: format!(
                "SELECT useridentity.arn AS principal, \"aws_account\", date_trunc('hour', from_iso8601_timestamp(eventtime)) AS hour, count(*) AS denied, array_agg(DISTINCT eventname) AS calls\nFROM {from}\nWHERE {w}\n  AND (errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%UnauthorizedOperation%' OR errorcode = 'Client.UnauthorizedOperation')\nGROUP BY 1, 2, 3\nHAVING count(*) >= 20\nORDER BY denied DESC\nLIMIT 200;"
            ),
        },
        Query {
            name: "new_access_keys_and_users".into(),
            title: "New IAM users, console passwords and access keys".into(),
            sql: format!(
                "SELECT {base}, json_extract_scalar(requestparameters, '$.userName') AS user_name\nFROM {from}\nWHERE {w}\n  AND eventsource = 'iam.amazonaws.com'\n  AND eventname IN ({})\nORDER BY eventtime DESC\nLIMIT 1000;",
                list(&["CreateUser", "CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile"])
            ),
        },
        Query {
            name: "s3_getobject_by_principal".into(),
            title: "S3 GetObject volume by principal and bucket (rows only where the trail logs S3 data events)".into(),
            sql: format!(
                "SELECT useridentity.arn AS principal, json_extract_scalar(requestparameters, '$.bucketName') AS bucket, count(*) AS objects, count(DISTINCT sourceipaddress) AS addresses\nFROM {from}\nWHERE {w}\n  AND eventsource = 's3.amazonaws.com'\n  AND eventname = 'GetObject'\nGROUP BY 1, 2\nORDER BY objects DESC\nLIMIT 100;"
            ),
        },
    ]
}
