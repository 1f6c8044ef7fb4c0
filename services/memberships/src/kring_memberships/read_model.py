"""The local copy of contacts (their names), groups and group members, kept from
`kring.contacts.v1` by kring_platform.contact_read_model."""

from kring_memberships.db_models import Contact, Group, GroupMember
from kring_platform.contact_read_model import ContactReadModel

contact_read_model = ContactReadModel(Contact, Group, GroupMember)
