-- Top user agents
SELECT coalesce(user_agent, '(none)') AS user_agent, count(*) AS requests, coalesce(sum(bytessent), 0) AS bytes_sent
FROM report_logs
GROUP BY user_agent
ORDER BY requests DESC, user_agent
LIMIT 25
