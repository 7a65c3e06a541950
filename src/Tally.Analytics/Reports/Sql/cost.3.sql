-- Egress by object
SELECT key_decoded AS key, count(*) AS requests, coalesce(sum(bytessent), 0) AS bytes_sent,
       round(coalesce(sum(bytessent), 0) / 1073741824.0 * (SELECT egress_per_gb FROM report_prices), 10) AS egress_usd
FROM report_logs
WHERE key_decoded IS NOT NULL
GROUP BY key_decoded
HAVING coalesce(sum(bytessent), 0) > 0
ORDER BY bytes_sent DESC, key
LIMIT 50
