"""How a partition of the evaluation is best read from PostgreSQL into Polars (issue 14): ``COPY (query) TO STDOUT``
as CSV parsed by Polars (what ``evaluation.selectors.query_frame`` does) against fetching the rows as tuples into a
frame of the same schema and against one JSON array per query (``json_agg``) parsed by Polars, at several partition sizes, on the database ``refresh.py`` loaded.

    scripts/pg-cluster run bash -c '.venv/bin/python bench/evaluation/refresh.py --only load ... && \\
        .venv/bin/python bench/evaluation/reads.py --sizes 2000,10000,20000'

``PUBCREDIT_DATABASE_URL`` names the server; the database is ``refresh.py``'s (``pubcredit_bench_refresh``). For each
size, the same ``--partitions`` partitions (consecutive slices of the evaluated subjects' ids, spread over the city)
are read once to warm the cache, then read by each method in turn, ``--repeat`` times; the best time of each is
printed per partition and per 600,000 subjects, with the rows read. All methods must give equal frames.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

DB_NAME = "pubcredit_bench_refresh"
COPY_FRAME = []  # selectors.query_frame as the code has it


def tuples_frame(sql, params, schema):
    """The alternative: the rows fetched as tuples (psycopg builds a Python object per value), then a frame."""
    import polars as pl
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")


def json_frame(sql, params, schema):
    """Another: the server aggregates the rows into one JSON array (``json_agg``), parsed by Polars."""
    import io

    import polars as pl
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(json_agg(t), '[]')::text FROM ({sql}) t", params)
        text = cursor.fetchone()[0]
    return pl.read_json(io.StringIO(text), schema=schema) if text != "[]" else pl.DataFrame(schema=schema)


def grouped_frame(sql, params, schema):
    """Another: ``COPY`` as CSV, but one row per subject, each column an array of the subject's values
    (``array_agg`` … ``GROUP BY subject_id``), split and exploded by Polars: 17 times fewer rows through Python."""
    import polars as pl

    copy = COPY_FRAME[0]
    if "subject_id" not in schema or len(schema) < 3:
        return copy(sql, params, schema)
    lists = [name for name in schema if name != "subject_id"]
    grouped = (f"SELECT subject_id, {', '.join(f'array_agg({name})' for name in lists)} FROM ({sql}) t "
               "GROUP BY subject_id")
    text_schema = {"subject_id": pl.Int64, **dict.fromkeys(lists, pl.String)}
    frame = copy(grouped, params, text_schema)
    frame = frame.with_columns(pl.col(name).str.strip_chars("{}").str.split(",") for name in lists).explode(lists)
    return frame.select(
        pl.when(pl.col(name) == "NULL").then(None).when(pl.col(name) == '""').then(pl.lit(""))
        .otherwise(pl.col(name)).alias(name) if name != "subject_id" else pl.col(name) for name in schema
    ).with_columns(pl.col(name).str.to_date() if dtype == pl.Date else pl.col(name).cast(dtype)
                   for name, dtype in schema.items() if name != "subject_id")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000,20000", help="subjects per partition, comma-separated")
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    server = os.environ.get("PUBCREDIT_DATABASE_URL", "")
    if not server.startswith("postgres"):
        sys.exit("reads.py measures PostgreSQL: set PUBCREDIT_DATABASE_URL (scripts/pg-cluster run ...)")
    os.environ.update({"PUBCREDIT_DATABASE_URL": server.rsplit("/", 1)[0] + "/" + DB_NAME,
                       "DJANGO_SETTINGS_MODULE": "pubcredit.settings"})
    os.environ.setdefault("PUBCREDIT_SECRET_KEY", "bench-" + "k" * 50)
    for name in ("PUBCREDIT_DEBUG", "PUBCREDIT_TODAY"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from pubcredit.evaluation import selectors
    from pubcredit.evaluation.rulebook import scorecards
    from pubcredit.rules import clock

    today = clock.today()
    card = scorecards().for_day(today)
    known_before = clock.now()
    ids = selectors.evaluated_subject_ids(card=card)
    copy_frame = selectors.query_frame
    COPY_FRAME.append(copy_frame)
    methods = {"copy_csv": copy_frame, "copy_csv_grouped": grouped_frame, "tuples": tuples_frame,
               "json_agg": json_frame}
    for size in (int(s) for s in args.sizes.split(",")):
        step = max(len(ids) // args.partitions, size)
        parts = [ids[start:start + size] for start in range(0, len(ids) - size + 1, step)][:args.partitions]
        best: dict[str, float] = {}
        rows = 0
        for part in parts:
            selectors.partition_frames(subject_ids=part, card=card, as_of=today, known_before=known_before)  # warm
            frames = {}
            for name, method in methods.items():
                times = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    frames[name] = selectors.partition_frames(subject_ids=part, card=card, as_of=today,
                                                              known_before=known_before)
                    times.append(time.perf_counter() - started)
                best[name] = best.get(name, 0.0) + min(times)
            selectors.query_frame = copy_frame
            a = frames["copy_csv"]
            for kind in ("subjects", "records", "entries"):
                for name in methods:  # the same rows, whatever their order
                    order = list(getattr(a, kind).columns[:1])
                    assert getattr(a, kind).sort(order).equals(getattr(frames[name], kind).sort(order)), \
                        (size, kind, name)
            rows += a.records.height + a.entries.height
        print(json.dumps({"what": "partition read", "subjects_per_partition": size, "partitions": len(parts),
                          "rows_read": rows, **{f"{name}_s_per_partition": round(t / len(parts), 3)
                                                for name, t in best.items()},
                          **{f"{name}_s_per_600k": round(t / len(parts) * 600_000 / size, 1)
                             for name, t in best.items()},
                          "load_average": [round(x, 2) for x in os.getloadavg()]}),
              flush=True)


if __name__ == "__main__":
    main()
