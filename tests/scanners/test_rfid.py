"""RFID readers: serial line mode through a pty, the NDJSON HTTP stream, folding, sightings."""

from __future__ import annotations

import time
from collections.abc import Callable

from floor.core.epc import encode_sgtin96
from floor.scanners.base import DeviceReader, ReaderState
from floor.scanners.folding import RepeatFilter
from floor.scanners.memory_sink import MemorySink
from floor.scanners.rfid import RfidSerialReader, parse_tag_line
from floor.scanners.rfid_stream import RfidStreamReader, parse_tag_event
from floor.scanners.tags import Sighting, SightingLog
from hardware_sim.rfid import RfidSerialSim, TagStreamServer, tag_event
from tests.scanners.conftest import device

Start = Callable[..., DeviceReader]
EPC_A = encode_sgtin96("04012345678901", 1001)
EPC_B = encode_sgtin96("04012345678901", 1002)
EPC_MARKER = encode_sgtin96("04012345678901", 1999)  # a sentinel tag read last


def test_repeat_filter_folds_within_window_and_restarts_on_each_read() -> None:
    """GIVEN a 2 s window on a fake clock
    WHEN a key is read at 0, 1.5, 3.0 and 5.1 s and another key at 1.0 s
    THEN only the first read and the read after a quiet gap of 2 s or more are admitted."""
    f = RepeatFilter(2.0)
    assert f.admit("a", 0.0) is True
    assert f.admit("b", 1.0) is True
    assert f.admit("a", 1.5) is False
    assert f.admit("a", 3.0) is False  # 1.5 s after the previous read: still resting there
    assert f.admit("a", 5.1) is True
    assert f.folded == 2


def test_parse_tag_line_fields() -> None:
    """GIVEN line-mode output with and without antenna/RSSI, and a noise line
    WHEN each is parsed
    THEN EPC is upper-cased hex, antenna and RSSI are typed, noise is marked invalid."""
    assert parse_tag_line(EPC_A.lower().encode()).epc == EPC_A
    read = parse_tag_line(f"{EPC_A},2,-61.5".encode())
    assert (read.antenna, read.rssi, read.valid) == (2, -61.5, True)
    assert parse_tag_line(b"READER OK").valid is False
    assert parse_tag_line(f"{EPC_A},x".encode()).valid is False


def test_serial_reader_folds_repeats_per_tag_and_antenna(sink: MemorySink, running: Start) -> None:
    """GIVEN a line-mode reader on a pty
    WHEN tag A is read 50 times on antenna 1, 5 times on antenna 2, and tag B once
    THEN the sink gets exactly A (ant 1), A (ant 2), B as EPC hex, and the sighting log has all 56 reads."""
    sightings = SightingLog()
    with RfidSerialSim() as sim:
        reader = running(RfidSerialReader(device(sim.path, kind="rfid-reader", name="key-cabinet"), sink, sightings))
        sim.read(EPC_A, 1, -50.0, times=50)
        sim.read(EPC_A, 2, -70.0, times=5)
        sim.read(EPC_B)
        sim.read(EPC_MARKER)  # read after the repeats: a repeat that were reported would arrive before it
        assert sink.wait_count(4)
        assert sink.texts() == [EPC_A, EPC_A, EPC_B, EPC_MARKER]
        last = sightings.last(EPC_A)
        assert last is not None and (last.reader, last.antenna, last.rssi, last.reads) == ("key-cabinet", 2, -70.0, 55)
        assert last.where == "key-cabinet#2"
        assert reader.status().scans == 4


def test_serial_reader_reports_tag_again_after_quiet_window(sink: MemorySink, running: Start) -> None:
    """GIVEN a 0.2 s fold window
    WHEN a tag is read, read again at once, then again after 0.4 s of quiet
    THEN it reaches the sink twice, and subscribed listeners hear of both reported sightings."""
    heard: list[Sighting] = []
    sightings = SightingLog()
    sightings.subscribe(heard.append)
    with RfidSerialSim() as sim:
        running(RfidSerialReader(device(sim.path, kind="rfid-reader", fold_window_s=0.2), sink, sightings))
        sim.read(EPC_A, 1, times=2)
        assert sink.wait_count(1)
        time.sleep(0.4)
        sim.read(EPC_A, 1)
        assert sink.wait_count(2)
        assert sink.texts() == [EPC_A, EPC_A]
        assert [s.epc for s in heard] == [EPC_A, EPC_A]


def test_serial_reader_noise_line_is_rejected_once(sink: MemorySink, running: Start) -> None:
    """GIVEN a reader that prints a non-EPC line three times
    WHEN the lines arrive
    THEN the sink logs one rejected scan with that text (folded like a tag), and a tag after it is accepted."""
    with RfidSerialSim() as sim:
        running(RfidSerialReader(device(sim.path, kind="rfid-reader"), sink))
        sim.write(b"\xff\xfeERR\r\n" * 3)
        sim.read(EPC_B)
        sim.read(EPC_MARKER)  # a second report of the noise would arrive before the marker
        assert sink.wait_count(3)
        assert [r.result.ok for r in sink.received] == [False, True, True]
        assert sink.received[0].raw == b"\xff\xfeERR"


def test_parse_tag_event_both_vendor_shapes() -> None:
    """GIVEN Impinj and Zebra shaped events, a keepalive and broken JSON
    WHEN they are parsed
    THEN both tag shapes give EPC, antenna and RSSI in dBm; the keepalive is skipped; broken JSON is invalid."""
    import json

    imp = parse_tag_event(json.dumps(tag_event(EPC_A, 3, -55.5)).encode())
    zeb = parse_tag_event(json.dumps(tag_event(EPC_A, 4, -60.0, fmt="zebra")).encode())
    assert imp is not None and (imp.epc, imp.antenna, imp.rssi) == (EPC_A, 3, -55.5)
    assert zeb is not None and (zeb.epc, zeb.antenna, zeb.rssi) == (EPC_A, 4, -60.0)
    assert imp.at is not None and imp.at.tzinfo is not None
    assert parse_tag_event(b'{"eventType": "keepalive"}') is None
    broken = parse_tag_event(b"{not json")
    assert broken is not None and broken.valid is False


def test_stream_reader_folds_and_reconnects_after_stream_drop(sink: MemorySink, running: Start) -> None:
    """GIVEN a networked reader streaming NDJSON over chunked HTTP
    WHEN a tag is read 100 times, the stream drops, and after reconnecting another tag is read
    THEN the sink gets each tag once, and the reader went reconnecting then connected again."""
    with TagStreamServer() as server:
        reader = running(RfidStreamReader(device(server.url, kind="rfid-reader", name="gate"), sink))
        assert server.wait_clients(1)
        server.emit(EPC_A, antenna=1, times=100)
        assert sink.wait_count(1)
        server.drop_clients()
        assert reader.wait_state(ReaderState.RECONNECTING, 2.0)
        assert reader.wait_state(ReaderState.CONNECTED, 3.0)
        assert server.wait_clients(1)
        server.emit(EPC_B, antenna=2)
        assert sink.wait_count(2)
        assert sink.texts() == [EPC_A, EPC_B]
        assert reader.tags.reads == 101


def test_stream_reader_zebra_format(sink: MemorySink, running: Start) -> None:
    """GIVEN a Zebra-style stream with lower-case hex
    WHEN a tag is read
    THEN the sink gets the EPC in upper-case hex."""
    with TagStreamServer(fmt="zebra") as server:
        running(RfidStreamReader(device(server.url, kind="rfid-reader"), sink))
        assert server.wait_clients(1)
        server.emit(EPC_B)
        assert sink.wait_count(1)
        assert sink.texts() == [EPC_B]


def test_stream_reader_retries_until_server_appears(sink: MemorySink, running: Start) -> None:
    """GIVEN a reader URL where nothing listens yet
    WHEN the reader starts
    THEN it is reconnecting with an error, not crashed."""
    reader = running(RfidStreamReader(device("http://127.0.0.1:9/stream", kind="rfid-reader"), sink), wait=False)
    assert reader.wait_state(ReaderState.RECONNECTING, 2.0)
    assert "open:" in (reader.status().last_error or "")
