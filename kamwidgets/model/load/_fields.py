"""Stage 4, fields: which column is the account, the salesperson, the amount ...: headers compared by one rule.

The one rule for headers has two steps.  :func:`tidy_header` is the header
as the workbook shows it (invisible marks gone, runs of spaces made one);
:func:`normalise_name` is the tidied header as the workbook compares it
(case, accents, spaces and punctuation left out).  Every reader uses them:
the table stage names its columns with :func:`header_row`, the fields are
found with :func:`find_column` and :func:`guess_column`, and the hand-filled
tables (:mod:`kamwidgets.model._schema`) match their headers the same way.
The synonyms the guesses look for are in :data:`FIELDS`,
:data:`TRANSACTION_FIELDS` and, in other languages,
:data:`HEADERS_IN_OTHER_LANGUAGES`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ...errors import KamDataError


# ------------------------------------------------------------------ the header rule
def tidy_header(name: object) -> str:
    """A header as the workbook shows it: as text, without invisible marks, runs of spaces made one, trimmed.

    >>> tidy_header("\ufeffAccount   Name "), tidy_header("Revenue\u200b"), tidy_header(2025)
    ('Account Name', 'Revenue', '2025')
    """
    text = str(name).replace("\ufeff", "").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()


def normalise_name(name: object) -> str:
    """A header as the workbook compares it: :func:`tidy_header`, then case, accents, spaces and punctuation out.

    The one rule for comparing headers, everywhere.  Letters of every script
    are kept, so two Cyrillic headers stay two.

    >>> normalise_name("Account  Name "), normalise_name("Société"), normalise_name("Straße"), normalise_name("Клиент")
    ('accountname', 'societe', 'strasse', 'клиент')
    """
    text = unicodedata.normalize("NFKD", tidy_header(name).casefold())
    # the accents of Latin, Greek and Cyrillic letters go; marks other scripts need (Japanese voicing) stay
    text = unicodedata.normalize("NFC", "".join(ch for ch in text if not "\u0300" <= ch <= "\u036f"))
    return "".join(ch for ch in text if ch.isalnum() or unicodedata.category(ch)[0] == "M")


def header_row(cells: Sequence[object], source: str) -> tuple[list[str], set[str]]:
    """``(names, unnamed)``: the column names a header row gives, and those made up for cells with no header.

    Each cell is tidied (:func:`tidy_header`); a whole number stays whole
    (``2025``, not ``2025.0``); an empty cell, or pandas' ``Unnamed: 3``, is
    named by its place (``column 4``).  A header that appears twice is
    refused: the columns could not be told apart.

    >>> names, unnamed = header_row(["Client", 2025.0, None, "Unnamed: 3"], "f.csv")
    >>> names, sorted(unnamed)
    (['Client', '2025', 'column 3', 'column 4'], ['column 3', 'column 4'])
    """
    names = []
    for cell in cells:
        if cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell):
            name = ""
        elif isinstance(cell, float) and cell.is_integer():
            name = str(int(cell))
        else:
            name = tidy_header(cell)
        names.append("" if name.startswith("Unnamed: ") else name)
    seen: dict[str, int] = {}
    for name in filter(None, names):
        seen[name] = seen.get(name, 0) + 1
    dupes = [n for n, c in seen.items() if c > 1]
    if dupes:
        raise KamDataError(
            f"the header {dupes[0]!r} appears {seen[dupes[0]]} times",
            source=source,
            column=dupes[0],
            fix="Give each column its own title.",
        )
    unnamed = {f"column {i + 1}" for i, n in enumerate(names) if not n}
    return [n or f"column {i + 1}" for i, n in enumerate(names)], unnamed


# ------------------------------------------------------------------ finding the fields
#: Headers written in other languages, by the English header they stand for;
#: :func:`guess_column` looks for them after the English ones.  Written as a
#: CRM shows them and compared as :func:`normalise_name` does.
HEADERS_IN_OTHER_LANGUAGES: dict[str, tuple[str, ...]] = {
    # the account
    "customer": ("Kunde", "Client", "Cliente", "Klant"),
    "customername": (
        "Kundenname",
        "Nom du client",
        "Nom client",
        "Nombre del cliente",
        "Nombre cliente",
        "Nome do cliente",
        "Nome cliente",
        "Nome del cliente",
        "Klantnaam",
    ),
    "company": ("Firma", "Unternehmen", "Société", "Entreprise", "Empresa", "Azienda", "Bedrijf"),
    "companyname": (
        "Firmenname",
        "Raison sociale",
        "Razón social",
        "Nombre de la empresa",
        "Nome da empresa",
        "Razão social",
        "Ragione sociale",
        "Bedrijfsnaam",
    ),
    # the salesperson
    "salesperson": ("Verkäufer", "Vendeur", "Vendedor", "Venditore", "Verkoper"),
    "accountmanager": (
        "Kundenbetreuer",
        "Vertriebsmitarbeiter",
        "Commercial",
        "Responsable commercial",
        "Chargé de clientèle",
        "Comercial",
        "Ejecutivo de cuenta",
        "Vendedor responsável",
        "Executivo de contas",
        "Commerciale",
        "Responsabile commerciale",
        "Accountmanager",
        "Accountbeheerder",
    ),
    "owner": ("Verantwortlicher", "Responsable", "Responsável", "Responsabile", "Eigenaar"),
    # the amount
    "revenue": (
        "Umsatz",
        "Chiffre d'affaires",
        "Facturación",
        "Ingresos",
        "Receita",
        "Faturamento",
        "Fatturato",
        "Omzet",
    ),
    "amount": ("Betrag", "Montant", "Importe", "Monto", "Valor", "Importo", "Bedrag"),
    "sales": ("Verkäufe", "Ventes", "Ventas", "Vendas", "Vendite", "Verkopen"),
    "value": ("Wert", "Valeur", "Valor", "Valore", "Waarde"),
}


def find_column(headers: Sequence[str], header: str, *, source: str, field: str | None = None) -> str:
    """The one of ``headers`` that is ``header`` (compared as :func:`normalise_name` does); ``source`` names the file.

    >>> find_column(["Customer Name", "Revenue"], "customer name", source="f.csv")
    'Customer Name'
    """
    columns = list(headers)
    if header in columns:
        return header
    wanted = normalise_name(header)
    matches = [c for c in columns if normalise_name(c) == wanted]
    if len(matches) == 1:
        return matches[0]
    close = difflib.get_close_matches(str(header), [str(c) for c in columns], n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    role = f" (given for {field!r})" if field else ""
    raise KamDataError(
        f"there is no column {header!r}{role}",
        source=source,
        column=header,
        fix=f"The columns are: {', '.join(map(repr, map(str, columns)))}.{hint}",
    )


def guess_column(headers: Iterable[str], synonyms: tuple[str, ...]) -> str | None:
    """The first of ``headers`` that is one of ``synonyms`` (compared as :func:`normalise_name` does).

    The same headers in other languages (:data:`HEADERS_IN_OTHER_LANGUAGES`)
    are tried after all of ``synonyms``.

    >>> guess_column(["Nr", "Nom du client", "Montant"], FIELDS["account"])
    'Nom du client'
    """
    by_norm: dict[str, str] = {}
    for c in headers:
        by_norm.setdefault(normalise_name(c), c)
    translated = [normalise_name(h) for s in synonyms for h in HEADERS_IN_OTHER_LANGUAGES.get(normalise_name(s), ())]
    for syn in [*map(normalise_name, synonyms), *translated]:
        if syn in by_norm:
            return by_norm[syn]
    return None


#: Workbook fields that :func:`load_portfolio` recognises, with the headers it
#: looks for when ``columns`` does not name them (compared without case,
#: spaces or punctuation).
FIELDS: dict[str, tuple[str, ...]] = {
    "account": (
        "account",
        "accountname",
        "customer",
        "customername",
        "client",
        "clientname",
        "company",
        "companyname",
        "name",
        "organisation",
        "organization",
        "accountid",
        "customerid",
        "clientid",
        "kunde",
        "kundenname",
        "firma",
        "cliente",
        "empresa",
        "klant",
        "societe",
    ),
    "account_manager": (
        "accountmanager",
        "keyaccountmanager",
        "kam",
        "salesperson",
        "salesagent",
        "salesrep",
        "salesrepresentative",
        "accountowner",
        "owner",
        "rep",
    ),
}


#: What an order or opportunity row holds, with the headers looked for (as in
#: :data:`FIELDS`): the arguments of :func:`accounts_from_transactions`.
TRANSACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "account": FIELDS["account"],
    "value": (
        "value",
        "amount",
        "closevalue",
        "dealvalue",
        "ordervalue",
        "netvalue",
        "sales",
        "netsales",
        "revenue",
        "total",
        "turnover",
        "umsatz",
        "importe",
        "valor",
    ),
    "date": ("date", "closedate", "orderdate", "invoicedate", "closedon", "datum", "fecha", "data"),
    "order": (
        "orderid",
        "orderno",
        "ordernr",
        "ordernumber",
        "orderref",
        "order",
        "salesorder",
        "salesorderid",
        "salesordernumber",
        "invoice",
        "invoiceid",
        "invoiceno",
        "invoicenr",
        "invoicenumber",
        "auftragsnummer",
        "auftragsnr",
        "auftrag",
        "bestellnummer",
        "bestellnr",
        "rechnungsnummer",
        "rechnungsnr",
        "belegnummer",
        "numeropedido",
        "pedido",
        "numerofactura",
        "factura",
        "numerocommande",
        "commande",
        "ordernummer",
        "factuurnummer",
        "opportunityid",
        "dealid",
    ),
    "owner": FIELDS["account_manager"],
    "stage": ("stage", "dealstage", "opportunitystage", "salesstage", "status"),
    "product": ("product", "productname", "item", "article", "sku", "produkt", "producto", "produto"),
    "margin": ("margin", "grossmargin", "grossprofit", "profit", "marge", "margen"),
}
#: The fields a reading needs: without them nothing can be loaded.
REQUIRED = {"accounts": ("account",), "transactions": ("account", "value")}


FIELDS_BY_KIND: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {"account": FIELDS["account"], "account_manager": FIELDS["account_manager"]},
    "transactions": TRANSACTION_FIELDS,
}


def resolve_fields(
    headers: Sequence[str], source: str, columns: Mapping[str, str] | None, *, make_ids: bool
) -> dict[str, str]:
    """``{header: field}``: the user's headers mapped to the workbook's fields; fail clearly when one is missing.

    ``columns`` (field to header) comes first; :data:`FIELDS` not named there are guessed.
    """
    if columns is not None and not isinstance(columns, Mapping):
        raise KamDataError(
            "columns must be a mapping of workbook field to your header",
            fix='For example columns={"account": "Customer Name"}.',
        )
    columns = dict(columns or {})
    rename: dict[str, str] = {}
    for field, header in columns.items():
        if not isinstance(field, str) or not field:
            raise KamDataError(f"{field!r} is not a field name", fix="Use names like 'account' or 'revenue'.")
        found = find_column(headers, header, source=source, field=field)
        if found in rename:
            raise KamDataError(
                f"the column {found!r} is given for both {rename[found]!r} and {field!r}",
                source=source,
                column=found,
                fix="Map each field to its own column.",
            )
        rename[found] = field
    taken = set(rename.values())
    for field, synonyms in FIELDS.items():
        if field in taken or (field == "account" and make_ids):
            continue
        guess = guess_column(headers, synonyms)
        if guess is not None and guess not in rename:
            rename[guess] = field
        elif field == "account":
            shown = ", ".join(repr(str(c)) for c in headers)
            raise KamDataError(
                "no column holds the account names",
                source=source,
                column="account",
                fix=(
                    f'Name it with columns={{"account": "<your header>"}}; the headers are {shown}. '
                    "If the file has no names at all, pass make_ids=True to number the rows."
                ),
            )
    clash = [f for f in rename.values() if f in headers and f not in rename]
    if clash:
        raise KamDataError(
            f"a column is already called {clash[0]!r} but another one is mapped to that name",
            source=source,
            column=clash[0],
            fix="Rename one of them in the file, or map the field to that column.",
        )
    return rename
