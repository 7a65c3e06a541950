-- Top objects
SELECT key_decoded AS key, count(*) AS requests, coalesce(sum(bytessent), 0) AS bytes_sent
FROM report_logs
WHERE key_decoded IS NOT NULL
GROUP BY key_decoded
ORDER BY requests DESC, key
LIMIT 25
