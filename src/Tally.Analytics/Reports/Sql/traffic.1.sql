-- Requests and bytes per hour
SELECT date_trunc('hour', event_time) AS hour, count(*) AS requests, coalesce(sum(bytessent), 0) AS bytes_sent,
       count(*) FILTER (WHERE http_status_code BETWEEN 400 AND 499) AS client_errors,
       count(*) FILTER (WHERE http_status_code >= 500) AS server_errors
FROM report_logs
GROUP BY hour
ORDER BY hour
