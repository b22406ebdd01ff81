"""SGTIN-96 decoding for part resolution (pure core helper)."""

from __future__ import annotations

from floor.core.epc import decode_sgtin96, encode_sgtin96, is_epc, normalize_epc


def test_decode_gs1_reference_tag() -> None:
    """GIVEN the GS1 TDS example SGTIN-96 tag 3034257BF7194E4000001A85
    WHEN it is decoded
    THEN the GTIN-14 is 80614141123458 with serial 6789, company prefix 0614141, filter 1."""
    s = decode_sgtin96("3034257bf7194e4000001a85")
    assert s is not None
    assert (s.gtin, s.serial, s.company_prefix, s.filter_value) == ("80614141123458", "6789", "0614141", 1)


def test_encode_then_decode_round_trip_ean13() -> None:
    """GIVEN an EAN-13 GTIN and a serial
    WHEN encoded as SGTIN-96 and decoded again
    THEN the GTIN comes back in 14-digit form with the serial."""
    epc = encode_sgtin96("4012345678901", 42)
    assert len(epc) == 24 and epc.startswith("30")
    s = decode_sgtin96(epc)
    assert s is not None and (s.gtin, s.serial) == ("04012345678901", "42")


def test_non_sgtin_and_invalid_tags_decode_to_none() -> None:
    """GIVEN a TID-like E2 tag, an impossible SGTIN partition and short hex
    WHEN decoded
    THEN each gives None rather than an exception."""
    assert decode_sgtin96("E2801160600002054D1A5F43") is None
    assert decode_sgtin96("303FFFFFFFFFFFFFFFFFFFFF") is None
    assert decode_sgtin96("3034") is None


def test_epc_recognition() -> None:
    """GIVEN scanned texts
    WHEN checked for EPC hex
    THEN 96-bit hex is an EPC, part labels and odd lengths are not."""
    assert normalize_epc(" 3034257bf7194e4000001a85 ") == "3034257BF7194E4000001A85"
    assert is_epc("P:OIL") is False
    assert is_epc("3034257BF7194E4000001A8") is False
    assert is_epc("4012345678901") is False
