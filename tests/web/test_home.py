"""The home page: an empty company gives the demo command exactly as the README does."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def readme_demo_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Try the demo company", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", section, re.S).group(1).strip()


def test_the_empty_home_page_gives_the_readmes_demo_command(client, login, users):
    login(users["hr"])
    page = client.get("/").get_data(as_text=True)
    command = readme_demo_command()
    assert command == ".venv/bin/flask --app app demo"
    assert f'<code class="command">{command}</code>' in page
    assert "No positions yet" in page and 'href="/positions/new"' in page
