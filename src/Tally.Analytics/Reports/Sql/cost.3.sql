-- Egress by object
SELECT key_decoded AS key, count(*) AS requests, coalesce(sum(bytessent), 0) AS bytes_sent, round(sum(egress_usd), 10) AS egress_usd
FROM report_priced
WHERE key_decoded IS NOT NULL
GROUP BY key_decoded
HAVING coalesce(sum(bytessent), 0) > 0
ORDER BY bytes_sent DESC, key
LIMIT 50
