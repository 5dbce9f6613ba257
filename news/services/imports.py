"""Writing imported batches: one transaction per file, upserts on natural keys, editors win.

The parsing is done by the pure ``news.ingest`` package; this module reads files (I/O at the
edge), resolves what the parser found against the database and writes it.
"""

from __future__ import annotations

import getpass
import hashlib
import socket
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
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
from news.services.tags import tag_get_or_create
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
TEXT_SUFFIXES = {".txt", ".text", ""}
RESULTS_BATCH = 200  # file results are written by the hundred, not one by one


@dataclass
class ArticleOutcome:
    action: str  # created, updated, unchanged, kept, duplicate
    slug: str
    title: str
    links_created: int = 0
    needs_review: bool = False


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

    def files_with(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    def articles_with(self, action: str) -> int:
        return sum(f.count(action) for f in self.files)

    @property
    def links_created(self) -> int:
        return sum(a.links_created for f in self.files for a in f.articles)

    @property
    def needs_review(self) -> int:
        return sum(
            1
            for f in self.files
            for a in f.articles
            if a.needs_review and a.action in {"created", "updated"}
        )

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
            "files": [asdict(f) for f in self.files],
        }


def collect_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to import: the files given, and the text files of the folders given (sorted)."""
    collected: list[Path] = []
    for path in paths:
        if path.is_dir():
            collected.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file() and not p.name.startswith(".") and p.suffix in TEXT_SUFFIXES
                )
            )
        else:
            collected.append(path)
    return collected


def default_triggered_by() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return f"loadseeds ({user}@{socket.gethostname()})"


# -- resolution context, built once per batch ------------------------------------------------


class Resolver:
    """What the database already knows, loaded once per batch and kept current as it writes.

    The gazetteer of ~37,000 territories is built on first use: a re-run of unchanged files
    never needs it."""

    def __init__(self):
        self._gazetteer: Gazetteer | None = None
        self.region_of: dict[int, str | None] = {}
        self.region_ids: dict[str, int] = {}
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

    def parse(self, text: str):
        return parse_document(
            text,
            gazetteer=self.gazetteer,
            known_organisations=self.organisations,
            known_acronyms=self.acronyms,
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


def _known_labels(resolver: Resolver) -> dict[str, list[_KnownLabel]]:
    """Labels by key, loaded once per batch (without their heavy perimeters)."""
    if resolver.labels is None:
        members: dict[int, set[int]] = {}
        for label_id, territory_id in IndustryLabel.territories.through.objects.values_list(
            "industrylabel_id", "territory_id"
        ):
            members.setdefault(label_id, set()).add(territory_id)
        resolver.labels = {}
        for pk, name, phase, edited_at in IndustryLabel.objects.values_list(
            "pk", "name", "phase", "edited_at"
        ):
            resolver.labels.setdefault(label_key(name), []).append(
                _KnownLabel(pk, name, phase, members.get(pk, set()), edited_at is not None)
            )
    return resolver.labels


def label_resolve(
    *, mention: LabelMention, resolver: Resolver, article: Article
) -> IndustryLabel | None:
    """Find or create the label a statement reports, with its members and phase."""
    key = label_key(mention.name)
    known = _known_labels(resolver).get(key, [])
    if not any(label.phase == mention.phase for label in known):
        # Before creating one, look again: a concurrent run may have created it meanwhile.
        resolver.labels = None
        known = _known_labels(resolver).get(key, [])
    same_phase = [label for label in known if label.phase == mention.phase]
    other_phase = [label for label in known if label.phase != mention.phase]
    members = set(mention.members)
    if same_phase:
        label = same_phase[0]
        if not label.edited and members - label.members:
            IndustryLabel.territories.through.objects.bulk_create(
                [
                    IndustryLabel.territories.through(industrylabel_id=label.pk, territory_id=t)
                    for t in members - label.members
                ],
                ignore_conflicts=True,
            )
            label.members |= members
        return IndustryLabel.objects.get(pk=label.pk)
    if other_phase:
        members |= other_phase[0].members
    if not members:
        return None  # a name with nothing to place it: left to the editors
    regions = [resolver.region_of.get(pk) for pk in members]
    region_code = max(set(regions), key=regions.count) if regions else None
    name = other_phase[0].name if other_phase else mention.name
    # Only a text reporting the labelling itself dates it.
    reports_labelling = mention.rule in {"quoted-name", "labelled-members"}
    label = IndustryLabel.objects.create(
        name=name,
        slug=_unique_slug(IndustryLabel, slug_base(f"{name} {mention.phase}")),
        phase=mention.phase,
        region_id=resolver.region_ids.get(region_code),
        labelled_on=article.published_on if reports_labelling else None,
    )
    label.territories.set(members)
    known.append(_KnownLabel(label.pk, name, mention.phase, members, False))
    resolver.labels.setdefault(key, known)
    return label


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
        method = LinkMethod.NAME if mention.rule == "known" else LinkMethod.PATTERN
        organisations[organisation.pk] = suggestion(
            method, mention.confidence, mention.matched_text
        )
    sync(ArticleOrganisation, "organisation", organisations, Organisation)
    labels = {}
    for mention in item.labels:
        label = label_resolve(mention=mention, resolver=resolver, article=article)
        if label is not None:
            labels[label.pk] = suggestion(LinkMethod.LABEL, 0.8, mention.matched_text)
    sync(ArticleIndustryLabel, "label", labels, IndustryLabel)
    people = {
        _person(name=mention.name, resolver=resolver): {
            **suggestion(LinkMethod.PATTERN, 0.7, mention.matched_text),
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
    values = _article_values(item)
    if article is not None:
        if article.edited_at is not None:
            return ArticleOutcome("kept", article.slug, article.title)
        unchanged = article.parser_version == PARSER_VERSION and article.content_hash == (
            item.content_hash
        )
        if unchanged and not (publish and not article.is_published):
            return ArticleOutcome("unchanged", article.slug, article.title)
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
    return ArticleOutcome(action, article.slug, article.title, links, item.needs_review)


def _take_import_lock() -> None:
    """Serialise imports across processes; SQLite already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def file_import(
    *, path: Path, run: ImportRun | None, resolver: Resolver, publish: bool, dry_run: bool
) -> FileReport:
    """Import one file in one transaction: it ends imported, unchanged, skipped or failed."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return FileReport(str(path), FileOutcome.FAILED, "fichier introuvable")
    except IsADirectoryError:
        return FileReport(str(path), FileOutcome.FAILED, "c'est un dossier, pas un fichier")
    except OSError as error:
        return FileReport(str(path), FileOutcome.FAILED, f"lecture impossible : {error.strerror}")

    file_hash = hashlib.sha256(raw).hexdigest()
    if SourceDocument.objects.filter(
        content_hash=file_hash, parser_version=PARSER_VERSION
    ).exists():
        if not publish or not Article.objects.drafts().filter(source_file=name).exists():
            return FileReport(str(path), FileOutcome.UNCHANGED, "déjà importé, identique")
    try:
        text, _encoding = decode_bytes(raw)
    except UnreadableInput as error:
        outcome = FileOutcome.SKIPPED if "vide" in str(error) else FileOutcome.FAILED
        return FileReport(str(path), outcome, str(error))
    text = normalize_text(text)
    if not text:
        return FileReport(str(path), FileOutcome.SKIPPED, "fichier vide")
    document = resolver.parse(text)
    if not document.items:
        return FileReport(
            str(path),
            FileOutcome.SKIPPED,
            "aucun texte d'article : seulement des menus, boutons et liens",
        )

    report = FileReport(str(path), FileOutcome.IMPORTED)
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
    except Exception as error:  # noqa: BLE001 - any failure of one file must not stop the batch
        resolver.refresh()
        return FileReport(str(path), FileOutcome.FAILED, f"erreur à l'écriture : {error}")
    if dry_run:
        resolver.refresh()
    return report


def batch_import(
    *,
    paths: Iterable[Path],
    publish: bool = False,
    dry_run: bool = False,
    triggered_by: str | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> ImportReport:
    """Import files and folders; each file in its own transaction, the run recorded."""
    if not reference_is_loaded():
        reference_load()
    files = collect_paths(paths)
    resolver = Resolver()
    run = None
    if not dry_run:
        run = ImportRun.objects.create(
            triggered_by=triggered_by or default_triggered_by(),
            options={
                "paths": [str(p) for p in paths],
                "publish": publish,
                "parser_version": PARSER_VERSION,
            },
        )
    report = ImportReport(run_id=run.pk if run else None, dry_run=dry_run)
    pending: list[ImportFileResult] = []
    for index, path in enumerate(files, start=1):
        file_report = file_import(
            path=path, run=run, resolver=resolver, publish=publish, dry_run=dry_run
        )
        report.files.append(file_report)
        if run is not None:
            pending.append(
                ImportFileResult(
                    run=run,
                    path=file_report.path[:500],
                    outcome=file_report.outcome,
                    reason=file_report.reason,
                    details={"articles": [asdict(a) for a in file_report.articles]},
                )
            )
            if len(pending) >= RESULTS_BATCH or index == len(files):
                ImportFileResult.objects.bulk_create(pending)
                pending = []
        if progress:
            progress(index, len(files), path)
    if run is not None:
        run.finished_at = timezone.now()
        run.summary = report.summary()
        if report.failed:
            failed_all = report.files_with(FileOutcome.FAILED) == len(report.files)
            run.status = ImportRunStatus.FAILED if failed_all else ImportRunStatus.PARTIAL
        else:
            run.status = ImportRunStatus.SUCCEEDED
        run.save(update_fields=["finished_at", "summary", "status"])
    return report
