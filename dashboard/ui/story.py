"""Saved views and presenter mode.

A bookmark is a name and the URL state of a page (see `dashboard.bookmarks`); the sidebar saves,
opens and deletes them. Presenter mode (`?present=1`, or the sidebar button) is for the
projector: wide layout, large type, no sidebar, minimal chrome, and a bar with Previous / Next
that steps through the bookmarks in order, as a story.

Opening a bookmark sets the widget values in a callback (Streamlit cannot re-seed widgets of a
running session from a URL) and, when the bookmark is on another page, switches page at the
start of the next run (`follow`).
"""

from __future__ import annotations

import html

import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard import bookmarks
from dashboard import view_settings as settings
from dashboard.bookmarks import Bookmark, BookmarkError
from dashboard.marking import md
from dashboard.ui import filters as filter_ui
from dashboard.ui import urlstate
from dashboard.ui.connection import store_path

_GOTO = "_atlas_goto"
_STORY = "_atlas_story"
_PRESENT = "_atlas_present"
_NOTICE = "_atlas_story_notice"
_NAME = "_atlas_bookmark_name"
_PICK = "_atlas_bookmark_pick"

PRESENTER_CSS = """
<style>
html { font-size: 21px; }
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"],
[data-testid="stToolbarActions"], [data-testid="stMainMenu"],
[data-testid="stAppDeployButton"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], footer { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] {
  padding-left: 2.2rem !important; padding-right: 2.2rem !important;
  padding-top: 4.6rem !important; max-width: 100% !important; }
h1 { font-size: 2.1rem !important; padding-top: 0.1rem !important;
  padding-bottom: 0.4rem !important; }
.atlas-story-name { font-size: 1.25rem; font-weight: 600; text-align: center;
  line-height: 2.2rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
</style>
"""


def sidecar():
    return bookmarks.sidecar(store_path())


def presenting() -> bool:
    """Whether presenter mode is on. The flag lives in the session and is mirrored into the
    URL as `present=1` (page links in the browser drop unknown parameters; this puts it back)."""
    state = st.session_state
    wanted = st.query_params.get(urlstate.PRESENT)
    if _PRESENT not in state:
        state[_PRESENT] = wanted in ("1", "true", "yes")
    on = bool(state[_PRESENT])
    if on and wanted != "1":
        st.query_params[urlstate.PRESENT] = "1"
    elif not on and wanted is not None:
        del st.query_params[urlstate.PRESENT]
    return on


def presenting_now() -> bool:
    """Whether this run is in presenter mode (as `presenting` decided at the start of it)."""
    return bool(st.session_state.get(_PRESENT))


def type_scale() -> float:
    """How much bigger every type size is drawn: `PRESENT_SCALE` in presenter mode, for the
    back of a room, graph labels and chart axes included."""
    return settings.PRESENT_SCALE if presenting_now() else 1.0


def _set_presenting(on: bool) -> None:
    st.session_state[_PRESENT] = on
    if not on:
        st.session_state.pop(_STORY, None)


def follow(current_page: str) -> None:
    """Finish opening a bookmark: switch to its page (the callback already set the widgets).
    Call right after st.navigation, before anything is drawn."""
    goto = st.session_state.pop(_GOTO, None)
    if not goto:
        return
    page, extras = goto
    present = {urlstate.PRESENT: "1"} if st.session_state.get(_PRESENT) else {}
    if page != current_page and page in urlstate.PAGE_FILES:
        target = urlstate.PAGE_FILES[page]
        # Widgets this session has drawn before are bound to their parameters and write them
        # themselves (Streamlit refuses them here): the sidebar's filters always, the page's
        # own when it was visited before. The rest goes into the address bar with the page.
        global_keys = {p.key for p in urlstate.GLOBAL_PARAMS}
        page_keys = {p.key for p in urlstate.params_of(page)}
        for leave_out in (set(), global_keys, page_keys):
            try:
                st.switch_page(target, query_params={
                    **{k: v for k, v in extras.items() if k not in leave_out}, **present})
            except StreamlitAPIException:
                continue
    for key in urlstate.UNBOUND:
        if key != urlstate.PRESENT and key not in extras and key in st.query_params:
            del st.query_params[key]
    # `extras` is the whole saved view as the widgets write it: what the view leaves at its
    # default goes from the address bar, the rest is written.
    for param in urlstate.params_of(page):
        if param.key not in extras and param.key in st.query_params:
            try:
                del st.query_params[param.key]
            except StreamlitAPIException:
                pass  # bound to a widget of this page: it writes its own default
    for key, values in extras.items():
        try:
            st.query_params[key] = values
        except StreamlitAPIException:
            pass  # bound to a widget of this page: its value was set by the bookmark already


def _open(index: int) -> None:
    """Callback: set every widget to the bookmark's values and ask `follow` to switch."""
    try:
        saved = bookmarks.load(sidecar())
    except BookmarkError as exc:
        st.session_state[_NOTICE] = str(exc)
        return
    run = filter_ui.current()
    if not saved or run is None:
        return
    index = min(max(index, 0), len(saved) - 1)
    bookmark = saved[index]
    page = bookmark.page if bookmark.page in urlstate.PAGE_FILES else urlstate.DEFAULT_PAGE
    extras = urlstate.apply(page, bookmark.query, run.context)
    st.session_state[_GOTO] = (page, extras)
    st.session_state[_STORY] = index


def _save(page: str) -> None:
    name = str(st.session_state.get(_NAME) or "").strip()
    try:
        # Read at click time: the address bar then holds every widget of the page.
        saved = bookmarks.add(sidecar(), name, page, urlstate.current_query())
    except BookmarkError as exc:
        st.session_state[_NOTICE] = str(exc)
        return
    st.session_state[_NAME] = ""
    st.session_state[_PICK] = next(i for i, b in enumerate(saved) if b.name == " ".join(
        name.split())[:bookmarks.MAX_NAME])
    st.session_state[_NOTICE] = ""


def _delete(name: str) -> None:
    try:
        bookmarks.delete(sidecar(), name)
    except BookmarkError as exc:
        st.session_state[_NOTICE] = str(exc)
        return
    st.session_state.pop(_PICK, None)


def _move(name: str, offset: int) -> None:
    try:
        bookmarks.move(sidecar(), name, offset)
    except BookmarkError as exc:
        st.session_state[_NOTICE] = str(exc)


def _load() -> list[Bookmark]:
    try:
        return bookmarks.load(sidecar())
    except BookmarkError as exc:
        st.error(md(exc), icon=":material/error:")
        return []


def sidebar(current_page: str) -> None:
    """The "Saved views" part of the sidebar."""
    saved = _load()
    with st.sidebar:
        st.subheader("Saved views")
        notice = st.session_state.pop(_NOTICE, "")
        if notice:
            st.error(md(notice), icon=":material/error:")
        st.text_input("Name this view", key=_NAME, max_chars=bookmarks.MAX_NAME,
                      placeholder="e.g. Sanctions on Russia, 2022")
        st.button("Save view", icon=":material/bookmark_add:", width="stretch",
                  on_click=_save, args=(current_page,),
                  help="Saves this page with its filters and choices in "
                       f"{sidecar().name}, next to the store.")
        if saved:
            urlstate.keep_valid(_PICK, range(len(saved)), 0)
            pick = st.selectbox("Bookmarks (the presenter's story, in order)",
                                range(len(saved)), key=_PICK,
                                format_func=lambda i: f"{i + 1}. {saved[i].name}")
            cols = st.columns([3, 1, 1, 1], gap="small")
            cols[0].button("Open", on_click=_open, args=(pick,), width="stretch",
                           icon=":material/open_in_browser:")
            cols[1].button("", on_click=_move, args=(saved[pick].name, -1),
                           icon=":material/arrow_upward:", help="Earlier in the story",
                           disabled=pick == 0)
            cols[2].button("", on_click=_move, args=(saved[pick].name, 1),
                           icon=":material/arrow_downward:", help="Later in the story",
                           disabled=pick == len(saved) - 1)
            cols[3].button("", on_click=_delete, args=(saved[pick].name,),
                           icon=":material/delete:", help="Delete this bookmark")
        else:
            st.caption("No saved views yet. Name the view above and save it; in presenter "
                       "mode, Next and Previous step through them.")
        st.button("Presenter mode", on_click=_set_presenting, args=(True,),
                  icon=":material/slideshow:", width="stretch", type="primary",
                  help="Large type, no sidebar, and Next/Previous through the saved views "
                       "(the URL gets present=1).")


def presenter_bar() -> None:
    """Previous / story position / Next / Exit, above the page in presenter mode."""
    st.html(PRESENTER_CSS)
    saved = _load()
    index = st.session_state.get(_STORY)
    if index is not None and index >= len(saved):
        index = None
    cols = st.columns([1.2, 4, 1.2, 1.3], vertical_alignment="center")
    cols[0].button("Previous", icon=":material/chevron_left:", width="stretch",
                   key="_atlas_prev", disabled=not saved or not index,
                   on_click=_open, args=((index or 0) - 1,))
    if not saved:
        text = "No saved views yet: leave presenter mode and save views to tell a story."
    elif index is None:
        text = f"{len(saved)} saved views \u00b7 Next opens the first"
    else:
        text = f"{index + 1} / {len(saved)} \u00b7 {saved[index].name}"
    cols[1].html(f'<div class="atlas-story-name" data-testid="atlas-story">'
                 f"{html.escape(text)}</div>")
    cols[2].button("Next", icon=":material/chevron_right:", icon_position="right",
                   width="stretch", key="_atlas_next",
                   disabled=not saved or (index is not None and index >= len(saved) - 1),
                   on_click=_open, args=(0 if index is None else index + 1,))
    cols[3].button("Exit presenter", icon=":material/close:", width="stretch",
                   key="_atlas_exit", on_click=_set_presenting, args=(False,))
