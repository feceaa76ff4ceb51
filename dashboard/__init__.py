"""Alliance Atlas: annotated news articles in, actor-to-actor alliance and hostility edges out.

Data flows one way through the modules: models -> registry -> loaders -> edges -> store ->
queries -> figures -> views (the Streamlit pages). Only `app`, `views` and `ui` import
streamlit.
"""

__version__ = "0.1.0"
