"""The collection pipeline end to end, one test per kind of bad input named in issue 3."""

import datetime as dt
import json

import pytest

from pubcredit.audit.services import verify_chain
from pubcredit.ingest.models import Batch, BatchKey, RejectedRow
from pubcredit.ingest.services import batch_import_file, batch_submit_records
from pubcredit.records.models import CreditRecord
from pubcredit.rules.errors import DomainError
from pubcredit.subjects import crypto
from tests.factories import penalty, person_penalty, resident_id, uscc
from tests.ingest.files import LABELS, penalties, table, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(tmp_path, department, system_actor, today):
    def _run(rows, name="data.csv", **kw):
        path = tmp_path / name
        if name.endswith(".xlsx"):
            write_xlsx(path, rows)
        elif isinstance(rows, bytes):
            path.write_bytes(rows)
        else:
            write_csv(path, rows, **kw)
        return batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor)
    return _run


def codes(batch, row):
    return [e["code"] for item in batch.summary["rejected"] if item["row"] == row for e in item["errors"]]


def test_gb18030_csv_with_title_rows_trailing_columns_and_rows(run):
    rows = table(penalties(3))
    rows = [r + [None, None] for r in rows] + [[None] * 5, []]
    batch = run(rows, title_rows=("淄博市市场监督管理局行政处罚信息（2026年10月）", "制表日期：2026-11-01"))
    s = batch.summary
    assert (batch.status, s["received"], s["created"], s["rejected_count"]) == ("done", 3, 3, 0)
    assert any(w["errors"][0]["code"] == "file.title_rows" for w in s["warnings"])
    assert CreditRecord.objects.count() == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected(run, encoding):
    batch = run(table(penalties(2)), encoding=encoding)
    assert batch.summary["created"] == 2
    assert CreditRecord.objects.get(decision_no="淄市监罚〔2026〕1号").subject.name == "淄博测试化工有限公司1"


def test_mixed_encoding_lines_are_read_and_reported(run, tmp_path):
    head = ",".join(table([])[0]).encode("utf-8") + b"\n"
    lines = [",".join("" if v is None else v for v in row) for row in table(penalties(2))[1:]]
    data = head + lines[0].encode("utf-8") + b"\n" + lines[1].encode("gb18030") + b"\n"
    batch = run(data)
    assert batch.summary["created"] == 2
    assert any(w["errors"][0]["code"] == "file.mixed_encoding" for w in batch.summary["warnings"])
    assert CreditRecord.objects.get(decision_no="淄市监罚〔2026〕2号").subject.name == "淄博测试化工有限公司2"


@pytest.mark.parametrize("data, code", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "file.binary"),
    (b"", "file.empty"),
    (b"\n\n  \n", "file.empty"),
])
def test_unreadable_files_are_refused_with_one_message(run, data, code):
    batch = run(data)
    assert batch.status == "refused" and batch.refused_code == code
    assert batch.summary["refused"]["message"]
    assert CreditRecord.objects.count() == 0


def test_headers_only_is_done_with_nothing_and_says_so(run):
    batch = run(table([]))
    assert batch.status == "done" and batch.summary["received"] == 0
    assert any(w["errors"][0]["code"] == "file.no_rows" for w in batch.summary["warnings"])


def test_missing_required_columns_refuse_the_file_naming_each_with_aliases(run):
    labels = {k: v for k, v in LABELS.items() if k not in ("decision_no", "penalty_types")}
    batch = run(table(penalties(1), labels))
    assert batch.status == "refused" and batch.refused_code == "catalog.missing_columns"
    fields = batch.summary["refused"]["fields"]
    assert {f["field"] for f in fields} == {"decision_no", "penalty_types"}
    assert any("CF_WSH" in f["message"] for f in fields)


def test_unknown_columns_are_ignored_with_a_warning_naming_them(run):
    labels = {**LABELS, "extra": "内部流水号"}
    batch = run(table(penalties(1), labels))
    assert batch.summary["created"] == 1
    warning = next(w for w in batch.summary["warnings"] if w["errors"][0]["code"] == "catalog.unknown_columns")
    assert "内部流水号" in warning["errors"][0]["message"]


def test_messy_cells_are_normalised(run):
    rows = [
        penalty(1, subject_uscc=" " + "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in uscc(1)) + " ",
                decision_date="2026.3.1", fine_amount="1,000.50万元", remarks="无"),
        penalty(2, subject_uscc=uscc(2).lower(), decision_date="2026年3月1日", fine_amount="5000元"),
        penalty(3, subject_uscc=uscc(3)[:4] + " " + uscc(3)[4:], decision_date="46082"),  # Excel serial
        penalty(4, decision_date="20260301", penalty_types=" 警告；罚款 "),
        penalty(5, decision_date="2026/3/1", confiscation_amount="-"),
    ]
    batch = run(table(rows, {**LABELS, "confiscation_amount": "没收违法所得、没收非法财物的金额（万元）", "remarks": "备注"}))
    assert batch.summary["rejected"] == [] and batch.summary["created"] == 5
    by_no = {r.decision_no: r for r in CreditRecord.objects.all()}
    first = by_no["淄市监罚〔2026〕1号"]
    assert first.subject.uscc == uscc(1) and first.fields["fine_amount"] == 1000.5 and first.fields["remarks"] is None
    assert by_no["淄市监罚〔2026〕2号"].fields["fine_amount"] == 0.5
    assert {r.decision_date for r in by_no.values()} == {dt.date(2026, 3, 1)}
    assert by_no["淄市监罚〔2026〕4号"].fields["penalty_types"] == ["warning", "fine"]


@pytest.mark.parametrize("overrides, field, code", [
    ({"subject_uscc": uscc(9)[:17] + ("0" if uscc(9)[17] != "0" else "1")}, "subject_uscc", "uscc.checksum"),
    ({"subject_uscc": uscc(9)[:16]}, "subject_uscc", "uscc.length"),
    ({"decision_no": None}, "decision_no", "required"),
    ({"decision_date": "2099-01-01"}, "decision_date", "date.future"),
    ({"decision_date": "1948-12-31"}, "decision_date", "date.before_1949"),
    ({"decision_date": "2026-02-30"}, "decision_date", "date.format"),
    ({"penalty_types": "罚金"}, "penalty_types", "enum"),
    ({"violation_facts": "事" * 2001}, "violation_facts", "max_length"),
    ({"fine_amount": "一千元"}, "fine_amount", "decimal.format"),
])
def test_bad_cells_reject_the_row_with_a_field_level_reason(run, overrides, field, code):
    batch = run(table([penalty(1), penalty(2, **overrides)]))
    assert batch.summary["created"] == 1
    [item] = batch.summary["rejected"]
    assert item["row"] == 2 and item["errors"][0]["field"] == field and item["errors"][0]["code"] == code
    assert item["errors"][0]["message"]


def test_enum_rejection_lists_the_allowed_values(run):
    batch = run(table([penalty(1, penalty_types="罚金")]))
    assert "警告" in batch.summary["rejected"][0]["errors"][0]["message"]


def test_id_number_with_impossible_birth_date(run):
    number = "370303" + "19901301" + "001"
    from pubcredit.rules.identifiers import resident_id_check_char
    batch = run(table([person_penalty(1, id_number=number + resident_id_check_char(number))]))
    assert codes(batch, 1) == ["id.birth_date"]


def test_same_business_key_twice_in_one_file(run):
    batch = run(table([penalty(1), penalty(2), penalty(1, penalty_content="又一行")]))
    assert batch.summary["created"] == 2
    assert codes(batch, 3) == ["duplicate_in_file"]
    assert "1" in batch.summary["rejected"][0]["errors"][0]["message"]


def test_formula_like_cells_are_kept_as_text(run):
    batch = run(table([penalty(1, violation_facts="=HYPERLINK(\"http://x\")", penalty_content="+罚款1万元")]))
    record = CreditRecord.objects.get()
    assert batch.summary["created"] == 1 and record.fields["violation_facts"].startswith("=HYPERLINK")


def test_xlsx_with_real_dates_and_numbers(run):
    rows = table([penalty(1, decision_date=None, fine_amount=None)])
    rows[1][list(LABELS).index("decision_date")] = dt.datetime(2026, 3, 1)
    rows[1][list(LABELS).index("fine_amount")] = 2.5
    batch = run(rows, name="data.xlsx")
    record = CreditRecord.objects.get()
    assert batch.summary["created"] == 1 and record.decision_date == dt.date(2026, 3, 1)
    assert record.fields["fine_amount"] == 2.5


def test_json_lines_file(run, tmp_path):
    lines = "\n".join(json.dumps({**penalty(i), "CF_WSH": f"淄市监罚〔2026〕{i}号"}, ensure_ascii=False) for i in (1, 2))
    batch = run(lines.encode("utf-8"), name="data.jsonl")
    assert batch.summary["created"] == 2


def test_resubmission_is_unchanged_and_correction_is_a_new_version(run):
    first = run(table(penalties(3)))
    again = run(table(penalties(3)))
    assert (again.summary["created"], again.summary["unchanged"]) == (0, 3)
    corrected = run(table([penalty(1), penalty(2, penalty_content="罚款2万元", fine_amount="2"), penalty(3)]))
    assert (corrected.summary["updated"], corrected.summary["unchanged"]) == (1, 2)
    assert CreditRecord.objects.get(decision_no="淄市监罚〔2026〕2号").versions.count() == 2
    assert first.pk != again.pk != corrected.pk
    assert verify_chain().ok


def test_rejected_rows_are_kept_until_a_fixed_row_resolves_them(run):
    bad = run(table([penalty(1), penalty(2, penalty_types="罚金")]))
    rejection = RejectedRow.objects.get()
    assert (rejection.batch_id, rejection.row_no, rejection.status) == (bad.pk, 2, "open")
    assert rejection.cells["处罚类别"] == "罚金" and rejection.errors[0]["field"] == "penalty_types"
    still_bad = run(table([penalty(2, penalty_types="罚 金")]))
    assert RejectedRow.objects.get(pk=rejection.pk).status == "superseded"
    fixed = run(table([penalty(2)]))
    assert fixed.summary["created"] == 1
    assert RejectedRow.objects.filter(status="open").count() == 0
    assert RejectedRow.objects.get(batch=still_bad).resolved_by_batch_id == fixed.pk


def test_rejected_person_rows_keep_id_numbers_encrypted(run):
    number = resident_id(3)
    run(table([person_penalty(3, penalty_types="罚金")]))
    rejection = RejectedRow.objects.get()
    assert number not in json.dumps(rejection.cells, ensure_ascii=False)
    assert json.loads(crypto.decrypt(rejection.cells_encrypted))["证件号码"] == number


def test_api_records_by_alias_go_through_the_same_plan(department, system_actor, today):
    records = [{**penalty(1), "CF_WSH": "淄市监罚〔2026〕1号"},
               {"行政相对人名称": "缺字段公司"}]
    batch = batch_submit_records(class_code="admin_penalty", records=records, department=department, actor=system_actor)
    assert (batch.summary["created"], batch.summary["rejected_count"]) == (1, 1)
    assert {e["field"] for e in batch.summary["rejected"][0]["errors"]} >= {"decision_no", "subject_category"}
    with pytest.raises(DomainError) as err:
        batch_submit_records(class_code="admin_penalty", records={"a": 1}, department=department, actor=system_actor)
    assert err.value.code == "records.not_a_list"


def test_batches_commit_in_chunks(tmp_path, department, system_actor, today):
    path = write_csv(tmp_path / "big.csv", table(penalties(23)))
    batch = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                              chunk_rows=5)
    assert (batch.rows_done, batch.summary["created"]) == (23, 23)
    assert batch.total_rows == 23


def test_duplicate_across_chunks_is_caught(tmp_path, department, system_actor, today):
    path = write_csv(tmp_path / "dup.csv", table([*penalties(6), penalty(2, penalty_content="再次")]))
    batch = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                              chunk_rows=3)
    assert batch.summary["created"] == 6 and codes(batch, 7) == ["duplicate_in_file"]
    assert Batch.objects.count() == 1


def test_fixing_a_key_field_still_resolves_the_rejection(run):
    """A wrong USCC check character changes the business key; the decision number still ties the fix to it."""
    wrong = uscc(2)[:17] + ("0" if uscc(2)[17] != "0" else "1")
    run(table([penalty(2, subject_uscc=wrong)]))
    assert RejectedRow.objects.get().status == "open"
    fixed = run(table([penalty(2)]))
    assert RejectedRow.objects.get().status == "resolved" and RejectedRow.objects.get().resolved_by_batch == fixed


def test_batch_keeps_the_providers_column_order(run):
    batch = run(table(penalties(1)))
    assert batch.summary["columns"] == list(LABELS.values())


def test_a_resumed_batch_catches_duplicates_of_rows_committed_before_it_stopped(tmp_path, department, system_actor,
                                                                               today):
    # the keys of committed chunks are kept with the batch (BatchKey), so the resumed run need not read them again
    path = write_csv(tmp_path / "dup.csv", table([*penalties(6), penalty(2, penalty_content="再次")]))

    class Stopped(BaseException):
        """The import stopped from outside after two chunks, as SIGTERM's SystemExit would stop it (an Exception
        would be a failure of the import: its batch ends refused)."""

    def stop_after_two_chunks(batch):
        if batch.rows_done >= 6:
            raise Stopped

    with pytest.raises(Stopped):
        batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                          chunk_rows=3, progress=stop_after_two_chunks)
    stopped = Batch.objects.get()
    assert (stopped.status, stopped.rows_done, BatchKey.objects.filter(batch=stopped).count()) == ("processing", 6, 6)

    batch = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                              chunk_rows=3)
    assert batch.pk == stopped.pk and batch.status == "done"
    assert batch.summary["created"] == 6 and codes(batch, 7) == ["duplicate_in_file"]
    message = batch.summary["rejected"][0]["errors"][0]["message"]
    assert "与第2行重复" in message  # the row that first used the key, in a chunk this run did not read
    assert not BatchKey.objects.filter(batch=batch).exists()  # a finished batch keeps no keys
