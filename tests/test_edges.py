"""A model's spans moved onto the guide's edges (slmkit.edges)."""

from slmkit.edges import first_names, repair_edges


def _at(text: str, value: str, label: str, occurrence: int = 0) -> dict[str, object]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(value, start + 1)
    return {"start": start, "end": start + len(value), "label": label, "source": "model"}


def _values(text: str, spans: list[dict[str, object]]) -> list[tuple[object, str]]:
    return [(s["label"], text[int(s["start"]) : int(s["end"])]) for s in spans]  # type: ignore[call-overload]


def test_a_span_starting_inside_a_word_starts_at_the_next_word() -> None:
    text = "hi my name's Rosa Ibarra and it's Connor O'Rourke"
    spans = [_at(text, "s Rosa Ibarra", "NAME"), _at(text, "Rourke", "NAME")]
    # (and a first name just before runs the name back: "Connor")
    assert _values(text, repair_edges(text, spans)) == [("NAME", "Rosa Ibarra"), ("NAME", "Connor O'Rourke")]


def test_fillers_and_asides_split_a_name() -> None:
    text = "my name is eugenia baptiste um b a p t i s t e thanks"
    spans = [_at(text, "eugenia baptiste um b a p t i s t e", "NAME")]
    assert _values(text, repair_edges(text, spans)) == [
        ("NAME", "eugenia baptiste"), ("NAME", "b a p t i s t e"),
    ]  # fmt: skip


def test_name_parts_that_touch_are_one_name() -> None:
    text = "Name: Hyun-woo Park\nmy grandmother, Winifred Ashby, is 94"
    spans = [
        _at(text, "Hyun-woo", "NAME"), _at(text, "Park", "LOC"), _at(text, "Winifred", "LOC"),
        _at(text, "Ashby", "NAME"),
    ]  # fmt: skip
    assert _values(text, repair_edges(text, spans)) == [("NAME", "Hyun-woo Park"), ("NAME", "Winifred Ashby")]
    # a place phrase next to a name stays a place
    text = "Dr. Lee at Mercy Ridge"
    spans = [_at(text, "Dr. Lee", "NAME"), _at(text, "Mercy Ridge", "LOC")]
    assert _values(text, repair_edges(text, spans)) == [("NAME", "Dr. Lee"), ("LOC", "Mercy Ridge")]


def test_a_name_runs_back_over_a_first_name_and_a_place_on_over_its_facility_word() -> None:
    assert {"ines", "li", "gregory"} <= first_names()
    assert "may" not in first_names()  # a month
    text = "Thanks,\nInes Carvalho\nhi its tanya. mercy ridge imaging says in May Carvalho"
    spans = [_at(text, "Carvalho", "NAME"), _at(text, "mercy ridge", "LOC"), _at(text, "Carvalho", "NAME", 1)]
    assert _values(text, repair_edges(text, spans)) == [
        ("NAME", "Ines Carvalho"), ("LOC", "mercy ridge imaging"), ("NAME", "Carvalho"),
    ]  # fmt: skip


def test_an_age_in_words_runs_on_over_its_units() -> None:
    text = "my mother too she's ninety one so"
    assert _values(text, repair_edges(text, [_at(text, "ninety", "AGE_OVER_89")])) == [
        ("AGE_OVER_89", "ninety one")
    ]


def test_a_clinic_and_its_street_address_are_two_places() -> None:
    text = "Their office is Northshore Orthopedic Associates, 2200 Ridge Ave, Suite 310, Evanston, IL 60201."
    spans = [_at(text, text[16:-1], "LOC")]
    assert _values(text, repair_edges(text, spans)) == [
        ("LOC", "Northshore Orthopedic Associates"), ("LOC", "2200 Ridge Ave, Suite 310, Evanston, IL 60201"),
    ]  # fmt: skip
    one = "lives at 12 Elm St, Boston, MA 02118 ok"
    assert _values(one, repair_edges(one, [_at(one, "12 Elm St, Boston, MA 02118", "LOC")])) == [
        ("LOC", "12 Elm St, Boston, MA 02118")
    ]
