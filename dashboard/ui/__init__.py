"""Streamlit helpers shared by the pages: the store connection, the filter sidebar, error
display. Everything that imports streamlit lives here, in `app.py` or in `views/`."""
