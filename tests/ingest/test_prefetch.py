"""Reading the next chunk while the current one is written (pubcredit.prefetch, issue 18)."""

import threading
import time

import pytest

from pubcredit.prefetch import read_ahead


def test_read_ahead_keeps_the_order_of_the_chunks():
    assert list(read_ahead(iter(range(50)))) == list(range(50))


def test_the_reader_is_at_most_depth_chunks_ahead_so_memory_stays_flat():
    produced = []

    def chunks():
        for i in range(20):
            produced.append(i)
            yield i

    seen = []
    for item in read_ahead(chunks(), depth=1):
        time.sleep(0.02)  # the writer is slower than the reader
        seen.append(item)
        # the one being written, the one ready in the queue, the one the reader holds waiting to hand it over
        assert len(produced) - len(seen) <= 2
    assert seen == list(range(20))


def test_an_error_further_down_the_file_comes_after_the_chunks_before_it():
    def chunks():
        yield 1
        yield 2
        raise ValueError("unreadable part")

    got = []
    with pytest.raises(ValueError, match="unreadable part"):
        for item in read_ahead(chunks()):
            got.append(item)
    assert got == [1, 2]


def test_a_consumer_that_stops_early_stops_the_reader():
    reading = threading.Event()

    def chunks():
        for i in range(10_000):
            reading.set()
            yield i

    stream = read_ahead(chunks())
    assert next(stream) == 0
    stream.close()
    assert not any(t.name == "ingest-read-ahead" and t.is_alive() for t in threading.enumerate())
