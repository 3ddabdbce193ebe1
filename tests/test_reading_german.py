"""German exports read with no mapping: the header words of German ERPs (Dynamics NAV/Business
Central with a German client, DATEV's open-item list) name their fields as the English ones do.

Amounts here are written plainly (1234.56); the German number style is parse.py's concern.
"""

from __future__ import annotations

from datetime import date

from conftest import data_issues, run_on, write_csv

AS_OF = date(2026, 10, 31)


def open_items(result) -> dict:
    return {
        (r.customer_id, r.doc_no): (int(r.open_minor), int(r.open_base_minor))
        for r in result.open_items.itertuples()
    }


def test_business_central_customer_ledger_entries_in_german(tmp_path):
    """Debitorenposten (page 25) from a German client: Restbetrag is the open amount in the
    entry's currency, Restbetrag (MW) in the company's (MW = Mandantenwährung); Betrag and
    Urspr. Betrag are the original amounts. Open: 10000/103001 1,500.00; 20000/103002 EUR
    2,000.00 = 1,740.00 base (the export's own figure)."""
    path = write_csv(
        tmp_path / "debitorenposten.csv",
        [
            "Buchungsdatum;Belegart;Belegnr.;Debitornr.;Debitorname;Beschreibung;Währungscode;"
            "Urspr. Betrag;Betrag;Restbetrag;Restbetrag (MW);Fälligkeitsdatum;Offen;Lfd. Nr.",
            "2026-09-01;Rechnung;103001;10000;Adatum GmbH;Rechnung 103001;GBP;"
            "2500.00;2500.00;1500.00;1500.00;2026-10-01;Ja;1203",
            "2026-09-15;Rechnung;103002;20000;Trey Research;Rechnung 103002;EUR;"
            "2000.00;2000.00;2000.00;1740.00;2026-10-15;Ja;1204",
        ],
    )
    result = run_on(path, as_of=AS_OF, base="GBP")
    assert open_items(result) == {("10000", "103001"): (150000, 150000),
                                  ("20000", "103002"): (200000, 174000)}  # fmt: skip
    assert data_issues(result)[lambda f: f["severity"].eq("exception")].empty


def test_datev_open_item_list(tmp_path):
    """DATEV OPOS: Konto is the debtor account, Rechnungsnummer the document, Offener Betrag the
    open amount beside the invoice's Betrag. Open: 10001/RE-2026-117 800.00."""
    path = write_csv(
        tmp_path / "opos.csv",
        [
            "Konto;Name;Rechnungsnummer;Rechnungsdatum;Fälligkeit;Betrag;Offener Betrag;Währung",
            "10001;Mustermann GmbH;RE-2026-117;2026-09-20;2026-10-04;1190.00;800.00;EUR",
        ],
    )
    result = run_on(path, as_of=AS_OF, base="EUR")
    assert open_items(result) == {("10001", "RE-2026-117"): (80000, 80000)}
