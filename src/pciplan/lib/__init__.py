"""Pure helpers for Vietnamese numbers, dates and text (no Django)."""
