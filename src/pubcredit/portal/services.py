"""What the public site keeps of the natural persons it shows (自然人信息公开查询记录): a log line, not an audit row.

A natural person appears on the public site only where a rule publishes persons to society (失信被执行人:
法释〔2017〕7号 第七条, "通过该名单库统一向社会公布"). Reading what the law publishes is not a disclosure to audit per
read, and the per-read audit row it used to write made public searches wait behind an import's write lock (issue 19
item 3; docs/security.md, "Reads never wait for imports"). So the public site writes nothing: each page or API answer
that shows persons emits one line on the ``pubcredit.public_reads`` logger — the client's address, the purpose and the
subject ids shown (never a name or identity number) — beside the web server's access log. Staff reads of persons stay
audited in the trail (``pubcredit.person_reads``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pubcredit.subjects.models import Subject

log = logging.getLogger("pubcredit.public_reads")


def public_person_reads_log(*, subjects: Iterable[Subject], client: str, purpose: str) -> int:
    """Note on the log that the public was shown these natural persons (others are ignored); no database write.
    Returns how many persons the line names."""
    shown = sorted({subject.pk for subject in subjects if subject.is_natural_person})
    if shown:
        log.info("public read of natural persons: client=%s purpose=%s subjects=%s",
                 client, purpose, ",".join(map(str, shown)))
    return len(shown)
