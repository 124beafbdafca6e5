"""The Telegram side of the assistant: a thin layer from updates to engine calls and back."""
