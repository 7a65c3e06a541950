-- Requests by AWS price class
SELECT c.price_class, sum(o.requests) AS requests, round(sum(o.requests * c.request_usd), 10) AS request_usd
FROM (SELECT operation, count(*) AS requests FROM report_logs GROUP BY operation) AS o
JOIN report_price_classes AS c ON o.operation IS NOT DISTINCT FROM c.operation
GROUP BY c.price_class
ORDER BY requests DESC, c.price_class
