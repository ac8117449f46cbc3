"""The page checker's English test: identifiers a page shows as they are (a read's UUID, a hex digest) are random
letters, not English; words still are (the bank console's read page once failed one run in a dozen on a UUID group
such as ``-adeb-``)."""

from tests.console.pagecheck import english_words


def test_uuids_and_hex_digests_are_not_english_but_words_are():
    text = "查询编号：3f2a1b4c-adeb-4c1d-9e2f-0a1b2c3d4e5f；摘要 deadbeefcafe1234abcd；状态 pending；单位 Bureau"
    assert english_words(text) == ["Bureau", "pending"]
    assert english_words("编号 ADEB-2026-1 与 face") == ["face"]  # a short hex-like word alone is still a word
