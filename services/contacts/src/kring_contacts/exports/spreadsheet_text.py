"""Text made safe for a spreadsheet cell: the one rule is `kring_platform.spreadsheet_text`
(the memberships service's affiliation files use it too)."""

from kring_platform.spreadsheet_text import escape_formula

__all__ = ["escape_formula"]
