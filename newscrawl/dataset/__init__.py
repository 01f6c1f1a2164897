"""`scrapy dataset`: the finished JSON Lines runs of the spiders, consolidated into one Parquet (or JSON Lines)
dataset with a dataset card, locally or on S3.

- `schema.py`: the Arrow schema, derived from newscrawl/article.schema.json, and a record's values in it;
- `runs.py`: the finished runs under the data folder (never a `.part`), read line by line;
- `consolidate.py`: rows, their article key, duplicates, `is_latest`, partitions (pure functions);
- `build.py`: one incremental consolidation: the new runs, the partitions they touch, the new manifest;
- `store.py`: reading and writing the dataset: a local folder (temporary folder, then renamed into place) or an
  S3 prefix (a new generation prefix, then the manifest last);
- `card.py`: the dataset card, README.md beside the data.

Layout: `<dataset>/README.md`, `<dataset>/manifest.json`, and the data files in
`<dataset>/data/publisher=…/section=…/month=…/part-<generation>.parquet` (on S3: `<prefix>/gen-<generation>/…`).
"""
