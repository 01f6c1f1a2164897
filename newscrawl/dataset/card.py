"""The dataset card: README.md beside the data, from the manifest's figures (no data file is read for it).

What is in it, how many per publisher, section and month, how often each field is filled, the schema, when it
was crawled, and how to load it with pyarrow, pandas, DuckDB and Hugging Face `datasets` (tests run each
snippet of a generated card against its dataset). The YAML header lets the Hugging Face Hub find the files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type information

from newscrawl.dataset.consolidate import partition_from_path
from newscrawl.dataset.schema import UTC_SUFFIX

DATASET_DESCRIPTIONS = {
    "spider": "The spider whose run wrote the record (`data/<spider>/…jsonl`).",
    "article_key": "The article the row is a version of: the publisher's id within its site "
                   "(`sputnik:1121133120`), else the canonical URL; as newscrawl's state and deduplication identify it.",
    "is_latest": "True for the newest version of its article (highest `version`, then latest `crawled_at`).",
    "month": "The UTC month of `published`, `YYYY-MM`; a partition folder.",
}


def markdown_table(header: tuple[str, ...], rows: Iterable[tuple]) -> list[str]:
    """A Markdown table; `|` in cells escaped.

    >>> markdown_table(("a", "b"), [(1, "x|y")])
    ['| a | b |', '|---|---|', '| 1 | x\\\\|y |']
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def totals_by(partitions: dict, position: int) -> list[tuple[str, int, int]]:
    """(value, rows, articles) per publisher (0), section (1) or month (2), from the manifest's partitions."""
    rows: Counter = Counter()
    articles: Counter = Counter()
    for path, entry in partitions.items():
        value = partition_from_path(f"{path}/x")[position]
        rows[value] += entry["rows"]
        articles[value] += entry["articles"]
    return [(value, rows[value], articles[value]) for value in sorted(rows)]


def coverage(partitions: dict) -> list[tuple[str, str]]:
    """(field, share of rows with a value) over the whole dataset."""
    total = sum(entry["rows"] for entry in partitions.values())
    filled: Counter = Counter()
    for entry in partitions.values():
        filled.update(entry["filled"])
    return [(f"`{field}`", f"{filled[field] / total:.1%}" if total else "-") for field in filled]


def type_text(data_type: pa.DataType) -> str:
    return str(data_type).replace("dictionary<values=string, indices=int32, ordered=0>", "string (dictionary)")


def schema_rows(schema: pa.Schema, properties: dict) -> list[tuple[str, str, str]]:
    """(column, Arrow type, description) for every column."""
    rows = []
    for field in schema:
        if field.name in properties:
            description = properties[field.name].get("description", "")
        elif field.name.endswith(UTC_SUFFIX) and field.name.removesuffix(UTC_SUFFIX) in properties:
            description = f"`{field.name.removesuffix(UTC_SUFFIX)}` as a UTC timestamp (the text keeps its offset)."
        else:
            description = DATASET_DESCRIPTIONS.get(field.name, "")
        rows.append((f"`{field.name}`", f"`{type_text(field.type)}`", description.replace("\n", " ")))
    return rows


def local_snippets(location: str, file_format: str) -> list[tuple[str, str]]:
    """(title, Python code) for loading a local dataset; each one leaves its result in a named variable."""
    if file_format == "parquet":
        return [
            ("pyarrow", f'import pyarrow.parquet as pq\n\ntable = pq.read_table("{location}", filters=[("is_latest", "=", True)])\n'
                        'print(table.num_rows, "articles")'),
            ("pandas", f'import pandas as pd\n\nframe = pd.read_parquet("{location}")\n'
                       'print(frame.groupby("section", observed=True).size())'),
            ("DuckDB", "import duckdb\n\ncounts = duckdb.sql(\n"
                       f"    \"SELECT section, count(*) AS articles FROM read_parquet('{location}/**/*.parquet') \"\n"
                       '    "WHERE is_latest GROUP BY section ORDER BY section"\n).fetchall()\nprint(counts)'),
            ("Hugging Face datasets", "from datasets import load_dataset\n\n"
                                      f'articles = load_dataset("parquet", data_files="{location}/**/*.parquet", split="train")\n'
                                      "print(articles)"),
        ]
    return [
        ("pyarrow", "from pathlib import Path\n\nimport pyarrow as pa\nimport pyarrow.json\n\n"
                    f'files = sorted(Path("{location}").rglob("*.jsonl"))\n'
                    '# each file typed on its own (a column null in one file is text in another), then joined\n'
                    'table = pa.concat_tables([pyarrow.json.read_json(path) for path in files], promote_options="permissive")\n'
                    'print(table.filter(table["is_latest"]).num_rows, "articles")'),
        ("pandas", "from pathlib import Path\n\nimport pandas as pd\n\n"
                   f'frame = pd.concat(pd.read_json(path, lines=True) for path in sorted(Path("{location}").rglob("*.jsonl")))\n'
                   'print(frame.groupby("section").size())'),
        ("DuckDB", "import duckdb\n\ncounts = duckdb.sql(\n"
                   f"    \"SELECT section, count(*) AS articles FROM read_json_auto('{location}/**/*.jsonl') \"\n"
                   '    "WHERE is_latest GROUP BY section ORDER BY section"\n).fetchall()\nprint(counts)'),
        ("Hugging Face datasets", "import json\nfrom pathlib import Path\n\nfrom datasets import Dataset\n\n"
                                  "# typed over all rows at once: load_dataset(\"json\") types by the first file\n"
                                  f'rows = [json.loads(line) for path in sorted(Path("{location}").rglob("*.jsonl")) '
                                  'for line in path.open(encoding="utf-8")]\n'
                                  "articles = Dataset.from_list(rows)\nprint(articles)"),
    ]


def s3_snippets(location: str, file_format: str) -> list[tuple[str, str]]:
    """(title, Python code) for loading the dataset from S3 by its manifest (pyarrow's S3 filesystem: the
    endpoint and keys come from the AWS_* environment)."""
    prelude = (
        "import json\n\nimport pyarrow.fs\n"
        f'{{imports}}\ns3, root = pyarrow.fs.FileSystem.from_uri("{location}")\n'
        'with s3.open_input_stream(root + "/manifest.json") as stream:\n'
        '    data = root + "/" + json.loads(stream.read())["data"]  # the current generation\n'
    )
    if file_format == "parquet":
        return [
            ("pyarrow", prelude.format(imports="import pyarrow.parquet as pq\n")
             + 'table = pq.read_table(data, filesystem=s3, filters=[("is_latest", "=", True)])\nprint(table.num_rows, "articles")'),
            ("pandas", prelude.format(imports="import pandas as pd\n")
             + 'frame = pd.read_parquet(data, filesystem=s3)\nprint(frame.groupby("section", observed=True).size())'),
        ]
    return [
        ("pyarrow", prelude.format(imports="import pyarrow.dataset as ds\n")
         + 'table = ds.dataset(data, filesystem=s3, format="json").to_table(filter=ds.field("is_latest"))\n'
           'print(table.num_rows, "articles")'),
    ]


def render(manifest: dict, schema: pa.Schema, properties: dict, location: str) -> str:
    """The card's Markdown."""
    partitions = manifest["partitions"]
    remote = location.startswith("s3://")
    suffix = ".parquet" if manifest["format"] == "parquet" else ".jsonl"
    data = f"{location}/{manifest['data']}"
    rows = sum(entry["rows"] for entry in partitions.values())
    articles = sum(entry["articles"] for entry in partitions.values())
    crawled = [entry[key] for entry in partitions.values() for key in ("first_crawled", "last_crawled") if entry.get(key)]
    spiders = Counter(name.split("/", 1)[0] for name in manifest["runs"])
    runs = sorted(manifest["runs"])
    shape = ("one row per article: its latest version" if manifest["latest_only"]
             else "one row per version of an article; `is_latest` marks each article's newest")
    what = "Apache Parquet (zstd)" if manifest["format"] == "parquet" else "JSON Lines"
    lines = [
        "---",
        "configs:",
        "- config_name: default",
        f'  data_files: "{manifest["data"]}/**/*{suffix}"',
        "---",
        "",
        "# newscrawl news articles",
        "",
        f"News articles crawled by newscrawl and consolidated by `scrapy dataset`: **{rows} rows, {articles} "
        f"articles**, {shape}. {what}, in Hive-style partition folders `publisher=…/section=…/month=…` (the UTC "
        f"month of `published`), the partition columns also inside every file. Data: `{data}`.",
        "",
        "## Crawl",
        "",
        *markdown_table(("crawl", ""), [
            ("first crawled_at", min(crawled) if crawled else "-"),
            ("last crawled_at", max(crawled) if crawled else "-"),
            ("runs consolidated", f"{len(runs)} ({', '.join(f'{name} {n}' for name, n in sorted(spiders.items()))})"),
            ("first run, last run", f"`{runs[0]}`, `{runs[-1]}`" if runs else "-"),
            ("duplicate records left out", manifest.get("duplicates", 0)),
            ("updated", manifest["updated"]),
            ("generation", manifest["generation"]),
        ]),
        "",
        "## Load it",
        "",
    ]
    snippets = s3_snippets(location, manifest["format"]) if remote else local_snippets(data, manifest["format"])
    for title, code in snippets:
        lines += [f"### {title}", "", "```python", code, "```", ""]
    if remote:
        lines += [
            f"Read the generation `manifest.json` names, not the whole prefix: the previous generation is kept "
            f"for readers still on it. DuckDB (with its `httpfs` extension and an S3 secret) and Hugging Face "
            f"`datasets` (with `s3fs`) read `{data}/**/*{suffix}` the same way.",
            "",
        ]
    lines += ["## Articles per publisher, section and month", ""]
    for title, position in (("publisher", 0), ("section", 1), ("month", 2)):
        lines += [*markdown_table((title, "rows", "articles"), totals_by(partitions, position)), ""]
    lines += ["## Field coverage", "", "Share of rows with a value (not null, empty text or empty list).", ""]
    lines += [*markdown_table(("field", "filled"), coverage(partitions)), ""]
    lines += ["## Schema", "", "Derived from `newscrawl/article.schema.json`; a missing publisher or section is "
              "`unknown`. Open-keyed objects (`sources`) are lists of `{key, value}`.", ""]
    lines += [*markdown_table(("column", "type", "description"), schema_rows(schema, properties)), ""]
    return "\n".join(lines)

