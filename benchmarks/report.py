"""Render benchmark results (the dictionary benchmarks/run.py builds) as Markdown tables and RESULTS.md."""

from __future__ import annotations

# the paths newscrawl's extraction can take for a page, in the order the results list them, with their labels
PATHS = {
    "rules": "site rules",
    "fallback": "trafilatura fallback",
    "no body": "no body found",
}


def tables(results: dict) -> str:
    """The results as two Markdown tables: extraction per page set, then crawl beside `scrapy bench`."""
    lines = [("| pages | count | mean KB | lxml parse ms/page | newscrawl extract ms/page | extract / parse "
              "| trafilatura ms/page | extract / trafilatura | trafilatura + metadata ms/page "
              "| extract / trafilatura + metadata |"), "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for name, pageset in results["extraction"].items():
        for group, r in pageset["groups"].items():
            label = name if group == "all" else f"{name}, {PATHS.get(group, group)}"
            lines.append(f"| {label} | {r['pages']} | {pageset['mean_kb'] if group == 'all' else ''} "
                         f"| {r['lxml_parse']['ms_per_page']:.2f} | {r['newscrawl_extract']['ms_per_page']:.2f} "
                         f"| {r['extract_over_parse']:.1f}× | {r['trafilatura_extract']['ms_per_page']:.2f} "
                         f"| {r['extract_over_trafilatura']:.2f}× | {r['trafilatura_metadata']['ms_per_page']:.2f} "
                         f"| {r['extract_over_trafilatura_metadata']:.2f}× |")
    crawl, bench = results["crawl"], results["scrapy_bench"]
    lines += ["", "| run | responses | crawl s | pages/s | process wall s | peak memory MB |",
              "|---|--:|--:|--:|--:|--:|",
              run_row(f"offline crawl `asia` (median of {len(crawl['runs'])})", crawl),
              run_row("`scrapy bench`, Scrapy defaults", bench)]
    return "\n".join(lines)


def run_row(label: str, run: dict) -> str:
    """One crawl's figures as a Markdown table row."""
    memory = f"{run['peak_memory_mb']:.1f}" if run["peak_memory_mb"] is not None else "?"
    return (f"| {label} | {run['responses']} | {run['seconds']:.3f} | {run['pages_per_second']:.1f} "
            f"| {run['wall_seconds']:.2f} | {memory} |")


def reading(results: dict) -> str:
    """A few sentences that say only what the figures show."""
    sentences = []
    for name, pageset in results["extraction"].items():
        r = pageset["groups"]["all"]
        ours, parse, traf = (r[k]["ms_per_page"] for k in ("newscrawl_extract", "lxml_parse", "trafilatura_extract"))
        sentences.append(f"On the {r['pages']} pages of the {name} set, newscrawl's extraction takes {ours:.1f} ms "
                         f"a page, {r['extract_over_parse']:.1f} times the {parse:.1f} ms lxml needs to parse them "
                         f"alone, {r['extract_over_trafilatura']:.2f} times trafilatura's {traf:.1f} ms for the main "
                         f"text, and {r['extract_over_trafilatura_metadata']:.2f} times its "
                         f"{r['trafilatura_metadata']['ms_per_page']:.1f} ms for the text with title, date and "
                         f"author, which newscrawl reads too.")
        paths = [f"{PATHS.get(path, path)} ({plural(g['pages'], 'page')}) "
                 f"{g['newscrawl_extract']['ms_per_page']:.1f} ms a page, "
                 f"{g['extract_over_parse']:.1f} times their parse"
                 for path, g in pageset["groups"].items() if path != "all"]
        if paths:
            sentences.append(f"By the path the extraction took: {'; '.join(paths)}.")
    crawl, bench = results["crawl"], results["scrapy_bench"]
    sentences.append(f"The offline crawl handles {crawl['pages_per_second']:.0f} responses a second "
                     f"({crawl['responses']} in {crawl['seconds']:.2f} s, in a process of "
                     f"{crawl['wall_seconds']:.1f} s wall time with start-up), "
                     f"{results['crawl_over_bench']:.2f} times the "
                     f"{bench['pages_per_second']:.0f} a second of `scrapy bench` on this machine, and peaks at "
                     f"{crawl['peak_memory_mb']:.0f} MB.")
    return " ".join(sentences)


def plural(count: int, noun: str) -> str:
    """Count a noun in words: "1 page", "19 pages"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def markdown(results: dict) -> str:
    """RESULTS.md: the tables, the command that produced them, the machine, and the reading."""
    m = results["machine"]
    return (f"# Benchmark results\n\n`{results['command']}` on {m['date']}: {m['cpus']} CPUs "
            f"(1-minute load {m['load_average_1m']} at start), Python {m['python']}, Scrapy {m['scrapy']}, "
            f"lxml {m['lxml']} (libxml2 {m['libxml2']}), trafilatura {m['trafilatura']}.\n\n"
            f"{tables(results)}\n\n{reading(results)}\n\nHow to read these figures: `README.md` in this folder.\n")
