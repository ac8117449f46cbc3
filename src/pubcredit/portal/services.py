"""The public site's only writes: the audit trail of natural persons' data it shows (自然人信息查询留痕).

A natural person appears on the public site only where a rule publishes persons (失信被执行人, 法释〔2017〕7号 第六条、
第七条); every page or API answer that shows one writes one ``subject.read_person`` event per person shown, with the
client as actor (``public:<ip>``). A single subject page uses ``subjects.services.person_read_log``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.subjects.models import Subject


def public_person_reads_log(*, subjects: Iterable[Subject], viewer: Any, purpose: str) -> int:
    """Audit that the public was shown these natural persons (others are ignored); one event each, in one append."""
    seen: dict[int, Subject] = {}
    for subject in subjects:
        if subject.is_natural_person and subject.pk not in seen:
            seen[subject.pk] = subject
    pending = [audit.PendingEvent(Event.NATURAL_PERSON_READ, "subject", pk, reason=purpose,
                                  data={"masked_id": subject.id_masked})
               for pk, subject in seen.items()]
    return audit.record_many(pending, actor=viewer)
