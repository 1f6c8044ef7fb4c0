"""SEPA direct debit: mandates, pain.008 collection files (sepaxml, checked against the XSD)
and camt.053 bank statements (lxml)."""
