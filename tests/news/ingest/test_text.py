import pytest

from news.ingest.text import UnreadableInput, decode_bytes, normalize_text

SAMPLE = "Évin-Malmaison : la Communauté d’agglomération « Cœur de Flandre »"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16"),
        (SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.replace("’", "'").replace("Œ", "OE").encode("cp1252"), "cp1252"),
    ],
)
def test_every_usual_encoding_is_decoded(raw, encoding):
    text, detected = decode_bytes(raw)
    assert detected == encoding
    assert "Évin-Malmaison" in text
    assert "Flandre" in text


def test_latin1_bytes_undefined_in_cp1252_still_decode():
    text, detected = decode_bytes("Société ".encode("latin-1") + b"\x81")
    assert text.startswith("Société")
    assert detected == "latin-1"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "vide"),
        (b"   \n\n  ", "vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binaire"),
    ],
)
def test_empty_and_binary_content_is_refused_with_a_reason(raw, reason):
    with pytest.raises(UnreadableInput, match=reason):
        decode_bytes(raw)


def test_normalize_text_gives_nfc_lf_and_plain_spaces():
    decomposed = "Be\u0301thune\u00a0: Lens\r\nSuite\u200b\rFin"
    assert normalize_text(decomposed) == "Béthune : Lens\nSuite\nFin"
