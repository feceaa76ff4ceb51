"""News intake: from a link, a feed or a web archive (WARC) to annotated articles in the store.

One module per step, data flowing one way:
  * `extract`: a web page's main text and metadata (trafilatura), hidden text and scripts left out;
  * `http`: polite, bounded fetching (robots.txt, per-host rate limit, retries, size cap);
  * `feeds`: RSS and Atom feeds (feedparser) to the links of their entries;
  * `log`: the store's table of what was fetched, for incremental runs and the Data page;
  * `run`: fetch, extract, annotate and ingest (or write) a list of links;
  * `warc`: web-archive records through the same extraction;
  * `cli`: the `fetch` command.
See docs/intake.md.
"""
