"""Benchmark of the evaluation engine (公共信用综合评价): the pure partition function over synthetic Parquet.

    .venv/bin/python bench/evaluation/run.py --subjects 100000 --records 1000000 --entries 10000

Generates organisations, penalties (severity minor/general/serious, some repaired or revoked) and list entries,
writes them as Parquet partitioned by subject (``--partition`` subjects per file), then in a fresh child process
per measurement: (1) a bare aggregate written by hand in Polars: the default Zibo model's scores and grades
(per-record points with decay, repeat and repair, list points, item and category caps, thresholds, the serious-list
override) in one lazy query over all subjects, without item lines or notes; (2) the engine,
``rules.evaluation.score_partition`` partition by partition with the default Zibo scorecard, item lines included.
Both write their scores, which must be the same for every subject (``"what": "same scores"``; the run fails
otherwise). Wall time, the child's own peak RSS (VmHWM) and the load average are printed as JSON lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
AS_OF = dt.date(2026, 9, 30)
LISTS = ["business_anomaly", "court_dishonest_debtor", "major_tax_violator", "samr_serious_violation",
         "integrity_honor", "tax_a_level"]


def _rand(n: int, seed: int, modulo: int) -> pl.Expr:
    """A reproducible pseudo-random integer in [0, modulo) per row (hash of the row number; no NumPy needed)."""
    return (pl.int_range(n, dtype=pl.UInt64).hash(seed) % modulo).cast(pl.Int64)


def generate(directory: Path, n_subjects: int, n_records: int, n_entries: int, partition: int, seed: int) -> None:
    start = dt.date(2022, 1, 1)
    days = (AS_OF - start).days
    severity = _rand(n_records, seed + 3, 10)
    records = pl.select(
        record_id=pl.int_range(n_records, dtype=pl.Int64), subject_id=_rand(n_records, seed + 1, n_subjects),
        class_code=pl.lit("admin_penalty"),
        decision_date=pl.lit(start) + pl.duration(days=_rand(n_records, seed + 2, days)),
        severity=pl.when(severity < 6).then(pl.lit("minor")).when(severity < 9).then(pl.lit("general"))
        .otherwise(pl.lit("serious")),
        repaired=_rand(n_records, seed + 4, 100) < 5, revoked=_rand(n_records, seed + 5, 100) < 1,
    )
    removed = _rand(n_entries, seed + 8, 10) < 3
    effective = pl.lit(start) + pl.duration(days=_rand(n_entries, seed + 7, days))
    entries = pl.select(
        entry_id=pl.int_range(n_entries, dtype=pl.Int64), subject_id=_rand(n_entries, seed + 6, n_subjects),
        list_code=_rand(n_entries, seed + 9, len(LISTS)).replace_strict(dict(enumerate(LISTS)),
                                                                        return_dtype=pl.String),
        effective_date=effective,
        removed_on=pl.when(removed).then(effective + pl.duration(days=200)).otherwise(None),
        removal_reason=pl.when(removed).then(pl.lit("repaired")).otherwise(pl.lit(None, pl.String)),
        list_name_zh=pl.lit(None, pl.String),
    )
    subjects = pl.select(subject_id=pl.int_range(n_subjects, dtype=pl.Int64), kind=pl.lit("legal_person"))
    for name, frame in (("subjects", subjects), ("records", records), ("entries", entries)):
        frame.with_columns(part=pl.col("subject_id") // partition).write_parquet(
            directory / name, partition_by="part")


def _parts(directory: Path) -> list[str]:
    return sorted(p.name for p in (directory / "subjects").iterdir())


def _read(directory: Path, name: str, part: str, schema: dict) -> pl.DataFrame:
    """One partition's file, read once (a partition without entries gets an empty frame of the schema)."""
    path = directory / name / part
    frame = pl.read_parquet(path) if path.exists() else pl.DataFrame(schema=schema)
    return frame.select(list(schema)).cast(schema)


def score_engine(directory: Path) -> dict:
    import yaml

    from pubcredit.rules.evaluation import ENTRY_SCHEMA, RECORD_SCHEMA, SUBJECT_SCHEMA, Frames, parse_scorecard, \
        score_partition

    card = parse_scorecard(yaml.safe_load((ROOT / "src/pubcredit/rulebook/scorecards/zibo-v1.yaml").read_text()))
    started, subjects, lines, scores = time.perf_counter(), 0, 0, []
    for part in _parts(directory):
        frames = Frames(*(
            _read(directory, name, part, schema)
            for name, schema in (("subjects", SUBJECT_SCHEMA), ("records", RECORD_SCHEMA),
                                 ("entries", ENTRY_SCHEMA))))
        scored = score_partition(frames, card, AS_OF)
        subjects += scored.scores.height
        lines += scored.lines.height
        scores.append(scored.scores.select("subject_id", "score", "grade"))
    seconds = round(time.perf_counter() - started, 2)
    pl.concat(scores).write_parquet(directory / "engine_scores.parquet")  # for the comparison, after the timing
    return {"what": "engine", "seconds": seconds, "subjects": subjects, "lines": lines}


# the default model (zibo-v1) written out by hand for the bare aggregate: item → (category, cap), category → cap
ITEMS = {"minor": ("penalties", 30.0), "general": ("penalties", 240.0), "serious": ("penalties", 440.0),
         "business_anomaly": ("lists", 40.0), "serious_list": ("lists", 450.0), "integrity_honor": ("honours", 60.0),
         "tax_a_level": ("honours", 20.0)}
CATEGORY_CAPS = {"penalties": 500.0, "lists": 450.0, "honours": 80.0}
SERIOUS_LISTS = ["court_dishonest_debtor", "major_tax_violator", "samr_serious_violation"]
GRADES = [("A+", 1030), ("A", 970), ("B", 945), ("C", 880), ("C-", 800), ("D", 650), ("D-", 0)]


def _capped(points: pl.Expr, cap: pl.Expr) -> pl.Expr:
    return pl.when(points.abs() > cap).then(points.sign() * cap).otherwise(points)


def score_bare(directory: Path) -> dict:
    """The hand-written aggregate: the same scores and grades as the engine (per-record points with decay, repeat
    and repair, list points, item and category caps, thresholds, the serious-list override) in one lazy Polars
    query over all subjects at once, without item lines, notes or the scorecard machinery."""
    started = time.perf_counter()
    records = pl.scan_parquet(directory / "records")
    cut = {m: AS_OF.replace(year=AS_OF.year - m // 12) for m in (12, 24, 36)}
    decay = (pl.when(pl.col("decision_date") > cut[12]).then(1.0).when(pl.col("decision_date") > cut[24]).then(0.6)
             .when(pl.col("decision_date") > cut[36]).then(0.3).otherwise(0.0))
    base = pl.col("severity").replace_strict({"minor": 10.0, "general": 60.0, "serious": 220.0})
    decay = pl.when(pl.col("severity") == "minor").then(pl.when(pl.col("decision_date") > cut[12]).then(1.0)
                                                         .otherwise(0.0)).otherwise(decay)
    previous = pl.when(~pl.col("repaired")).then(pl.col("decision_date")).forward_fill().shift(1) \
        .over("subject_id", "severity")
    repeat = pl.when((pl.col("severity") != "minor") & previous.is_not_null()
                     & (pl.col("decision_date") <= previous.dt.offset_by("12mo")) & ~pl.col("repaired")) \
        .then(1.5).otherwise(1.0)
    record_points = (records.filter(~pl.col("revoked") & (pl.col("decision_date") <= AS_OF))
                     .sort("subject_id", "decision_date", "record_id")
                     .select("subject_id", item=pl.col("severity"),
                             points=(-base * decay * repeat * pl.when(pl.col("repaired")).then(0.0).otherwise(1.0))
                             .round(2)))
    list_items = {"business_anomaly": ("business_anomaly", -40.0), "integrity_honor": ("integrity_honor", 30.0),
                  "tax_a_level": ("tax_a_level", 20.0), **{code: ("serious_list", -300.0) for code in SERIOUS_LISTS}}
    in_force = (pl.scan_parquet(directory / "entries")
                .filter((pl.col("effective_date") <= AS_OF)
                        & (pl.col("removed_on").is_null() | (pl.col("removed_on") > AS_OF))))
    list_points = in_force.select(
        "subject_id", item=pl.col("list_code").replace_strict({k: v[0] for k, v in list_items.items()}),
        points=pl.col("list_code").replace_strict({k: v[1] for k, v in list_items.items()}))
    per_item = (pl.concat([record_points, list_points]).group_by("subject_id", "item").agg(pl.col("points").sum())
                .with_columns(category=pl.col("item").replace_strict({k: v[0] for k, v in ITEMS.items()}),
                              points=_capped(pl.col("points"), pl.col("item").replace_strict(
                                  {k: v[1] for k, v in ITEMS.items()}))))
    delta = (per_item.group_by("subject_id", "category").agg(pl.col("points").sum())
             .with_columns(points=_capped(pl.col("points"), pl.col("category").replace_strict(CATEGORY_CAPS)))
             .group_by("subject_id").agg(delta=pl.col("points").sum()))
    serious = in_force.filter(pl.col("list_code").is_in(SERIOUS_LISTS)).select("subject_id").unique() \
        .with_columns(listed=pl.lit(True))
    grade = pl.lit(GRADES[-1][0])
    for name, floor in reversed(GRADES[:-1]):
        grade = pl.when(pl.col("score") >= floor).then(pl.lit(name)).otherwise(grade)
    better_than_d = ["A+", "A", "B", "C", "C-"]
    scores = (pl.scan_parquet(directory / "subjects").select("subject_id")
              .join(delta, on="subject_id", how="left").join(serious, on="subject_id", how="left")
              .with_columns(score=(1000 + pl.col("delta").fill_null(0.0)).round(2))
              .with_columns(grade=grade)
              .with_columns(grade=pl.when(pl.col("listed").fill_null(False) & pl.col("grade").is_in(better_than_d))
                            .then(pl.lit("D")).otherwise(pl.col("grade")))
              .select("subject_id", "score", "grade").collect())
    seconds = round(time.perf_counter() - started, 2)
    scores.write_parquet(directory / "bare_scores.parquet")
    return {"what": "bare aggregate", "seconds": seconds, "subjects": scores.height}


def compare(directory: Path) -> dict:
    """Both wrote their scores: they must be the same (score within a cent of rounding, grade equal)."""
    both = pl.read_parquet(directory / "engine_scores.parquet").join(
        pl.read_parquet(directory / "bare_scores.parquet"), on="subject_id", how="full", suffix="_bare")
    differ = both.filter(pl.col("subject_id").is_null() | pl.col("subject_id_bare").is_null()
                         | ((pl.col("score") - pl.col("score_bare")).abs() > 0.01 + 1e-9)
                         | (pl.col("grade") != pl.col("grade_bare")))
    if differ.height:
        raise SystemExit(f"the engine and the bare aggregate differ for {differ.height} subjects:\n{differ.head(5)}")
    return {"what": "same scores", "subjects": both.height, "differ": 0}


def peak_rss_mib() -> int:
    """This process's own peak RSS. Not ``getrusage``: on Linux its ``ru_maxrss`` survives ``exec``, so a child
    started by the parent that generated the data would report the parent's peak (it did, until 2026-12-03)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def child(mode: str, directory: str) -> None:
    result = (score_engine if mode == "engine" else score_bare)(Path(directory))
    result["peak_rss_mib"] = peak_rss_mib()
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]  # the machine is shared: say how busy it was
    print(json.dumps(result, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--partition", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DIR"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        generate(Path(tmp), args.subjects, args.records, args.entries, args.partition, args.seed)
        print(json.dumps({"what": "generate", "seconds": round(time.perf_counter() - started, 2),
                          "subjects": args.subjects, "records": args.records, "entries": args.entries,
                          "partition": args.partition}))
        for mode in ("bare", "engine"):
            subprocess.run([sys.executable, __file__, "--child", mode, tmp], check=True)
        print(json.dumps(compare(Path(tmp))))


if __name__ == "__main__":
    main()
