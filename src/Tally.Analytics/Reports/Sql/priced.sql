-- report_logs with each request's AWS price class and estimated cost (prices from report_prices)
CREATE OR REPLACE TEMP VIEW report_priced AS
SELECT l.*, c.price_class,
       CASE c.price_class
           WHEN 'PUT, COPY, POST, LIST' THEN p.put_copy_post_list_per_1000 / 1000
           WHEN 'GET and all other' THEN p.get_and_other_per_1000 / 1000
           ELSE 0
       END AS request_usd,
       coalesce(l.bytessent, 0) / 1073741824.0 * p.egress_per_gb AS egress_usd
FROM report_logs AS l
CROSS JOIN report_prices AS p
CROSS JOIN LATERAL (SELECT CASE
    -- Records S3 writes itself are not requests anyone pays for (spec §1.7, §2.5).
    WHEN l.operation LIKE 'S3.%' OR l.operation = 'BATCH.DELETE.OBJECT' OR l.operation IN ('REST.COPY.OBJECT_GET', 'REST.COPY.PART_GET') THEN 'not billed (internal record)'
    -- DELETE and CANCEL (AbortMultipartUpload = REST.DELETE.UPLOAD) requests are free.
    WHEN l.operation LIKE 'REST.DELETE.%' OR l.operation LIKE 'WEBSITE.DELETE.%' THEN 'free (DELETE, CANCEL)'
    WHEN l.operation LIKE 'REST.PUT.%' OR l.operation LIKE 'REST.COPY.%' OR l.operation LIKE 'REST.POST.%'
      OR l.operation IN ('REST.GET.BUCKET', 'REST.GET.BUCKETVERSIONS', 'REST.GET.UPLOADS', 'REST.GET.UPLOAD', 'REST.GET.SERVICE')
      THEN 'PUT, COPY, POST, LIST'
    ELSE 'GET and all other'
END AS price_class) AS c
