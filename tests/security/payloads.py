"""Script-injection payloads for every field that can reach a page or an export.

Each payload, if a browser ever executed it, sets `window.__pwned` (or `top.__pwned`) and calls
`alert(document.domain)`, so a test detects execution by a dialog event or by reading
`window.__pwned` in every frame. The corpus covers script tags, event-handler attributes,
`javascript:`/`data:`/`vbscript:` URLs, SVG and MathML vectors, iframe `srcdoc`, attribute and
template breakers, broken, entity- and double-encoded markup, Markdown and LaTeX links (the app
renders some strings through Streamlit's Markdown), unicode tricks and a very long string.

`URL_PAYLOADS` are the payloads shaped like a link target: the article model must refuse every
one whose scheme is not http(s); `HTTP_URL_PAYLOADS` are http(s) addresses carrying quotes and
markup, which the model accepts and every page must still show as an inert link.
"""

from __future__ import annotations

JS = "window.__pwned=1;top.__pwned=1;alert(document.domain)"
JS_NOQUOTE = "top.__pwned=1,alert(document.domain)"

PAYLOADS: tuple[str, ...] = (
    # Script tags.
    f"<script>{JS}</script>",
    f"<SCRIPT>{JS}</SCRIPT>",
    f"<script src=data:text/javascript,{JS_NOQUOTE}></script>",
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"</script><script>{JS}</script>",
    f"</title><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"</style><script>{JS}</script>",
    f"<!--<script>{JS}</script>-->",
    f"<![CDATA[<script>{JS}</script>]]>",
    # Event handlers.
    f"<img src=x onerror=\"{JS}\">",
    f"<img/src/onerror={JS_NOQUOTE}>",
    f"<IMG SRC=x OnErRoR={JS_NOQUOTE}>",
    f"<body onload=\"{JS}\">",
    f"<svg onload=\"{JS}\">",
    f"<svg/onload={JS_NOQUOTE}>",
    f"<input autofocus onfocus=\"{JS}\">",
    f"<details open ontoggle=\"{JS}\">",
    f"<video><source onerror=\"{JS}\"></video>",
    f"<audio src=x onerror=\"{JS}\">",
    f"<marquee onstart=\"{JS}\">x</marquee>",
    f"<div onmouseover=\"{JS}\" style=\"position:fixed;inset:0\">hover</div>",
    f"<select autofocus onfocus=\"{JS}\"></select>",
    f"<style onload=\"{JS}\"></style>",
    # Links and URLs.
    f"<a href=\"javascript:{JS}\">click</a>",
    f"<a href=\"JaVaScRiPt:{JS}\">click</a>",
    f"<a href=\"&#106;avascript:{JS}\">click</a>",
    f"<a href=\"data:text/html,<script>{JS}</script>\">click</a>",
    f"<iframe src=\"javascript:{JS}\"></iframe>",
    f"<iframe srcdoc=\"<script>parent.__pwned=1;{JS}</script>\"></iframe>",
    f"<object data=\"javascript:{JS}\"></object>",
    f"<embed src=\"javascript:{JS}\">",
    f"<form action=\"javascript:{JS}\"><button>go</button></form>",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{JS}\">",
    f"[click](javascript:{JS_NOQUOTE})",
    f"![x](x\" onerror=\"{JS})",
    f"<javascript:{JS_NOQUOTE}>",
    # SVG and MathML.
    f"<svg><script>{JS}</script></svg>",
    f"<svg><animate onbegin=\"{JS}\" attributeName=x dur=1s>",
    f"<svg><a xlink:href=\"javascript:{JS}\"><text x=20 y=20>click</text></a></svg>",
    f"<svg><foreignObject><img src=x onerror=\"{JS}\"></foreignObject></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=\"{JS}\">",
    f"<math href=\"javascript:{JS}\">click</math>",
    f"<math><maction actiontype=statusline xlink:href=\"javascript:{JS}\">x</maction></math>",
    # Attribute, string and template breakers.
    f"\"><img src=x onerror=\"{JS}\">",
    f"'><img src=x onerror='{JS}'>",
    f"' onmouseover='{JS}' x='",
    f"\" onfocus=\"{JS}\" autofocus=\"",
    "'-alert(document.domain)-'",
    f"\";{JS};//",
    f"';{JS};//",
    f"`;{JS};//`",
    f"${{{JS}}}",
    f"{{{{constructor.constructor('{JS}')()}}}}",
    f"</div></span></mark><img src=x onerror=\"{JS}\">",
    f"]]></script><script>{JS}</script>",
    # Entities and double encoding: must show exactly as written, decoded by nobody.
    f"&lt;script&gt;{JS}&lt;/script&gt;",
    f"&amp;lt;img src=x onerror={JS_NOQUOTE}&amp;gt;",
    f"%3Cscript%3E{JS}%3C%2Fscript%3E",
    f"%253Cscript%253E{JS}%253C%252Fscript%253E",
    f"\\u003cscript\\u003e{JS}\\u003c/script\\u003e",
    f"&#60;script&#62;{JS}&#60;/script&#62;",
    f"<scr\u0131pt>{JS}</scr\u0131pt>",
    # Unicode tricks: full-width brackets, right-to-left override, zero-width, NUL-free.
    f"\uff1cscript\uff1e{JS}\uff1c/script\uff1e",
    f"\u202e<img src=x onerror=\"{JS}\">\u202c",
    f"<im\u200bg src=x one\u200brror=\"{JS}\">",
    f"<img src=x onerror=\"{JS}\"\u2028>",
    # LaTeX in Markdown: KaTeX must not follow a javascript: link.
    f"$\\href{{javascript:{JS_NOQUOTE}}}{{click}}$",
    # Broken markup.
    f"<img src=x onerror=\"{JS}\"",
    f"<<script>{JS}//<</script>",
    f"<a href=javascript&colon;{JS_NOQUOTE}>click",
    # A very long string ending in a script.
    "A" * 5000 + f"<script>{JS}</script>",
)

# Link targets that must never become links: the model refuses them as article URLs.
URL_PAYLOADS: tuple[str, ...] = (
    f"javascript:{JS}",
    f"JAVASCRIPT:{JS}",
    f" javascript:{JS}",
    f"\tjavascript:{JS}",
    f"java\nscript:{JS}",
    f"javascript://example.org/%0a{JS}",
    f"data:text/html,<script>{JS}</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    f"vbscript:msgbox({JS})",
    "file:///etc/passwd",
    "ftp://example.org/x",
    f"//example.org/<script>{JS}</script>",
    f"<script>{JS}</script>",
    "http:/example.org",
    "https:",
    f"&#106;avascript:{JS}",
)

# http(s) addresses the model accepts but that carry quotes and markup.
HTTP_URL_PAYLOADS: tuple[str, ...] = (
    f"https://example.org/\"><script>{JS}</script>",
    f"https://example.org/'onmouseover='{JS}'",
    f"http://example.org/?q=<img src=x onerror=\"{JS}\">",
    f"https://example.org/#\" onclick=\"{JS}",
)

MARKERS = ("onerror", "onload", "onfocus", "ontoggle", "onbegin", "onstart", "onmouseover",
           "onclick")

assert len(set(PAYLOADS)) == len(PAYLOADS) >= 50

# Markdown and Streamlit's Markdown extensions: what an untrusted string could turn into
# markup, an outside request (an image, a link followed), an icon, a colour or a formula when
# a page shows it through st.markdown, st.caption, an alert, a header or a widget label.
# "outside.invalid" is never resolved: a request for it counts as an outside request.
MARKDOWN_PAYLOADS: tuple[str, ...] = (
    "![q](http://outside.invalid/q.png)",
    "![q][r]\n\n[r]: http://outside.invalid/r.png",
    "[link](http://outside.invalid/l)",
    "<http://outside.invalid/auto>",
    "http://outside.invalid/bare and www.outside.invalid",
    "mail@outside.invalid",
    "<img src=http://outside.invalid/i.png>",
    "<b>bold</b> <i>it</i> <span style=color:red>x</span>",
    ":material/home: :material/warning: icons",
    ":smile: :+1: :rocket: shortcodes",
    ":red[red] :blue-background[bg] :green-badge[badge] :rainbow[r] :small[s]",
    "$x^2$ and $$\\frac{a}{b}$$ maths",
    "# Heading\n## Second",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "**bold** *em* __u__ ~~strike~~ `code`",
    "> quote\n- item\n1. one",
    "```\nfenced\n```",
    "line\\\nbreak \\* \\\\ backslashes \\",
    "&lt;b&gt; &amp; &#x3C;img&#x3E; entities",
    "10:30 on 2024-03-01, 50% up; C# & F#",
    "[x](<http://outside.invalid/a b>) [y]: <http://outside.invalid>",
)
