//! Load balancer access logs: ALB and CLB (NLB when the baseline asks) write access logs.

use super::model::LoadBalancerKind;
use crate::frameworks::Framework::{AwsFsbp, CisAwsV7, Nist80053};

use crate::rules::{
    listed, need, not_required, per_enabled_region, CheckInfo, Fix, Raw, Resource, Subject,
};

use crate::sources::{CheckDef, Ctx};

use crate::finding::{Severity, Status};

/// Load balancers of every kind (ASFF has a type for classic and one for v2 load balancers, none
/// for both: `Other`).
pub static LOAD_BALANCER: Resource = Resource {
    id: "load_balancer",
    label: "load balancer",
    cloudformation_type: "AWS::ElasticLoadBalancing::LoadBalancer",
    asff_type: "Other",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "elb.access_logs",
        title: "Load balancers write access logs (ALB and CLB; NLB when the baseline asks)",
        severity: Severity::Medium,
        scope: Subject::Resource(&LOAD_BALANCER),
        looks_at: "DescribeLoadBalancers and DescribeLoadBalancerAttributes (ELBv2 and Classic)",
        rationale: "Access logs carry client IPs, paths and user agents of every request: the web side of an intrusion.",
        remediation: "ALB/NLB: `aws elbv2 modify-load-balancer-attributes --attributes Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=ELB_LOG_BUCKET`; CLB: `aws elb modify-load-balancer-attributes --load-balancer-attributes AccessLog={Enabled=true,S3BucketName=ELB_LOG_BUCKET}`.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV7, &["4.10"]), (AwsFsbp, &["ELB.5"]), (Nist80053, &["AU-12"])],
        },
        eval: elb_access_logs,
    },
];

pub fn elb_access_logs(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let acct = Some(a.account_id.as_str());
        let reg = Some(r.region.as_str());
        let Some(lbs) = listed(
            a,
            r,
            &r.data.elb_access_logs.load_balancers,
            "load balancers",
            out,
        ) else {
            return;
        };
        let b = &ctx.b.elb_access_logs;
        for lb in lbs {
            let (required, kind) = match lb.kind {
                LoadBalancerKind::Application => (b.alb, "ALB"),
                LoadBalancerKind::Classic => (b.clb, "Classic Load Balancer"),
                LoadBalancerKind::Network => (b.nlb, "NLB"),
                LoadBalancerKind::Gateway => (false, "Gateway Load Balancer"),
            };
            let (status, msg) = if lb.kind == LoadBalancerKind::Gateway {
                (
                    Status::NotApplicable,
                    format!("{kind} {} has no access logs", lb.name),
                )
            } else if !required {
                (
                    Status::NotApplicable,
                    not_required(ctx, &format!("{kind} access logging")),
                )
            } else {
                match need(&lb.access_logs_enabled) {
                    Err(e) => (Status::Unknown, format!("attributes of {} {e}", lb.name)),
                    Ok(true) => (
                        Status::Pass,
                        format!(
                            "{kind} {} writes access logs{}",
                            lb.name,
                            lb.access_logs_bucket
                                .as_deref()
                                .map(|b| format!(" to {b}"))
                                .unwrap_or_default()
                        ),
                    ),
                    Ok(false) => (
                        Status::Fail,
                        format!("{kind} {} does not write access logs", lb.name),
                    ),
                }
            };
            out.push(Raw::new(status, acct, reg, lb.id.clone(), msg));
        }
    })
}
