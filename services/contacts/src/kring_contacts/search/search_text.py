"""The normalised text quick search matches against, computed in Python on every write.

Postgres' `unaccent` is not immutable, so it cannot feed an index; folding here keeps the
stored text and the query folded by the same code. A query matches a contact when every
query token is a substring of the contact's search text (in a query of short tokens only: the
start of one of its words, see `MIN_FRAGMENT`).
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from kring_contacts import phones

# Letters that NFKD does not decompose but that people type without the stroke.
_UNDECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "\u0131": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)

# A word of digits and phone punctuation: "+32", "(0)470", "12-14", "1000-123".
_NUMBER_LIKE = re.compile(r"[+\d()./-]*\d[+\d()./-]*")
_ALPHANUMERIC_RUN = re.compile(r"[^\W_]+")


# ASCII's control characters (category Cc), which `fold` drops.
_ASCII_CONTROLS = dict.fromkeys([*range(0x20), 0x7F])
_NON_DIGIT = re.compile(r"[^0-9]+")


def fold(text: str) -> str:
    """Lower-case, accents and control characters removed, whitespace collapsed."""
    if text.isascii():
        # What the general case below gives for ASCII (nothing to decompose, no accents, no
        # control character but Cc), at a tenth of its cost: it folds every write's text.
        return " ".join(text.lower().translate(_ASCII_CONTROLS).split())
    return _fold_unicode(text)


@lru_cache(maxsize=4096)
def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    kept = (
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and not unicodedata.category(ch).startswith("C")
    )
    return " ".join("".join(kept).split())


def digits(text: str) -> str:
    if text.isascii():
        return _NON_DIGIT.sub("", text)
    return "".join(ch for ch in text if ch.isdigit())


def _compact_word(word: str) -> str:
    # "+32 (0)470-12" and "0470/12" are typed many ways: keep only their digits, on both
    # sides of the match, so punctuation never decides whether a number is found.
    return digits(word) if _NUMBER_LIKE.fullmatch(word) else word


def _words(text: str) -> list[str]:
    return [_compact_word(word) for word in fold(text).split()]


def name_words(first_name: str, last_name: str) -> list[str]:
    """The folded words of a name, split at hyphens too: what an exact name match compares."""
    return [word for word in re.split(r"[\W_]+", fold(f"{first_name} {last_name}")) if word]


def group_sort_key(name: str) -> str:
    return fold(name)


def sort_key(first_name: str, last_name: str) -> str:
    # \x1f sorts below every folded character, so the key orders like (last, first).
    return f"{fold(last_name)}\x1f{fold(first_name)}"


def contact_search_text(
    *,
    first_name: str,
    last_name: str,
    emails: Iterable[str] = (),
    phone: str | None = None,
    street: str | None = None,
    number: str | None = None,
    postcode: str | None = None,
    city: str | None = None,
    iban: str | None = None,
) -> str:
    """Names, e-mails, phone digits (E.164 and national), address and compact IBAN, folded,
    in one line."""
    words = [
        *_words(first_name),
        *_words(last_name),
        *(fold(email) for email in emails),
        *phones.search_digits(phone),
        *_words(street or ""),
        *_words(number or ""),
        *_words(postcode or ""),
        *_words(city or ""),
        fold(iban or "").replace(" ", ""),
    ]
    return " ".join(word for word in words if word)


def _phone_runs_joined(words: list[str], region: str) -> list[str]:
    """The words with each run of number-like words that is a whole phone number ("0032 465
    31 72 90") replaced by its E.164 digits, the longest such run first, left to right."""
    joined: list[str] = []
    start = 0
    while start < len(words):
        end = start
        while end < len(words) and _NUMBER_LIKE.fullmatch(words[end]):
            end += 1
        number = next(
            (
                (stop, e164)
                for stop in range(end, start, -1)
                if (e164 := phones.query_e164_digits(" ".join(words[start:stop]), region))
            ),
            None,
        )
        if number is None:
            joined.append(words[start])
            start += 1
        else:
            joined.append(number[1])
            start = number[0]
    return joined


def search_tokens(query: str, phone_region: str | None = None) -> list[str]:
    """The distinct folded tokens of a query, in order; "BE68 5390" gives two fragments of
    the compact IBAN, "+32 470" two fragments of the phone digits. With `phone_region`, a
    whole phone number however typed is one token of its E.164 digits, which the search text
    holds. A token without a letter or digit ("&", "-") finds nothing worth finding, and no
    index could help: it is dropped."""
    words = fold(query).split()
    if phone_region is not None:
        words = _phone_runs_joined(words, phone_region)
    tokens: list[str] = []
    for word in map(_compact_word, words):
        if _ALPHANUMERIC_RUN.search(word) and word not in tokens:
            tokens.append(word)
    return tokens


# A trigram index finds `%fragment%` only when the fragment has three letters or digits in a
# row; a query of shorter ones only would scan the table (2.3 s at a million contacts). So
# such tokens must begin a word instead, which the index answers by word-start trigrams.
MIN_FRAGMENT = 3


def matches_anywhere(token: str) -> bool:
    """Whether the index can look `token` up as `%token%`."""
    return any(len(run) >= MIN_FRAGMENT for run in _ALPHANUMERIC_RUN.findall(token))


def word_start_pattern(token: str) -> str:
    """A regular expression (Postgres ARE) for `token` at the start of a word. Leading
    punctuation is dropped: the index keys a word start on its first letter or digit."""
    start = _ALPHANUMERIC_RUN.search(token)
    return "(^| )" + re.escape(token[start.start() :] if start else token)


def like_pattern(token: str) -> str:
    """`%token%` for `LIKE ... ESCAPE '\\'`, with the token's own wildcards taken literally."""
    escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
