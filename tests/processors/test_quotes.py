from pathlib import Path

import pytest

from newscrawl.processors.quotes import extract_quotes

SEED = Path(__file__).with_name("sputnik-asia-huawei-article.txt")
# The person named last before the quotes below is Mike Pompeo.
EARLIER = ("paragraph", "Russian Foreign Minister Sergei Lavrov met Mike Pompeo.")


def paragraphs(*texts):
    return [("paragraph", text) for text in texts]


def after_earlier(kind, text):
    return [EARLIER, (kind, text)]


def quote(text, speaker):
    return {"text": text, "speaker": speaker}


def test_seed_article_quote_is_attributed_to_lu_kang():
    lines = SEED.read_text(encoding="utf-8").splitlines()
    assert extract_quotes(paragraphs(*lines)) == [
        quote(
            "We would very much like the US to provide us with at least some evidence"
            " [supporting their statements regarding Huawei]. Recently, the US has been trying"
            " to use all possible means to make Huawei a problem and make people in the US and"
            " other countries believe in the so-called security problem coming from Huawei."
            " Sometimes they try to use the so-called ideological issue and try to exaggerate"
            " the relationship between Chinese business and the government",
            "Lu Kang",
        )
    ]


TALKS = "The talks were very productive and useful"
DIALOGUE = "We are ready for dialogue with partners"
DEAL = "This is a good deal for all of us"
RU_DIALOGUE = "Мы готовы к диалогу с партнерами"


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (None, []),
        ("", []),
        (42, []),
        ("We will not tolerate this, he said.", []),  # a str is not a list of blocks
        (
            [None, 42, ("quote",), ("quote", ""), ("media", f'"{DEAL}."'), ("paragraph", 42)],
            [],
        ),
        (paragraphs("   ", "\x00", "!!!"), []),
        # Attribution after the quote, both comma styles:
        (
            paragraphs(f'"{TALKS}," said Chinese Foreign Ministry spokesman Lu Kang.'),
            [quote(TALKS, "Lu Kang")],
        ),
        (paragraphs(f'"{TALKS}", Lu Kang said on Thursday.'), [quote(TALKS, "Lu Kang")]),
        (paragraphs(f'"{TALKS}," said Lu Kang at a briefing.'), [quote(TALKS, "Lu Kang")]),
        # German low-high quotes and inward guillemets:
        (paragraphs(f'„{DEAL}.“, said Lu Kang.'), [quote(f"{DEAL}.", "Lu Kang")]),
        (paragraphs(f'»{DEAL}.«, said Lu Kang.'), [quote(f"{DEAL}.", "Lu Kang")]),
        # Attribution before the quote:
        (
            paragraphs('Mike Pompeo told reporters "Huawei is an instrument of the state."'),
            [quote("Huawei is an instrument of the state.", "Mike Pompeo")],
        ),
        (paragraphs(f'Sergei Lavrov said: "{DEAL}."'), [quote(f"{DEAL}.", "Sergei Lavrov")]),
        (
            paragraphs(f'U.S. Secretary of State Mike Pompeo: "{DIALOGUE}."'),
            [quote(f"{DIALOGUE}.", "Mike Pompeo")],
        ),
        (
            paragraphs('According to Mike Pompeo, "the risk is real and growing fast".'),
            [quote("the risk is real and growing fast", "Mike Pompeo")],
        ),
        (
            paragraphs('"The risk is real and growing fast", according to Mike Pompeo.'),
            [quote("The risk is real and growing fast", "Mike Pompeo")],
        ),
        # A name before an apposition, or before a verbless colon:
        (
            paragraphs(f'Nguyen Thi Lan, a rice trader in Can Tho, said: "{DEAL}."'),
            [quote(f"{DEAL}.", "Nguyen Thi Lan")],
        ),
        (
            paragraphs(f'"{DEAL}," Nguyen Thi Lan, a rice trader, said.'),
            [quote(DEAL, "Nguyen Thi Lan")],
        ),
        (
            paragraphs(f'As a senior diplomat, Farid Iskandar, put it to me: "{DEAL}."'),
            [quote(f"{DEAL}.", "Farid Iskandar")],
        ),
        # Pronouns, roles and surnames resolve to the most recent person named before:
        (
            after_earlier("paragraph", f'"{DEAL}," he said. "We will act on it soon," he added.'),
            [quote(DEAL, "Mike Pompeo"), quote("We will act on it soon", "Mike Pompeo")],
        ),
        (
            after_earlier("paragraph", f'"{DIALOGUE}," the Russian diplomat stressed.'),
            [quote(DIALOGUE, "Mike Pompeo")],
        ),
        (after_earlier("paragraph", f'"{DEAL}," Lavrov stressed.'), [quote(DEAL, "Sergei Lavrov")]),
        (
            after_earlier("paragraph", 'Lavrov said the move was "a blatant violation of law".'),
            [quote("a blatant violation of law", "Sergei Lavrov")],
        ),
        (  # named earlier in the same paragraph
            after_earlier("paragraph", f'Lu Kang spoke at length. "{DEAL}," he said.'),
            [quote(DEAL, "Lu Kang")],
        ),
        (paragraphs(f'"{DIALOGUE}," he said.'), [quote(DIALOGUE, None)]),  # nobody named before
        # Names inside a quotation introduce nobody:
        (
            paragraphs('Lu Kang said: "We saw no proof from Mike Pompeo."', f'"{DEAL}," he added.'),
            [quote("We saw no proof from Mike Pompeo.", "Lu Kang"), quote(DEAL, "Lu Kang")],
        ),
        # Unnamed speakers stay None rather than a phrase or a guess:
        (after_earlier("paragraph", f'"{DEAL}," a source told Sputnik.'), [quote(DEAL, None)]),
        (after_earlier("paragraph", f'"{DEAL}," the source said.'), [quote(DEAL, None)]),
        (after_earlier("paragraph", f'"{DEAL}," it said.'), [quote(DEAL, None)]),
        # Russian, guillemets:
        (
            [
                ("paragraph", "Глава МИД России Сергей Лавров провел переговоры."),
                ("paragraph", f"«{RU_DIALOGUE}», — сказал он."),
            ],
            [quote(RU_DIALOGUE, "Сергей Лавров")],
        ),
        (
            paragraphs(f"«{RU_DIALOGUE}», — заявил глава МИД России Сергей Лавров."),
            [quote(RU_DIALOGUE, "Сергей Лавров")],
        ),
        (paragraphs(f"«{RU_DIALOGUE}», говорится в сообщении МИД."), [quote(RU_DIALOGUE, None)]),
        # Scare quotes, titles and quoted names are no quotations:
        (paragraphs('He called the so-called "security problem" a myth.'), []),
        (paragraphs('Lu Kang said the so-called "security problem" is a myth.'), []),  # too short
        (paragraphs('She starred in "The Lord of the Rings" last year.'), []),
        (paragraphs('She read "Who Moved My Cheese?" on the plane.'), []),  # a title despite "?"
        (paragraphs("US Trying 'All Possible Means' to Blame Huawei Without Evidence - China"), []),
        (paragraphs("READ MORE: \"Apple Expected to Lose Huge Share of China's Market\""), []),
        (paragraphs('The company calls it "a new era of open cooperation" in ads.'), []),
        # ... but an unattributed full sentence in quotes is one:
        (
            paragraphs('"We will never give up on our customers."'),
            [quote("We will never give up on our customers.", None)],
        ),
        # A paragraph that is only a quotation is attributed like a block quote:
        (
            paragraphs("Russian Foreign Minister Sergei Lavrov said:", f'"{DEAL}."'),
            [quote(f"{DEAL}.", "Sergei Lavrov")],
        ),
        # Russian: the speaker after "— сказал", or named by "по словам" (according to)
        (
            paragraphs("«Геминиды - один из самых надежных потоков года», - сказала Ирина Воронцова."),
            [quote("Геминиды - один из самых надежных потоков года", "Ирина Воронцова")],
        ),
        (
            paragraphs("По словам Ирины Воронцовой, «в пик активности можно будет увидеть до 120 метеоров в час»."),
            [quote("в пик активности можно будет увидеть до 120 метеоров в час", "Ирины Воронцовой")],
        ),
        (
            paragraphs("«Луна в эти дни почти не помешает наблюдениям», по словам Ирины Воронцовой."),
            [quote("Луна в эти дни почти не помешает наблюдениям", "Ирины Воронцовой")],
        ),
        # German single low-high quotes
        (
            paragraphs("‚Wir werden die Entschädigung deutlich beschleunigen‘, sagte Peter Huber."),
            [quote("Wir werden die Entschädigung deutlich beschleunigen", "Peter Huber")],
        ),
        # Subheadings introduce people but hold no quotations; Title Case ones name nobody:
        (
            [
                ("subheading", 'Lu Kang: "We have nothing to hide."'),
                ("subheading", "Mike Pompeo Speaks Out"),
                ("paragraph", f'"{DEAL}," he said.'),
            ],
            [quote(DEAL, "Lu Kang")],
        ),
    ],
)
def test_extract_quotes(blocks, expected):
    assert extract_quotes(blocks) == expected


PRESSURE = "We will not tolerate this kind of pressure."


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        # The attribution inside the block quote:
        (
            [("quote", "“Prince Andrew is not entitled to immunity,” said one legal expert, …")],
            [quote("Prince Andrew is not entitled to immunity", None)],
        ),
        (after_earlier("quote", f'"{DIALOGUE}," Lavrov said.'), [quote(DIALOGUE, "Sergei Lavrov")]),
        # Attributed by the paragraph before, ending in a colon:
        (
            [
                ("paragraph", "Speaking in Moscow, Russian Foreign Minister Sergei Lavrov said:"),
                ("quote", PRESSURE),
            ],
            [quote(PRESSURE, "Sergei Lavrov")],
        ),
        (  # the colon clause names a surname; the title-laden names are no people
            [
                ("paragraph", "Minister of New and Renewable Energy Harish Kulkarni spoke."),
                ("paragraph", "At the Solar Energy Summit, Kulkarni outlined the plan:"),
                ("quote", PRESSURE),
                ("paragraph", f'"{DEAL}," the minister said.'),
            ],
            [quote(PRESSURE, "Harish Kulkarni"), quote(DEAL, "Harish Kulkarni")],
        ),
        # ... or by a short paragraph after:
        (
            [EARLIER, ("quote", f"“{PRESSURE}”"), ("paragraph", "the diplomat said.")],
            [quote(PRESSURE, "Mike Pompeo")],
        ),
        # A long paragraph after is a new statement, not an attribution:
        (
            [
                EARLIER,
                ("quote", PRESSURE),
                ("paragraph", "Lavrov said later that the US talks would go on for many weeks."),
            ],
            [quote(PRESSURE, None)],
        ),
        # Every block quote counts, even a short one:
        ([("quote", "No comment.")], [quote("No comment.", None)]),
    ],
)
def test_extract_quotes_from_block_quotes(blocks, expected):
    assert extract_quotes(blocks) == expected
