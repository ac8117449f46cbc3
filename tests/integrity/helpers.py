"""Builders for the arrears-ledger tests (拖欠账款台账)."""

from __future__ import annotations

from pubcredit.integrity.services import EvidenceFile
from tests.factories import uscc

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

GOVERNMENT_DEBTOR = uscc(501, registrar="11")  # a 机关 of Zhangdian district (division 370303)
FIRM = uscc(502)


def complaint_input(**overrides) -> dict:
    """A complaint by a small firm against a 机关 for an unpaid construction contract, with a PDF contract."""
    values = {
        "complainant_uscc": FIRM, "complainant_name": "淄博小微建筑有限公司", "contact_name": "王经理",
        "contact_phone": "0533-1234567", "debtor_uscc": GOVERNMENT_DEBTOR, "debtor_name": "淄博市某某局",
        "contract_ref": "办公楼维修工程合同（ZB-2026-018）", "claimed_amount": "120000.00",
        "description": "工程已于2026年6月验收合格，合同约定验收后30日内付款，至今未付。",
        "evidence": [EvidenceFile("合同.pdf", PDF)],
    }
    values.update(overrides)
    return values
