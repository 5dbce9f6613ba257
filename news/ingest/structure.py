"""From a scraped page to article parts: chrome removed, digest briefs split, title found.

The rules read the shape of the page (short lines around long paragraphs, repeated lines,
teaser cards, related-article blocks), not the wording of one site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from news.ingest.lexicon import (
    CHROME_LINES,
    CHROME_PREFIXES,
    PUBLISHER_SIGNATURES,
    RELATED_BLOCK_HEADINGS,
    SECTION_HEADINGS,
)
from news.ingest.sources import page_source, publisher_from_url, source_line
from territories.naming import fold

_TERMINAL_RE = re.compile(r"[.!?…]\s*[»\"”)]?$|\.\.\.$")
_DATED_HEADLINE_RE = re.compile(
    r"^(\d{1,2}(?:er)?\s+[a-zéû]+\.?(?:\s+\d{4})?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\s*[|–—]\s*"
    r"([A-ZÀ-Ý«\"].+)$"
)
_LISTED_HEADLINE_RE = re.compile(r"^(?:>|›|»|►)\s+(?=[A-ZÀ-Ý])")
_BULLET_RE = re.compile(r"^(?:[•·▪◦●■►*]|-|–|—)\s+")
_CREDIT_RE = re.compile(
    r"(?:[—–-]\s*(?:photos?|crédits?(?: photo)?|illustration|image)\s*:)"
    r"|(?:^\s*(?:photos?|crédits?(?: photo)?|illustration)\s*:)"
    r"|(?:©|\(c\)\s|\bstock\.adobe\.com\b|\bshutterstock\b|\bgetty ?images\b|\bistock\b)"
    r"|(?:(?:^|\s)D\.\s?R\.?\s*$)"
    r"|(?:\((?:photos?|crédits?(?: photo)?|illustration)\s*:[^)]{0,80}\)\s*$)"
    r"|(?:[.»]\s+(?:photos?|crédits?(?: photo)?)\s*:\s*[^.]{2,80}$)",
    re.IGNORECASE,
)
_IMAGE_WORDS_RE = re.compile(r"\b(?:scaled|jpe?g|png|webp|gabarit|dsc\d*|img_?\d*|e\d{9,})\b", re.I)
# Markup of a teaser card glued to the next element: "Territoires d'industrieUne stratégie…".
_GLUED_CARD_RE = re.compile(
    r"[a-zà-ÿ]{3}(?:Une|Un|Actualités?|Article|Lire|Publié|Voir|Découvrir|Communiqué|"
    r"Agenda|Événement|Dossier|Vidéo|Podcast|Interview)\b"
)
_READ_MORE_RE = re.compile(r"lire la suite|en savoir plus|lire l'article", re.I)
_PUBLISHED_BY_RE = re.compile(r"^publi[ée]e? le\b.*?\bpar\s+(.+)$", re.I)
_DATE_LINE_RE = re.compile(
    r"^(?:(?:publi[ée]e?|mis en ligne|mise à jour|mis à jour)\s+le\s+)?"
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(?:\d{1,2}(?:er)?\s+\w+\.?\s+\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
    r"(?:\s*(?:à|-)\s*\d{1,2}\s*[h:]\s*\d{0,2})?\s*$",
    re.I,
)
_DATE_RE = re.compile(
    r"\b(?:\d{1,2}(?:er)?\s+(?:janv|f[ée]vr|mars|avr|mai|juin|juil|ao[ûu]t|sept|oct|nov|d[ée]c)"
    r"[a-zéû]*\.?(?:\s+\d{4})?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b",
    re.I,
)
# "Publié le 4 mai 2024 | Dernière mise à jour le 6 mai", "Auteur | Pays | Publié le 03/02/2021".
_STAMP_RE = re.compile(
    r"\b(?:publi[ée]e?|mis en ligne|mise? à jour|modifi[ée]e?)\b(?:\s+le)?", re.I
)
# "Haut-Rhin – 10/09/2024", "Douai, le 12 mars 2024", "10 juin –": a kicker or a dateline.
_DATELINE_RE = re.compile(
    r"^(?:[\w'’ -]{2,40}?(?:\s[–—-]\s|,\s+le\s+|\s+le\s+)|du\s+|le\s+)?"
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(?:\d{1,2}(?:er)?\s+\w+\.?(?:\s+\d{4})?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
    r"(?:\s*(?:à|-)\s*\d{1,2}\s*[h:]\s*\d{0,2})?\s*[–—:-]?\s*$",
    re.I,
)
# A breadcrumb: "Accueil > Économie > Morbihan", "Économie › Industrie", "Accueil / Actualités".
_BREADCRUMB_RE = re.compile(r"^(?:[^>›»/|]{1,40}\s[>›»/]\s){1,6}[^>›»/|]{1,60}$")
# "par Camille Ferrand", "Par la rédaction": the author, never the title.
_AUTHOR_RE = re.compile(
    r"^(?:par|texte\s*:|propos recueillis par)\s+[A-ZÀ-Ýa-z][\w'’.-]*(?:\s+[\w'’.-]+){0,3}"
    r"(?:\s*[,|–-].{0,100})?$",
    re.I,
)
_MAIL_HEADER_RE = re.compile(r"^(?:de|à|a|objet|date|envoyé|cc|répondre à)\s*:\s", re.I)
_ISSUE_RE = re.compile(r"\b[Nn][°º]\s*\d+\b")
_READING_TIME_RE = re.compile(r"^(?:temps de )?lecture\s*:?\s*\d+\s*min", re.I)
_LEADING_DATE_RE = re.compile(
    r"^((?:\d{1,2}(?:er)?\s+[a-zéû]+\.?(?:\s+\d{4})?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}))"
    r"\s*[–—-]\s+(?=[A-ZÀ-Ý«\"])"
)
_SENTENCE_RE = re.compile(r"(?<=[.!?…])\s+(?=[«\"“A-ZÀ-ÖØ-Ý0-9])")

MIN_PARAGRAPH_WORDS = 8
CAPTION_MAX_CHARS = 250
LONG_LINE = 160
TITLE_MAX_CHARS = 180


@dataclass
class Block:
    text: str
    kind: str  # "paragraph", "bullet" or "short"


@dataclass
class RawItem:
    """One article's parts before entity extraction."""

    position: int
    title: str
    kicker: str
    lead: str
    body_blocks: list[tuple[str, str]]  # ("heading" | "paragraph" | "list", text)
    header_lines: list[str] = field(default_factory=list)  # kept for entities, not shown
    date_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    truncated: bool = False
    # The page's own date lines, for a brief of a digest that gives no date of its own.
    page_date_lines: list[str] = field(default_factory=list)
    # Whether a date of the text may stand for the publication date (briefs of a digest).
    dated_by_text: bool = False

    @property
    def body(self) -> str:
        parts = []
        for kind, text in self.body_blocks:
            parts.append(f"## {text}" if kind == "heading" else text)
        return "\n\n".join(parts)

    @property
    def text(self) -> str:
        """Everything the reader sees, in order."""
        return "\n".join(part for part in [self.kicker, self.title, self.lead, self.body] if part)


@dataclass
class Page:
    items: list[RawItem]
    tags: list[str]
    publisher: str
    is_digest: bool
    notes: list[str] = field(default_factory=list)
    source_url: str = ""


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _is_paragraph(line: str) -> bool:
    if len(line) >= LONG_LINE:
        return True
    if line.rstrip().endswith(("?", "!")) and _word_count(line) <= 14:
        return False  # "Le port de Brest peut-il redevenir un port industriel ?": a headline
    return bool(_TERMINAL_RE.search(line)) and _word_count(line) >= MIN_PARAGRAPH_WORDS


def _tag_line(line: str) -> list[str] | None:
    """ "Nord # Industrie # Collectivités territoriales" -> its tags."""
    if "#" not in line:
        return None
    parts = [part.strip(" #") for part in re.split(r"\s*#\s*", line)]
    parts = [part for part in parts if part]
    if len(parts) < 2 and not line.lstrip().startswith("#"):
        return None
    if any(_word_count(part) > 5 for part in parts):
        return None
    return parts


def _is_alt_text(line: str) -> bool:
    """Image file names and alt texts: lower-case word salad with numbers, no sentence."""
    if _TERMINAL_RE.search(line) or not line[:1].islower() or _DATE_RE.search(line):
        return False
    return bool(_IMAGE_WORDS_RE.search(line) or re.search(r"\b\d+\b.*\b\d+\b$", line))


def _is_chrome(line: str, folded: str) -> bool:
    if not folded:
        return True
    if folded in CHROME_LINES or folded.startswith(CHROME_PREFIXES):
        return True
    if _CREDIT_RE.search(line):
        return True
    if _is_alt_text(line):
        return True
    if _GLUED_CARD_RE.search(line) and not _is_paragraph(line):
        return True
    return False


def _publisher_from(lines: list[str]) -> str:
    for line in lines:
        match = _PUBLISHED_BY_RE.match(line)
        if match:
            return match.group(1).strip(" .")
    folded_page = " ".join(fold(line) for line in lines)
    for signature, name in PUBLISHER_SIGNATURES.items():
        if f" {signature} " in f" {folded_page} ":
            return name
    return ""


def clean_lines(text: str) -> tuple[list[str], list[str], list[str]]:
    """Remove chrome: returns (content lines, tags, all original non-blank lines)."""
    raw_lines = [line for line in text.split("\n") if line.strip()]
    # Three "Lire la suite" or more: the page lists teasers of articles, each one kept.
    listing = sum(1 for line in raw_lines if _READ_MORE_RE.search(line[-40:])) >= 3
    tags: list[str] = []
    kept: list[str] = []
    seen_paragraph = False
    for index, line in enumerate(raw_lines):
        folded = fold(line)
        line_tags = _tag_line(line)
        if line_tags:
            tags.extend(tag for tag in line_tags if tag not in tags)
            continue
        if folded in RELATED_BLOCK_HEADINGS:
            if seen_paragraph:
                break  # the rest of the page lists other articles
            continue
        if _READ_MORE_RE.match(line):
            # "Lire la suite": the paragraph just before was the teaser of another article —
            # unless the page is a list of such teasers.
            if not listing and kept and kept[-1].rstrip().endswith(("…", "...")):
                kept.pop()
            continue
        if _READ_MORE_RE.search(line) and line.rstrip().lower().endswith(("suite", "plus")):
            if not listing or len(line) < LONG_LINE:
                continue
            line = _READ_MORE_RE.sub("", line).rstrip(" ›>→-–")
            folded = fold(line)
        if _is_chrome(line, folded):
            continue
        if source_line(line) is not None:
            continue  # "Source : https://…": recorded by page_source(), not article text
        if _PUBLISHED_BY_RE.match(line):
            continue
        # A line printed twice in a row is an image caption, both times.
        neighbours = raw_lines[index - 1 : index] + raw_lines[index + 1 : index + 2]
        if len(line) <= CAPTION_MAX_CHARS and any(fold(n) == folded for n in neighbours):
            continue
        kept.append(line)
        seen_paragraph = seen_paragraph or _is_paragraph(line)
    kept = _without_repeated_card(kept, raw_lines)
    # A line already seen earlier is a repeated title, caption or teaser card.
    unique, seen = [], set()
    for line in kept:
        folded = fold(line)
        if folded in seen:
            continue
        seen.add(folded)
        unique.append(line)
    return unique, tags, raw_lines


def _holds_run(lines: list[str], run: list[str]) -> bool:
    return any(lines[i : i + len(run)] == run for i in range(len(lines) - len(run) + 1))


def _without_repeated_card(kept: list[str], raw_lines: list[str]) -> list[str]:
    """A teaser card printed above the text and again after it ("Hauts-de-France / Pays de
    Saint-Omer (62) / Coeur de Flandre : …", another article of the site) is not the page's
    headline: the run of two or more lines found again, in order, after the text goes."""
    paragraphs = [i for i, line in enumerate(kept) if _is_paragraph(line)]
    if not paragraphs:
        return kept
    first = paragraphs[0]
    last_text = kept[paragraphs[-1]]
    after = len(raw_lines) - raw_lines[::-1].index(last_text) if last_text in raw_lines else 0
    tail = [fold(line) for line in raw_lines[after:]]
    head = [fold(line) for line in kept[:first]]
    for start in range(len(head) - 1):
        for end in range(len(head), start + 1, -1):
            if _holds_run(tail, head[start:end]):
                return kept[:start] + kept[end:]
    return kept


def _blocks(lines: list[str]) -> list[Block]:
    blocks = []
    for line in lines:
        dated = _DATED_HEADLINE_RE.match(line)
        if dated and _is_headline(dated.group(2)):
            # "12 mars | Sochaux : un centre de formation ouvre": a date, then a headline.
            blocks.append(Block(dated.group(1), "short"))
            blocks.append(Block(dated.group(2), "short"))
        elif _LISTED_HEADLINE_RE.match(line) and len(line) <= TITLE_MAX_CHARS:
            # "> Bolbec : la filature reprise par un groupe textile." in a press review.
            blocks.append(Block(_LISTED_HEADLINE_RE.sub("", line).rstrip(" ."), "short"))
        elif _BULLET_RE.match(line):
            blocks.append(Block(_BULLET_RE.sub("", line), "bullet"))
        elif _is_paragraph(line):
            blocks.append(Block(line, "paragraph"))
        else:
            blocks.append(Block(line, "short"))
    return blocks


def _is_date_line(line: str) -> bool:
    """A line that dates the article: a plain date, a byline with a date stamp, a dateline."""
    if _DATE_LINE_RE.match(line):
        return True
    if len(line) > LONG_LINE or not _DATE_RE.search(line):
        return False
    if _STAMP_RE.search(line) or "|" in line:
        return True
    return bool(_DATELINE_RE.match(line)) and _word_count(line) <= 10


def _is_meta_line(line: str) -> bool:
    """Bylines, reading times and breadcrumbs: around an article, never its title or text."""
    if len(line) > LONG_LINE:
        return False
    if _AUTHOR_RE.match(line) and _word_count(line) <= 20 and not _TERMINAL_RE.search(line):
        return True
    if _ISSUE_RE.search(line) and _word_count(line) <= 12:
        return True  # "Méditerranée Affaires N° 1234 – Mars 2024": the magazine's issue
    if _READING_TIME_RE.match(line) or _BREADCRUMB_RE.match(line) or _MAIL_HEADER_RE.match(line):
        return True
    # "Martine Roussel | France | 3 commentaires": pipes between short fields.
    parts = [part.strip() for part in line.split("|")]
    return len(parts) >= 2 and all(0 < _word_count(part) <= 6 for part in parts)


def _is_headline(line: str) -> bool:
    words = _word_count(line)
    if words < 3 or words > 30 or len(line) > TITLE_MAX_CHARS:
        return False
    if _is_date_line(line) or _is_meta_line(line):
        return False
    if line.isupper():
        return False  # a section heading in capitals
    return not line.rstrip().endswith((".", ":", ";", ","))


def _title_index(header: list[str], stamped: set[str] = frozenset()) -> int | None:
    """The headline among the lines above the text.

    The line just above a byline or a date stamp (or just below a press release's dateline),
    if any; otherwise the full headline nearest the text (a short section label such as
    "Économie dans le Morbihan" gives way to a real headline)."""
    candidates = [i for i, line in enumerate(header) if _is_headline(line)]
    if not candidates:
        return None
    marked = [i for i in candidates if header[i] in stamped and _word_count(header[i]) >= 4]
    if marked:
        return marked[-1]
    full = [i for i in candidates if _word_count(header[i]) >= 5]
    if not full:
        return candidates[-1]
    # The run of consecutive headline lines closest to the text: its first line is the title.
    return full[-1]


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_RE.split(text) if part.strip()]


def _derive_title(paragraph: str) -> str:
    sentence = split_sentences(paragraph)[0].rstrip(" .")
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence
    cut = sentence[:TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:")
    return f"{cut}…"


def _trim_cut_word(text: str) -> tuple[str, bool]:
    """A scrape that stops mid-sentence ("Les travaux devraient se term"): mark the cut."""
    stripped = text.rstrip()
    if _TERMINAL_RE.search(stripped) or stripped.endswith((":", "»", '"', ")")):
        return text, stripped.endswith(("…", "..."))
    words = stripped.split(" ")
    if len(words) > 3:
        stripped = " ".join(words[:-1]).rstrip(" ,;:")
    return f"{stripped}…", True


def _drop_cut_word(text: str) -> str:
    """A teaser cut by its source ("…a décr…", "…le te…"): the word touching the ellipsis may
    be cut, so it goes; the ellipsis stays. Nothing is dropped after a space or punctuation."""
    stripped = text.rstrip()
    ellipsis = "…" if stripped.endswith("…") else "..." if stripped.endswith("...") else ""
    head = stripped[: len(stripped) - len(ellipsis)] if ellipsis else ""
    if not head or not head[-1].isalpha():
        return text
    words = head.split(" ")
    if len(words) <= 3:
        return text
    return " ".join(words[:-1]).rstrip(" ,;:'’") + "…"


def _body_blocks(blocks: list[Block]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for block in blocks:
        if block.kind == "bullet":
            if out and out[-1][0] == "list":
                out[-1] = ("list", f"{out[-1][1]}\n- {block.text}")
            else:
                out.append(("list", f"- {block.text}"))
        elif block.kind == "paragraph":
            out.append(("paragraph", block.text))
        else:
            out.append(("heading", block.text.rstrip(" :")))
    # A heading with nothing after it heads nothing.
    while out and out[-1][0] == "heading":
        out.pop()
    return out


def _single_article(blocks: list[Block], *, ends_file: bool) -> RawItem | None:
    first = next((i for i, b in enumerate(blocks) if b.kind != "short"), None)
    if first is None:
        return None
    last = max(i for i, b in enumerate(blocks) if b.kind != "short")
    header = [b.text for b in blocks[:first]]
    content = blocks[first : last + 1]
    # A byline or a date stamp under the standfirst ("Par …", "Publié le …") is no part of
    # the text; a date stamp there still dates the article.
    stamps = [b.text for b in content if b.kind == "short" and _is_date_line(b.text)]
    content = [
        b
        for b in content
        if not (b.kind == "short" and (b.text in stamps or _is_meta_line(b.text)))
    ]

    date_lines = [line for line in header if _is_date_line(line)] + stamps
    # The headline is the line a byline or a date stamp follows, when there is one.
    stamped = {
        line
        for line, following in zip(header, header[1:], strict=False)
        if _is_date_line(following) or _is_meta_line(following)
    }
    # A press release: "Bergerac, le 10 septembre 2024", then its headline.
    stamped |= {
        line
        for previous, line in zip(header, header[1:], strict=False)
        if _DATELINE_RE.match(previous) and "," in previous
    }
    header = [line for line in header if line not in date_lines and not _is_meta_line(line)]
    notes: list[str] = []
    title_index = _title_index(header, stamped)
    kicker, extras = "", []
    if title_index is not None:
        title = header[title_index]
        before = header[:title_index]
        after = header[title_index + 1 :]
        # Above the title: a kicker and a rubric or two ("Hauts-de-France" over "Pays de
        # Saint-Omer (62)"); more lines than that are the site's menus, kicker-looking or not.
        if before and len(before) <= 3:
            kicker = before[-1]
            extras.extend(before[:-1])
        if after:
            if not kicker and _word_count(after[0]) <= 6:
                kicker = after[0]
                extras.extend(after[1:])
            else:
                extras.extend(after)
    else:
        title = ""
        if header:
            kicker = header[-1]

    if fold(kicker) in SECTION_HEADINGS:
        kicker = ""  # the site's section ("Économie", "Faits divers"), not the article's kicker
    lead_block = content[0]
    rest = content[1:]
    if not title:
        title = _derive_title(lead_block.text)
        notes.append("Titre déduit de la première phrase : à vérifier.")
    lead = lead_block.text if lead_block.kind == "paragraph" else ""
    if not lead:
        rest = content
    body = _body_blocks(rest)
    truncated = False
    # Only a page whose scrape stops inside the article text can have a word cut at the end.
    if ends_file and body and body[-1][0] in ("paragraph", "list"):
        text, truncated = _trim_cut_word(body[-1][1])
        body[-1] = (body[-1][0], text)
    elif ends_file and lead and not body:
        lead, truncated = _trim_cut_word(lead)
    if truncated:
        notes.append("Le texte source est coupé à la fin.")
    return RawItem(
        position=0,
        title=title,
        kicker=kicker,
        lead=lead,
        body_blocks=body,
        header_lines=extras,
        date_lines=date_lines,
        notes=notes,
        truncated=truncated,
    )


_KICKER_MAX_WORDS = 8


def _brief(position: int, paragraph: str) -> RawItem:
    """One brief of a digest: "Kicker. First sentence as title. The rest as lead…"."""
    sentences = split_sentences(paragraph)
    kicker = ""
    if (
        len(sentences) > 1
        and _word_count(sentences[0]) <= _KICKER_MAX_WORDS
        and not re.search(r"\d", sentences[0])
    ):
        kicker = sentences.pop(0).rstrip(" .")
    title = sentences.pop(0) if sentences else kicker
    if _word_count(title) < 4 and kicker:
        # "Ébloui." or "Ça y est !" opens the text: the kicker is the better title.
        sentences.insert(0, title)
        title, kicker = kicker, ""
    if len(title) > TITLE_MAX_CHARS:
        # The lead keeps the whole text. The brief's own heading ("À Évin-Malmaison, près de
        # Lens.") is then the title; without one, a shortened first sentence is.
        sentences.insert(0, title)
        title, kicker = (kicker, "") if kicker else (_derive_title(title), kicker)
    title = title.rstrip(" .")
    lead = " ".join(sentences)
    notes = []
    truncated = paragraph.rstrip().endswith(("…", "..."))
    if truncated:
        lead = _drop_cut_word(lead)
    if truncated:
        notes.append("Brève tronquée par la source (« … ») : texte complet à rechercher.")
    return RawItem(
        position=position,
        title=title,
        kicker=kicker,
        lead=lead,
        body_blocks=[],
        notes=notes,
        truncated=truncated,
    )


def _is_cut(text: str) -> bool:
    stripped = text.rstrip()
    return stripped.endswith(("…", "...")) or not (
        _TERMINAL_RE.search(stripped) or stripped.endswith((":", "»", '"', ")"))
    )


_BRIEF_KICKER_RE = re.compile(r"^[A-ZÀ-Ý][\w'’-]+(?: [\w'’-]+){0,2}\.\s+[A-ZÀ-Ý«\"]")


def _is_digest(blocks: list[Block]) -> bool:
    """Several independent teasers with no headline of their own: most paragraphs cut ("…" or
    mid-word), and either no headline above them or each opening on a kicker ("Landes. …")."""
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    if len(paragraphs) < 3:
        return False
    first = next(i for i, b in enumerate(blocks) if b.kind == "paragraph")
    last = max(i for i, b in enumerate(blocks) if b.kind == "paragraph")
    if any(b.kind == "short" and _is_headline(b.text) for b in blocks[first:last]):
        return False  # headlines between the paragraphs: a news list or a sectioned article
    ellipsis = sum(1 for b in paragraphs if b.text.rstrip().endswith(("…", "...")))
    has_headline = any(_is_headline(b.text) for b in blocks[:first])
    if ellipsis >= 3 and ellipsis * 2 >= len(paragraphs) and not has_headline:
        return True
    kickers = sum(1 for b in paragraphs if _BRIEF_KICKER_RE.match(b.text))
    # "Landes. Adour Usinage …", "Gironde. L'incubateur …": briefs, each opened by its place.
    return kickers >= 3 and kickers * 4 >= len(paragraphs) * 3


def _leading_date(paragraph: str) -> tuple[str, str]:
    """ "10 juin – Depuis lundi, …" -> ("10 juin", "Depuis lundi, …")."""
    match = _LEADING_DATE_RE.match(paragraph)
    if not match:
        return "", paragraph
    return match.group(1), paragraph[match.end() :]


def _news_list(blocks: list[Block]) -> list[RawItem] | None:
    """A page listing other articles: each a headline, its teaser (one or two paragraphs) and
    usually a date line before or after it. ``None`` when the page is not one."""
    starts = []
    for index, block in enumerate(blocks):
        if block.kind != "short" or not _is_headline(block.text):
            continue
        if _word_count(block.text) < 4 or not block.text[:1].isupper():
            continue  # "en page 3", "Économie": a page reference or a section
        # Between a headline and its teaser: date lines, a source or section in capitals.
        following = next(
            (
                b
                for b in blocks[index + 1 : index + 4]
                if not (b.kind == "short" and (_is_date_line(b.text) or b.text.isupper()))
            ),
            None,
        )
        if following is not None and following.kind == "paragraph":
            starts.append(index)
    if len(starts) < 3:
        return None
    # Date lines go with the headline they precede when the page opens that way.
    date_first = starts[0] > 0 and _is_date_line(blocks[starts[0] - 1].text)
    groups = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(blocks)
        members = blocks[start + 1 : end]
        date_lines = []
        if date_first:
            if start > 0 and _is_date_line(blocks[start - 1].text):
                date_lines.append(blocks[start - 1].text)
            if members and _is_date_line(members[-1].text) and k + 1 < len(starts):
                members = members[:-1]  # the next item's date
        paragraphs = [b.text for b in members if b.kind in ("paragraph", "bullet")]
        date_lines += [b.text for b in members if b.kind == "short" and _is_date_line(b.text)]
        if k + 1 == len(starts):
            # After the last teaser come the page's own lines: keep only what belongs to it.
            last = max((i for i, b in enumerate(members) if b.kind == "paragraph"), default=-1)
            paragraphs = [b.text for b in members[: last + 1] if b.kind in ("paragraph", "bullet")]
            date_lines = date_lines[:1] if date_first else date_lines
        groups.append((blocks[start].text, date_lines, paragraphs))
    # A first "item" with no date when every other one has its own: the page's introduction.
    while (
        len(groups) > 3
        and not groups[0][1]
        and sum(1 for _t, dates, _p in groups[1:] if dates) * 4 >= (len(groups) - 1) * 3
    ):
        groups.pop(0)
    if any(not 1 <= len(paragraphs) <= 3 for _t, _d, paragraphs in groups):
        return None
    dated = sum(1 for _t, dates, paragraphs in groups if dates or _leading_date(paragraphs[0])[0])
    cut = sum(1 for _t, _d, paragraphs in groups if _is_cut(paragraphs[-1]))
    # Sections of one article have neither dates nor cut teasers: most items of a list do.
    if dated * 4 < len(groups) * 3 and cut * 4 < len(groups) * 3:
        return None
    items = []
    for title, date_lines, paragraphs in groups:
        leading, lead = _leading_date(paragraphs[0])
        kicker = ""
        for line in date_lines:
            # "Haut-Rhin – 10/09/2024": the part before the date is a kicker.
            head = re.split(r"\s[–—-]\s|,\s+le\s+", line, maxsplit=1)
            if len(head) == 2 and not _DATE_RE.search(head[0]) and _word_count(head[0]) <= 5:
                kicker = kicker or head[0].strip()
        notes = []
        truncated = _is_cut(paragraphs[-1])
        body = [("paragraph", p) for p in paragraphs[1:]]
        if truncated:
            if body:
                body[-1] = ("paragraph", _trim_cut_word(body[-1][1])[0])
            else:
                lead = _trim_cut_word(lead)[0]
            notes.append("Article résumé par la source : texte complet à rechercher.")
        items.append(
            RawItem(
                position=len(items),
                title=title,
                kicker=kicker,
                lead=lead,
                body_blocks=body,
                date_lines=[*([leading] if leading else []), *date_lines],
                notes=notes,
                truncated=truncated,
            )
        )
    return items


def segment(text: str) -> Page:
    lines, tags, raw_lines = clean_lines(text)
    source = page_source(raw_lines)
    publisher = _publisher_from(raw_lines) or source.publisher or publisher_from_url(source.url)
    found = {"publisher": publisher, "source_url": source.url}
    blocks = _blocks(lines)
    first = next((i for i, b in enumerate(blocks) if b.kind == "paragraph"), len(blocks))
    page_dates = [b.text for b in blocks[:first] if b.kind == "short" and _is_date_line(b.text)]
    if _is_digest(blocks):
        items = []
        for block in blocks:
            if block.kind == "short" and (
                fold(block.text) in SECTION_HEADINGS or _word_count(block.text) <= 3
            ):
                continue  # a section header of the digest
            if block.kind == "short":
                continue
            brief = _brief(len(items), block.text)
            brief.dated_by_text = True
            brief.page_date_lines = page_dates
            items.append(brief)
        return Page(items=items, tags=tags, is_digest=True, **found)
    listed = _news_list(blocks)
    if listed:
        for item in listed:
            item.page_date_lines = page_dates
        return Page(items=listed, tags=tags, is_digest=True, **found)
    ends_file = bool(lines) and bool(raw_lines) and lines[-1] == raw_lines[-1]
    item = _single_article(blocks, ends_file=ends_file)
    return Page(items=[item] if item else [], tags=tags, is_digest=False, **found)
