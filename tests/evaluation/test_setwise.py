"""The set-based run (issue 14, the database-backed full run under 5 minutes): each partition read by SQL straight
into Polars and its results built as JSON in Polars and copied, both equal by value to the ORM path they replaced
(kept here as the reference: ``orm_partition_frames``, ``orm_result_rows``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubcredit.evaluation import selectors, services
from pubcredit.evaluation.choices import RunTrigger
from pubcredit.evaluation.models import EvaluationResult, EvaluationRun
from pubcredit.evaluation.rulebook import scorecards
from pubcredit.lists.models import ListEntry
from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules.evaluation import Frames, RecordItem, score_partition
from pubcredit.subjects.models import Subject
from tests.evaluation.test_refresh import GENERAL, SERIOUS, submit
from tests.factories import at, penalty, uscc
from tests.lists.helpers import samr_row, submit_list

AS_OF = dt.date(2026, 11, 20)
CARD = scorecards().for_day(AS_OF)
# the same model with a serious list costing 1 point: a listed subject keeps a good score, so the serious-list
# override (直接认定) is what makes it 严重失信 and the result has overrides to write
CHEAP_LIST = CARD.model_copy(update={"items": tuple(
    item.model_copy(update={"points": 1}) if item.code == "serious_list" else item for item in CARD.items)})


def orm_partition_frames(*, subject_ids, card, as_of, known_before) -> Frames:
    """The partition read before the set-based one: through the ORM into one Python dict per row."""
    from pubcredit.lists.rulebook import rulebook as list_rulebook

    subjects = list(Subject.objects.filter(pk__in=subject_ids).values("id", "kind"))
    classes = sorted({c for item in card.items if isinstance(item, RecordItem) for c in item.class_codes})
    records = list(CreditRecord.objects.filter(subject_id__in=subject_ids, class_code__in=classes,
                                               received_at__lt=known_before, decision_date__lte=as_of)
                   .values("id", "subject_id", "class_code", "decision_date", "status"))
    states = {row["record_id"]: row for row in PublicityState.objects.filter(
        record_id__in=[r["id"] for r in records]).values("record_id", "severity", "state", "ended_on")}
    record_rows = []
    for r in records:
        state = states.get(r["id"], {})
        repaired = state.get("state") == "repaired" and (state.get("ended_on") is None or state["ended_on"] <= as_of)
        record_rows.append({"record_id": r["id"], "subject_id": r["subject_id"], "class_code": r["class_code"],
                            "decision_date": r["decision_date"], "severity": state.get("severity") or None,
                            "repaired": repaired,
                            "revoked": r["status"] == "revoked" or state.get("state") == "revoked"})
    names = {code: spec.name_zh for code in list_rulebook().codes() for spec in list_rulebook().versions[code][-1:]}
    entries = [{"entry_id": e["id"], "subject_id": e["subject_id"], "list_code": e["list_code"],
                "effective_date": e["effective_date"], "removed_on": e["removed_on"],
                "removal_reason": e["removal_reason"] or None, "list_name_zh": names.get(e["list_code"])}
               for e in ListEntry.objects.filter(subject_id__in=subject_ids, created_at__lt=known_before)
               .values("id", "subject_id", "list_code", "effective_date", "removed_on", "removal_reason")]
    return Frames.of([{"subject_id": s["id"], "kind": s["kind"]} for s in subjects], record_rows, entries)


def orm_result_rows(run, card, scored, now) -> list[EvaluationResult]:
    """The result objects built before the set-based writer (one Python dict per item line), for ``bulk_create``."""
    lines = scored.lines.partition_by("subject_id", as_dict=True)

    def items(subject_id):
        if (subject_id,) not in lines:
            return []
        return [{k: v for k, v in row.items() if k != "subject_id"} for row in lines[(subject_id,)].iter_rows(named=True)]

    return [EvaluationResult(run=run, subject_id=row["subject_id"], as_of=run.as_of, scorecard_version=card.version,
                             score=Decimal(str(row["score"])), grade=row["grade"], class_code=row["class_code"],
                             items=items(row["subject_id"]), overrides=list(row["overrides"]), evaluated_at=now)
            for row in scored.scores.iter_rows(named=True)]


def values(result: EvaluationResult) -> tuple:
    # the item lines with their keys in order: a line is the same object, not just equal as a mapping
    return (result.subject_id, result.as_of, result.scorecard_version, result.score, result.grade, result.class_code,
            result.items, [list(line) for line in result.items], result.overrides)


def sorted_frame(frame, key):
    return frame.sort(key).to_dicts()


# --- generated partitions, scored by the engine ------------------------------------------------------------

days = st.dates(min_value=dt.date(2021, 1, 1), max_value=AS_OF)
record_st = st.tuples(st.integers(0, 3), days, st.sampled_from(["minor", "general", "serious", None]), st.booleans(),
                      st.booleans())
entry_st = st.tuples(st.integers(0, 3), st.sampled_from(["business_anomaly", "court_dishonest_debtor",
                                                         "integrity_honor", "tax_a_level", "samr_serious_violation",
                                                         "major_tax_violator"]), days,
                     st.sampled_from([None, "repaired", "expired"]))


def generated_frames(subject_ids, records, entries) -> Frames:
    return Frames.of(
        [{"subject_id": pk, "kind": "legal_person"} for pk in subject_ids],
        [{"record_id": n + 1, "subject_id": subject_ids[s], "class_code": "admin_penalty", "decision_date": day,
          "severity": severity, "repaired": repaired, "revoked": revoked}
         for n, (s, day, severity, repaired, revoked) in enumerate(records)],
        [{"entry_id": n + 1, "subject_id": subject_ids[s], "list_code": code, "effective_date": start,
          "removed_on": None if reason is None else min(start + dt.timedelta(days=120), AS_OF),
          "removal_reason": reason, "list_name_zh": None if code == "tax_a_level" else f"名单{code}"}
         for n, (s, code, start, reason) in enumerate(entries)])


@settings(max_examples=80, deadline=None)
@given(records=st.lists(record_st, max_size=30), entries=st.lists(entry_st, max_size=10),
       card=st.sampled_from([CARD, CHEAP_LIST]))
def test_result_frame_equals_the_orm_builder_on_generated_partitions(records, entries, card):
    scored = score_partition(generated_frames([11, 12, 13, 14], records, entries), card, AS_OF)
    run = EvaluationRun(pk=7, trigger=RunTrigger.ON_DEMAND, as_of=AS_OF, scorecard_version=card.version)
    now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    new = services.unsaved_results(run, card, services.result_frame(scored), now)
    old = orm_result_rows(run, card, scored, now)
    assert [values(r) for r in new] == [values(r) for r in old]
    assert [r.evaluated_at for r in new] == [r.evaluated_at for r in old]


def test_result_frame_writes_overrides_and_lines_as_json_text():
    frames = generated_frames([5], [(0, dt.date(2026, 5, 1), "general", False, False)],
                              [(0, "samr_serious_violation", dt.date(2026, 1, 1), None)])
    row = services.result_frame(score_partition(frames, CHEAP_LIST, AS_OF)).row(0, named=True)
    assert row["items"].startswith('[{"item_code":"serious_list","item_name_zh":"列入严重失信主体名单",') \
        and '"source_kind":"record","source_id":1,"points":-60.0,' in row["items"]
    assert row["overrides"].startswith('["在列严重失信主体名单（samr_serious_violation），无论得分均评为严重失信')
    assert (row["score"], row["grade"], row["class_code"]) == ("939.0", "D", "serious")


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(record_st, max_size=25), entries=st.lists(entry_st, max_size=8),
       card=st.sampled_from([CARD, CHEAP_LIST]))
def test_stored_results_of_the_copy_writer_equal_those_of_bulk_create(records, entries, card):
    now = clock.now()
    subject_ids = [Subject.objects.get_or_create(uscc=uscc(900 + n), defaults={
        "kind": "legal_person", "name": f"淄博评价写入测试有限公司{n}", "created_at": now, "updated_at": now})[0].pk
        for n in range(4)]
    scored = score_partition(generated_frames(subject_ids, records, entries), card, AS_OF)
    runs = [EvaluationRun.objects.create(trigger=RunTrigger.ON_DEMAND, as_of=AS_OF, period=AS_OF.isoformat(),
                                         scorecard_version=card.version, requested_by="test", created_at=now)
            for _ in range(2)]
    EvaluationResult.objects.bulk_create(orm_result_rows(runs[0], card, scored, now))
    assert services.write_results(runs[1], card, services.result_frame(scored), now) == 4

    def stored(run):
        return [(values(r), r.evaluated_at) for r in run.results.order_by("subject_id")]

    assert stored(runs[1]) == stored(runs[0]) and len(stored(runs[0])) == 4


# --- the partition's read -----------------------------------------------------------------------------------


@pytest.fixture
def varied_city(city, department, system_actor):
    """The city plus penalties in every state the read distinguishes: repaired (publicity ended before, after or
    without an end date), revoked by state and by record, without a publicity state, with a blank severity;
    and list entries removed by repair and in force."""
    with clock.pinned(dt.date(2026, 11, 19)):
        submit(department, system_actor, [penalty(n, **GENERAL, decision_no=f"淄市监罚〔2026〕{n}0号")
                                          for n in (1, 2, 3, 5, 6)]
               + [penalty(7, **SERIOUS, decision_no="淄市监罚〔2026〕70号")])
    submit_list("samr_serious_violation", [samr_row(5), samr_row(6)], department, system_actor, when="2026-11-19")
    states = PublicityState.objects.filter(record__decision_no__endswith="0号")
    by_no = {s.record.decision_no: s.record_id for s in states.select_related("record")}
    PublicityState.objects.filter(record_id=by_no["淄市监罚〔2026〕10号"]).update(
        state="repaired", ended_on=dt.date(2026, 10, 1))
    PublicityState.objects.filter(record_id=by_no["淄市监罚〔2026〕20号"]).update(
        state="repaired", ended_on=dt.date(2026, 12, 1))  # repaired after the evaluation date
    PublicityState.objects.filter(record_id=by_no["淄市监罚〔2026〕30号"]).update(state="repaired", ended_on=None)
    PublicityState.objects.filter(record_id=by_no["淄市监罚〔2026〕50号"]).update(state="revoked", severity="")
    CreditRecord.objects.filter(pk=by_no["淄市监罚〔2026〕60号"]).update(status="revoked")
    PublicityState.objects.filter(record_id=by_no["淄市监罚〔2026〕70号"]).delete()
    ListEntry.objects.filter(subject__uscc=uscc(5)).update(status="removed", removal_reason="repaired",
                                                           removed_on=dt.date(2026, 11, 19))
    return city


@pytest.mark.django_db
@pytest.mark.parametrize(("as_of", "known_before"), [
    (AS_OF, at("2026-11-21", 0)),  # everything received
    (dt.date(2026, 11, 19), at("2026-11-19", 0)),  # before the city's records and lists were received
    (dt.date(2026, 5, 6), at("2026-11-21", 0)),  # on the general penalties' decision date
])
def test_partition_frames_read_by_sql_equal_the_orm_read(varied_city, as_of, known_before):
    ids = list(Subject.objects.order_by("pk").values_list("pk", flat=True))
    new = selectors.partition_frames(subject_ids=ids, card=CARD, as_of=as_of, known_before=known_before)
    old = orm_partition_frames(subject_ids=ids, card=CARD, as_of=as_of, known_before=known_before)
    assert new.subjects.schema == old.subjects.schema and new.records.schema == old.records.schema
    assert new.entries.schema == old.entries.schema
    assert sorted_frame(new.subjects, "subject_id") == sorted_frame(old.subjects, "subject_id")
    assert sorted_frame(new.records, "record_id") == sorted_frame(old.records, "record_id")
    assert sorted_frame(new.entries, "entry_id") == sorted_frame(old.entries, "entry_id")
    if as_of == AS_OF:  # the fixture's states are all there to be told apart
        flags = {(r["repaired"], r["revoked"], r["severity"]) for r in new.records.to_dicts()}
        assert {(True, False, "general"), (False, False, "general"), (False, True, None), (False, False, None),
                (False, True, "general")} <= flags
        assert new.entries["removal_reason"].to_list().count("repaired") == 1


@pytest.mark.django_db
def test_partition_frames_of_a_partition_with_nothing_recorded(varied_city):
    clean = Subject.objects.create(kind="legal_person", name="淄博无记录测试有限公司", uscc=uscc(990),
                                   created_at=clock.now(), updated_at=clock.now())
    frames = selectors.partition_frames(subject_ids=[clean.pk], card=CARD, as_of=AS_OF,
                                        known_before=at("2026-11-21", 0))
    assert frames.subjects.to_dicts() == [{"subject_id": clean.pk, "kind": "legal_person"}]
    assert frames.records.is_empty() and frames.entries.is_empty()
    row = services.result_frame(score_partition(frames, CARD, AS_OF)).row(0, named=True)
    assert (row["items"], row["overrides"], row["grade"]) == ("[]", "[]", "A")


# --- reading the next partition while the current one is scored and written ------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_run_reads_ahead_in_a_thread_and_stores_what_reading_in_turn_stores(city, department, system_actor,
                                                                               monkeypatch):
    """Outside a transaction the next partition is read by a thread on its own connection; inside one (where that
    connection would not see the transaction's writes) in turn. Both runs store the same results."""
    import threading

    from django.db import transaction

    with clock.pinned(AS_OF):
        submit(department, system_actor, [penalty(n, **GENERAL, decision_no=f"淄市监罚〔2026〕{n}1号") for n in (3, 6)])
    monkeypatch.setattr(services, "PARTITION_SIZE", 1)  # four organisations: four partitions
    read = selectors.partition_frames
    threads: list[str] = []

    def spied(**kwargs):
        threads.append(threading.current_thread().name)
        return read(**kwargs)

    monkeypatch.setattr(selectors, "partition_frames", spied)
    with clock.pinned(AS_OF):
        ahead = services.evaluation_run_start(actor=system_actor, enqueue=False)
        ahead = services.evaluation_run_execute(run_id=ahead.pk, actor=system_actor)
        read_by_thread, threads[:] = list(threads), []
        in_turn = services.evaluation_run_start(actor=system_actor, enqueue=False)
        with transaction.atomic():
            in_turn = services.evaluation_run_execute(run_id=in_turn.pk, actor=system_actor)
    assert len(read_by_thread) == 4 and all(name.startswith("evaluation-read-ahead") for name in read_by_thread)
    assert threads == [threading.current_thread().name] * 4
    assert ahead.done == in_turn.done == 4 and ahead.item_figures == in_turn.item_figures

    def stored(run):
        return [values(r) for r in run.results.order_by("subject_id")]

    assert stored(ahead) == stored(in_turn) and any(r.items for r in ahead.results.all())


@pytest.mark.django_db(transaction=True)
def test_streamed_partitions_equal_the_partitions_read_one_by_one(varied_city, system_actor):
    """A run of the whole city reads the records of all its partitions in one ordered pass (grouped by subject on
    PostgreSQL, split back in Polars); each partition's frames equal ``partition_frames`` of the same subjects,
    also for a subject in the range but not in the run and for partitions with no records at all."""
    now = clock.now()
    for n in range(3):  # organisations with nothing recorded, at the end of the id range
        Subject.objects.create(kind="legal_person", name=f"淄博无记录测试有限公司{n}", uscc=uscc(980 + n),
                               created_at=now, updated_at=now)
    ids = selectors.evaluated_subject_ids(card=CARD)
    left_out = ids.pop(1)  # e.g. scored already by a resumed run: its records are read and left out
    parts = [ids[:2], ids[2:3], ids[3:6], ids[6:]]
    known_before = at("2026-11-21", 0)
    streamed = list(selectors.streamed_partition_frames(parts=parts, card=CARD, as_of=AS_OF,
                                                        known_before=known_before))
    assert len(streamed) == len(parts)
    read_records = 0
    for part, frames in zip(parts, streamed, strict=True):
        one = selectors.partition_frames(subject_ids=part, card=CARD, as_of=AS_OF, known_before=known_before)
        for kind in ("subjects", "records", "entries"):
            ours, theirs = getattr(frames, kind), getattr(one, kind)
            assert ours.schema == theirs.schema, kind
            key = ours.columns[0]
            assert ours.sort(key).to_dicts() == theirs.sort(key).to_dicts(), (part, kind)
        assert left_out not in frames.records["subject_id"].to_list()
        read_records += frames.records.height
    assert read_records >= 6 and streamed[-1].records.is_empty()
    assert CreditRecord.objects.filter(subject_id=left_out).exists()


@pytest.mark.django_db(transaction=True)
def test_a_run_of_many_subjects_streams_and_stores_what_a_run_read_by_partition_stores(varied_city, system_actor,
                                                                                      monkeypatch):
    monkeypatch.setattr(services, "STREAM_FROM", 3)
    monkeypatch.setattr(services, "STREAM_PARTITION_SIZE", 2)
    streamed_reads = []
    stream = selectors.streamed_partition_frames

    def spied(**kwargs):
        streamed_reads.append(len(kwargs["parts"]))
        return stream(**kwargs)

    monkeypatch.setattr(selectors, "streamed_partition_frames", spied)
    with clock.pinned(AS_OF):
        streamed = services.evaluation_run_start(actor=system_actor, enqueue=False)
        streamed = services.evaluation_run_execute(run_id=streamed.pk, actor=system_actor)
        assert streamed_reads == [3]  # six organisations, two at a time, in one pass
        monkeypatch.setattr(services, "STREAM_FROM", 10**9)
        by_partition = services.evaluation_run_start(actor=system_actor, enqueue=False)
        by_partition = services.evaluation_run_execute(run_id=by_partition.pk, actor=system_actor)
    assert streamed_reads == [3] and streamed.done == by_partition.done == 6
    assert streamed.item_figures == by_partition.item_figures

    def stored(run):
        return [values(r) for r in run.results.order_by("subject_id")]

    assert stored(streamed) == stored(by_partition) and sum(bool(r.items) for r in streamed.results.all()) >= 4


@pytest.mark.django_db(transaction=True)
def test_a_killed_streamed_run_resumes_without_double_rows_and_leaves_no_reader_behind(varied_city, system_actor,
                                                                                     monkeypatch):
    import threading

    monkeypatch.setattr(services, "STREAM_FROM", 1)
    monkeypatch.setattr(services, "STREAM_PARTITION_SIZE", 2)

    def killed(done, total):
        if done == 2:
            raise KeyboardInterrupt

    with clock.pinned(AS_OF):
        run = services.evaluation_run_start(actor=system_actor, enqueue=False)
        with pytest.raises(KeyboardInterrupt):
            services.evaluation_run_execute(run_id=run.pk, actor=system_actor, progress=killed)
        assert run.results.count() == 2
        assert not [t for t in threading.enumerate() if t.name == "evaluation-read-ahead" and t.is_alive()]
        finished = services.evaluation_run_execute(run_id=run.pk, actor=system_actor)
    assert finished.status == "done" and finished.done == 6 == finished.results.count()
    assert finished.results.values("subject_id").distinct().count() == 6
