"""Loading scorecard files (评价模型): bad files are refused with the file and line named; versions may not overlap."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from pubcredit.evaluation.rulebook import SCORECARD_DIR, load_scorecards
from pubcredit.rulebook.loader import RulebookError

pytestmark = pytest.mark.django_db


def copy_default(tmp_path):
    target = tmp_path / "zibo-v1.yaml"
    shutil.copy(SCORECARD_DIR / "zibo-v1.yaml", target)
    return target


def test_the_shipped_scorecards_load_one_after_the_other():
    book = load_scorecards()
    assert [(c.version, c.effective_to) for c in book.cards] == [("zibo-v1", dt.date(2026, 9, 30)), ("zibo-v2", None)]
    assert book.for_day(dt.date(2026, 9, 30)).version == "zibo-v1"
    assert book.for_day(dt.date(2026, 10, 1)).version == "zibo-v2"


def test_an_item_reading_an_unknown_class_is_refused_with_its_line(tmp_path):
    path = copy_default(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("class_codes: [admin_penalty]", "class_codes: [admin_penalti]", 1), encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "admin_penalti" in row)
    with pytest.raises(RulebookError, match=rf"zibo-v1.yaml line {line}: items.0.class_codes"):
        load_scorecards(tmp_path)


def test_an_unknown_key_is_refused_with_its_line(tmp_path):
    path = copy_default(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("    points: 10\n", "    points: 10\n    weight: 2\n", 1),
                    encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "weight" in row)
    with pytest.raises(RulebookError, match=rf"line {line}: items.0.record.weight"):
        load_scorecards(tmp_path)


def test_a_second_version_overlapping_the_first_is_refused(tmp_path):
    path = copy_default(tmp_path)
    shutil.copy(SCORECARD_DIR / "zibo-v2.yaml", tmp_path / "zibo-v2.yaml")
    assert [c.version for c in load_scorecards(tmp_path).cards] == ["zibo-v1", "zibo-v2"]
    path.write_text(path.read_text(encoding="utf-8").replace("effective_to: 2026-09-30", "effective_to: null", 1),
                    encoding="utf-8")
    with pytest.raises(RulebookError, match="zibo-v2: its effective dates overlap zibo-v1"):
        load_scorecards(tmp_path)
