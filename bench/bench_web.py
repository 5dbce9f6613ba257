"""Time the public pages on 50,000 published articles and the full territorial reference.

make bench-web                                                  # SQLite
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make bench-web

Builds the data set with bulk inserts in a throw-away database (see common.py): the official
reference, 3,000 organisations, 30 second-phase labels, 60 tags and 50,000 published articles of
generated French text, each linked to one to four real territories (communes weighted by
population, some intercommunalités, départements and régions), organisations, labels and tags.
Then requests each page with Django's test client, warm, many times, and prints the median, the
95th percentile and the number of SQL queries per page. ``BENCH_ARTICLES`` and
``BENCH_REPEAT`` change the size and the number of requests.
"""

import datetime
import os
import random
import secrets
import statistics
import tempfile
import time

from common import bench_database, describe

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "50000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
ORGANISATIONS = 3000
SECOND_PHASE_LABELS = 30
BATCH = 2500

SECTORS = [
    "hydrogène",
    "aéronautique",
    "agroalimentaire",
    "métallurgie",
    "chimie",
    "textile",
    "automobile",
    "batteries",
    "recyclage",
    "filière bois",
    "plasturgie",
    "logistique",
    "numérique",
    "photovoltaïque",
    "éolien en mer",
    "verrerie",
    "santé",
    "ferroviaire",
]
ACTIONS = [
    "inaugure une nouvelle usine",
    "recrute cinquante salariés",
    "investit dix millions d'euros",
    "agrandit son site de production",
    "signe une convention avec l'agglomération",
    "ouvre un centre de formation",
    "relocalise sa production",
    "lance une ligne pilote",
    "reprend une friche industrielle",
    "accueille une délégation ministérielle",
]
KICKERS = ["Industrie", "Emploi", "Territoires", "Innovation", "Formation", "Énergie", "Économie"]
# Sentences are assembled from parts drawn with Zipf-like weights, so that words have the
# frequencies of real text: a few in most articles, most in few of them.
SUBJECTS = [
    "l'entreprise {organisation}",
    "la communauté d'agglomération",
    "le maire de {place}",
    "la direction du site",
    "la région",
    "l'État",
    "le syndicat mixte",
    "la chambre de commerce",
    "un groupe industriel",
    "le sous-traitant",
    "la préfecture",
    "le pôle de compétitivité",
    "une start-up locale",
    "le conseil départemental",
    "l'agence de développement",
    "le président de l'intercommunalité",
    "un fonds d'investissement",
    "la plateforme logistique",
    "le lycée professionnel",
    "l'usine de {place}",
]
VERBS = [
    "annonce",
    "prépare",
    "finance",
    "accompagne",
    "présente",
    "lance",
    "soutient",
    "engage",
    "confirme",
    "inaugure",
    "recrute pour",
    "étudie",
    "relance",
    "modernise",
    "célèbre",
    "négocie",
    "attend",
    "défend",
]
OBJECTS = [
    "un projet de {topic}",
    "l'extension du site",
    "une ligne de production",
    "un plan de formation",
    "la reconversion d'une friche",
    "un atelier de maintenance",
    "un démonstrateur de {topic}",
    "un programme de recrutement",
    "une nouvelle usine",
    "la décarbonation des procédés",
    "un centre de recherche",
    "un réseau de chaleur",
    "une zone d'activités",
    "un partenariat avec l'université",
    "la relocalisation d'une production",
    "un appel à projets",
    "une unité de recyclage",
    "la rénovation des bâtiments",
    "un investissement de dix millions d'euros",
    "une filière de {topic}",
]
CONTEXTS = [
    "à {place}",
    "d'ici la fin de l'année",
    "avec le soutien de la région",
    "dans le cadre de France 2030",
    "pour répondre à la demande",
    "malgré la hausse des coûts",
    "au printemps prochain",
    "après deux ans d'études",
    "avec les élus du territoire",
    "pour une cinquantaine d'emplois",
    "sur une ancienne friche",
    "en lien avec Pôle emploi",
    "au cœur du bassin minier",
    "près de la gare",
    "avec plusieurs entreprises voisines",
]
RARE_SENTENCES = [
    "La réindustrialisation du bassin est engagée, estime le président de l'intercommunalité.",
    "Ce projet d'hydrogène vert associe plusieurs industriels du territoire.",
]
SUBHEADINGS = ["Des emplois à la clé", "Un calendrier serré", "Le soutien des collectivités"]


def _zipf(options):
    return [1 / rank for rank in range(1, len(options) + 1)]


WEIGHTS = {id(part): _zipf(part) for part in (SUBJECTS, VERBS, OBJECTS, CONTEXTS)}


def _pick(rng, options):
    return rng.choices(options, WEIGHTS[id(options)])[0]


def _sentence(rng, values):
    parts = [_pick(rng, part) for part in (SUBJECTS, VERBS, OBJECTS, CONTEXTS)]
    text = " ".join(parts).format(**values)
    return f"{text[0].upper()}{text[1:]}."


def _text(rng, place, organisation, topic, sentences):
    values = {"place": place, "organisation": organisation, "topic": topic}
    return " ".join(_sentence(rng, values) for _ in range(sentences))


def build(rng):
    from django.db import connection, transaction
    from django.utils.text import slugify
    from taggit.models import Tag

    from news.models import (
        Article,
        ArticleIndustryLabel,
        ArticleOrganisation,
        ArticleStatus,
        ArticleTerritory,
        TaggedArticle,
    )
    from territories.models import (
        IndustryLabel,
        LabelPhase,
        Organisation,
        OrganisationKind,
        Territory,
        TerritoryKind,
    )
    from territories.naming import fold, organisation_key
    from territories.services import reference_load

    started = time.perf_counter()
    reference_load()
    print(f"reference loaded in {time.perf_counter() - started:.1f} s")  # noqa: T201

    communes = list(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE).values_list("pk", "name", "population")
    )
    commune_weights = [(population or 0) + 2000 for _, _, population in communes]
    epcis = list(Territory.objects.filter(kind=TerritoryKind.EPCI).values_list("pk", "name"))
    upper = list(
        Territory.objects.filter(
            kind__in=[TerritoryKind.DEPARTEMENT, TerritoryKind.REGION]
        ).values_list("pk", "name")
    )

    kinds = [kind for kind, _ in OrganisationKind.choices]
    organisations = []
    for n in range(ORGANISATIONS):
        name = f"{rng.choice(['Ateliers', 'Forges', 'Usines', 'Groupe', 'Industries'])} {n:04d}"
        name += f" {rng.choice(SECTORS).capitalize()}"
        organisations.append(
            Organisation(
                name=name,
                slug=f"{slugify(name)}-{n}",
                kind=rng.choice(kinds),
                normalized_name=organisation_key(name) or fold(name),
                home_territory_id=rng.choices(communes, commune_weights)[0][0],
            )
        )
    organisations = Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    organisation_names = {o.pk: o.name for o in organisations}
    organisation_ids = list(organisation_names)

    labels = []
    for n in range(SECOND_PHASE_LABELS):
        name = f"Territoire d'industrie de test {n}"
        labels.append(
            IndustryLabel(
                name=name,
                slug=f"ti-test-{n}",
                phase=LabelPhase.SECOND,
                normalized_name=fold(name),
            )
        )
    IndustryLabel.objects.bulk_create(labels)
    label_ids = list(IndustryLabel.objects.values_list("pk", flat=True))

    tags = Tag.objects.bulk_create(
        [Tag(name=sector, slug=slugify(sector)) for sector in SECTORS]
        + [Tag(name=f"thème {n}", slug=f"theme-{n}") for n in range(60 - len(SECTORS))]
    )
    tag_ids = [tag.pk for tag in tags]

    started = time.perf_counter()
    first_day = 17_500  # 2017-11
    for offset in range(0, ARTICLES, BATCH):
        articles, links = [], []
        for n in range(offset, min(offset + BATCH, ARTICLES)):
            places = [rng.choices(communes, commune_weights)[0] for _ in range(rng.randint(1, 3))]
            place_links = [pk for pk, _, _ in places]
            if rng.random() < 0.3:
                place_links.append(rng.choice(epcis)[0])
            if rng.random() < 0.1:
                place_links.append(rng.choice(upper)[0])
            chosen_organisations = rng.sample(organisation_ids, rng.choice([0, 1, 1, 2]))
            organisation = (
                organisation_names[chosen_organisations[0]]
                if chosen_organisations
                else "Une PME locale"
            )
            topic = rng.choice(SECTORS)
            place = places[0][1]
            title = f"{organisation} {rng.choice(ACTIONS)} à {place}"
            paragraphs = [_text(rng, place, organisation, topic, rng.randint(2, 4))]
            for _ in range(rng.randint(2, 5)):
                if rng.random() < 0.3:
                    paragraphs.append(f"## {rng.choice(SUBHEADINGS)}")
                paragraphs.append(_text(rng, place, organisation, topic, rng.randint(2, 4)))
            if rng.random() < 0.05:
                paragraphs.append(rng.choice(RARE_SENTENCES))
            articles.append(
                Article(
                    title=title,
                    slug=f"{slugify(title)[:90]}-{n}",
                    kicker=rng.choice(KICKERS),
                    lead=_text(rng, place, organisation, topic, 2),
                    body="\n\n".join(paragraphs),
                    published_on=(
                        None
                        if rng.random() < 0.02
                        else time_to_date(first_day + rng.randint(0, 3000))
                    ),
                    status=ArticleStatus.PUBLISHED,
                    publisher=rng.choice(["La Gazette", "Le Courrier", "L'Écho", ""]),
                )
            )
            links.append(
                (
                    set(place_links),
                    chosen_organisations,
                    [rng.choice(label_ids)] if rng.random() < 0.1 else [],
                    rng.sample(tag_ids, rng.randint(0, 3)),
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(articles)
            territory_rows, organisation_rows, label_rows, tag_rows = [], [], [], []
            for article, (places, orgs, labels, tags) in zip(created, links, strict=True):
                territory_rows += [
                    ArticleTerritory(article_id=article.pk, territory_id=pk) for pk in places
                ]
                organisation_rows += [
                    ArticleOrganisation(article_id=article.pk, organisation_id=pk) for pk in orgs
                ]
                label_rows += [
                    ArticleIndustryLabel(article_id=article.pk, label_id=pk) for pk in labels
                ]
                tag_rows += [TaggedArticle(content_object_id=article.pk, tag_id=pk) for pk in tags]
            ArticleTerritory.objects.bulk_create(territory_rows)
            ArticleOrganisation.objects.bulk_create(organisation_rows)
            ArticleIndustryLabel.objects.bulk_create(label_rows)
            TaggedArticle.objects.bulk_create(tag_rows)
    # A few drafts: they must stay invisible and cost nothing.
    Article.objects.filter(pk__in=[a.pk for a in created[:50]]).update(status="draft")
    elapsed = time.perf_counter() - started
    print(f"{ARTICLES} articles and their links built in {elapsed:.1f} s")  # noqa: T201
    # The steady state of a live database: statistics and visibility map up to date, as
    # autovacuum keeps them (index-only scans need the latter).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def time_to_date(days):
    return datetime.date(1970, 1, 1) + datetime.timedelta(days=days)


def pages(rng):
    """(name, list of URLs to cycle through) for each measured page."""
    from django.db.models import Count
    from django.urls import reverse

    from news.models import Article
    from territories.models import IndustryLabel, Organisation, Territory, TerritoryKind

    def slugs(queryset, count=20):
        return list(queryset.values_list("slug", flat=True)[:count])

    busy = Territory.objects.annotate(n=Count("article_links")).filter(n__gt=0).order_by("?")
    articles = slugs(Article.objects.published().order_by("?"))
    regions = slugs(Territory.objects.filter(kind=TerritoryKind.REGION))
    departements = slugs(Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).order_by("?"))
    epcis = slugs(busy.filter(kind=TerritoryKind.EPCI))
    communes = slugs(busy.filter(kind=TerritoryKind.COMMUNE))
    organisations = slugs(Organisation.objects.order_by("?"))
    labels = slugs(IndustryLabel.objects.order_by("?"))
    article_list = reverse("news:article-list")

    def detail(name, slugs_):
        return [reverse(name, kwargs={"slug": slug}) for slug in slugs_]

    return [
        ("home", [reverse("news:home")]),
        ("list", [article_list]),
        ("list page 40", [f"{article_list}?page=40"]),
        ("list by région", [f"{article_list}?region={slug}" for slug in regions]),
        ("list by département", [f"{article_list}?departement={slug}" for slug in departements]),
        ("list by EPCI", [f"{article_list}?territoire={slug}" for slug in epcis]),
        ("list by commune", [f"{article_list}?territoire={slug}" for slug in communes]),
        (
            "list combined",
            [f"{article_list}?region={slug}&etiquette=hydrogene&du=2020-01-01" for slug in regions],
        ),
        ("search common word", [f"{article_list}?q=usine"]),
        ("search rare word", [f"{article_list}?q=reindustrialisation"]),
        ("search two words", [f"{article_list}?q=hydrog%C3%A8ne+vert"]),
        (
            "search + région",
            [f"{article_list}?q=recrute&region={slug}" for slug in regions],
        ),
        ("article", detail("news:article-detail", articles)),
        ("territory: région", detail("territories:territory-detail", regions)),
        ("territory: département", detail("territories:territory-detail", departements)),
        ("territory: EPCI", detail("territories:territory-detail", epcis)),
        ("territory: commune", detail("territories:territory-detail", communes)),
        ("territory list", [reverse("territories:territory-list")]),
        ("organisation", detail("territories:organisation-detail", organisations)),
        ("label", detail("territories:label-detail", labels)),
        ("label list", [reverse("territories:label-list")]),
        ("map", [reverse("territories:label-map")]),
        ("feed", [reverse("news:feed-rss")]),
    ]


def measure(rng):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Not setup_test_environment(): it instruments every template render.
    client = Client()
    medians = []
    print(f"\n{'page':<24} {'timing':<34} queries")  # noqa: T201
    for name, urls in pages(rng):
        for url in urls:  # warm-up: caches, prepared plans
            assert client.get(url).status_code == 200, url
        samples, queries = [], set()
        for n in range(REPEAT):
            url = urls[n % len(urls)]
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                samples.append(time.perf_counter() - started)
            assert response.status_code == 200, url
            queries.add(len(captured.captured_queries))
        medians.append(statistics.median(samples))
        counts = "–".join(str(q) for q in sorted({min(queries), max(queries)}))
        print(f"{name:<24} {describe(samples):<34} {counts}")  # noqa: T201
    print(  # noqa: T201
        f"\nslowest median: {max(medians) * 1000:.1f} ms (target < 100 ms on PostgreSQL)"
    )


def main():
    # Production-like: no DEBUG (templates and queries are not instrumented).
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    rng = random.Random(20240618)
    # With DEBUG off, {% static %} reads the manifest that collectstatic writes.
    static_root = tempfile.TemporaryDirectory()
    os.environ.setdefault("STATIC_ROOT", static_root.name)
    with static_root, bench_database() as vendor:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"backend: {vendor}, {ARTICLES} articles, {REPEAT} requests per page")  # noqa: T201
        build(rng)
        measure(rng)


if __name__ == "__main__":
    main()
