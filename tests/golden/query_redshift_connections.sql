-- Who connected to Redshift (or failed to), from which address, as which user
SELECT trim(event) AS event, trim(remotehost) AS remotehost, trim(username) AS username, trim(dbname) AS dbname, trim(authmethod) AS authmethod, "aws_account", "aws_region", count(*) AS events, min("day") AS first_day, max("day") AS last_day
FROM "logwarden"."redshift_connectionlog_wa_redshift_audit_analytics"
WHERE "day" BETWEEN '2026/11/25' AND '2026/11/27'
  AND "$path" LIKE '%\_connectionlog\_%' ESCAPE '\'
  AND event IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7
ORDER BY events DESC
LIMIT 500;
