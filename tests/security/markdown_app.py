"""A Streamlit script for tests/security/test_markdown.py: every Markdown payload shown
through `marking.md` in each kind of Markdown-capable element the pages use."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st  # noqa: E402

from dashboard.marking import md  # noqa: E402
from tests.security.payloads import MARKDOWN_PAYLOADS, PAYLOADS  # noqa: E402

for i, payload in enumerate(("plain words", *MARKDOWN_PAYLOADS, *PAYLOADS[:40])):
    with st.container(key=f"case_{i}"):
        st.markdown(f"**Case** {md(payload)}")
        st.caption(md(payload))
        st.subheader(md(payload))
        st.error(md(payload))
        st.button(md(payload), key=f"b{i}")
