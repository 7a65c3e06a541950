-- Egress by prefix (first path segment)
SELECT CASE WHEN strpos(key_decoded, '/') > 0 THEN split_part(key_decoded, '/', 1) || '/' ELSE '(top level)' END AS prefix,
       count(*) AS requests, coalesce(sum(bytessent), 0) AS bytes_sent,
       round(coalesce(sum(bytessent), 0) / 1073741824.0 * (SELECT egress_per_gb FROM report_prices), 10) AS egress_usd
FROM report_logs
WHERE key_decoded IS NOT NULL
GROUP BY prefix
HAVING coalesce(sum(bytessent), 0) > 0
ORDER BY bytes_sent DESC, prefix
LIMIT 50
