"""FedProc dataset: label maps (tasks 1-3) and clause-number spans (task 4)."""

from __future__ import annotations

import pytest

from fedproc_pipeline.dataset.clauses import canonical_number, find_clause_citations, find_clause_spans
from fedproc_pipeline.dataset.labels import (
    NAICS_SECTORS,
    NOTICE_TYPES,
    SET_ASIDES,
    naics_sector,
    notice_type_bucket,
    set_aside_labels,
)
from fedproc_pipeline.models.stated import stated_naics


@pytest.mark.parametrize(
    ("sam_type", "bucket"),
    [
        ("Solicitation", "solicitation"),
        ("Combined Synopsis/Solicitation", "combined_synopsis_solicitation"),
        ("Sources Sought", "sources_sought"),
        ("Presolicitation", "presolicitation"),
        ("Award Notice", "award_notice"),
        ("Special Notice", "special_notice"),
        ("Justification", "justification"),
        ("Sale of Surplus Property", "other"),
        ("Intent to Bundle Requirements (DoD-Funded)", "other"),
        ("  combined   synopsis/solicitation ", "combined_synopsis_solicitation"),
        ("k", "combined_synopsis_solicitation"),
        ("Something New", "other"),
        (None, None),
        ("", None),
    ],
)
def test_notice_type_bucket(sam_type, bucket):
    assert notice_type_bucket(sam_type) == bucket
    assert bucket is None or bucket in NOTICE_TYPES


def test_vocabularies():
    assert len(NOTICE_TYPES) == 8
    assert NAICS_SECTORS == (
        "11", "21", "22", "23", "31-33", "42", "44-45", "48-49", "51", "52",
        "53", "54", "55", "56", "61", "62", "71", "72", "81", "92",
    )  # fmt: skip
    assert SET_ASIDES == ("SBA", "SDVOSB", "WOSB", "EDWOSB", "8A", "HUBZONE", "SDB")


@pytest.mark.parametrize(
    ("code", "sector"),
    [
        ("311111", "31-33"), ("325412", "31-33"), ("336413", "31-33"),
        ("441110", "44-45"), ("454110", "44-45"),
        ("481111", "48-49"), ("493110", "48-49"),
        ("541330", "54"), ("92", "92"), (236220, "23"), ("55", "55"),
        ("34", None), ("43", None), ("50", None), ("99", None), ("", None), (None, None), ("5413AB", None),
        ("1", None), ("1234567", None),
    ],
)  # fmt: skip
def test_naics_sector(code, sector):
    assert naics_sector(code) == sector


@pytest.mark.parametrize(
    ("code", "labels"),
    [
        ("SBA", ["SBA"]), ("SBP", ["SBA"]), ("8A", ["8A"]), ("8AN", ["8A"]),
        ("HZC", ["HUBZONE"]), ("HZS", ["HUBZONE"]), ("SDVOSBC", ["SDVOSB"]), ("SDVOSBS", ["SDVOSB"]),
        ("WOSB", ["WOSB"]), ("WOSBSS", ["WOSB"]), ("EDWOSB", ["EDWOSB"]), ("EDWOSBSS", ["EDWOSB"]),
        ("sba", ["SBA"]), ("NONE", []), (None, []), ("", []), ("VSA", []), ("BICiv", []),
    ],
)  # fmt: skip
def test_set_aside_labels(code, labels):
    assert set_aside_labels(code) == labels


def test_set_aside_unknown_code_raises_and_sdb_has_no_code():
    with pytest.raises(ValueError, match="unknown SAM set-aside"):
        set_aside_labels("XYZ")
    codes = [
        "SBA",
        "SBP",
        "8A",
        "8AN",
        "HZC",
        "HZS",
        "SDVOSBC",
        "SDVOSBS",
        "WOSB",
        "WOSBSS",
        "EDWOSB",
        "EDWOSBSS",
    ]
    assert all("SDB" not in set_aside_labels(c) for c in codes)


def _found(text, registry=None, **kw):
    return [(text[s["start"] : s["end"]], s["number"]) for s in find_clause_spans(text, registry, **kw)]


def test_clause_spans_far_and_dfars_with_paragraphs_and_alternates():
    text = (
        "The clause at FAR 52.212-5(b)(16) applies, as does DFARS 252.204-7012 (Safeguarding) and "
        "52.219-9, Alternate II. See 52.212-4."
    )
    assert _found(text) == [
        ("52.212-5", "52.212-5"),
        ("252.204-7012", "252.204-7012"),
        ("52.219-9", "52.219-9"),
        ("52.212-4", "52.212-4"),
    ]
    for span in find_clause_spans(text):
        assert span["label"] == "CLAUSE"
        assert "Alternate" not in text[span["start"] : span["end"]]


def test_clause_spans_en_dash_and_guards():
    text = "Provide the representation at 52.204–30 and comply with 252.204–7020."
    assert _found(text) == [("52.204–30", "52.204-30"), ("252.204–7020", "252.204-7020")]
    assert canonical_number(" 52.204–30 ") == "52.204-30"
    # The DFARS number does not also yield a FAR one; longer numbers are not cut short.
    assert _found("252.204-7012") == [("252.204-7012", "252.204-7012")]
    assert _found("1252.204-7012 52.204-7012 52.212-4-1 52.212-50") == [("52.212-50", "52.212-50")]
    # Not a clause: part 52 subparts other than 52.2, FAR prescriptions, DFARS numbers outside -7xxx.
    assert _found("FAR 52.101, 19.708(b), 5.204 and 252.204-1234") == []


def test_clause_spans_registry_mark_and_drop():
    text = "FAR 52.212-5 and FAR 52.299-99."
    marked = find_clause_spans(text, {"52.212-5"})
    assert [(s["number"], s["in_registry"]) for s in marked] == [("52.212-5", True), ("52.299-99", False)]
    assert _found(text, {"52.212-5"}, unknown="drop") == [("52.212-5", "52.212-5")]
    assert "in_registry" not in find_clause_spans(text)[0]


_REGISTRY = {
    "52.204-7", "52.204-8", "52.204-9", "52.204-10", "52.212-4", "52.212-5", "52.219-8", "52.219-9",
    "52.222-35", "52.222-36", "52.222-37", "52.222-50", "52.222-52", "52.222-53", "52.222-54",
    "252.204-7012", "252.204-7019", "252.204-7020", "252.225-7048", "252.227-7025",
}  # fmt: skip


def _cited(text):
    return [
        (text[c["start"] : c["end"]], c["number"], c["form"]) for c in find_clause_citations(text, _REGISTRY)
    ]


def test_citations_read_through_pdf_and_ocr_breaks():
    text = "FAR 52.2\n12-4, 52.212 - 5 and 252.225-\n   7048; 52,219-9, 52.2l9-8, S2.204-7 and 252.2O4-7O12."
    assert _cited(text) == [
        ("52.2\n12-4", "52.212-4", "noisy"),
        ("52.212 - 5", "52.212-5", "noisy"),
        ("252.225-\n   7048", "252.225-7048", "noisy"),
        ("52,219-9", "52.219-9", "noisy"),
        ("52.2l9-8", "52.219-8", "noisy"),
        ("S2.204-7", "52.204-7", "noisy"),
        ("252.2O4-7O12", "252.204-7012", "noisy"),
    ]
    # Clean text reads as find_clause_spans reads it; a prefix may touch the number.
    assert _cited("See DFARS252.227-7025 and 52.212-4(a).") == [
        ("252.227-7025", "252.227-7025", "plain"),
        ("52.212-4", "52.212-4", "plain"),
    ]


def test_citations_in_shorthand_lists_and_ranges():
    assert _cited("52.222-35, -36, and -37") == [
        ("52.222-35", "52.222-35", "plain"),
        ("-36", "52.222-36", "shorthand"),
        ("-37", "52.222-37", "shorthand"),
    ]
    assert _cited("252.204-7019/-7020") == [
        ("252.204-7019", "252.204-7019", "plain"),
        ("-7020", "252.204-7020", "shorthand"),
    ]
    # Inside a range only registry numbers count (52.222-51 is not in this registry); inner numbers span the
    # whole range, the upper bound its own characters; a full upper bound is read once.
    text = "52.222-50 through -54"
    assert [(n, f) for _, n, f in _cited(text)] == [
        ("52.222-50", "plain"),
        ("52.222-52", "shorthand"),
        ("52.222-53", "shorthand"),
        ("52.222-54", "shorthand"),
    ]
    assert _cited(text)[1][0] == text and _cited(text)[3][0] == "-54"
    assert [n for _, n, _ in _cited("FAR 52.204-7 thru 52.204-10")] == [
        "52.204-7", "52.204-8", "52.204-9", "52.204-10",
    ]  # fmt: skip


def test_citations_never_invent_or_over_read():
    # Not in the registry, not part 52 / 252, another agency's supplement: nothing.
    assert _cited("52.212-99, FAR 19.502-2, DFARS 215.403, HSAR 3052.204-71, 52.212-4123") == []
    # A number at a line's end followed by a count; "to" with a bare number is no range; a space is not a
    # line break inside the suffix.
    assert [n for _, n, _ in _cited("52.204-7\n10. Offers")] == ["52.204-7"]
    assert [n for _, n, _ in _cited("52.212-4 to 5 days")] == ["52.212-4"]
    assert [n for _, n, _ in _cited("52.204-1 0")] == []


def test_stated_naics_code():
    assert stated_naics("NAICS 541330 applies") == "541330"
    assert (
        stated_naics(
            "The North American Industry Classification System (NAICS) code for this requirement is 332911"
        )
        == "332911"
    )
    assert stated_naics("under NAICS code: 561720, size standard $22M") == "561720"
    # The first valid code wins; codes not written after the word NAICS, and invalid sectors, do not count.
    assert stated_naics("NAICS 991234 or NAICS 236220; secondary NAICS 238220") == "236220"
    assert stated_naics("Solicitation W912DY-24-R-0012, PSC 5410, 541330 in Attachment 1") is None
    assert stated_naics("NAICS sector to be determined.\nPhone 541330") is None
