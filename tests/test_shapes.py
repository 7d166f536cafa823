"""The guide's value shapes, checked on a model's spans (slmkit.shapes)."""

import pytest

from slmkit.shapes import drop_misshapen, fits, number_value


@pytest.mark.parametrize(
    ("label", "value", "expected"),
    [
        ("PHONE", "(915) 555-0133", True),
        ("PHONE", "+1 617 555 0142", True),
        ("PHONE", "six one seven five five five oh one four two", True),
        ("PHONE", "18834-A", False),  # a group number
        ("PHONE", "112-4482019-5530119", False),  # an order number
        ("PHONE", "4471 8820 15", False),  # grouped as a card's ID
        ("PHONE", "seven seven four one oh two", False),  # six digits read out
        ("FAX", "hundred", False),
        ("SSN", "123-45-6789", True),
        ("SSN", "6613", True),
        ("SSN", "03", False),
        ("SSN", "1-800", False),
        ("IP", "192.168.1.20", True),
        ("IP", "mcg", False),
        ("URL", "portal.smithhealth.org", True),
        ("URL", "w/", False),
        ("EMAIL", "spouse", False),
        ("AGE_OVER_89", "ninety one", True),
        ("AGE_OVER_89", "94", True),
        ("AGE_OVER_89", "50", False),
        ("DATE", "03/14/1962", True),
        ("DATE", "05/2024", True),
        ("DATE", "august nineteenth forty-eight", True),
        ("DATE", "21st", True),
        ("DATE", "98/60", False),  # a blood pressure
        ("DATE", "6.2", False),  # a lab value
        ("DATE", "nine fifteen", False),  # a clock time
        ("DATE", "last", False),
        ("NAME", "c h u", True),
        ("NAME", "Oh Min-jung", True),
        ("NAME", "r u", False),
        ("NAME", "b t r seven seven one oh nine", False),
        ("LOC", "12 Elm St", True),
        ("LOC", "02118", True),
        ("LOC", "Suite 4B", True),
        ("LOC", "10 mg", False),
        ("LOC", "11, serial", False),
        ("HEALTH_PLAN", "TH", False),
        ("ACCOUNT", "11", False),
        ("PLAN_TYPE", "PPO", True),  # labels without a shape pass
    ],
)
def test_fits(label: str, value: str, expected: bool) -> None:
    assert fits(label, value) is expected


def test_number_value() -> None:
    assert number_value("ninety one") == 91
    assert number_value("a hundred and two") == 102
    assert number_value("94") == 94
    assert number_value("ninety years") is None


def test_drop_misshapen_keeps_what_fits() -> None:
    text = "bp 98/60 on 03/14, call 617-555-0142"
    spans = [
        {"start": 3, "end": 8, "label": "DATE", "source": "model"},
        {"start": 12, "end": 17, "label": "DATE", "source": "model"},
        {"start": 24, "end": 36, "label": "PHONE", "source": "model"},
    ]
    assert [text[s["start"] : s["end"]] for s in drop_misshapen(text, spans)] == ["03/14", "617-555-0142"]
