"""What the bot keeps across restarts, in one SQLite file in BOT_DATA_DIR.

`database` owns the file and its writer thread; each other module is one *part*
of it with its own tables: `inbox` (updates until they are answered),
`conversations` (what a chat talks about, for 30 minutes), `questions`
(questions the bot could not answer, and 👍/👎 votes).
"""
