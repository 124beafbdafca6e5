"""Assistant that answers citizens' questions about the city networks the City of Niš belongs to."""

__version__ = "0.1.0"
