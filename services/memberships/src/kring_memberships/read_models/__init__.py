"""Copies of other services' data: contacts, groups and group members from
`kring.contacts.v1`."""
