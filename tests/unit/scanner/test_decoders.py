"""Each decoder alone, and the pipeline that orders them."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from scanner_frames import blank, frame

from core.errors import InvalidInput
from core.payload import parse_payload
from pos_app.scanner import DecoderUnavailable, ScanPipeline, make_decoder

DECODERS = ["zxing", "pyzbar", "opencv"]


@pytest.fixture(scope="module", params=DECODERS)
def decoder(request):
    return make_decoder(request.param)


def test_reads_a_code_and_reports_its_corners(decoder):
    found = decoder.decode(frame(("GC-7Q2M-9XKD-4HBT", 400, 200)))
    assert [d.text for d in found] == ["GC-7Q2M-9XKD-4HBT"]
    xs = [x for x, _ in found[0].corners]
    ys = [y for _, y in found[0].corners]
    # The symbol's dark area starts 4 modules (20 px) inside the drawn square.
    assert len(found[0].corners) == 4
    assert 410 <= min(xs) <= 430 and 200 + 15 <= min(ys) <= 230
    assert found[0].decoder == decoder.name


def test_reads_two_codes_in_one_frame(decoder):
    found = decoder.decode(frame(("LM-AAAA0001", 100, 150), ("GC-BBBB-0002", 800, 300)))
    assert sorted(d.text for d in found) == ["GC-BBBB-0002", "LM-AAAA0001"]


@pytest.mark.parametrize("image", [
    blank(),
    np.random.default_rng(7).integers(0, 256, (720, 1280), dtype=np.uint8),
    np.zeros((1, 1), np.uint8),
])
def test_nothing_to_read_is_an_empty_list_not_an_error(decoder, image):
    assert decoder.decode(image) == []


def test_a_hostile_payload_is_read_verbatim_and_refused_by_the_parser(decoder):
    hostile = "GC-7Q2M\x1b[2J-9XKD-4HBT"
    found = decoder.decode(frame((hostile, 400, 200)))
    assert [d.text for d in found] == [hostile]
    with pytest.raises(InvalidInput) as exc:
        parse_payload(found[0].text, code_patterns=["GC-####-####-####"], member_patterns=[],
                      issuer_keys={})
    assert exc.value.reason == "payload_control_chars"


def test_unknown_decoder_is_a_typed_error():
    with pytest.raises(DecoderUnavailable) as exc:
        make_decoder("quagga")
    assert exc.value.reason == "unknown_decoder"


def _dim(text: str) -> np.ndarray:
    """Twelve grey levels of contrast, slightly soft: raw zxing-cpp misses it."""
    img = 20 + frame((text, 500, 200), module=4).astype(np.float32) * 12 / 255
    img = cv2.GaussianBlur(img, (0, 0), 1.0) + np.random.default_rng(1).normal(0, 1.5, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_pipeline_enhancement_reads_a_dim_frame_the_raw_decoder_misses():
    dim = _dim("GC-DIMM-0001")
    assert make_decoder("zxing").decode(dim) == []
    assert [d.text for d in ScanPipeline(fallback=None).decode(dim)] == ["GC-DIMM-0001"]


def test_pipeline_takes_colour_frames_and_reports_each_text_once():
    img = frame(("GC-SAME-0001", 100, 100), ("GC-SAME-0001", 700, 300))
    bgr = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    assert [d.text for d in ScanPipeline(fallback=None).decode(bgr)] == ["GC-SAME-0001"]


def test_pipeline_upscale_pass_reports_corners_in_frame_pixels():
    pipeline = ScanPipeline(fallback=None)
    found = pipeline._upscaled(frame(("GC-UPUP-0001", 400, 200)))
    assert found and 410 <= min(x for x, _ in found[0].corners) <= 430


def test_pipeline_with_pyzbar_as_primary():
    pipeline = ScanPipeline("pyzbar", None)
    assert [d.text for d in pipeline.decode(_dim("GC-DIMM-0002"))] in ([], ["GC-DIMM-0002"])
    assert [d.text for d in pipeline.decode(frame(("GC-ZBAR-0001", 300, 300)))] == [
        "GC-ZBAR-0001"]
