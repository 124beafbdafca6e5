"""Answering: from what a message asks to the text the user reads (render the templates, compose the answer)."""
