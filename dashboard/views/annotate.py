"""Annotate: paste or upload a raw article, review the proposed edges, save them."""

import streamlit as st

st.title("Annotate")
st.info("The review loop is being built.")
