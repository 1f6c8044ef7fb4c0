"""The advanced search's request: a tree of conditions (a discriminated union on `kind`),
combined with `and` / `or` / `not`, plus the sort and the columns of the result list.

Only the shapes live here; `search_filters_sql` compiles them to SQLAlchemy Core with bound
parameters, `search_filters_run` runs them page by page.
"""

import uuid
from datetime import date
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from kring_contacts.address_fields import AddressField, PersonField
from kring_platform.validation import line_constraints, refuse_nul

MAX_CONDITIONS = 100
MAX_DEPTH = 10
MAX_IDS = 100

FilterValue = Annotated[str, line_constraints(200, min_length=1), AfterValidator(refuse_nul)]

TextField = Literal[PersonField, AddressField, "iban", "notes", "external_id"]
TextOp = Literal["contains", "equals", "starts_with", "empty", "not_empty"]
DateField = Literal["birth_date", "created_at", "updated_at"]
SortField = Literal[
    "name", "first_name", "birth_date", "postcode", "city", "created_at", "updated_at"
]
ColumnName = Literal[
    "id",
    "first_name",
    "last_name",
    "emails",
    "phone",
    AddressField,
    "iban",
    "birth_date",
    "age",
    "notes",
    "external_id",
    "created_at",
    "updated_at",
    "membership_status",
    "membership_types",
    "groups",
]
DEFAULT_COLUMNS: list[ColumnName] = [
    "id",
    "first_name",
    "last_name",
    "emails",
    "phone",
    "postcode",
    "city",
    "membership_status",
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextCondition(_Input):
    """A contact field compared with a value, ignoring case. `email` matches any of the
    contact's e-mails; `phone` compares the digits of the stored E.164 number with the value
    however typed (a whole number as its E.164 digits, "0465…" also as "32465…");
    `iban` ignores spaces."""

    kind: Literal["text"]
    field: TextField
    op: TextOp
    value: FilterValue | None = Field(
        default=None, description="Required unless `op` is `empty` or `not_empty`"
    )

    @model_validator(mode="after")
    def _value_when_needed(self) -> Self:
        needs_value = self.op not in ("empty", "not_empty")
        if needs_value and self.value is None:
            raise ValueError(f"`{self.op}` needs a value")
        if not needs_value and self.value is not None:
            raise ValueError(f"`{self.op}` takes no value")
        return self


class DateCondition(_Input):
    """A date field within a range (both ends included; days in the organisation's time
    zone for `created_at` and `updated_at`), or empty / not empty."""

    kind: Literal["date"]
    field: DateField
    op: Literal["in_range", "empty", "not_empty"] = "in_range"
    after: date | None = Field(default=None, description="On or after this day")
    before: date | None = Field(default=None, description="On or before this day")

    @model_validator(mode="after")
    def _range_when_needed(self) -> Self:
        if self.op == "in_range":
            if self.after is None and self.before is None:
                raise ValueError("`in_range` needs `after`, `before` or both")
            if self.after and self.before and self.after > self.before:
                raise ValueError("`after` is later than `before`")
        elif self.after is not None or self.before is not None:
            raise ValueError(f"`{self.op}` takes no range")
        return self


class AgeCondition(_Input):
    """Contacts aged `min` to `max` years (both included) on `on` (default: the query's day).
    Contacts without a birth date never match."""

    kind: Literal["age"]
    min: int | None = Field(default=None, ge=0, le=150)
    max: int | None = Field(default=None, ge=0, le=150)
    on: date | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.min is None and self.max is None:
            raise ValueError("an age condition needs `min`, `max` or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("`min` is larger than `max`")
        return self


class GroupCondition(_Input):
    """In (any of) the groups, or in none of them."""

    kind: Literal["group"]
    op: Literal["in", "not_in"] = "in"
    group_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_IDS)


class MembershipCondition(_Input):
    """A member (of any of `type_ids`, or of any type) on `on` (default: the query's day),
    or not a member; from the memberships service's events."""

    kind: Literal["membership"]
    status: Literal["member", "non_member"] = "member"
    type_ids: list[uuid.UUID] = Field(default=[], max_length=MAX_IDS)
    on: date | None = None


class FamilyCondition(_Input):
    """In a family (any, or one of `family_ids`), or (`linked: false`) in none."""

    kind: Literal["family"]
    linked: bool = True
    family_ids: list[uuid.UUID] = Field(default=[], max_length=MAX_IDS)


class CompanyCondition(_Input):
    """Linked to a company (any, or one of `company_ids`), or (`linked: false`) to none."""

    kind: Literal["company"]
    linked: bool = True
    company_ids: list[uuid.UUID] = Field(default=[], max_length=MAX_IDS)


class AllOf(_Input):
    kind: Literal["and"]
    conditions: list["Condition"] = Field(min_length=1, max_length=MAX_CONDITIONS)


class AnyOf(_Input):
    kind: Literal["or"]
    conditions: list["Condition"] = Field(min_length=1, max_length=MAX_CONDITIONS)


class Not(_Input):
    kind: Literal["not"]
    condition: "Condition"


Condition = Annotated[
    TextCondition
    | DateCondition
    | AgeCondition
    | GroupCondition
    | MembershipCondition
    | FamilyCondition
    | CompanyCondition
    | AllOf
    | AnyOf
    | Not,
    Field(discriminator="kind"),
]
AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


def _size(condition: Condition, depth: int = 1) -> tuple[int, int]:
    """(conditions, depth) of a tree."""
    if isinstance(condition, AllOf | AnyOf):
        sizes = [_size(child, depth + 1) for child in condition.conditions]
        return 1 + sum(count for count, _ in sizes), max(level for _, level in sizes)
    if isinstance(condition, Not):
        count, level = _size(condition.condition, depth + 1)
        return count + 1, level
    return 1, depth


class SortKey(_Input):
    field: SortField = Field(
        description="`name` is last name then first name, ignoring case and accents; "
        "contacts without a value sort after all others"
    )
    direction: Literal["asc", "desc"] = "asc"


class ContactQuery(_Input):
    """What a result list is: the filter (none: every contact), its order and its columns.
    A saved search stores exactly this."""

    filter: Condition | None = None
    sort: list[SortKey] = Field(default=[SortKey(field="name")], min_length=1, max_length=3)
    columns: list[ColumnName] = Field(default=DEFAULT_COLUMNS, min_length=1)
    on: date | None = Field(
        default=None,
        description="The day membership conditions, ages and the membership columns are "
        "about (default: today in the organisation's time zone)",
    )

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        if self.filter is not None:
            count, depth = _size(self.filter)
            if count > MAX_CONDITIONS:
                raise ValueError(f"at most {MAX_CONDITIONS} conditions")
            if depth > MAX_DEPTH:
                raise ValueError(f"conditions nest at most {MAX_DEPTH} deep")
        fields = [key.field for key in self.sort]
        if len(set(fields)) != len(fields):
            raise ValueError("a sort field is named twice")
        self.columns = list(dict.fromkeys(self.columns))
        return self


class ContactQueryPage(ContactQuery):
    """A query and which page of it: the first without `cursor`, the next with the
    `next_cursor` of the page before."""

    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=50, ge=1, le=500)
    with_total: bool = Field(
        default=False, description="Count every match too (costs a full count at scale)"
    )
