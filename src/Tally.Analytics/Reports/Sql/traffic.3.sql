-- Latency (ms) by operation: Total Time and Turn-Around Time percentiles
-- One quantile aggregate per column with a list of fractions sorts each group's values once.
SELECT operation, timed, t[1] AS total_p50, t[2] AS total_p95, t[3] AS total_p99, r[1] AS turnaround_p50, r[2] AS turnaround_p95, r[3] AS turnaround_p99
FROM (
    SELECT operation, count(total_time_ms) AS timed,
           quantile_cont(total_time_ms, [0.5, 0.95, 0.99]) AS t, quantile_cont(turnaround_time_ms, [0.5, 0.95, 0.99]) AS r
    FROM report_logs
    WHERE total_time_ms IS NOT NULL
    GROUP BY operation
)
ORDER BY timed DESC, operation
LIMIT 50
