"""One rule makes a file's name from the user's text (kamwidgets._files.file_stem)."""

from __future__ import annotations

import unicodedata

import pytest

import kamwidgets as kw
from kamwidgets._files import STEM_BYTES, file_stem


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("my-portfolio", "my-portfolio"),
        ("Istmar S.A.", "Istmar-S-A"),  # no dot: the suffix is the only one
        ("a very  long\taccount name", "a-very-long-account-name"),
        ("../../etc/passwd", "etc-passwd"),  # no folder can be named
        ('C:\\Users\\x "y" <z>|*?', "C-Users-x-y-z"),  # nothing Windows refuses
        ("under_score", "under-score"),
        ("--Acme--", "Acme"),
        ("Müller & Söhne", "Müller-Söhne"),  # letters of every script stay
        ("Пример 2026", "Пример-2026"),
        ("株式会社 東京", "株式会社-東京"),
        ("Café \U0001f600", "Café"),
        (42, "42"),
    ],
)
def test_letters_and_digits_stay_and_every_other_run_is_one_dash(text, stem):
    assert file_stem(text) == stem


def test_text_with_no_letter_or_digit_gives_the_fallback():
    assert file_stem("") == "kam"
    assert file_stem("  ./-_ \U0001f600 ") == "kam"
    assert file_stem("???", "account") == "account"


def test_a_decomposed_accent_is_one_letter():
    decomposed = unicodedata.normalize("NFD", "Société Générale")
    assert file_stem(decomposed) == "Société-Générale" == unicodedata.normalize("NFC", file_stem(decomposed))


@pytest.mark.parametrize("name", ["CON", "con", "Nul", "COM1", "lpt9", "aux"])
def test_names_windows_keeps_for_devices_get_an_underscore(name):
    assert file_stem(name) == name + "_"
    assert file_stem(name + "x") == name + "x"


def test_a_long_name_is_cut_between_characters_to_fit_any_file_system():
    for text in ("Kunde " + "\u6f22" * 100, "a" * 500, "\u0416" * 100, "x " * 200):
        stem = file_stem(text)
        assert 0 < len(stem.encode("utf-8")) <= STEM_BYTES
        assert text.replace(" ", "-").startswith(stem)  # a whole character at the end, no dash
        assert not stem.endswith("-")
    assert STEM_BYTES + len(b"-marketing-plan.html") < 255


def test_the_downloads_name_their_files_by_the_rule():
    downloads = kw.Downloads(tables={"Accounts": kw.load_portfolio(kw.sample_path())}, name="Istmar S.A. / 2026")
    assert downloads.buttons["excel"].filename == "Istmar-S-A-2026-summary.xlsx"
