"""Break opportunities in very long words: only in the body's text, never inside a character."""

from __future__ import annotations

import pytest

from assessment.scorecard.long_words import CHUNK, LONGEST, ZWSP, breakable


def unbroken(html: str) -> str:
    """The document without the breaks and the spans around the runs that got them."""
    return html.replace(ZWSP, "").replace("<span>", "").replace("</span>", "")


def page(body: str, head: str = "<title>t</title>") -> str:
    return f"<!doctype html><html><head>{head}</head><body><p>{body}</p></body></html>"


def test_ordinary_text_is_left_alone():
    text = page("A note of ordinary words, with a URL https://example.org/a/b/c?d=e&amp;f=g.")
    assert breakable(text) is text


def test_a_long_run_gets_a_break_every_chunk_and_reads_the_same():
    word = "x" * 1000
    out = breakable(page(word))
    broken = out.split("<p><span>")[1].split("</span></p>")[0]
    pieces = broken.split(ZWSP)
    assert len(pieces) == 1000 // CHUNK and {len(p) for p in pieces} == {CHUNK}
    assert unbroken(out) == page(word)


def test_tags_attributes_the_head_and_entities_stay_whole():
    word = "y" * (LONGEST + 40)
    html = page(f'<b data-name="{word}">{word}&amp;{word}</b>', head=f"<title>{word}</title>")
    out = breakable(html)
    assert f'data-name="{word}"' in out and f"<title>{word}</title>" in out
    assert "&amp;" in out and unbroken(out) == html
    body = out.split("<body>")[1]
    assert ZWSP in body and "&amp;" in body  # the entity whole, a break before it at most


@pytest.mark.parametrize(
    "cluster",
    [
        "e\u0301",  # e and a combining acute accent
        "\u0e01\u0e34",  # Thai consonant and a vowel sign above it
        "\U0001f469\u200d\U0001f4bb",  # woman technologist: an emoji ZWJ sequence
        "\u2764\ufe0f",  # a heart with its emoji variation selector
    ],
)
def test_a_break_never_falls_inside_a_character(cluster):
    out = breakable(page(cluster * 100))
    body = out.split("<p><span>")[1].split("</span></p>")[0]
    assert ZWSP in body
    assert all(piece and piece.startswith(cluster[0]) for piece in body.split(ZWSP))
