"""Answers as Telegram messages: escaped HTML, split under Telegram's length limit, and buttons.

Everything that comes from the knowledge file or from the user is escaped;
the only markup added is the bold network name.  Callback data is short and
fixed-form: `n:<network>` opens a card, `a:<intent>:<network>` asks a question.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answering.render import Section
from bot.knowledge import Network
from bot.script import Script, in_script

MESSAGE_LIMIT = 4096  # Telegram counts UTF-16 code units of the text without markup
CALLBACK_LIMIT = 64  # bytes of callback data


def telegram_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def section_html(section: Section) -> str:
    body = escape(section.body, quote=False)
    return f"<b>{escape(section.title, quote=False)}</b>\n{body}" if section.title else body


def split_messages(sections: Iterable[Section], limit: int = MESSAGE_LIMIT) -> list[str]:
    """HTML messages, each under `limit`, split between paragraphs (then lines, then anywhere)."""
    pieces: list[tuple[str, str]] = []  # (what joins it to the piece before, plain text)
    titles: set[int] = set()
    for section in sections:
        glue = "\n\n"
        if section.title:
            titles.add(len(pieces))
            pieces.append((glue, section.title))
            glue = "\n"
        for paragraph in section.body.split("\n\n"):
            for part in _fit(paragraph, limit - 2):
                pieces.append((glue, part))
                glue = "\n\n"
    messages: list[str] = []
    html, size = "", 0
    for index, (glue, plain) in enumerate(pieces):
        if html and size + telegram_length(glue + plain) > limit:
            messages.append(html)
            html, size = "", 0
        joined = glue if html else ""  # a message does not start with the glue
        escaped = escape(plain, quote=False)
        html += joined + (f"<b>{escaped}</b>" if index in titles else escaped)
        size += telegram_length(joined + plain)
    if html:
        messages.append(html)
    return messages


def _fit(paragraph: str, limit: int) -> list[str]:
    """A paragraph cut into parts no longer than `limit`: between lines where it can, anywhere where it must."""
    if telegram_length(paragraph) <= limit:
        return [paragraph]
    parts: list[str] = []
    chunk = ""
    for line in paragraph.split("\n"):
        while telegram_length(line) > limit:
            if chunk:
                parts.append(chunk)
                chunk = ""
            cut = limit // 2  # UTF-16: a character is at most two units
            parts.append(line[:cut])
            line = line[cut:]
        candidate = f"{chunk}\n{line}" if chunk else line
        if chunk and telegram_length(candidate) > limit:
            parts.append(chunk)
            candidate = line
        chunk = candidate
    if chunk:
        parts.append(chunk)
    return parts


def networks_keyboard(networks: Iterable[Network], script: Script) -> InlineKeyboardMarkup:
    """One button per network, opening its card."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(in_script(n.display_name, script), callback_data=f"n:{n.id}")] for n in networks]
    )


def card_keyboard(network: Network, labels: dict[str, str], script: Script) -> InlineKeyboardMarkup:
    """Buttons under a card: the other questions about this network, two a row."""
    buttons = [
        InlineKeyboardButton(in_script(label, script), callback_data=ask_data(intent, network.id))
        for intent, label in labels.items()
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def suggestions_keyboard(suggestions: Iterable[tuple[str, tuple[str, str]]]) -> InlineKeyboardMarkup:
    """One button per suggested question; pressing it answers that question."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(text, callback_data=ask_data(intent, network))]
            for text, (intent, network) in suggestions
        ]
    )


def feedback_keyboard(intent: str, network_id: str | None, helpful: str, unhelpful: str) -> InlineKeyboardMarkup:
    """👍 / 👎 under an answer; the vote is stored with the intent and network, nothing about the voter."""
    about = f"{intent}:{network_id or ''}"
    if len(f"v:1:{about}".encode()) > CALLBACK_LIMIT:
        about = f"{intent}:"
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(helpful, callback_data=f"v:1:{about}"),
                InlineKeyboardButton(unhelpful, callback_data=f"v:0:{about}"),
            ]
        ]
    )


def ask_data(intent: str, network_id: str) -> str:
    data = f"a:{intent}:{network_id}"
    if len(data.encode()) > CALLBACK_LIMIT:  # ids are checked at load, this is a last guard
        data = f"n:{network_id}"[:CALLBACK_LIMIT]
    return data


def parse_callback(data: str) -> tuple[str, str | None, str | None]:
    """`n:ecad` → ("card", None, "ecad"); `a:seat:ecad` → ("ask", "seat", "ecad"), `a:list:` → ("ask", "list",
    None); `v:1:seat:ecad` → ("helpful", "seat", "ecad"), `v:0:…` → ("unhelpful", …); else ("unknown", None, None)."""
    kind, _, rest = data.partition(":")
    if kind == "n" and rest:
        return "card", None, rest
    if kind == "a":
        intent, _, network = rest.partition(":")
        if intent:
            return "ask", intent, network or None
    if kind == "v":
        vote, _, about = rest.partition(":")
        intent, _, network = about.partition(":")
        if vote in ("0", "1") and intent:
            return ("helpful" if vote == "1" else "unhelpful"), intent, network or None
    return "unknown", None, None
