"""Text made safe for a spreadsheet cell (CSV and XLSX downloads alike).

Spreadsheets run a cell starting with `=`, `+`, `-` or `@` (or tab / CR, which some
programs skip before one) as a formula: such text gets a leading `'`, which spreadsheets
show as text (OWASP's advice on CSV injection).
"""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """The text as a spreadsheet shows it literally, never as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
