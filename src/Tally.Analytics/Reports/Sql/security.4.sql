-- Requests that needed an ACL (aclRequired = Yes)
SELECT requester, operation, count(*) AS requests, min(event_time) AS first_seen, max(event_time) AS last_seen
FROM report_logs
WHERE aclrequired = 'Yes'
GROUP BY requester, operation
ORDER BY requests DESC, requester, operation
LIMIT 100
