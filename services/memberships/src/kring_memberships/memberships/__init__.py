"""Memberships: entering, ending, changing type, deleting a mistake, with their events; member
numbers; the date rules of a membership's life; what `contact.merged` does to them; what the
API shows (a membership, a contact's history, the members on a day)."""
