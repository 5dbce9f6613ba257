"""Writing imported batches: one transaction per file, upserts on natural keys, editors win.

The parsing is done by the pure ``news.ingest`` package; this module reads files (I/O at the
edge), resolves what the parser found against the database and writes it.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import getpass
import hashlib
import os
import socket
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from news.ingest import (
    PARSER_VERSION,
    Gazetteer,
    LabelMention,
    OrganisationMention,
    ParsedItem,
    PlaceRecord,
    UnreadableInput,
    decode_bytes,
    label_key,
    load_recognizer,
    normalize_text,
    parse_document,
)
from news.models import (
    Article,
    ArticleIndustryLabel,
    ArticleOrganisation,
    ArticlePerson,
    ArticleStatus,
    ArticleTerritory,
    FileOutcome,
    ImportFileResult,
    ImportRun,
    ImportRunStatus,
    LinkMethod,
    LinkRejection,
    LinkStatus,
    SourceDocument,
    TaggedArticle,
)
from news.services.lengths import article_fields_fit
from news.services.publishing import import_publish
from news.services.tags import tag_get_or_create
from news.versioning import content_changed
from territories.models import (
    AliasKind,
    IndustryLabel,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    Person,
    Territory,
    TerritoryAlias,
    TerritoryKind,
)
from territories.naming import fold, organisation_key, slug_base
from territories.services import reference_is_loaded, reference_load

# Any constant key: every import takes it, so concurrent runs write one file at a time.
IMPORT_LOCK_KEY = 74_201_911
# Held in shared mode by every live run, for its whole length, on PostgreSQL: a starting run
# that can take it exclusively knows that every run still marked "running" is dead.
LIVE_RUNS_LOCK_KEY = 74_201_912
TEXT_SUFFIXES = {".txt", ".text", ""}  # compared in lower case: ".TXT" is text too
HEARTBEAT_SECONDS = 30  # a live run says so at least this often
STALE_AFTER = datetime.timedelta(minutes=15)  # a run silent for longer is dead


@dataclass
class ArticleOutcome:
    action: str  # created, updated, unchanged, kept, duplicate
    slug: str
    title: str
    links_created: int = 0
    needs_review: bool = False  # the article, as it now is in the database, needs an editor
    article_id: int | None = None


@dataclass
class FileReport:
    path: str
    outcome: str
    reason: str = ""
    articles: list[ArticleOutcome] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for article in self.articles if article.action == action)


@dataclass
class ImportReport:
    run_id: int | None
    dry_run: bool
    files: list[FileReport] = field(default_factory=list)
    # Earlier runs found still "running" with their process gone: {"run", "reason"}.
    interrupted_runs: list[dict] = field(default_factory=list)
    # Ids of the articles of this batch's files that need review, whatever this run changed:
    # the ones unchanged files hold, read from the database at the end of the run.
    review_ids: set = field(default_factory=set)

    def files_with(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    def articles_with(self, action: str) -> int:
        return sum(f.count(action) for f in self.files)

    @property
    def links_created(self) -> int:
        return sum(a.links_created for f in self.files for a in f.articles)

    @property
    def needs_review(self) -> int:
        """Articles of the batch's files that need review, each counted once: new, updated,
        unchanged or kept by an editor alike."""
        keys = set(self.review_ids)
        for f in self.files:
            for position, a in enumerate(f.articles):
                if not a.needs_review or a.action == "duplicate":
                    continue
                # A dry run's new articles were rolled back: their ids mean nothing.
                new = self.dry_run and a.action == "created"
                keys.add((f.path, position) if new or a.article_id is None else a.article_id)
        return len(keys)

    @property
    def failed(self) -> bool:
        return any(f.outcome == FileOutcome.FAILED for f in self.files)

    def summary(self) -> dict:
        return {
            "files": len(self.files),
            "imported": self.files_with(FileOutcome.IMPORTED),
            "unchanged": self.files_with(FileOutcome.UNCHANGED),
            "skipped": self.files_with(FileOutcome.SKIPPED),
            "failed": self.files_with(FileOutcome.FAILED),
            "articles_created": self.articles_with("created"),
            "articles_updated": self.articles_with("updated"),
            "articles_unchanged": self.articles_with("unchanged") + self.articles_with("duplicate"),
            "articles_kept": self.articles_with("kept"),
            "links_created": self.links_created,
            "needs_review": self.needs_review,
        }

    def as_dict(self) -> dict:
        return {
            "run": self.run_id,
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "interrupted_runs": self.interrupted_runs,
            "files": [asdict(f) for f in self.files],
        }


# -- reading files -----------------------------------------------------------------------------


def _is_text_name(name: str) -> bool:
    return not name.startswith(".") and Path(name).suffix.lower() in TEXT_SUFFIXES


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows links; False for a dangling one
    except OSError:
        return False  # cannot even be examined: kept, and file_import says why


def collect_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to import: the paths given, and the entries of the folders given whose name says
    text (``.txt``, ``.text`` or none, in any case), sorted; subfolders are not walked.

    A folder's entry is kept whatever it turns out to be — a dangling link, a FIFO, a socket, a
    file nobody may read — so that ``file_import`` reports it by name instead of skipping it
    silently. A folder that cannot be listed is kept as itself, for the same reason."""
    collected: list[Path] = []
    for path in paths:
        try:
            is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_folder = False
        if not is_folder:
            collected.append(path)
            continue
        try:
            with os.scandir(path) as entries:
                names = sorted(
                    e.name for e in entries if _is_text_name(e.name) and not _is_folder(e)
                )
        except OSError:
            collected.append(path)
            continue
        collected.extend(path / name for name in names)
    return collected


class UnreadableFile(Exception):
    """A file refused before or while it is read; the message is the reason, in French."""


_ERRNO_REASONS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ELOOP: "lien symbolique qui tourne en boucle",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.ENXIO: "périphérique ou socket sans lecteur",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ENFILE: "trop de fichiers ouverts",
}


def _os_reason(error: OSError, what: str = "lecture impossible") -> str:
    if error.errno == errno.ENOENT:
        return "fichier introuvable"
    reason = _ERRNO_REASONS.get(error.errno)
    if reason is None:
        reason = f"erreur système {errno.errorcode.get(error.errno, error.errno)}"
    return f"{what} : {reason}"


def _special_kind(mode: int) -> str | None:
    """What a non-regular file is, in French; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "tube nommé (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode):
        return "périphérique en mode caractère"
    if stat.S_ISBLK(mode):
        return "périphérique en mode bloc"
    return "fichier spécial"


def _size(n: int) -> str:
    text = f"{n:,} octets".replace(",", " ")
    if n >= 100_000:
        text += f" ({n / 1_048_576:.1f} Mo)".replace(".", ",")
    return text


def _too_big(size: int | None, limit: int) -> str:
    found = _size(size) if size is not None else f"plus de {_size(limit)}"
    return (
        f"fichier trop volumineux : {found}, la limite est de {_size(limit)} "
        "(réglage IMPORT_MAX_FILE_BYTES) ; non importé"
    )


def file_read(path: Path, *, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``UnreadableFile``.

    Never blocks and never reads more than ``limit + 1`` bytes: what is not a regular file (a
    FIFO, a socket, a device) is refused on its ``stat`` before any ``open``, and the file is
    opened non-blocking and checked again in case it was swapped for one in between."""
    try:
        info = os.stat(path)
    except FileNotFoundError as error:
        if os.path.islink(path):
            raise UnreadableFile(
                f"lien symbolique cassé : sa cible « {os.readlink(path)} » n'existe pas"
            ) from error
        raise UnreadableFile("fichier introuvable") from error
    except OSError as error:
        raise UnreadableFile(_os_reason(error)) from error
    if stat.S_ISDIR(info.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as error:
            raise UnreadableFile(_os_reason(error, "dossier illisible")) from error
        raise UnreadableFile("c'est un dossier, pas un fichier")
    kind = _special_kind(info.st_mode)
    if kind is not None:
        link = " (cible d'un lien symbolique)" if os.path.islink(path) else ""
        raise UnreadableFile(f"{kind}{link}, pas un fichier ordinaire : non lu")
    if info.st_size > limit:
        raise UnreadableFile(_too_big(info.st_size, limit))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise UnreadableFile(_os_reason(error)) from error
    with open(descriptor, "rb", closefd=True) as handle:
        kind = _special_kind(os.fstat(handle.fileno()).st_mode)
        if kind is not None:
            raise UnreadableFile(f"{kind}, pas un fichier ordinaire : non lu")
        try:
            raw = handle.read(limit + 1)
        except OSError as error:
            raise UnreadableFile(_os_reason(error)) from error
    if len(raw) > limit:  # it grew since its stat
        raise UnreadableFile(_too_big(None, limit))
    return raw


def default_triggered_by() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return f"loadseeds ({user}@{socket.gethostname()})"


# -- resolution context, built once per batch ------------------------------------------------


_NOT_LOADED = object()


class Resolver:
    """What the database already knows, loaded once per batch and kept current as it writes.

    The gazetteer of ~37,000 territories is built on first use: a re-run of unchanged files
    never needs it."""

    def __init__(self):
        self._gazetteer: Gazetteer | None = None
        self._recognizer = _NOT_LOADED  # the model is loaded on the first text to parse
        self.region_of: dict[int, str | None] = {}
        self.region_ids: dict[str, int] = {}
        self._imported_files: set[str] | None = None
        self.refresh()

    def refresh(self) -> None:
        """(Re)load what imports write. Called after a rolled-back file: its rows are gone."""
        self.organisations: dict[str, int] = dict(
            Organisation.objects.values_list("normalized_name", "pk")
        )
        self.organisations.update(
            OrganisationAlias.objects.values_list("normalized", "organisation_id")
        )
        self.acronyms: dict[str, int] = dict(
            Organisation.objects.exclude(acronym="").values_list("acronym", "pk")
        )
        self.labels = None  # loaded on first use: most batches report no labelling
        self.organisation_objects: dict[int, Organisation] = {}
        self.people: dict[str, int] = {}
        self.tags: dict[str, int] = {}

    def file_is_imported(self, file_hash: str) -> bool:
        """Whether a file with these bytes was imported by this parser version. The hashes
        are read once per batch, not once per file: one query fewer per unchanged file. One
        that a concurrent run imports meanwhile is parsed, and its articles found unchanged."""
        if self._imported_files is None:
            self._imported_files = set(
                SourceDocument.objects.filter(parser_version=PARSER_VERSION).values_list(
                    "content_hash", flat=True
                )
            )
        return file_hash in self._imported_files

    def file_imported(self, file_hash: str) -> None:
        if self._imported_files is not None:
            self._imported_files.add(file_hash)

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            places = [
                PlaceRecord(
                    id=pk,
                    kind=kind,
                    name=name,
                    code=code,
                    departement=dep_code if kind != TerritoryKind.DEPARTEMENT else code,
                    region=region_code if kind != TerritoryKind.REGION else code,
                    population=population,
                )
                for pk, kind, name, code, dep_code, region_code, population in (
                    Territory.objects.filter(is_obsolete=False).values_list(
                        "pk",
                        "kind",
                        "name",
                        "code",
                        "departement__code",
                        "region__code",
                        "population",
                    )
                )
            ]
            aliases = TerritoryAlias.objects.values_list(
                "territory_id", "name", "normalized", "kind"
            )
            self._gazetteer = Gazetteer(places, aliases)
            self.region_of = {p.id: p.region for p in places}
            self.region_ids = {
                p.code: p.id for p in places if p.kind == TerritoryKind.REGION and p.code
            }
        return self._gazetteer

    def parse(self, text: str, *, known: bool = True):
        """Parse with this batch's gazetteer; ``known=False`` ignores the organisations already
        in the database (the evaluation must not depend on what was imported before)."""
        if self._recognizer is _NOT_LOADED:
            self._recognizer = load_recognizer()
        return parse_document(
            text,
            gazetteer=self.gazetteer,
            known_organisations=self.organisations if known else None,
            known_acronyms=self.acronyms if known else None,
            recognizer=self._recognizer,
        )


# -- writers -----------------------------------------------------------------------------------


def _unique_slug(model, base: str, *, exclude_pk=None) -> str:
    base = base or "sans-titre"
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def organisation_resolve(*, mention: OrganisationMention, resolver: Resolver) -> Organisation:
    """The organisation a mention names: matched by key, alias or acronym, else created."""
    key = organisation_key(mention.name) or fold(mention.name)
    pk = mention.known_id or resolver.organisations.get(key)
    if pk is None and mention.acronym:
        pk = resolver.acronyms.get(mention.acronym)
    organisation = resolver.organisation_objects.get(pk) if pk is not None else None
    if organisation is None and pk is not None:
        organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        # Another run may have created it since the batch started: ask the database.
        organisation = Organisation.objects.filter(
            Q(normalized_name=key) | Q(aliases__normalized=key)
        ).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=mention.name,
            slug=_unique_slug(Organisation, slug_base(mention.name)),
            kind=mention.kind if mention.kind in OrganisationKind.values else "other",
            acronym=mention.acronym,
        )
    elif organisation.edited_at is None:
        changed = []
        if mention.acronym and not organisation.acronym:
            organisation.acronym = mention.acronym
            changed.append("acronym")
        if organisation.kind == OrganisationKind.OTHER and mention.kind != OrganisationKind.OTHER:
            organisation.kind = mention.kind
            changed.append("kind")
        if changed:
            organisation.save(update_fields=[*changed, "updated_at"])
    if key != organisation.normalized_name and key not in resolver.organisations:
        OrganisationAlias.objects.get_or_create(
            organisation=organisation,
            normalized=key,
            defaults={"name": mention.name, "kind": AliasKind.USUAL},
        )
    resolver.organisations[key] = organisation.pk
    resolver.organisation_objects[organisation.pk] = organisation
    if mention.acronym:
        resolver.acronyms.setdefault(mention.acronym, organisation.pk)
    return organisation


@dataclass
class _KnownLabel:
    pk: int
    name: str
    phase: str
    members: set[int]
    edited: bool
    reference: bool  # on one of the ANCT lists

    @property
    def unofficial(self) -> bool:
        """Made from an article and not checked by an editor since."""
        return not self.reference and not self.edited


@dataclass
class _LabelIndex:
    by_key: dict[str, list[_KnownLabel]]
    by_members: dict[frozenset[int], list[_KnownLabel]]

    def add(self, label: _KnownLabel) -> None:
        self.by_key.setdefault(label_key(label.name), []).append(label)
        if label.members:
            self.by_members.setdefault(frozenset(label.members), []).append(label)

    def find(self, key: str, members: frozenset[int]) -> list[_KnownLabel]:
        """Labels of that name or, when none, of exactly these members (a statement naming
        the intercommunalités, "la CA du Beauvaisis labellisée", names the label they form)."""
        return self.by_key.get(key) or (self.by_members.get(members, []) if members else [])


def _known_labels(resolver: Resolver) -> _LabelIndex:
    """Labels by key and by members, loaded once per batch (without their heavy perimeters)."""
    if resolver.labels is None:
        members: dict[int, set[int]] = {}
        for label_id, territory_id in IndustryLabel.territories.through.objects.values_list(
            "industrylabel_id", "territory_id"
        ):
            members.setdefault(label_id, set()).add(territory_id)
        resolver.labels = _LabelIndex({}, {})
        for pk, name, phase, edited_at, is_reference in IndustryLabel.objects.order_by(
            "pk"
        ).values_list("pk", "name", "phase", "edited_at", "is_reference"):
            resolver.labels.add(
                _KnownLabel(
                    pk, name, phase, members.get(pk, set()), edited_at is not None, is_reference
                )
            )
    return resolver.labels


@dataclass(frozen=True)
class ResolvedLabel:
    label: IndustryLabel
    unofficial: bool  # on neither ANCT list: the article is flagged for an editor


def _label_choose(known: list[_KnownLabel], phase: str) -> _KnownLabel:
    """The label of the phase the text speaks of if that territory has one, else of the other
    phase; a label of the ANCT lists before one made from articles."""
    official = [label for label in known if label.reference]
    pool = official or known
    return next((label for label in pool if label.phase == phase), pool[0])


def label_resolve(
    *, mention: LabelMention, resolver: Resolver, article: Article
) -> ResolvedLabel | None:
    """The label a statement reports: matched to the ANCT lists of both phases by name or
    members, created from the article only when it is on neither (with the statement's
    members and phase), or None when nothing places it."""
    key = label_key(mention.name)
    members = frozenset(mention.members)
    known = _known_labels(resolver).find(key, members)
    if not known:
        # Before creating one, look again: a concurrent run may have created it meanwhile.
        resolver.labels = None
        known = _known_labels(resolver).find(key, members)
    if known:
        chosen = _label_choose(known, mention.phase)
        if chosen.unofficial and members - chosen.members:
            # A label made from articles learns its members from them; an official one or one
            # an editor checked keeps its own.
            IndustryLabel.territories.through.objects.bulk_create(
                [
                    IndustryLabel.territories.through(industrylabel_id=chosen.pk, territory_id=t)
                    for t in members - chosen.members
                ],
                ignore_conflicts=True,
            )
            chosen.members |= members
        return ResolvedLabel(IndustryLabel.objects.get(pk=chosen.pk), chosen.unofficial)
    if not members:
        return None  # a name with nothing to place it: left to the editors
    regions = [resolver.region_of.get(pk) for pk in members]
    region_code = max(sorted(set(regions), key=str), key=regions.count) if regions else None
    # Only a text reporting the labelling itself dates it.
    reports_labelling = mention.rule in {"quoted-name", "labelled-members"}
    label = IndustryLabel.objects.create(
        name=mention.name,
        slug=_unique_slug(IndustryLabel, slug_base(f"{mention.name} {mention.phase}")),
        phase=mention.phase,
        region_id=resolver.region_ids.get(region_code),
        labelled_on=article.published_on if reports_labelling else None,
    )
    label.territories.set(members)
    resolver.labels.add(_KnownLabel(label.pk, label.name, label.phase, set(members), False, False))
    return ResolvedLabel(label, True)


def _unofficial_label_note(name: str) -> str:
    return (
        f"Territoire d’industrie « {name} » absent des listes officielles (2018–2022 et "
        "2023–2027) : créé d’après l’article, à vérifier ou à rattacher au bon territoire."
    )


def _rejected(article: Article) -> set[tuple[int, int]]:
    if article.pk is None:
        return set()
    return set(
        LinkRejection.objects.filter(article=article).values_list("content_type", "object_id")
    )


def _person(*, name: str, resolver: Resolver) -> int:
    key = fold(name)
    if key not in resolver.people:
        person, _ = Person.objects.get_or_create(
            normalized_name=key,
            defaults={"name": name, "slug": _unique_slug(Person, slug_base(name))},
        )
        resolver.people[key] = person.pk
    return resolver.people[key]


def _review_notes_add(article: Article, notes: list[str]) -> None:
    """Flag the article for an editor with these notes (those it already has are not doubled)."""
    present = article.review_notes.splitlines()
    notes = [note for note in dict.fromkeys(notes) if note not in present]
    if not notes:
        return
    article.review_notes = "\n".join([*present, *notes])
    article.needs_review = True
    article.save(update_fields=["review_notes", "needs_review", "updated_at"])


def article_links_sync(
    *, article: Article, item: ParsedItem, resolver: Resolver, new: bool = False
) -> int:
    """Suggested links of an article from what the parser found. Confirmed links and editors'
    rejections stay as they are. Returns the number of links created. ``new``: the article
    was just created, so it has no link and no rejection yet."""
    rejected = set() if new else _rejected(article)
    created = 0

    def sync(model, target_field: str, wanted: dict[int, dict], target_model):
        nonlocal created
        content_type = ContentType.objects.get_for_model(target_model)
        existing = (
            {}
            if new
            else {
                getattr(link, f"{target_field}_id"): link
                for link in model.objects.filter(article=article)
            }
        )
        missing = [
            model(article=article, **{f"{target_field}_id": target_id}, **values)
            for target_id, values in wanted.items()
            if (content_type.pk, target_id) not in rejected and target_id not in existing
        ]
        model.objects.bulk_create(missing)
        created += len(missing)
        stale = [
            link.pk
            for target_id, link in existing.items()
            if target_id not in wanted and link.status == LinkStatus.SUGGESTED
        ]
        if stale:
            model.objects.filter(pk__in=stale).delete()

    def suggestion(method, confidence, matched_text):
        return {
            "method": method,
            "confidence": confidence,
            "matched_text": matched_text[:300],
            "status": LinkStatus.SUGGESTED,
        }

    places = {
        match.place.id: suggestion(match.method, match.confidence, match.matched_text)
        for match in item.places
    }
    sync(ArticleTerritory, "territory", places, Territory)
    organisations = {}
    for mention in item.organisations:
        organisation = organisation_resolve(mention=mention, resolver=resolver)
        method = {"known": LinkMethod.NAME, "ner": LinkMethod.NER}.get(
            mention.rule, LinkMethod.PATTERN
        )
        organisations[organisation.pk] = suggestion(
            method, mention.confidence, mention.matched_text
        )
    sync(ArticleOrganisation, "organisation", organisations, Organisation)
    labels, label_notes = {}, []
    for mention in item.labels:
        resolved = label_resolve(mention=mention, resolver=resolver, article=article)
        if resolved is None:
            continue
        labels[resolved.label.pk] = suggestion(LinkMethod.LABEL, 0.8, mention.matched_text)
        if resolved.unofficial:
            label_notes.append(_unofficial_label_note(resolved.label.name))
    sync(ArticleIndustryLabel, "label", labels, IndustryLabel)
    _review_notes_add(article, label_notes)
    people = {
        _person(name=mention.name, resolver=resolver): {
            **suggestion(
                LinkMethod.NER if mention.rule == "ner" else LinkMethod.PATTERN,
                mention.confidence,
                mention.matched_text,
            ),
            "role": mention.role[:300],
        }
        for mention in item.people
    }
    sync(ArticlePerson, "person", people, Person)
    return created


def article_tags_set(*, article: Article, names: list[str], resolver: Resolver, new: bool) -> None:
    """Tag an article; tags are looked up once per batch (taggit's manager asks every time)."""
    tag_ids = []
    for name in names:
        key = name.lower()
        if key not in resolver.tags:
            tag = tag_get_or_create(name=name)
            resolver.tags[key] = tag.pk
        tag_ids.append(resolver.tags[key])
    if not new:
        article.tagged_items.exclude(tag_id__in=tag_ids).delete()
        present = set(article.tagged_items.values_list("tag_id", flat=True))
        tag_ids = [pk for pk in tag_ids if pk not in present]
    TaggedArticle.objects.bulk_create(
        [TaggedArticle(content_object=article, tag_id=pk) for pk in dict.fromkeys(tag_ids)]
    )


def _article_values(item: ParsedItem) -> dict:
    """The article's fields from a parsed item; an over-long title, kicker or lead is cut and
    its rest opens the body (``article_fields_fit``), which an editor is asked to check."""
    fields = article_fields_fit(
        title=item.title, kicker=item.kicker, lead=item.lead, body=item.body
    )
    notes = [*item.review_notes, *fields.notes]
    return {
        "title": fields.title,
        "kicker": fields.kicker,
        "lead": fields.lead,
        "body": fields.body,
        "published_on": item.published_on,
        "date_precision": item.date_precision,
        "date_inferred": item.date_inferred,
        "publisher": item.publisher[:200],
        "source_url": item.source_url if len(item.source_url) <= 500 else "",
        "is_brief": item.is_brief,
        "needs_review": bool(notes),
        "review_notes": "\n".join(notes),
    }


def article_import(
    *,
    item: ParsedItem,
    source_name: str,
    run: ImportRun | None,
    resolver: Resolver,
    publish: bool,
) -> ArticleOutcome:
    """Create or update the article of one parsed item; an editor's version is never touched."""
    article = Article.objects.filter(content_hash=item.content_hash).first()
    if article is None:
        # The same file re-scraped with a changed text: same article, new version.
        article = Article.objects.filter(
            source_file=source_name, source_position=item.position, content_hash__isnull=False
        ).first()
    if article is not None:
        if article.edited_at is not None:
            return ArticleOutcome(
                "kept", article.slug, article.title, 0, article.needs_review, article.pk
            )
        unchanged = article.parser_version == PARSER_VERSION and article.content_hash == (
            item.content_hash
        )
        if unchanged and not (publish and not article.is_published):
            return ArticleOutcome(
                "unchanged", article.slug, article.title, 0, article.needs_review, article.pk
            )
    values = _article_values(item)
    if article is not None:
        for name, value in values.items():
            setattr(article, name, value)
        article.content_hash = item.content_hash
        article.source_text = item.source_text
        article.parser_version = PARSER_VERSION
        article.import_run = run
        if publish:
            article.status = ArticleStatus.PUBLISHED
        article.save()
        action = "updated"
    else:
        article = Article.objects.create(
            slug=_unique_slug(Article, slug_base(item.title)),
            status=ArticleStatus.PUBLISHED if publish else ArticleStatus.DRAFT,
            source_file=source_name,
            source_position=item.position,
            source_text=item.source_text,
            content_hash=item.content_hash,
            parser_version=PARSER_VERSION,
            import_run=run,
            **values,
        )
        action = "created"
    new = action == "created"
    links = article_links_sync(article=article, item=item, resolver=resolver, new=new)
    article_tags_set(article=article, names=item.tags, resolver=resolver, new=new)
    if publish:
        # Only the links at or above the confirmation threshold become public; an article
        # with no title or no text stays a draft (news.services.publishing).
        import_publish(article=article)
    return ArticleOutcome(
        action, article.slug, article.title, links, article.needs_review, article.pk
    )


def _take_import_lock() -> None:
    """Serialise imports across processes; SQLite already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _result_record(*, run: ImportRun | None, report: FileReport, file_hash: str = "") -> None:
    if run is not None:
        ImportFileResult.objects.create(
            run=run,
            path=report.path[:500],
            outcome=report.outcome,
            reason=report.reason,
            content_hash=file_hash,
            details={"articles": [asdict(a) for a in report.articles]},
        )


def file_import(
    *, path: Path, run: ImportRun | None, resolver: Resolver, publish: bool, dry_run: bool
) -> FileReport:
    """Import one file of a folder or of the command line (see ``content_import``)."""
    return content_import(
        name=path.name,
        label=str(path),
        read=lambda: file_read(path, limit=settings.IMPORT_MAX_FILE_BYTES),
        run=run,
        resolver=resolver,
        publish=publish,
        dry_run=dry_run,
    )


@dataclass(frozen=True)
class NamedText:
    """A file received in memory (an upload): ``name`` is the file's own name, which its
    articles keep as ``source_file``; ``label`` is how the report names it (``lot.zip/a.txt``)."""

    name: str
    label: str
    content: bytes


def text_import(
    *, text: NamedText, run: ImportRun | None, resolver: Resolver, publish: bool, dry_run: bool
) -> FileReport:
    """Import one file received in memory, with the size limit of a file on disk."""

    def read() -> bytes:
        if len(text.content) > settings.IMPORT_MAX_FILE_BYTES:
            raise UnreadableFile(_too_big(len(text.content), settings.IMPORT_MAX_FILE_BYTES))
        return text.content

    return content_import(
        name=text.name,
        label=text.label,
        read=read,
        run=run,
        resolver=resolver,
        publish=publish,
        dry_run=dry_run,
    )


def content_import(
    *,
    name: str,
    label: str,
    read: Callable[[], bytes],
    run: ImportRun | None,
    resolver: Resolver,
    publish: bool,
    dry_run: bool,
) -> FileReport:
    """Import one file in one transaction: it ends imported, unchanged, skipped or failed.

    ``read`` returns its bytes or raises ``UnreadableFile``; ``name`` is what its articles
    keep as their source file, ``label`` what the report shows. Its result is recorded with
    it — in the same transaction when it writes articles — so that a run killed at any point
    keeps the result of every file it finished."""

    def done(outcome: str, reason: str, file_hash: str = "") -> FileReport:
        """The result of a file that wrote nothing: one row, committed on its own."""
        report = FileReport(label, outcome, reason)
        _result_record(run=run, report=report, file_hash=file_hash)
        return report

    try:
        raw = read()
    except UnreadableFile as error:
        return done(FileOutcome.FAILED, str(error))

    file_hash = hashlib.sha256(raw).hexdigest()
    if resolver.file_is_imported(file_hash):
        if not publish or not Article.objects.drafts().filter(source_file=name).exists():
            return done(FileOutcome.UNCHANGED, "déjà importé, identique", file_hash)
    try:
        text, _encoding = decode_bytes(raw)
    except UnreadableInput as error:
        outcome = FileOutcome.SKIPPED if "vide" in str(error) else FileOutcome.FAILED
        return done(outcome, str(error), file_hash)
    text = normalize_text(text)
    if not text:
        return done(FileOutcome.SKIPPED, "fichier vide", file_hash)
    try:
        document = resolver.parse(text)
    except Exception as error:  # noqa: BLE001 - a text the parser chokes on fails alone
        return done(FileOutcome.FAILED, f"erreur à l'analyse : {error!r}", file_hash)
    if not document.items:
        return done(
            FileOutcome.SKIPPED,
            "aucun texte d'article : seulement des menus, boutons et liens",
            file_hash,
        )

    report = FileReport(label, FileOutcome.IMPORTED)
    try:
        with transaction.atomic():
            _take_import_lock()
            seen: set[str] = set()
            for item in document.items:
                if item.content_hash in seen:
                    report.articles.append(ArticleOutcome("duplicate", "", item.title))
                    continue
                seen.add(item.content_hash)
                report.articles.append(
                    article_import(
                        item=item, source_name=name, run=run, resolver=resolver, publish=publish
                    )
                )
            SourceDocument.objects.update_or_create(
                content_hash=file_hash,
                defaults={"name": name, "parser_version": PARSER_VERSION, "first_run": run},
            )
            if all(a.action in {"unchanged", "duplicate"} for a in report.articles):
                report.outcome = FileOutcome.UNCHANGED
                report.reason = "articles déjà présents, identiques"
            if dry_run:
                transaction.set_rollback(True)
            else:
                _result_record(run=run, report=report, file_hash=file_hash)
                # The public caches get a new version when this file's transaction commits.
                content_changed()
    except Exception as error:  # noqa: BLE001 - any failure of one file must not stop the batch
        resolver.refresh()
        return done(FileOutcome.FAILED, f"erreur à l'écriture : {error}", file_hash)
    if dry_run:
        resolver.refresh()
    else:
        resolver.file_imported(file_hash)
    return report


# -- runs: alive, finished or interrupted ----------------------------------------------------


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, under another user
        return True
    return True


@contextlib.contextmanager
def _no_live_run_lock() -> Iterator[bool]:
    """Try to take the live-runs lock exclusively (PostgreSQL): True while it is held, which
    means that no run is alive — nor can one start until the block ends."""
    if connection.vendor != "postgresql":
        yield False
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LIVE_RUNS_LOCK_KEY])
        taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LIVE_RUNS_LOCK_KEY])


@contextlib.contextmanager
def _commits_without_flush_wait() -> Iterator[None]:
    """PostgreSQL: this session's commits do not wait for the WAL to reach the disk.

    Each file commits on its own — its result with it — and a commit that waited for the disk
    halved the speed of a re-run of unchanged files. Nothing is lost when the import is
    killed: a commit the server answered is the server's. A crash of the server itself may
    lose the last few hundred milliseconds of commits, never a part of one (a file's articles
    go with its result), and those files are imported again by the next run."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


@contextlib.contextmanager
def _live_run_lock() -> Iterator[None]:
    """Held in shared mode for the whole of a run (PostgreSQL): the run is alive while it is."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock_shared(%s)", [LIVE_RUNS_LOCK_KEY])
    try:
        yield
    finally:
        # A lost connection took the lock with it.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_shared(%s)", [LIVE_RUNS_LOCK_KEY])


def import_run_death(
    run: ImportRun, *, no_live_run: bool = False, now: datetime.datetime | None = None
) -> str:
    """Why a run marked "running" is in fact dead, in French; "" while it may be alive.

    On PostgreSQL a live run holds the live-runs lock, so ``no_live_run`` (that lock could be
    taken) settles it. Otherwise: its process is gone from this machine, or it gave no sign of
    life (``heartbeat_at``) for ``STALE_AFTER``."""
    if run.status != ImportRunStatus.RUNNING:
        return ""
    if no_live_run:
        return "aucun import vivant ne tient le verrou des imports : son processus a disparu"
    if run.pid and run.host == socket.gethostname() and not _process_exists(run.pid):
        return f"son processus {run.pid} n'existe plus sur {run.host}"
    last = run.heartbeat_at or run.started_at
    if (now or timezone.now()) - last > STALE_AFTER:
        local = timezone.localtime(last).strftime("%d/%m/%Y %H:%M")
        return f"aucun signe de vie depuis le {local}"
    return ""


_OUTCOME_KEYS = [
    ("imported", FileOutcome.IMPORTED),
    ("unchanged", FileOutcome.UNCHANGED),
    ("skipped", FileOutcome.SKIPPED),
    ("failed", FileOutcome.FAILED),
]


def import_run_interruption(run: ImportRun) -> str:
    """Why a run is interrupted, in French: the reason recorded, or why one still marked
    "running" is dead (nothing is written: the next run records it); "" for a live run."""
    if run.status == ImportRunStatus.INTERRUPTED:
        return run.summary.get("interrupted", "")
    if run.status != ImportRunStatus.RUNNING:
        return ""
    with _no_live_run_lock() as no_live_run:
        return import_run_death(run, no_live_run=no_live_run)


def _recorded_summary(run: ImportRun) -> dict:
    counts = dict(run.files.order_by().values_list("outcome").annotate(n=Count("pk")))
    return {
        "files": sum(counts.values()),
        **{key: counts.get(outcome, 0) for key, outcome in _OUTCOME_KEYS},
    }


def import_run_mark_interrupted(
    *, run: ImportRun, reason: str, summary: dict | None = None
) -> bool:
    """Record that a run stopped before the end; the files it finished keep their results.
    False when the run had ended meanwhile."""
    summary = {**(summary or _recorded_summary(run)), "interrupted": reason}
    return bool(
        ImportRun.objects.filter(pk=run.pk, status=ImportRunStatus.RUNNING).update(
            status=ImportRunStatus.INTERRUPTED, summary=summary
        )
    )


def import_runs_interrupted(*, mark: bool = True) -> list[dict]:
    """Runs still marked "running" whose process is gone: marked interrupted (``mark``) and
    returned as ``{"run": id, "reason": …}``. A live concurrent run is left alone."""
    with _no_live_run_lock() as no_live_run:
        found = []
        for run in ImportRun.objects.filter(status=ImportRunStatus.RUNNING):
            reason = import_run_death(run, no_live_run=no_live_run)
            if reason and (not mark or import_run_mark_interrupted(run=run, reason=reason)):
                found.append({"run": run.pk, "reason": reason})
    return found


def _stop_reason(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        return "arrêté en cours de route (Ctrl-C)"
    if isinstance(error, SystemExit):
        return "arrêté en cours de route (fin du processus demandée)"
    return f"arrêté par une erreur : {error!r}"


def _reference_ensure() -> None:
    """Load the territorial reference when it is missing, under the import lock: two runs
    started at once on an empty database load it once (the second finds it loaded)."""
    if reference_is_loaded():
        return
    with transaction.atomic():
        _take_import_lock()
        if not reference_is_loaded():
            reference_load()


def _review_ids(report: ImportReport) -> set[int]:
    """Articles needing review that the unchanged files hold: those were not parsed again."""
    names = {
        Path(f.path).name
        for f in report.files
        if f.outcome == FileOutcome.UNCHANGED and not f.articles
    }
    if not names:
        return set()
    return set(
        Article.objects.filter(source_file__in=names, needs_review=True).values_list(
            "pk", flat=True
        )
    )


def batch_import(
    *,
    paths: Iterable[Path],
    publish: bool = False,
    dry_run: bool = False,
    triggered_by: str | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> ImportReport:
    """Import files and folders; each file in its own transaction, the run recorded.

    Earlier runs left "running" by a dead process are marked interrupted first; this run is
    marked interrupted too if it is stopped (Ctrl-C, SIGTERM through ``loadseeds``, an error
    outside any file)."""
    paths = list(paths)
    _reference_ensure()
    return _batch_run(
        entries=collect_paths(paths),
        import_one=lambda path, **context: file_import(path=path, **context),
        options={"paths": [str(p) for p in paths]},
        publish=publish,
        dry_run=dry_run,
        triggered_by=triggered_by,
        progress=progress,
    )


def texts_import(
    *,
    texts: Iterable[NamedText],
    uploads: Iterable[str] = (),
    publish: bool = False,
    triggered_by: str,
) -> ImportReport:
    """Import files received in memory (the admin's "Importer un lot") exactly as
    ``batch_import`` imports files on disk: same run record, lock, transactions and outcomes.
    ``uploads`` names what was sent (the archives and files), kept in the run's options."""
    _reference_ensure()
    return _batch_run(
        entries=list(texts),
        import_one=lambda text, **context: text_import(text=text, **context),
        options={"uploads": list(uploads)},
        publish=publish,
        dry_run=False,
        triggered_by=triggered_by,
        progress=None,
    )


def _batch_run(
    *,
    entries: list,
    import_one: Callable[..., FileReport],
    options: dict,
    publish: bool,
    dry_run: bool,
    triggered_by: str | None,
    progress: Callable | None,
) -> ImportReport:
    resolver = Resolver()
    interrupted = import_runs_interrupted(mark=not dry_run)
    with contextlib.ExitStack() as stack:
        run = None
        if not dry_run:
            stack.enter_context(_live_run_lock())
            stack.enter_context(_commits_without_flush_wait())
            run = ImportRun.objects.create(
                triggered_by=triggered_by or default_triggered_by(),
                host=socket.gethostname(),
                pid=os.getpid(),
                heartbeat_at=timezone.now(),
                options={**options, "publish": publish, "parser_version": PARSER_VERSION},
            )
        report = ImportReport(
            run_id=run.pk if run else None, dry_run=dry_run, interrupted_runs=interrupted
        )
        try:
            beat = time.monotonic()
            for index, entry in enumerate(entries, start=1):
                report.files.append(
                    import_one(entry, run=run, resolver=resolver, publish=publish, dry_run=dry_run)
                )
                if run is not None and time.monotonic() - beat >= HEARTBEAT_SECONDS:
                    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
                    beat = time.monotonic()
                if progress:
                    progress(index, len(entries), entry)
            report.review_ids = _review_ids(report)
        except BaseException as error:
            if run is not None:
                with contextlib.suppress(DatabaseError):
                    import_run_mark_interrupted(
                        run=run, reason=_stop_reason(error), summary=report.summary()
                    )
            raise
        if run is not None:
            run.finished_at = timezone.now()
            run.heartbeat_at = run.finished_at
            run.summary = report.summary()
            if report.failed:
                failed_all = report.files_with(FileOutcome.FAILED) == len(report.files)
                run.status = ImportRunStatus.FAILED if failed_all else ImportRunStatus.PARTIAL
            else:
                run.status = ImportRunStatus.SUCCEEDED
            run.save(update_fields=["finished_at", "heartbeat_at", "summary", "status"])
    return report
