"""Exports of result lists and CSV downloads of lists, cells made safe for spreadsheets."""
