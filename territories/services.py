"""Services that write territories, organisations and Territoire d'industrie labels."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from news.versioning import content_changed
from territories.models import (
    AliasKind,
    AliasSource,
    EpciLegalForm,
    IndustryLabel,
    LabelPhase,
    Organisation,
    OrganisationAlias,
    Territory,
    TerritoryAlias,
    TerritoryKind,
)
from territories.naming import fold, name_key, organisation_key, slug_base, sort_key
from territories.reference import (
    derived_aliases,
    label_key,
    load_curated_aliases,
    load_reference_file,
)

BATCH_SIZE = 2000


@dataclass
class ReferenceLoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    obsolete: dict[str, int] = field(default_factory=dict)
    aliases_created: int = 0
    links_changed: int = 0
    reconciled: int = 0  # labels made from articles, matched to an official label

    @property
    def changed(self) -> bool:
        return bool(
            any(self.created.values())
            or any(self.updated.values())
            or any(self.obsolete.values())
            or self.aliases_created
            or self.links_changed
            or self.reconciled
        )


class SlugAllocator:
    """Readable unique slugs: the first free candidate, in the order given."""

    def __init__(self, taken: set[str]):
        self.taken = taken

    def allocate(self, *candidates: str) -> str:
        for candidate in candidates:
            if candidate and candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        base, n = candidates[-1], 2
        while f"{base}-{n}" in self.taken:
            n += 1
        self.taken.add(f"{base}-{n}")
        return f"{base}-{n}"


def _departement_of_commune(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


class _KindSync:
    """Create or update the reference rows of one kind, in bulk, keyed on the official code."""

    def __init__(self, kind: str, fields: list[str], slugs: SlugAllocator, report):
        self.kind = kind
        self.fields = fields
        self.slugs = slugs
        self.report = report
        self.foreign_keys = {"region", "departement", "epci"} & set(fields)
        self.existing = {t.code: t for t in Territory.objects.filter(kind=kind, code__isnull=False)}

    def sync(self, rows: dict[str, dict], slug_candidates) -> dict[str, Territory]:
        to_create, to_update = [], []
        for code, values in rows.items():
            # Foreign keys are compared by id so that an unchanged run loads no related row.
            values = {
                (f"{name}_id" if name in self.foreign_keys else name): (
                    value.pk if isinstance(value, Territory) else value
                )
                for name, value in values.items()
            }
            values["normalized_name"] = fold(values["name"])
            values["sort_name"] = sort_key(values["name"])
            territory = self.existing.get(code)
            if territory is None:
                territory = Territory(
                    kind=self.kind,
                    code=code,
                    slug=self.slugs.allocate(*slug_candidates(code, values)),
                    is_reference=True,
                    **values,
                )
                to_create.append(territory)
                self.existing[code] = territory
                continue
            values.update(is_reference=True, is_obsolete=False)
            changed = [name for name, value in values.items() if getattr(territory, name) != value]
            if changed:
                for name in changed:
                    setattr(territory, name, values[name])
                to_update.append(territory)
        Territory.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            Territory.objects.bulk_update(
                to_update,
                [
                    *self.fields,
                    "normalized_name",
                    "sort_name",
                    "is_reference",
                    "is_obsolete",
                    "updated_at",
                ],
                batch_size=BATCH_SIZE,
            )
        gone = [t.pk for code, t in self.existing.items() if code not in rows and not t.is_obsolete]
        if gone:
            # The reference never deletes: a territory that left the official list is obsolete.
            Territory.objects.filter(pk__in=gone).update(is_obsolete=True)
        self.report.created[self.kind] = len(to_create)
        self.report.updated[self.kind] = len(to_update)
        self.report.obsolete[self.kind] = len(gone)
        return {code: self.existing[code] for code in rows}


def _sync_m2m(through, left: str, right: str, wanted: set[tuple[int, int]], scope_ids) -> int:
    """Make the pairs of a many-to-many table for the rows ``scope_ids`` equal to ``wanted``."""
    existing = set(through.objects.filter(**{f"{left}__in": scope_ids}).values_list(left, right))
    missing = wanted - existing
    extra = existing - wanted
    through.objects.bulk_create(
        [through(**{left: a, right: b}) for a, b in missing], batch_size=BATCH_SIZE
    )
    for a, b in extra:
        through.objects.filter(**{left: a, right: b}).delete()
    return len(missing) + len(extra)


@transaction.atomic
def reference_load(*, data: dict | None = None) -> ReferenceLoadReport:
    """Load the official territories and the labels of both phases; a second run changes
    nothing, a changed source updates the rows in place (never deletes: marks obsolete)."""
    data = data if data is not None else load_reference_file()
    report = ReferenceLoadReport()
    slugs = SlugAllocator(set(Territory.objects.values_list("slug", flat=True)))

    regions = _KindSync(TerritoryKind.REGION, ["name"], slugs, report).sync(
        {code: {"name": name} for code, name in data["regions"]},
        lambda code, v: [slug_base(v["name"]), f"{slug_base(v['name'])}-region"],
    )
    departements = _KindSync(TerritoryKind.DEPARTEMENT, ["name", "region"], slugs, report).sync(
        {
            code: {"name": name, "region": regions[region]}
            for code, name, region in data["departements"]
        },
        lambda code, v: [slug_base(v["name"]), f"{slug_base(v['name'])}-{code.lower()}"],
    )

    commune_departement = {c[0]: _departement_of_commune(c[0]) for c in data["communes"]}
    epci_rows, epci_departements, commune_epci = {}, {}, {}
    for code, name, legal_form, population, members in data["epcis"]:
        weights: dict[str, int] = {}
        for member in members:
            commune_epci[member] = code
            dep = commune_departement[member]
            weights[dep] = weights.get(dep, 0) + 1
        main = max(sorted(weights), key=weights.get) if weights else None
        epci_departements[code] = set(weights)
        epci_rows[code] = {
            "name": name,
            "legal_form": legal_form if legal_form in EpciLegalForm.values else "",
            "population": population,
            "departement": departements[main] if main else None,
            "region": departements[main].region_id if main else None,
        }
    epcis = _KindSync(
        TerritoryKind.EPCI,
        ["name", "legal_form", "population", "departement", "region"],
        slugs,
        report,
    ).sync(epci_rows, lambda code, v: [slug_base(v["name"]), f"{slug_base(v['name'])}-{code}"])

    commune_rows = {}
    for code, name, dep, population in data["communes"]:
        departement = departements[dep]
        epci_code = commune_epci.get(code)
        commune_rows[code] = {
            "name": name,
            "population": population,
            "departement": departement,
            "region": departement.region_id,
            "epci": epcis[epci_code] if epci_code else None,
        }
    communes = _KindSync(
        TerritoryKind.COMMUNE,
        ["name", "population", "departement", "region", "epci"],
        slugs,
        report,
    ).sync(
        commune_rows,
        lambda code, v: [
            f"{slug_base(v['name'])}-{_departement_of_commune(code).lower()}",
            f"{slug_base(v['name'])}-{code.lower()}",
        ],
    )

    # The EPT of the Métropole du Grand Paris are groupings of communes with a SIREN.
    epts = _KindSync(TerritoryKind.GROUPING, ["name"], slugs, report).sync(
        {code: {"name": name} for code, name, _members in data["epts"]},
        lambda code, v: [slug_base(v["name"]), f"{slug_base(v['name'])}-{code}"],
    )

    report.links_changed += _sync_m2m(
        Territory.departements.through,
        "from_territory_id",
        "to_territory_id",
        {
            (epcis[code].pk, departements[dep].pk)
            for code, deps in epci_departements.items()
            for dep in deps
        },
        [t.pk for t in epcis.values()],
    )
    report.links_changed += _sync_m2m(
        Territory.members.through,
        "from_territory_id",
        "to_territory_id",
        {(epts[code].pk, communes[m].pk) for code, _name, members in data["epts"] for m in members},
        [t.pk for t in epts.values()],
    )

    by_kind = {
        TerritoryKind.REGION: regions,
        TerritoryKind.DEPARTEMENT: departements,
        TerritoryKind.EPCI: epcis,
        TerritoryKind.COMMUNE: communes,
        TerritoryKind.GROUPING: epts,
    }
    report.aliases_created = _load_aliases(by_kind, data)
    for phase in (LabelPhase.FIRST, LabelPhase.SECOND):
        _load_labels(data, phase, by_kind, regions, report)
    _reconcile_across_phases(data, by_kind, report)
    if report.changed:
        # Bulk writes send no signal: the public pages learn of them here.
        content_changed()
    return report


def _load_aliases(by_kind, data) -> int:
    existing = set(TerritoryAlias.objects.values_list("territory_id", "normalized"))
    to_create = []
    for row in [*derived_aliases(data), *load_curated_aliases()]:
        territory = by_kind[row.kind].get(row.code)
        if territory is None:
            raise ValueError(f"aliases: no {row.kind} with code {row.code} for {row.name!r}")
        key = name_key(row.name)
        if not key or key == territory.normalized_name or (territory.pk, key) in existing:
            continue
        existing.add((territory.pk, key))
        to_create.append(
            TerritoryAlias(
                territory=territory,
                name=row.name,
                normalized=key,
                kind=row.alias_kind,
                source=AliasSource.REFERENCE,
            )
        )
    TerritoryAlias.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    return len(to_create)


@dataclass(frozen=True)
class _LabelRow:
    code: str
    name: str
    region: str
    members: list  # [kind, code] pairs
    perimeter: dict


def _label_rows(data: dict, phase: str) -> list[_LabelRow]:
    if phase == LabelPhase.FIRST:
        return [
            # The first-phase identifier's digits 1–2 are its région code (ti-3204 → 32).
            _LabelRow(code, name, code.split("-")[1][:2], members, perimeter)
            for code, name, members, perimeter in data["industry_labels"]
        ]
    return [_LabelRow(*row) for row in data.get("industry_labels_phase2", [])]


def _label_slug_candidates(row: _LabelRow, phase: str) -> list[str]:
    base = slug_base(row.name)
    if phase == LabelPhase.FIRST:
        return [base, f"{base}-{row.code}"]
    # A second-phase label often has the name of a first-phase one: the period tells them apart
    # (the slug an article-made copy was given, so that reconciling it keeps its address).
    return [base, f"{base}-{phase}", f"{base}-{row.code}-{phase}"]


def _load_labels(data, phase: str, by_kind, regions, report) -> None:
    """Create or update the official labels of one phase, keyed on (identifier, phase).

    Labels an article made before the official list was loaded (the same name, or the same
    members, without identifier) become the official label or are merged into it."""
    rows = _label_rows(data, phase)
    existing = {
        label.code: label for label in IndustryLabel.objects.filter(phase=phase, code__isnull=False)
    }
    label_slugs = SlugAllocator(set(IndustryLabel.objects.values_list("slug", flat=True)))
    wanted_of = {
        row.code: {by_kind[kind][member].pk for kind, member in row.members} for row in rows
    }
    copies = _article_made_labels(phase, rows, wanted_of)
    created = updated = reconciled = 0
    wanted_members, scope = set(), []
    for row in rows:
        values = {
            "name": row.name,
            "phase": phase,
            # By id: an unchanged run reads no région.
            "region_id": regions[row.region].pk if row.region in regions else None,
            "perimeter": row.perimeter,
            "normalized_name": name_key(row.name),
            "is_reference": True,
        }
        label = existing.get(row.code)
        duplicates = copies.get(row.code, [])
        if label is None and duplicates:
            # The copy an article made becomes the official label: same address, same links.
            label, duplicates = duplicates[0], duplicates[1:]
            label.code = row.code
            for key, value in values.items():
                setattr(label, key, value)
            label.save()
            reconciled += 1
        elif label is None:
            label = IndustryLabel.objects.create(
                code=row.code,
                slug=label_slugs.allocate(*_label_slug_candidates(row, phase)),
                **values,
            )
            created += 1
        elif label.edited_at is None:
            changed = {k: v for k, v in values.items() if getattr(label, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(label, key, value)
                label.save()
                updated += 1
        elif label.perimeter != row.perimeter:
            # Editors own the name and members of a label; the official perimeter stays current.
            label.perimeter = row.perimeter
            label.save(update_fields=["perimeter", "updated_at"])
            updated += 1
        for duplicate in duplicates:
            industry_label_merge(survivor=label, other=duplicate)
            reconciled += 1
        if label.edited_at is None:
            scope.append(label.pk)
            wanted_members |= {(label.pk, member) for member in wanted_of[row.code]}
    key = "industry_label" if phase == LabelPhase.FIRST else "industry_label_phase2"
    report.created[key] = created
    report.updated[key] = updated
    report.reconciled += reconciled
    report.links_changed += _sync_m2m(
        IndustryLabel.territories.through, "industrylabel_id", "territory_id", wanted_members, scope
    )


def _article_made_labels(phase: str, rows: list[_LabelRow], wanted_of) -> dict[str, list]:
    """Labels of ``phase`` made from articles that are official ones, by official identifier.

    A label is matched by the key of its name, else by its exact set of members. Those an editor
    changed are left alone: the editor may have meant them to differ."""
    by_key = {}
    for row in rows:
        by_key.setdefault(label_key(row.name), row.code)
    by_members = {}
    for code, members in wanted_of.items():
        if members:
            by_members.setdefault(frozenset(members), code)
    candidates = IndustryLabel.objects.filter(
        phase=phase, code__isnull=True, is_reference=False, edited_at__isnull=True
    ).order_by("pk")
    members_of: dict[int, set[int]] = {}
    for label_id, territory_id in IndustryLabel.territories.through.objects.filter(
        industrylabel__in=candidates
    ).values_list("industrylabel_id", "territory_id"):
        members_of.setdefault(label_id, set()).add(territory_id)
    matches: dict[str, list] = {}
    for label in candidates.defer("perimeter"):
        code = by_key.get(label_key(label.name)) or by_members.get(
            frozenset(members_of.get(label.pk, ()))
        )
        if code:
            matches.setdefault(code, []).append(label)
    return matches


def _reconcile_across_phases(data, by_kind, report) -> None:
    """A label an article made for one phase that only the other phase's list has (a 2025 text
    about a territory labelled from 2018 to 2022 only, given a second-phase copy by the
    importer before it knew the second list) joins the official label, as the importer now
    links such a text."""
    for phase, other in (
        (LabelPhase.SECOND, LabelPhase.FIRST),
        (LabelPhase.FIRST, LabelPhase.SECOND),
    ):
        rows = _label_rows(data, other)
        wanted_of = {
            row.code: {by_kind[kind][member].pk for kind, member in row.members} for row in rows
        }
        matches = _article_made_labels(phase, rows, wanted_of)
        if not matches:
            continue
        officials = {
            label.code: label
            for label in IndustryLabel.objects.filter(phase=other, code__in=matches)
        }
        for code, copies in matches.items():
            for copy in copies:
                industry_label_merge(survivor=officials[code], other=copy)
                report.reconciled += 1


def industry_label_merge(*, survivor: IndustryLabel, other: IndustryLabel) -> None:
    """Move the article links and editors' rejections of ``other`` to ``survivor``, then
    delete ``other``. An article linked to both keeps one link, confirmed if either was."""
    # Imported here: news depends on territories, not the other way round at import time.
    from django.contrib.contenttypes.models import ContentType

    from news.models import ArticleIndustryLabel, LinkRejection, LinkStatus

    kept = {link.article_id: link for link in survivor.article_links.all()}
    for link in ArticleIndustryLabel.objects.filter(label=other).order_by("status", "pk"):
        existing = kept.get(link.article_id)
        if existing is None:
            link.label = survivor
            link.save(update_fields=["label"])
            kept[link.article_id] = link
            continue
        if link.status == LinkStatus.CONFIRMED and existing.status != LinkStatus.CONFIRMED:
            existing.status = LinkStatus.CONFIRMED
            existing.save(update_fields=["status"])
        link.delete()
    content_type = ContentType.objects.get_for_model(IndustryLabel)
    rejected = set(
        LinkRejection.objects.filter(content_type=content_type, object_id=survivor.pk).values_list(
            "article_id", flat=True
        )
    )
    for rejection in LinkRejection.objects.filter(content_type=content_type, object_id=other.pk):
        if rejection.article_id in rejected or rejection.article_id in kept:
            rejection.delete()
        else:
            rejection.object_id = survivor.pk
            rejection.save(update_fields=["object_id"])
            rejected.add(rejection.article_id)
    other._change_reason = gettext("Rapproché de « %(name)s » (%(code)s)") % {
        "name": survivor.name,
        "code": survivor.code,
    }
    other.delete()


def reference_is_loaded() -> bool:
    return Territory.objects.filter(kind=TerritoryKind.REGION, is_reference=True).exists()


# Editors' curation ------------------------------------------------------------------------


# simple-history's default history_change_reason column
CHANGE_REASON_MAX_LENGTH = 100


def save_with_history(instance, *, user, reason: str = "", update_fields=None) -> None:
    """Save, recording in the object's history who made the change and why.

    simple-history reads ``_history_user`` on the instance, so a change made outside a request
    (shell, command, test) is attributed too."""
    instance._history_user = user
    if reason:
        instance._change_reason = reason[:CHANGE_REASON_MAX_LENGTH]
    instance.save(update_fields=update_fields)


def organisation_mark_edited(*, organisation: Organisation, user) -> Organisation:
    """Save an organisation an editor changed: imports no longer overwrite it."""
    organisation.edited_at = timezone.now()
    save_with_history(organisation, user=user)
    return organisation


def industry_label_mark_edited(*, label: IndustryLabel, user) -> IndustryLabel:
    """Save a label an editor changed: the reference loader keeps its name and members."""
    label.edited_at = timezone.now()
    save_with_history(label, user=user)
    return label


@dataclass
class OrganisationMergeReport:
    survivor: Organisation
    removed: list[str] = field(default_factory=list)
    links_moved: int = 0
    links_merged: int = 0
    aliases_added: int = 0
    rejections_moved: int = 0


FILLABLE_ORGANISATION_FIELDS = ("acronym", "website", "description", "home_territory")


@transaction.atomic
def organisation_merge(*, survivor: Organisation, others, user) -> OrganisationMergeReport:
    """Merge duplicate organisations into ``survivor``.

    Every article link and alias of the others moves to the survivor (an article linked to
    several of them keeps one link, confirmed if any was), their names and acronyms become
    aliases so that the importer resolves them to the survivor, empty fields of the survivor
    are filled from theirs, then they are deleted. The merge is recorded in the admin log and
    in each organisation's history.
    """
    # Imported here: news depends on territories, not the other way round at import time.
    from django.contrib.admin.models import CHANGE, DELETION, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from news.models import ArticleOrganisation, LinkRejection, LinkStatus

    others = [other for other in others if other.pk != survivor.pk]
    report = OrganisationMergeReport(survivor=survivor)
    if not others:
        return report
    other_ids = [other.pk for other in others]

    # Article links: move, or fold into the survivor's link to the same article.
    kept = {link.article_id: link for link in survivor.article_links.all()}
    links = ArticleOrganisation.objects.filter(organisation_id__in=other_ids).order_by(
        "status", "-confidence", "pk"
    )  # "confirmed" sorts before "suggested": the best link of each article comes first
    for link in links:
        existing = kept.get(link.article_id)
        if existing is None:
            link.organisation = survivor
            link.save(update_fields=["organisation"])
            kept[link.article_id] = link
            report.links_moved += 1
        else:
            if link.status == LinkStatus.CONFIRMED and existing.status != LinkStatus.CONFIRMED:
                existing.status = LinkStatus.CONFIRMED
                existing.save(update_fields=["status"])
            link.delete()
            report.links_merged += 1

    # Rejections: an editor's "not this organisation" on an article still holds after the
    # merge, unless the survivor is linked to that article.
    content_type = ContentType.objects.get_for_model(Organisation)
    rejected = set(
        LinkRejection.objects.filter(content_type=content_type, object_id=survivor.pk).values_list(
            "article_id", flat=True
        )
    )
    for rejection in LinkRejection.objects.filter(
        content_type=content_type, object_id__in=other_ids
    ):
        if rejection.article_id in rejected or rejection.article_id in kept:
            rejection.delete()
        else:
            rejection.object_id = survivor.pk
            rejection.save(update_fields=["object_id"])
            rejected.add(rejection.article_id)
            report.rejections_moved += 1

    # Aliases: the others' aliases, names and acronyms now designate the survivor.
    known = {survivor.normalized_name, *survivor.aliases.values_list("normalized", flat=True)}

    def add_alias(name: str, kind: str) -> None:
        key = organisation_key(name) or fold(name)
        if key and key not in known:
            OrganisationAlias.objects.create(organisation=survivor, name=name, kind=kind)
            known.add(key)
            report.aliases_added += 1

    for alias in OrganisationAlias.objects.filter(organisation_id__in=other_ids).order_by("pk"):
        add_alias(alias.name, alias.kind)
    for other in others:
        add_alias(other.name, AliasKind.USUAL)
        if other.acronym:
            add_alias(other.acronym, AliasKind.ACRONYM)
        for name in FILLABLE_ORGANISATION_FIELDS:
            if not getattr(survivor, name) and getattr(other, name):
                setattr(survivor, name, getattr(other, name))

    names = ", ".join(other.name for other in others)
    reason = gettext("Fusion : %(names)s") % {"names": names}
    user_id = getattr(user, "pk", None)
    if user_id is not None:
        LogEntry.objects.log_actions(
            user_id=user_id,
            queryset=others,
            action_flag=DELETION,
            change_message=gettext("Fusionnée dans « %(name)s » (n° %(pk)s)")
            % {"name": survivor.name, "pk": survivor.pk},
        )
    merged_into = gettext("Fusionnée dans « %(name)s »") % {"name": survivor.name}
    for other in others:
        other._history_user = user
        other._change_reason = merged_into[:CHANGE_REASON_MAX_LENGTH]
        report.removed.append(other.name)
        other.delete()

    survivor.edited_at = timezone.now()
    save_with_history(survivor, user=user, reason=reason)
    content_changed()
    if user_id is not None:
        LogEntry.objects.log_actions(
            user_id=user_id,
            queryset=[survivor],
            action_flag=CHANGE,
            change_message=gettext(
                "%(reason)s (%(links)d lien(s) d'article déplacé(s), %(aliases)d alias ajouté(s))"
            )
            % {"reason": reason, "links": report.links_moved, "aliases": report.aliases_added},
            single_object=True,
        )
    return report
