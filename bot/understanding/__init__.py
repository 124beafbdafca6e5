"""Understanding a citizen's message: the stages, each a module, in the order they run.

1. `normalise` – folding to plain Latin, sentences and their parts (statements
   beside questions), courtesy (`Добро вече`, `унапред хвала`) set aside, what
   the question words ask for (who, where, which month or day): the `Message`
   (`message`) that goes forward through the stages, each adding to it;
2. `networks` – which networks are named (names, acronyms, aliases; case
   endings, typos, swapped letters and half-remembered names tolerated) and
   names we do not know;
3. `features` – the words, their stems and character n-grams, names masked;
4. `classify` – a linear model trained on the examples in `intents/` scores
   every intent (out of scope, `fallback`, is an intent too); `search` finds the
   facts a question's words point at;
5. `decide` – one rule per way a question can be read, tried in a listed order:
   answer, follow-up, ask back (`clarify`) or admit it is out of scope (`fallback`);
   the rules live in `rules/`, one module per kind.

`evidence` gathers what stages 2–4 say about one clause for `decide`, with
`words` (which words carry meaning, which the bot has seen); `types` holds what
the stages hand each other (`Evidence`, `Reading`, `Context`); the rules ask
the rest of the pipeline only through `oracle.Oracle`, which `lookups` answers
from the loaded files; `pipeline` runs it all for one message; every threshold
is in `bot/thresholds.py` (`Config`).
"""
