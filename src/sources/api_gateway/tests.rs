//! API Gateway access logging: the checks, table-driven over a stage's settings; the lookback;
//! the profile section; and the plan's manual steps.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::model::LogGroup;

fn stage(name: &str, group: Option<&str>, execution: Option<&str>) -> Stage {
    Stage {
        name: name.into(),
        created: Some("2026-01-01T00:00:00Z".into()),
        access_log_destination: group.map(|g| format!("arn:aws:logs:{R1}:{MEMBER}:log-group:{g}")),
        access_log_format: group.map(|_| "$context.requestId".into()),
        execution_logging: execution.map(String::from),
        execution_logging_off: Vec::new(),
    }
}

fn api(id: &str, protocol: &str, stages: Vec<Stage>) -> Api {
    Api {
        id: id.into(),
        name: format!("{id}-api"),
        protocol: protocol.into(),
        stages: ok(stages),
    }
}

fn org_with(rest: Vec<Api>, v2: Vec<Api>, groups: Vec<LogGroup>) -> crate::sources::Inventory {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.api_gateway.rest_apis = ok(rest);
    r.data.api_gateway.v2_apis = ok(v2);
    r.data.cloudwatch_logs.groups = ok(groups);
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
    check: &str,
) -> Vec<(Status, String, String)> {
    let e = evaluate(inv, b);
    find(&e, check, MEMBER, Some(R1))
        .iter()
        .map(|f| (f.status, f.message.clone(), f.resource.clone()))
        .collect()
}

#[test]
fn a_stage_is_judged_by_its_access_log_destination() {
    let b = recommended();
    let inv = org_with(
        vec![api(
            "r1",
            "REST",
            vec![
                stage("prod", Some("/apigw/prod"), Some("ERROR")),
                stage("dev", None, Some("OFF")),
            ],
        )],
        vec![
            api(
                "h1",
                "HTTP",
                vec![stage("$default", Some("/apigw/h1"), None)],
            ),
            api("w1", "WEBSOCKET", vec![stage("live", None, Some("INFO"))]),
        ],
        vec![LogGroup::sample(
            "/apigw/prod",
            Some(365),
            "2026-01-01T00:00:00Z",
        )],
    );
    let rest = verdicts(&inv, &b, "api_gateway.rest_access_logging");
    assert_eq!(rest.len(), 2, "{rest:?}");
    let dev = rest.iter().find(|v| v.2.ends_with("/stages/dev")).unwrap();
    assert_eq!(dev.0, Status::Fail);
    assert_eq!(
        dev.1,
        "REST API r1-api (r1) stage dev writes no access logs; execution logging OFF"
    );
    assert_eq!(
        dev.2,
        "arn:aws:apigateway:us-east-1::/restapis/r1/stages/dev"
    );
    let prod = rest.iter().find(|v| v.2.ends_with("/stages/prod")).unwrap();
    assert_eq!(prod.0, Status::Pass);
    assert_eq!(
        prod.1,
        "REST API r1-api (r1) stage prod writes access logs to log group /apigw/prod (kept 365 days); execution logging ERROR"
    );
    let v2 = verdicts(&inv, &b, "api_gateway.v2_access_logging");
    assert_eq!(v2.len(), 2, "{v2:?}");
    let h = v2.iter().find(|v| v.2.contains("/apis/h1/")).unwrap();
    assert_eq!(h.0, Status::Pass);
    assert_eq!(
        h.1,
        "HTTP API h1-api (h1) stage $default writes access logs to log group /apigw/h1"
    );
    let w = v2.iter().find(|v| v.2.contains("/apis/w1/")).unwrap();
    assert_eq!(w.0, Status::Fail, "{w:?}");
    assert!(
        w.1.ends_with("writes no access logs; execution logging INFO"),
        "{w:?}"
    );
    // WebSocket APIs left out by the profile: not judged.
    let mut b2 = recommended();
    b2.api_gateway_logging.as_mut().unwrap().websocket = false;
    assert_eq!(
        verdicts(&inv, &b2, "api_gateway.v2_access_logging").len(),
        1
    );
    // Not asked: not applicable.
    b2.api_gateway_logging = None;
    let v = verdicts(&inv, &b2, "api_gateway.rest_access_logging");
    assert!(v.iter().all(|v| v.0 == Status::NotApplicable), "{v:?}");
    // Some stages logging and some not, across both checks: the region's cell is partial.
    let e = evaluate(&inv, &b);
    assert_eq!(cov(&e, MEMBER, R1, "api_gateway"), CoverageState::Partial);
}

#[test]
fn what_could_not_be_read_is_unknown_never_missing() {
    let mut failed = api("r1", "REST", vec![]);
    failed.stages = denied(MEMBER, Some(R1), "GetStages", "apigateway:GET");
    let inv = org_with(vec![failed], vec![], vec![]);
    let v = verdicts(&inv, &recommended(), "api_gateway.rest_access_logging");
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Unknown);
    assert!(
        v[0].1
            .starts_with("the stages of REST API r1-api (r1) could not be read"),
        "{v:?}"
    );
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.api_gateway.v2_apis =
        denied(MEMBER, Some(R1), "GetApis", "apigateway:GET");
    let v = verdicts(&inv, &recommended(), "api_gateway.v2_access_logging");
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("apigateway:GET"), "{v:?}");
}

#[test]
fn a_stage_destination_names_its_group_for_the_retention_check() {
    // A group with a custom name holding a stage's logs, kept 7 days: the retention check counts it.
    let inv = org_with(
        vec![api(
            "r1",
            "REST",
            vec![stage("prod", Some("team-x/access"), None)],
        )],
        vec![],
        vec![LogGroup::sample(
            "team-x/access",
            Some(7),
            "2026-01-01T00:00:00Z",
        )],
    );
    let e = evaluate(&inv, &recommended());
    let f = find(&e, "cloudwatch_logs.retention", MEMBER, Some(R1));
    assert_eq!(f[0].status, Status::Fail, "{f:?}");
    assert!(
        f[0].message
            .contains("team-x/access (7 days; API Gateway r1-api stage prod)"),
        "{}",
        f[0].message
    );
}

#[test]
fn lookback_is_the_shortest_stage_and_zero_for_a_silent_one() {
    let b = recommended();
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "api_gateway")
            .map(|l| (l.days, l.basis))
    };
    let groups = vec![
        LogGroup::sample("/apigw/a", Some(90), "2025-01-01T00:00:00Z"),
        LogGroup::sample("/apigw/b", Some(400), "2025-01-01T00:00:00Z"),
    ];
    let inv = org_with(
        vec![api("r1", "REST", vec![stage("a", Some("/apigw/a"), None)])],
        vec![api("h1", "HTTP", vec![stage("b", Some("/apigw/b"), None)])],
        groups.clone(),
    );
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 90, "{basis}");
    assert!(
        basis.starts_with("API r1-api stage a: log group /apigw/a"),
        "{basis}"
    );
    let inv = org_with(
        vec![api("r1", "REST", vec![stage("a", Some("/apigw/a"), None)])],
        vec![api("h1", "HTTP", vec![stage("c", None, None)])],
        groups,
    );
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 0);
    assert_eq!(
        basis,
        "API h1-api stage c in us-east-1 writes no access logs"
    );
}

#[test]
fn profile_section_defaults_and_bad_values() {
    let b = parse_profile("version: 1\nname: t\napi_gateway_logging: {}\n", "t.yaml").unwrap();
    let a = b.api_gateway_logging.unwrap();
    assert!(a.websocket);
    assert_eq!(
        a.log_group("abc", "prod"),
        "/aws/apigateway/access-logs/abc/prod"
    );
    let e = parse_profile(
        "version: 1\nname: t\napi_gateway_logging:\n  log_group_prefix: 'bad prefix'\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(
        e.contains("cannot begin a CloudWatch Logs group name"),
        "{e}"
    );
}

#[test]
fn plan_lists_a_manual_step_per_silent_stage_with_its_group_made_first() {
    let inv = org_with(
        vec![api(
            "r1",
            "REST",
            vec![stage("dev", None, None), stage("prod", Some("/x"), None)],
        )],
        vec![api("h1", "HTTP", vec![stage("$default", None, None)])],
        vec![],
    );
    let p = planned(
        &inv,
        "api_gateway_logging: {}\nlog_group_retention: {min_days: 365}\n",
    );
    let c = change(&p, "api_gateway_stage.222222222222.us-east-1.r1.dev");
    assert_eq!(c.action, Action::Manual);
    let m = c.manual.as_ref().unwrap();
    assert!(m.command.starts_with("aws apigateway update-stage --region us-east-1 --rest-api-id r1 --stage-name dev --patch-operations '[{\"op\":\"replace\",\"path\":\"/accessLogSettings/destinationArn\",\"value\":\"arn:aws:logs:us-east-1:222222222222:log-group:/aws/apigateway/access-logs/r1/dev\"},{\"op\":\"replace\",\"path\":\"/accessLogSettings/format\",\"value\":\"{\\\"requestId\\\":\\\"$context.requestId\\\""), "{}", m.command);
    assert!(
        m.command.ends_with("'   # in account 222222222222"),
        "{}",
        m.command
    );
    // The patch operations are valid JSON.
    let json = m.command.split('\'').nth(1).unwrap();
    let ops: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(ops[1]["value"], super::plan::REST_FORMAT);
    assert!(m.reason.contains("cloudwatchRoleArn"), "{}", m.reason);
    let c = change(&p, "api_gateway_stage.222222222222.us-east-1.h1.$default");
    let m = c.manual.as_ref().unwrap();
    assert!(m.command.starts_with("aws apigatewayv2 update-stage --region us-east-1 --api-id h1 --stage-name $default --access-log-settings '{\"DestinationArn\":\"arn:aws:logs:us-east-1:222222222222:log-group:/aws/apigateway/access-logs/h1/$default\""), "{}", m.command);
    let a = addresses(&p);
    assert!(
        !a.contains(&"api_gateway_stage.222222222222.us-east-1.r1.prod"),
        "{a:?}"
    );
    let g = change(
        &p,
        "cloudwatch_log_group.222222222222.us-east-1./aws/apigateway/access-logs/r1/dev",
    );
    assert_eq!(g.action, Action::Create);
    // Converged: nothing for stages that log.
    let inv = org_with(
        vec![api("r1", "REST", vec![stage("prod", Some("/x"), None)])],
        vec![],
        vec![],
    );
    let p = planned(&inv, "api_gateway_logging: {}\n");
    assert!(
        !addresses(&p).iter().any(|a| a.starts_with("api_gateway")),
        "{:?}",
        addresses(&p)
    );
    // A failed stage listing: unknown for that API, nothing guessed.
    let mut failed = api("r1", "REST", vec![]);
    failed.stages = denied(MEMBER, Some(R1), "GetStages", "apigateway:GET");
    let p = planned(
        &org_with(vec![failed], vec![], vec![]),
        "api_gateway_logging: {}\n",
    );
    assert!(p
        .unknown
        .iter()
        .any(|n| n.resource == "api_gateway_stage.222222222222.us-east-1.r1"));
}

/// FSBP APIGateway.1: REST and WebSocket stages log executions at ERROR or INFO for every
/// method; HTTP APIs have no execution logs; a profile that does not ask leaves it not applicable.
#[test]
fn execution_logging_is_judged_per_rest_and_websocket_stage() {
    let mut overridden = stage("beta", Some("/x"), Some("INFO"));
    overridden.execution_logging_off = vec!["pets/GET".into(), "pets/POST".into()];
    let mut ws_overridden = stage("chat", None, Some("ERROR"));
    ws_overridden.execution_logging_off = vec!["$connect".into()];
    let inv = org_with(
        vec![api(
            "r1",
            "REST",
            vec![
                stage("prod", Some("/x"), Some("ERROR")),
                stage("dev", Some("/x"), Some("OFF")),
                overridden,
            ],
        )],
        vec![
            api("h1", "HTTP", vec![stage("$default", None, None)]),
            api(
                "w1",
                "WEBSOCKET",
                vec![
                    stage("live", None, Some("INFO")),
                    stage("old", None, None),
                    ws_overridden,
                ],
            ),
        ],
        vec![],
    );
    let b = recommended();
    assert!(b.api_gateway_logging.as_ref().unwrap().execution_logging);
    let rest = verdicts(&inv, &b, "api_gateway.rest_execution_logging");
    let by = |v: &[(Status, String, String)], stage: &str| {
        v.iter()
            .find(|x| x.2.ends_with(&format!("/stages/{stage}")))
            .cloned()
            .unwrap()
    };
    assert_eq!(rest.len(), 3, "{rest:?}");
    assert_eq!(
        by(&rest, "prod"),
        (
            Status::Pass,
            "REST API r1-api (r1) stage prod logs executions at ERROR".into(),
            "arn:aws:apigateway:us-east-1::/restapis/r1/stages/prod".into()
        )
    );
    assert_eq!(by(&rest, "dev").0, Status::Fail);
    assert_eq!(
        by(&rest, "dev").1,
        "REST API r1-api (r1) stage dev logs no executions (level OFF)"
    );
    assert_eq!(
        by(&rest, "beta").1,
        "REST API r1-api (r1) stage beta logs executions at INFO but not for 2 methods: pets/GET, pets/POST"
    );
    assert_eq!(by(&rest, "beta").0, Status::Fail);
    let ws = verdicts(&inv, &b, "api_gateway.websocket_execution_logging");
    assert_eq!(ws.len(), 3, "HTTP APIs are not judged: {ws:?}");
    // A route whose own settings turn logging off fails the stage.
    assert_eq!(
        by(&ws, "chat"),
        (
            Status::Fail,
            "WEBSOCKET API w1-api (w1) stage chat logs executions at ERROR but not for 1 route: $connect".into(),
            "arn:aws:apigateway:us-east-1::/apis/w1/stages/chat".into()
        )
    );
    assert_eq!(by(&ws, "live").0, Status::Pass);
    assert_eq!(
        by(&ws, "old").1,
        "WEBSOCKET API w1-api (w1) stage old logs no executions (level OFF)"
    );
    // Mapped to FSBP APIGateway.1.
    let e = evaluate(&inv, &b);
    let f = find(&e, "api_gateway.rest_execution_logging", MEMBER, Some(R1))[0];
    assert_eq!(
        f.frameworks.of(crate::frameworks::Framework::AwsFsbp),
        ["APIGateway.1".to_string()]
    );
    // Asked for by the profile only.
    let mut b2 = recommended();
    b2.api_gateway_logging.as_mut().unwrap().execution_logging = false;
    let off = verdicts(&inv, &b2, "api_gateway.rest_execution_logging");
    assert!(off.iter().all(|v| v.0 == Status::NotApplicable), "{off:?}");
    let parsed = parse_profile("version: 1\nname: t\napi_gateway_logging: {}\n", "t.yaml").unwrap();
    assert!(!parsed.api_gateway_logging.unwrap().execution_logging);
}

#[test]
fn plan_lists_a_manual_step_per_stage_without_execution_logs_when_asked() {
    let mut overridden = stage("beta", Some("/x"), Some("ERROR"));
    overridden.execution_logging_off = vec!["~1pets/GET".into()];
    let mut ws_overridden = stage("chat", Some("/x"), Some("INFO"));
    ws_overridden.execution_logging_off =
        vec!["$connect".into(), "say 'hi'".into(), "sendmessage".into()];
    let inv = org_with(
        vec![api(
            "r1",
            "REST",
            vec![
                stage("prod", Some("/x"), Some("INFO")),
                stage("dev", Some("/x"), Some("OFF")),
                overridden,
            ],
        )],
        vec![
            api("h1", "HTTP", vec![stage("$default", Some("/x"), None)]),
            api(
                "w1",
                "WEBSOCKET",
                vec![stage("live", Some("/x"), None), ws_overridden],
            ),
        ],
        vec![],
    );
    let p = planned(&inv, "api_gateway_logging: {execution_logging: true}\n");
    let c = change(
        &p,
        "api_gateway_stage_execution.222222222222.us-east-1.r1.dev",
    );
    assert_eq!(c.action, Action::Manual);
    let m = c.manual.as_ref().unwrap();
    assert_eq!(
        m.command,
        "aws apigateway update-stage --region us-east-1 --rest-api-id r1 --stage-name dev --patch-operations op=replace,path=/*/*/logging/loglevel,value=ERROR   # in account 222222222222"
    );
    let m = change(
        &p,
        "api_gateway_stage_execution.222222222222.us-east-1.r1.beta",
    )
    .manual
    .as_ref()
    .unwrap();
    // Only the method that logs nothing is raised: the stage's ERROR is kept.
    assert_eq!(
        m.command,
        "aws apigateway update-stage --region us-east-1 --rest-api-id r1 --stage-name beta --patch-operations op=replace,path=/~1pets/GET/logging/loglevel,value=ERROR   # in account 222222222222"
    );
    let m = change(
        &p,
        "api_gateway_stage_execution.222222222222.us-east-1.w1.live",
    )
    .manual
    .as_ref()
    .unwrap();
    assert_eq!(
        m.command,
        "aws apigatewayv2 update-stage --region us-east-1 --api-id w1 --stage-name live --default-route-settings LoggingLevel=ERROR   # in account 222222222222"
    );
    // Only the routes that turn it off are raised: the stage's INFO is kept.
    let m = change(
        &p,
        "api_gateway_stage_execution.222222222222.us-east-1.w1.chat",
    )
    .manual
    .as_ref()
    .unwrap();
    // Pasted into a shell, the command is these words (a route key may hold a quote).
    let (line, comment) = m.command.split_once("   # ").unwrap();
    assert_eq!(comment, "in account 222222222222");
    let words = shlex::split(line).unwrap();
    assert_eq!(
        words[..words.len() - 1].join(" "),
        "aws apigatewayv2 update-stage --region us-east-1 --api-id w1 --stage-name chat --route-settings"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(words.last().unwrap()).unwrap(),
        serde_json::json!({
            "$connect": {"LoggingLevel": "ERROR"},
            "say 'hi'": {"LoggingLevel": "ERROR"},
            "sendmessage": {"LoggingLevel": "ERROR"},
        })
    );
    assert!(
        m.reason
            .contains("the settings of routes $connect, say 'hi', sendmessage turn it off"),
        "{}",
        m.reason
    );
    let a = addresses(&p);
    for quiet in ["r1.prod", "h1.$default"] {
        assert!(
            !a.contains(
                &format!("api_gateway_stage_execution.222222222222.us-east-1.{quiet}").as_str()
            ),
            "{a:?}"
        );
    }
    // Not asked: no execution steps.
    let p = planned(&inv, "api_gateway_logging: {}\n");
    assert!(
        !addresses(&p)
            .iter()
            .any(|a| a.starts_with("api_gateway_stage_execution")),
        "{:?}",
        addresses(&p)
    );
}

/// A WebSocket stage's route settings as AWS returns them: a route whose own level is OFF turns
/// logging off for it; a route without a level follows the stage's default.
#[test]
fn websocket_routes_that_turn_logging_off_are_read() {
    use aws_sdk_apigatewayv2::types::{LoggingLevel, RouteSettings};
    let mut settings = std::collections::HashMap::new();
    let level = |l: Option<LoggingLevel>| RouteSettings::builder().set_logging_level(l).build();
    settings.insert("sendmessage".to_string(), level(Some(LoggingLevel::Off)));
    settings.insert("$connect".to_string(), level(Some(LoggingLevel::Off)));
    settings.insert("$default".to_string(), level(Some(LoggingLevel::Info)));
    settings.insert("ping".to_string(), level(None));
    assert_eq!(
        super::collect::routes_logging_off(Some(&settings)),
        vec!["$connect".to_string(), "sendmessage".to_string()]
    );
    assert!(super::collect::routes_logging_off(None).is_empty());
}
