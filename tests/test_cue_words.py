import json

import pytest

from slmkit.cue_words import (
    CleanReport,
    CueWords,
    clean_span,
    clean_spans,
    contaminated_spans,
    contamination_rate,
    default_cue_words,
)


def _span(full: str, value: str, label: str, **extra):
    start = full.index(value)
    return {"start": start, "end": start + len(value), "label": label, **extra}


def _cleaned(text: str, value: str, label: str) -> str | None:
    out = clean_span(text, _span(text, value, label))
    return None if out is None else text[out["start"] : out["end"]]


@pytest.mark.parametrize(
    ("label", "span_value", "expected"),
    [
        ("MRN", "MRN 8472301", "8472301"),
        ("MEMBER_ID", "member ID AET-998-2210", "AET-998-2210"),
        ("COPAY", "copay $35", "$35"),
        ("SSN", "SSN 123-45-6789", "123-45-6789"),
        ("PHONE", "phone (617) 555-1234", "(617) 555-1234"),
        ("PHONE", "Phone #: (617) 555-1234", "(617) 555-1234"),
        ("ACCOUNT", "account # 55321", "55321"),
        ("DATE", "DOB: 03/04/1950", "03/04/1950"),
        ("EMAIL", "email: a@b.com", "a@b.com"),
        ("POLICY_NUMBER", "policy no. XK-2210", "XK-2210"),
        ("CLAIM_ID", "claim # CLM-4411", "CLM-4411"),
        ("AUTH_NUMBER", "auth number AUTH998212", "AUTH998212"),
        ("AUTH_NUMBER", "prior auth PA-4421", "PA-4421"),
        ("GROUP_NUMBER", "group # 4411", "4411"),
        ("BILLED_AMOUNT", "balance due $1,240.50", "$1,240.50"),
        ("LOC", "by fayetteville", "fayetteville"),
        ("LOC", "the Dorchester location", "the Dorchester"),
        ("LOC", "12 Main St, Boston, MA 02110,", "12 Main St, Boston, MA 02110"),
        ("NAME", ", Gordon Pike", "Gordon Pike"),
        # trailing cues
        ("COPAY", "$35 copay", "$35"),
        ("DEDUCTIBLE", "$500 deductible", "$500"),
        ("COPAY", "$35 co-pay.", "$35"),
        # multi-word cues, flexible whitespace, case-insensitive
        ("MRN", "Medical   Record Number: OMK-44291", "OMK-44291"),
        ("SSN", "SOCIAL SECURITY NUMBER 123-45-6789", "123-45-6789"),
        ("MRN", "mrn: RMR-882034", "RMR-882034"),
        ("LICENSE", "driver’s license D1234567", "D1234567"),
        # cue then separator then another cue
        ("MEMBER_ID", "Member #: ID AET-998-2210", "AET-998-2210"),
        # titles are part of names
        ("NAME", "name: Dr. Jane Smith", "Dr. Jane Smith"),
    ],
)
def test_cue_words_are_stripped(label, span_value, expected):
    text = f"Hi, my {span_value} thanks"
    assert _cleaned(text, span_value, label) == expected


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("NAME", "Dr. Jane Smith"),
        ("MRN", "8472301"),
        ("MRN", "MRN-8472301"),  # a bare hyphen joins an ID prefix, not a cue
        ("URL", "portal.smithhealth.org/reset"),  # a dot joins a host name, not a cue
        ("AUTH_NUMBER", "AUTH998212"),
        ("PHONE", "(617) 555-1234"),
        ("COPAY", "$35"),
        ("CARRIER", "Liberty Mutual Insurance"),
        ("LOC", "12 Main St, Boston"),
        ("UNKNOWN_LABEL", "MRN 8472301"),  # no cue list: left alone
    ],
)
def test_clean_spans_are_untouched(label, value):
    text = f"Note: {value}. Bye"
    span = _span(text, value, label, text=value, score=0.9)
    spans, report = clean_spans(text, [span])
    assert spans == [span]
    assert report.total == 1 and not report.changed and not report.dropped


def test_extra_keys_and_text_are_kept_and_updated():
    text = "Please call phone (617) 555-1234 today"
    span = _span(text, "phone (617) 555-1234", "PHONE", text="phone (617) 555-1234", source="gen-A")
    out = clean_span(text, span)
    assert out == {"start": 18, "end": 32, "label": "PHONE", "text": "(617) 555-1234", "source": "gen-A"}
    assert text[out["start"] : out["end"]] == out["text"]
    assert span["text"] == "phone (617) 555-1234"  # input not mutated


def test_whitespace_edges_are_trimmed():
    text = "MRN  8472301  please"
    out = clean_span(text, {"start": 3, "end": 13, "label": "MRN"})
    assert text[out["start"] : out["end"]] == "8472301"


def test_unlocatable_spans_are_dropped_and_counted():
    text = "My MRN 8472301 and copay $35, member ID AET-998-2210"
    spans = [
        _span(text, "MRN 8472301", "MRN"),  # changed
        _span(text, "copay", "COPAY"),  # nothing but the cue: dropped
        {"start": 40, "end": 999, "label": "MEMBER_ID"},  # out of range: dropped
        # carries a text that is not inside its offsets: dropped
        {"start": 3, "end": 14, "label": "MRN", "text": "MRN 9999999"},
        _span(text, "AET-998-2210", "MEMBER_ID"),  # unchanged
    ]
    kept, report = clean_spans(text, spans)
    assert [text[s["start"] : s["end"]] for s in kept] == ["8472301", "AET-998-2210"]
    assert report.total == 5
    assert report.as_dict() == {
        "total": 5,
        "changed": 1,
        "dropped": 3,
        "changed_by_label": {"MRN": 1},
        "dropped_by_label": {"COPAY": 1, "MEMBER_ID": 1, "MRN": 1},
    }


def test_span_text_disagreeing_with_offsets_is_relocated_inside_the_span():
    text = "ref: MRN 8472301."
    # offsets cover "MRN 8472301." but the span's own text says "MRN 8472301": relocate the cleaned value
    span = {"start": 5, "end": 17, "label": "MRN", "text": "MRN 8472301"}
    out = clean_span(text, span)
    assert out is not None and out["text"] == "8472301" and text[out["start"] : out["end"]] == "8472301"


def test_report_merge():
    a = CleanReport(total=2)
    a.changed["MRN"] += 1
    b = CleanReport(total=3)
    b.dropped["SSN"] += 2
    assert a.add(b).as_dict()["dropped_by_label"] == {"SSN": 2} and a.total == 5


def test_contamination_rate_and_cleaning_is_idempotent():
    records = [
        {"text": "MRN 8472301 and copay $35", "spans": []},
        {"text": "Dr. Jane Smith, $35 copay", "spans": []},
    ]
    records[0]["spans"] = [
        _span(records[0]["text"], "MRN 8472301", "MRN"),
        _span(records[0]["text"], "$35", "COPAY"),
    ]
    records[1]["spans"] = [
        _span(records[1]["text"], "Dr. Jane Smith", "NAME"),
        _span(records[1]["text"], "$35 copay", "COPAY"),
    ]
    assert contamination_rate(records) == 0.5
    total, hits = contaminated_spans(records)
    assert total == 4 and [(i, cue) for i, _, cue in hits] == [(0, "MRN"), (1, "copay")]
    cleaned = [{**r, "spans": clean_spans(r["text"], r["spans"])[0]} for r in records]
    assert contamination_rate(cleaned) == 0.0
    again = [clean_spans(r["text"], r["spans"])[1] for r in cleaned]
    assert all(not rep.changed and not rep.dropped for rep in again)
    assert contamination_rate([]) == 0.0


def test_cue_list_is_data(tmp_path):
    path = tmp_path / "cues.json"
    path.write_text(
        json.dumps({"separators": [":"], "labels": {"PET": {"leading": ["dog"], "trailing": ["pup"]}}})
    )
    cues = CueWords.from_file(path)
    text = "DOG: Rex and Fido pup"
    assert clean_span(text, {"start": 0, "end": 8, "label": "PET"}, cues)["end"] == 8
    assert clean_span(text, {"start": 0, "end": 8, "label": "PET"}, cues)["start"] == 5
    assert cues.clean("PET", "Fido pup") == "Fido"
    assert cues.clean("MRN", "MRN 1") == "MRN 1"


def test_packaged_list_covers_every_clarioscope_label():
    from clarioscope_pipeline.labels import INSURANCE_FIELDS, PHI_TYPES

    assert set(default_cue_words().labels) == set(PHI_TYPES) | set(INSURANCE_FIELDS)
