from news.ingest.actors import ActorFinder
from territories.naming import organisation_key


def names(mentions):
    return [m.name for m in mentions]


def test_people_are_found_with_their_role():
    text = (
        "Le pilotage sera assuré par Bernard Haesebroeck, vice-président de la MEL, "
        "et Gregory Marchant, dirigeant des sociétés Union Textile Tourcoing et Imattec. "
        "La CCI, représentée par son président, Jean-Marc Devise, signe. "
        "Le projet de loi présenté par les ministres Bruno Le Maire, Christophe Béchu et Roland "
        "Lescure."
    )
    people = {p.name: p.role for p in ActorFinder().people(text)}
    assert people["Bernard Haesebroeck"] == "vice-président de la MEL"
    assert people["Gregory Marchant"].startswith("dirigeant des sociétés")
    assert people["Jean-Marc Devise"] == "président"
    assert people["Christophe Béchu"] == "ministre"
    assert "Le Maire" not in people


def test_a_role_keeps_an_intercommunality_named_with_et():
    text = (
        "Thierry Colin, vice-président de la communauté de communes Moselle et Madon, a parlé "
        "après Claire Vasseur, directrice de la CCI et Paul Morel, gérant."
    )
    people = {p.name: p.role for p in ActorFinder().people(text)}
    assert people["Thierry Colin"] == "vice-président de la communauté de communes Moselle et Madon"
    assert people["Claire Vasseur"] == "directrice de la CCI"


def test_nationality_words_and_pairs_are_not_part_of_a_name():
    found = names(
        find(
            "Les sociétés comme l'Américain Boeing ont choisi l'ADEME et Bpifrance pour "
            "partenaires."
        )
    )
    assert "Américain Boeing" not in found
    assert {"ADEME", "Bpifrance"} <= set(found)


def test_a_person_with_a_known_first_name_is_no_organisation():
    assert "Nadège Rouxel" not in names(find("Le projet a été présenté par Nadège Rouxel hier."))


def find(text, known=None):
    return ActorFinder(known).organisations(text, place_spans=[], person_names=set())


def test_head_words_make_organisations():
    found = find("La CCI Artois et la Banque des Territoires soutiennent le Medef.")
    assert names(found) == ["CCI Artois", "Banque des Territoires", "Medef"]
    assert [m.kind for m in found] == ["chamber", "public_body", "network"]


def test_introduced_names_and_enumerations_make_companies():
    text = (
        "Une dizaine d'entreprises, parmi lesquelles, Peignage Dumortier, Dickson, ou Subremat. "
        "Deux entreprises, SME et SFL, veulent s'agrandir. L'entreprise Dodo est installée."
    )
    assert names(find(text)) == [
        "Peignage Dumortier",
        "Dickson",
        "Subremat",
        "SME",
        "SFL",
        "Dodo",
    ]


def test_acronym_in_brackets_is_kept():
    (mention,) = find("Le 10 juin est née l'association Porte du Hainaut Commerce (PHC).")
    assert (mention.name, mention.acronym, mention.kind) == (
        "Porte du Hainaut Commerce",
        "PHC",
        "association",
    )


def test_common_acronyms_and_projects_are_not_organisations():
    assert find("Les PME et les TPE du projet Smart City.") == []


def test_known_organisations_are_recognised_anywhere():
    (mention,) = find("Réunion au Symevad ce matin.", {organisation_key("Symevad"): 7})
    assert mention.known_id == 7


def test_spellings_of_one_organisation_share_a_key():
    assert organisation_key("Chambre de Commerce et d'Industrie Artois") == organisation_key(
        "CCI Artois"
    )
    assert organisation_key("Réseau Initiative Pays de Saint-Omer") == organisation_key(
        "Initiative Pays de Saint-Omer"
    )
