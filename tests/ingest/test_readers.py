"""The line decoder of CSV files: encoding by line, and what it keeps while reading a long file."""

from pubcredit.ingest.readers import REPORTED_LINES, _LineDecoder


def test_decoder_counts_every_line_but_keeps_only_the_line_numbers_it_reports():
    utf8 = "淄博测试企业有限公司,罚款".encode()
    gbk = "淄博测试企业有限公司,警告".encode("gb18030")
    lines = [utf8] * 50 + [gbk] * 5000 + [b"\xff\xfe\xfa,x"] * 30
    decoder = _LineDecoder()
    texts = list(decoder(iter(lines)))

    assert texts[0].endswith("罚款") and texts[50].endswith("警告")
    assert decoder.counts == {"utf-8": 50, "gb18030": 5000, "bad": 30}
    assert decoder.majority == "gb18030"
    other, numbers = decoder.minority_lines()
    assert (other, numbers) == ("utf-8", list(range(1, REPORTED_LINES + 1)))  # the first ones, by line number
    assert decoder.bad_lines == list(range(5051, 5051 + REPORTED_LINES))
    # a long file does not grow the decoder: at most REPORTED_LINES numbers per kind are kept
    assert max(len(decoder.lines["utf-8"]), len(decoder.lines["gb18030"]), len(decoder.bad_lines)) == REPORTED_LINES
