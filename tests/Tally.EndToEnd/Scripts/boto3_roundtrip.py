"""boto3 against a running Tally: the calls a Python application makes, asserted byte-exact.

Run by Boto3Tests with ENDPOINT_URL, BUCKET and the AWS_* credentials in the environment.
Exits non-zero (with a traceback) on the first difference from Amazon S3's behaviour.
"""
import hashlib
import io
import os
import random
import urllib.error
import urllib.request

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ["ENDPOINT_URL"]
bucket = os.environ["BUCKET"]
s3 = boto3.client(
    "s3",
    endpoint_url=endpoint,
    region_name="us-east-1",
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
)


def content(size, seed):
    return random.Random(seed).randbytes(size)


def expect_error(code, call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        actual = error.response["Error"]["Code"]
        assert actual == code, f"expected {code}, got {actual}: {error.response}"
        return error
    raise AssertionError(f"expected {code}, the call succeeded")


s3.create_bucket(Bucket=bucket)
assert bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]

small = content(12345, 1)
put = s3.put_object(Bucket=bucket, Key="dir/small.bin", Body=small, ContentType="application/octet-stream",
                    Metadata={"owner": "boto3"})
assert put["ETag"] == '"%s"' % hashlib.md5(small).hexdigest(), put["ETag"]

got = s3.get_object(Bucket=bucket, Key="dir/small.bin")
assert got["Body"].read() == small
assert got["ContentLength"] == len(small)
assert got["Metadata"] == {"owner": "boto3"}, got["Metadata"]

ranged = s3.get_object(Bucket=bucket, Key="dir/small.bin", Range="bytes=10-19")
assert ranged["ResponseMetadata"]["HTTPStatusCode"] == 206
assert ranged["Body"].read() == small[10:20]

head = s3.head_object(Bucket=bucket, Key="dir/small.bin")
assert head["ContentLength"] == len(small)

# Multipart through the transfer manager: 12 MiB in 5 MiB parts.
large = content(12 * 1024 * 1024, 2)
transfer = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=4)
s3.upload_fileobj(io.BytesIO(large), bucket, "dir/large.bin", Config=transfer)
downloaded = io.BytesIO()
s3.download_fileobj(bucket, "dir/large.bin", downloaded, Config=transfer)
assert downloaded.getvalue() == large
assert s3.head_object(Bucket=bucket, Key="dir/large.bin")["ETag"].endswith('-3"')

keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="dir/")["Contents"]]
assert keys == ["dir/large.bin", "dir/small.bin"], keys

paginator = s3.get_paginator("list_objects_v2")
for i in range(5):
    s3.put_object(Bucket=bucket, Key=f"page/{i}", Body=b"x")
paged = [o["Key"] for page in paginator.paginate(Bucket=bucket, Prefix="page/", PaginationConfig={"PageSize": 2})
         for o in page["Contents"]]
assert paged == [f"page/{i}" for i in range(5)], paged

# Presigned GET and PUT, fetched with plain urllib: no SDK on the wire.
url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/small.bin"}, ExpiresIn=300)
with urllib.request.urlopen(url, timeout=30) as response:
    assert response.status == 200
    assert response.read() == small

put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "dir/presigned.bin"}, ExpiresIn=300)
presigned_body = content(5000, 3)
request = urllib.request.Request(put_url, data=presigned_body, method="PUT")
with urllib.request.urlopen(request, timeout=30) as response:
    assert response.status == 200
assert s3.get_object(Bucket=bucket, Key="dir/presigned.bin")["Body"].read() == presigned_body

tampered = url.replace("dir/small.bin", "dir/large.bin")
try:
    urllib.request.urlopen(tampered, timeout=30)
    raise AssertionError("a presigned URL for another key was accepted")
except urllib.error.HTTPError as error:
    assert error.code == 403, error.code
    assert b"<Code>SignatureDoesNotMatch</Code>" in error.read()

expect_error("NoSuchKey", s3.get_object, Bucket=bucket, Key="missing")
expect_error("BucketNotEmpty", s3.delete_bucket, Bucket=bucket)

s3.copy_object(Bucket=bucket, Key="dir/copy.bin", CopySource={"Bucket": bucket, "Key": "dir/small.bin"})
assert s3.get_object(Bucket=bucket, Key="dir/copy.bin")["Body"].read() == small

everything = [o["Key"] for page in paginator.paginate(Bucket=bucket) for o in page.get("Contents", [])]
deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in everything]})
assert sorted(d["Key"] for d in deleted["Deleted"]) == sorted(everything)
assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
s3.delete_bucket(Bucket=bucket)
expect_error("404", s3.head_bucket, Bucket=bucket)

print("boto3 round trip OK")
