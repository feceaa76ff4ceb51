"""Alliance Atlas: annotated news articles in, actor-to-actor alliance and hostility edges out.

Data flows one way through the modules: models -> registry -> loaders -> edges -> store ->
queries -> figures -> pages. Nothing below `pages` imports streamlit.
"""

__version__ = "0.1.0"
