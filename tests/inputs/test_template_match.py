"""Which communication template covers a shipment line (the join of issue 15, first part): by the
installation's name normalised or its UN/LOCODE, the CN code or the longest heading given, and the
reporting period where two templates give one installation and product."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from template_edit import ALUMINIUM, CEMENT, EXAMPLES, edit, text

from cbam_calc.core.errors import InputFileError
from cbam_calc.inputs.comm_template import read_template
from cbam_calc.inputs.template_match import NO_MATCH, match_lines, template_products


@pytest.fixture(scope="module")
def products():
    return template_products([read_template(p) for p in EXAMPLES])


def test_lines_take_the_product_of_their_installation_and_cn_code(products):
    got = match_lines(
        products,
        [
            "Example Aluminium Producer",
            "EXAMPLE  aluminium producer.",
            "Example Cement Producer",
            "Someone else",
        ],
        ["76011010", "76051900", "25232900", "25232900"],
    )
    rows = [
        products.loc[i, ["installation", "cn_code", "row"]].tolist() if i != NO_MATCH else None for i in got
    ]
    assert rows == [
        ["Example Aluminium Producer", "76011010", 10],
        ["Example Aluminium Producer", "76051900", 11],
        ["Example Cement Producer", "25232900", 10],
        None,
    ]
    assert products.loc[got[0], "see_total"] == read_template(ALUMINIUM).products[0].see_total


def test_a_line_matches_by_unlocode_and_not_a_product_the_installation_does_not_make(products):
    got = match_lines(products, ["", ""], ["76011010", "72081000"], unlocode=["US ABC", "US ABC"])
    assert products.loc[got[0], "installation"] == "Example Aluminium Producer"  # both US ABC: 7601 is Al's
    assert got[1] == NO_MATCH


def test_an_8_digit_line_matches_a_product_given_at_its_heading(tmp_path):
    heading = edit(CEMENT, tmp_path / "heading.xlsx", "Summary_Products", {"F10": text("2523")})
    products = template_products([read_template(heading)])
    assert list(match_lines(products, ["Example Cement Producer"], ["25232900"])) == [0]


def test_two_templates_of_one_installation_are_told_apart_by_the_period_else_an_error(tmp_path):
    shutil.copy(CEMENT, tmp_path / "cement_2023.xlsx")
    later = {"G20": text("2024-01-01"), "G21": text("2024-12-31")}
    edit(CEMENT, tmp_path / "cement_2024.xlsx", "Summary_Communication", later)
    products = template_products(
        [read_template(tmp_path / f) for f in ("cement_2023.xlsx", "cement_2024.xlsx")]
    )
    got = match_lines(
        products,
        ["Example Cement Producer"] * 2,
        ["25232900"] * 2,
        [dt.date(2024, 3, 1), dt.date(2023, 3, 1)],
    )
    assert [products.loc[i, "file"].rsplit("/", 1)[-1] for i in got] == [
        "cement_2024.xlsx",
        "cement_2023.xlsx",
    ]
    with pytest.raises(InputFileError, match="two communication templates give the same installation and CN"):
        match_lines(products, ["Example Cement Producer"], ["25232900"], [dt.date(2026, 3, 1)])
