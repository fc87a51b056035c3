"""Glue Python shell job: curates the queued drops' staged FHIR into Parquet.

Each run works through the curation queue (queue/pending/<drop_id>.json in the
manifests bucket, written by the workflow's QueueForCuration state) as it
stands when the run starts, so drops that arrive together share one run. For
each drop it runs the SQL in glue/sql/*.sql (generated from
shared/curation/tables.json; read from --sql_location) with DuckDB, the same
engine and the same text the local mode runs, and writes exactly one Parquet
object per table per drop, <table>/ingest_date=<date>/<drop_id>.parquet,
replacing any earlier one; a table the drop no longer feeds loses its object.
A retry or a replay therefore replaces the drop's rows and never adds to them.
A drop that fails is moved to queue/failed/ with the error's type, and the run
goes on with the others; its own execution reports it.

Arguments: --staged_bucket --curated_bucket --manifest_bucket --sql_location
(job defaults), --triggered_by (the drop whose execution started the run).

Errors carry the table and drop id only: a DuckDB conversion error can quote
the value it choked on, and the message reaches on-call.
"""

import datetime
import glob
import json
import os
import re
import sys
import tempfile

PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
DROP_ID = re.compile(r"^[0-9a-f]{32}$")
INGEST_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def sql_string(value):
    return "'" + value.replace("'", "''") + "'"


def render_sql(template, params):
    """Fills {{name}} placeholders as string literals, like renderSql in TS."""

    def fill(match):
        name = match.group(1)
        if name not in params:
            raise KeyError("missing SQL parameter: " + name)
        return sql_string(params[name])

    return PLACEHOLDER.sub(fill, template)


def resource_type_of(template):
    match = re.search(r"^-- resource_type: (\w+)$", template, re.MULTILINE)
    if not match:
        raise ValueError("curation SQL lacks its resource_type header")
    return match.group(1)


def staged_key(resource_type, ingest_date, drop_id):
    return "%s/ingest_date=%s/drop_id=%s/part-0.ndjson" % (resource_type, ingest_date, drop_id)


def curated_key(table, ingest_date, drop_id):
    return "%s/ingest_date=%s/%s.parquet" % (table, ingest_date, drop_id)


def curation_queries(directory):
    """Table name -> SQL template, from the files shipped with the job."""
    queries = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.sql"))):
        with open(path, encoding="utf-8") as handle:
            queries[os.path.splitext(os.path.basename(path))[0]] = handle.read()
    return queries


def curate_table(s3, con, args, table, template, workdir):
    rtype = resource_type_of(template)
    source = staged_key(rtype, args["ingest_date"], args["drop_id"])
    target = curated_key(table, args["ingest_date"], args["drop_id"])
    local_in = os.path.join(workdir, table + ".ndjson")
    local_out = os.path.join(workdir, table + ".parquet")
    try:
        s3.download_file(args["staged_bucket"], source, local_in)
    except s3.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchKey"):
            raise
        s3.delete_object(Bucket=args["curated_bucket"], Key=target)
        return 0
    select = render_sql(
        template,
        {"staged_path": local_in, "drop_id": args["drop_id"], "source_key": args["source_key"]},
    )
    con.execute("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)" % (select, sql_string(local_out)))
    rows = con.execute("SELECT count(*) FROM read_parquet(%s)" % sql_string(local_out)).fetchone()[0]
    s3.upload_file(local_out, args["curated_bucket"], target)
    return rows


PENDING_PREFIX = "queue/pending/"
FAILED_PREFIX = "queue/failed/"
DROPS_PER_RUN = 500


def pending_drops(s3, bucket):
    """The queue as it stands now, oldest keys first, at most DROPS_PER_RUN."""
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=PENDING_PREFIX):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    drops = []
    for key in sorted(keys)[:DROPS_PER_RUN]:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        drops.append(json.loads(body))
    return drops


def load_queries(s3, sql_location, workdir):
    """Downloads glue/sql/*.sql from the assets bucket; table name -> SQL."""
    bucket, _, prefix = sql_location[len("s3://"):].partition("/")
    directory = os.path.join(workdir, "sql")
    os.makedirs(directory, exist_ok=True)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if item["Key"].endswith(".sql"):
                s3.download_file(bucket, item["Key"], os.path.join(directory, os.path.basename(item["Key"])))
    return curation_queries(directory)


def curate_drop(s3, con, args, drop, queries, workdir):
    if not DROP_ID.match(drop["dropId"]) or not INGEST_DATE.match(drop["ingestDate"]):
        raise ValueError("malformed queue entry")
    run = dict(args, drop_id=drop["dropId"], ingest_date=drop["ingestDate"], source_key=drop["sourceKey"])
    for table, template in queries.items():
        try:
            rows = curate_table(s3, con, run, table, template, workdir)
        except Exception as error:  # re-raised without its text: it may quote data
            raise RuntimeError(
                "failed to curate table %s for drop %s: %s" % (table, drop["dropId"], type(error).__name__)
            ) from None
        print("curated table=%s drop=%s rows=%d" % (table, drop["dropId"], rows))


def main():
    import boto3
    import duckdb
    from awsglue.utils import getResolvedOptions

    names = ["staged_bucket", "curated_bucket", "manifest_bucket", "sql_location"]
    args = getResolvedOptions(sys.argv, names)
    s3 = boto3.client("s3")
    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    bucket = args["manifest_bucket"]
    with tempfile.TemporaryDirectory() as workdir:
        queries = load_queries(s3, args["sql_location"], workdir)
        for drop in pending_drops(s3, bucket):
            pending = PENDING_PREFIX + drop["dropId"] + ".json"
            try:
                curate_drop(s3, con, args, drop, queries, workdir)
            except Exception as error:
                failed = dict(drop, error=type(error).__name__, failedAt=datetime.datetime.utcnow().isoformat() + "Z")
                s3.put_object(Bucket=bucket, Key=FAILED_PREFIX + drop["dropId"] + ".json", Body=json.dumps(failed))
                print("drop failed drop=%s error=%s" % (drop["dropId"], type(error).__name__))
            s3.delete_object(Bucket=bucket, Key=pending)


if __name__ == "__main__":
    main()
