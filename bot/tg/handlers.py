"""Telegram handlers: the Telegram channel's adapter, each turning one kind of update into a call of the door
(bot/conversation.py) and its answer into messages and buttons.

The door holds the rest: the live engine (a reload swaps it between updates),
each chat's conversation state (in the database, not in python-telegram-bot's
`chat_data`, which is never emptied), the quota, and the recording of answers
and votes.  Buttons answer in the script the user last wrote in (Cyrillic before
any message).
"""

from __future__ import annotations

import logging
from functools import partial
from uuid import uuid4

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.answering.render import Section
from bot.conversation import Door
from bot.engine import Answer, Engine
from bot.knowledge import Network
from bot.script import Script, detect_script, fold, in_script
from bot.text import clean
from bot.tg.delivery import deliver
from bot.tg.format import (
    card_keyboard,
    feedback_keyboard,
    networks_keyboard,
    parse_callback,
    section_html,
    split_messages,
    suggestions_keyboard,
)

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
INLINE_RESULTS = 10


class Handlers:
    def __init__(self, door: Door[int | None]):
        self.door = door

    @property
    def engine(self) -> Engine:
        return self.door.engine

    # Commands --------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply_with_networks(update, context, "start")

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        cyrillic = self._telegram_text("help", Script.CYRILLIC)
        latin = self._telegram_text("help", Script.LATIN)
        await deliver(lambda: message.reply_html(f"{cyrillic}\n\n{latin}", link_preview_options=NO_PREVIEW))

    async def networks(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply_with_networks(update, context, "list_buttons")

    async def _reply_with_networks(self, update: Update, context: ContextTypes.DEFAULT_TYPE, text_key: str) -> None:
        """A text from `intents/telegram.yml` with a button per network, in the chat's script."""
        message = update.effective_message
        if message is None:
            return
        script = self.door.state(_chat_id(update)).script
        text, markup = self._telegram_text(text_key, script), self._networks_keyboard(script)
        await deliver(lambda: message.reply_html(text, reply_markup=markup, link_preview_options=NO_PREVIEW))

    # Messages --------------------------------------------------------------

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any text (new or edited): the engine answers, in the message's script."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        question = message.text
        if message.chat.type != ChatType.PRIVATE:
            addressed = _addressed_text(message, context.bot.username, context.bot.id)
            if addressed is None:
                return  # in groups: only when mentioned or replied to
            question = addressed
        await self._send_answer(message, self.door.ask(_chat_id(update), question).answer)

    async def non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice, locations…: say politely that only text is understood."""
        message = update.effective_message
        if message is None:
            return
        if message.chat.type != ChatType.PRIVATE and not _replies_to(message, context.bot.id):
            return
        text = self._telegram_text("non_text", self.door.state(_chat_id(update)).script)
        await deliver(lambda: message.reply_html(text))

    async def slow_down(self, update: Update) -> None:
        """The first message over a chat's quota: ask, in the chat's script, to write more slowly."""
        message = update.effective_message
        if message is None or not self.engine.bundle.intents.telegram.get("slow_down"):
            return
        written = update.message or update.edited_message
        text = written.text or written.caption if written else None
        script = detect_script(text) if text else self.door.state(_chat_id(update)).script
        await deliver(lambda: message.reply_html(self._telegram_text("slow_down", script)))

    # Buttons and inline mode ----------------------------------------------

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        kind, intent, network_id = parse_callback(query.data or "")
        chat = _chat_id(update)
        state = self.door.state(chat)
        if kind in ("helpful", "unhelpful") and intent is not None:
            await self._vote(query, intent, network_id, kind == "helpful", state.script)
            return
        await query.answer()
        message = query.message if isinstance(query.message, Message) else None
        if message is None:
            return
        if kind == "ask" and intent is not None and not network_id:  # a question of no network (`list`)
            await self._send_answer(message, self.door.press(chat, intent, None).answer, reply=False)
            return
        if network_id not in self.engine.networks:
            return
        if kind == "card":
            shown = self.door.show(chat, network_id)
            await self._send_card(message, self.engine.networks[network_id], shown.script)
        elif kind == "ask" and intent is not None:
            await self._send_answer(message, self.door.press(chat, intent, network_id).answer, reply=False)

    async def inline_query(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`@bot ecad` in any chat: offer the cards of the matching networks."""
        query = update.inline_query
        if query is None:
            return
        asked = clean(query.query)
        script = detect_script(asked)
        results = [
            InlineQueryResultArticle(
                id=f"{network.id}:{uuid4().hex[:8]}",
                title=in_script(network.display_name, script),
                description=in_script(_first_sentence(network), script),
                input_message_content=InputTextMessageContent(
                    "\n\n".join(split_messages([self.engine.renderer.card(network).in_script(script)])),
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_PREVIEW,
                ),
            )
            for network in self._networks_matching(asked)[:INLINE_RESULTS]
        ]
        await query.answer(results, cache_time=60)

    async def _vote(
        self, query: CallbackQuery, intent: str, network_id: str | None, helpful: bool, script: Script
    ) -> None:
        """👍/👎: count it, thank the user, and take the buttons away so each answer is rated once."""
        self.door.vote(intent, network_id, helpful)
        thanks = self.engine.bundle.intents.telegram.get("feedback_thanks")
        await query.answer(in_script(thanks, script) if thanks else None)
        if isinstance(query.message, Message):
            try:
                await query.edit_message_reply_markup(reply_markup=None)
            except TelegramError as error:  # too old to edit, or already edited: the vote still counts
                log.info("could not remove the rating buttons: %s", error)

    # Sending ---------------------------------------------------------------

    async def _send_answer(self, message: Message, answer: Answer, reply: bool = True) -> None:
        markup: InlineKeyboardMarkup | None = None
        if answer.unanswered and answer.suggested:  # a question back, or a fallback: never a dead end
            markup = suggestions_keyboard(zip(answer.suggestions, answer.suggested, strict=True))
        elif answer.network is not None:
            texts = self.engine.bundle.intents.telegram
            helpful, unhelpful = texts.get("feedback_helpful"), texts.get("feedback_unhelpful")
            if helpful and unhelpful:
                labels = in_script(helpful, answer.script), in_script(unhelpful, answer.script)
                markup = feedback_keyboard(answer.intent, answer.network, *labels)
        preview = NO_PREVIEW
        if answer.intent == "link" and answer.network:
            preview = LinkPreviewOptions(url=self.engine.networks[answer.network].website)
        await self._send(message, list(answer.sections), markup, preview, reply)

    async def _send_card(self, message: Message, network: Network, script: Script) -> None:
        card = self.engine.renderer.card(network).in_script(script)
        labels = self.engine.bundle.intents.card_buttons
        await self._send(message, [card], card_keyboard(network, labels, script), NO_PREVIEW, reply=False)

    async def _send(
        self,
        message: Message,
        sections: list[Section],
        markup: InlineKeyboardMarkup | None,
        preview: LinkPreviewOptions,
        reply: bool,
    ) -> None:
        parts = split_messages(sections)
        for index, html in enumerate(parts):
            last = index == len(parts) - 1
            send = partial(
                message.reply_html,
                html,
                reply_markup=markup if last else None,
                link_preview_options=preview,
                do_quote=reply and index == 0 and message.chat.type != ChatType.PRIVATE,
            )
            await deliver(send)

    # Helpers ---------------------------------------------------------------

    def _telegram_text(self, key: str, script: Script) -> str:
        text = self.engine.bundle.intents.telegram.get(key, "")
        return section_html(Section(in_script(text, script)))

    def _networks_keyboard(self, script: Script) -> InlineKeyboardMarkup:
        return networks_keyboard(self.engine.bundle.knowledge.networks, script)

    def _networks_matching(self, text: str) -> list[Network]:
        networks = list(self.engine.networks.values())
        folded = fold(text)
        if not folded:
            return networks
        found = [m.network_id for m in self.engine.finder.find(folded.split())]
        if found:
            return [self.engine.networks[n] for n in dict.fromkeys(found)]
        return [n for n in networks if any(fold(name).startswith(folded) for name in n.names())]


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a failed update with the chat id only (no names, no text) and keep serving.

    Telegram's own errors (network, flood control, a refused request) get one line;
    anything else is a bug and gets its traceback.
    """
    chat = update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
    error = context.error
    trace = None if isinstance(error, TelegramError) else error
    log.error("update failed (chat %s): %s: %s", chat, type(error).__name__, error, exc_info=trace)


def _chat_id(update: Update) -> int | None:
    """The chat an update belongs to: whose conversation it continues (none for an inline query)."""
    return update.effective_chat.id if update.effective_chat else None


def _replies_to(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def _addressed_text(message: Message, username: str | None, bot_id: int) -> str | None:
    """In a group: the question with the bot's @mention removed, or None when it is not for the bot."""
    text = message.text or ""
    mention = f"@{username}".lower() if username else None
    mentioned = False
    for entity, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            mentioned = True
        elif mention and value.lower() == mention:
            mentioned = True
            text = text.replace(value, " ")
    if mentioned or _replies_to(message, bot_id):
        return text.strip()
    return None


def _first_sentence(network: Network) -> str:
    about = network.facts.get("about")
    text = about.text if about else network.name
    return text.split(". ")[0][:200]
