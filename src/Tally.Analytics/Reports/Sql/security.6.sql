-- IPs probing many keys with 403/404 (at least 10 distinct keys)
SELECT remoteip, count(DISTINCT key) AS distinct_keys, count(*) AS requests,
       count(*) FILTER (WHERE http_status_code = 403) AS forbidden,
       count(*) FILTER (WHERE http_status_code = 404) AS not_found
FROM report_logs
WHERE http_status_code IN (403, 404)
GROUP BY remoteip
HAVING count(DISTINCT key) >= 10
ORDER BY distinct_keys DESC, remoteip
LIMIT 100
