-- Requests without TLS or signed with SigV2
SELECT requester, remoteip,
       CASE WHEN tlsversion = '-' THEN 'no TLS' ELSE tlsversion END AS tls,
       sigv AS signature, count(*) AS requests
FROM report_logs
WHERE tlsversion = '-' OR sigv = 'SigV2'
GROUP BY requester, remoteip, tls, sigv
ORDER BY requests DESC, requester, remoteip
LIMIT 100
