"""The three templates Kring ships (Dutch, the clubs' language), seeded by the migration
`letters_0006`; a volunteer edits them in the web app."""

from dataclasses import dataclass

from kring_billing.letters.engine import LetterTemplate

SHARED_CSS = """@page { size: A4; margin: 22mm 20mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; }
.sender { color: #444; font-size: 9pt; }
.addressee { margin: 18mm 0 12mm 95mm; }
h1 { font-size: 14pt; margin: 0 0 6mm; }
table { border-collapse: collapse; width: 100%; margin: 4mm 0; }
th, td { border-bottom: 1px solid #ccc; padding: 1.5mm 2mm; text-align: left; }
td.amount, th.amount { text-align: right; }
.signature { margin-top: 16mm; }
"""

_HEADER = """<div class="sender"><strong>{{ organisation.name }}</strong><br>
{% for line in organisation.address_lines %}{{ line }}<br>{% endfor %}
{% if organisation.vat_number %}Ondernemingsnummer {{ organisation.vat_number }}{% endif %}</div>
<div class="addressee">{{ contact.full_name }}<br>
{% for line in contact.address_lines %}{{ line }}<br>{% endfor %}</div>
"""

ATTESTATION = (
    _HEADER
    + """<h1>Attest van lidmaatschap voor het ziekenfonds</h1>
<p>{{ organisation.name }} verklaart dat <strong>{{ contact.full_name }}</strong>
{% if contact.birth_date %}(geboren op {{ contact.birth_date|day }}){% endif %}
lid was van onze club in de periode van {{ period.start|day }} tot {{ period.end|day }}
{% if membership.type_name %}als lid van het type <strong>{{ membership.type_name }}</strong>
(sinds {{ membership.start_date|day }}){% endif %}.</p>
<p>Voor dit lidmaatschap werden de volgende bedragen betaald:</p>
<table>
<tr><th>Factuur</th><th>Omschrijving</th><th>Betaald op</th><th class="amount">Bedrag</th></tr>
{% for invoice in invoices_paid %}<tr><td>{{ invoice.number }}</td>
<td>{{ invoice.description }}</td><td>{{ invoice.paid_on|day }}</td>
<td class="amount">{{ invoice.amount_paid|money(invoice.currency) }}</td></tr>
{% else %}<tr><td colspan="4">Geen betalingen in deze periode.</td></tr>{% endfor %}
<tr><th colspan="3">Totaal betaald</th><th class="amount">{{ paid_total|money }}</th></tr>
</table>
<p>Opgemaakt op {{ today|day }} om te gelden als bewijs van lidmaatschap bij het
ziekenfonds.</p>
<p class="signature">Voor {{ organisation.name }},<br><br>de penningmeester</p>
"""
)

WELCOME = (
    _HEADER
    + """<h1>Welkom bij {{ organisation.name }}!</h1>
<p>Beste {{ contact.first_name }},</p>
<p>Wat fijn dat je lid bent geworden{% if membership.type_name %} als
<strong>{{ membership.type_name }}</strong> vanaf {{ membership.start_date|day }}{% endif %}.
Welkom in onze club{% if family.name %}, en ook welkom aan de hele familie
{{ family.name }}{% endif %}!</p>
<p>{% if membership.fee %}Je lidgeld bedraagt {{ membership.fee|money(membership.currency) }};
je krijgt er een factuur voor.{% endif %}
Vragen? Mail ons gerust of spreek ons aan op de club.</p>
<p class="signature">Sportieve groeten,<br><br>het bestuur van {{ organisation.name }}</p>
"""
)

PAYMENT_REMINDER = (
    _HEADER
    + """<h1>Herinnering: openstaande betaling</h1>
<p>Beste {{ contact.first_name }},</p>
<p>Volgens onze administratie staan de volgende facturen nog open:</p>
<table>
<tr><th>Factuur</th><th>Datum</th><th>Vervaldag</th><th class="amount">Open</th></tr>
{% for invoice in open_invoices %}<tr><td>{{ invoice.number }}</td>
<td>{{ invoice.issue_date|day }}</td><td>{{ invoice.due_date|day }}</td>
<td class="amount">{{ invoice.open_amount|money(invoice.currency) }}</td></tr>
{% endfor %}
<tr><th colspan="3">Totaal open</th><th class="amount">{{ open_total|money }}</th></tr>
</table>
<p>Wil je het openstaande bedrag overschrijven op rekening {{ organisation.iban }}
({{ organisation.bic }}) met het factuurnummer als mededeling? Heb je intussen betaald,
dan mag je deze brief als niet verzonden beschouwen.</p>
<p class="signature">Met vriendelijke groeten,<br><br>
de penningmeester van {{ organisation.name }}</p>
"""
)


@dataclass(frozen=True)
class ShippedTemplate:
    key: str
    name: str
    template: LetterTemplate


SHIPPED_TEMPLATES: tuple[ShippedTemplate, ...] = (
    ShippedTemplate(
        "attestation",
        "Attest ziekenfonds",
        LetterTemplate(ATTESTATION, SHARED_CSS),
    ),
    ShippedTemplate("welcome", "Welkomstbrief", LetterTemplate(WELCOME, SHARED_CSS)),
    ShippedTemplate(
        "payment_reminder", "Betalingsherinnering", LetterTemplate(PAYMENT_REMINDER, SHARED_CSS)
    ),
)
