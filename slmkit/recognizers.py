"""Validated recognizers for structured identifiers, and how their spans merge with a model's. Dagster-free.

The hybrid extractor: a small trained model finds entity spans; the presidio recognizers here find structured
identifiers (SSN, phone / fax, email, URL, IP, MRN, member / group / policy / claim / auth / account / licence
/ vehicle / device IDs, money amounts) by pattern, validation (SSN number rules, ``phonenumbers``, the VIN
check digit, the email domain) and context words near the match.

Engine: an ``AnalyzerEngine`` whose registry holds only :func:`default_recognizers` (add a recognizer there,
or pass a list to :func:`build_analyzer`) and whose NLP engine is ``spacy.blank("en")`` with lower-cased
tokens as lemmas, so presidio's ``LemmaContextAwareEnhancer`` can match context words. Nothing is downloaded:
no spaCy model, and the email domain check uses tldextract's bundled suffix list. The default engine is built
once per process.

Scores: a format that names itself ("GRP-22309", a valid SSN or phone number) scores at least
:data:`MIN_SCORE`; a generic one ("1234567") scores below it and counts only when one of its recognizer's
context words is among the few words before or after it. Money always needs a cue, and the cue decides the
label (copay → COPAY, deductible → DEDUCTIBLE, bill / owe / charged / statement → BILLED_AMOUNT); a phone
number cued "fax" or "f:" is FAX. Context words count within the match's sentence only. :func:`recognize`
resolves overlapping results by highest score, then longest, then nearest credited context word (before the
match; for money either side, one after it at double distance), then ``TASK_LABELS`` order. IDs read out in
words ("six one seven five five five ...") are recognized on a copy of the text where each run is written as
characters, and mapped back onto the spoken words (:func:`spoken_runs`).

Merge policy (:func:`merge_spans`): a recognizer span is a validated structured ID, so it replaces every model
span it overlaps (the model may have an ID's boundaries or type wrong); a model span that overlaps no
recognizer span is kept. The output is sorted by start and has no overlaps; every span carries ``source``:
kept as given, else ``"recognizer"`` for recognizer spans and ``"model"`` for model spans.

:func:`unresolved_cues` names the ID labels whose cue word is in the text but that have no span: the case
for asking the optional LLM fallback.

Patient text is sensitive: nothing here logs text or puts it into an exception message, and presidio's one
DEBUG line that carries words of the text is filtered out.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import spacy
import tldextract
from faker.providers.address.en_US import Provider as UsAddress
from presidio_analyzer import (
    AnalysisExplanation,
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UrlRecognizer,
    UsSsnRecognizer,
)
from spacy.language import Language
from spacy.tokens import Doc

from slmkit.shapes import fits

MIN_SCORE = 0.4
# Member, policy, group, claim and referral numbers share their shapes on real cards and letters: only a
# context word tells them apart, so each of those recognizers takes all of these (weak) forms.
# Cards also print them in groups ("TH 6620 4471 03", "9124 4750 18"), with a person suffix ("U99180245 01").
_INSURANCE_ID = [
    r"[A-Z]{1,4}-?\d{5,12}", r"[A-Z]{1,4}-\d{2,10}-\d{2,6}", r"[A-Z]{1,4}-[A-Z]{1,4}-\d{4,12}", r"\d{6,12}",
    r"[A-Z]{1,4}\d{3,6}-\d{3,6}(?:-\d{2})?",
    r"(?-i:[A-Z]{1,5}\d{0,4} )?\d{2,5}(?: \d{2,5}){1,3}(?: \d)?", r"(?-i:[A-Z]{0,4})\d{6,12} \d{2}",
]  # fmt: skip
_STRONG = 0.5  # a self-identifying format: passes MIN_SCORE without a context word
_WEAK = 0.1  # a generic format: passes only once a context word lifts it (presidio: +0.35)
_CUED_SCORE = _WEAK + 0.35
_PHONE_TYPES = frozenset({"PHONE_NUMBER", "FAX_NUMBER"})

# presidio entity type → our label, per task; the order breaks the last ties (PHONE before FAX).
TASK_LABELS: dict[str, dict[str, str]] = {
    "phi": {
        "US_SSN": "SSN", "PHONE_NUMBER": "PHONE", "FAX_NUMBER": "FAX", "EMAIL_ADDRESS": "EMAIL", "URL": "URL",
        "IP_ADDRESS": "IP", "MEDICAL_RECORD_NUMBER": "MRN", "MEMBER_ID": "HEALTH_PLAN",
        "ACCOUNT_NUMBER": "ACCOUNT", "DRIVER_LICENSE": "LICENSE", "VIN": "VEHICLE",
        "LICENSE_PLATE": "VEHICLE", "DEVICE_ID": "DEVICE", "PHOTO_FILE": "PHOTO_REF",
        "BIOMETRIC_ID": "BIOMETRIC", "SSN_LAST4": "SSN", "CARD_LAST4": "ACCOUNT", "SIGNATURE_NAME": "NAME",
        # docs/labelling.md: a policy number is a health-plan identifier too
        "POLICY_NUMBER": "HEALTH_PLAN",
    },
    "insurance": {
        "MEMBER_ID": "MEMBER_ID", "GROUP_NUMBER": "GROUP_NUMBER", "POLICY_NUMBER": "POLICY_NUMBER",
        "CLAIM_ID": "CLAIM_ID", "AUTH_NUMBER": "AUTH_NUMBER", "COPAY_AMOUNT": "COPAY",
        "DEDUCTIBLE_AMOUNT": "DEDUCTIBLE", "BILLED_AMOUNT": "BILLED_AMOUNT", "CARRIER": "CARRIER",
        "PLAN_TYPE": "PLAN_TYPE", "RELATIONSHIP": "RELATIONSHIP",
    },
}  # fmt: skip
# Blockers: entity types recognized in a task only to keep its labels, and its model's spans, off what they
# match. In the insurance task a phone or fax number ("... plan is through anthem so call 301 345 7799": its
# call-back cue is credited, see _recognize_written), a chart, account, device or licence number is no
# insurance ID; in the PHI task group, claim and referral numbers, payers and plan products are no PHI; in
# both, other shops' order and confirmation numbers are nothing (docs/labelling.md).
# ``recognize(..., keep_blockers=True)`` returns them with ``label`` None.
_BLOCKERS = {
    "insurance": ("PHONE_NUMBER", "FAX_NUMBER", "MEDICAL_RECORD_NUMBER", "ACCOUNT_NUMBER",
                  "DEVICE_ID", "DRIVER_LICENSE", "BIOMETRIC_ID", "OTHER_REFERENCE"),
    "phi": ("GROUP_NUMBER", "CLAIM_ID", "AUTH_NUMBER", "CARRIER", "PLAN_TYPE", "OTHER_REFERENCE"),
}  # fmt: skip

# Cue words that say an ID of the label should be in the text (for the LLM fallback decision).
_ID_CUES: dict[str, dict[str, str]] = {
    "phi": {
        "SSN": r"ssn|social security|social", "MRN": r"mrn|medical record|chart number|record number",
        "HEALTH_PLAN": r"member id|member number|member #|plan id|beneficiary|health plan",
        "ACCOUNT": r"account|acct", "LICENSE": r"licen[cs]e(?! plate)|dl", "VEHICLE": r"vin|plate",
        "DEVICE": r"serial|s/n", "FAX": r"fax", "IP": r"ip",
    },
    "insurance": {
        "MEMBER_ID": r"member", "GROUP_NUMBER": r"group|grp", "POLICY_NUMBER": r"policy",
        "CLAIM_ID": r"claim", "AUTH_NUMBER": r"auth|authorization|pre-?cert",
    },
}  # fmt: skip

# ID boundaries: "22309" inside "GRP-22309" is not an ID of its own.
_B, _E = r"(?<![\w-])", r"(?![\w-])"
_MONEY = r"(?<![\w$])\$ ?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?\b"
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)"
)
# an amount said in a transcript: "three hundred and twelve dollars"
_MONEY_WORDS = (
    rf"\b{_NUMBER_WORD}(?:[ -](?:and )?{_NUMBER_WORD})* dollars(?: and (?:{_NUMBER_WORD}[ -]?)+ cents)?\b"
)
_TOWARD = re.compile(r"\$\s*(?:so far\s+)?(?:toward|towards)\b", re.I)
_NOT_BILLED = re.compile(
    r"\b(?:paid|pay|payed|budget of|quoted(?: me)?|offer(?:ed)?|wants?|spent|put)"
    r"\s+(?:about |around |up to |roughly |the |them |you )?\$|\$\s*(?:so far )?(?:toward|towards)\b",
    re.I,
)
# "policy no. AHP 5520": the full stop of an abbreviation ends no sentence
_ABBREVIATIONS = frozenset({"no", "nr", "num", "acct", "ref", "approx", "dept", "apt", "ste"})
_NOT_AFTER = "".join(rf"(?<!\b(?i:{a}))" for a in sorted(_ABBREVIATIONS))
_SENTENCE_END = re.compile(_NOT_AFTER + r"[.!?;](?=\s|$)|\n")
# VIN transliteration: a character's value is its index here, mod 10 (A=1 … H=8, J=1 … R=9, S=2 … Z=9).
_VIN_ORDER = "0123456789.ABCDEFGH..JKLMN.P.R..STUVWXYZ"
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
# The bundled public-suffix snapshot: tldextract's default fetches the list over the network on first use.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class _NoTextLogs(logging.Filter):
    """presidio logs the words around each match at DEBUG ("Context list is: ..."): patient text."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Context list")


logging.getLogger("presidio-analyzer").addFilter(_NoTextLogs())


class _SentenceContextEnhancer(LemmaContextAwareEnhancer):
    """presidio's context window, cut at sentence ends: "Best number is X. Our fax number is Y" must not make
    X a fax number. Whole-word matching, so the context word "id" is not found in "paid"."""

    def __init__(self, prefix: int, suffix: int) -> None:
        super().__init__(
            context_prefix_count=prefix, context_suffix_count=suffix, context_matching_mode="whole_word"
        )

    @staticmethod
    def _add_n_words(
        index: int,
        n_words: int,
        lemmas: list[str],
        lemmatized_filtered_keywords: list[str],
        is_backward: bool,
    ) -> list[str]:
        ends = [
            i
            for i, lemma in enumerate(lemmas)
            if "\n" in lemma
            or (_SENTENCE_END.fullmatch(lemma.strip(" ")) and not (i and lemmas[i - 1] in _ABBREVIATIONS))
        ]
        lo = max((i + 1 for i in ends if i < index), default=0)
        hi = min((i for i in ends if i > index), default=len(lemmas))
        return LemmaContextAwareEnhancer._add_n_words(
            index - lo, n_words, lemmas[lo:hi], lemmatized_filtered_keywords, is_backward
        )


class _MoneyRecognizer(PatternRecognizer):
    """A dollar amount. Its cue often follows it ("the $35 copay"): its context window reaches both ways."""

    _enhancer = _SentenceContextEnhancer(prefix=3, suffix=3)

    def __init__(self, entity: str, context: list[str], exclude: re.Pattern[str] | None = None) -> None:
        super().__init__(
            supported_entity=entity,
            name=entity,
            patterns=[Pattern(entity, _MONEY, _WEAK), Pattern(f"{entity} in words", _MONEY_WORDS, _WEAK)],
            context=context,
        )
        self.exclude = exclude

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Amounts whose surroundings match ``exclude`` (the amount itself written ``$``) are dropped."""
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if self.exclude is None:
            return found
        return [
            r
            for r in found
            if not self.exclude.search(f"{text[max(0, r.start - 30) : r.start]}${text[r.end : r.end + 20]}")
        ]

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: list[RecognizerResult],
        other_raw_recognizer_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        results = self._enhancer.enhance_using_context(
            text, raw_recognizer_results, nlp_artifacts, [self], context
        )
        for r in results:  # the engine's prefix-only pass must not boost twice
            r.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return results


class _OfflineEmailRecognizer(EmailRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return _OFFLINE_TLD(pattern_text).fqdn != ""


class _UsPhoneRecognizer(PhoneRecognizer):
    """Full-length US numbers (10+ digits) that ``phonenumbers`` finds possible, assigned or not (a mistyped
    number is still PHI), grouped as phone numbers are (``slmkit.shapes``). A 7-digit tail ("310-2131" of
    "(694) 310-2131") is not taken for a number."""

    def __init__(self, supported_entity: str, context: list[str]) -> None:
        # other regions would read stray digit runs as foreign numbers
        super().__init__(
            context=context, supported_entity=supported_entity, supported_regions=("US",), leniency=0
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found = super().analyze(text, entities, nlp_artifacts)  # type: ignore[arg-type]
        # grouped as a phone number is: "4471 8820 15" is a card's ID
        return [
            r
            for r in found
            if sum(c.isdigit() for c in text[r.start : r.end]) >= 10 and fits("PHONE", text[r.start : r.end])
        ]


class _SignatureNameRecognizer(EntityRecognizer):
    """The name that signs a message: a line of two or three capitalised words right after a sign-off line
    ("Thanks,", "Best regards,"), right before a line whose e-mail address holds the surname, or alone in
    its paragraph above a phone number. A line of office words ("Billing Department") signs for no one."""

    _LINE = re.compile(
        r"^[ \t]*((?:(?:Dr|Mr|Mrs|Ms)\.? )?[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’.-]*){1,2})[ \t]*$", re.M
    )
    _SIGN_OFF = re.compile(
        r"(?:(?:many |warm |kind |best )?(?:thanks|thank you|regards)|best|sincerely|respectfully|cheers|"
        r"take care)[\s,.!-]*",
        re.I,
    )
    _OFFICE = frozenset({"office", "desk", "team", "department", "billing", "clinic", "services", "center",
                         "health", "medical", "practice", "staff", "insurance", "family"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(supported_entities=["SIGNATURE_NAME"], name="SIGNATURE_NAME")

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        lines = text.split("\n")
        found = []
        for m in self._LINE.finditer(text):
            row = text.count("\n", 0, m.start())
            words = m.group(1).split()
            if not all(w[0].isupper() for w in words) or any(w.lower() in self._OFFICE for w in words):
                continue
            signed = row > 0 and self._SIGN_OFF.fullmatch(lines[row - 1].strip()) is not None
            surname = words[-1].lower()
            under = lines[row + 1].strip() if row + 1 < len(lines) else ""
            mailed = "@" in under and surname[:4] in under.lower()
            # alone in its paragraph, a phone number under it: "...the ER.\n\nThomas Reilly\n267-555-0153"
            called = (row == 0 or not lines[row - 1].strip()) and fits("PHONE", under)
            if signed or mailed or called:
                explanation = AnalysisExplanation(recognizer="SIGNATURE_NAME", original_score=_STRONG)
                found.append(RecognizerResult("SIGNATURE_NAME", m.start(1), m.end(1), _STRONG, explanation))
        return found


class _VinRecognizer(PatternRecognizer):
    """17-character VIN; the check digit (position 9) decides."""

    def validate_result(self, pattern_text: str) -> bool:
        vin = pattern_text.upper()
        total = sum(_VIN_ORDER.index(c) % 10 * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
        return vin[8] == "0123456789X"[total % 11]


class _PlateRecognizer(PatternRecognizer):
    """Licence plates have no common format: 4-8 letters and digits, at least one digit, cue required."""

    def invalidate_result(self, pattern_text: str) -> bool:
        alnum = [c for c in pattern_text if c.isalnum()]
        return not 4 <= len(alnum) <= 8 or not any(c.isdigit() for c in alnum)


def _ids(
    entity: str, context: list[str], strong: Sequence[str] = (), weak: Sequence[str] = ()
) -> PatternRecognizer:
    patterns = [Pattern(f"{entity} {i}", _B + rx + _E, _STRONG) for i, rx in enumerate(strong)]
    patterns += [Pattern(f"{entity} weak {i}", _B + rx + _E, _WEAK) for i, rx in enumerate(weak)]
    return PatternRecognizer(supported_entity=entity, name=entity, patterns=patterns, context=context)


def _gazetteer(entity: str, names: Iterable[str], suffix: str = "", context: list[str] | None = None) -> Any:
    """Known names as one case-insensitive alternation (longest first), whole words only; an acronym also
    spelled out letter by letter ("v s p", "h m o": a transcript)."""
    alternatives = sorted(names, key=len, reverse=True)
    body = "|".join(n if "[" in n else re.escape(n).replace(r"\ ", r"\s+") for n in alternatives)
    spelled = [r"\s".join(n) for n in alternatives if re.fullmatch(r"[A-Z]{2,5}", n)]
    body = "|".join([*spelled, body])
    rx = rf"(?<![\w-])(?i:{body})(?-i:{suffix})(?![\w-])"
    return PatternRecognizer(
        supported_entity=entity, name=entity, patterns=[Pattern(entity, rx, _STRONG)], context=context or []
    )


@cache
def _insurance_terms() -> dict[str, Any]:
    ref = resources.files("slmkit").joinpath("data/insurance_terms.json")
    return json.loads(ref.read_text(encoding="utf-8"))


def _carrier_words() -> list[str]:
    """One-word payer names ("her cigna ID is X"): context words of a member ID, weak ones."""
    return [c.lower() for c in _insurance_terms()["carriers"] if re.fullmatch(r"[\w-]+", c)]


def default_recognizers() -> list[EntityRecognizer]:
    """Fresh instances of the default engine's recognizers (their entity types: ``TASK_LABELS`` and the
    ``_BLOCKERS`` that only keep other labels off their spans)."""
    return [
        UsSsnRecognizer(context=[*UsSsnRecognizer.CONTEXT, "ss", "soc"]),
        _UsPhoneRecognizer(
            "PHONE_NUMBER",
            ["phone", "cell", "cellphone", "mobile", "telephone", "tel", "ph", "callback", "call", "reach",
             "text"],
        ),
        _UsPhoneRecognizer("FAX_NUMBER", ["fax", "faxed", "faxing", "facsimile", "f"]),
        _OfflineEmailRecognizer(),
        _SignatureNameRecognizer(),
        UrlRecognizer(
            patterns=[
                *UrlRecognizer.PATTERNS,
                Pattern("Url with scheme", r"\bhttps?://[^\s()<>\"']+", 0.6),
                Pattern("Domain with path", r"\b(?:[a-z0-9-]+\.)+[a-z]{2,24}/[^\s()<>\"']*", 0.5),
            ]
        ),
        IpRecognizer(),
        _ids(
            "MEDICAL_RECORD_NUMBER", ["mrn", "mr", "medical", "record", "chart", "patient"],
            strong=[r"MRN?-?\d{5,10}"], weak=[r"[A-Z]{1,4}-?\d{5,10}", r"\d{5,10}"],
        ),
        _ids(
            "MEMBER_ID",
            ["member", "subscriber", "beneficiary", "plan", "insurance", "card", *_carrier_words()],
            weak=_INSURANCE_ID,
        ),
        _ids(
            "ACCOUNT_NUMBER", ["account", "acct", "reference", "ref", "billing"],
            strong=[r"ACCT-?\d{4,12}"], weak=[r"\d{5,12}", r"[A-Z]{2,5}-\d{4,12}", r"\d{4}-\d{4}-\d{2,4}"],
        ),
        _ids(
            "DRIVER_LICENSE", ["license", "licence", "driver", "drivers", "dl", "lic", "state"],
            strong=[r"[A-Z]\d{3}-\d{4}-\d{4}(?:-\d{2})?"], weak=[r"[A-Z]{1,2}\d{6,8}", r"\d{7,9}"],
        ),
        _VinRecognizer(
            supported_entity="VIN", name="VIN", context=["vin", "vehicle"],
            patterns=[Pattern("VIN", _B + r"[A-HJ-NPR-Z0-9]{17}" + _E, _STRONG)],  # the check digit decides
        ),
        _PlateRecognizer(
            supported_entity="LICENSE_PLATE", name="LICENSE_PLATE", context=["plate", "plates", "tag"],
            # case-sensitive: "is ABC 123" must not start the plate at "is"
            patterns=[Pattern("plate", _B + r"(?-i:[A-Z0-9]{1,4}(?:[ •-]?[A-Z0-9]{1,7})?)" + _E, _WEAK)],
        ),
        _ids(
            "DEVICE_ID",
            ["serial", "sn", "device", "pacemaker", "pump", "monitor", "cpap", "implant", "meter", "sensor",
             "machine", "cgm"],
            # the weak forms need a letter or eight digits: "088-5331" is a phone number
            strong=[r"SN-?\d{4,12}"],
            weak=[r"(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,6}-\d{4,10}(?:-[A-Z0-9]{1,4})?", r"[A-Z]{1,4}\d{6,12}",
                  r"\d{1,3}[A-Z]{1,2}\d{5,10}", r"\d{8,14}"],
        ),
        # The last four digits of an SSN or a card: four digits are only an ID right after their cue.
        _ids("SSN_LAST4", ["social", "ssn", "ss", "four"], weak=[r"(?<!\d[ -])\d{4}"]),
        _ids("CARD_LAST4", ["card", "visa", "mastercard", "amex", "debit", "credit"], weak=[r"\d{4}"]),
        # An image file name in an intake message is a photo of the patient (docs/labelling.md: PHOTO_REF).
        _ids("PHOTO_FILE", ["photo", "picture", "pic", "image", "attached", "uploaded"],
             strong=[r"(?i:[\w-]+\.(?:jpe?g|png|heic|heif|gif|webp|tiff?|bmp))"]),
        _ids(
            "BIOMETRIC_ID",
            ["fingerprint", "print", "biometric", "palm", "voiceprint", "retina", "iris", "face", "scan",
             "enroll"],
            weak=[r"[A-Z]{1,5}-?\d{3,10}(?:-\d{2,8})?"],
        ),
        _ids(
            "GROUP_NUMBER", ["group", "grp", "employer"],
            strong=[r"GRP-?\d{3,10}"],
            weak=[r"\d{5,10}(?:-\d{1,4}){0,2}", r"\d{4,10}-[A-Z]{1,3}", r"[A-Z]{1,3}-?\d{4}", *_INSURANCE_ID],
        ),
        _ids(
            "POLICY_NUMBER", ["policy", "policies", "pol", "contract"],
            strong=[r"POL-?\d{4,12}"], weak=[r"[A-Z]{1,3}\d{3,6}-\d{3,6}", *_INSURANCE_ID],
        ),
        _ids(
            "CLAIM_ID", ["claim", "claims", "clm", "eob"],
            strong=[r"CLM-?(?:\d{2,4}-)?\d{4,12}(?:-[A-Z0-9]{1,4})?"],
            weak=[r"[A-Z]{0,2}\d{7,15}", r"\d{4,8}-\d{3,6}", *_INSURANCE_ID],
        ),
        _ids(
            "AUTH_NUMBER",
            ["auth", "authorization", "authorisation", "preauth", "cert", "precert", "referral"],
            strong=[r"(?:PA|AUTH|PAR)-?(?:\d{2,6}-)?\d{4,12}(?:-[A-Z0-9]{1,3})?"],
            weak=[r"[A-Z]{0,4}-?\d{5,12}", r"(?-i:[A-Z]{1,4}) \d{4,12}", *_INSURANCE_ID],
        ),
        # Payers and plan products by name (slmkit/data/insurance_terms.json): a short list an uncased 6-layer
        # encoder learns slowly from a few thousand messages, and a dictionary knows.
        _gazetteer("CARRIER", _insurance_terms()["carriers"], _insurance_terms()["carrier_suffix"]),
        _gazetteer("PLAN_TYPE", _insurance_terms()["plan_types"]),
        # A relation word is RELATIONSHIP only where coverage is the topic: recognize() drops the others.
        _gazetteer("RELATIONSHIP", _insurance_terms()["relationships"]),
        # Other shops' order, confirmation and lab requisition numbers (docs/labelling.md: no entity).
        _ids(
            "OTHER_REFERENCE",
            ["order", "confirmation", "conf", "requisition", "req", "ticket", "tracking", "receipt",
             "transaction"],
            weak=[r"(?=[A-Z0-9-]*\d{3})[A-Z0-9]{1,12}(?:-[A-Z0-9]{1,12}){0,3}"],
        ),
        _MoneyRecognizer("COPAY_AMOUNT", ["copay", "copays", "copayment", "co", "check"]),
        # docs/labelling.md: progress toward a deductible is no DEDUCTIBLE; amounts the patient paid, offers,
        # budgets or was quoted elsewhere are no BILLED_AMOUNT.
        _MoneyRecognizer("DEDUCTIBLE_AMOUNT", ["deductible", "deductibles"], _TOWARD),
        _MoneyRecognizer(
            "BILLED_AMOUNT",
            ["bill", "bills", "billed", "charge", "charged", "charges", "owe", "owed", "statement", "total",
             "balance", "invoice", "responsibility", "collections"],
            _NOT_BILLED,
        ),
    ]  # fmt: skip


@Language.component("slmkit_lower_lemma")
def _lower_lemma(doc: Doc) -> Doc:
    """A blank pipeline has no lemmatizer; presidio's context matching reads lemmas, so give it lower case."""
    for token in doc:
        token.lemma_ = token.lower_
    return doc


class _BlankSpacyNlpEngine(SpacyNlpEngine):
    def load(self) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("slmkit_lower_lemma")
        self.nlp = {"en": nlp}  # type: ignore[assignment]  # the base class declares it None until loaded


def build_analyzer(recognizers: Iterable[EntityRecognizer] | None = None) -> AnalyzerEngine:
    """An offline ``AnalyzerEngine`` holding ``recognizers`` (default: :func:`default_recognizers`)."""
    registry = RecognizerRegistry(
        recognizers=list(default_recognizers() if recognizers is None else recognizers),
        supported_languages=["en"],
    )
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=_BlankSpacyNlpEngine(),
        supported_languages=["en"],
        context_aware_enhancer=_SentenceContextEnhancer(prefix=5, suffix=0),
    )


@cache
def _default_analyzer() -> AnalyzerEngine:
    return build_analyzer()


@cache
def _cue_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternation})(?![^\W_])", re.IGNORECASE)


# A member ID's context words that name no ID type of their own: "the policy # on the card is X" is a policy
# number. Such a word counts as farther away than it is (characters). Not "id" at all: "Patient ID 3701035"
# is a chart number, and the insurance task has no MRN recognizer to say so.
_WEAK_CUES = {"MEMBER_ID": frozenset({"card", "plan", "insurance", *_carrier_words()})}
_WEAK_CUE_PENALTY = 40


def _cue_distance(
    text: str, start: int, end: int, words: Sequence[str], after: bool, weak: frozenset[str] = frozenset()
) -> int:
    """Characters between the span and its nearest context word in its sentence: before it, or either side
    when ``after`` (a following word counts double: "copay is $35 and you billed me" is a copay); a ``weak``
    word counts ``_WEAK_CUE_PENALTY`` farther."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _SENTENCE_END.finditer(text, end)), len(text))
    cue = _cue_regex(tuple(words))
    gaps = [
        start - m.end() + _WEAK_CUE_PENALTY * (m.group(0).lower() in weak)
        for m in cue.finditer(text, left, start)
    ]
    if after:
        gaps += [2 * (m.start() - end) for m in cue.finditer(text, end, right)]
    return min(gaps, default=len(text))


def _overlaps(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _select(spans: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> list[dict[str, Any]]:
    """Greedy non-overlapping subset, best ``key`` first; sorted by start."""
    kept: list[dict[str, Any]] = []
    for span in sorted(spans, key=key):
        if not any(_overlaps(span, k) for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s["start"], s["end"]))


def _by_score(span: Mapping[str, Any]) -> tuple[float, int]:
    return (-float(span.get("score") or 0.0), span["start"] - span["end"])


_Contexts = dict[str, tuple[list[str], bool]]
_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
# A word, a digit or a single letter, and what joins it to the next one in a read-out number.
_SPOKEN_TOKEN = re.compile(r"(?<![\w'])(?:[a-z]+|\d)(?![\w'])", re.IGNORECASE)
_SPOKEN_GAP = re.compile(r"[ ,-]{1,3}")


def spoken_runs(text: str) -> list[tuple[int, int, str]]:
    """Identifiers read out character by character in a transcript ("six one seven five five five oh one four
    two", "u h eight eight one two two zero four"): ``(start, end, written)``, where ``written`` is the run as
    characters ("6175550142", "UH8812204"). A run holds at least four digit words; single letters count
    inside it, other words end it."""
    runs: list[tuple[int, int, str]] = []
    current: list[re.Match[str]] = []

    def flush() -> None:
        while current and len(current[-1].group(0)) == 1 and current[-1].group(0).isalpha():
            current.pop()  # a trailing letter is a word ("... four two i think")
        if current and current[0].group(0).lower() in ("a", "i"):
            current.pop(0)  # so is a leading "a" or "i" ("it's a six one seven ...")
        digits = sum(m.group(0).lower() in _DIGIT_WORDS or m.group(0).isdigit() for m in current)
        if digits >= 4:
            written = "".join(_DIGIT_WORDS.get(m.group(0).lower(), m.group(0).upper()) for m in current)
            runs.append((current[0].start(), current[-1].end(), written))
        current.clear()

    for m in _SPOKEN_TOKEN.finditer(text):
        word = m.group(0)
        charlike = word.lower() in _DIGIT_WORDS or len(word) == 1
        joined = bool(current) and _SPOKEN_GAP.fullmatch(text[current[-1].end() : m.start()]) is not None
        if charlike and (joined or not current):
            current.append(m)
            continue
        flush()
        if charlike:
            current.append(m)
    flush()
    return runs


def _recognize_spoken(
    text: str, task: str, engine: AnalyzerEngine, context: _Contexts
) -> list[dict[str, Any]]:
    """IDs read out in words: each run is written as characters in a copy of the text (its context words
    stay), recognized there, and a result that covers a whole run is mapped back onto the spoken words."""
    runs = spoken_runs(text)
    if not runs:
        return []
    parts, placed, pos, shift = [], [], 0, 0
    for start, end, written in runs:
        parts += [text[pos:start], written]
        placed.append((start + shift, start + shift + len(written), start, end))
        shift += len(written) - (end - start)
        pos = end
    written_text = "".join([*parts, text[pos:]])
    out = []
    for span in _recognize_written(written_text, task, engine, context):
        for new_start, new_end, start, end in placed:
            if span["start"] == new_start and span["end"] == new_end:
                out.append(dict(span, start=start, end=end, text=text[start:end]))
    return out


def recognize(
    text: str, task: str, analyzer: AnalyzerEngine | None = None, keep_blockers: bool = False
) -> list[dict[str, Any]]:
    """Structured-ID spans for ``task`` ("phi" or "insurance"): ``{start, end, label, text, score, source}``,
    written IDs and IDs read out in words (:func:`spoken_runs`); with ``keep_blockers``, also the spans of
    the task's blockers (``label`` None), for :func:`merge_spans`.

    ``analyzer`` defaults to the cached default engine."""
    if task not in TASK_LABELS:
        raise ValueError(f"unknown task {task!r}; expected one of {', '.join(TASK_LABELS)}")
    engine = analyzer or _default_analyzer()
    context = {  # each entity's context words, and whether a following one counts (money)
        e: (r.context or [], isinstance(r, _MoneyRecognizer))
        for r in engine.registry.recognizers
        for e in r.supported_entities
    }
    written = _recognize_written(text, task, engine, context)
    spoken = [
        s for s in _recognize_spoken(text, task, engine, context) if not any(_overlaps(s, w) for w in written)
    ]
    found = drop_off_topic(text, sorted(written + spoken, key=lambda s: (s["start"], s["end"])))
    return found if keep_blockers else [s for s in found if s["label"] is not None]


def _recognize_written(
    text: str, task: str, engine: AnalyzerEngine, context: _Contexts
) -> list[dict[str, Any]]:
    labels = TASK_LABELS[task]
    blockers = _BLOCKERS[task]
    order = {entity: i for i, entity in enumerate([*labels, *blockers])}
    found: list[dict[str, Any]] = []
    results = engine.analyze(
        text=text,
        language="en",
        entities=[*labels, *blockers],
        score_threshold=MIN_SCORE,
        return_decision_process=True,
    )
    for r in results:
        start, end = r.start, r.end
        while end > start and text[end - 1] in ".,;:!?":  # a URL's sentence-final full stop
            end -= 1
        # A match that cuts a word, an ID or a date is a misreading: "site.bi" of "site.biz", "6925-461" of
        # "FP-6925-461", "1950" of "03/23/1950".
        if (
            end <= start
            or re.match(r"[\w/-]", text[start - 1 : start])
            or re.match(r"\w|[-/]\w", text[end : end + 2])
        ):
            continue
        # Only a context word presidio credited (near enough, same sentence) can break a tie.
        boosted = r.analysis_explanation.supportive_context_word
        label = labels.get(r.entity_type)
        weak = _WEAK_CUES.get(r.entity_type, frozenset())
        cue = _cue_distance(text, start, end, *context[r.entity_type], weak) if boosted else len(text)
        score = r.score
        if r.entity_type in _PHONE_TYPES and not boosted:
            # presidio's phone recognizer scores a number without crediting its cue ("call me back at ..."):
            # credited here like a cued ID, so the nearer cue decides between a phone and an ID number
            cue = _cue_distance(text, start, end, *context[r.entity_type])
            score = max(score, _CUED_SCORE) if cue < len(text) else score
        rank = (*_by_score({"score": score, "start": start, "end": end}), cue, order[r.entity_type])
        found.append({"start": start, "end": end, "label": label, "text": text[start:end],
                      "score": round(score, 4), "source": "recognizer", "_rank": rank})  # fmt: skip

    # A number inside a longer ID cued nearer is part of it: "338 41 0276" of "member ID ZGP 338 41 0276" is
    # no SSN, "882 019 4471" of "policy MET 882 019 4471" no phone number.
    def inside(s: dict[str, Any], o: dict[str, Any]) -> bool:
        longer = o["end"] - o["start"] > s["end"] - s["start"]
        return longer and o["start"] <= s["start"] and s["end"] <= o["end"]

    found = [s for s in found if not any(inside(s, o) and o["_rank"][2] < s["_rank"][2] for o in found)]
    return [{k: v for k, v in s.items() if k != "_rank"} for s in _select(found, key=lambda s: s["_rank"])]


def drop_off_topic(text: str, spans: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans of a label the guide ties to coverage (``needs_coverage_cue`` in
    slmkit/data/insurance_terms.json: the policyholder's name, a relation on the plan) are dropped when
    neither their sentence nor the one before holds a coverage cue word ("My name is Priya Raman": the
    patient); a label in ``cue_window_words`` needs the cue that many words near it too ("calling for my
    mother" in a voicemail about a bill names no relation on the plan)."""
    terms = _insurance_terms()
    needs, cue = set(terms["needs_coverage_cue"]), _cue_regex(tuple(terms["coverage_cues"]))
    windows = terms.get("cue_window_words", {})
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]

    def on_topic(span: Mapping[str, Any]) -> bool:
        before = [e for e in ends if e <= span["start"]]
        left = before[-2] if len(before) > 1 else 0
        right = next((e for e in ends if e >= span["end"]), len(text))
        if span["label"] in windows:
            n = windows[span["label"]]
            near = re.search(rf"(?:\S+\s+){{0,{n}}}\S*$", text[left : span["start"]])
            after = re.match(rf"\S*(?:\s+\S+){{0,{n}}}", text[span["end"] : right])
            left = left + near.start() if near else span["start"]
            right = span["end"] + (after.end() if after else 0)
        return cue.search(text, left, right) is not None

    return [s for s in spans if s["label"] not in needs or on_topic(s)]


_US_STATES = frozenset(s.lower() for s in (*UsAddress.states, *UsAddress.states_abbr))
# docs/labelling.md: a year alone is no DATE, nor is a bare number ("the 21st" is: it has its suffix).
_NEVER_ALONE = {"DATE": re.compile(r"\d{1,4}")}


def drop_generic(text: str, spans: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans whose whole value is a generic word the labelling guide never labels alone ("plan" as
    PLAN_TYPE, "Rite Aid" as LOC; ``generic`` in slmkit/data/insurance_terms.json), a US state as a LOC or a
    bare number as a DATE are dropped."""
    generic = {label: {w.lower() for w in words} for label, words in _insurance_terms()["generic"].items()}
    generic["LOC"] = generic.get("LOC", set()) | _US_STATES

    def is_generic(span: Mapping[str, Any]) -> bool:
        value = text[span["start"] : span["end"]].strip()
        bare = _NEVER_ALONE.get(span["label"])
        return value.lower() in generic.get(span["label"], set()) or bool(bare and bare.fullmatch(value))

    return [s for s in spans if not is_generic(s)]


def merge_spans(
    model_spans: Iterable[Mapping[str, Any]], recognizer_spans: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Recognizer spans replace the model spans they overlap (see the module docstring); a blocker's span
    (``label`` None) removes the model spans it overlaps and is not returned."""
    ids = _select(({"source": "recognizer", **s} for s in recognizer_spans), key=_by_score)
    kept = ({"source": "model", **s} for s in model_spans)
    rest = _select((s for s in kept if not any(_overlaps(s, r) for r in ids)), key=_by_score)
    return sorted([s for s in ids if s["label"] is not None] + rest, key=lambda s: (s["start"], s["end"]))


def unresolved_cues(text: str, task: str, spans: Iterable[Mapping[str, Any]]) -> list[str]:
    """Sorted ID labels whose cue word is in ``text`` but of which ``spans`` hold none."""
    if task not in _ID_CUES:
        raise ValueError(f"unknown task {task!r}; expected one of {', '.join(_ID_CUES)}")
    have = {s["label"] for s in spans}
    return sorted(
        label
        for label, cue in _ID_CUES[task].items()
        if label not in have and re.search(rf"(?<![^\W_])(?:{cue})(?![^\W_])", text, re.IGNORECASE)
    )
