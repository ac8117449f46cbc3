"""The evaluation engine on a distributed engine (issue 14 item 2): the same partition function
(``rules.evaluation.score_partition``) run by a local Dask distributed cluster of two worker processes over
partitioned Parquet gives exactly the in-process result, scores and item lines.

The city here is generated (3,000 subjects, seeded): organisations, individual businesses and natural persons, with
penalties, commitment breaches and spot-check results of every severity (some repaired, some revoked) and list
entries (some removed by repair, some expired), scored with the scorecard in force (zibo-v2). The Parquet is
hive-partitioned by ``part = subject_id % 4`` (as a province's data lake or Spark job would write it): a partition
holds some subjects and all their records and entries, and subjects never interact, so partitions score alone.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import yaml

from pubcredit.rules.evaluation import (
    ENTRY_SCHEMA, LINE_SCHEMA, RECORD_SCHEMA, SCORE_SCHEMA, SUBJECT_SCHEMA, Frames, Scorecard, parse_scorecard,
    score_partition,
)

CARD_PATH = Path(__file__).resolve().parents[2] / "src/pubcredit/rulebook/scorecards/zibo-v2.yaml"
AS_OF = dt.date(2026, 12, 31)
PARTS = 4
SUBJECTS = 3000


def generated_city(seed: int = 14) -> Frames:
    rng = random.Random(seed)
    kinds = ["legal_person"] * 8 + ["individual_business", "natural_person"]
    classes = ["admin_penalty"] * 6 + ["commitment_breach", "spot_check_result"]
    lists = ["business_anomaly", "court_dishonest_debtor", "major_tax_violator", "samr_serious_violation",
             "integrity_honor", "tax_a_level"]
    subjects, records, entries = [], [], []
    for subject_id in range(1, SUBJECTS + 1):
        subjects.append({"subject_id": subject_id, "kind": rng.choice(kinds)})
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3, 5])):
            records.append({"record_id": len(records) + 1, "subject_id": subject_id, "class_code": rng.choice(classes),
                            "decision_date": AS_OF - dt.timedelta(days=rng.randint(0, 4 * 365)),
                            "severity": rng.choice(["minor", "general", "serious", None]),
                            "repaired": rng.random() < 0.15, "revoked": rng.random() < 0.03})
        for _ in range(rng.choice([0, 0, 0, 0, 1, 2])):
            start = AS_OF - dt.timedelta(days=rng.randint(0, 3 * 365))
            removed = rng.choice([None, None, "repaired", "expired"])
            entries.append({"entry_id": len(entries) + 1, "subject_id": subject_id, "list_code": rng.choice(lists),
                            "effective_date": start, "list_name_zh": None,
                            "removed_on": None if removed is None else start + dt.timedelta(days=rng.randint(30, 400)),
                            "removal_reason": removed})
    return Frames.of(subjects, records, entries)


def write_partitioned_parquet(frames: Frames, root: Path) -> None:
    """``root/{subjects,records,entries}/part=K/…parquet``: hive partitioning by subject, through Arrow."""
    for name, frame in (("subjects", frames.subjects), ("records", frames.records), ("entries", frames.entries)):
        table = frame.with_columns(part=(pl.col("subject_id") % PARTS).cast(pl.Int32)).to_arrow()
        pq.write_to_dataset(table, root_path=str(root / name), partition_cols=["part"])


def score_parquet_partition(root: str, part: int, card: Scorecard, as_of: dt.date) -> tuple:
    """One task on a worker: read one Parquet partition through Arrow, score it, hand back Arrow tables (and the
    worker's process id, to show where it ran)."""
    def read(name: str, schema: dict) -> pl.DataFrame:
        table = pq.read_table(f"{root}/{name}", filters=[("part", "=", part)])
        return pl.from_arrow(table).select(list(schema)).cast(schema)

    frames = Frames(read("subjects", SUBJECT_SCHEMA), read("records", RECORD_SCHEMA), read("entries", ENTRY_SCHEMA))
    scored = score_partition(frames, card, as_of)
    return scored.scores.to_arrow(), scored.lines.to_arrow(), os.getpid()


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def test_the_distributed_run_on_a_local_dask_cluster_equals_the_in_process_run(tmp_path):
    import cloudpickle
    from distributed import Client, LocalCluster

    card = parse_scorecard(yaml.safe_load(CARD_PATH.read_text(encoding="utf-8")))
    city = generated_city()
    write_partitioned_parquet(city, tmp_path)
    in_process = score_partition(city, card, AS_OF)
    assert in_process.scores.height > 2000 and in_process.lines.height > 1000  # a real workload, every item type
    assert set(in_process.lines["source_kind"]) >= {"record", "list", "item"}

    # the workers are separate processes: ship this module's task function by value, not by import path
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          worker_dashboard_address=None) as cluster, Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            futures = client.map(score_parquet_partition, [str(tmp_path)] * PARTS, range(PARTS),
                                 card=card, as_of=AS_OF, pure=False)
            results = client.gather(futures)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])

    scores = pl.concat([pl.from_arrow(s) for s, _, _ in results]).cast(SCORE_SCHEMA)
    lines = pl.concat([pl.from_arrow(lines) for _, lines, _ in results]).cast(LINE_SCHEMA)
    assert _sorted(scores).equals(_sorted(in_process.scores))
    assert _sorted(lines).equals(_sorted(in_process.lines))
    assert os.getpid() not in {pid for _, _, pid in results}  # scored in the workers' processes, not here
