-- Egress by client
-- Bytes Sent is never negative, so "has egress" is a row filter, which keeps the many clients
-- without egress out of the aggregation; cost is priced once per client, not per request.
SELECT remoteip, requester, sum(bytessent) AS bytes_sent,
       round(sum(bytessent) / 1073741824.0 * (SELECT egress_per_gb FROM report_prices), 10) AS egress_usd
FROM report_logs
WHERE bytessent > 0
GROUP BY remoteip, requester
ORDER BY bytes_sent DESC, remoteip, requester
LIMIT 50
