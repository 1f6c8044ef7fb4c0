"""SEPA direct debit: mandates and pain.008 collection files (sepaxml, checked against the
XSD)."""
