"""Helpers the tests share: fake servers, running bots, labelled question sets."""
