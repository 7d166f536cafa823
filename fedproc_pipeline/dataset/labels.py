"""Label vocabularies for FedProc tasks 1-3 and the maps from SAM.gov fields to them.

Task 1 (``notice_type``, single label): the SAM ``type`` (or ``baseType``) of a notice in 8 buckets.
Task 2 (``naics_sector``, single label): the NAICS 2022 sector of the notice's primary NAICS code.
Task 3 (``set_asides``, multi-label): the set-aside programs of the notice.

Set-aside decisions:

- A label names the *set-aside program the notice uses*, not the status of the firms eligible for it. So
  ``EDWOSB``/``EDWOSBSS`` map to ``["EDWOSB"]`` only: an EDWOSB set-aside is not a WOSB set-aside (FAR 19.15
  keeps them as two programs), even though every EDWOSB is also a WOSB. One rule, no implication between
  labels.
- Sole-source codes fold into their program (``SBP``→SBA, ``8AN``→8A, ``HZS``→HUBZONE, ``SDVOSBS``→SDVOSB,
  ``WOSBSS``→WOSB, ``EDWOSBSS``→EDWOSB).
- No set-aside (``None``, ``""``, ``"NONE"``) is a label too: the empty list, and the task stays labelled.
- SAM codes outside these programs (veteran-owned ``VSA``/``VSS``, local-area ``LAS``, Indian economic
  enterprise ``IEE``/``ISBEE``, ``BICiv``) also give ``[]``; any other code raises :class:`ValueError` so the
  caller can mask the task off rather than guess.
- ``SDB`` has no SAM set-aside code (small disadvantaged business status is a price-evaluation and
  subcontracting-goal matter, not a set-aside type in this code family). An ``SDB`` label only arises from
  synthetic excerpts whose generation spec names it; SAM records never carry it.
"""

from __future__ import annotations

NOTICE_TYPES = (
    "solicitation",
    "combined_synopsis_solicitation",
    "sources_sought",
    "presolicitation",
    "award_notice",
    "special_notice",
    "justification",
    "other",
)

# SAM v2 ``type``/``baseType`` names (current and older spellings) and the one-letter ``ptype`` codes.
_NOTICE_TYPE_MAP = {
    "solicitation": "solicitation",
    "o": "solicitation",
    "combined synopsis/solicitation": "combined_synopsis_solicitation",
    "k": "combined_synopsis_solicitation",
    "sources sought": "sources_sought",
    "r": "sources_sought",
    "presolicitation": "presolicitation",
    "p": "presolicitation",
    "award notice": "award_notice",
    "a": "award_notice",
    "special notice": "special_notice",
    "s": "special_notice",
    "justification": "justification",
    "justification and approval (j&a)": "justification",
    "u": "justification",
    "sale of surplus property": "other",
    "g": "other",
    "intent to bundle requirements (dod-funded)": "other",
    "i": "other",
    "fair opportunity / limited sources justification": "justification",
}


def notice_type_bucket(sam_type: str | None) -> str | None:
    """The bucket of a SAM notice type; unknown non-empty types go to ``other``; ``None``/empty → ``None``."""
    if sam_type is None or not sam_type.strip():
        return None
    return _NOTICE_TYPE_MAP.get(" ".join(sam_type.split()).lower(), "other")


NAICS_SECTOR_TITLES = {
    "11": "Agriculture, Forestry, Fishing and Hunting",
    "21": "Mining, Quarrying, and Oil and Gas Extraction",
    "22": "Utilities",
    "23": "Construction",
    "31-33": "Manufacturing",
    "42": "Wholesale Trade",
    "44-45": "Retail Trade",
    "48-49": "Transportation and Warehousing",
    "51": "Information",
    "52": "Finance and Insurance",
    "53": "Real Estate and Rental and Leasing",
    "54": "Professional, Scientific, and Technical Services",
    "55": "Management of Companies and Enterprises",
    "56": "Administrative and Support and Waste Management and Remediation Services",
    "61": "Educational Services",
    "62": "Health Care and Social Assistance",
    "71": "Arts, Entertainment, and Recreation",
    "72": "Accommodation and Food Services",
    "81": "Other Services (except Public Administration)",
    "92": "Public Administration",
}
NAICS_SECTORS = tuple(NAICS_SECTOR_TITLES)

_PREFIX_TO_SECTOR = {
    prefix: sector
    for sector in NAICS_SECTORS
    for prefix in (
        [str(n) for n in range(int(sector[:2]), int(sector[3:]) + 1)] if "-" in sector else [sector]
    )
}


def naics_sector(code: str | int | None) -> str | None:
    """The NAICS 2022 sector of a code (2-6 digits): ``"336413"`` → ``"31-33"``; ``None`` if not a valid
    code."""
    if code is None:
        return None
    digits = str(code).strip()
    if not (2 <= len(digits) <= 6 and digits.isdigit()):
        return None
    return _PREFIX_TO_SECTOR.get(digits[:2])


SET_ASIDES = ("SBA", "SDVOSB", "WOSB", "EDWOSB", "8A", "HUBZONE", "SDB")

_SET_ASIDE_MAP: dict[str, list[str]] = {
    "SBA": ["SBA"],
    "SBP": ["SBA"],
    "8A": ["8A"],
    "8AN": ["8A"],
    "HZC": ["HUBZONE"],
    "HZS": ["HUBZONE"],
    "SDVOSBC": ["SDVOSB"],
    "SDVOSBS": ["SDVOSB"],
    "WOSB": ["WOSB"],
    "WOSBSS": ["WOSB"],
    "EDWOSB": ["EDWOSB"],
    "EDWOSBSS": ["EDWOSB"],
    # Real SAM set-asides outside the seven programs: no label of ours applies.
    "NONE": [],
    "VSA": [],
    "VSS": [],
    "LAS": [],
    "IEE": [],
    "ISBEE": [],
    "BICIV": [],
}


def set_aside_labels(code: str | None) -> list[str]:
    """Labels of a SAM ``typeOfSetAside`` code (see the module docstring); raises ValueError on unknown
    codes."""
    if code is None or not code.strip():
        return []
    key = code.strip().upper()
    if key not in _SET_ASIDE_MAP:
        raise ValueError(f"unknown SAM set-aside code {code!r}")
    return list(_SET_ASIDE_MAP[key])
