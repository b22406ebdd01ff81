"""Decoding still images with the camera reader's decoder: the handheld's frame upload and `floor decode`."""

from __future__ import annotations

import cv2
import numpy as np

from floor.scanners.camera import Decoded, FrameDecoder

_decoder: FrameDecoder | None = None


def decode_image_bytes(data: bytes, decoder: FrameDecoder | None = None) -> list[Decoded] | None:
    """Every code in an encoded image (JPEG, PNG, WebP, ...); None when the bytes are not an image."""
    global _decoder
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        return None
    if decoder is None:
        _decoder = _decoder or FrameDecoder()
        decoder = _decoder
    return decoder.decode(img)
