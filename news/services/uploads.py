"""Reading a batch sent through the admin: plain texts and ZIP archives of texts.

Everything is checked before anything is imported: a batch with one refused file imports
nothing, and the editor is told, file by file, what was refused and why. What passes is a list
of ``NamedText`` for ``news.services.imports.texts_import``, the same service as ``loadseeds``.

An archive is never trusted: its entry count is read from its end record before Python parses
its directory, every member name is checked (no absolute path, no ``..``, no link, no nested
archive), and members are decompressed chunk by chunk, stopping as soon as a file or the whole
batch goes over its limit whatever sizes the archive declares.
"""

from __future__ import annotations

import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import BinaryIO, Protocol

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from news.services.imports import TEXT_SUFFIXES, NamedText

ARCHIVE_SUFFIXES = frozenset(
    {".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst", ".lz", ".lzma", ".cab"}
)
# How a member that is itself an archive starts, whatever its name says.
ARCHIVE_SIGNATURES = (
    b"PK\x03\x04",  # zip
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",  # 7-Zip
    b"Rar!\x1a\x07",  # RAR
    b"\x28\xb5\x2f\xfd",  # zstandard
)
CHUNK_BYTES = 64 * 1024
NAME_MAX = 255  # an article's source_file
# Folders and files that archivers add on their own: not the editor's texts.
ARCHIVER_FOLDERS = frozenset({"__MACOSX"})
_END_RECORD = struct.Struct("<4s4H2LH")  # end of central directory, without its comment
_END_SIGNATURE = b"PK\x05\x06"


class UploadedFileLike(Protocol):
    name: str
    size: int

    def read(self, size: int = -1) -> bytes: ...

    def seek(self, offset: int, whence: int = 0) -> int: ...


@dataclass(frozen=True)
class UploadProblem:
    """A refused file: ``label`` names it as the editor knows it (``lot.zip/dossier/a.txt``)."""

    label: str
    reason: str

    def __str__(self) -> str:
        return _("« %(file)s » : %(reason)s") % {"file": self.label, "reason": self.reason}


@dataclass
class UploadBatch:
    texts: list[NamedText] = field(default_factory=list)
    problems: list[UploadProblem] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)  # the names of the files sent


@dataclass(frozen=True)
class UploadLimits:
    file_bytes: int  # one text, decompressed
    total_bytes: int  # the whole batch, sent and decompressed
    archive_members: int  # entries of one archive, folders included


class _BatchTooBig(Exception):
    pass


def is_text_name(name: str) -> bool:
    """A text file's name, as ``loadseeds`` takes them from a folder: ``.txt``, ``.text`` or
    no extension, in any case; not a hidden file."""
    return not name.startswith(".") and PurePosixPath(name).suffix.lower() in TEXT_SUFFIXES


def is_archive_name(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() == ".zip"


def _size(n: int) -> str:
    return str(filesizeformat(n))


def _too_big(size: int | None, limit: int) -> str:
    if size is None:
        return _(
            "trop volumineux une fois décompressé : plus de %(limit)s (limite par fichier)"
        ) % {"limit": _size(limit)}
    return _("trop volumineux : %(size)s, la limite par fichier est de %(limit)s") % {
        "size": _size(size),
        "limit": _size(limit),
    }


def _too_many(count: int, limit: int) -> str:
    return _("archive de %(count)d entrées, la limite est de %(max)d") % {
        "count": count,
        "max": limit,
    }


def _batch_too_big(limit: int) -> str:
    return _(
        "le lot dépasse %(limit)s une fois décompressé : envoyez-le en plusieurs fois "
        "(archive piégée ou trop grosse)"
    ) % {"limit": _size(limit)}


class _Budget:
    """What is left of the batch's total size, spent as texts are read."""

    def __init__(self, total: int):
        self.left = total

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise _BatchTooBig


def _read_bounded(handle: BinaryIO, *, limit: int, budget: _Budget) -> bytes | None:
    """At most ``limit`` bytes read by chunks, ``None`` past it; never more than one chunk
    beyond what the limits allow is held, whatever the archive declares."""
    chunks, size = [], 0
    while chunk := handle.read(CHUNK_BYTES):
        size += len(chunk)
        budget.spend(len(chunk))
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _declared_entries(upload: UploadedFileLike) -> int | None:
    """The entry count an archive's end record declares, read before ``zipfile`` parses the
    whole directory (a directory of millions of entries would fill the memory first).
    ``None`` when the record is not found or defers to ZIP64: ``zipfile`` then decides."""
    size = upload.size
    tail_length = min(size, _END_RECORD.size + 0xFFFF)  # the record and its longest comment
    upload.seek(size - tail_length)
    tail = upload.read(tail_length)
    upload.seek(0)
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return None
    total = _END_RECORD.unpack_from(tail, at)[4]
    return None if total == 0xFFFF else total


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author typed it: without the UTF-8 flag, ``zipfile`` reads
    CP437, while most archivers (Windows' included, for accented names) wrote UTF-8."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return unicodedata.normalize("NFC", name)


def _name_problem(name: str) -> str | None:
    """Why a member's path cannot be taken as it is, or ``None``."""
    if "\x00" in name or any(not char.isprintable() for char in name):
        return _("nom de fichier avec des caractères de contrôle")
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return _("chemin absolu, hors de l’archive : refusé")
    if ".." in parts:
        return _("chemin qui remonte hors de l’archive (« .. ») : refusé")
    if len(parts[-1]) > NAME_MAX:
        return _("nom de fichier trop long (plus de %(max)d caractères)") % {"max": NAME_MAX}
    return None


def _kind_problem(info: zipfile.ZipInfo) -> str | None:
    """A link or a special file recorded with its Unix mode: never extracted, never read."""
    mode = info.external_attr >> 16
    # 3: Unix. Other systems record no file type, and some Unix archivers none either.
    if info.create_system != 3 or not stat.S_IFMT(mode):
        return None
    if stat.S_ISLNK(mode):
        return _("lien symbolique : refusé")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return _("fichier spécial (ni texte ni dossier) : refusé")
    return None


def _skipped_by_archiver(parts: list[str]) -> bool:
    return parts[0] in ARCHIVER_FOLDERS or any(part.startswith(".") for part in parts)


def _archive_read(
    upload: UploadedFileLike, *, limits: UploadLimits, budget: _Budget, batch: UploadBatch
) -> None:
    archive_name = upload.name
    problems: list[UploadProblem] = []

    def refuse(reason: str, member: str | None = None) -> None:
        label = f"{archive_name}/{member}" if member else archive_name
        problems.append(UploadProblem(label, reason))

    declared = _declared_entries(upload)
    if declared is not None and declared > limits.archive_members:
        refuse(_too_many(declared, limits.archive_members))
        batch.problems.extend(problems)
        return
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        refuse(_("ce n’est pas une archive ZIP lisible"))
        batch.problems.extend(problems)
        return
    texts: list[NamedText] = []
    with archive:
        members = archive.infolist()
        if len(members) > limits.archive_members:
            refuse(_too_many(len(members), limits.archive_members))
            batch.problems.extend(problems)
            return
        for info in members:
            name = _member_name(info)
            problem = _name_problem(name)
            if problem:
                refuse(problem, name)
                continue
            parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".")]
            if not parts or info.is_dir() or _skipped_by_archiver(parts):
                continue
            label = f"{archive_name}/{'/'.join(parts)}"
            member = parts[-1]
            problem = _kind_problem(info)
            if problem is None and PurePosixPath(member).suffix.lower() in ARCHIVE_SUFFIXES:
                problem = _("archive dans l’archive : décompressez-la d’abord")
            elif problem is None and not is_text_name(member):
                problem = _("ce n’est pas un fichier texte (.txt) : refusé")
            elif problem is None and info.flag_bits & 0x1:
                problem = _("fichier chiffré (protégé par un mot de passe) : illisible")
            elif problem is None and info.file_size > limits.file_bytes:
                problem = _too_big(info.file_size, limits.file_bytes)
            if problem:
                refuse(problem, "/".join(parts))
                continue
            try:
                with archive.open(info) as handle:
                    content = _read_bounded(handle, limit=limits.file_bytes, budget=budget)
            except _BatchTooBig:
                refuse(_batch_too_big(limits.total_bytes))
                break
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
                refuse(_("fichier endommagé dans l’archive : illisible"), "/".join(parts))
                continue
            if content is None:
                refuse(_too_big(None, limits.file_bytes), "/".join(parts))
                continue
            if content.startswith(ARCHIVE_SIGNATURES):
                refuse(_("archive dans l’archive : décompressez-la d’abord"), "/".join(parts))
                continue
            texts.append(NamedText(name=member, label=label, content=content))
    if not texts and not problems:
        refuse(_("l’archive ne contient aucun fichier texte (.txt)"))
    batch.problems.extend(problems)
    batch.texts.extend(texts)


def _text_read(
    upload: UploadedFileLike, *, limits: UploadLimits, budget: _Budget, batch: UploadBatch
) -> None:
    if len(upload.name) > NAME_MAX:
        batch.problems.append(
            UploadProblem(
                upload.name[:60] + "…",
                _("nom de fichier trop long (plus de %(max)d caractères)") % {"max": NAME_MAX},
            )
        )
        return
    if upload.size > limits.file_bytes:
        batch.problems.append(UploadProblem(upload.name, _too_big(upload.size, limits.file_bytes)))
        return
    upload.seek(0)
    content = _read_bounded(upload, limit=limits.file_bytes, budget=budget)
    if content is None:
        batch.problems.append(UploadProblem(upload.name, _too_big(None, limits.file_bytes)))
        return
    batch.texts.append(NamedText(name=upload.name, label=upload.name, content=content))


def upload_read(*, files: Iterable[UploadedFileLike], limits: UploadLimits) -> UploadBatch:
    """The texts of the files sent, or the problems that refuse the batch.

    Texts (``.txt``, ``.text`` or no extension) are taken as they are, ZIP archives opened;
    anything else is refused by name. Two texts of one batch cannot share a name: their
    articles would be taken for the same file's."""
    files = list(files)
    batch = UploadBatch(uploads=[upload.name for upload in files])
    sent = sum(upload.size for upload in files)
    if sent > limits.total_bytes:
        batch.problems.append(
            UploadProblem(
                ", ".join(batch.uploads),
                _(
                    "l’envoi pèse %(size)s, la limite est de %(limit)s : "
                    "envoyez-le en plusieurs fois"
                )
                % {"size": _size(sent), "limit": _size(limits.total_bytes)},
            )
        )
        return batch
    budget = _Budget(limits.total_bytes)
    for upload in files:
        if is_archive_name(upload.name):
            _archive_read(upload, limits=limits, budget=budget, batch=batch)
        elif PurePosixPath(upload.name).suffix.lower() in ARCHIVE_SUFFIXES:
            batch.problems.append(
                UploadProblem(upload.name, _("seules les archives .zip sont acceptées"))
            )
        elif is_text_name(upload.name):
            try:
                _text_read(upload, limits=limits, budget=budget, batch=batch)
            except _BatchTooBig:
                batch.problems.append(
                    UploadProblem(upload.name, _batch_too_big(limits.total_bytes))
                )
        else:
            batch.problems.append(
                UploadProblem(
                    upload.name,
                    _(
                        "type de fichier refusé : seuls les textes (.txt) et les archives .zip "
                        "sont acceptés"
                    ),
                )
            )
        if budget.left < 0:
            break
    _same_names(batch)
    return batch


def _same_names(batch: UploadBatch) -> None:
    labels: dict[str, list[str]] = {}
    for text in batch.texts:
        labels.setdefault(text.name, []).append(text.label)
    for name, same in labels.items():
        if len(same) > 1:
            batch.problems.append(
                UploadProblem(
                    name,
                    _(
                        "%(count)d fichiers du lot portent ce nom (%(files)s) : leurs articles "
                        "seraient confondus ; renommez-les"
                    )
                    % {"count": len(same), "files": ", ".join(same)},
                )
            )
