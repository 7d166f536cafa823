"""Synthetic notice excerpts for the rare set-asides (HUBZONE, EDWOSB, 8A, SDB, WOSB), all four tasks
labelled. Pure: no I/O, no Dagster.

Three steps:

1. :func:`plan_requests` plans each excerpt deterministically from ``seed``: the set-aside, 2-4 clause
   numbers taken from the registry (non-reserved only; set-aside-specific clauses first, then common
   commercial-item ones), a notice type and a NAICS code. The prompt lists exactly those numbers with their
   registry titles and forbids any other citation. The plan travels in ``request.parameters`` (for the local
   generator) and, as a JSON line, in the user prompt (see :func:`request_plan`).
2. A generator answers with a :class:`SyntheticExcerpt`: an LLM through ``slmkit.llm``, or offline
   :func:`local_excerpt` (deterministic from ``request.seed()`` and the plan).
3. :func:`synthetic_records` turns (request, excerpt) pairs into records with the ``sam_records`` fields and
   rejects, counting by reason, any excerpt that cannot be labelled faithfully.

Labels and their origin (``label_origin``, aligned with ``TASKS``): tasks 1-3 come from the generation
plan / the excerpt's own structured answer (``"generator-plan"``): ``notice_type`` and ``naics_sector``
from the excerpt (validated), ``set_asides`` = ``[planned set-aside]``; task 4 (clause spans) from the
clause regex filtered by the registry (``"regex+registry"``), exactly as for SAM notices, so a generated
citation the plan did not ask for is still labelled if it is a real registry number.

Rejections (one reason per record, first that applies, in this order): ``invalid_set_aside``,
``invalid_notice_type``, ``invalid_naics``, ``unknown_clause_number`` (the text cites a number absent from
the registry, including clause-shaped numbers the span regex does not take, e.g. ``52.299-99999``: the
clause-number hallucination the issue asks to count), ``planned_clause_missing``,
``unlisted_clause_claimed`` (``clause_numbers`` lists a number the text does not cite), ``duplicate_id``.

Note: the OpenAI/Anthropic providers send ``request.parameters`` to the SDK as they are, so strip the plan
(:func:`without_plan`) before sending a planned request to a remote model; the plan stays recoverable from
the prompt.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, Field

from fedproc_pipeline.dataset.clauses import canonical_number, find_clause_spans
from fedproc_pipeline.dataset.labels import NAICS_SECTOR_TITLES, NOTICE_TYPES, SET_ASIDES, naics_sector
from fedproc_pipeline.dataset.records import SPAN_ORIGIN
from slmkit.llm.types import GenerationRequest

SYNTHETIC_SOURCE = "synthetic"
PLAN_ORIGIN = "generator-plan"
RARE_SET_ASIDES = ("HUBZONE", "EDWOSB", "8A", "SDB", "WOSB")
PLAN_KEYS = ("set_aside", "clause_numbers", "clause_titles", "notice_type", "naics_code")
REJECT_REASONS = (
    "invalid_set_aside",
    "invalid_notice_type",
    "invalid_naics",
    "unknown_clause_number",
    "planned_clause_missing",
    "unlisted_clause_claimed",
    "duplicate_id",
)


class SyntheticExcerpt(BaseModel):
    """One generated excerpt (OpenAI strict-mode friendly: every field required, plain types)."""

    text: str = Field(description="The notice excerpt, 2-4 paragraphs separated by blank lines.")
    notice_type: str = Field(description=f"One of: {', '.join(NOTICE_TYPES)}.")
    naics_code: str = Field(description="The primary NAICS 2022 code, 6 digits.")
    clause_numbers: list[str] = Field(description="Every FAR/DFARS clause number the text cites.")


# Set-aside-specific clauses, in order of preference (only those present and not reserved are used).
_SPECIFIC: dict[str, tuple[str, ...]] = {
    "HUBZONE": ("52.219-3", "52.219-4", "52.219-14", "52.219-1"),
    "8A": ("52.219-17", "52.219-18", "52.219-11", "52.219-12", "52.219-14"),
    "WOSB": ("52.219-30", "52.219-14", "52.219-1"),
    "EDWOSB": ("52.219-29", "52.219-14", "52.219-1"),
    # No SDB set-aside clause exists (52.219-23 is reserved); SDB participation shows up in the
    # subcontracting-plan, representation and HBCU/MI clauses.
    "SDB": ("52.219-9", "52.219-1", "52.226-2", "52.219-8", "252.219-7003"),
}
# The first specific clause is always taken when present: it is the one that names the program.
_ANCHOR_REQUIRED = {"HUBZONE", "8A", "WOSB", "EDWOSB"}
_COMMON = (
    "52.212-1",
    "52.212-2",
    "52.212-3",
    "52.212-4",
    "52.212-5",
    "52.204-7",
    "52.204-13",
    "52.204-24",
    "52.204-26",
    "52.232-33",
    "52.219-28",
    "252.204-7012",
    "252.232-7006",
    "252.204-7016",
)

_NOTICE_TYPE_WORDS = {
    "solicitation": "solicitation",
    "combined_synopsis_solicitation": "combined synopsis/solicitation",
    "sources_sought": "sources sought notice",
    "presolicitation": "presolicitation notice",
    "award_notice": "award notice",
    "special_notice": "special notice",
    "justification": "justification for other than full and open competition",
}
_PLANNED_NOTICE_TYPES = tuple(_NOTICE_TYPE_WORDS)

# Real NAICS 2022 codes and short descriptions, across sectors.
_NAICS = {
    "115310": "Support Activities for Forestry",
    "236220": "Commercial and Institutional Building Construction",
    "237310": "Highway, Street, and Bridge Construction",
    "238220": "Plumbing, Heating, and Air-Conditioning Contractors",
    "332994": "Small Arms, Ordnance, and Ordnance Accessories Manufacturing",
    "334511": "Search, Detection, Navigation, Guidance, Aeronautical, and Nautical System and Instrument "
    "Manufacturing",
    "423450": "Medical, Dental, and Hospital Equipment and Supplies Merchant Wholesalers",
    "484110": "General Freight Trucking, Local",
    "488190": "Other Support Activities for Air Transportation",
    "513210": "Software Publishers",
    "531120": "Lessors of Nonresidential Buildings (except Miniwarehouses)",
    "541330": "Engineering Services",
    "541511": "Custom Computer Programming Services",
    "541611": "Administrative Management and General Management Consulting Services",
    "541990": "All Other Professional, Scientific, and Technical Services",
    "561210": "Facilities Support Services",
    "561720": "Janitorial Services",
    "562910": "Remediation Services",
    "611430": "Professional and Management Development Training",
    "621111": "Offices of Physicians (except Mental Health Specialists)",
    "722310": "Food Service Contractors",
    "811310": "Commercial and Industrial Machinery and Equipment Repair and Maintenance",
}

_PROGRAM_WORDS = {
    "HUBZONE": "a HUBZone set-aside (FAR subpart 19.13): competition limited to certified HUBZone small "
    "business concerns",
    "EDWOSB": "an economically disadvantaged women-owned small business (EDWOSB) set-aside under the WOSB "
    "Program (FAR subpart 19.15)",
    "8A": "an 8(a) set-aside: competition limited to eligible participants in the SBA 8(a) Business "
    "Development program (FAR subpart 19.8)",
    "SDB": "an acquisition promoting small disadvantaged business (SDB) participation (SDB status is "
    "represented by offerors and counted toward subcontracting goals; it is not a SAM set-aside code)",
    "WOSB": "a women-owned small business (WOSB) set-aside under the WOSB Program (FAR subpart 19.15)",
}

SYSTEM_PROMPT = (
    "You write realistic excerpts of U.S. federal contract opportunity notices as posted on SAM.gov by "
    "contracting offices: plain, formal, specific (agency, place of performance, dates, submission "
    "instructions), never marketing language. Cite FAR and DFARS clauses only as instructed: every listed "
    "clause number must appear in the text and no other FAR/DFARS clause number (52.2xx-x or 252.2xx-7xxx) "
    "may appear anywhere, not even in passing. References to FAR parts or subparts (e.g. FAR 19.13) are "
    "allowed. Answer with JSON matching the schema."
)


def _registry_titles(registry_records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    return {str(r["number"]): str(r.get("title") or "") for r in registry_records if not r.get("reserved")}


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _pick_clauses(set_aside: str, titles: Mapping[str, str], rng: random.Random) -> list[str]:
    specific = [n for n in _SPECIFIC[set_aside] if n in titles]
    common = [n for n in _COMMON if n in titles]
    total = rng.randint(2, 4)
    chosen: list[str] = []
    if specific:
        if set_aside in _ANCHOR_REQUIRED and specific[0] == _SPECIFIC[set_aside][0]:
            chosen.append(specific[0])
            rest = specific[1:]
        else:
            rest = specific
        n_more = rng.randint(0 if chosen else 1, min(len(rest), 2))
        chosen += rng.sample(rest, min(n_more, len(rest), total - len(chosen)))
    pool = [n for n in common if n not in chosen]
    chosen += rng.sample(pool, min(max(total - len(chosen), 0), len(pool)))
    if len(chosen) < 2:  # a sparse registry: take whatever non-reserved specific/common numbers remain
        chosen += [n for n in specific + common if n not in chosen][: 2 - len(chosen)]
    return chosen


def plan_message(plan: Mapping[str, Any]) -> str:
    """The user prompt of a plan (the plan itself is its last line, as JSON)."""
    clauses = "\n".join(
        f"- {n} — {t}" for n, t in zip(plan["clause_numbers"], plan["clause_titles"], strict=True)
    )
    sector = naics_sector(plan["naics_code"]) or ""
    return (
        f"Write a realistic SAM.gov-style {_NOTICE_TYPE_WORDS.get(plan['notice_type'], plan['notice_type'])} "
        f"excerpt of 2-4 paragraphs for {_PROGRAM_WORDS[plan['set_aside']]}.\n"
        f"State the set-aside program in words. Primary NAICS code: {plan['naics_code']} "
        f"({_NAICS.get(plan['naics_code'], NAICS_SECTOR_TITLES.get(sector, ''))}).\n"
        "Cite EXACTLY these clause numbers (each at least once, in varied natural phrasing such as "
        "'FAR <number>, <title>' or 'the clause at <number> applies') and NO other FAR/DFARS clause number:\n"
        f"{clauses}\n"
        f"Return notice_type={plan['notice_type']!r}, naics_code={plan['naics_code']!r} and clause_numbers = "
        "the clause numbers your text cites.\n"
        f"PLAN {json.dumps(dict(plan), sort_keys=True)}"
    )


def plan_requests(
    registry_records: Iterable[Mapping[str, Any]],
    *,
    n_per_set_aside: int,
    seed: int,
    model: str,
    max_tokens: int = 1200,
    temperature: float | None = 0.9,
) -> list[GenerationRequest]:
    """``n_per_set_aside`` requests per rare set-aside, in (set-aside, index) order; the same registry,
    seed and model give the same requests. Clause numbers are always real, non-reserved registry
    numbers."""
    titles = _registry_titles(registry_records)
    requests = []
    for set_aside in RARE_SET_ASIDES:
        for index in range(n_per_set_aside):
            rng = _rng(seed, set_aside, index)
            numbers = _pick_clauses(set_aside, titles, rng)
            plan = {
                "set_aside": set_aside,
                "clause_numbers": numbers,
                "clause_titles": [titles[n] for n in numbers],
                "notice_type": rng.choice(_PLANNED_NOTICE_TYPES),
                "naics_code": rng.choice(sorted(_NAICS)),
            }
            requests.append(
                GenerationRequest(
                    model=model,
                    messages=(
                        {"role": "system", "content": SYSTEM_PROMPT},
                        {"role": "user", "content": plan_message(plan)},
                    ),
                    schema=SyntheticExcerpt,
                    max_tokens=max_tokens,
                    temperature=temperature,
                    sample_index=index,
                    parameters=plan,
                )
            )
    return requests


# Anything shaped like a FAR/DFARS clause number, looser than the span regex (which needs 1-3 digits after a
# FAR dash and 7xxx after a DFARS one): ``52.299-99999`` is no span, but it is a cited number the registry
# lacks.
_CLAUSE_LIKE = re.compile(r"(?<![\d.])(?:252|52)\.\d{1,4}[\-\u2010\u2011\u2012\u2013\u2014]\d+")
_PLAN_LINE = re.compile(r"^PLAN (\{.*\})$", re.M)


def request_plan(request: GenerationRequest) -> dict[str, Any]:
    """The plan of a request: from ``parameters`` or, when stripped, from the prompt's ``PLAN`` line."""
    if all(k in request.parameters for k in PLAN_KEYS):
        return {k: request.parameters[k] for k in PLAN_KEYS}
    for message in reversed(request.messages):
        if message.get("role") == "user" and (match := _PLAN_LINE.search(message.get("content", ""))):
            plan = json.loads(match.group(1))
            return {k: plan[k] for k in PLAN_KEYS}
    raise ValueError("request carries no generation plan")


def without_plan(request: GenerationRequest) -> GenerationRequest:
    """The request with the plan keys removed from ``parameters`` (for SDK providers, which send
    ``parameters`` as API arguments)."""
    rest = {k: v for k, v in request.parameters.items() if k not in PLAN_KEYS}
    return dataclasses.replace(request, parameters=rest)


# ---------------------------------------------------------------------------------------------------
# Offline generator.

_AGENCIES = (
    ("Department of the Army", "Army Contracting Command – Rock Island", "Rock Island Arsenal, IL"),
    ("Department of the Navy", "NAVSUP Fleet Logistics Center Norfolk", "Norfolk, VA"),
    ("Department of the Air Force", "42nd Contracting Squadron", "Maxwell AFB, AL"),
    ("Department of Veterans Affairs", "Network Contracting Office 16", "Jackson, MS"),
    ("Department of Agriculture", "USDA Forest Service, Region 6", "Portland, OR"),
    ("Department of the Interior", "National Park Service, Denver Service Center", "Lakewood, CO"),
    ("Department of Homeland Security", "U.S. Coast Guard, Base Ketchikan", "Ketchikan, AK"),
    ("General Services Administration", "PBS Region 7", "Fort Worth, TX"),
    ("Department of Health and Human Services", "Indian Health Service, Albuquerque Area", "Albuquerque, NM"),
    ("Department of Energy", "Office of Science, Oak Ridge Office", "Oak Ridge, TN"),
)

_SET_ASIDE_SENTENCES: dict[str, tuple[str, ...]] = {
    "HUBZONE": (
        "This acquisition is set aside for HUBZone small business concerns (FAR 19.13).",
        "Competition is limited to certified HUBZone small business concerns in accordance with FAR subpart "
        "19.13; offers from other concerns will not be considered.",
        "This requirement is a 100% HUBZone set-aside. Offerors must be certified by SBA as HUBZone small "
        "business concerns at the time of offer.",
    ),
    "EDWOSB": (
        "This acquisition is set aside for economically disadvantaged women-owned small business (EDWOSB) "
        "concerns under the Women-Owned Small Business Program (FAR subpart 19.15).",
        "Competition is restricted to EDWOSB concerns eligible under the WOSB Program; offerors must be "
        "certified in SBA's certification system at the time of offer.",
    ),
    "8A": (
        "This requirement is set aside for the SBA 8(a) Business Development program; competition is "
        "limited to eligible 8(a) participants (FAR subpart 19.8).",
        "This acquisition will be processed under the 8(a) program. Only firms that are certified 8(a) "
        "participants in good standing with the Small Business Administration may submit offers.",
    ),
    "SDB": (
        "Small disadvantaged business (SDB) concerns are strongly encouraged to respond, and the Government "
        "will consider SDB participation in evaluating offers.",
        "This acquisition supports small disadvantaged business participation: offerors shall represent "
        "their SDB status, and large businesses shall propose goals for subcontracting with small "
        "disadvantaged business concerns.",
    ),
    "WOSB": (
        "This acquisition is set aside for women-owned small business (WOSB) concerns eligible under the "
        "Women-Owned Small Business Program (FAR subpart 19.15).",
        "Competition is limited to WOSB concerns certified by SBA or an approved third-party certifier "
        "under the WOSB Program.",
    ),
}

_INTROS = {
    "solicitation": "The {agency}, {office}, is issuing this solicitation for {what} at {place}.",
    "combined_synopsis_solicitation": "This is a combined synopsis/solicitation for commercial products and "
    "commercial services prepared in accordance with FAR subpart 12.6, as supplemented with additional "
    "information included in this notice. The {agency}, {office}, requires {what} at {place}.",
    "sources_sought": "THIS IS A SOURCES SOUGHT NOTICE ONLY. The {agency}, {office}, is conducting market "
    "research to identify capable sources for {what} at {place}. This is not a request for proposals.",
    "presolicitation": "The {agency}, {office}, intends to issue a solicitation for {what} at {place}. The "
    "solicitation will be posted on SAM.gov on or about {date}.",
    "award_notice": "The {agency}, {office}, has awarded a firm-fixed-price contract for {what} at {place}.",
    "special_notice": "SPECIAL NOTICE: The {agency}, {office}, announces an industry day regarding its "
    "upcoming requirement for {what} at {place}.",
    "justification": "The {agency}, {office}, has approved a justification for other than full and open "
    "competition for {what} at {place}.",
}

_CLAUSE_FORMS = (
    "{pre} {n}, {title}",
    "{n}, {title}",
    "{pre} {n} ({title})",
    "the clause at {pre} {n}, {title}",
    "{pre} {n}",
)

_CLAUSE_SENTENCES_ONE = (
    "{C} applies to this acquisition.",
    "Offerors are advised that {c} is incorporated by reference.",
    "{C} applies.",
    "This notice incorporates {c}.",
)
_CLAUSE_SENTENCES_MANY = (
    "The following provisions and clauses apply to this acquisition: {cs}.",
    "Offerors shall comply with {cs}.",
    "This acquisition incorporates {cs}, in effect on the date of issuance.",
    "The resulting contract will include {cs}.",
)

_CLOSINGS = (
    "Questions shall be submitted in writing to the contracting officer no later than {date}. Telephone "
    "inquiries will not be accepted.",
    "Responses are due by 2:00 p.m. local time on {date} and shall be submitted by email to the contracting "
    "officer identified in this notice.",
    "All interested parties must be registered in SAM at the time of offer. Submit capability statements of "
    "no more than ten pages by {date}.",
    "Award will be made to the responsible offeror whose quote represents the best value to the Government. "
    "Quotes are due {date}.",
)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def _cite(number: str, title: str, rng: random.Random) -> str:
    pre = "DFARS" if number.startswith("252.") else "FAR"
    form = rng.choice(_CLAUSE_FORMS if title else _CLAUSE_FORMS[-1:])
    return form.format(pre=pre, n=number, title=title)


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return "; ".join(items[:-1]) + "; and " + items[-1]


def _clause_sentence(cites: list[str], rng: random.Random) -> str:
    if len(cites) == 1:
        template = rng.choice(_CLAUSE_SENTENCES_ONE)
        return template.format(c=cites[0], C=cites[0][:1].upper() + cites[0][1:])
    return rng.choice(_CLAUSE_SENTENCES_MANY).format(cs=_join(cites))


def local_excerpt(request: GenerationRequest) -> dict[str, Any]:
    """An offline answer for a planned request: 2-4 paragraphs in the register of real notices, naming the
    set-aside program in words and citing every planned clause number (and no other). Deterministic from
    ``request.seed()`` and the plan; the result validates as :class:`SyntheticExcerpt`."""
    plan = request_plan(request)
    rng = random.Random(request.seed())
    agency, office, place = rng.choice(_AGENCIES)
    code = str(plan["naics_code"])
    what = _NAICS.get(code, "services").lower()
    date = f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}, {rng.choice((2024, 2025, 2026))}"
    intro = _INTROS.get(str(plan["notice_type"]), _INTROS["special_notice"]).format(
        agency=agency, office=office, place=place, what=what, date=date
    )
    intro += f" The NAICS code is {code}" + (
        f", {_NAICS[code]}." if code in _NAICS and rng.random() < 0.5 else "."
    )
    program = rng.choice(_SET_ASIDE_SENTENCES[str(plan["set_aside"])])

    numbers = [str(n) for n in plan["clause_numbers"]]
    titles = [str(t) for t in plan.get("clause_titles") or [""] * len(numbers)]
    cites = [_cite(n, t, rng) for n, t in zip(numbers, titles, strict=True)]
    # The set-aside clause(s) go with the program statement; the rest in a clauses paragraph.
    n_with_program = rng.randint(0, min(2, len(cites)))
    program_paragraph = program
    if n_with_program:
        program_paragraph += " " + _clause_sentence(cites[:n_with_program], rng)
    paragraphs = [intro, program_paragraph]
    if cites[n_with_program:]:
        paragraphs.append(_clause_sentence(cites[n_with_program:], rng))
    if rng.random() < 0.6 or len(paragraphs) < 3:
        paragraphs.append(rng.choice(_CLOSINGS).format(date=date))
    return {
        "text": "\n\n".join(paragraphs[:4]),
        "notice_type": str(plan["notice_type"]),
        "naics_code": code,
        "clause_numbers": numbers,
    }


# ---------------------------------------------------------------------------------------------------
# Records.


def synthetic_records(
    pairs: Iterable[tuple[GenerationRequest, SyntheticExcerpt]],
    registry_numbers: set[str],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Records (``sam_records`` fields, ``source="synthetic"``, ``doc_id = id``, every task on) from
    (request, excerpt) pairs, in input order, and ``{"kept": int, "rejected_by_reason": {reason: n}}``
    (reasons in the module docstring; every reason is present, zero or not).

    ``id`` = ``synthetic:<set-aside>:<sample index>:<12 hex of the request's cache key>``.
    """
    records: list[dict[str, Any]] = []
    rejected: Counter[str] = Counter({reason: 0 for reason in REJECT_REASONS})
    seen: set[str] = set()
    for request, excerpt in pairs:
        plan = request_plan(request)
        set_aside = str(plan["set_aside"])
        text = excerpt.text
        found = find_clause_spans(text, registry_numbers)
        cited = {s["number"] for s in found}
        unknown = any(not s["in_registry"] for s in found) or any(
            canonical_number(m.group()) not in registry_numbers for m in _CLAUSE_LIKE.finditer(text)
        )
        sector = naics_sector(excerpt.naics_code) if re.fullmatch(r"\d{6}", excerpt.naics_code) else None
        record_id = f"synthetic:{set_aside.lower()}:{request.sample_index}:{request.cache_key('plan')[:12]}"
        if set_aside not in SET_ASIDES:
            reason = "invalid_set_aside"
        elif excerpt.notice_type not in NOTICE_TYPES:
            reason = "invalid_notice_type"
        elif sector is None:
            reason = "invalid_naics"
        elif unknown:
            reason = "unknown_clause_number"
        elif any(str(n) not in cited for n in plan["clause_numbers"]):
            reason = "planned_clause_missing"
        elif any(canonical_number(n) not in cited for n in excerpt.clause_numbers):
            reason = "unlisted_clause_claimed"
        elif record_id in seen:
            reason = "duplicate_id"
        else:
            reason = ""
        if reason:
            rejected[reason] += 1
            continue
        seen.add(record_id)
        records.append(
            {
                "id": record_id,
                "text": text,
                "source": SYNTHETIC_SOURCE,
                "label_origin": [PLAN_ORIGIN, PLAN_ORIGIN, PLAN_ORIGIN, SPAN_ORIGIN],
                "doc_id": record_id,
                "task_mask": [True, True, True, True],
                "notice_type": excerpt.notice_type,
                "naics_sector": sector,
                "set_asides": [set_aside],
                "clause_spans": [{k: s[k] for k in ("start", "end", "label", "number")} for s in found],
                "clause_numbers_rejected": [],
            }
        )
    return records, {"kept": len(records), "rejected_by_reason": dict(rejected)}
