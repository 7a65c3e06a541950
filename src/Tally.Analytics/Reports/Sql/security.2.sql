-- Anonymous access (requester -)
SELECT remoteip, operation, http_status_code AS status, count(*) AS requests, coalesce(sum(bytessent), 0) AS bytes_sent
FROM report_logs
WHERE requester_type = 'anonymous'
GROUP BY remoteip, operation, http_status_code
ORDER BY requests DESC, remoteip, operation, status
LIMIT 100
