import pytest

from slmkit.spans import (
    bio_to_spans,
    misaligned_spans,
    spans_to_bio,
    validate_spans,
    whitespace_tokens,
)


def _spans(text: str, *pairs: tuple[str, str]) -> list[dict]:
    out, pos = [], 0
    for value, label in pairs:
        start = text.index(value, pos)
        out.append({"start": start, "end": start + len(value), "label": label})
        pos = start + len(value)
    return out


def test_whitespace_tokens_split_punctuation():
    text = "MRN: 847-23, a@b.com"
    assert [text[s:e] for s, e in whitespace_tokens(text)] == [
        "MRN", ":", "847", "-", "23", ",", "a", "@", "b", ".", "com",
    ]  # fmt: skip
    assert whitespace_tokens("   ") == []


ROUND_TRIP = [
    ("Hi, I'm Jane Smith, MRN 8472301.", [("Jane Smith", "NAME"), ("8472301", "MRN")]),
    ("Call (617) 555-1234 or fax 617-555-9999 today", [("(617) 555-1234", "PHONE"), ("617-555-9999", "FAX")]),
    # adjacent entities of the same type: B-X B-X
    ("Names: Jane Bob", [("Jane", "NAME"), ("Bob", "NAME")]),
    ("DOB 03/04/1950 03/05/1950", [("03/04/1950", "DATE"), ("03/05/1950", "DATE")]),
    ("email a@b.com", [("a@b.com", "EMAIL")]),
    ("Jane", [("Jane", "NAME")]),
    ("no entities here.", []),
]


@pytest.mark.parametrize(("text", "pairs"), ROUND_TRIP)
def test_bio_round_trip(text, pairs):
    spans = _spans(text, *pairs)
    offsets = whitespace_tokens(text)
    assert misaligned_spans(spans, offsets) == []
    tags = spans_to_bio(text, spans, offsets)
    assert len(tags) == len(offsets)
    back = bio_to_spans(tags, offsets, text)
    assert [{k: s[k] for k in ("start", "end", "label")} for s in back] == spans
    assert [s["text"] for s in back] == [v for v, _ in pairs]


def test_adjacent_same_type_tags():
    text = "Names: Jane Bob"
    tags = spans_to_bio(text, _spans(text, ("Jane", "NAME"), ("Bob", "NAME")), whitespace_tokens(text))
    assert tags == ["O", "O", "B-NAME", "B-NAME"]
    text = "Jane Smith"
    assert spans_to_bio(text, _spans(text, ("Jane Smith", "NAME")), whitespace_tokens(text)) == [
        "B-NAME",
        "I-NAME",
    ]


def test_strict_iob2_stray_inside_starts_nothing():
    offsets = [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11)]
    # stray I-X at the start and its continuation are ignored; I-Y after B-X ends X and starts nothing
    assert bio_to_spans(["I-X", "I-X", "O", "B-X", "I-Y", "O"], offsets) == [
        {"start": 6, "end": 7, "label": "X"}
    ]
    assert bio_to_spans(["O", "I-X", "B-X", "I-X", "I-X", "O"], offsets) == [
        {"start": 4, "end": 9, "label": "X"}
    ]
    assert bio_to_spans(["B-X", "B-X", "I-X", "O", "I-X", "B-Y"], offsets) == [
        {"start": 0, "end": 1, "label": "X"},
        {"start": 2, "end": 5, "label": "X"},
        {"start": 10, "end": 11, "label": "Y"},
    ]


def test_bio_to_spans_rejects_bad_input():
    with pytest.raises(ValueError, match="not an IOB2 tag"):
        bio_to_spans(["E-X"], [(0, 1)])
    with pytest.raises(ValueError, match="not an IOB2 tag"):
        bio_to_spans(["B-"], [(0, 1)])
    with pytest.raises(ValueError, match="tags for"):
        bio_to_spans(["O", "O"], [(0, 1)])


def test_boundary_inside_a_token():
    text = "MRN8472301 ok"
    offsets = whitespace_tokens(text)  # one token "MRN8472301"
    spans = [{"start": 3, "end": 10, "label": "MRN"}]
    assert misaligned_spans(spans, offsets) == [(0, "boundary inside a token")]
    # expand (default): the whole token is tagged, so reading back grows the span to the token
    tags = spans_to_bio(text, spans, offsets)
    assert tags == ["B-MRN", "O"]
    assert bio_to_spans(tags, offsets) == [{"start": 0, "end": 10, "label": "MRN"}]
    assert spans_to_bio(text, spans, offsets, misaligned="drop") == ["O", "O"]
    with pytest.raises(ValueError, match="not aligned"):
        spans_to_bio(text, spans, offsets, misaligned="raise")


def test_special_tokens_and_unowned_spans():
    text = "Jane Smith"
    offsets = [(0, 0), (0, 4), (5, 10), (0, 0)]  # HF-style offsets with [CLS]/[SEP]
    assert spans_to_bio(text, _spans(text, ("Jane Smith", "NAME")), offsets) == ["O", "B-NAME", "I-NAME", "O"]
    # two spans inside one token: the first-starting span wins, the other has no token
    spans = [{"start": 0, "end": 2, "label": "A"}, {"start": 2, "end": 4, "label": "B"}]
    assert misaligned_spans(spans, offsets) == [(0, "boundary inside a token"), (1, "no token")]
    assert spans_to_bio(text, spans, offsets) == ["O", "B-A", "O", "O"]
    with pytest.raises(ValueError, match="out of range"):
        spans_to_bio(text, [{"start": 5, "end": 99, "label": "A"}], offsets)


def test_subword_offsets_round_trip():
    text = "MRN 8472301"
    offsets = [(0, 3), (4, 7), (7, 11)]  # "847" "##2301"
    spans = [{"start": 4, "end": 11, "label": "MRN"}]
    tags = spans_to_bio(text, spans, offsets)
    assert tags == ["O", "B-MRN", "I-MRN"]
    assert bio_to_spans(tags, offsets, text) == [{"start": 4, "end": 11, "label": "MRN", "text": "8472301"}]


def test_validate_spans_catches_each_problem():
    text = "Jane Smith, MRN 8472301"
    labels = {"NAME", "MRN"}
    good = [
        {"start": 0, "end": 10, "label": "NAME", "text": "Jane Smith"},
        {"start": 16, "end": 23, "label": "MRN"},
    ]
    assert validate_spans(text, good, labels) == []
    assert validate_spans(text, good) == []

    def problems(span, others=()):
        return validate_spans(text, [span, *others], labels)

    assert "out of range" in problems({"start": 16, "end": 24, "label": "MRN"})[0]
    assert "out of range" in problems({"start": -1, "end": 3, "label": "MRN"})[0]
    assert "empty" in problems({"start": 5, "end": 5, "label": "NAME"})[0]
    assert "empty" in problems({"start": 6, "end": 5, "label": "NAME"})[0]
    assert "unknown label 'SSN'" in problems({"start": 16, "end": 23, "label": "SSN"})[0]
    [problem] = problems({"start": 0, "end": 10, "label": "NAME", "text": "Jane"})
    assert "stored text differs from text[start:end]" in problem
    assert "Jane" not in problem  # values may be PHI: problems carry offsets only
    assert "not integers" in problems({"start": "0", "end": 10, "label": "NAME"})[0]
    assert "not integers" in problems({"end": 10, "label": "NAME"})[0]
    overlap = problems({"start": 5, "end": 14, "label": "NAME"}, good)
    assert overlap == ["spans 1 (0:10) and 0 (5:14) overlap"]
    # a long span overlapping two later ones, not just its neighbour in start order
    nested = validate_spans(text, [{"start": 0, "end": 23, "label": "NAME"}, *good], labels)
    assert len(nested) == 2 and all("overlap" in p for p in nested)
    duplicate = validate_spans(text, [good[1], dict(good[1])], labels)
    assert len(duplicate) == 1 and "overlap" in duplicate[0]


def _at(text: str, value: str, label: str = "X") -> dict:
    start = text.index(value)
    return {"start": start, "end": start + len(value), "label": label}


def test_complete_words_grows_fragments_of_an_identifier_to_the_whole_word():
    from slmkit.spans import complete_words

    text = "photo PXL_20240512_113001.png, Dr. Okafor's date 2026-03-14. paid $450.00 - thanks."
    spans = [_at(text, "PXL"), _at(text, ".png"), _at(text, "2026-", "DATE"), _at(text, "450.00", "BILLED")]
    spans.append(_at(text, "Dr. Okafor", "NAME"))
    got = [(text[s["start"] : s["end"]], s["label"]) for s in complete_words(text, spans)]
    assert got == [
        ("PXL_20240512_113001.png", "X"),  # fragments merged into one span
        ("Dr. Okafor", "NAME"),  # the possessive 's stays outside
        ("2026-03-14", "DATE"),  # the sentence's full stop stays outside
        ("$450.00", "BILLED"),  # money includes its $
    ]
    assert complete_words(text, [_at(text, " - ")]) == []  # no letter or digit: no entity


def test_complete_words_reads_spoken_numbers_whole_and_drops_stray_digits():
    from slmkit.spans import complete_words

    text = "call six one seven five five five oh one four two or nine, it's the United Healthcare plan"
    spans = [_at(text, "five five five oh", "PHONE"), _at(text, "nine", "PHONE")]
    spans += [_at(text, "United", "CARRIER"), _at(text, "Healthcare", "CARRIER")]
    got = [(text[s["start"] : s["end"]], s["label"]) for s in complete_words(text, spans)]
    assert got == [
        ("six one seven five five five oh one four two", "PHONE"),
        ("United Healthcare", "CARRIER"),
    ]
    spelled = "last name k o w a l s k i"
    assert [
        spelled[s["start"] : s["end"]] for s in complete_words(spelled, [_at(spelled, "w a l", "NAME")])
    ] == ["k o w a l s k i"]


def test_complete_words_keeps_a_list_of_numbers_apart():
    from slmkit.spans import complete_words

    text = "clauses 52.204-7 52.204-8 apply"
    spans = [_at(text, "52.204-7", "CLAUSE"), _at(text, "52.204-8", "CLAUSE")]
    assert [text[s["start"] : s["end"]] for s in complete_words(text, spans)] == ["52.204-7", "52.204-8"]
