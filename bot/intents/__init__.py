"""What the assistant understands and how it answers, read from the YAML files in `intents/`.

The format follows Rasa's NLU training data, so people who know Rasa feel at
home; any file may hold any of these sections:

* `nlu:` a list of `- intent: name` with `examples: |` and one phrasing per
  line (`- Када је Ниш приступио {network}?`).  `{network}` stands for any
  network's name, so one phrasing serves all of them.  Alternatives in
  parentheses give one phrasing per choice: `- (Када|Од када) је Ниш (приступио|ушао у) {network}?`
  is four examples; `(Град |)Ниш` makes a word optional.
* `responses:` per intent, the answer texts (Cyrillic; Latin is derived).
* `layout:` how the parts of a fact answer are put together.
* `language:` stop words, case endings and follow-up words for matching.

The package's modules, one job each: `model` (the typed objects), `schema` (the
keys a file may use), `reading` (files to objects), `alternatives` (expanding
`(а|б)`), `checks` (what is wrong with what was read).
"""

from bot.intents.alternatives import expand_alternatives
from bot.intents.model import (
    CLARIFY,
    ENGINE_INTENTS,
    FALLBACK,
    PLACEHOLDER,
    Example,
    IntentBook,
    IntentRoles,
    Language,
    Response,
)
from bot.intents.reading import intent_files, read_intents
from bot.intents.schema import WEB_TEXTS

__all__ = [
    "CLARIFY",
    "ENGINE_INTENTS",
    "FALLBACK",
    "PLACEHOLDER",
    "WEB_TEXTS",
    "Example",
    "IntentBook",
    "IntentRoles",
    "Language",
    "Response",
    "expand_alternatives",
    "intent_files",
    "read_intents",
]
