"""Reading an uploaded batch (news.services.uploads) and the upload handler's ceiling."""

import io
import stat
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings

from news.services.imports import NamedText
from news.services.uploads import UploadLimits, upload_read

LIMITS = UploadLimits(file_bytes=10_000, total_bytes=50_000, archive_members=20)


def archive(members, *, name="lot.zip", utf8_names=True, modes=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, content in members.items():
            info = zipfile.ZipInfo(member)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (modes or {}).get(member, stat.S_IFREG | 0o644) << 16
            zf.writestr(info, content)
    data = buffer.getvalue()
    if not utf8_names:
        # What an old Windows archiver writes: UTF-8 bytes without the UTF-8 flag.
        data = data.replace(struct.pack("<H", 0x800), struct.pack("<H", 0))
    return SimpleUploadedFile(name, data)


def problems(batch) -> list[str]:
    return [str(problem) for problem in batch.problems]


def test_texts_and_archive_members_become_named_texts():
    batch = upload_read(
        files=[
            SimpleUploadedFile("a.txt", b"texte a"),
            archive({"dossier/b.txt": b"texte b", "./c.text": b"texte c", "d": b"texte d"}),
        ],
        limits=LIMITS,
    )
    assert batch.problems == []
    assert batch.uploads == ["a.txt", "lot.zip"]
    assert batch.texts == [
        NamedText("a.txt", "a.txt", b"texte a"),
        NamedText("b.txt", "lot.zip/dossier/b.txt", b"texte b"),
        NamedText("c.text", "lot.zip/c.text", b"texte c"),
        NamedText("d", "lot.zip/d", b"texte d"),  # no extension: text, as loadseeds takes it
    ]


def test_an_accented_name_written_without_the_utf8_flag_is_read_as_typed():
    batch = upload_read(files=[archive({"Béthune été.txt": b"x"}, utf8_names=False)], limits=LIMITS)
    assert [text.name for text in batch.texts] == ["Béthune été.txt"]


def test_a_member_whose_header_understates_its_size_fails_its_check():
    """zipfile stops at the declared size; the CRC then tells the data was not all read."""
    upload = archive({"a.txt": b"a" * 5_000})
    data = bytearray(upload.read())
    # Declare 100 bytes in the local header and in the central directory.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(signature)
        struct.pack_into("<L", data, at + offset, 100)
    batch = upload_read(files=[SimpleUploadedFile("lot.zip", bytes(data))], limits=LIMITS)
    assert problems(batch) == ["« lot.zip/a.txt » : fichier endommagé dans l’archive : illisible"]


def test_the_declared_entry_count_refuses_a_huge_archive_before_it_is_parsed(monkeypatch):
    upload = archive({f"{n}.txt": b"x" for n in range(25)})

    def parse(*args, **kwargs):
        raise AssertionError("zipfile must not parse an archive with too many entries")

    monkeypatch.setattr(zipfile, "ZipFile", parse)
    batch = upload_read(files=[upload], limits=LIMITS)
    assert problems(batch) == ["« lot.zip » : archive de 25 entrées, la limite est de 20"]


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ("..\\..\\windows\\a.txt", "chemin qui remonte hors de l’archive (« .. ») : refusé"),
        ("C:/a.txt", "chemin absolu, hors de l’archive : refusé"),
        ("a\x07.txt", "nom de fichier avec des caractères de contrôle"),
        ("n" * 256 + ".txt", "nom de fichier trop long (plus de 255 caractères)"),
    ],
    ids=["backslashes", "drive", "control", "long"],
)
def test_unsafe_member_names_are_refused(member, reason):
    batch = upload_read(files=[archive({member: b"x"})], limits=LIMITS)
    assert [problem.reason for problem in batch.problems] == [reason]
    assert batch.texts == []


def test_a_fifo_or_device_recorded_in_an_archive_is_refused():
    batch = upload_read(
        files=[archive({"tube.txt": b""}, modes={"tube.txt": stat.S_IFIFO | 0o644})],
        limits=LIMITS,
    )
    assert problems(batch) == [
        "« lot.zip/tube.txt » : fichier spécial (ni texte ni dossier) : refusé"
    ]


def test_an_encrypted_member_is_refused():
    upload = archive({"secret.txt": b"x"})
    data = bytearray(upload.read())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        flags = struct.unpack_from("<H", data, at + offset)[0]
        struct.pack_into("<H", data, at + offset, flags | 0x1)
    batch = upload_read(files=[SimpleUploadedFile("lot.zip", bytes(data))], limits=LIMITS)
    assert problems(batch) == [
        "« lot.zip/secret.txt » : fichier chiffré (protégé par un mot de passe) : illisible"
    ]


def test_a_declared_size_over_the_limit_is_refused_without_decompressing():
    batch = upload_read(files=[archive({"gros.txt": b"0" * 10_001})], limits=LIMITS)
    assert problems(batch) == [
        "« lot.zip/gros.txt » : trop volumineux : 9,8\xa0Kio, la limite par fichier est de "
        "9,8\xa0Kio"
    ]


def test_what_was_sent_over_the_total_is_refused_unread():
    files = [SimpleUploadedFile(f"{n}.txt", b"x" * 9_000) for n in range(6)]
    batch = upload_read(files=files, limits=LIMITS)
    assert problems(batch) == [
        "« 0.txt, 1.txt, 2.txt, 3.txt, 4.txt, 5.txt » : l’envoi pèse 52,7\xa0Kio, la limite "
        "est de 48,8\xa0Kio : envoyez-le en plusieurs fois"
    ]
    assert batch.texts == []


def test_the_total_counts_what_archives_hold_once_decompressed():
    batch = upload_read(
        files=[
            archive({f"{m}{n}.txt": b"0" * 9_000 for n in range(3)}, name=f"{m}.zip") for m in "ab"
        ]
        + [archive({"c.txt": b"0" * 9_000}, name="c.zip")],
        limits=UploadLimits(file_bytes=10_000, total_bytes=50_000, archive_members=20),
    )
    assert problems(batch) == [
        "« b.zip » : le lot dépasse 48,8\xa0Kio une fois décompressé : envoyez-le en plusieurs "
        "fois (archive piégée ou trop grosse)"
    ]


# The upload handler -----------------------------------------------------------------------------


def _parse(files: dict, fields: dict):
    """A request's body parsed as Django parses it, with the handlers of the settings."""
    request = RequestFactory().post("/admin/news/importrun/importer/", {**fields, **files})
    return request, (request.POST, request.FILES)


@override_settings(IMPORT_MAX_UPLOAD_BYTES=10_000)
def test_the_handler_keeps_the_fields_and_drops_the_files_past_the_limit():
    request, (post, files) = _parse(
        {"files": [SimpleUploadedFile("gros.txt", b"x" * 20_000)]}, {"publish": "on"}
    )
    assert request.upload_too_large
    assert post["publish"] == "on"
    assert "gros.txt" not in [f.name for f in files.getlist("files")]


@override_settings(IMPORT_MAX_UPLOAD_BYTES=10_000)
def test_the_handler_lets_a_batch_under_the_limit_through():
    request, (_post, files) = _parse(
        {"files": [SimpleUploadedFile("a.txt", b"x" * 4_000), SimpleUploadedFile("b.txt", b"y")]},
        {},
    )
    assert not request.upload_too_large
    assert [f.name for f in files.getlist("files")] == ["a.txt", "b.txt"]
