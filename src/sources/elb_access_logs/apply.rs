//! What apply does for load balancers: turn on access logs.

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    EnableElbLogs {
        /// ARN (ELBv2) or name (Classic).
        load_balancer: String,
        classic: bool,
        bucket: String,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnableElbLogs { .. } => "elasticloadbalancing:ModifyLoadBalancerAttributes",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let (s, _r, w, _p, _account, region) = (
            x.session,
            &x.reads,
            &x.writes,
            x.partition,
            x.account,
            x.region,
        );
        match self {
            Op::EnableElbLogs {
                load_balancer,
                classic,
                bucket,
            } => {
                if *classic {
                    use aws_sdk_elasticloadbalancing::types::{AccessLog, LoadBalancerAttributes};
                    let log = AccessLog::builder()
                        .enabled(true)
                        .s3_bucket_name(bucket)
                        .emit_interval(60)
                        .build();
                    w.call(
                        "elasticloadbalancing:ModifyLoadBalancerAttributes",
                        crate::client!(aws_sdk_elasticloadbalancing, s, region)
                            .modify_load_balancer_attributes()
                            .load_balancer_name(load_balancer)
                            .load_balancer_attributes(
                                LoadBalancerAttributes::builder().access_log(log).build(),
                            )
                            .send(),
                    )
                    .await?;
                } else {
                    use aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute;
                    let attr =
                        |k: &str, v: &str| LoadBalancerAttribute::builder().key(k).value(v).build();
                    x.exec
                        .retrying(
                            w,
                            "elasticloadbalancing:ModifyLoadBalancerAttributes",
                            &["InvalidConfigurationRequest"],
                            || {
                                crate::client!(aws_sdk_elasticloadbalancingv2, s, region)
                                    .modify_load_balancer_attributes()
                                    .load_balancer_arn(load_balancer)
                                    .attributes(attr("access_logs.s3.enabled", "true"))
                                    .attributes(attr("access_logs.s3.bucket", bucket))
                                    .send()
                            },
                        )
                        .await?;
                }
            }
        }
        Ok(())
    }
}
