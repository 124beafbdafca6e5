"""The website channel: a chat page, its JSON API (`POST /api/ask`) and the staff page, on one HTTP server.

`python -m bot web` serves it alone; `python -m bot run` serves it beside Telegram
when WEB_PORT is set.  The same engine answers, and web questions are counted,
stored and reported like Telegram's, marked with their channel.
"""
