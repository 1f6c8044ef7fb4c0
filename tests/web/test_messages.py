"""The web app's message catalogues: Dutch and English have the same keys in every feature,
the same placeholders in every message, and no message is empty."""

import json
import re
from pathlib import Path

import pytest

FEATURES = Path(__file__).resolve().parents[2] / "web" / "src" / "features"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalogue(feature: Path, locale: str) -> dict[str, str]:
    messages: dict[str, str] = json.loads((feature / f"messages.{locale}.json").read_text())
    return messages


def features() -> list[Path]:
    found = sorted(path.parent for path in FEATURES.glob("*/messages.nl.json"))
    assert found, f"no catalogues under {FEATURES}"
    return found


@pytest.mark.parametrize("feature", features(), ids=lambda path: path.name)
def test_both_languages_say_the_same_things(feature: Path) -> None:
    dutch, english = catalogue(feature, "nl"), catalogue(feature, "en")
    assert sorted(dutch.keys() - english.keys()) == [], "missing in English"
    assert sorted(english.keys() - dutch.keys()) == [], "missing in Dutch"
    for key, text in dutch.items():
        assert text.strip() and english[key].strip(), f"{key} is empty"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), key


def test_every_feature_is_registered_in_the_catalog() -> None:
    registry = (FEATURES.parent / "i18n" / "catalog.ts").read_text()
    for feature in features():
        assert f'"../features/{feature.name}/messages.nl.json"' in registry, feature.name
        assert f'"../features/{feature.name}/messages.en.json"' in registry, feature.name
