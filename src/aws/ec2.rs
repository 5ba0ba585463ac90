//! EC2: VPCs and flow logs, one DescribeFlowLogs (paginated) per account and region.

use super::call::CallCtx;
use crate::inventory::*;

pub async fn vpcs(client: &aws_sdk_ec2::Client, ctx: &CallCtx) -> Collected<Vec<Vpc>> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        match ctx
            .call(
                "ec2:DescribeVpcs",
                client.describe_vpcs().set_next_token(token.clone()).send(),
            )
            .await
        {
            Err(error) => return Collected::Failed { error },
            Ok(page) => {
                out.extend(page.vpcs().iter().map(|v| {
                    Vpc {
                        id: v.vpc_id().unwrap_or_default().to_string(),
                        is_default: v.is_default().unwrap_or(false),
                        tags: v
                            .tags()
                            .iter()
                            .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                            .collect(),
                    }
                }));
                token = page.next_token().map(String::from);
            }
        }
        if token.is_none() {
            break;
        }
    }
    Collected::ok(out)
}

pub async fn flow_logs(client: &aws_sdk_ec2::Client, ctx: &CallCtx) -> Collected<Vec<FlowLog>> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        match ctx
            .call(
                "ec2:DescribeFlowLogs",
                client
                    .describe_flow_logs()
                    .set_next_token(token.clone())
                    .send(),
            )
            .await
        {
            Err(error) => return Collected::Failed { error },
            Ok(page) => {
                out.extend(page.flow_logs().iter().map(|f| FlowLog {
                    id: f.flow_log_id().unwrap_or_default().to_string(),
                    resource_id: f.resource_id().unwrap_or_default().to_string(),
                    traffic_type: f.traffic_type().map(|t| t.as_str().to_string()),
                    flow_log_status: f.flow_log_status().map(String::from),
                    deliver_logs_status: f.deliver_logs_status().map(String::from),
                    destination_type: f.log_destination_type().map(|t| t.as_str().to_string()),
                    destination: f.log_destination().map(String::from),
                }));
                token = page.next_token().map(String::from);
            }
        }
        if token.is_none() {
            break;
        }
    }
    Collected::ok(out)
}
