"""Who the organisation is on its invoices and in its SEPA files: mixed into the billing
settings (`class Settings(ServiceSettings, MailSettings, OrganisationSettings)`).

The defaults are valid development values (a Belgian example account and a creditor
identifier with correct check digits), so a local stack exports files a validator accepts.
"""

from typing import Literal

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kring_billing.documents.payment_reference import ReferenceScheme
from kring_billing.sepa.identifiers import normalised_bic, normalised_creditor_identifier
from kring_platform.validation import normalised_iban


class OrganisationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    organisation_name: str = "Kring Sports Club"
    # Postal address lines, printed under the name (ORGANISATION_ADDRESS is a JSON list).
    organisation_address: list[str] = ["Dorpsstraat 1", "9000 Gent", "Belgium"]
    organisation_vat_number: str | None = None
    organisation_iban: str = "BE68539007547034"
    organisation_bic: str = "GKCCBEBB"
    # The SEPA creditor identifier the organisation's bank gave it for direct debits.
    sepa_creditor_identifier: str = "BE81ZZZ0123456749"
    # Mandate references the service makes up read e.g. KRING-3F2A9C1D.
    mandate_reference_prefix: str = "KRING-"
    # The payment reference invoices carry until the treasurer chooses in the web app
    # (`organisation/preferences.py`): `rf` (ISO 11649) or `be_structured` (+++…+++).
    payment_reference_scheme: ReferenceScheme = "rf"
    # The language the organisation writes to its members in (payment reminders' default
    # e-mail texts): `nl` or `en`.
    organisation_language: Literal["nl", "en"] = "nl"

    @field_validator("organisation_iban")
    @classmethod
    def _iban(cls, value: str) -> str:
        return normalised_iban(value)

    @field_validator("organisation_bic")
    @classmethod
    def _bic(cls, value: str) -> str:
        return normalised_bic(value)

    @field_validator("sepa_creditor_identifier")
    @classmethod
    def _creditor_identifier(cls, value: str) -> str:
        return normalised_creditor_identifier(value)
