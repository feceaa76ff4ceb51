"""The Streamlit pages. Thin: read widgets, call `dashboard.queries` and `dashboard.figures`,
render."""
