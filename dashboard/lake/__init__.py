"""The Parquet lake: raw articles annotated in parallel (in one process or on a Dask cluster)
into Parquet files that DuckDB, Spark or BigQuery read directly and `alliance-atlas ingest`
streams into the store. See docs/lake.md.

    layout.py  the lake's folders, file names, Arrow schemas and manifest (one lake writer)
    inputs.py  raw inputs cut into chunks, and a chunk read back as documents
    chunk.py   one chunk annotated and written (what a worker runs)
    engine.py  the two executors: in this process (`local`) or on Dask (`dask`)
    read.py    a lake read back as store rows, for the ingest
"""
