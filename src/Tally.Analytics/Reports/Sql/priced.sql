-- report_price_classes: each operation in report_logs with its AWS price class and the price of one
-- request (prices from report_prices); report_priced: report_logs with the class and the estimated
-- cost of each request. The class depends on the operation alone, so it is worked out once per
-- distinct operation (a few dozen) and the sections aggregate by operation before they price.
CREATE OR REPLACE TEMP VIEW report_price_classes AS
SELECT o.operation, c.price_class,
       CASE c.price_class
           WHEN 'PUT, COPY, POST, LIST' THEN p.put_copy_post_list_per_1000 / 1000
           WHEN 'GET and all other' THEN p.get_and_other_per_1000 / 1000
           ELSE 0
       END AS request_usd
FROM (SELECT DISTINCT operation FROM report_logs) AS o
CROSS JOIN report_prices AS p
CROSS JOIN LATERAL (SELECT CASE
    -- Records S3 writes itself are not requests anyone pays for (spec §1.7, §2.5).
    WHEN o.operation LIKE 'S3.%' OR o.operation = 'BATCH.DELETE.OBJECT' OR o.operation IN ('REST.COPY.OBJECT_GET', 'REST.COPY.PART_GET') THEN 'not billed (internal record)'
    -- DELETE and CANCEL (AbortMultipartUpload = REST.DELETE.UPLOAD) requests are free.
    WHEN o.operation LIKE 'REST.DELETE.%' OR o.operation LIKE 'WEBSITE.DELETE.%' THEN 'free (DELETE, CANCEL)'
    WHEN o.operation LIKE 'REST.PUT.%' OR o.operation LIKE 'REST.COPY.%' OR o.operation LIKE 'REST.POST.%'
      OR o.operation IN ('REST.GET.BUCKET', 'REST.GET.BUCKETVERSIONS', 'REST.GET.UPLOADS', 'REST.GET.UPLOAD', 'REST.GET.SERVICE')
      THEN 'PUT, COPY, POST, LIST'
    ELSE 'GET and all other'
END AS price_class) AS c;

CREATE OR REPLACE TEMP VIEW report_priced AS
SELECT l.*, c.price_class, c.request_usd,
       coalesce(l.bytessent, 0) / 1073741824.0 * p.egress_per_gb AS egress_usd
FROM report_logs AS l
JOIN report_price_classes AS c ON l.operation IS NOT DISTINCT FROM c.operation
CROSS JOIN report_prices AS p
