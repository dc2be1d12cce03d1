"""A statement's date at the precision its source gives: a day, a month ("in December 2015") or a year ("In 2017")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph
import pytest
from helpers.sparql import ask

from graph.build.pipeline import build, check
from graph.errors import DataError
from graph.model import dates
from graph.network.stances import Evidence, Position, Statement, dated_before
from graph.store.builds import OutDir

STATEMENTS = Path("statements") / "000_bb9b70fb7da9f08b.yaml"


def _dated(data: Path, date: str, which: int = 0) -> None:
    """Give the ``which``-th statement whose time is "Seitdem" a date."""
    path = data / STATEMENTS
    head, *rest = path.read_text(encoding="utf-8").split("    when: Seitdem\n")
    assert len(rest) == 2
    rest[which] = f"    date: {date}\n" + rest[which]
    path.write_text("    when: Seitdem\n".join([head, *rest]), encoding="utf-8")


def test_a_statement_dated_to_a_month_is_an_xsd_gyearmonth_and_to_a_year_an_xsd_gyear(data_copy: Path, tmp_path: Path) -> None:
    _dated(data_copy, "2015-12")
    store = build(data_copy, OutDir(tmp_path / "out")).out.open_store()  # SHACL conforms, or build raises
    rows = ask(store, "SELECT ?date (DATATYPE(?date) AS ?type) WHERE { statement:musk-cut-ties-with-openai qg:date ?date }")
    assert rows == [("2015-12", "http://www.w3.org/2001/XMLSchema#gYearMonth")]

    _dated(data_copy, "2017", which=1)  # YAML reads a bare year as a number
    corpus = check(data_copy).corpus
    dated = sorted(str(s.date) for s in corpus.statements.values() if s.date and s.source == "000_bb9b70fb7da9f08b")
    assert dated == ["2015-12", "2017"]
    store = build(data_copy, OutDir(tmp_path / "out2")).out.open_store()
    rows = ask(store, "SELECT (DATATYPE(?date) AS ?type) WHERE { ?st qg:date ?date . FILTER(STR(?date) = '2017') }")
    assert rows == [("http://www.w3.org/2001/XMLSchema#gYear",)]


@pytest.mark.parametrize("date", ["2015-13", "'2015-1'", "'December 2015'", "20151"])
def test_a_date_that_is_no_day_month_or_year_is_refused_naming_the_three_forms(data_copy: Path, date: str) -> None:
    _dated(data_copy, date)
    with pytest.raises(DataError) as info:
        check(data_copy)
    assert "a day (2015-12-11), a month (2015-12) or a year (2015)" in str(info.value)


def test_a_month_or_a_year_covers_its_first_to_its_last_day() -> None:
    assert (dates.earliest("2016-02"), dates.latest("2016-02")) == (dt.date(2016, 2, 1), dt.date(2016, 2, 29))
    assert (dates.earliest("2017"), dates.latest("2017")) == (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    day = dt.date(2017, 9, 20)
    assert (dates.earliest(day), dates.latest(day), dates.text(day), dates.precision(day)) == (day, day, "2017-09-20", "day")
    assert sorted(["2017-09-20", "2017", "2016-12", "2017-09"]) == ["2016-12", "2017", "2017-09", "2017-09-20"], "a timeline's order"


def _evidence(date: str) -> Evidence:
    statement = Statement("s-" + date, "musk", "supports", "stance", {"date": date, "source_date": "2026-01-15"})
    return Evidence(Position("musk", "stance", "for", statement), "for", None)


def test_a_position_dated_to_a_month_comes_before_only_what_is_dated_after_that_month() -> None:
    assert not dated_before([_evidence("2017-09")], [_evidence("2017-09-20")]), "the month may end after the 20th"
    assert dated_before([_evidence("2017-09")], [_evidence("2017-10-02")])
    assert not dated_before([_evidence("2017")], [_evidence("2017-09")])
    assert dated_before([_evidence("2016")], [_evidence("2017-01")])
    assert dated_before([_evidence("2017-08-31")], [_evidence("2017-09")])


def test_the_store_keeps_a_gyearmonth_apart_from_a_string() -> None:
    literal = pyoxigraph.Literal("2015-12", datatype=pyoxigraph.NamedNode(dates.datatype("2015-12")))
    assert literal.datatype.value.endswith("#gYearMonth")
