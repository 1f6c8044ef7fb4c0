"""Invoices and credit notes: drafts, issuing with gap-free numbers, payments, credit notes,
their events and views, the addressee copied at issue; the /invoices and a contact's
invoice routes."""
