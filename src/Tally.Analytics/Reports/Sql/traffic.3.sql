-- Latency (ms) by operation: Total Time and Turn-Around Time percentiles
SELECT operation, count(total_time_ms) AS timed,
       quantile_cont(total_time_ms, 0.5) AS total_p50, quantile_cont(total_time_ms, 0.95) AS total_p95, quantile_cont(total_time_ms, 0.99) AS total_p99,
       quantile_cont(turnaround_time_ms, 0.5) AS turnaround_p50, quantile_cont(turnaround_time_ms, 0.95) AS turnaround_p95, quantile_cont(turnaround_time_ms, 0.99) AS turnaround_p99
FROM report_logs
WHERE total_time_ms IS NOT NULL
GROUP BY operation
ORDER BY timed DESC, operation
LIMIT 50
