-- Requests by AWS price class
SELECT price_class, count(*) AS requests, round(sum(request_usd), 10) AS request_usd
FROM report_priced
GROUP BY price_class
ORDER BY requests DESC, price_class
