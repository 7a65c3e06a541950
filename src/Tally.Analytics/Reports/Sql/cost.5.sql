-- Top requesters by IAM role (assumed-role extraction)
SELECT coalesce(requester_role, requester_user, requester) AS principal, requester_type, requester_account AS account,
       count(*) AS requests, coalesce(sum(bytessent), 0) AS bytes_sent,
       round(sum(request_usd) + sum(egress_usd), 10) AS estimated_usd
FROM report_priced
GROUP BY principal, requester_type, requester_account
ORDER BY estimated_usd DESC, requests DESC, principal
LIMIT 50
