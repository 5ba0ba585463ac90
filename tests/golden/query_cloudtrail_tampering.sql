-- Trail, Config, flow log, GuardDuty, Security Hub, log group and key tampering
SELECT eventtime, "aws_account", awsregion, eventsource, eventname, useridentity.type AS identity_type, useridentity.arn AS principal, sourceipaddress, useragent, errorcode, requestparameters
FROM "logwarden"."cloudtrail_org_trail_123456789012"
WHERE "day" BETWEEN '2026/11/25' AND '2026/11/27'
  AND eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel', 'DeleteFlowLogs', 'DeleteDetector', 'UpdateDetector', 'DisassociateFromAdministratorAccount', 'DisableSecurityHub', 'DeleteLogGroup', 'PutLogGroupDeletionProtection', 'PutRetentionPolicy', 'DeleteSubscriptionFilter', 'DisassociateResolverQueryLogConfig', 'DeleteResolverQueryLogConfig', 'DeleteQueryLoggingConfig', 'DeleteLoggingConfiguration', 'DisableLogging', 'ScheduleKeyDeletion', 'DisableKey', 'PutBucketLifecycle', 'DeleteBucketPolicy', 'LeaveOrganization')
ORDER BY eventtime DESC
LIMIT 1000;
