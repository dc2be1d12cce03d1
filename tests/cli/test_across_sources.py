"""The story across the bundled sources: the German article and five court orders in Musk v. Altman.

Issue 13's evidence on the real data: Musk's stances over time, dated by two court orders; his
stance on open source contradicting itself between the article and the orders, with both
quotes and both sources; the sources with licence, credit line and counts (as the README says);
what ``kg diff`` shows after an edit of an order; a second "Elon Musk" warned about and merged
away; Musk's Wikidata id given twice refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers.inprocess import run_kg, run_kg_json
from helpers.run import DATA, REPO, SOURCE_ID, kg

from graph.build.pipeline import Built, build
from graph.store.builds import OutDir

PI, MTD, CC, MSJ, PRETRIAL = (
    "ygr-pi-order-2025-03-04",
    "ygr-mtd-order-2025-05-01",
    "ygr-counterclaims-order-2025-08-12",
    "ygr-msj-order-2026-01-15",
    "ygr-pretrial-order-3-2026-03-31",
)
ORDERS = (PI, MTD, CC, MSJ, PRETRIAL)


def test_musks_stances_over_time_are_dated_by_the_court_orders_to_the_day_month_or_year_and_never_invented(built: Built) -> None:
    steps = run_kg_json("timeline", "musk", "--stances", "-f", "json", "--build", built.out.root)["steps"]
    corpus = built.checked.corpus
    assert [(s["time"], s["dated_by"], s["source"], s["statement"]) for s in steps[:12]] == [
        ("2015-06", "stated", MTD, "mtd-fac-musk-provided-nonprofit"),  # "[i]n June 2015", as the complaint pleads
        ("2015-06-24", "stated", PI, "pi-musk-agree-on-all"),
        ("2016-02-22", "stated", PI, "pi-musk-hire-whatever-it-takes"),
        ("2016-03", "stated", PI, "pi-musk-sounds-good"),
        ("2016-04", "stated", PI, "pi-musk-ai-power-distributed"),
        ("2017", "stated", MSJ, "msj-musk-cash-cow"),  # "In 2017": the year before its months and days
        ("2017", "stated", MSJ, "msj-musk-philanthropic"),
        ("2017-09", "stated", PI, "pi-musk-annoyed-profit-motive"),
        ("2017-09", "stated", PI, "pi-musk-continue-as-nonprofit"),
        ("2017-09-20", "stated", MSJ, "msj-musk-continue-as-nonprofit"),
        ("2017-09-20", "stated", MSJ, "msj-musk-no-longer-fund"),
        ("2018-02-20", "stated", MSJ, "msj-musk-agreed-to-donate"),
    ]
    assert steps[2]["quote"] == "Whatever it takes to bring on ace talent is fine by me."
    assert (steps[2]["voice"], steps[2]["asserted_by"], steps[2]["expressed_in"]) == ("quotation", "musk", "email-2016-02-22-musk")
    assert {s["source"] for s in steps if s["dated_by"] == "stated"} == {PI, MTD, MSJ}
    dated = [s["time"] for s in steps if s["time"]]
    assert dated == sorted(dated)
    assert steps[len(dated) :], "the article's steps"
    assert all(s["time"] == "" for s in steps[len(dated) :]), "undated steps come last"
    for s in steps:
        statement, source = corpus.statements[s["statement"]], corpus.sources[s["source"]]
        assert s["quote"] == statement.quote.exact == source.text[statement.quote.start : statement.quote.end]
        if s["dated_by"] == "stated":  # the date the statement's text gives
            assert s["time"] == str(statement.date)
        elif s["dated_by"] == "reported":  # no date of its own: its source's publication date
            assert statement.date is None
            assert s["time"] == str(source.date)
        else:
            assert (s["dated_by"], s["time"], statement.date, source.date) == ("undated", "", None, None)
    assert {s["source"] for s in steps if s["dated_by"] == "undated"} == {SOURCE_ID}, "the article has no date"


def test_musk_on_open_source_contradicts_the_article_in_two_court_orders_with_both_quotes(built: Built) -> None:
    found = run_kg_json("contradictions", "-f", "json", "--build", built.out.root)["contradictions"]
    (c,) = [c for c in found if (c["holder"], c["proposition"]) == ("musk", "openai-should-be-open-source")]
    against, for_ = c["sides"]
    assert (against["polarity"], for_["polarity"]) == ("against", "for")
    assert {e["statement"]["source"] for e in against["evidence"]} == {SOURCE_ID}
    assert {e["statement"]["source"] for e in for_["evidence"]} == {SOURCE_ID, MSJ, PRETRIAL}
    assert "Es ist also klar, dass er von Anfang an für ein Closed-Source-Projekt war." in [
        e["statement"]["quote"] for e in against["evidence"]
    ]
    from_orders = [
        (e["statement"]["source"], e["latest"], e["statement"]["asserted_by"], e["statement"]["quote"])
        for e in for_["evidence"]
        if e["statement"]["source"] != SOURCE_ID
    ]
    assert from_orders == [
        (
            MSJ,
            "2026-01-15",
            "ndcal",
            "formed OpenAI as a nonprofit built on the core tenants that “the resulting technology will benefit the public,” "
            "that it would “seek to open source technology for the public benefit”",
        ),
        (PRETRIAL, "2026-03-31", "ndcal", "OpenAI’s obligation to Musk to stay open source and nonprofit remained ongoing."),
    ]
    texts = {ident: source.text for ident, source in built.checked.corpus.sources.items()}
    for side in c["sides"]:
        for e in side["evidence"]:
            (quote,) = e["statement"]["quotes"]
            assert texts[e["statement"]["source"]][quote["start"] : quote["end"]] == quote["exact"] == e["statement"]["quote"]
    table = kg("contradictions", "--build", built.out.root, env={"COLUMNS": "1000"})
    assert table.returncode == 0, table.stderr
    assert f"source {MSJ}: " in table.stdout
    assert f"source {SOURCE_ID}: " in table.stdout


#: per source: date, statements by voice, entities; the README's table says the same
SOURCES = [
    (PI, "2025-03-04", {"claim": 21, "judgement": 14, "narration": 71, "quotation": 21}, 61),
    (MTD, "2025-05-01", {"claim": 3, "judgement": 6, "narration": 48, "quotation": 3}, 32),
    (CC, "2025-08-12", {"claim": 6, "judgement": 7, "narration": 42, "quotation": 19}, 40),
    (MSJ, "2026-01-15", {"claim": 1, "narration": 84, "quotation": 25}, 46),
    (PRETRIAL, "2026-03-31", {"judgement": 7, "narration": 24, "quotation": 3}, 22),
    (SOURCE_ID, "", {"claim": 5, "judgement": 5, "narration": 41, "quotation": 8}, 28),
]


def test_the_bundled_sources_give_licence_credit_and_counts(built: Built) -> None:
    sources = run_kg_json("sources", "-f", "json", "--build", built.out.root)["sources"]
    assert [(s["source"], s["date"], s["statements_by_voice"], s["entities"]) for s in sources] == SOURCES
    for s in sources[:5]:
        assert (s["language"], s["author"], s["licence"], s["licence_url"]) == (
            "en",
            "ndcal",
            "LicenseRef-public-domain-us-gov",
            "https://www.law.cornell.edu/uscode/text/17/105",
        )
        assert "Musk v. Altman, No. 4:24-cv-04722-YGR" in s["attribution"]
        assert "public domain (17 U.S.C. § 105)" in s["attribution"]
        assert s["url"].startswith("https://storage.courtlistener.com/recap/gov.uscourts.cand.433688/")
    assert (sources[5]["licence"], sources[5]["attribution"]) == ("", ""), "the article's licence is not known"
    assert sum(sum(s["statements_by_voice"].values()) for s in sources) == 464
    assert len(built.checked.corpus.entities) == 173


VOICES = ("narration", "quotation", "claim", "judgement")


def test_the_readme_table_of_sources_gives_the_counts_of_the_build_by_voice(built: Built) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Where the texts come from") : readme.index("### One entity across sources")]
    header, *lines = [line for line in section.split("\n") if line.startswith("| ")]  # the rule |---| is left out
    columns = [c.strip() for c in header.strip("|").split("|")]
    assert columns[-6:] == ["statements", *VOICES, "entities"]
    table = {}
    for line in lines:
        cells = dict(zip(columns, (c.strip() for c in line.strip("|").split("|")), strict=True))
        table[cells["source"].strip("`")] = tuple(int(cells[c]) for c in columns[-6:])
    sources = run_kg_json("sources", "-f", "json", "--build", built.out.root)["sources"]
    counts = {
        s["source"]: (sum(s["statements_by_voice"].values()), *(s["statements_by_voice"].get(v, 0) for v in VOICES), s["entities"])
        for s in sources
    }
    assert table == counts
    assert {source: (c[0], c[-1]) for source, c in table.items()} == {s: (sum(v.values()), e) for s, _, v, e in SOURCES}


def test_every_bundled_source_mentions_musk_and_says_how(built: Built) -> None:
    sources = run_kg_json("sources", "musk", "-f", "json", "--build", built.out.root)["sources"]
    assert [s["source"] for s in sources] == [*ORDERS, SOURCE_ID]
    assert sources[0]["mentions"] == {"asserted_by": 36, "object": 5, "subject": 42}
    assert sources[-1]["mentions"] == {"subject": 23, "asserted_by": 8, "object": 1}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_kg_diff_shows_what_an_edit_of_a_court_order_changed(built: Built, data_copy: Path, tmp_path: Path) -> None:
    pretrial = data_copy / "statements" / f"{PRETRIAL}.yaml"
    _edit(  # removed
        pretrial,
        "  - id: pt-musk-accuses-microsoft-gains\n    subject: musk\n    predicate: accused\n    object: microsoft\n    voice: narration\n"
        "    regarding: [pt-musk-seeks-disgorgement]\n    quote: up to $134 billion from OpenAI and Microsoft to disgorge their ill-gotten gains\n\n",
        "",
    )
    _edit(  # changed: a shorter span of the same sentence
        pretrial,
        "    regarding: [pt-musk-seeks-disgorgement]\n    quote: up to $134 billion from OpenAI and Microsoft to disgorge their ill-gotten gains\n",
        "    regarding: [pt-musk-seeks-disgorgement]\n    quote: up to $134 billion from OpenAI\n",
    )
    with open(pretrial, "a", encoding="utf-8") as handle:  # added
        handle.write(
            "\n  - id: pt-musk-accuses-openai-and-microsoft\n    subject: musk\n    predicate: accused\n    object: microsoft\n"
            "    voice: narration\n    quote: from OpenAI and Microsoft to disgorge their ill-gotten gains\n"
        )
    after = OutDir(tmp_path / "after")
    build(data_copy, after, exports=["ntriples"])  # one export: the diff reads the stores
    diff = run_kg_json("diff", built.out.root, after.root, "-f", "json")["statements"]
    assert [s["id"] for s in diff["added"]] == ["pt-musk-accuses-openai-and-microsoft"]
    assert [s["id"] for s in diff["removed"]] == ["pt-musk-accuses-microsoft-gains"]
    assert [(c["id"], c["fields"], c["after"]["quote"]) for c in diff["changed"]] == [
        ("pt-musk-accuses-openai-gains", ["quote"], "up to $134 billion from OpenAI [308, 338)")
    ]
    assert built.checked.corpus.sources[PRETRIAL].text[308:338] == "up to $134 billion from OpenAI"
    assert diff["unchanged"] == 464 + 93 - 3  # curated and derived statements, less the three edited
    table = run_kg("diff", built.out.root, after.root)
    assert table.exit_code == 0, table.stderr
    for line in ("1 statement(s) added", "1 statement(s) removed", "1 statement(s) changed"):
        assert line in table.stdout


def test_a_second_elon_musk_is_warned_about_listed_and_merged_away(data_copy: Path) -> None:
    entities = data_copy / "entities" / "musk-v-altman.yaml"
    with open(entities, "a", encoding="utf-8") as handle:
        handle.write("\n  - id: elon-musk\n    kind: person\n    label: {de: Elon Musk, en: Elon Musk}\n")
    _edit(
        data_copy / "statements" / f"{PRETRIAL}.yaml",
        "  - id: pt-musk-seeks-disgorgement\n    subject: musk\n",
        "  - id: pt-musk-seeks-disgorgement\n    subject: elon-musk\n",
    )
    validated = kg("validate", "--data", data_copy, timeout=300)
    assert validated.returncode == 0, validated.stderr
    (warning,) = [line for line in validated.stderr.splitlines() if line.startswith("warning:")]
    for named in ("'elon-musk'", "'musk'", "data/entities/musk-v-altman.yaml:", "data/entities.yaml:11"):
        assert named in warning
    found = run_kg_json("entities", "--duplicates", "-f", "json", "--data", data_copy)["candidates"]
    assert [(c["first"]["id"], c["second"]["id"], c["strength"], c["merge"]) for c in found] == [
        ("musk", "elon-musk", "same-name", "kg entities merge musk elon-musk")
    ]
    merged = kg("entities", "merge", "musk", "elon-musk", "--data", data_copy, timeout=300)
    assert merged.returncode == 0, merged.stderr
    for path in sorted(DATA.rglob("*")):
        if path.is_file():
            assert (data_copy / path.relative_to(DATA)).read_bytes() == path.read_bytes(), f"{path.relative_to(DATA)} as bundled"


def test_musks_wikidata_id_on_a_second_entity_is_refused_with_file_line_and_field(data_copy: Path) -> None:
    entities = data_copy / "entities" / "musk-v-altman.yaml"
    lines = entities.read_text(encoding="utf-8").count("\n")
    with open(entities, "a", encoding="utf-8") as handle:
        handle.write("\n  - id: elon\n    kind: person\n    label: {de: Elon, en: Elon}\n    wikidata: Q317521\n")
    result = kg("validate", "--data", data_copy, timeout=300)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: data/entities/musk-v-altman.yaml:{lines + 5}: entities[")
    assert ".wikidata: 'elon' has the Wikidata id Q317521 of 'musk' (data/entities.yaml:11)" in errors[0]


@pytest.mark.parametrize("source", ORDERS)
def test_every_court_order_records_its_licence_digest_cuts_and_verification(source: str) -> None:
    meta = (DATA / "sources" / f"{source}.yaml").read_text(encoding="utf-8")
    for field in ("licence:", "licence_url:", "attribution:", "sha256:", "excerpt:", "verified:", "url:", "date:", "publisher:"):
        assert re.search(rf"^{field}", meta, re.MULTILINE), f"{source}.yaml has no {field}"
