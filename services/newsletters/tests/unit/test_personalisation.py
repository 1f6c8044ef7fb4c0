"""Personalisation templates and the plain-text part (pure)."""

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kring_newsletters.campaigns.personalisation import Template, TemplateError
from kring_newsletters.campaigns.plain_text import html_to_text


def test_fields_fill_in_and_missing_ones_fall_back() -> None:
    template = Template('Hi {{first_name | default("member")}} {{ last_name }}!')
    assert template.render({"first_name": "Ann", "last_name": "P"}, escape=False) == "Hi Ann P!"
    assert template.render({"first_name": "", "last_name": None}, escape=False) == "Hi member !"
    assert template.render({}, escape=False) == "Hi member !"


@pytest.mark.parametrize(
    "text",
    [
        "{{ password }}",
        "{{ first_name.__class__ }}",
        "{{ first_name | upper }}",
        '{{ first_name | default("a") | default("b") }}',
        "{{ }}",
        "{{ first_name }",
    ],
)
def test_anything_but_a_known_field_and_default_is_refused(text: str) -> None:
    with pytest.raises(TemplateError):
        Template(f"Hello {text}").check()


@given(st.text(max_size=50))
def test_html_values_are_always_escaped(value: str) -> None:
    rendered = Template("<p>{{ first_name }}</p>").render({"first_name": value}, escape=True)
    assert rendered == f"<p>{html.escape(value, quote=True)}</p>"
    assert "<" not in rendered[3:-4]


def test_the_text_part_keeps_words_links_and_placeholders() -> None:
    text = html_to_text(
        "<html><head><style>p {}</style></head><body><h1>News</h1>"
        '<p>Dear {{ first_name | default("member") }},</p><ul><li>One</li><li>Two</li></ul>'
        '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a> &amp; more</p></body></html>'
    )
    assert text == (
        'News\n\nDear {{ first_name | default("member") }},\n\n- One\n- Two\n\n'
        "Unsubscribe ({{ unsubscribe_url }}) & more\n"
    )
