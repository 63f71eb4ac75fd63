"""Break opportunities inside very long words, so WeasyPrint wraps them in linear time.

The print stylesheet lets any string break anywhere (overflow-wrap: anywhere), so nothing
runs off the page. But WeasyPrint 70 lays an unbroken word out again from its start for
every line it fills (weasyprint/text/line_break.py, split_first_line): a note of 10,000
characters without a space took over a minute. Here a zero-width space goes every
CHUNK characters into any run of more than LONGEST without whitespace, in the text of the
document's body (never in a tag or an attribute): each line then ends at one of them, in
the usual few layouts per line. It draws nothing and is not in the PDF's text layer. No
word of a language with spaces is that long; in scripts written without spaces (Chinese,
Thai) a break between two characters is a natural one. The run also goes into a <span> of
its own: WeasyPrint measures a line too short when it joins text before it to an Arabic
word broken inside (the letters at the break change shape), and the line ran into the
margin; laid out as a box of its own, it is measured right.
"""

from __future__ import annotations

import re
import unicodedata

LONGEST = 60  # longer runs without whitespace get break opportunities
CHUNK = 20  # characters between two of them
ZWSP = "\u200b"
# Text between two tags of the body, and in it a run of characters that are not whitespace;
# an entity (&amp;, &#39;: the template escapes) counts as one character and stays whole.
TEXT = re.compile(r">([^<]+)<")
CHARACTER = r"&#?\w+;|[^\s&<>]"
RUN = re.compile(rf"(?:{CHARACTER}){{{LONGEST + 1},}}")
JOINERS = {"\u200c", "\u200d", "\u2060"}  # ZWNJ, ZWJ, word joiner: part of a cluster


def _can_break_before(previous: str, char: str) -> bool:
    """Not inside a cluster: before a combining mark or a variation selector, or around a
    joiner (emoji sequences), a break would tear the character apart."""
    if unicodedata.category(char).startswith("M") or char in JOINERS or previous in JOINERS:
        return False
    return not ("\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef")


def _break_run(match: re.Match) -> str:
    characters, out, since = re.findall(CHARACTER, match.group(0)), [], 0
    for n, char in enumerate(characters):
        if since >= CHUNK and _can_break_before(characters[n - 1][-1], char[0]):
            out.append(ZWSP)
            since = 0
        out.append(char)
        since += 1
    return "<span>" + "".join(out) + "</span>"


def breakable(html: str) -> str:
    """`html` with break opportunities in the body's long runs (the head is left alone)."""
    start = html.find("<body")
    if start == -1 or not RUN.search(html, start):
        return html
    body = TEXT.sub(lambda m: ">" + RUN.sub(_break_run, m.group(1)) + "<", html[start:])
    return html[:start] + body
