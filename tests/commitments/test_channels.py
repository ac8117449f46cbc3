"""The rules of commitments hold on every collection channel (issue 17, "Bad input"): a 审批替代型 commitment for a
matter without 告知承诺, a second commitment for one approval and a status move that skips a step (已履约 → 已违诺)
are refused with field-level errors in the batch's rejection shape, and nothing of those rows is written — by a file
(on PostgreSQL through the set-based path, ``ingest/setwise.py``), by the records API and by the collection form, as
by the commitments services. The check is the class check ``commitments.checks`` added to the catalogue's plan."""

import pytest
from django.db import connection
from django.urls import reverse

from pubcredit.catalog.registry import get_class
from pubcredit.commitments.services import commitment_accept, commitment_verify
from pubcredit.ingest import setwise
from pubcredit.ingest.models import RejectedRow
from pubcredit.ingest.services import batch_import_file
from pubcredit.records.models import CreditRecord
from tests.commitments.helpers import commitment
from tests.ingest.files import table, write_csv

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
FROM_DEPARTMENT = {"accepting_department": "淄博市市场监督管理局", "source_name": "淄博市市场监督管理局",
                   "source_uscc": "11370300MB2851234B"}


def full(n: int, **overrides) -> dict:
    """A commitment as a department's file or system sends it: every required column filled."""
    return commitment(n, commitment_content="承诺所提交材料真实有效", status="履约中", **FROM_DEPARTMENT) | overrides


def errors_of(summary: dict) -> dict[int, list[tuple[str, str]]]:
    return {item["row"]: [(e["field"], e["code"]) for e in item["errors"]] for item in summary["rejected"]}


@pytest.fixture
def import_file(tmp_path, department, system_actor, today):
    labels = {f.key: f.label_zh for f in get_class("credit_commitment").fields}

    def _import(rows, *, name="commitments.csv", chunk_rows=2):
        path = write_csv(tmp_path / name, table(rows, labels))
        return batch_import_file(path=path, class_code="credit_commitment", department=department,
                                 actor=system_actor, chunk_rows=chunk_rows)
    return _import


def statuses() -> dict[str, tuple[str, int]]:
    return {no: (status, version) for no, status, version in CreditRecord.objects.filter(
        class_code="credit_commitment").values_list("decision_no", "fields__status", "version")}


# --- files -----------------------------------------------------------------------------------------------------


def test_file_imports_of_commitments_take_the_set_based_path_on_postgresql_and_the_row_path_on_sqlite():
    assert setwise.applies(get_class("credit_commitment"), channel="file") is POSTGRES


def test_gbf_2020_42_a_file_row_of_an_approval_commitment_for_a_matter_without_notification_commitment_is_rejected(
        import_file):
    """国办发〔2020〕42号 (matters as data): 危险化学品经营许可 takes no 审批替代型 commitment, whatever the channel."""
    batch = import_file([full(1), full(2, matter="危险化学品经营许可"),
                         full(3, commitment_type="主动型", matter="危险化学品经营许可", approval_no=None)])
    assert errors_of(batch.summary) == {2: [("matter", "commitment.matter_not_allowed")]}
    message = batch.summary["rejected"][0]["errors"][0]["message"]
    assert "危险化学品经营许可" in message and "不适用告知承诺制" in message
    assert batch.summary["created"] == 2  # the approval and the voluntary commitment; nothing of row 2
    assert set(statuses()) == {"淄市监承诺〔2026〕1号", "淄市监承诺〔2026〕3号"}
    kept = RejectedRow.objects.get(batch=batch)  # quarantined like any rejected row, until sent again fixed
    assert kept.row_no == 2 and kept.errors[0]["code"] == "commitment.matter_not_allowed"


def test_one_approval_one_commitment_in_a_file_against_stored_commitments_earlier_rows_and_earlier_chunks(
        import_file, department, system_actor):
    commitment_accept(department=department, values=commitment(1), actor=system_actor)  # holds SP-2026-0001
    batch = import_file([
        full(2, approval_no="SP-2026-0001"),  # 1: held by the stored commitment
        full(3, approval_no="SP-2026-0003"),  # 2: new
        full(4, approval_no="SP-2026-0003"),  # 3: held by row 2, committed with the first chunk
        full(5, approval_no="SP-2026-0005"),  # 4: new
        full(6, approval_no="SP-2026-0006"),  # 5: new
        full(7, approval_no="SP-2026-0006"),  # 6: held by row 5 of the same chunk
    ], chunk_rows=2)
    assert errors_of(batch.summary) == {r: [("approval_no", "commitment.duplicate_approval")] for r in (1, 3, 6)}
    messages = {item["row"]: item["errors"][0]["message"] for item in batch.summary["rejected"]}
    assert "淄市监承诺〔2026〕1号" in messages[1] and "淄市监承诺〔2026〕3号" in messages[3]
    assert "第5行" in messages[6]
    assert batch.summary["created"] == 3
    # sending the same file again changes nothing: a commitment's own approval is not a duplicate of itself
    again = import_file([full(3, approval_no="SP-2026-0003")], name="again.csv")
    assert again.summary["unchanged"] == 1 and again.summary["rejected"] == []


def test_a_status_move_that_skips_a_step_in_a_file_is_rejected_and_the_stored_commitment_keeps_its_version(
        import_file, department, system_actor):
    record = commitment_accept(department=department, values=commitment(1), actor=system_actor)
    commitment_verify(record=record, department=department, verified_on="2026-11-19", fulfilled=True,
                      actor=system_actor)
    commitment_accept(department=department, values=commitment(2), actor=system_actor)
    batch = import_file([
        full(1, status="已违诺", breach_evidence="事后发现材料不实"),  # 已履约 → 已违诺: refused
        full(2, status="已到期"),  # 履约中 → 已到期: a move MOVES allows
        full(3, status="已履约", verified_on="2026-11-10"),  # a new commitment sent late, already fulfilled
        full(1, decision_no="淄市监承诺〔2026〕1号", status="已履约", verified_on="2026-11-19",
             verification_note="补充核查说明"),  # rejected as a duplicate of row 1 in the file, never as a move
    ], chunk_rows=10)
    errors = errors_of(batch.summary)
    assert errors[1] == [("status", "commitment.status_move")]
    assert "已履约" in batch.summary["rejected"][0]["errors"][0]["message"]
    assert statuses() == {"淄市监承诺〔2026〕1号": ("fulfilled", 2), "淄市监承诺〔2026〕2号": ("expired", 2),
                          "淄市监承诺〔2026〕3号": ("fulfilled", 1)}


def test_a_correction_of_an_ended_commitment_that_keeps_its_status_is_no_move(import_file, department,
                                                                             system_actor):
    record = commitment_accept(department=department, values=commitment(1), actor=system_actor)
    record = commitment_verify(record=record, department=department, verified_on="2026-11-19", fulfilled=True,
                               actor=system_actor)
    batch = import_file([{**{k: v for k, v in record.fields.items() if v is not None}, "status": "已履约",
                          "verification_note": "核查情况补正"}])
    assert batch.summary["rejected"] == [] and batch.summary["updated"] == 1
    assert statuses()["淄市监承诺〔2026〕1号"] == ("fulfilled", 3)


# --- the records API -------------------------------------------------------------------------------------------


def test_the_records_api_refuses_each_bad_commitment_by_field_and_keeps_the_good_ones(api, department, system_actor):
    record = commitment_accept(department=department, values=commitment(1), actor=system_actor)
    commitment_verify(record=record, department=department, verified_on="2026-11-19", fulfilled=True,
                      actor=system_actor)
    response = api.post("/api/v1/records/credit_commitment", {"records": [
        full(2, matter="危险化学品经营许可"),
        full(3, approval_no="SP-2026-0001"),
        full(1, status="已违诺", breach_evidence="事后发现材料不实"),
        full(4),
        full(5, status="已违诺"),  # a breach without its evidence: the catalogue's own rule
    ]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert errors_of(body) == {1: [("matter", "commitment.matter_not_allowed")],
                               2: [("approval_no", "commitment.duplicate_approval")],
                               3: [("status", "commitment.status_move")],
                               5: [("breach_evidence", "required")]}
    assert body["created"] == 1
    assert statuses() == {"淄市监承诺〔2026〕1号": ("fulfilled", 2), "淄市监承诺〔2026〕4号": ("in_force", 1)}


# --- the collection form ---------------------------------------------------------------------------------------


def test_the_collection_form_shows_the_duplicate_approval_next_to_its_field_and_writes_nothing(
        client, provider, department, system_actor, today):
    commitment_accept(department=department, values=commitment(1), actor=system_actor)
    client.force_login(provider)
    data = full(2, approval_no="SP-2026-0001", subject_category="legal_person", commitment_type="approval_substitute",
                matter="food_business_license", status="in_force")
    response = client.post(reverse("ingest:record_new", args=["credit_commitment"]),
                           {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 400
    page = response.content.decode()
    assert "同一审批只能作出一份承诺" in page and "SP-2026-0001" in page
    assert set(statuses()) == {"淄市监承诺〔2026〕1号"}
