-- Top requesters by IAM role (assumed-role extraction)
SELECT a.principal, a.requester_type, a.account, sum(a.requests) AS requests, sum(a.bytes_sent) AS bytes_sent,
       round(sum(a.requests * c.request_usd) + sum(a.bytes_sent) / 1073741824.0 * (SELECT egress_per_gb FROM report_prices), 10) AS estimated_usd
FROM (
    SELECT coalesce(requester_role, requester_user, requester) AS principal, requester_type, requester_account AS account, operation,
           count(*) AS requests, coalesce(sum(bytessent), 0) AS bytes_sent
    FROM report_logs
    GROUP BY ALL
) AS a
JOIN report_price_classes AS c ON a.operation IS NOT DISTINCT FROM c.operation
GROUP BY a.principal, a.requester_type, a.account
ORDER BY estimated_usd DESC, requests DESC, a.principal
LIMIT 50
