"""The forms a page offers, read from its HTML as a browser reads them: where each posts,
its fields, what kind each field is, and what a browser would send untouched."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

CHOICE_KINDS = frozenset({"select", "radio", "checkbox"})
SKIPPED = frozenset({"csrf_token"})  # its own checks are tested elsewhere


@dataclass
class Field:
    name: str
    kind: str  # an input's type, "select" or "textarea"
    value: str = ""
    checked: bool = False


@dataclass
class Form:
    action: str  # a path
    method: str
    fields: list[Field] = field(default_factory=list)

    def defaults(self) -> list[tuple[str, str]]:
        """What a browser sends when the form is submitted untouched (no button named)."""
        sent = []
        for f in self.fields:
            if f.kind in ("submit", "button", "reset", "image", "file") or f.name in SKIPPED:
                continue
            if f.kind in ("radio", "checkbox") and not f.checked:
                continue
            sent.append((f.name, f.value))
        return sent

    def kinds(self) -> dict[str, str]:
        """Each field name a person can fill in or pick, with its kind."""
        found: dict[str, str] = {}
        for f in self.fields:
            if f.name and f.name not in SKIPPED and f.kind not in ("button", "reset", "image"):
                found.setdefault(f.name, f.kind)
        return found


class _Parser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self.current: Form | None = None
        self.loose: list[tuple[str, Field]] = []  # fields outside a form, with form="id"
        self.select: Field | None = None
        self.options_seen = 0
        self.textarea: Field | None = None

    def _add(self, attrs: dict[str, str | None], item: Field) -> None:
        owner = attrs.get("form")
        if owner:
            self.loose.append((owner, item))
        elif self.current is not None:
            self.current.fields.append(item)

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            action = urlsplit(urljoin(self.page_url, attrs.get("action") or self.page_url))
            path = action.path + (f"?{action.query}" if action.query else "")
            self.current = Form(path, (attrs.get("method") or "get").upper())
            self.forms.append(self.current)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.current
        elif tag in ("input", "button") and attrs.get("name"):
            kind = attrs.get("type") or ("submit" if tag == "button" else "text")
            item = Field(attrs["name"], kind.lower(), attrs.get("value") or "", "checked" in attrs)
            self._add(attrs, item)
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = Field(attrs["name"], "textarea")
            self._add(attrs, self.textarea)
        elif tag == "select" and attrs.get("name"):
            self.select = Field(attrs["name"], "select")
            self.options_seen = 0
            self._add(attrs, self.select)
        elif tag == "option" and self.select is not None:
            # A browser sends the selected option, else the first.
            if "selected" in attrs or not self.options_seen:
                if not self.select.checked:
                    self.select.value = attrs.get("value") or ""
                self.select.checked = self.select.checked or "selected" in attrs
            self.options_seen += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data


def forms_in(html: str, page_url: str) -> list[Form]:
    """Every form of the page, with the fields placed outside it by form="id"."""
    parser = _Parser(page_url)
    parser.feed(html)
    for owner, item in parser.loose:
        if owner in parser.by_id:
            parser.by_id[owner].fields.append(item)
    return parser.forms


__all__ = ["CHOICE_KINDS", "Field", "Form", "forms_in"]
