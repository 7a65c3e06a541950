-- Egress by client
SELECT remoteip, requester, coalesce(sum(bytessent), 0) AS bytes_sent, round(sum(egress_usd), 10) AS egress_usd
FROM report_priced
GROUP BY remoteip, requester
HAVING coalesce(sum(bytessent), 0) > 0
ORDER BY bytes_sent DESC, remoteip, requester
LIMIT 50
