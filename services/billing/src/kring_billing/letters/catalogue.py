"""The merge fields a letter template may use: one catalogue, shown in the editor and checked
when a template is saved (`engine.check_template`), so an unknown field is refused at save
rather than when 3,000 letters are printed.

A field is a name with a description, and either a value, an object with attributes, or a
list of objects (used in `{% for x in field %}`). `merge_data.py` fills exactly these.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MergeField:
    name: str
    description: str
    # An object's attributes (name → description); empty for a plain value.
    attributes: dict[str, str] = field(default_factory=dict)
    # A list of such objects (iterate it), rather than one.
    is_list: bool = False


_ADDRESS = {
    "street": "street",
    "number": "house number",
    "postcode": "postcode",
    "city": "city",
    "country": "country",
    "address_lines": "the address as lines (list of strings)",
}

_MEMBERSHIP = {
    "type_name": "membership type",
    "start_date": "first day",
    "end_date": "last day (empty when open)",
    "fee": "the type's fee on the first day in the period (decimal)",
    "currency": "currency of the fee",
}

MERGE_FIELDS: tuple[MergeField, ...] = (
    MergeField(
        "contact",
        "the addressee",
        {
            "first_name": "first name",
            "last_name": "last name",
            "full_name": "first and last name",
            "email": "first e-mail address",
            "phone": "phone number",
            "birth_date": "date of birth (empty when unknown)",
            **_ADDRESS,
        },
    ),
    MergeField(
        "family",
        "the contact's family (fields empty when none)",
        {"name": "family name", "role": "the contact's role (parent, partner, child, other)"}
        | _ADDRESS,
    ),
    MergeField(
        "membership",
        "the contact's latest membership overlapping the period (fields empty when none)",
        _MEMBERSHIP,
    ),
    MergeField("memberships", "every membership overlapping the period", _MEMBERSHIP, is_list=True),
    MergeField(
        "invoices_paid",
        "invoices with payments in the period",
        {
            "number": "invoice number",
            "description": "first line's description",
            "issue_date": "issue date",
            "period_start": "billed period, first day (empty when none)",
            "period_end": "billed period, last day (empty when none)",
            "total": "invoice total",
            "amount_paid": "paid in the period",
            "paid_on": "day of the last payment in the period",
            "currency": "currency",
        },
        is_list=True,
    ),
    MergeField("paid_total", "sum of amount_paid over invoices_paid (decimal)"),
    MergeField(
        "open_invoices",
        "issued invoices not yet fully paid",
        {
            "number": "invoice number",
            "issue_date": "issue date",
            "due_date": "due date",
            "total": "invoice total",
            "open_amount": "what is still open",
            "currency": "currency",
        },
        is_list=True,
    ),
    MergeField("open_total", "sum of open_amount over open_invoices (decimal)"),
    MergeField(
        "organisation",
        "the club",
        {
            "name": "name",
            "address_lines": "postal address (list of strings)",
            "vat_number": "VAT / enterprise number (empty when none)",
            "iban": "bank account",
            "bic": "BIC",
        },
    ),
    MergeField(
        "period",
        "the period the letter is about",
        {"start": "first day", "end": "last day", "year": "year of the first day"},
    ),
    MergeField("today", "the day the letter is made"),
)

MERGE_FIELDS_BY_NAME: dict[str, MergeField] = {field.name: field for field in MERGE_FIELDS}

# Filters a template may use beside Jinja2's own: `money` (€ 1.234,50) and `day` (31/12/2026).
EXTRA_FILTERS = ("money", "day")
