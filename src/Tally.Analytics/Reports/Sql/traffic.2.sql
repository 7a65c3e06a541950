-- Error rates by operation
SELECT operation, count(*) AS requests,
       round(100.0 * count(*) FILTER (WHERE http_status_code BETWEEN 400 AND 499) / count(*), 2) AS pct_4xx,
       round(100.0 * count(*) FILTER (WHERE http_status_code >= 500) / count(*), 2) AS pct_5xx
FROM report_logs
GROUP BY operation
ORDER BY requests DESC, operation
LIMIT 50
