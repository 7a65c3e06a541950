-- Denied requests (403) by requester, IP and operation
SELECT requester, remoteip, operation, count(*) AS requests, min(event_time) AS first_seen, max(event_time) AS last_seen
FROM report_logs
WHERE http_status_code = 403
GROUP BY requester, remoteip, operation
ORDER BY requests DESC, requester, remoteip, operation
LIMIT 100
