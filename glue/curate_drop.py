"""Glue Python shell job: curates one drop's staged FHIR NDJSON into Parquet.

Runs the SQL in glue/sql/*.sql (generated from shared/curation/tables.json,
shipped with --extra-files) with DuckDB, the same engine and the same text
the local mode runs. For each table it writes exactly one Parquet object per
drop, <table>/ingest_date=<date>/<drop_id>.parquet, replacing any earlier one,
and deletes the object of a table the drop no longer feeds: a retry or a
replay replaces the drop's rows and never adds to them.

Arguments: --drop_id --ingest_date --source_key (from the workflow),
--staged_bucket --curated_bucket (job defaults).

Errors are re-raised with the table and drop id only: a DuckDB conversion
error can quote the value it choked on, and the message reaches on-call.
"""

import glob
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


def main():
    import boto3
    import duckdb
    from awsglue.utils import getResolvedOptions

    names = ["drop_id", "ingest_date", "source_key", "staged_bucket", "curated_bucket"]
    args = getResolvedOptions(sys.argv, names)
    if not DROP_ID.match(args["drop_id"]) or not INGEST_DATE.match(args["ingest_date"]):
        raise ValueError("malformed drop id or ingest date")
    s3 = boto3.client("s3")
    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    with tempfile.TemporaryDirectory() as workdir:
        for table, template in curation_queries(os.getcwd()).items():
            try:
                rows = curate_table(s3, con, args, table, template, workdir)
            except Exception as error:  # re-raised without its text: it may quote data
                raise RuntimeError(
                    "failed to curate table %s for drop %s: %s" % (table, args["drop_id"], type(error).__name__)
                ) from None
            print("curated table=%s drop=%s rows=%d" % (table, args["drop_id"], rows))


if __name__ == "__main__":
    main()
