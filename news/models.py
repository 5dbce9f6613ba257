from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from news.ingest.sources import publisher_from_url
from territories.models import IndustryLabel, Organisation, Person, Territory


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Jour")
    MONTH = "month", _("Mois")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The only definition of what the public may see."""
        return self.filter(status=ArticleStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=ArticleStatus.DRAFT)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("étiquette d'article")
        verbose_name_plural = _("étiquettes d'article")


class Article(models.Model):
    title = models.CharField(_("titre"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kicker = models.CharField(_("surtitre"), max_length=200, blank=True)
    lead = models.TextField(_("chapô"), blank=True)
    body = models.TextField(
        _("corps"),
        blank=True,
        help_text=_("Paragraphes séparés par une ligne vide ; un intertitre commence par « ## »."),
    )
    published_on = models.DateField(_("date"), null=True, blank=True, db_index=True)
    date_precision = models.CharField(
        _("précision de la date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    date_inferred = models.BooleanField(
        _("année déduite"),
        default=False,
        help_text=_("L'année ne figure pas près de la date : elle a été déduite du texte."),
    )
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        db_index=True,
    )
    needs_review = models.BooleanField(_("à vérifier"), default=False, db_index=True)
    review_notes = models.TextField(_("points à vérifier"), blank=True)
    publisher = models.CharField(_("éditeur de la source"), max_length=200, blank=True)
    source_url = models.URLField(
        _("adresse d’origine"),
        max_length=500,
        blank=True,
        help_text=_("Adresse de l’article chez son éditeur : les lecteurs y lisent la suite."),
    )
    is_brief = models.BooleanField(
        _("brève"),
        default=False,
        help_text=_(
            "Texte partiel (accroche ou texte coupé par la source) : la page publique le "
            "présente comme une brève et renvoie vers l’original."
        ),
    )
    source_file = models.CharField(_("fichier source"), max_length=255, blank=True)
    source_position = models.PositiveIntegerField(
        _("position dans le fichier"),
        default=0,
        help_text=_("Rang de l'article dans le fichier (0 pour le premier)."),
    )
    source_text = models.TextField(_("texte source brut"), blank=True)
    content_hash = models.CharField(  # noqa: DJ001 (unique, NULL for articles written by hand)
        _("empreinte du contenu"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empreinte du texte source : le même texte ne donne qu'un article."),
    )
    parser_version = models.PositiveIntegerField(_("version de l'analyseur"), default=0)
    import_run = models.ForeignKey(
        "ImportRun",
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    edited_at = models.DateTimeField(
        _("modifié par un éditeur le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Un import ne modifie plus un article qu'un éditeur a modifié."),
    )
    reviewed_at = models.DateTimeField(_("vérifié le"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifié par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    territories = models.ManyToManyField(
        Territory,
        verbose_name=_("territoires"),
        through="ArticleTerritory",
        blank=True,
        related_name="articles",
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations"),
        through="ArticleOrganisation",
        blank=True,
        related_name="articles",
    )
    industry_labels = models.ManyToManyField(
        IndustryLabel,
        verbose_name=_("territoires d'industrie"),
        through="ArticleIndustryLabel",
        blank=True,
        related_name="articles",
    )
    people = models.ManyToManyField(
        Person,
        verbose_name=_("personnes"),
        through="ArticlePerson",
        blank=True,
        related_name="articles",
    )
    tags = TaggableManager(verbose_name=_("étiquettes"), through=TaggedArticle, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_vector", "source_text"])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_on", "-created_at"]
        get_latest_by = "published_on"
        permissions = [("publish_article", _("Peut publier ou dépublier un article"))]
        indexes = [
            models.Index(fields=["status", "-published_on"], name="article_status_date_idx"),
            # The ids of published articles, read by every "has published articles" semi-join.
            models.Index(
                fields=["id"],
                condition=models.Q(status=ArticleStatus.PUBLISHED),
                name="article_published_id_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:article-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == ArticleStatus.PUBLISHED

    @property
    def source_name(self) -> str:
        """Who published the text first: the publisher, else the site of its address."""
        return self.publisher or publisher_from_url(self.source_url)

    def body_blocks(self):
        """The body as ``(kind, text)`` blocks, ``kind`` being "heading" or "paragraph"."""
        blocks = []
        for block in self.body.split("\n\n"):
            block = block.strip()
            if not block:
                continue
            if block.startswith("## "):
                blocks.append(("heading", block[3:].strip()))
            else:
                blocks.append(("paragraph", block))
        return blocks


class LinkStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggéré")
    CONFIRMED = "confirmed", _("Confirmé")


class LinkMethod(models.TextChoices):
    NAME = "name", _("Nom officiel")
    ALIAS = "alias", _("Alias ou sigle")
    CONTEXT = "context", _("Homonyme résolu par le contexte")
    FUZZY = "fuzzy", _("Rapprochement approché")
    PATTERN = "pattern", _("Motif du texte")
    NER = "ner", _("Reconnaissance d'entités (modèle)")
    LABEL = "label", _("Annonce de labellisation")
    EDITOR = "editor", _("Éditeur")


class LinkQuerySet(models.QuerySet):
    def public(self):
        """The only definition of a link readers see: one an editor (or the import's
        confirmation threshold) vouched for. Suggestions stay in the back-office."""
        return self.filter(status=LinkStatus.CONFIRMED)

    def suggested(self):
        return self.filter(status=LinkStatus.SUGGESTED)


class SuggestedLink(models.Model):
    """How an automatic link was made, so that an editor can confirm it or reject it."""

    method = models.CharField(
        _("méthode"), max_length=10, choices=LinkMethod.choices, default=LinkMethod.EDITOR
    )
    confidence = models.FloatField(_("confiance"), default=1.0)
    matched_text = models.CharField(_("texte repéré"), max_length=300, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.CONFIRMED
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    objects = LinkQuerySet.as_manager()

    class Meta:
        abstract = True


class ArticleTerritory(SuggestedLink):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="territory_links")
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        related_name="article_links",
    )

    class Meta:
        verbose_name = _("lien article–territoire")
        verbose_name_plural = _("liens article–territoire")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "territory"], name="article_territory_unique"
            )
        ]

    def __str__(self):
        return f"{self.article} → {self.territory}"


class ArticleOrganisation(SuggestedLink):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="organisation_links"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="article_links",
    )

    class Meta:
        verbose_name = _("lien article–organisation")
        verbose_name_plural = _("liens article–organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "organisation"], name="article_organisation_unique"
            )
        ]

    def __str__(self):
        return f"{self.article} → {self.organisation}"


class ArticleIndustryLabel(SuggestedLink):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="label_links")
    label = models.ForeignKey(
        IndustryLabel,
        verbose_name=_("territoire d'industrie"),
        on_delete=models.CASCADE,
        related_name="article_links",
    )

    class Meta:
        verbose_name = _("lien article–territoire d'industrie")
        verbose_name_plural = _("liens article–territoire d'industrie")
        constraints = [
            models.UniqueConstraint(fields=["article", "label"], name="article_label_unique")
        ]

    def __str__(self):
        return f"{self.article} → {self.label}"


class ArticlePerson(SuggestedLink):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="article_links"
    )
    role = models.CharField(_("fonction"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("personne citée")
        verbose_name_plural = _("personnes citées")
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="article_person_unique")
        ]

    def __str__(self):
        return f"{self.person} ({self.role})" if self.role else str(self.person)


class LinkRejection(models.Model):
    """An automatic link an editor rejected: the next import must not make it again."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="rejections")
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type d’objet"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("identifiant de l’objet"))
    target = GenericForeignKey("content_type", "object_id")
    matched_text = models.CharField(_("texte repéré"), max_length=300, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejeté par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    rejected_at = models.DateTimeField(_("rejeté le"), default=timezone.now)

    class Meta:
        verbose_name = _("lien rejeté")
        verbose_name_plural = _("liens rejetés")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "content_type", "object_id"], name="link_rejection_unique"
            )
        ]

    def __str__(self):
        return f"{self.article} ✕ {self.target}"


class ImportRunStatus(models.TextChoices):
    RUNNING = "running", _("En cours")
    SUCCEEDED = "succeeded", _("Réussi")
    PARTIAL = "partial", _("Réussi avec des erreurs")
    FAILED = "failed", _("Échoué")
    # The process died (kill, crash, power cut) or was stopped before the end of the batch.
    INTERRUPTED = "interrupted", _("Interrompu")


class ImportRun(models.Model):
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    triggered_by = models.CharField(_("lancé par"), max_length=200, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=ImportRunStatus.choices,
        default=ImportRunStatus.RUNNING,
    )
    # Who runs it and when it last showed signs of life: a run still "running" whose process
    # is gone is shown as interrupted (see news.services.imports.import_runs_interrupted).
    host = models.CharField(_("machine"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("processus"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    dry_run = models.BooleanField(_("simulation"), default=False)
    summary = models.JSONField(_("bilan"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        # Runs are records written by the importer: no "add" or "change" for anyone. This
        # one lets an editor start one from the admin ("Importer un lot").
        permissions = [("import_batch", _("Peut importer un lot"))]

    def __str__(self):
        local = timezone.localtime(self.started_at)
        return _("Import du %(date)s") % {"date": local.strftime("%d/%m/%Y %H:%M")}


class FileOutcome(models.TextChoices):
    IMPORTED = "imported", _("Importé")
    UNCHANGED = "unchanged", _("Inchangé")
    SKIPPED = "skipped", _("Ignoré")
    FAILED = "failed", _("Échec")


class ImportFileResult(models.Model):
    run = models.ForeignKey(
        ImportRun, verbose_name=_("import"), on_delete=models.CASCADE, related_name="files"
    )
    path = models.CharField(_("chemin"), max_length=500)
    outcome = models.CharField(_("résultat"), max_length=10, choices=FileOutcome.choices)
    reason = models.TextField(_("raison"), blank=True)
    content_hash = models.CharField(_("empreinte"), max_length=64, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("fichier importé")
        verbose_name_plural = _("fichiers importés")
        ordering = ["run", "pk"]

    def __str__(self):
        return f"{self.path} : {self.get_outcome_display()}"


class SourceDocument(models.Model):
    """A raw file already imported: an unchanged file is skipped without being parsed again."""

    content_hash = models.CharField(_("empreinte"), max_length=64, unique=True)
    name = models.CharField(_("nom du fichier"), max_length=255)
    parser_version = models.PositiveIntegerField(_("version de l'analyseur"))
    first_run = models.ForeignKey(
        ImportRun,
        verbose_name=_("premier import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("importé le"), default=timezone.now)

    class Meta:
        verbose_name = _("document source")
        verbose_name_plural = _("documents sources")
        ordering = ["-imported_at"]

    def __str__(self):
        return self.name


class ContentVersion(models.Model):
    """The version of everything the public sees: one row, a new token at every change.

    Public pages and the data they derive are cached under the token (``news.versioning``):
    a write to public content gives the row a new token when its transaction commits, and
    what was cached under the old one is never served again.
    """

    SINGLETON = 1

    token = models.CharField(_("jeton"), max_length=32)
    changed_at = models.DateTimeField(_("modifié le"), default=timezone.now)

    class Meta:
        verbose_name = _("version du contenu public")
        verbose_name_plural = _("versions du contenu public")

    def __str__(self):
        return self.token
