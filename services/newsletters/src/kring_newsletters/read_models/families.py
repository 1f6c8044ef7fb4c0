"""Families and their members' roles, kept from `kring.contacts.v1` by
kring_read_models.families, so a campaign can go to "the families": each family's adults
(parent, partner, other) once, never the children."""

from kring_newsletters.db_models import Family, FamilyMember
from kring_read_models.families import FamilyReadModel

ADULT_ROLES = ("parent", "partner", "other")

family_read_model = FamilyReadModel(Family, FamilyMember)
