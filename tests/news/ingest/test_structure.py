from pathlib import Path

from news.ingest.structure import clean_lines, segment
from news.ingest.text import normalize_text

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return normalize_text(path.read_text(encoding="utf-8"))


def test_site_chrome_lines_are_removed():
    page = "\n".join(
        [
            "Menu",
            "Suivez nous",
            "Partager",
            "S'abonner",
            "lorrup events gabarit newsletter section 1 & dev eco 4 45",
            "Le titre de l'article sur la zone d'activités",
            "Un paragraphe assez long pour être un paragraphe de texte, avec un point final.",
            "La zone — Photo : Brad Pict - stock.adobe.com",
            "Télécharger la fiche détaillée",
            "Remplissez le formulaire ci-dessous pour recevoir la fiche détaillée :",
        ]
    )
    lines, _tags, _raw = clean_lines(page)
    assert lines == [
        "Le titre de l'article sur la zone d'activités",
        "Un paragraphe assez long pour être un paragraphe de texte, avec un point final.",
    ]


def test_tag_lines_become_tags():
    lines, tags, _raw = clean_lines("Nord # Industrie # Collectivités territoriales\nTexte")
    assert tags == ["Nord", "Industrie", "Collectivités territoriales"]
    assert lines == ["Texte"]


def test_related_articles_block_is_cut():
    page = (
        "Titre de la page ici\n" + "Un long paragraphe de texte. " * 8 + "\nArticles récents\nAutre"
    )
    lines, _tags, _raw = clean_lines(page)
    assert "Autre" not in lines


def test_caption_printed_twice_is_dropped_both_times():
    caption = "Développer le réseau de compétences pour optimiser la performance publique."
    page = f"Titre de la page ici\n{caption}\n{caption}\n" + "Un long paragraphe. " * 10
    lines, _tags, _raw = clean_lines(page)
    assert caption not in lines


def test_teaser_followed_by_read_more_is_dropped():
    body = ("Un long paragraphe de texte sur la zone. " * 5).strip()
    page = (
        f"Titre de la page ici\n{body}\nÀ Metz, une conférence de presse...\nLire la suiteDetails"
    )
    lines, _tags, _raw = clean_lines(page)
    assert lines == ["Titre de la page ici", body]


def test_digest_gives_one_item_per_brief_and_drops_section_headers():
    page = segment(seed("000"))
    assert page.is_digest
    assert len(page.items) == 10
    assert all("Territoires" != item.title for item in page.items)


def test_brief_kicker_title_and_lead():
    page = segment(seed("000"))
    brief = page.items[9]
    assert brief.kicker == ""
    assert brief.title == "Communauté de communes du Pays d’Opale"
    assert brief.lead.startswith("Ça y est ! La communauté de communes du Pays d’Opale (CCPO)")


def test_single_article_has_kicker_title_lead_and_subheadings():
    (item,) = segment(seed("003")).items
    assert item.title == (
        "Mise en œuvre du programme Territoires d’industrie au cœur du pays Terres de Lorraine"
    )
    assert item.date_lines == ["13 janvier 2025"]
    assert item.lead.startswith("Porté par sa dynamique industrielle")
    assert "## Un comité de pilotage engagé" in item.body
    assert "Matinale chez Flavien" not in item.body


def test_teaser_cards_after_the_text_are_not_part_of_it():
    (item,) = segment(seed("002")).items
    assert "20.07.2020" not in item.text
    assert "pack rebond" not in item.text
    # The card printed above the text and again after it is another article's, not a title.
    assert "Coeur de Flandre" not in item.text
    assert "Hauts-de-France" not in item.text
    assert item.kicker == "Réindustrialisation"
    assert item.lead.startswith("Comme annoncé par le Président de la République")


def test_cut_scrape_is_marked_and_trimmed():
    page = (
        "Le titre de la page ici\n"
        + "Un paragraphe complet. " * 8
        + "Les travaux devraient se term"
    )
    (item,) = segment(page).items
    assert item.lead.endswith("Les travaux devraient se…")
    assert item.truncated


def test_a_page_without_any_text_gives_no_item():
    assert segment("Menu\nPartager\nS'abonner\nSuivez nous").items == []


def test_title_is_derived_when_the_page_has_none():
    (item,) = segment(
        "Salvatore Coscarella le souligne volontiers : le territoire attire. " * 3
    ).items
    assert item.title.startswith("Salvatore Coscarella le souligne volontiers")
    assert any("Titre déduit" in note for note in item.notes)


def test_a_brief_whose_first_sentence_is_too_long_keeps_it_whole_in_the_lead():
    first = "Au sein du Clos des Saveurs, " + "dix entrepreneurs réunis autour d'un café, " * 5
    page = "\n".join(f"{first.strip(', ')}. Puis la suite numéro {n}…" for n in range(3))
    brief = segment(page).items[0]
    assert brief.title.endswith("…")
    assert brief.lead.startswith(first.strip(", ") + ". Puis la suite")


def test_a_brief_with_a_heading_and_a_long_first_sentence_takes_its_heading_as_title():
    brief = segment(seed("000")).items[6]
    assert brief.title == "À Évin-Malmaison, près de Lens"
    assert brief.kicker == ""
    assert brief.lead.startswith("Depuis 2011, c’est dans les locaux du Symevad")


def test_the_word_a_source_cut_before_its_ellipsis_is_dropped():
    briefs = segment(seed("000")).items
    assert briefs[7].lead.endswith("fondateur de l’association Y croire pour agir, a…")
    assert briefs[9].lead.endswith("une fracture numérique très visible sur le…")
    assert all(brief.truncated for brief in briefs[4:])


def test_a_brief_ending_on_a_whole_word_keeps_its_last_word_before_a_spaced_ellipsis():
    page = "\n".join(
        f"Landes. Une usine ouvre à Tartas numéro {n}. Elle embauche cette année …"
        for n in range(3)
    )
    assert segment(page).items[0].lead.endswith("cette année …")
