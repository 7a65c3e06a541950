-- Deletions: who, when, from where and how
SELECT event_time, requester, remoteip, key_decoded AS key, operation, httpstatus AS status,
       CASE
           WHEN operation LIKE 'S3.%' THEN 'lifecycle'
           WHEN operation = 'BATCH.DELETE.OBJECT' THEN 'multi-object delete (per key)'
           WHEN operation = 'REST.POST.MULTI_OBJECT_DELETE' THEN 'multi-object delete (request)'
           ELSE 'DELETE'
       END AS how
FROM report_logs
WHERE operation LIKE '%DELETE%' OR operation LIKE 'S3.EXPIRE.%'
ORDER BY event_time, requestid, key
LIMIT 1000
