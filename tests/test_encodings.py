"""Files saved in the encodings of other languages, and headers written in them (issue #28, item 9)."""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets import KamDataError, KamDataWarning, load_portfolio
from kamwidgets.model._schema import Field, check_table
from kamwidgets.model.io import preview
from kamwidgets.model.load._fields import normalise_name

# ------------------------------------------------------------------ encodings
#: (encoding, how the warning names it, account names in that script)
FILES = [
    ("cp1251", "windows-1251 (Cyrillic)", ["ООО «Ромашка»", "Петров и сыновья", "Сибирская нефтяная компания"]),
    ("cp1250", "windows-1250 (Central European)", ["Zakłady Łódź sp. z o.o.", "Śląskie Przędzalnie", "Żabka Polska"]),
    ("cp1250", "windows-1250 (Central European)", ["Železárny Třinec", "Česká spořitelna", "Plzeňský Prazdroj"]),
    ("iso-8859-7", "ISO-8859-7 (Greek)", ["Ελληνικά Πετρέλαια", "Αθηναϊκή Ζυθοποιία", "Άλφα Τράπεζα"]),
    ("shift_jis", "Shift-JIS (Japanese)", ["株式会社トヨタ", "ソニーグループ株式会社", "日本電気株式会社"]),
    ("gb18030", "GB18030 (Chinese)", ["中国石油天然气集团", "华为技术有限公司", "阿里巴巴集团"]),
]


@pytest.mark.parametrize(("encoding", "named", "names"), FILES, ids=[f"{f[0]}-{f[2][0][:4]}" for f in FILES])
def test_a_file_in_another_encoding_is_read_right_and_the_encoding_named(write, encoding, named, names):
    cities = {"cp1251": "Москва", "cp1250": "Kraków", "iso-8859-7": "Αθήνα", "shift_jis": "東京", "gb18030": "北京"}
    text = "account,city,revenue\n" + "".join(f"{n},{cities[encoding]},{i}\n" for i, n in enumerate(names, 1))
    path = write("export.csv", text, encoding=encoding)
    with pytest.warns(KamDataWarning, match=r"export\.csv.*" + re.escape(named)):
        p = load_portfolio(path)
    assert p["account"].tolist() == names
    assert p["city"].tolist() == [cities[encoding]] * 3
    assert p["revenue"].tolist() == [1, 2, 3]


def test_the_warning_says_which_lines_to_check_and_how_to_avoid_the_guess(write):
    text = "account,revenue\n" + "".join(f"Firm {i},{i}\n" for i in range(20)) + "Сибирская нефтяная компания,7\n"
    with pytest.warns(KamDataWarning) as record:
        load_portfolio(write("late.csv", text, encoding="cp1251"))
    message = str(record[0].message)
    assert "line(s) 22" in message and "CSV UTF-8" in message


def test_a_cyrillic_file_beyond_the_first_64_kb_is_not_read_as_western(write):
    # an ASCII start says nothing about the encoding: the whole file decides
    text = "account,revenue\n" + "".join(f"Firm {i},{i}\n" for i in range(8000))
    text += "".join(f"Компания {i},{i}\n" for i in range(50))
    with pytest.warns(KamDataWarning, match="windows-1251"):
        p = load_portfolio(write("big.csv", text, encoding="cp1251"))
    assert p["account"].iloc[-1] == "Компания 49"


def test_western_files_still_load_as_before(write):
    with pytest.warns(KamDataWarning, match="windows-1252"):
        p = load_portfolio(write("w.csv", "account,revenue\nCafé,1\n€ Corp,2\nMalmö AB,3\n", encoding="cp1252"))
    assert p["account"].tolist() == ["Café", "€ Corp", "Malmö AB"]
    # names from several Western languages in one file, as a European customer list has
    names = ["Compañía Núñez", "Société Générale", "Bäckerei Öztürk", "Caffè Però", "São João", "Tromsø AS", "Umeå AB"]
    text = "account;revenue\n" + "".join(f"{n};{i}\n" for i, n in enumerate(names))
    with pytest.warns(KamDataWarning, match="windows-1252"):
        p = load_portfolio(write("eu.csv", text, encoding="cp1252"))
    assert p["account"].tolist() == names
    # the same file in UTF-8 needs no guess, so no warning (the tests turn warnings into errors)
    assert load_portfolio(write("eu8.csv", text))["account"].tolist() == names


def test_bytes_no_encoding_reads_cleanly_are_refused(write):
    rnd = random.Random(7)  # names of random bytes beyond ASCII: no language is written like that
    soup = b"account,revenue\n" + b"".join(
        b"Firm " + bytes(rnd.randrange(0x80, 0x100) for _ in range(10)) + b",%d\n" % i for i in range(30)
    )
    with pytest.raises(KamDataError, match=r"soup\.csv.*not saved as UTF-8.*save it as CSV UTF-8") as err:
        load_portfolio(write("soup.csv", soup))
    assert err.value.source.endswith("soup.csv")
    # a binary file is still called what it is
    with pytest.raises(KamDataError, match="does not look like a text table"):
        load_portfolio(write("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4))


# ------------------------------------------------------------------ headers
@pytest.mark.parametrize(
    ("header", "fields"),
    [
        ("Kundenname;Verkäufer;Umsatz;Datum", ("Kundenname", "Verkäufer", "Umsatz")),
        ("Société;Commercial;Montant;Date", ("Société", "Commercial", "Montant")),
        ("Razón social;Vendedor;Importe;Fecha", ("Razón social", "Vendedor", "Importe")),
        ("Nome cliente;Vendedor responsável;Faturamento;Data", ("Nome cliente", "Vendedor responsável", "Faturamento")),
        ("Ragione sociale;Commerciale;Fatturato;Data", ("Ragione sociale", "Commerciale", "Fatturato")),
        ("Klantnaam;Accountmanager;Omzet;Datum", ("Klantnaam", "Accountmanager", "Omzet")),
        (
            "Raison sociale;Chargé de clientèle;Chiffre d'affaires;Date",
            ("Raison sociale", "Chargé de clientèle", "Chiffre d'affaires"),
        ),
    ],
)
def test_crm_headers_of_other_languages_are_recognised(write, header, fields):
    rows = "A;x;1.000,50;2026-01-05\nA;x;200;2026-02-05\nB;y;300;2026-03-05\n"
    found = preview(write("crm.csv", header + "\n" + rows))
    assert found.kind == "transactions" and found.confident
    account, owner, value = fields
    assert (found.guesses["account"], found.guesses["owner"], found.guesses["value"]) == (account, owner, value)


def test_accounts_file_headers_in_german_and_french(write):
    p = load_portfolio(write("de.csv", "Kunde;Verkäufer;Umsatz\nAlpha AG;Anna;1.200,50\nBeta AG;Bernd;900\n"))
    assert list(p.columns[:2]) == ["account", "account_manager"]
    assert p["account_manager"].tolist() == ["Anna", "Bernd"] and p["Umsatz"].tolist() == [1200.5, 900.0]
    p = load_portfolio(write("fr.csv", "Société,Commercial,CA\nDupont SA,Marie,5\nMartin SARL,Luc,7\n"))
    assert p["account"].tolist() == ["Dupont SA", "Martin SARL"] and p["account_manager"].tolist() == ["Marie", "Luc"]
    # English headers are looked for first: "Commercial" here is a yes/no column, "Sales Rep" the salesperson
    p = load_portfolio(write("en.csv", "Account,Sales Rep,Commercial\nAcme,Ann,yes\nGlobex,Bob,no\n"))
    assert p["account_manager"].tolist() == ["Ann", "Bob"] and p["Commercial"].tolist() == ["yes", "no"]


def test_headers_match_without_accents_case_or_punctuation(write):
    assert normalise_name("Société") == normalise_name("SOCIETE") == normalise_name("societe") == "societe"
    assert normalise_name("Razón  social") == normalise_name("razon_social") == "razonsocial"
    assert normalise_name("Straße") == "strasse" and normalise_name("Ａｃｃｏｕｎｔ") == "account"
    path = write("a.csv", "Société,Chiffre d'affaires\nDupont SA,5\nMartin SARL,7\n")
    p = load_portfolio(path, columns={"account": "SOCIETE", "revenue": "chiffre d affaires"})
    assert p["account"].tolist() == ["Dupont SA", "Martin SARL"] and p["revenue"].tolist() == [5, 7]


def test_headers_in_other_scripts_stay_apart(write):
    # before, every Cyrillic header reduced to "" and so matched every other one
    assert normalise_name("Клиент") != normalise_name("Город")
    path = write("ru.csv", "Клиент,Город,Выручка\nРомашка,Москва,5\nСеверсталь,Череповец,7\n")
    p = load_portfolio(path, columns={"account": "клиент"})
    assert p["account"].tolist() == ["Ромашка", "Северсталь"] and list(p.columns) == ["account", "Город", "Выручка"]


def test_hand_filled_tables_match_headers_by_the_same_rule():
    fields = (Field("person", required=True), Field("role", kind="choice", choices=("buyer", "user")))
    frame = check_table(pd.DataFrame({"PERSON": ["Ann"], "Rôle": ["buyer"]}), fields, what="people")
    assert frame["role"].tolist() == ["buyer"]


def test_an_upload_in_another_encoding_says_so_once_on_the_page():
    content = "Customer;Revenue\nАкме Россия;1200\nБета Сибирь;800\n".encode("cp1251")
    picker = kw.DataPicker()
    picker.load_file("клиенты.csv", content)  # the first look at the file must not escape as a Python warning
    assert not picker.error and sorted(picker.value["account"]) == ["Акме Россия", "Бета Сибирь"]
    assert any("windows-1251" in note for note in picker.notes)


# -- a UTF-8 file with one stray byte far down ----------------------------------------------------------------
def test_one_stray_byte_after_64_kb_does_not_garble_the_whole_file(write):
    body = "account,revenue\n" + "".join(f"Müller {i},{i}\n" for i in range(5000))
    path = write("enc.csv", body.encode("utf-8") + "Straße X,1\n".encode("cp1252"))
    with pytest.warns(kw.KamDataWarning, match="line.* 5002"):
        frame = kw.load_portfolio(path)
    assert frame["account"].iloc[0] == "Müller 0" and frame["account"].iloc[-1] == "Straße X"
