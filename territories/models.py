from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from territories.naming import SORT_KEY_LENGTH, fold, name_key, organisation_key, sort_key


def sort_name_field():
    """The stored collation key of a name (``naming.sort_key``), which lists are ordered by.

    Compared byte by byte on every database: SQLite's built-in ``BINARY`` collation, and on
    PostgreSQL a collation of the same name created by migration ``0004`` (the ``C`` locale),
    whatever the database's own locale.
    """
    return models.CharField(
        _("clé de tri"),
        max_length=SORT_KEY_LENGTH,
        editable=False,
        db_index=True,
        db_collation="BINARY",
        default="",
    )


class TerritoryKind(models.TextChoices):
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("Intercommunalité")
    COMMUNE = "commune", _("Commune")
    GROUPING = "groupement", _("Regroupement")


class EpciLegalForm(models.TextChoices):
    CC = "CC", _("Communauté de communes")
    CA = "CA", _("Communauté d'agglomération")
    CU = "CU", _("Communauté urbaine")
    METRO = "METRO", _("Métropole")
    MET69 = "MET69", _("Métropole de Lyon")


class TerritoryQuerySet(models.QuerySet):
    def within(self, territory):
        """The territory itself and every territory it contains (communes of an EPCI, …)."""
        return self.filter(self.within_q(territory))

    @staticmethod
    def within_q(territory, prefix=""):
        """A ``Q`` matching ``territory`` and what lies inside it, optionally through a relation."""

        def field(name):
            return f"{prefix}{name}"

        condition = Q(**{field("pk"): territory.pk})
        match territory.kind:
            case TerritoryKind.REGION:
                condition |= Q(**{field("region"): territory.pk})
            case TerritoryKind.DEPARTEMENT:
                condition |= Q(**{field("departement"): territory.pk})
                condition |= Q(**{field("departements"): territory.pk})
            case TerritoryKind.EPCI:
                condition |= Q(**{field("epci"): territory.pk})
            case TerritoryKind.GROUPING:
                condition |= Q(**{field("groupings"): territory.pk})
                condition |= Q(**{field("epci__groupings"): territory.pk})
        return condition


class Territory(models.Model):
    """A région, département, intercommunalité, commune or free grouping ("pays", SCoT…)."""

    kind = models.CharField(_("type"), max_length=12, choices=TerritoryKind.choices, db_index=True)
    # NULL, not "", for groupings without code: the (kind, code) unique constraint skips them.
    code = models.CharField(  # noqa: DJ001
        _("code officiel"),
        max_length=12,
        null=True,
        blank=True,
        help_text=_("Code INSEE (commune, département, région) ou SIREN (intercommunalité)."),
    )
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    legal_form = models.CharField(
        _("forme juridique"), max_length=5, choices=EpciLegalForm.choices, blank=True
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    region = models.ForeignKey(
        "self",
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="region_members",
        limit_choices_to={"kind": TerritoryKind.REGION},
    )
    departement = models.ForeignKey(
        "self",
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departement_members",
        limit_choices_to={"kind": TerritoryKind.DEPARTEMENT},
        help_text=_("Pour une intercommunalité : le département qui en porte la plus grande part."),
    )
    epci = models.ForeignKey(
        "self",
        verbose_name=_("intercommunalité"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        limit_choices_to={"kind": TerritoryKind.EPCI},
    )
    departements = models.ManyToManyField(
        "self",
        verbose_name=_("départements couverts"),
        symmetrical=False,
        blank=True,
        related_name="covered_by",
        limit_choices_to={"kind": TerritoryKind.DEPARTEMENT},
        help_text=_("Tous les départements d'une intercommunalité."),
    )
    members = models.ManyToManyField(
        "self",
        verbose_name=_("membres"),
        symmetrical=False,
        blank=True,
        related_name="groupings",
        help_text=_("Pour un regroupement : les territoires qui le composent."),
    )
    normalized_name = models.CharField(
        _("nom normalisé"), max_length=200, editable=False, db_index=True
    )
    sort_name = sort_name_field()
    is_reference = models.BooleanField(
        _("donnée de référence"),
        default=False,
        help_text=_("Chargé depuis les données officielles : ne peut pas être supprimé."),
    )
    is_obsolete = models.BooleanField(_("obsolète"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = TerritoryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["normalized_name", "sort_name", "updated_at"])

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["sort_name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=Q(code__isnull=False),
                name="territory_unique_kind_code",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="territory_kind_name_idx")]

    def __str__(self):
        if self.kind == TerritoryKind.COMMUNE and self.departement_code:
            return f"{self.name} ({self.departement_code})"
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = fold(self.name)
        self.sort_name = sort_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("territories:territory-detail", kwargs={"slug": self.slug})

    @property
    def departement_code(self):
        if self.kind == TerritoryKind.COMMUNE and self.code:
            return self.code[:3] if self.code.startswith("97") else self.code[:2]
        return None

    def ancestors(self):
        """Containing territories from the broadest: région, département, intercommunalité."""
        return [parent for parent in (self.region, self.departement, self.epci) if parent]


class AliasKind(models.TextChoices):
    ACRONYM = "acronym", _("Sigle")
    USUAL = "usual", _("Nom d'usage")
    LONG = "long", _("Forme développée")
    FORMER = "former", _("Ancien nom")


class AliasSource(models.TextChoices):
    REFERENCE = "reference", _("Données officielles")
    CURATED = "curated", _("Liste du projet")
    IMPORT = "import", _("Import")
    EDITOR = "editor", _("Éditeur")


class TerritoryAlias(models.Model):
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("alias"), max_length=200)
    normalized = models.CharField(_("clé"), max_length=200, editable=False, db_index=True)
    kind = models.CharField(
        _("type"), max_length=10, choices=AliasKind.choices, default=AliasKind.USUAL
    )
    source = models.CharField(
        _("origine"), max_length=10, choices=AliasSource.choices, default=AliasSource.EDITOR
    )

    class Meta:
        verbose_name = _("alias de territoire")
        verbose_name_plural = _("alias de territoire")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "normalized"], name="territory_alias_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = name_key(self.name)
        super().save(*args, **kwargs)


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Entreprise")
    ASSOCIATION = "association", _("Association")
    CHAMBER = "chamber", _("Chambre consulaire")
    AGENCY = "agency", _("Agence")
    NETWORK = "network", _("Réseau")
    PUBLIC_BODY = "public_body", _("Organisme public")
    EDUCATION = "education", _("Enseignement et recherche")
    OTHER = "other", _("Autre")


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("type"), max_length=12, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    acronym = models.CharField(_("sigle"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description"), blank=True)
    home_territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire d'implantation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
    )
    normalized_name = models.CharField(
        _("nom normalisé"), max_length=200, editable=False, unique=True
    )
    sort_name = sort_name_field()
    edited_at = models.DateTimeField(
        _("modifié par un éditeur le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Un import ne modifie plus une fiche qu'un éditeur a modifiée."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["normalized_name", "sort_name", "updated_at"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_name", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = organisation_key(self.name) or fold(self.name)
        self.sort_name = sort_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("territories:organisation-detail", kwargs={"slug": self.slug})


class OrganisationAlias(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    name = models.CharField(_("alias"), max_length=200)
    normalized = models.CharField(_("clé"), max_length=200, editable=False, db_index=True)
    kind = models.CharField(
        _("type"), max_length=10, choices=AliasKind.choices, default=AliasKind.USUAL
    )

    class Meta:
        verbose_name = _("alias d'organisation")
        verbose_name_plural = _("alias d'organisation")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "normalized"], name="organisation_alias_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = organisation_key(self.name) or fold(self.name)
        super().save(*args, **kwargs)


class Person(models.Model):
    """Someone named with a role in an article (élu, chef d'entreprise…)."""

    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    normalized_name = models.CharField(
        _("nom normalisé"), max_length=150, editable=False, unique=True
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = fold(self.name)
        super().save(*args, **kwargs)


class LabelPhase(models.TextChoices):
    FIRST = "2018-2022", _("Première phase (2018–2022)")
    SECOND = "2023-2027", _("Seconde phase (2023–2027)")


class IndustryLabel(models.Model):
    """A "Territoire d'industrie" label held by one or more territories (usually EPCIs)."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    # NULL when the label has no identifier. The two phases reuse identifiers for different
    # territories (ti-3213 is not the same territory in 2019 and in 2023): unique per phase.
    code = models.CharField(  # noqa: DJ001
        _("identifiant ANCT"),
        max_length=20,
        null=True,
        blank=True,
        help_text=_(
            "Identifiant du programme, par exemple ti-3204, unique dans sa phase : les deux "
            "phases réutilisent les mêmes identifiants pour des territoires différents."
        ),
    )
    phase = models.CharField(_("phase"), max_length=9, choices=LabelPhase.choices)
    region = models.ForeignKey(
        Territory,
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="region_industry_labels",
        limit_choices_to={"kind": TerritoryKind.REGION},
    )
    labelled_on = models.DateField(_("labellisé le"), null=True, blank=True)
    territories = models.ManyToManyField(
        Territory,
        verbose_name=_("territoires membres"),
        blank=True,
        related_name="industry_labels",
    )
    perimeter = models.JSONField(
        _("périmètre"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Géométrie GeoJSON simplifiée (WGS84)."),
    )
    normalized_name = models.CharField(
        _("nom normalisé"), max_length=200, editable=False, db_index=True
    )
    sort_name = sort_name_field()
    is_reference = models.BooleanField(_("donnée de référence"), default=False)
    edited_at = models.DateTimeField(
        _("modifié par un éditeur le"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["normalized_name", "sort_name", "updated_at", "perimeter"]
    )

    class Meta:
        verbose_name = _("territoire d'industrie")
        verbose_name_plural = _("territoires d'industrie")
        ordering = ["sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "phase"],
                condition=Q(code__isnull=False),
                name="industry_label_unique_code_phase",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = name_key(self.name)
        self.sort_name = sort_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("territories:label-detail", kwargs={"slug": self.slug})
