"""The commitments' class check (``catalog.plan.register_class_check``): the matter rule, one approval one commitment
and the status moves, for rows of ``credit_commitment`` arriving by any channel — file (row or set-based path),
records API, workbench form and the commitments services, which all run the catalogue's plan.

This module reads the stored commitments the rows meet; the rules themselves are pure
(``rules.commitments.submission_problems``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import polars as pl

from pubcredit.catalog.registry import get_class
from pubcredit.commitments.rulebook import COMMITMENT_CLASS, commitment_book
from pubcredit.records.choices import RecordStatus
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import keyed_hash
from pubcredit.rules.commitments import StoredCommitment, SubmittedCommitment, submission_problems
from pubcredit.rules.errors import Problem

_BATCH = 500  # keys per query


def commitment_rows_check(rows: pl.DataFrame, today: dt.date) -> dict[int, list[Problem]]:
    """Problems of the rows the catalogue accepted (``_row`` and the field keys, enum codes), by row number."""
    business_key = get_class(COMMITMENT_CLASS).business_key
    submitted = [SubmittedCommitment(
        row=row["_row"], key=keyed_hash(COMMITMENT_CLASS, *[row.get(k) for k in business_key]),
        decision_no=row["decision_no"], commitment_type=row["commitment_type"], matter=row["matter"],
        approval_no=row.get("approval_no"), status=row["status"])
        for row in rows.select("_row", *business_key, "commitment_type", "matter", "approval_no", "status")
        .iter_rows(named=True)]
    keys = [r.key for r in submitted]
    stored: dict[str, StoredCommitment] = {}
    for i in range(0, len(keys), _BATCH):
        for key, status, kind, matter, approval in (
                CreditRecord.objects.filter(class_code=COMMITMENT_CLASS, key_hash__in=keys[i:i + _BATCH])
                .values_list("key_hash", "fields__status", "fields__commitment_type", "fields__matter",
                             "fields__approval_no")):
            stored[key] = StoredCommitment(status, kind, matter, approval)
    approvals = sorted({r.approval_no for r in submitted if r.approval_no})
    taken: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for i in range(0, len(approvals), _BATCH):
        for approval, key, decision_no in (
                CreditRecord.objects.filter(class_code=COMMITMENT_CLASS, status=RecordStatus.ACTIVE,
                                            fields__approval_no__in=approvals[i:i + _BATCH])
                .values_list("fields__approval_no", "key_hash", "decision_no")):
            taken[approval].append((key, decision_no))
    return submission_problems(submitted, stored=stored, approvals_taken=taken, book=commitment_book())
