"""svodka: structured, linked, searchable knowledge from Russian-language news pages."""

__version__ = "0.1.0"
