"""Find people's names in text and resolve "he" or "the diplomat" to one of them."""

import re
from collections.abc import Sequence
from functools import lru_cache

from newscrawl.processors.normalize import WORD, is_title_case, normalize_each, normalize_text

# Capitalised words that are not part of a person's name: titles and roles,
# organisations and places, sentence starters, dates and nationalities. A run of
# capitalised words breaks at them, so "US Secretary of State Mike Pompeo" and
# "Russian Foreign Minister Sergei Lavrov" leave only the name.
_NOT_NAME_WORDS = frozenset(
    """
    president vice prime minister ministry secretary general spokesman spokeswoman spokesperson
    ambassador envoy senator sen rep representative governor mayor chancellor chairman chairwoman
    chair director deputy head chief commander king queen prince princess emperor pope judge
    justice attorney prosecutor dr mr mrs ms sir lord lady professor prof gen col capt officer
    official foreign defense defence interior finance state affairs security intelligence trade
    united states kingdom nations republic federation union commission council committee parliament
    congress senate house white court district supreme department office agency bureau service
    administration government authority assembly party army navy force forces guard police bank
    fund company corporation corp inc ltd group holdings technologies telecom news media press
    times post journal daily international national global world central federal royal province
    region county city square street island islands sea ocean river north south east west northern
    southern eastern western southeast southwest northeast northwest middle far new mobile act law
    treaty organization organisation alliance forum summit conference university institute academy
    school center centre museum airport station photo archive video
    the a an this that these those in on at of for to from with by as and but or amid after before
    over under into about against between during without within while when if it its he she they
    we you his her their our there here then also however meanwhile moreover last next earlier
    later recently read more see why what who how where all no not some many several both each
    every other such own is are was were will would can could may might must should
    january february march april may june july august september october november december jan feb
    mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday
    sunday
    russian chinese american british ukrainian japanese indian pakistani iranian israeli german
    french turkish korean syrian afghan australian indonesian thai vietnamese filipino philippine
    malaysian european soviet saudi egyptian iraqi polish italian spanish canadian mexican
    brazilian african asian arab kazakh uzbek belarusian armenian azerbaijani kyrgyz tajik
    china russia america britain japan india pakistan iran israel germany france turkey korea
    syria afghanistan australia ukraine europe asia africa
    energy solar renewable nuclear oil gas water health education agriculture environment
    development investment economic economy climate science culture sports transport
    infrastructure industry commerce tourism labour labor welfare communications information
    digital railway railways airlines airways festival games cup championship olympic olympics
    award prize exchange market stock index programme program initiative project strategy
    doctrine zone palace hotel hospital cathedral mosque financial monetary meteorological
    disaster management relations cooperation partnership association society foundation
    network television radio metropolitan municipal provincial regional port delta valley
    россии рф сша китая украины кремля мид глава министр президент премьер пресс-секретарь
    москвы госдумы совета федерации правительства министерства в на по как это для при из о от
    до с и а но
    """.split()
)
# Multi-word places whose words are otherwise name-like.
_PLACE_NAMES = frozenset(
    """hong kong|sri lanka|saudi arabia|kuala lumpur|los angeles|san francisco|abu dhabi|tel aviv
    |buenos aires|costa rica|puerto rico|sierra leone|burkina faso|el salvador|las vegas
    |san diego|rio de janeiro|sao paulo|phnom penh|ho chi minh""".replace("\n    ", "").split("|")
)
# Lower-case particles inside names: "Mohammed bin Salman", "Ursula von der Leyen".
_PARTICLES = frozenset("bin ibn al el de da del der van von la le di du dos das ben".split())
_PRONOUNS = frozenset({"he", "she", "they", "он", "она", "они"})  # "it" is an organisation
_ROLE_NOUNS = frozenset(
    """diplomat spokesman spokeswoman spokesperson minister official president ambassador envoy
    senator lawmaker politician leader chief head premier chancellor secretary governor mayor
    general commander expert analyst professor lawyer prosecutor judge officer representative
    дипломат министр президент глава представитель посол эксперт политик лидер премьер""".split()
)
_DEFINITE = frozenset({"the", "this", "that"})
_INDEFINITE = frozenset({"a", "an", "one", "some", "another", "один", "одна", "некий"})
_INITIAL = re.compile(r"[^\W\d_]\.")
_POSSESSIVE = re.compile(r"['’]s$")
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]{},.;:!?"
_NAME_LENGTHS = range(2, 6)


# A body has thousands of words and few distinct ones: each is judged once.
@lru_cache(maxsize=1 << 16)
def _bare(token: str) -> str:
    """Strip edge punctuation and a possessive "'s" from a token."""
    opened = token.lstrip(_EDGE_PUNCTUATION)
    if _INITIAL.fullmatch(opened):
        return opened  # keep the dot of "J."
    return _POSSESSIVE.sub("", token.strip(_EDGE_PUNCTUATION))


@lru_cache(maxsize=1 << 16)
def _is_name_word(word: str) -> bool:
    """Tell a capitalised name word ("Lu", "O'Neill", "J.") from other words."""
    if _INITIAL.fullmatch(word):
        return word[0].isupper()
    return (
        bool(WORD.fullmatch(word))
        and word[0].isupper()
        and not word.isupper()  # acronyms: US, NATO, МИД
        and not any(part in _NOT_NAME_WORDS for part in re.split(r"[-'’]", word.casefold()))
    )


def _name_runs(text: str) -> list[list[str]]:
    """Split text into runs of adjacent name words; the last run is the one ending the text."""
    runs: list[list[str]] = [[]]
    for token in text.split():
        word = _bare(token)
        if token[0] in _EDGE_PUNCTUATION and runs[-1]:
            runs.append([])  # an opening quote or bracket starts something new
        if _is_name_word(word) or (runs[-1] and word in _PARTICLES):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
        if token[-1] in _EDGE_PUNCTUATION and not _INITIAL.fullmatch(word) and runs[-1]:
            runs.append([])  # "Kang," ends a name
    return [_trim_particles(run) for run in runs]


def _trim_particles(run: list[str]) -> list[str]:
    """Drop particles left at the edges of a run ("Lavrov de" -> "Lavrov")."""
    while run and run[-1] in _PARTICLES:
        run = run[:-1]
    while run and run[0] in _PARTICLES:
        run = run[1:]
    return run


def find_named_people(text: str) -> list[str]:
    """Return the full names (two to five words) of people named in text, in order.

    >>> find_named_people("Chinese Foreign Ministry spokesman Lu Kang said Thursday.")
    ['Lu Kang']
    """
    normalized = normalize_text(text)
    if normalized is None or is_title_case(normalized):
        return []
    names = [" ".join(run) for run in _name_runs(normalized) if len(run) in _NAME_LENGTHS]
    return list(dict.fromkeys(name for name in names if name.casefold() not in _PLACE_NAMES))


def _by_surname(surname: str, named_people: list[str]) -> str | None:
    """Return the most recent full name that ends with this surname."""
    matches = [person for person in named_people if person.split()[-1] == surname]
    return matches[-1] if matches else None


def _refers_back(phrase: str) -> bool:
    """Tell "he", "the diplomat" or "дипломат" from "one legal expert" or "a source"."""
    words = phrase.casefold().split()
    if words[-1] in _PRONOUNS:
        return True
    if words[-1] not in _ROLE_NOUNS or _INDEFINITE.intersection(words):
        return False
    # English needs "the"; Russian has no articles.
    return bool(_DEFINITE.intersection(words)) or not words[-1].isascii()


def resolve_speaker(mention: str | None, named_people: Sequence[str]) -> str | None:
    """Return the person a mention names or refers back to, or None when it names nobody.

    >>> resolve_speaker("the diplomat", ["Mike Pompeo", "Lu Kang"])
    'Lu Kang'
    """
    phrase = (normalize_text(mention) or "").strip(_EDGE_PUNCTUATION + " ")
    if not phrase:
        return None
    people = normalize_each(named_people)
    name = _name_runs(phrase)[-1]
    if len(name) in _NAME_LENGTHS:
        return " ".join(name)
    if name:  # a lone word is a surname only if that person was named before
        return _by_surname(name[0], people)
    return people[-1] if people and _refers_back(phrase) else None
