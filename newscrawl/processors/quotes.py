"""Direct quotations in an article body and the person who said each one.

Kept: every block quote, and each inline quotation of at least four words that
is attributed (a speech verb, "according to" or "по словам" next to it) or reads as a
sentence (ends with . ! ? … or fills its paragraph) without being Title Case.
Scare quotes, titles and names in quotes fail that test and are skipped.

The speaker is a person's name or None, never a phrase: "he", "she", "they" and
"the diplomat" refer back to the person named last before the quote; "it" (an
organisation), "a source", "the source" and other unnamed speakers give None.
"""

import re
from collections.abc import Iterable

from newscrawl.processors.normalize import is_title_case, normalize_text
from newscrawl.processors.people import find_named_people, resolve_speaker

__all__ = ["extract_quotes", "find_named_people", "resolve_speaker"]

_KINDS = frozenset({"paragraph", "subheading", "quote"})
# Straight quotes pair only at word edges, so the mark closing
# "…government", the diplomat said" cannot open the next quotation.
_QUOTATIONS = (
    re.compile(r'(?<![^\s(\[—–:-])"(?=\S)(?P<words>[^"]+?)(?<=\S)"(?![^\s,.;:!?)\]—–-])'),
    re.compile(r"“(?P<words>[^“”]+)”"),
    re.compile(r"«(?P<words>[^«»]+)»"),
    re.compile(r"„(?P<words>[^„“”]+)[“”]"),  # German and Russian low-high quotes
    re.compile(r"»(?P<words>[^»«]+)«"),  # German guillemets point inwards
    re.compile(r"‚(?P<words>[^‚‘’]+)[‘’]"),  # German single low-high quotes
)
_QUOTE_MARKS = "\"“”«»„ "
_VERB = r"\b(?:{})\b".format(
    "|".join(
        """said says say told tells added adds stated states noted notes stressed stresses
        explained explains wrote writes claimed claims warned warns emphasized emphasised
        emphasizes underlined underlines announced announces pointed\\sout points\\sout insisted
        insists asked asks argued argues continued concluded recalled replied commented remarked
        declared observed suggested admitted acknowledged responded answered urged vowed
        conceded tweeted put\\sit
        сказал сказала сказали заявил заявила заявили отметил отметила отметили подчеркнул
        подчеркнула добавил добавила сообщил сообщила пояснил пояснила написал написала
        рассказал рассказала уточнил уточнила говорится
        sagte sagt sagten erklärte erklärt betonte betont meinte meint schrieb warnte forderte kritisierte""".split()
    )
)
# Who spoke: words without clause punctuation; a dot only after one letter (U.S., J.).
_WHO = r"(?P<who>(?:[^,.;:!?()\"“”«»\[\]—–]|(?<=\b\w)\.){1,80}?)"
_AFTER = r"^[\s,]*(?:[—–-]+\s*)?"  # '", the…' and the Russian '», — сказал…'
# "Nguyen Thi Lan, a rice trader in Can Tho, said": the name stands before the apposition.
_APPOSITION = r"(?:,\s(?:a|an|the)\s[^,.;:!?\"“”«»]{1,80})?,?"
_MENTION_AFTER = (
    re.compile(rf"{_AFTER}(?:according\sto|по\sсловам)\s{_WHO}(?=[,.;:!?]|$)", re.IGNORECASE),
    re.compile(rf"{_AFTER}{_VERB}\s{_WHO}(?=[,.;:!?—–]|$)", re.IGNORECASE),
    re.compile(rf"{_AFTER}{_WHO}{_APPOSITION}\s{_VERB}", re.IGNORECASE),
)
_MENTION_BEFORE = (
    re.compile(rf"(?:according\sto|по\sсловам)\s{_WHO}[\s,:]*$", re.IGNORECASE),
    re.compile(rf"{_WHO}{_APPOSITION}\s{_VERB}[^.!?]{{0,60}}$", re.IGNORECASE),
)
# The patterns above try every start position of a text; most texts hold no speech verb and need no trying.
_ATTRIBUTION_WORD = re.compile(rf"{_VERB}|according\sto|по\sсловам", re.IGNORECASE)
_COLON_CLAUSE = re.compile(rf"{_WHO}:\s*$")
# After "said Lu Kang", the rest of the clause tells when or where, not who.
_ADVERBIAL = re.compile(
    r"\s(?:on|at|in|during|after|before|when|while|as|who|which|that|to|from|with|about)\s.*$"
)
_SENTENCE_END = tuple(".!?…")
_ATTRIBUTION_REACH = 200  # characters: a speaker phrase (80) + verb + 60 more, with room
_MIN_WORDS = 4
_ATTRIBUTION_MAX_WORDS = 12  # a neighbouring paragraph this short may attribute a quote


def _blocks(blocks: object) -> list[tuple[str, str]]:
    """Keep well-formed (kind, text) blocks with normalized text."""
    if isinstance(blocks, str) or not isinstance(blocks, Iterable):
        return []
    kept = []
    for block in blocks:
        if isinstance(block, (tuple, list)) and len(block) == 2 and block[0] in _KINDS:
            text = normalize_text(block[1])
            if text:
                kept.append((block[0], text))
    return kept


def _quotations(text: str) -> list[re.Match[str]]:
    """Find the outermost quotations of a text, in order."""
    matches = [match for pattern in _QUOTATIONS for match in pattern.finditer(text)]
    matches.sort(key=re.Match.start)
    outer: list[re.Match[str]] = []
    for match in matches:
        if not outer or match.start() >= outer[-1].end():
            outer.append(match)
    return outer


def _unquoted(text: str) -> str:
    """Replace quoted words by a break, so names inside quotes introduce nobody."""
    for match in reversed(_quotations(text)):
        text = f"{text[: match.start()]} | {text[match.end() :]}"
    return text


def _mention_after(text: str) -> str | None:
    """Return who is attributed just after a quotation ('", the diplomat said')."""
    for pattern in _MENTION_AFTER:
        match = pattern.match(text)
        if match:
            return _ADVERBIAL.sub("", match["who"].strip()) or None
    return None


def _colon_speaker(clause: str, people: list[str]) -> str | None:
    """Return whom a verbless clause before a colon names ("Mike Pompeo:", "Kulkarni outlined:")."""
    speaker = resolve_speaker(clause, people) or next(iter(find_named_people(clause)), None)
    if speaker:
        return speaker
    # A lone word counts only as the surname of someone named before, or as he/she.
    return next(filter(None, (resolve_speaker(word, people) for word in clause.split())), None)


def _mention_before(text: str, people: list[str]) -> str | None:
    """Return who is attributed just before a quotation ('Lavrov said: "')."""
    text = text[-_ATTRIBUTION_REACH:]  # it sits next to the quote; this also bounds regex time
    for pattern in _MENTION_BEFORE if _ATTRIBUTION_WORD.search(text) else ():
        match = pattern.search(text)
        if match:
            return match["who"].strip()
    match = _COLON_CLAUSE.search(text)
    return _colon_speaker(match["who"], people) if match else None


def _mention_nearby(body: list[tuple[str, str]], index: int, people: list[str]) -> str | None:
    """Attribute a stand-alone quote from a paragraph ending in ':' or a short one after it."""
    before = body[index - 1][1] if index else ""
    after = body[index + 1][1] if index + 1 < len(body) else ""
    if before.endswith(":"):
        return _mention_before(before, people)
    if len(after.split()) <= _ATTRIBUTION_MAX_WORDS:
        return _mention_after(after)
    return None


def _quote(words: str, mention: str | None, people: list[str]) -> dict:
    """Build one output record."""
    return {
        "text": normalize_text(words.strip(_QUOTE_MARKS).rstrip(", ")),
        "speaker": resolve_speaker(mention, people),
    }


def _remember(people: list[str], names: list[str]) -> list[str]:
    """Move newly named people to the end, the most recent position."""
    return [person for person in people if person not in names] + names


def _block_quote(body: list[tuple[str, str]], index: int, people: list[str]) -> dict:
    """Read a block quote: the quoted words, maybe followed by their attribution."""
    text = body[index][1]
    found = _quotations(text)
    if found and found[0].start() == 0:
        words, mention = found[0]["words"], _mention_after(text[found[0].end() :])
    else:
        words, mention = text, None
    return _quote(words, mention or _mention_nearby(body, index, people), people)


def _is_quotation(words: str, attributed: bool, alone: bool) -> bool:
    """Tell a quoted statement from scare quotes and quoted titles."""
    if len(words.split()) < _MIN_WORDS:
        return False
    sentence = alone or words.rstrip(", ").endswith(_SENTENCE_END)
    return attributed or (sentence and not is_title_case(words))


def _inline_quotes(body: list[tuple[str, str]], index: int, people: list[str]) -> list[dict]:
    """Read the quotations inside one paragraph, each with its attribution."""
    text = body[index][1]
    found = _quotations(text)
    quotes = []
    for number, match in enumerate(found):
        head = text[found[number - 1].end() if number else 0 : match.start()]
        tail = text[match.end() : found[number + 1].start() if number + 1 < len(found) else None]
        alone = not head.strip() and not tail.strip(" .,")
        known = _remember(people, find_named_people(_unquoted(text[: match.start()])))
        mention = _mention_after(tail) or _mention_before(head, known)
        if mention is None and alone:
            mention = _mention_nearby(body, index, known)
        if _is_quotation(match["words"], mention is not None, alone):
            quotes.append(_quote(match["words"], mention, known))
    return quotes


def extract_quotes(blocks: Iterable[tuple[str, str]]) -> list[dict]:
    """Return {"text", "speaker"} for each direct quotation of an article body, in order.

    >>> extract_quotes([("paragraph", "Spokesman Lu Kang spoke."),
    ...                 ("paragraph", '"We want some evidence here", the diplomat said.')])
    [{'text': 'We want some evidence here', 'speaker': 'Lu Kang'}]
    """
    body = _blocks(blocks)
    quotes: list[dict] = []
    people: list[str] = []
    # names matter only up to the last block that may quote someone: most articles end without quotes
    last = max((i for i, (kind, text) in enumerate(body) if kind == "quote" or _quotations(text)), default=-1)
    for index, (kind, text) in enumerate(body[: last + 1]):
        if kind == "quote":
            quotes.append(_block_quote(body, index, people))
        elif kind == "paragraph":
            quotes.extend(_inline_quotes(body, index, people))
        people = _remember(people, find_named_people(_unquoted(text)))
    return [quote for quote in quotes if quote["text"]]
