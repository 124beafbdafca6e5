"""The keys an intents file may use, section by section, and the placeholders each template may use.

Reading (`reading.py`) accepts these keys and nothing else; an unknown key gets
a did-you-mean hint from `FIELD_NAMES`, and a template a placeholder it may not
use is reported with the ones it may.
"""

from __future__ import annotations

SECTIONS = ("version", "nlu", "taught", "responses", "layout", "language", "telegram", "web")
# What an intent is to the decision rules, so that they name no intent (true or false; see model.Response).
FLAGS = (
    "needs_network",
    "about_nis",
    "small_talk",
    "lists_networks",
    "describes_network",
    "asks_membership",
    "asks_joining",
    "asks_seat",
    "counts_members",
)
RESPONSE_FIELDS = (
    "text",
    "fact",
    "question",
    "unknown",
    "instead",
    *FLAGS,
    "unknown_network",
    "about_network",
    "details",
    "compared",
    "missing_value",
    "names",
    "matching",
    "none_matching",
    "scopes",
    "offers",
)
# The flags exactly one intent has (the rules answer with it), and whether that intent asks about one network.
ONE_INTENT_FLAGS = {
    "lists_networks": False,
    "describes_network": True,
    "asks_membership": True,
    "asks_joining": True,
    "asks_seat": True,
    "counts_members": True,
}
TEXT_MAPS = ("details", "compared", "names", "scopes")  # name -> text
LAYOUT_FIELDS = ("fact", "unknown", "unknown_instead", "network_item", "network_fact_item", "example_item", "card")
# Texts only the Telegram bot shows; `commands` and `card_buttons` map a name to a label.
TELEGRAM_TEXTS = (
    "description",
    "short_description",
    "start",
    "help",
    "non_text",
    "slow_down",
    "list_buttons",
    "feedback_helpful",
    "feedback_unhelpful",
    "feedback_thanks",
)
TELEGRAM_MAPS = ("commands", "card_buttons")
# Texts of the chat page on the city's website (bot/web/); all of them are needed there.
WEB_TEXTS = (
    "title",
    "intro",
    "start",
    "placeholder",
    "send",
    "you",
    "assistant",
    "failed",
    "busy",
    "noscript",
    "helpful",
    "unhelpful",
    "thanks",
)
LANGUAGE_LISTS = (
    "stopwords",
    "suffixes",
    "followup_markers",
    "courtesy",
    "question_words",
    "references",
    "identify_asking",
    "identify_kinds",
    "months",
    "agent_markers",
    "city",
    "membership_words",
    "indefinite",
    "network_asking",
    "count_asking",
    "when_asking",
    "list_asking",
    "orders",
    "negations",
    "refusals",
    "contrary",
    "hypotheticals",
    "verb_endings",
    "renaming",
    "relations",
)
LANGUAGE_MAPS = (
    "focus",
    "superlatives",
    "comparatives",
    "scopes",
    "negated_scopes",
    "roles",
    "numbers",
    "number_parts",
    "spellings",
    "centuries",
)  # name -> list of phrases
LANGUAGE_FIELDS = LANGUAGE_LISTS + LANGUAGE_MAPS
# Every key an intents file uses, for the hints about a missing colon or a field swallowed by a text above it.
FIELD_NAMES = frozenset(
    {
        *SECTIONS,
        "intent",
        "examples",
        "question",
        "network",
        *RESPONSE_FIELDS,
        *LAYOUT_FIELDS,
        *LANGUAGE_FIELDS,
        *TELEGRAM_TEXTS,
    }
    | {*TELEGRAM_MAPS, *WEB_TEXTS}
)
# Placeholders each kind of template may use.
TEMPLATE_FIELDS = {
    "text": {"name", "short", "website", "networks", "examples", "fact", "source", "count"},
    "compared": {"name", "short", "website", "value"},
    "missing_value": {"networks"},
    "names": {"value"},
    "matching": {"count", "networks"},
    "none_matching": {"count", "networks"},
    "scopes": {"count", "networks"},
    "question": {"name", "short"},
    "unknown": {"name", "short", "website"},
    "unknown_network": {"asked", "networks"},
    "about_network": {"name", "short", "website"},
    "details": {"name", "short", "website"},
    "layout.fact": {"name", "short", "fact", "source", "website"},
    "layout.unknown": {"name", "short", "unknown", "website"},
    "layout.unknown_instead": {"name", "short", "unknown", "fact", "source", "website"},
    "layout.network_item": {"name", "short", "website"},
    "layout.network_fact_item": {"name", "short", "website", "fact"},
    "layout.example_item": {"question"},
    "layout.card": {"name", "short", "website", "about", "joined"},
}
