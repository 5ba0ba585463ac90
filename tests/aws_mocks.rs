//! SDK-level tests with `aws-smithy-mocks`: what an emulator cannot show. Denied calls,
//! throttling then success, a failed role assumption, opt-in regions, and an organization trail
//! as a member account sees it in AWS.

use aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsOutput;
use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
use aws_sdk_cloudtrail::operation::get_insight_selectors::GetInsightSelectorsError;
use aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusError;
use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType, Trail as SdkTrail};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::error::ErrorMetadata;
use logwarden::aws::{client, organizations, CallCtx, Counter};
use logwarden::inventory::Collected;
use logwarden::sources::cloudtrail::collect as cloudtrail;

const MEMBER: &str = "222222222222";
const MGMT: &str = "111111111111";

fn ctx(account: &str) -> CallCtx {
    CallCtx::new(account, Some("us-east-1"), &Counter::new(4))
}

/// The caller's session in the management account, as the audit builds it.
fn caller_session(region: &str, path_style: bool) -> client::AccountSession {
    client::AccountSession {
        account_id: MGMT.into(),
        config: aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_string()))
            .build(),
        path_style,
    }
}

fn org_trail() -> SdkTrail {
    // The shape AWS returns to a member: the management account's ARN, IsOrganizationTrail.
    SdkTrail::builder()
        .name("org-trail")
        .trail_arn(format!(
            "arn:aws:cloudtrail:us-east-1:{MGMT}:trail/org-trail"
        ))
        .home_region("us-east-1")
        .is_multi_region_trail(true)
        .is_organization_trail(true)
        .s3_bucket_name("org-logs")
        .log_file_validation_enabled(true)
        .has_insight_selectors(false)
        .build()
}

#[tokio::test]
async fn access_denied_names_the_account_region_and_iam_action() {
    let denied = mock!(aws_sdk_cloudtrail::Client::describe_trails).then_error(|| {
        aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsError::generic(
            ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("not authorized")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_cloudtrail, [&denied]);
    let err = cloudtrail::describe_trails(&client, &ctx(MEMBER))
        .await
        .unwrap_err();
    assert_eq!(err.code, "AccessDeniedException");
    assert_eq!(err.iam_action, "cloudtrail:DescribeTrails");
    assert_eq!(err.account_id, MEMBER);
    assert_eq!(err.region.as_deref(), Some("us-east-1"));
    assert_eq!(
        err.summary(),
        "222222222222 us-east-1 cloudtrail:DescribeTrails: AccessDeniedException: not authorized"
    );
}

#[tokio::test]
async fn throttling_is_retried_with_backoff_then_succeeds() {
    let rule = mock!(aws_sdk_cloudtrail::Client::describe_trails)
        .sequence()
        .error(|| {
            aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsError::generic(
                ErrorMetadata::builder()
                    .code("ThrottlingException")
                    .message("Rate exceeded")
                    .build(),
            )
        })
        .times(2)
        .output(|| {
            DescribeTrailsOutput::builder()
                .trail_list(org_trail())
                .build()
        })
        .build();
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::Sequential, [&rule], |c| c
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(3)));
    let counter = Counter::new(4);
    let trails =
        cloudtrail::describe_trails(&client, &CallCtx::new(MGMT, Some("us-east-1"), &counter))
            .await
            .expect("the third attempt succeeds");
    assert_eq!(trails.len(), 1);
    assert_eq!(
        rule.num_calls(),
        3,
        "two throttled attempts and one success"
    );
    assert_eq!(counter.get(), 1, "one logical call");
}

#[tokio::test]
async fn throttling_beyond_the_retry_budget_is_an_error_not_a_verdict() {
    let rule = mock!(aws_sdk_cloudtrail::Client::describe_trails)
        .sequence()
        .error(|| {
            aws_sdk_cloudtrail::operation::describe_trails::DescribeTrailsError::generic(
                ErrorMetadata::builder()
                    .code("ThrottlingException")
                    .message("Rate exceeded")
                    .build(),
            )
        })
        .times(5)
        .build();
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::Sequential, [&rule], |c| c
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(2)));
    let err = cloudtrail::describe_trails(&client, &ctx(MGMT))
        .await
        .unwrap_err();
    assert_eq!(err.code, "ThrottlingException");
    assert_eq!(rule.num_calls(), 2);
}

#[tokio::test]
async fn a_role_that_cannot_be_assumed_is_reported_with_its_arn() {
    let rule = mock!(aws_sdk_sts::Client::assume_role).then_error(|| {
        aws_sdk_sts::operation::assume_role::AssumeRoleError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("is not authorized to perform: sts:AssumeRole")
                .build(),
        )
    });
    let sts = mock_client!(aws_sdk_sts, [&rule]);
    let base = caller_session("us-east-1", false);
    let role = format!("arn:aws:iam::{MEMBER}:role/OrganizationAccountAccessRole");
    let err = client::assume_role(
        &sts,
        &base,
        &CallCtx::new(MEMBER, None, &Counter::new(1)),
        MEMBER,
        client::RoleAssumption {
            role_arn: &role,
            external_id: Some("ext"),
            session_name: "logwarden-audit",
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "AccessDenied");
    assert_eq!(err.iam_action, "sts:AssumeRole");
    assert_eq!(err.account_id, MEMBER);
    assert!(
        err.message.starts_with(&format!("cannot assume {role}:")),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn a_successful_role_assumption_yields_a_member_session() {
    let rule = mock!(aws_sdk_sts::Client::assume_role)
        .match_requests(|r| {
            r.external_id() == Some("ext") && r.role_arn().is_some_and(|a| a.contains(MEMBER))
        })
        .then_output(|| {
            aws_sdk_sts::operation::assume_role::AssumeRoleOutput::builder()
                .credentials(
                    aws_sdk_sts::types::Credentials::builder()
                        .access_key_id("ASIAEXAMPLE")
                        .secret_access_key("secret")
                        .session_token("token")
                        .expiration(aws_smithy_types::DateTime::from_secs(4_000_000_000))
                        .build()
                        .unwrap(),
                )
                .build()
        });
    let sts = mock_client!(aws_sdk_sts, [&rule]);
    let base = caller_session("eu-west-1", true);
    let role = format!("arn:aws:iam::{MEMBER}:role/OrganizationAccountAccessRole");
    let how = client::RoleAssumption {
        role_arn: &role,
        external_id: Some("ext"),
        session_name: "logwarden-audit",
    };
    let s = client::assume_role(&sts, &base, &ctx(MEMBER), MEMBER, how)
        .await
        .unwrap();
    assert_eq!(s.account_id, MEMBER);
    assert!(s.path_style);
    assert_eq!(s.home_region(), "eu-west-1");
    use aws_credential_types::provider::ProvideCredentials;
    let provider = s.config.credentials_provider().unwrap();
    // Credentials far from expiry are served without another call.
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "ASIAEXAMPLE");
    assert_eq!(rule.num_calls(), 1);
}

fn assumed(
    key: &'static str,
    expires: i64,
) -> aws_sdk_sts::operation::assume_role::AssumeRoleOutput {
    aws_sdk_sts::operation::assume_role::AssumeRoleOutput::builder()
        .credentials(
            aws_sdk_sts::types::Credentials::builder()
                .access_key_id(key)
                .secret_access_key("secret")
                .session_token("token")
                .expiration(aws_smithy_types::DateTime::from_secs(expires))
                .build()
                .unwrap(),
        )
        .build()
}

#[tokio::test]
async fn assumed_role_credentials_are_renewed_before_they_expire() {
    use aws_credential_types::provider::ProvideCredentials;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // The session name tells audit, plan and apply apart in CloudTrail.
    let rule = mock!(aws_sdk_sts::Client::assume_role)
        .match_requests(|r| r.role_session_name() == Some("logwarden-apply"))
        .then_output(move || assumed("ASIARENEWED", now + 3600));
    let sts = mock_client!(aws_sdk_sts, [&rule]);
    let role = format!("arn:aws:iam::{MEMBER}:role/logwarden-apply");
    let how = client::RoleAssumption {
        role_arn: &role,
        external_id: None,
        session_name: "logwarden-apply",
    };
    // Held credentials that expire in two minutes: assumed again.
    let held = aws_credential_types::Credentials::new(
        "ASIAOLD",
        "secret",
        Some("token".into()),
        Some(std::time::SystemTime::now() + std::time::Duration::from_secs(120)),
        "test",
    );
    let provider = client::RefreshingRole::new(sts, how, Some(held));
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "ASIARENEWED");
    assert_eq!(rule.num_calls(), 1);
    // Then served from what was renewed.
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), "ASIARENEWED");
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn opt_in_regions_and_other_partitions_are_told_apart() {
    use aws_sdk_ec2::types::Region;
    let rule = mock!(aws_sdk_ec2::Client::describe_regions).then_output(|| {
        aws_sdk_ec2::operation::describe_regions::DescribeRegionsOutput::builder()
            .regions(
                Region::builder()
                    .region_name("us-east-1")
                    .opt_in_status("opt-in-not-required")
                    .build(),
            )
            .regions(
                Region::builder()
                    .region_name("af-south-1")
                    .opt_in_status("not-opted-in")
                    .build(),
            )
            .regions(
                Region::builder()
                    .region_name("me-central-1")
                    .opt_in_status("opted-in")
                    .build(),
            )
            .regions(
                Region::builder()
                    .region_name("cn-north-1")
                    .opt_in_status("opt-in-not-required")
                    .build(),
            )
            .build()
    });
    let ec2 = mock_client!(aws_sdk_ec2, [&rule]);
    let regions = organizations::describe_regions(&ec2, &ctx(MGMT), "aws")
        .await
        .unwrap();
    assert_eq!(
        regions,
        vec![
            ("af-south-1".to_string(), false),
            ("me-central-1".to_string(), true),
            ("us-east-1".to_string(), true)
        ]
    );
}

#[tokio::test]
async fn organization_trail_as_a_member_sees_it() {
    // AWS shows the member the organization trail, but GetTrailStatus from the member is denied.
    let status = mock!(aws_sdk_cloudtrail::Client::get_trail_status).then_error(|| {
        GetTrailStatusError::generic(
            ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("denied")
                .build(),
        )
    });
    let selectors = mock!(aws_sdk_cloudtrail::Client::get_event_selectors)
        .match_requests(|r| {
            r.trail_name()
                .is_some_and(|n| n.starts_with("arn:aws:cloudtrail:us-east-1:111111111111:"))
        })
        .then_output(|| {
            GetEventSelectorsOutput::builder()
                .event_selectors(
                    EventSelector::builder()
                        .read_write_type(ReadWriteType::All)
                        .include_management_events(true)
                        .build(),
                )
                .build()
        });
    let insights = mock!(aws_sdk_cloudtrail::Client::get_insight_selectors).then_error(|| {
        GetInsightSelectorsError::generic(
            ErrorMetadata::builder()
                .code("InsightNotEnabledException")
                .build(),
        )
    });
    let client = mock_client!(
        aws_sdk_cloudtrail,
        RuleMode::MatchAny,
        [&status, &selectors, &insights]
    );
    let t = cloudtrail::trail_details(
        &client,
        &ctx(MEMBER),
        cloudtrail::description(&org_trail(), "us-east-1").unwrap(),
    )
    .await;
    assert!(t.is_organization_trail);
    assert_eq!(t.home_region, "us-east-1");
    let err = t.status.error().expect("status denied");
    assert_eq!(
        (err.code.as_str(), err.iam_action.as_str()),
        ("AccessDeniedException", "cloudtrail:GetTrailStatus")
    );
    assert!(matches!(t.selectors, Collected::Ok { .. }));
    assert_eq!(
        t.insights,
        Collected::ok(vec![]),
        "InsightNotEnabledException means none"
    );
}

/// UpdateTrail answered with an error code (what AWS says while a role propagates, or a denial).
fn update_trail_fails(code: &'static str) -> aws_smithy_mocks::Rule {
    use aws_sdk_cloudtrail::operation::update_trail::UpdateTrailError;
    mock!(aws_sdk_cloudtrail::Client::update_trail).then_error(move || {
        UpdateTrailError::generic(
            ErrorMetadata::builder()
                .code(code)
                .message("from the mock")
                .build(),
        )
    })
}

/// UpdateTrail through apply's propagation retry, with a 1 ms delay.
async fn update_with_retry(
    client: &aws_sdk_cloudtrail::Client,
) -> Result<
    aws_sdk_cloudtrail::operation::update_trail::UpdateTrailOutput,
    logwarden::inventory::CallError,
> {
    use logwarden::aws::apply::{retry_while_propagating, PROPAGATION_ERRORS};
    retry_while_propagating(
        &ctx(MGMT),
        "cloudtrail:UpdateTrail",
        PROPAGATION_ERRORS,
        std::time::Duration::from_millis(1),
        || client.update_trail().name("org-trail").send(),
    )
    .await
}

#[tokio::test]
async fn apply_retries_a_write_while_a_new_role_propagates() {
    use aws_sdk_cloudtrail::operation::update_trail::UpdateTrailOutput;
    let not_yet = update_trail_fails("InvalidCloudWatchLogsRoleArnException");
    let ok = mock!(aws_sdk_cloudtrail::Client::update_trail)
        .then_output(|| UpdateTrailOutput::builder().name("org-trail").build());
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::Sequential, [&not_yet, &ok]);
    let out = update_with_retry(&client)
        .await
        .expect("succeeds once the role is visible");
    assert_eq!(out.name(), Some("org-trail"));
    assert_eq!(not_yet.num_calls(), 1);
    assert_eq!(ok.num_calls(), 1);
}

#[tokio::test]
async fn apply_does_not_retry_a_denied_write_and_names_the_action() {
    let denied = update_trail_fails("AccessDeniedException");
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, [&denied]);
    let e = update_with_retry(&client).await.unwrap_err();
    assert_eq!(denied.num_calls(), 1, "a denial is not retried");
    assert_eq!(e.iam_action, "cloudtrail:UpdateTrail");
    assert_eq!(e.account_id, MGMT);
    assert_eq!(e.region.as_deref(), Some("us-east-1"));
    assert_eq!(e.code, "AccessDeniedException");
}

#[tokio::test]
async fn apply_gives_up_after_four_propagation_failures() {
    let never = update_trail_fails("InsufficientS3BucketPolicyException");
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, [&never]);
    let e = update_with_retry(&client).await.unwrap_err();
    assert_eq!(never.num_calls(), 4);
    assert_eq!(e.code, "InsufficientS3BucketPolicyException");
}

#[tokio::test]
async fn flow_log_and_access_log_key_layouts_are_read_as_aws_returns_them() {
    // moto returns neither a flow log's DestinationOptions nor a bucket's TargetObjectKeyFormat:
    // the shapes AWS returns, through the real SDK parsing.
    use aws_sdk_ec2::operation::describe_flow_logs::DescribeFlowLogsOutput;
    use aws_sdk_ec2::types::{DestinationFileFormat, DestinationOptionsResponse, FlowLog};
    use aws_sdk_s3::operation::get_bucket_logging::GetBucketLoggingOutput;
    use aws_sdk_s3::types::{
        LoggingEnabled, PartitionDateSource, PartitionedPrefix, TargetObjectKeyFormat,
    };
    let flows = mock!(aws_sdk_ec2::Client::describe_flow_logs).then_output(|| {
        DescribeFlowLogsOutput::builder()
            .flow_logs(
                FlowLog::builder()
                    .flow_log_id("fl-1")
                    .resource_id("vpc-1")
                    .log_destination_type("s3".into())
                    .log_destination("arn:aws:s3:::flow-logs/custom/")
                    .log_format("${version} ${srcaddr} ${dstaddr}")
                    .destination_options(
                        DestinationOptionsResponse::builder()
                            .file_format(DestinationFileFormat::Parquet)
                            .hive_compatible_partitions(true)
                            .per_hour_partition(true)
                            .build(),
                    )
                    .build(),
            )
            .flow_logs(
                FlowLog::builder()
                    .flow_log_id("fl-2")
                    .resource_id("vpc-2")
                    .build(),
            )
            // Made with LogGroupName: AWS's documented answer names the group, with no
            // LogDestination.
            .flow_logs(
                FlowLog::builder()
                    .flow_log_id("fl-3")
                    .resource_id("vpc-3")
                    .log_destination_type("cloud-watch-logs".into())
                    .log_group_name("FlowLogGroup")
                    .build(),
            )
            .build()
    });
    let ec2 = mock_client!(aws_sdk_ec2, RuleMode::MatchAny, [&flows]);
    let got = logwarden::sources::vpc_flow_logs::collect::flow_logs(&ec2, &ctx(MEMBER)).await;
    let got = got.value().expect("read");
    assert_eq!(
        got[0].log_format.as_deref(),
        Some("${version} ${srcaddr} ${dstaddr}")
    );
    assert_eq!(got[0].file_format.as_deref(), Some("parquet"));
    assert!(got[0].hive_compatible && got[0].per_hour);
    assert_eq!(
        (got[1].file_format.as_deref(), got[1].hive_compatible),
        (None, false)
    );
    assert_eq!(got[1].destination, None);
    assert_eq!(
        got[0].destination.as_deref(),
        Some("arn:aws:s3:::flow-logs/custom/")
    );
    assert_eq!(
        got[2].destination.as_deref(),
        Some("arn:aws:logs:us-east-1:222222222222:log-group:FlowLogGroup:*")
    );
    assert_eq!(
        got[2].destination_type.as_ref().map(|t| t.as_str()),
        Some("cloud-watch-logs")
    );

    let logging = mock!(aws_sdk_s3::Client::get_bucket_logging).then_output(|| {
        GetBucketLoggingOutput::builder()
            .logging_enabled(
                LoggingEnabled::builder()
                    .target_bucket("access-logs")
                    .target_prefix("data/")
                    .target_object_key_format(
                        TargetObjectKeyFormat::builder()
                            .partitioned_prefix(
                                PartitionedPrefix::builder()
                                    .partition_date_source(PartitionDateSource::DeliveryTime)
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&logging]);
    let got = logwarden::sources::s3_access_logs::collect::logging(&s3, &ctx(MEMBER), "data").await;
    let target = got.value().expect("read").clone().expect("logging on");
    assert_eq!(
        (target.target_bucket.as_str(), target.target_prefix.as_str()),
        ("access-logs", "data/")
    );
    assert_eq!(target.partitioned_by.as_deref(), Some("DeliveryTime"));
}

#[tokio::test]
async fn cloudtrail_public_keys_come_back_base64_with_every_page() {
    use aws_sdk_cloudtrail::operation::list_public_keys::ListPublicKeysOutput;
    use aws_sdk_cloudtrail::types::PublicKey;
    use aws_smithy_types::{Blob, DateTime};
    let key = |fp: &str, der: &[u8]| {
        PublicKey::builder()
            .fingerprint(fp)
            .value(Blob::new(der.to_vec()))
            .validity_start_time(DateTime::from_secs(1_767_225_600))
            .validity_end_time(DateTime::from_secs(1_798_761_600))
            .build()
    };
    let first = mock!(aws_sdk_cloudtrail::Client::list_public_keys)
        .match_requests(|r| r.next_token().is_none() && r.start_time().is_some())
        .then_output(move || {
            ListPublicKeysOutput::builder()
                .public_key_list(key("aa", &[0x30, 0x82, 0x01]))
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_cloudtrail::Client::list_public_keys)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(move || {
            ListPublicKeysOutput::builder()
                .public_key_list(key("bb", &[0xff]))
                .build()
        });
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, [&first, &second]);
    let keys = logwarden::aws::objects::list_public_keys(
        &client,
        &ctx(MGMT),
        time::macros::datetime!(2026-11-26 00:00 UTC),
        time::macros::datetime!(2026-11-28 00:00 UTC),
    )
    .await
    .unwrap();
    let got: Vec<(&str, &str)> = keys
        .iter()
        .map(|k| (k.fingerprint.as_str(), k.value.as_str()))
        .collect();
    assert_eq!(got, vec![("aa", "MIIB"), ("bb", "/w==")]);
    assert_eq!(
        keys[0].validity_start_time.as_deref(),
        Some("2026-01-01T00:00:00Z")
    );
    // As `--public-keys` reads them back.
    let listed = serde_json::json!({"PublicKeyList": keys.iter().map(|k| serde_json::json!({"Fingerprint": k.fingerprint, "Value": k.value})).collect::<Vec<_>>()});
    let parsed = logwarden::evidence::parse_public_keys(&listed.to_string()).unwrap();
    assert_eq!(parsed[1].value, "/w==");
}

/// moto drops Lambda's `LoggingConfig`: AWS returns it with every function of `ListFunctions`
/// (no call per function), a custom group beside AWS's default, JSON format and levels.
#[tokio::test]
async fn lambda_logging_config_comes_with_every_page_of_list_functions() {
    use aws_sdk_lambda::operation::list_functions::ListFunctionsOutput;
    use aws_sdk_lambda::types::{
        ApplicationLogLevel, FunctionConfiguration, LogFormat, LoggingConfig, Runtime,
        SystemLogLevel,
    };
    let function = |name: &str, logging: LoggingConfig| {
        FunctionConfiguration::builder()
            .function_name(name)
            .function_arn(format!("arn:aws:lambda:us-east-1:{MEMBER}:function:{name}"))
            .runtime(Runtime::Python312)
            .logging_config(logging)
            .build()
    };
    let first = mock!(aws_sdk_lambda::Client::list_functions)
        .match_requests(|r| r.marker().is_none())
        .then_output(move || {
            ListFunctionsOutput::builder()
                .functions(function(
                    "billing",
                    LoggingConfig::builder()
                        .log_format(LogFormat::Json)
                        .application_log_level(ApplicationLogLevel::Info)
                        .system_log_level(SystemLogLevel::Warn)
                        .log_group("/apps/billing")
                        .build(),
                ))
                .next_marker("page-2")
                .build()
        });
    let second = mock!(aws_sdk_lambda::Client::list_functions)
        .match_requests(|r| r.marker() == Some("page-2"))
        .then_output(move || {
            ListFunctionsOutput::builder()
                .functions(function(
                    "orders",
                    LoggingConfig::builder()
                        .log_format(LogFormat::Text)
                        .log_group("/aws/lambda/orders")
                        .build(),
                ))
                .build()
        });
    let client = mock_client!(aws_sdk_lambda, RuleMode::MatchAny, [&first, &second]);
    let got = logwarden::sources::lambda::collect::functions(&client, &ctx(MEMBER)).await;
    let got = got.value().expect("read");
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].name, "billing");
    assert_eq!(got[0].log_group, "/apps/billing");
    assert!(got[0].custom_log_group);
    assert_eq!(got[0].log_format.as_deref(), Some("JSON"));
    assert_eq!(got[0].application_log_level.as_deref(), Some("INFO"));
    assert_eq!(got[0].system_log_level.as_deref(), Some("WARN"));
    assert_eq!(got[0].runtime.as_deref(), Some("python3.12"));
    // AWS names the default group explicitly: it is not a custom one.
    assert_eq!(got[1].log_group, "/aws/lambda/orders");
    assert!(!got[1].custom_log_group);
    assert_eq!(first.num_calls() + second.num_calls(), 2);
}

/// WAF: a scope with no web ACL has no logging configuration, so its logging listing is not
/// asked for; a scope with one is read; ACLs that cannot be listed leave both unknown.
#[tokio::test]
async fn waf_logging_is_listed_only_for_a_scope_with_a_web_acl() {
    use aws_sdk_wafv2::operation::list_logging_configurations::ListLoggingConfigurationsOutput;
    use aws_sdk_wafv2::operation::list_web_acls::{ListWebACLsError, ListWebAcLsOutput};
    use aws_sdk_wafv2::types::{LoggingConfiguration, Scope, WebAclSummary};
    use logwarden::sources::waf::collect::read;
    let arn = format!("arn:aws:wafv2:us-east-1:{MEMBER}:global/webacl/edge/1");
    let acl_arn = arn.clone();
    let regional = mock!(aws_sdk_wafv2::Client::list_web_acls)
        .match_requests(|r| r.scope() == Some(&Scope::Regional))
        .then_output(|| ListWebAcLsOutput::builder().build());
    let edge = mock!(aws_sdk_wafv2::Client::list_web_acls)
        .match_requests(|r| r.scope() == Some(&Scope::Cloudfront))
        .then_output(move || {
            ListWebAcLsOutput::builder()
                .web_acls(
                    WebAclSummary::builder()
                        .name("edge")
                        .id("1")
                        .arn(acl_arn.clone())
                        .build(),
                )
                .build()
        });
    let config_arn = arn.clone();
    let logging = mock!(aws_sdk_wafv2::Client::list_logging_configurations)
        .match_requests(|r| r.scope() == Some(&Scope::Cloudfront))
        .then_output(move || {
            ListLoggingConfigurationsOutput::builder()
                .logging_configurations(
                    LoggingConfiguration::builder()
                        .resource_arn(config_arn.clone())
                        .log_destination_configs(format!(
                            "arn:aws:logs:us-east-1:{MEMBER}:log-group:aws-waf-logs-edge"
                        ))
                        .build()
                        .expect("required fields"),
                )
                .build()
        });
    let any_logging = mock!(aws_sdk_wafv2::Client::list_logging_configurations)
        .then_output(|| ListLoggingConfigurationsOutput::builder().build());
    let client = mock_client!(
        aws_sdk_wafv2,
        RuleMode::MatchAny,
        [&regional, &edge, &logging, &any_logging]
    );
    let (acls, configs) = read(&client, &ctx(MEMBER), &[Scope::Regional, Scope::Cloudfront]).await;
    let acls = acls.expect("listed");
    assert_eq!(acls.len(), 1);
    assert_eq!(
        (acls[0].name.as_str(), acls[0].scope.as_str()),
        ("edge", "CLOUDFRONT")
    );
    let configs = configs.expect("listed");
    assert_eq!(configs.len(), 1);
    assert_eq!(configs[0].resource_arn, arn);
    assert_eq!((regional.num_calls(), edge.num_calls()), (1, 1));
    // The CLOUDFRONT scope's logging was read; the REGIONAL scope, with no ACL, was not asked.
    assert_eq!((logging.num_calls(), any_logging.num_calls()), (1, 0));

    let denied = mock!(aws_sdk_wafv2::Client::list_web_acls).then_error(|| {
        ListWebACLsError::generic(
            ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("not authorized")
                .build(),
        )
    });
    let unasked = mock!(aws_sdk_wafv2::Client::list_logging_configurations)
        .then_output(|| ListLoggingConfigurationsOutput::builder().build());
    let client = mock_client!(aws_sdk_wafv2, RuleMode::MatchAny, [&denied, &unasked]);
    let (acls, configs) = read(&client, &ctx(MEMBER), &[Scope::Regional]).await;
    let (a, c) = (acls.unwrap_err(), configs.unwrap_err());
    assert_eq!(a.iam_action, "wafv2:ListWebACLs");
    assert_eq!(
        c, a,
        "the logging configurations are unknown for the same reason"
    );
    assert_eq!(unasked.num_calls(), 0);
}

/// Organizations: AWS retired the accounts' `Status` on 2026-09-09 and answers with `State`.
/// An account is active by its `State`; `Status` counts only where `State` is absent (an older
/// endpoint); closed, suspended and pending accounts, and one with neither, are not audited.
#[tokio::test]
async fn accounts_are_active_by_their_state_then_their_status() {
    use aws_sdk_organizations::operation::list_accounts::ListAccountsOutput;
    use aws_sdk_organizations::types::{Account, AccountState, AccountStatus};
    let rule = mock!(aws_sdk_organizations::Client::list_accounts).then_output(|| {
        let acct = |id: &str| Account::builder().id(id).name(format!("n{id}"));
        ListAccountsOutput::builder()
            .accounts(acct("111111111111").state(AccountState::Active).build())
            .accounts(acct("222222222222").state(AccountState::Closed).build())
            .accounts(
                acct("333333333333")
                    .state(AccountState::Suspended)
                    .status(AccountStatus::Active)
                    .build(),
            )
            .accounts(acct("444444444444").status(AccountStatus::Active).build())
            .accounts(acct("555555555555").build())
            .accounts(
                acct("666666666666")
                    .state(AccountState::PendingActivation)
                    .build(),
            )
            .build()
    });
    let client = mock_client!(aws_sdk_organizations, [&rule]);
    let ids: Vec<String> = organizations::list_active_accounts(&client, &ctx(MGMT))
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, ["111111111111", "444444444444"]);
}

/// WAF: a CloudFront web ACL the CLOUDFRONT logging listing leaves out (moto 5.2.1 files those
/// configurations under REGIONAL) is asked about on its own, so a logged ACL is never reported
/// as logging nothing; one without a configuration stays without; a listed one is not asked.
#[tokio::test]
async fn waf_cloudfront_acls_missing_from_the_listing_are_asked_one_by_one() {
    use aws_sdk_wafv2::operation::get_logging_configuration::{
        GetLoggingConfigurationError, GetLoggingConfigurationOutput,
    };
    use aws_sdk_wafv2::operation::list_logging_configurations::ListLoggingConfigurationsOutput;
    use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
    use aws_sdk_wafv2::types::{LoggingConfiguration, Scope, WebAclSummary};
    use logwarden::sources::waf::collect::read;
    let arn = |name: &str| format!("arn:aws:wafv2:us-east-1:{MEMBER}:global/webacl/{name}/1");
    let (logged, bare, listed) = (arn("logged"), arn("bare"), arn("listed"));
    let group = format!("arn:aws:logs:us-east-1:{MEMBER}:log-group:aws-waf-logs-edge");
    let config = move |acl: &str| {
        LoggingConfiguration::builder()
            .resource_arn(acl)
            .log_destination_configs(group.clone())
            .build()
            .expect("required fields")
    };
    let names = [logged.clone(), bare.clone(), listed.clone()];
    let acls = mock!(aws_sdk_wafv2::Client::list_web_acls).then_output(move || {
        let mut out = ListWebAcLsOutput::builder();
        for a in &names {
            out = out.web_acls(WebAclSummary::builder().name("edge").id("1").arn(a).build());
        }
        out.build()
    });
    let (c, l) = (config.clone(), listed.clone());
    let listing =
        mock!(aws_sdk_wafv2::Client::list_logging_configurations).then_output(move || {
            ListLoggingConfigurationsOutput::builder()
                .logging_configurations(c(&l))
                .build()
        });
    let (c, l) = (config.clone(), logged.clone());
    let get_logged = mock!(aws_sdk_wafv2::Client::get_logging_configuration)
        .match_requests(move |r| r.resource_arn() == Some(l.as_str()))
        .then_output(move || {
            GetLoggingConfigurationOutput::builder()
                .logging_configuration(c(&arn("logged")))
                .build()
        });
    let b = bare.clone();
    let get_bare = mock!(aws_sdk_wafv2::Client::get_logging_configuration)
        .match_requests(move |r| r.resource_arn() == Some(b.as_str()))
        .then_error(|| {
            GetLoggingConfigurationError::generic(
                ErrorMetadata::builder()
                    .code("WAFNonexistentItemException")
                    .message("no logging configuration")
                    .build(),
            )
        });
    let get_listed = mock!(aws_sdk_wafv2::Client::get_logging_configuration)
        .then_output(|| GetLoggingConfigurationOutput::builder().build());
    let client = mock_client!(
        aws_sdk_wafv2,
        RuleMode::MatchAny,
        [&acls, &listing, &get_logged, &get_bare, &get_listed]
    );
    let (_, configs) = read(&client, &ctx(MEMBER), &[Scope::Cloudfront]).await;
    let mut got: Vec<String> = configs
        .expect("read")
        .into_iter()
        .map(|c| c.resource_arn)
        .collect();
    got.sort();
    let mut want = vec![logged, listed];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        (
            get_logged.num_calls(),
            get_bare.num_calls(),
            get_listed.num_calls()
        ),
        (1, 1, 0)
    );
}

/// Route 53 Resolver: an account and region with no query-logging configuration (its own or
/// shared with it) can have no association, so the associations are not asked for; with one,
/// they are; configurations that cannot be listed leave the associations to be read.
#[tokio::test]
async fn resolver_associations_are_listed_only_where_a_configuration_is() {
    use aws_sdk_route53resolver::operation::list_resolver_query_log_config_associations::ListResolverQueryLogConfigAssociationsOutput;
    use aws_sdk_route53resolver::operation::list_resolver_query_log_configs::{
        ListResolverQueryLogConfigsError, ListResolverQueryLogConfigsOutput,
    };
    use aws_sdk_route53resolver::types::{
        ResolverQueryLogConfig, ResolverQueryLogConfigAssociation,
        ResolverQueryLogConfigAssociationStatus, ResolverQueryLogConfigStatus, ShareStatus,
    };
    use logwarden::sources::resolver_query_logs::collect::read;
    let associations = || {
        mock!(aws_sdk_route53resolver::Client::list_resolver_query_log_config_associations)
            .then_output(|| {
                ListResolverQueryLogConfigAssociationsOutput::builder()
                    .resolver_query_log_config_associations(
                        ResolverQueryLogConfigAssociation::builder()
                            .id("rqlca-1")
                            .resolver_query_log_config_id("rqlc-shared")
                            .resource_id("vpc-1")
                            .status(ResolverQueryLogConfigAssociationStatus::Active)
                            .build(),
                    )
                    .build()
            })
    };
    // None listed: one call.
    let none = mock!(aws_sdk_route53resolver::Client::list_resolver_query_log_configs)
        .then_output(|| ListResolverQueryLogConfigsOutput::builder().build());
    let unasked = associations();
    let client = mock_client!(
        aws_sdk_route53resolver,
        RuleMode::MatchAny,
        [&none, &unasked]
    );
    let got = read(&client, &ctx(MEMBER)).await;
    assert_eq!(got.configs.value().map(Vec::len), Some(0));
    assert_eq!(got.associations.value().map(Vec::len), Some(0));
    assert_eq!((none.num_calls(), unasked.num_calls()), (1, 0));
    // One shared with the account: its VPC's association is read.
    let shared = mock!(aws_sdk_route53resolver::Client::list_resolver_query_log_configs)
        .then_output(|| {
            ListResolverQueryLogConfigsOutput::builder()
                .resolver_query_log_configs(
                    ResolverQueryLogConfig::builder()
                        .id("rqlc-shared")
                        .owner_id(MGMT)
                        .status(ResolverQueryLogConfigStatus::Created)
                        .share_status(ShareStatus::SharedWithMe)
                        .destination_arn("arn:aws:s3:::dns-logs")
                        .build(),
                )
                .build()
        });
    let asked = associations();
    let client = mock_client!(
        aws_sdk_route53resolver,
        RuleMode::MatchAny,
        [&shared, &asked]
    );
    let got = read(&client, &ctx(MEMBER)).await;
    let a = got.associations.value().expect("listed");
    assert_eq!(
        (a.len(), a[0].resource_id.as_str(), a[0].config_id.as_str()),
        (1, "vpc-1", "rqlc-shared")
    );
    assert_eq!(asked.num_calls(), 1);
    // Configurations denied: the associations are still read (nothing is assumed from a failure).
    let denied = mock!(aws_sdk_route53resolver::Client::list_resolver_query_log_configs)
        .then_error(|| {
            ListResolverQueryLogConfigsError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("not authorized")
                    .build(),
            )
        });
    let still = associations();
    let client = mock_client!(
        aws_sdk_route53resolver,
        RuleMode::MatchAny,
        [&denied, &still]
    );
    let got = read(&client, &ctx(MEMBER)).await;
    assert_eq!(
        got.configs.error().map(|e| e.iam_action.as_str()),
        Some("route53resolver:ListResolverQueryLogConfigs")
    );
    assert_eq!(got.associations.value().map(Vec::len), Some(1));
    assert_eq!(still.num_calls(), 1);
}

/// CloudTrail Lake is not in moto. ListEventDataStores no longer returns status, retention or
/// protection (AWS deprecated those list fields): each store is described.
#[tokio::test]
async fn cloudtrail_lake_stores_are_listed_then_described() {
    use aws_sdk_cloudtrail::operation::get_event_data_store::{
        GetEventDataStoreError, GetEventDataStoreOutput,
    };
    use aws_sdk_cloudtrail::operation::list_event_data_stores::ListEventDataStoresOutput;
    use aws_sdk_cloudtrail::types::{
        AdvancedEventSelector, AdvancedFieldSelector, EventDataStore, EventDataStoreStatus,
    };
    use logwarden::sources::cloudtrail_lake::model::StoreStatus;
    let arn = |n: &str| format!("arn:aws:cloudtrail:us-east-1:{MGMT}:eventdatastore/{n}");
    let list = mock!(aws_sdk_cloudtrail::Client::list_event_data_stores).then_output(move || {
        ListEventDataStoresOutput::builder()
            .event_data_stores(
                EventDataStore::builder()
                    .event_data_store_arn(arn("a"))
                    .name("org-events")
                    .build(),
            )
            .event_data_stores(
                EventDataStore::builder()
                    .event_data_store_arn(arn("b"))
                    .name("data-only")
                    .build(),
            )
            .event_data_stores(
                EventDataStore::builder()
                    .event_data_store_arn(arn("c"))
                    .name("gone")
                    .build(),
            )
            .build()
    });
    let a = mock!(aws_sdk_cloudtrail::Client::get_event_data_store)
        .match_requests(move |r| r.event_data_store() == Some(arn("a").as_str()))
        .then_output(move || {
            GetEventDataStoreOutput::builder()
                .event_data_store_arn(arn("a"))
                .name("org-events")
                .status(EventDataStoreStatus::Enabled)
                .organization_enabled(true)
                .multi_region_enabled(true)
                .retention_period(2557)
                .termination_protection_enabled(true)
                .created_timestamp(aws_smithy_types::DateTime::from_secs(1_767_225_600))
                .build()
        });
    let b = mock!(aws_sdk_cloudtrail::Client::get_event_data_store)
        .match_requests(move |r| r.event_data_store() == Some(arn("b").as_str()))
        .then_output(move || {
            GetEventDataStoreOutput::builder()
                .event_data_store_arn(arn("b"))
                .name("data-only")
                .status(EventDataStoreStatus::StoppedIngestion)
                .retention_period(90)
                .termination_protection_enabled(false)
                .kms_key_id("arn:aws:kms:us-east-1:111111111111:key/k")
                .advanced_event_selectors(
                    AdvancedEventSelector::builder()
                        .field_selectors(
                            AdvancedFieldSelector::builder()
                                .field("eventCategory")
                                .equals("Data")
                                .build()
                                .unwrap(),
                        )
                        .build()
                        .unwrap(),
                )
                .build()
        });
    // Deleted between the two calls: left out, not an error.
    let c = mock!(aws_sdk_cloudtrail::Client::get_event_data_store)
        .match_requests(move |r| r.event_data_store() == Some(arn("c").as_str()))
        .then_error(|| {
            GetEventDataStoreError::generic(
                ErrorMetadata::builder()
                    .code("EventDataStoreNotFoundException")
                    .message("not found")
                    .build(),
            )
        });
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, [&list, &a, &b, &c]);
    let got = logwarden::sources::cloudtrail_lake::collect::stores(&client, &ctx(MGMT)).await;
    let got = got.value().expect("read");
    assert_eq!(got.len(), 2, "{got:?}");
    let a = got[0].details.value().unwrap();
    assert_eq!(a.status, StoreStatus::Enabled);
    assert!(a.organization && a.multi_region && a.termination_protection && a.management_events);
    assert_eq!(a.retention_days, Some(2557));
    assert_eq!(a.created.as_deref(), Some("2026-01-01T00:00:00Z"));
    let b = got[1].details.value().unwrap();
    assert_eq!(b.status, StoreStatus::StoppedIngestion);
    assert!(
        !b.management_events,
        "a data-events store holds no management events"
    );
    assert!(b.kms_key_id.is_some());
}

/// Security Lake is not in moto. ListDataLakes answers for the regions asked, each lake with its
/// bucket, encryption, lifecycle and replication; ListLogSources pages through every account's
/// sources per region, AWS sources and custom ones in one union.
#[tokio::test]
async fn security_lake_lakes_and_sources_are_read_as_aws_returns_them() {
    use aws_sdk_securitylake::operation::list_data_lakes::ListDataLakesOutput;
    use aws_sdk_securitylake::operation::list_log_sources::ListLogSourcesOutput;
    use aws_sdk_securitylake::types::{
        AwsLogSourceName, AwsLogSourceResource, CustomLogSourceResource,
        DataLakeEncryptionConfiguration, DataLakeLifecycleConfiguration,
        DataLakeLifecycleExpiration, DataLakeReplicationConfiguration, DataLakeResource,
        DataLakeStatus, LogSource, LogSourceResource,
    };
    let lakes = mock!(aws_sdk_securitylake::Client::list_data_lakes)
        .match_requests(|r| r.regions() == ["us-east-1", "eu-west-1"])
        .then_output(|| {
            ListDataLakesOutput::builder()
                .data_lakes(
                    DataLakeResource::builder()
                        .data_lake_arn(format!(
                            "arn:aws:securitylake:us-east-1:{MGMT}:data-lake/default"
                        ))
                        .region("us-east-1")
                        .s3_bucket_arn("arn:aws:s3:::aws-security-data-lake-us-east-1-abc")
                        .encryption_configuration(
                            DataLakeEncryptionConfiguration::builder()
                                .kms_key_id("S3_MANAGED_KEY")
                                .build(),
                        )
                        .lifecycle_configuration(
                            DataLakeLifecycleConfiguration::builder()
                                .expiration(
                                    DataLakeLifecycleExpiration::builder().days(400).build(),
                                )
                                .build(),
                        )
                        .replication_configuration(
                            DataLakeReplicationConfiguration::builder()
                                .regions("eu-west-1")
                                .build(),
                        )
                        .create_status(DataLakeStatus::Completed)
                        .build()
                        .unwrap(),
                )
                .build()
        });
    let page = |account: &str, sources: Vec<LogSourceResource>, token: Option<&str>| {
        let mut b = ListLogSourcesOutput::builder().sources(
            LogSource::builder()
                .account(account)
                .region("us-east-1")
                .set_sources(Some(sources))
                .build(),
        );
        if let Some(t) = token {
            b = b.next_token(t);
        }
        b.build()
    };
    let aws = |n: AwsLogSourceName| {
        LogSourceResource::AwsLogSource(
            AwsLogSourceResource::builder()
                .source_name(n)
                .source_version("2.0")
                .build(),
        )
    };
    let first = mock!(aws_sdk_securitylake::Client::list_log_sources)
        .match_requests(|r| r.next_token().is_none() && r.regions() == ["us-east-1"])
        .then_output(move || {
            page(
                MGMT,
                vec![
                    aws(AwsLogSourceName::VpcFlow),
                    aws(AwsLogSourceName::CloudTrailMgmt),
                    LogSourceResource::CustomLogSource(
                        CustomLogSourceResource::builder()
                            .source_name("okta")
                            .build(),
                    ),
                ],
                Some("page-2"),
            )
        });
    let second = mock!(aws_sdk_securitylake::Client::list_log_sources)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(move || page(MEMBER, vec![aws(AwsLogSourceName::Route53)], None));
    let client = mock_client!(
        aws_sdk_securitylake,
        RuleMode::MatchAny,
        [&lakes, &first, &second]
    );
    use logwarden::sources::security_lake::collect as lake;
    let got = lake::lakes(
        &client,
        &ctx(MGMT),
        &["us-east-1".into(), "eu-west-1".into()],
    )
    .await;
    let got = got.value().expect("read");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].region, "us-east-1");
    assert_eq!(got[0].expiration_days, Some(400));
    assert_eq!(got[0].replication_regions, ["eu-west-1"]);
    assert_eq!(got[0].kms_key.as_deref(), Some("S3_MANAGED_KEY"));
    assert_eq!(got[0].status.as_deref(), Some("COMPLETED"));
    let sources = lake::sources(&client, &ctx(MGMT), &["us-east-1".into()]).await;
    let sources = sources.value().expect("read");
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0].account, MGMT);
    assert_eq!(sources[0].sources, ["CLOUD_TRAIL_MGMT", "VPC_FLOW"]);
    assert_eq!(sources[0].custom, ["okta"]);
    assert_eq!(sources[1].sources, ["ROUTE53"]);
    assert_eq!(first.num_calls() + second.num_calls(), 2);
}

/// An account that never enabled Security Lake answers ResourceNotFoundException: no lakes,
/// not an error; AccessDenied stays an error naming the action.
#[tokio::test]
async fn security_lake_absent_is_empty_and_denied_is_unknown() {
    use aws_sdk_securitylake::operation::list_data_lakes::ListDataLakesError;
    use aws_sdk_securitylake::types::error::{AccessDeniedException, ResourceNotFoundException};
    let absent = mock!(aws_sdk_securitylake::Client::list_data_lakes).then_error(|| {
        ListDataLakesError::ResourceNotFoundException(
            ResourceNotFoundException::builder()
                .message("Security Lake is not enabled")
                .meta(
                    ErrorMetadata::builder()
                        .code("ResourceNotFoundException")
                        .build(),
                )
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_securitylake, [&absent]);
    let got = logwarden::sources::security_lake::collect::lakes(
        &client,
        &ctx(MEMBER),
        &["us-east-1".into()],
    )
    .await;
    assert_eq!(got.value().map(|v| v.len()), Some(0));
    let denied = mock!(aws_sdk_securitylake::Client::list_data_lakes).then_error(|| {
        ListDataLakesError::AccessDeniedException(
            AccessDeniedException::builder()
                .message("not authorized")
                .meta(
                    ErrorMetadata::builder()
                        .code("AccessDeniedException")
                        .build(),
                )
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_securitylake, [&denied]);
    let got = logwarden::sources::security_lake::collect::lakes(
        &client,
        &ctx(MEMBER),
        &["us-east-1".into()],
    )
    .await;
    let e = got.error().expect("an error, not a verdict");
    assert_eq!(e.iam_action, "securitylake:ListDataLakes");
    assert_eq!(e.account_id, MEMBER);
}

/// A fake endpoint (an in-process `HttpConnector`, `Clone`) as the SDK's `HttpClient`: each
/// connection it is asked for is the fake itself.
macro_rules! http_client {
    ($fake:ty) => {
        impl aws_smithy_runtime_api::client::http::HttpClient for $fake {
            fn http_connector(
                &self,
                _: &aws_smithy_runtime_api::client::http::HttpConnectorSettings,
                _: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
            ) -> aws_smithy_runtime_api::client::http::SharedHttpConnector {
                aws_smithy_runtime_api::client::http::SharedHttpConnector::new(self.clone())
            }
        }
    };
}

/// Every object S3 is asked for is refused twice with 503 SlowDown, then served.
#[derive(Debug, Clone, Default)]
struct SlowDownTwice(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, u32>>>);

impl aws_smithy_runtime_api::client::http::HttpConnector for SlowDownTwice {
    fn call(
        &self,
        request: aws_smithy_runtime_api::client::orchestrator::HttpRequest,
    ) -> aws_smithy_runtime_api::client::http::HttpConnectorFuture {
        use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
        use aws_smithy_types::body::SdkBody;
        let seen = {
            let mut m = self.0.lock().unwrap();
            let n = m.entry(request.uri().to_string()).or_default();
            *n += 1;
            *n
        };
        let response = if seen <= 2 {
            HttpResponse::new(
                503.try_into().unwrap(),
                SdkBody::from("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"),
            )
        } else {
            HttpResponse::new(200.try_into().unwrap(), SdkBody::from("log"))
        };
        aws_smithy_runtime_api::client::http::HttpConnectorFuture::ready(Ok(response))
    }
}

http_client!(SlowDownTwice);

/// A session whose every S3 request meets [`SlowDownTwice`], with quick backoff.
fn slowed_session(account: &str) -> client::AccountSession {
    session_over(account, SlowDownTwice::default())
}

/// A session whose every request meets `http` (test credentials), with quick backoff.
fn session_over(
    account: &str,
    http: impl aws_smithy_runtime_api::client::http::HttpClient + 'static,
) -> client::AccountSession {
    use aws_config::retry::RetryConfig;
    use std::time::Duration;
    client::AccountSession {
        account_id: account.into(),
        config: aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new("AKID", "secret", None, None, "test"),
                ),
            )
            .http_client(http)
            .sleep_impl(aws_smithy_async::rt::sleep::default_async_sleep().unwrap())
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(5)
                    .with_initial_backoff(Duration::from_millis(1))
                    .with_max_backoff(Duration::from_millis(2)),
            )
            .build(),
        path_style: false,
    }
}

/// An evidence pull reads thousands of objects of one account and region. Under sustained
/// SlowDown the standard retry quota (one per account and region) runs dry: each call throttled
/// twice keeps one retry's tokens, so after some tens of calls the next ones fail at their first
/// throttle. Object reads have no shared quota: every one gets its --max-attempts.
#[tokio::test]
async fn sustained_slowdown_does_not_starve_an_evidence_pull_of_retries() {
    const CALLS: usize = 200;
    // The audit's S3 client: the quota runs dry (what object reads used before).
    let shared = slowed_session("444455556666");
    let s3 = client::s3(&shared, "us-east-1");
    let mut failed = 0;
    for i in 0..CALLS {
        let r = s3
            .get_object()
            .bucket("logs")
            .key(format!("a/{i}"))
            .send()
            .await;
        failed += usize::from(r.is_err());
    }
    assert!(failed > 0, "the shared quota never ran dry");
    // Evidence's object reads: every object arrives on its third attempt.
    let session = slowed_session("777788889999");
    let ctx = ctx("777788889999");
    for i in 0..CALLS {
        let got =
            logwarden::aws::objects::get(&session, "us-east-1", &ctx, "logs", &format!("b/{i}"))
                .await
                .unwrap_or_else(|e| panic!("object {i}: {}", e.summary()))
                .unwrap();
        assert_eq!(got.bytes, b"log");
    }
}

/// A bucket policy that names every principal it allows is never public: S3 is not asked
/// (`GetBucketPolicyStatus`, which the emulator does not serve either). A policy that allows
/// everyone under conditions is S3's to judge, and its answer is kept.
#[tokio::test]
async fn a_bucket_policy_naming_its_principals_needs_no_policy_status_call() {
    use aws_sdk_s3::operation::get_bucket_acl::GetBucketAclOutput;
    use aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyOutput;
    use aws_sdk_s3::operation::get_bucket_policy_status::GetBucketPolicyStatusOutput;
    use aws_sdk_s3::operation::get_public_access_block::GetPublicAccessBlockOutput;
    use aws_sdk_s3::types::{PolicyStatus, PublicAccessBlockConfiguration};
    let delivery = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/AWSLogs/*"},
        {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::logs/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
    let to_org = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}"#;
    for (policy, asked, public) in [(delivery, 0, false), (to_org, 1, true)] {
        let block = mock!(aws_sdk_s3::Client::get_public_access_block).then_output(|| {
            GetPublicAccessBlockOutput::builder()
                .public_access_block_configuration(
                    PublicAccessBlockConfiguration::builder()
                        .block_public_acls(true)
                        .ignore_public_acls(true)
                        .build(),
                )
                .build()
        });
        let doc = mock!(aws_sdk_s3::Client::get_bucket_policy)
            .then_output(move || GetBucketPolicyOutput::builder().policy(policy).build());
        let status = mock!(aws_sdk_s3::Client::get_bucket_policy_status).then_output(|| {
            GetBucketPolicyStatusOutput::builder()
                .policy_status(PolicyStatus::builder().is_public(true).build())
                .build()
        });
        let acl = mock!(aws_sdk_s3::Client::get_bucket_acl)
            .then_output(|| GetBucketAclOutput::builder().build());
        let s3 = mock_client!(
            aws_sdk_s3,
            RuleMode::MatchAny,
            [&block, &doc, &status, &acl]
        );
        let (_, read_policy, is_public, acl_grants) =
            logwarden::sources::s3_access_logs::collect::read_exposure(&s3, &ctx(MEMBER), "logs")
                .await;
        assert_eq!(read_policy.value(), Some(&Some(policy.to_string())));
        assert_eq!(status.num_calls(), asked, "{policy}");
        assert_eq!(is_public.value(), Some(&Some(public)), "{policy}");
        // The public access block ignores public ACLs: the ACL is not read either.
        assert_eq!(acl.num_calls(), 0);
        assert_eq!(acl_grants.value(), Some(&vec![]));
    }
}

/// CloudWatch Logs as AWS speaks it on the wire (JSON 1.1, the operation in `X-Amz-Target`),
/// keeping each request's target and body: moto 5.2.1 neither reports nor sets a log group's
/// deletion protection.
#[derive(Debug, Clone, Default)]
struct WireLogs(std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>);

/// A `DescribeLogGroups` answer in AWS's shape: one group protected, one without the field.
const DESCRIBE_LOG_GROUPS: &str = r#"{"logGroups":[
  {"logGroupName":"org-trail-events","creationTime":1735689600000,"retentionInDays":400,
   "metricFilterCount":0,"storedBytes":0,"logGroupClass":"STANDARD","deletionProtectionEnabled":true,
   "arn":"arn:aws:logs:us-east-1:222222222222:log-group:org-trail-events:*",
   "logGroupArn":"arn:aws:logs:us-east-1:222222222222:log-group:org-trail-events"},
  {"logGroupName":"/aws/lambda/orders","creationTime":1735689600000,"metricFilterCount":0,
   "storedBytes":0,"logGroupClass":"STANDARD",
   "arn":"arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/orders:*",
   "logGroupArn":"arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/orders"}]}"#;

impl aws_smithy_runtime_api::client::http::HttpConnector for WireLogs {
    fn call(
        &self,
        request: aws_smithy_runtime_api::client::orchestrator::HttpRequest,
    ) -> aws_smithy_runtime_api::client::http::HttpConnectorFuture {
        use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
        use aws_smithy_types::body::SdkBody;
        let target = request
            .headers()
            .get("x-amz-target")
            .unwrap_or_default()
            .to_string();
        let body = String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).to_string();
        self.0.lock().unwrap().push((target.clone(), body));
        let answer = match target.as_str() {
            "Logs_20140328.DescribeLogGroups" => DESCRIBE_LOG_GROUPS,
            _ => "{}",
        };
        let mut response = HttpResponse::new(200.try_into().unwrap(), SdkBody::from(answer));
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.1");
        aws_smithy_runtime_api::client::http::HttpConnectorFuture::ready(Ok(response))
    }
}

http_client!(WireLogs);

/// A log group's deletion protection, read from the listing AWS returns (absent: off) and
/// turned on with the request AWS documents, through the SDK's own serialization.
#[tokio::test]
async fn log_group_deletion_protection_is_read_and_set_as_aws_speaks_it() {
    let wire = WireLogs::default();
    let session = session_over(MEMBER, wire.clone());
    let logs = aws_sdk_cloudwatchlogs::Client::new(&session.config);
    let got = logwarden::sources::cloudwatch_logs::collect::groups(&logs, &ctx(MEMBER)).await;
    let got: Vec<(&str, bool)> = got
        .value()
        .expect("read")
        .iter()
        .map(|g| (g.name.as_str(), g.deletion_protection))
        .collect();
    assert_eq!(
        got,
        vec![("org-trail-events", true), ("/aws/lambda/orders", false)]
    );
    logwarden::sources::cloudwatch_logs::apply::protect(&logs, &ctx(MEMBER), "/aws/lambda/orders")
        .await
        .expect("protected");
    let seen = wire.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1].0, "Logs_20140328.PutLogGroupDeletionProtection");
    let sent: serde_json::Value = serde_json::from_str(&seen[1].1).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"logGroupIdentifier": "/aws/lambda/orders", "deletionProtectionEnabled": true})
    );
}

/// A profile may name every protection plan GuardDuty's API accepts, and nothing else: the
/// profile's list is the SDK's `DetectorFeature` (a newer SDK with a new plan fails here until
/// the list names it).
#[test]
fn the_guardduty_plans_a_profile_accepts_are_the_apis() {
    let mut ours: Vec<&str> = logwarden::sources::guardduty::profile::FEATURES.to_vec();
    let mut api: Vec<&str> = aws_sdk_guardduty::types::DetectorFeature::values().to_vec();
    ours.sort_unstable();
    api.sort_unstable();
    assert_eq!(ours, api);
}

/// A participant's DescribeVpcs lists the VPC whose subnets another account shares with it,
/// with that owner's `OwnerId`: the collector keeps it, so the VPC is judged by its owner.
#[tokio::test]
async fn a_vpc_shared_with_the_account_is_read_with_its_owner() {
    use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
    use aws_sdk_ec2::types::Vpc;
    let listing = mock!(aws_sdk_ec2::Client::describe_vpcs).then_output(|| {
        DescribeVpcsOutput::builder()
            .vpcs(
                Vpc::builder()
                    .vpc_id("vpc-own")
                    .owner_id(MEMBER)
                    .is_default(false)
                    .build(),
            )
            .vpcs(
                Vpc::builder()
                    .vpc_id("vpc-shared")
                    .owner_id(MGMT)
                    .is_default(false)
                    .build(),
            )
            .build()
    });
    let ec2 = mock_client!(aws_sdk_ec2, [&listing]);
    let got = logwarden::sources::vpc_flow_logs::collect::describe_vpcs(&ec2, &ctx(MEMBER)).await;
    let got: Vec<(&str, Option<&str>)> = got
        .value()
        .expect("read")
        .iter()
        .map(|v| (v.id.as_str(), v.shared_by(MEMBER)))
        .collect();
    assert_eq!(got, vec![("vpc-own", None), ("vpc-shared", Some(MGMT))]);
}

/// Apply's GuardDuty update, against a detector as AWS's GetDetector describes it: the
/// foundational sources (`CLOUD_TRAIL`, `DNS_LOGS`, `FLOW_LOGS`) and both runtime plans listed.
/// The request must carry neither the names AWS accepts only in answers nor the two runtime
/// plans together (AWS refuses both); the plans already on are sent back, the asked one enabled.
#[tokio::test]
async fn a_guardduty_update_names_only_what_aws_accepts_in_a_request() {
    use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
    use aws_sdk_guardduty::operation::list_detectors::ListDetectorsOutput;
    use aws_sdk_guardduty::operation::update_detector::UpdateDetectorOutput;
    use aws_sdk_guardduty::types::{DetectorFeatureConfigurationResult, DetectorFeatureResult};
    use aws_sdk_guardduty::types::{DetectorStatus, FeatureStatus};
    let list = mock!(aws_sdk_guardduty::Client::list_detectors)
        .then_output(|| ListDetectorsOutput::builder().detector_ids("det1").build());
    let get = mock!(aws_sdk_guardduty::Client::get_detector).then_output(|| {
        let f = |name: &str, on: bool| {
            DetectorFeatureConfigurationResult::builder()
                .name(DetectorFeatureResult::from(name))
                .status(if on {
                    FeatureStatus::Enabled
                } else {
                    FeatureStatus::Disabled
                })
                .build()
        };
        GetDetectorOutput::builder()
            .status(DetectorStatus::Enabled)
            .service_role("arn:aws:iam::222222222222:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty")
            .features(f("CLOUD_TRAIL", true))
            .features(f("DNS_LOGS", true))
            .features(f("FLOW_LOGS", true))
            .features(f("S3_DATA_EVENTS", true))
            .features(f("EKS_AUDIT_LOGS", false))
            .features(f("EKS_RUNTIME_MONITORING", false))
            .features(f("RUNTIME_MONITORING", true))
            .build()
    });
    let sent = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, String)>::new()));
    let seen = sent.clone();
    let update = mock!(aws_sdk_guardduty::Client::update_detector)
        .match_requests(move |r| {
            *seen.lock().unwrap() = r
                .features()
                .iter()
                .map(|f| {
                    (
                        f.name().map(|n| n.as_str().to_string()).unwrap_or_default(),
                        f.status()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                    )
                })
                .collect();
            true
        })
        .then_output(|| UpdateDetectorOutput::builder().build());
    let client = mock_client!(
        aws_sdk_guardduty,
        RuleMode::MatchAny,
        [&list, &get, &update]
    );
    // EKS Runtime Monitoring is asked: Runtime Monitoring, running, answers for it.
    let asked = [
        "EKS_RUNTIME_MONITORING".to_string(),
        "EKS_AUDIT_LOGS".to_string(),
    ];
    logwarden::sources::guardduty::apply::ensure_detector(
        &client,
        &ctx(MEMBER),
        &ctx(MEMBER),
        &asked,
    )
    .await
    .expect("updated");
    assert_eq!(update.num_calls(), 1);
    let got = sent.lock().unwrap().clone();
    let own = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        got,
        own(&[
            ("S3_DATA_EVENTS", "ENABLED"),
            ("RUNTIME_MONITORING", "ENABLED"),
            ("EKS_AUDIT_LOGS", "ENABLED"),
        ])
    );
}

/// Completing an existing Config recorder (all supported types) keeps its recording
/// frequency and per-type overrides: `PutConfigurationRecorder` replaces the whole recorder,
/// and one sent without them falls back to continuous recording of everything.
#[test]
fn a_completed_config_recorder_keeps_its_recording_frequency() {
    use aws_sdk_config::types::{
        ConfigurationRecorder, RecordingFrequency, RecordingGroup, RecordingMode,
        RecordingModeOverride,
    };
    let daily = RecordingMode::builder()
        .recording_frequency(RecordingFrequency::Daily)
        .recording_mode_overrides(
            RecordingModeOverride::builder()
                .resource_types("AWS::EC2::Instance".into())
                .recording_frequency(RecordingFrequency::Continuous)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let existing = ConfigurationRecorder::builder()
        .name("team")
        .role_arn("arn:aws:iam::222222222222:role/team-config")
        .recording_group(
            RecordingGroup::builder()
                .all_supported(false)
                .resource_types("AWS::S3::Bucket".into())
                .build(),
        )
        .recording_mode(daily.clone())
        .build();
    let put = logwarden::sources::config::apply::recorder_to_put(
        Some(&existing),
        "team",
        "arn:aws:iam::222222222222:role/team-config",
        false,
        false,
    )
    .unwrap();
    assert_eq!(put.recording_mode(), Some(&daily));
    let group = put.recording_group().unwrap();
    assert!(group.all_supported());
    assert!(!group.include_global_resource_types());
    // A new recorder: AWS's default (continuous).
    let new =
        logwarden::sources::config::apply::recorder_to_put(None, "default", "arn:r", true, false)
            .unwrap();
    assert_eq!(new.recording_mode(), None);
    assert!(new
        .recording_group()
        .unwrap()
        .include_global_resource_types());
}

/// A recorder made continuous (the profile's `continuous_recording`) records every type as it
/// changes: its daily frequency goes, and so do the overrides that record types daily; an
/// override that is not daily is kept (nothing else of the recorder's mode is lost).
#[test]
fn a_daily_config_recorder_made_continuous_keeps_its_other_overrides() {
    use aws_sdk_config::types::{
        ConfigurationRecorder, RecordingFrequency, RecordingMode, RecordingModeOverride,
    };
    let o = |t: &str, f: RecordingFrequency| {
        RecordingModeOverride::builder()
            .description(format!("{t} {f}"))
            .resource_types(t.into())
            .recording_frequency(f)
            .build()
            .unwrap()
    };
    let existing = |freq: RecordingFrequency| {
        ConfigurationRecorder::builder()
            .name("team")
            .recording_mode(
                RecordingMode::builder()
                    .recording_frequency(freq)
                    .recording_mode_overrides(o("AWS::EC2::Instance", RecordingFrequency::Daily))
                    .recording_mode_overrides(o(
                        "AWS::EC2::SecurityGroup",
                        RecordingFrequency::Continuous,
                    ))
                    .build()
                    .unwrap(),
            )
            .build()
    };
    for freq in [RecordingFrequency::Daily, RecordingFrequency::Continuous] {
        let put = logwarden::sources::config::apply::recorder_to_put(
            Some(&existing(freq.clone())),
            "team",
            "arn:r",
            true,
            true,
        )
        .unwrap();
        let mode = put.recording_mode().unwrap();
        assert_eq!(mode.recording_frequency(), &RecordingFrequency::Continuous);
        assert_eq!(
            mode.recording_mode_overrides(),
            &[o("AWS::EC2::SecurityGroup", RecordingFrequency::Continuous)],
            "{freq}"
        );
    }
}

/// What the collector makes of a recorder's `recordingMode`, in the shapes AWS returns: absent
/// (continuous, AWS's default), `DAILY` (every type, whatever the overrides), `CONTINUOUS` with
/// daily overrides (those types, sorted, once each), `CONTINUOUS` with only continuous ones.
#[test]
fn a_config_recorders_daily_recording_is_read_from_its_recording_mode() {
    use aws_sdk_config::types::{RecordingFrequency, RecordingMode, RecordingModeOverride};
    use logwarden::sources::config::{collect::daily, model::DailyRecording};
    let o = |types: &[&str], f: RecordingFrequency| {
        let mut b = RecordingModeOverride::builder().recording_frequency(f);
        for t in types {
            b = b.resource_types((*t).into());
        }
        b.build().unwrap()
    };
    let mode = |f: RecordingFrequency, overrides: Vec<RecordingModeOverride>| {
        RecordingMode::builder()
            .recording_frequency(f)
            .set_recording_mode_overrides(Some(overrides))
            .build()
            .unwrap()
    };
    use RecordingFrequency::{Continuous, Daily};
    assert_eq!(daily(None), DailyRecording::None);
    let all = mode(Daily, vec![o(&["AWS::EC2::Instance"], Continuous)]);
    assert_eq!(daily(Some(&all)), DailyRecording::All);
    let some = mode(
        Continuous,
        vec![
            o(&["AWS::EC2::Volume", "AWS::EC2::Instance"], Daily),
            o(&["AWS::EC2::Instance"], Daily),
            o(&["AWS::IAM::Role"], Continuous),
        ],
    );
    assert_eq!(
        daily(Some(&some)),
        DailyRecording::Types(vec!["AWS::EC2::Instance".into(), "AWS::EC2::Volume".into()])
    );
    let none = mode(Continuous, vec![o(&["AWS::IAM::Role"], Continuous)]);
    assert_eq!(daily(Some(&none)), DailyRecording::None);
}

/// Adding an Insights type to a trail keeps the trail's own selectors whole: an
/// `ApiCallRateInsight` on management and data events stays on data events
/// (`PutInsightSelectors` replaces the list; a selector sent without its event categories
/// would fall back to management events only).
#[test]
fn adding_an_insight_type_keeps_the_trails_event_categories() {
    use aws_sdk_cloudtrail::types::{InsightSelector, InsightType, SourceEventCategory};
    use logwarden::sources::cloudtrail::apply::insight_selectors_to_put;
    let rate = InsightSelector::builder()
        .insight_type(InsightType::ApiCallRateInsight)
        .event_categories(SourceEventCategory::Management)
        .event_categories(SourceEventCategory::Data)
        .build();
    let put = insight_selectors_to_put(
        std::slice::from_ref(&rate),
        &[
            "ApiCallRateInsight".to_string(),
            "ApiErrorRateInsight".to_string(),
            "ApiErrorRateInsight".to_string(),
        ],
    )
    .expect("one type to add");
    assert_eq!(put.len(), 2);
    assert_eq!(put[0], rate);
    assert_eq!(
        put[1].insight_type(),
        Some(&InsightType::ApiErrorRateInsight)
    );
    // Nothing missing: no call.
    assert!(insight_selectors_to_put(&[rate], &["ApiCallRateInsight".to_string()]).is_none());
}

/// Client VPN: the endpoints as AWS's DescribeClientVpnEndpoints describes them (connection
/// logging on with a group, off, and one being deleted, which is left out); apply re-reads
/// them and sends ModifyClientVpnEndpoint with connection logging on, to the profile's group,
/// only for an endpoint that still logs nothing.
#[tokio::test]
async fn client_vpn_endpoints_are_read_with_their_connection_logs_and_only_silent_ones_are_changed()
{
    use aws_sdk_ec2::operation::describe_client_vpn_endpoints::DescribeClientVpnEndpointsOutput;
    use aws_sdk_ec2::operation::modify_client_vpn_endpoint::ModifyClientVpnEndpointOutput;
    use aws_sdk_ec2::types::{
        ClientVpnEndpoint, ClientVpnEndpointStatus, ClientVpnEndpointStatusCode,
        ConnectionLogResponseOptions,
    };
    let endpoint = |id: &str, status: ClientVpnEndpointStatusCode, log: Option<&str>| {
        ClientVpnEndpoint::builder()
            .client_vpn_endpoint_id(id)
            .description("staff")
            .status(ClientVpnEndpointStatus::builder().code(status).build())
            .connection_log_options(
                ConnectionLogResponseOptions::builder()
                    .enabled(log.is_some())
                    .set_cloudwatch_log_group(log.map(String::from))
                    .build(),
            )
            .build()
    };
    let listing =
        mock!(aws_sdk_ec2::Client::describe_client_vpn_endpoints).then_output(move || {
            DescribeClientVpnEndpointsOutput::builder()
                .client_vpn_endpoints(endpoint(
                    "cvpn-endpoint-on",
                    ClientVpnEndpointStatusCode::Available,
                    Some("/vpn/staff"),
                ))
                .client_vpn_endpoints(endpoint(
                    "cvpn-endpoint-off",
                    ClientVpnEndpointStatusCode::Available,
                    None,
                ))
                .client_vpn_endpoints(endpoint(
                    "cvpn-endpoint-gone",
                    ClientVpnEndpointStatusCode::Deleting,
                    None,
                ))
                .build()
        });
    let sent = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = sent.clone();
    let modify = mock!(aws_sdk_ec2::Client::modify_client_vpn_endpoint)
        .match_requests(move |r| {
            let log = r.connection_log_options().expect("log options sent");
            seen.lock().unwrap().push(format!(
                "{} {:?} {}",
                r.client_vpn_endpoint_id().unwrap_or_default(),
                log.enabled(),
                log.cloudwatch_log_group().unwrap_or_default()
            ));
            true
        })
        .then_output(|| {
            ModifyClientVpnEndpointOutput::builder()
                .r#return(true)
                .build()
        });
    let ec2 = mock_client!(aws_sdk_ec2, RuleMode::MatchAny, [&listing, &modify]);
    let got = logwarden::sources::client_vpn::collect::endpoints(&ec2, &ctx(MEMBER)).await;
    let got: Vec<(&str, bool, Option<&str>)> = got
        .value()
        .expect("read")
        .iter()
        .map(|e| (e.id.as_str(), e.connection_logging, e.log_group.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("cvpn-endpoint-on", true, Some("/vpn/staff")),
            ("cvpn-endpoint-off", false, None)
        ]
    );
    // The plan named both; the one logging since keeps its group.
    logwarden::sources::client_vpn::apply::enable(
        &ec2,
        &ctx(MEMBER),
        &ctx(MEMBER),
        &[
            "cvpn-endpoint-on".to_string(),
            "cvpn-endpoint-off".to_string(),
        ],
        "/aws/client-vpn/logwarden",
    )
    .await
    .expect("enabled");
    assert_eq!(
        *sent.lock().unwrap(),
        vec!["cvpn-endpoint-off Some(true) /aws/client-vpn/logwarden".to_string()]
    );
}

/// Redshift: the clusters as DescribeClusters lists them (one being deleted, left out), each
/// cluster's DescribeLoggingStatus (S3, CloudWatch Logs with one type, and a cluster gone since
/// the listing, left out), and DescribeClusterParameters read once per parameter group, however
/// many clusters share it. Apply re-reads each cluster: one writing to S3 is left alone, one
/// writing to CloudWatch Logs keeps its type and gains the missing ones, one writing nothing
/// gets all of them.
#[tokio::test]
async fn redshift_clusters_are_read_with_their_audit_logging_and_apply_only_adds() {
    use aws_sdk_redshift::operation::describe_cluster_parameters::DescribeClusterParametersOutput;
    use aws_sdk_redshift::operation::describe_clusters::DescribeClustersOutput;
    use aws_sdk_redshift::operation::describe_logging_status::{
        DescribeLoggingStatusError, DescribeLoggingStatusOutput,
    };
    use aws_sdk_redshift::operation::enable_logging::EnableLoggingOutput;
    use aws_sdk_redshift::types::{
        Cluster, ClusterParameterGroupStatus, LogDestinationType, Parameter,
    };
    let cluster = |id: &str, status: &str, group: &str| {
        Cluster::builder()
            .cluster_identifier(id)
            .cluster_status(status)
            .cluster_parameter_groups(
                ClusterParameterGroupStatus::builder()
                    .parameter_group_name(group)
                    .parameter_apply_status("in-sync")
                    .build(),
            )
            .build()
    };
    let listing = mock!(aws_sdk_redshift::Client::describe_clusters).then_output(move || {
        DescribeClustersOutput::builder()
            .clusters(cluster("dw-s3", "available", "analytics"))
            .clusters(cluster("dw-cw", "available", "default.redshift-1.0"))
            .clusters(cluster("dw-gone", "available", "analytics"))
            .clusters(cluster("dw-deleting", "deleting", "other"))
            .build()
    });
    let status = |id: &'static str, out: fn() -> DescribeLoggingStatusOutput| {
        mock!(aws_sdk_redshift::Client::describe_logging_status)
            .match_requests(move |r| r.cluster_identifier() == Some(id))
            .then_output(out)
    };
    let s3 = status("dw-s3", || {
        DescribeLoggingStatusOutput::builder()
            .logging_enabled(true)
            .bucket_name("dw-audit")
            .s3_key_prefix("redshift/")
            .log_destination_type(LogDestinationType::S3)
            .last_successful_delivery_time(aws_smithy_types::DateTime::from_secs(1_764_547_200))
            .build()
    });
    let cw = status("dw-cw", || {
        DescribeLoggingStatusOutput::builder()
            .logging_enabled(true)
            .log_destination_type(LogDestinationType::Cloudwatch)
            .log_exports("connectionlog")
            .build()
    });
    let off = status("dw-off", || {
        DescribeLoggingStatusOutput::builder()
            .logging_enabled(false)
            .build()
    });
    let gone = mock!(aws_sdk_redshift::Client::describe_logging_status)
        .match_requests(|r| r.cluster_identifier() == Some("dw-gone"))
        .then_error(|| {
            DescribeLoggingStatusError::generic(
                ErrorMetadata::builder()
                    .code("ClusterNotFound")
                    .message("Cluster dw-gone not found.")
                    .build(),
            )
        });
    let params = |group: &'static str, value: &'static str| {
        mock!(aws_sdk_redshift::Client::describe_cluster_parameters)
            .match_requests(move |r| r.parameter_group_name() == Some(group))
            .then_output(move || {
                DescribeClusterParametersOutput::builder()
                    .parameters(
                        Parameter::builder()
                            .parameter_name("require_ssl")
                            .parameter_value("true")
                            .build(),
                    )
                    .parameters(
                        Parameter::builder()
                            .parameter_name("enable_user_activity_logging")
                            .parameter_value(value)
                            .build(),
                    )
                    .build()
            })
    };
    let analytics = params("analytics", "true");
    let default = params("default.redshift-1.0", "false");
    let sent = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = sent.clone();
    let enable = mock!(aws_sdk_redshift::Client::enable_logging)
        .match_requests(move |r| {
            seen.lock().unwrap().push(format!(
                "{} {:?} {}",
                r.cluster_identifier().unwrap_or_default(),
                r.log_destination_type(),
                r.log_exports().join(",")
            ));
            true
        })
        .then_output(|| EnableLoggingOutput::builder().build());
    let redshift = mock_client!(
        aws_sdk_redshift,
        RuleMode::MatchAny,
        [&listing, &s3, &cw, &off, &gone, &analytics, &default, &enable]
    );
    let got = logwarden::sources::redshift::collect::clusters(&redshift, &ctx(MEMBER)).await;
    let got: Vec<String> = got
        .value()
        .expect("read")
        .iter()
        .map(|c| {
            let l = c.logging.value().expect("logging read");
            format!(
                "{} {} {:?} {:?} {:?} {:?} {:?}",
                c.id,
                l.enabled,
                l.destination,
                l.bucket,
                l.log_exports,
                l.last_delivery,
                c.user_activity_logging.value()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "dw-s3 true Some(\"s3\") Some(\"dw-audit\") [] Some(\"2025-12-01T00:00:00Z\") Some(Some(true))",
            "dw-cw true Some(\"cloudwatch\") None [\"connectionlog\"] None Some(Some(false))",
        ]
    );
    // One read per parameter group, however many clusters use it; none for a deleted cluster.
    assert_eq!(analytics.num_calls(), 1);
    assert_eq!(default.num_calls(), 1);
    let wanted: Vec<String> = ["connectionlog", "userlog", "useractivitylog"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for c in ["dw-s3", "dw-cw", "dw-off"] {
        logwarden::sources::redshift::apply::enable(
            &redshift,
            &ctx(MEMBER),
            &ctx(MEMBER),
            c,
            &wanted,
        )
        .await
        .expect("enabled");
    }
    assert_eq!(
        *sent.lock().unwrap(),
        [
            "dw-cw Some(Cloudwatch) connectionlog,userlog,useractivitylog",
            "dw-off Some(Cloudwatch) connectionlog,userlog,useractivitylog",
        ]
    );
}

/// Config: the collector reads the customer managed recorder with its status and recording
/// mode; a service-linked recorder in the answer (a service's own, e.g. Security Hub's) is not
/// the account's history and is left out, its status with it.
#[tokio::test]
async fn config_recorders_leave_service_linked_ones_out_and_read_the_frequency() {
    use aws_sdk_config::operation::describe_configuration_recorder_status::DescribeConfigurationRecorderStatusOutput;
    use aws_sdk_config::operation::describe_configuration_recorders::DescribeConfigurationRecordersOutput;
    use aws_sdk_config::types::{
        ConfigurationRecorder, ConfigurationRecorderStatus, RecorderStatus, RecordingFrequency,
        RecordingGroup, RecordingMode, RecordingScope,
    };
    use logwarden::sources::config::model::{DailyRecording, RecorderStatus as Status};
    let recorders =
        mock!(aws_sdk_config::Client::describe_configuration_recorders).then_output(|| {
            DescribeConfigurationRecordersOutput::builder()
                .configuration_recorders(
                    ConfigurationRecorder::builder()
                        .name("AWSConfigurationRecorderForSecurityHub")
                        .service_principal("securityhub.amazonaws.com")
                        .recording_scope(RecordingScope::Internal)
                        .recording_group(
                            RecordingGroup::builder()
                                .all_supported(false)
                                .include_global_resource_types(true)
                                .build(),
                        )
                        .build(),
                )
                .configuration_recorders(
                    ConfigurationRecorder::builder()
                        .name("default")
                        .recording_group(RecordingGroup::builder().all_supported(true).build())
                        .recording_mode(
                            RecordingMode::builder()
                                .recording_frequency(RecordingFrequency::Daily)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .build()
        });
    let status =
        mock!(aws_sdk_config::Client::describe_configuration_recorder_status).then_output(|| {
            DescribeConfigurationRecorderStatusOutput::builder()
                .configuration_recorders_status(
                    ConfigurationRecorderStatus::builder()
                        .name("AWSConfigurationRecorderForSecurityHub")
                        .service_principal("securityhub.amazonaws.com")
                        .recording(true)
                        .build(),
                )
                .configuration_recorders_status(
                    ConfigurationRecorderStatus::builder()
                        .name("default")
                        .recording(true)
                        .last_status(RecorderStatus::Success)
                        .build(),
                )
                .build()
        });
    let client = mock_client!(aws_sdk_config, RuleMode::MatchAny, [&recorders, &status]);
    let got = logwarden::sources::config::collect::recorders(&client, &ctx(MEMBER)).await;
    let got = got.value().expect("read");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].name, "default");
    assert!(got[0].all_supported);
    assert!(!got[0].include_global_resource_types);
    assert_eq!(got[0].daily, DailyRecording::All);
    assert_eq!(got[0].recording.value(), Some(&true));
    assert_eq!(got[0].last_status.value(), Some(&Some(Status::Success)));
}

/// Step Functions: the listing, then each machine's description for its logging configuration
/// and type (the description's type wins); a machine deleted in between is left out, one whose
/// description is denied is `unknown` alone; no configuration at all reads as `OFF`.
#[tokio::test]
async fn step_functions_machines_are_read_with_their_logging() {
    use aws_sdk_sfn::operation::describe_state_machine::{
        DescribeStateMachineError, DescribeStateMachineOutput,
    };
    use aws_sdk_sfn::operation::list_state_machines::ListStateMachinesOutput;
    use aws_sdk_sfn::types::{
        CloudWatchLogsLogGroup, LogDestination, LogLevel, LoggingConfiguration,
        StateMachineListItem, StateMachineType,
    };
    fn arn(n: &str) -> String {
        format!("arn:aws:states:us-east-1:{MEMBER}:stateMachine:{n}")
    }
    fn item(n: &str) -> StateMachineListItem {
        StateMachineListItem::builder()
            .name(n)
            .state_machine_arn(arn(n))
            .r#type(StateMachineType::Standard)
            .creation_date(aws_smithy_types::DateTime::from_secs(0))
            .build()
            .unwrap()
    }
    let list = mock!(aws_sdk_sfn::Client::list_state_machines).then_output(move || {
        ListStateMachinesOutput::builder()
            .state_machines(item("orders"))
            .state_machines(item("quiet"))
            .state_machines(item("gone"))
            .state_machines(item("secret"))
            .build()
            .unwrap()
    });
    let described =
        |n: &'static str, ty: StateMachineType, logging: Option<LoggingConfiguration>| {
            let a = arn(n);
            mock!(aws_sdk_sfn::Client::describe_state_machine)
                .match_requests(move |r| r.state_machine_arn() == Some(a.as_str()))
                .then_output(move || {
                    DescribeStateMachineOutput::builder()
                        .name(n)
                        .state_machine_arn(arn(n))
                        .definition("{}")
                        .role_arn("arn:aws:iam::222222222222:role/wf")
                        .r#type(ty.clone())
                        .creation_date(aws_smithy_types::DateTime::from_secs(0))
                        .set_logging_configuration(logging.clone())
                        .build()
                        .unwrap()
                })
        };
    let group = format!("arn:aws:logs:us-east-1:{MEMBER}:log-group:/wf/orders:*");
    let orders = described(
        "orders",
        StateMachineType::Express,
        Some(
            LoggingConfiguration::builder()
                .level(LogLevel::All)
                .include_execution_data(true)
                .destinations(
                    LogDestination::builder()
                        .cloud_watch_logs_log_group(
                            CloudWatchLogsLogGroup::builder()
                                .log_group_arn(&group)
                                .build(),
                        )
                        .build(),
                )
                .build(),
        ),
    );
    let quiet = described("quiet", StateMachineType::Standard, None);
    let error = |code: &'static str, n: &'static str| {
        let a = arn(n);
        mock!(aws_sdk_sfn::Client::describe_state_machine)
            .match_requests(move |r| r.state_machine_arn() == Some(a.as_str()))
            .then_error(move || {
                DescribeStateMachineError::generic(
                    ErrorMetadata::builder().code(code).message("no").build(),
                )
            })
    };
    let gone = error("StateMachineDoesNotExist", "gone");
    let secret = error("AccessDeniedException", "secret");
    let client = mock_client!(
        aws_sdk_sfn,
        RuleMode::MatchAny,
        [&list, &orders, &quiet, &gone, &secret]
    );
    let got =
        logwarden::sources::step_functions::collect::state_machines(&client, &ctx(MEMBER)).await;
    let got = got.value().expect("listed");
    let names: Vec<&str> = got.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["orders", "quiet", "secret"]);
    assert_eq!(got[0].kind, "EXPRESS");
    let l = got[0].logging.value().unwrap();
    assert_eq!(
        (
            l.level.as_str(),
            l.include_execution_data,
            l.destinations.clone()
        ),
        ("ALL", true, vec![group.clone()])
    );
    let l = got[1].logging.value().unwrap();
    assert_eq!((l.level.as_str(), l.destinations.len()), ("OFF", 0));
    assert_eq!(got[1].kind, "STANDARD");
    let e = got[2].logging.error().expect("denied");
    assert_eq!(e.code, "AccessDeniedException");
    assert_eq!(got[2].kind, "STANDARD");
    assert_eq!(list.num_calls(), 1);
}
