"""Creates the benchmark bucket and objects and writes presigned URLs (path+query, one per line).

Usage: presign.py ENDPOINT BUCKET get|put SIZE COUNT OUT_FILE
Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. For `get`, COUNT objects of SIZE
bytes are uploaded first; for `put`, COUNT distinct keys are presigned (wrk cycles through them).
"""
import os
import sys
from urllib.parse import urlsplit

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, bucket, op, size, count, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
try:
    s3.create_bucket(Bucket=bucket)
except ClientError as error:
    if error.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
        raise

body = os.urandom(size)
with open(out, "w") as lines:
    for i in range(count):
        key = f"{op}-{size}/{i:05d}"
        if op == "get":
            s3.upload_fileobj(__import__("io").BytesIO(body), bucket, key,
                              Config=TransferConfig(multipart_threshold=1 << 40))
        url = s3.generate_presigned_url(f"{op}_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=3600)
        parts = urlsplit(url)
        lines.write(f"{parts.path}?{parts.query}\n")
