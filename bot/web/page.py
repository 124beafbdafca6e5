"""The chat page: `GET /` (index.html with the interface texts of intents/web.yml) and its script and style.

The texts go into the page as a JSON data block in both scripts, so the page can
switch to Latin once a question is written in Latin; the page itself starts in
Cyrillic.  So do the networks, a button each under the first message (as `/start`
shows them in Telegram): its name, and the question it asks.  Everything the
page loads comes from this server.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from string import Template

from bot.engine import Engine
from bot.intents import WEB_TEXTS
from bot.script import Script, in_script
from bot.web.base import BaseHandler

STATIC = Path(__file__).parent / "static"
ASSETS = {"chat.js": "text/javascript; charset=utf-8", "chat.css": "text/css; charset=utf-8"}


def page_texts(web_texts: dict[str, str]) -> dict[str, dict[str, str]]:
    """The interface texts in both scripts: {"cyrillic": {...}, "latin": {...}}."""
    texts = {key: web_texts.get(key, "") for key in WEB_TEXTS}
    return {script.value: {k: in_script(v, script) for k, v in texts.items()} for script in Script}


def network_buttons(engine: Engine) -> dict[str, list[dict[str, str]]]:
    """A button per network, in both scripts: its name, and the question it asks (what the network is)."""
    return {
        script.value: [
            {
                "label": in_script(network.display_name, script),
                "question": in_script(engine.renderer.question("about", network), script),
            }
            for network in engine.bundle.knowledge.networks
        ]
        for script in Script
    }


def render_page(engine: Engine) -> str:
    texts = page_texts(engine.bundle.intents.web)
    cyrillic = texts[Script.CYRILLIC.value]
    page_data = {**texts, "networks": network_buttons(engine)}
    data = json.dumps(page_data, ensure_ascii=False).replace("<", "\\u003c")  # cannot close the data block
    values = {key: html.escape(text) for key, text in cyrillic.items()}
    return _template().substitute(values, texts_json=data)


@cache
def _template() -> Template:
    return Template((STATIC / "index.html").read_text(encoding="utf-8"))


class PageHandler(BaseHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write(render_page(self.site.live.engine))

    head = get  # a link checker or uptime probe asks with HEAD: the same headers, and tornado sends no body


class AssetHandler(BaseHandler):
    """chat.js and chat.css, read once; tornado answers 304 to a browser that has the same version (ETag)."""

    def get(self, name: str) -> None:
        self.set_header("Content-Type", ASSETS[name])
        self.set_header("Cache-Control", "no-cache")
        self.write(_asset(name))

    head = get


@cache
def _asset(name: str) -> bytes:
    return (STATIC / name).read_bytes()
