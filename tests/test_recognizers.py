"""slmkit.recognizers: validated structured-ID recognizers, the merge policy and the LLM-fallback cues."""

from __future__ import annotations

import logging
import socket
from collections import Counter

import pytest
import spacy
from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import UsSsnRecognizer

import slmkit.recognizers as rec
from clarioscope_pipeline.datasets import clean_records, raw_records
from clarioscope_pipeline.labels import INSURANCE_FIELDS, PHI_TYPES
from slmkit.recognizers import (
    MIN_SCORE,
    TASK_LABELS,
    build_analyzer,
    default_recognizers,
    drop_generic,
    drop_off_topic,
    merge_spans,
    recognize,
    spoken_runs,
    unresolved_cues,
)


def found(text: str, task: str) -> list[tuple[str, str]]:
    return [(s["label"], s["text"]) for s in recognize(text, task)]


def test_labels_are_structured_ids_or_closed_vocabularies_of_the_task() -> None:
    assert set(TASK_LABELS["phi"].values()) <= set(PHI_TYPES)
    assert set(TASK_LABELS["insurance"].values()) <= set(INSURANCE_FIELDS)
    # Open-ended text stays with the model; payers, plan products and relation words are closed lists. The
    # one exception is a layout, not a vocabulary: the name line that signs a letter.
    open_text = {"NAME", "LOC", "DATE", "AGE_OVER_89", "SUBSCRIBER_NAME"}
    by_recognizer = {(e, label) for labels in TASK_LABELS.values() for e, label in labels.items()}
    assert {(e, label) for e, label in by_recognizer if label in open_text} == {("SIGNATURE_NAME", "NAME")}
    assert {"CARRIER", "PLAN_TYPE", "RELATIONSHIP"} <= set(TASK_LABELS["insurance"].values())


def test_relation_words_only_where_coverage_is_the_topic() -> None:
    assert found("I'm on my husband's plan, he is the subscriber", "insurance") == [
        ("RELATIONSHIP", "husband")
    ]
    assert found("my husband will drive me to the appointment", "insurance") == []
    assert found("she's a dependent on my Aetna plan", "insurance") == [
        ("RELATIONSHIP", "dependent"), ("CARRIER", "Aetna"),
    ]  # fmt: skip


def test_payer_and_plan_gazetteers_match_whole_words_only() -> None:
    expected = [("CARRIER", "bcbs"), ("PLAN_TYPE", "ppo")]
    assert found("my plan is bcbs ppo through work", "insurance") == expected
    assert found("the bcbsx portal and the appointment", "insurance") == []


def test_span_shape_and_offsets() -> None:
    text = "Hi, my SSN is 536-22-8041 if you need it."
    [span] = recognize(text, "phi")
    assert span == {
        "start": 14,
        "end": 25,
        "label": "SSN",
        "text": "536-22-8041",
        "score": span["score"],
        "source": "recognizer",
    }
    assert text[span["start"] : span["end"]] == span["text"]
    assert span["score"] >= MIN_SCORE


@pytest.mark.parametrize("ssn", ["536-22-8041", "536 22 8041", "219-09-9999"])
def test_valid_ssn_found(ssn: str) -> None:
    assert found(f"The form asked for my social, it is {ssn}.", "phi") == [("SSN", ssn)]


@pytest.mark.parametrize(
    "ssn",
    [
        "000-12-3456",  # area 000 is never issued
        "666-12-3456",  # nor 666
        "123-45-6789",  # the published sample number
        "536-00-8041",  # group 00
        "536-22-0000",  # serial 0000
        "536-22 8041",  # mixed delimiters
    ],
)
def test_invalid_ssn_not_found(ssn: str) -> None:
    assert found(f"My SSN is {ssn}.", "phi") == []


def test_phone_and_fax_by_cue() -> None:
    text = "You can reach me at (617) 555-0182 or fax the forms to (617) 555-0199."
    assert found(text, "phi") == [("PHONE", "(617) 555-0182"), ("FAX", "(617) 555-0199")]
    assert found("T: 617-555-0182 F: 617-555-0199", "phi") == [
        ("PHONE", "617-555-0182"),
        ("FAX", "617-555-0199"),
    ]
    assert found("Office fax +1 617 555 0199.", "phi") == [("FAX", "+1 617 555 0199")]


def test_fax_cue_does_not_reach_into_the_previous_sentence() -> None:
    text = "Best number is 617.555.0182. Our fax number is (617) 555-0199."
    assert found(text, "phi") == [("PHONE", "617.555.0182"), ("FAX", "(617) 555-0199")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # no 7-digit phone number inside an ID (the whole ID is the biometric code)
        ("The kiosk gave me biometric code FP-6925-461.", [("BIOMETRIC", "FP-6925-461")]),
        ("My plate is on file, DOB 03/23/1950.", []),  # no plate "1950"
        ("Found you at leonard-lara.biz today.", []),  # the stock URL pattern reads "leonard-lara.bi"
        ("Code W6175550182 on the box.", []),  # no phone number "6175550182"
    ],
)
def test_match_that_cuts_a_token_is_dropped(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "phi") == expected


def test_email_url_ip() -> None:
    text = "Email jane.doe@example.com, portal https://portal.example-clinic.org/login. IP 10.0.12.7 blocked."
    assert found(text, "phi") == [
        ("EMAIL", "jane.doe@example.com"),
        ("URL", "https://portal.example-clinic.org/login"),  # without the sentence's full stop
        ("IP", "10.0.12.7"),
    ]
    assert found("Found you at rowland.biz/wp-content/tags.", "phi") == [
        ("URL", "rowland.biz/wp-content/tags")
    ]


@pytest.mark.parametrize(
    ("task", "text", "value", "label"),
    [
        ("phi", "My MRN is 8472301.", "8472301", "MRN"),
        ("phi", "Medical record RMR-204981 I believe.", "RMR-204981", "MRN"),
        ("phi", "My chart number is HVN-68105.", "HVN-68105", "MRN"),
        ("phi", "Plan card number W123456789.", "W123456789", "HEALTH_PLAN"),
        ("phi", "It's under account 55321.", "55321", "ACCOUNT"),
        ("phi", "Billing account 1234-5678-90.", "1234-5678-90", "ACCOUNT"),
        ("phi", "Driver license D1234567 for the ID check.", "D1234567", "LICENSE"),
        ("phi", "License on file is V280-0436-2426.", "V280-0436-2426", "LICENSE"),
        ("phi", "The car VIN is 1HGCM82633A004352 for the forms.", "1HGCM82633A004352", "VEHICLE"),
        ("phi", "I'll be in the lot, my plate is 7ABC 123.", "7ABC 123", "VEHICLE"),
        ("phi", "Insulin pump serial 4KX9-20417 is beeping.", "4KX9-20417", "DEVICE"),
        ("phi", "My pacemaker serial number is SN-523797.", "SN-523797", "DEVICE"),
        ("insurance", "My member ID is XZP-482-1190.", "XZP-482-1190", "MEMBER_ID"),
        ("insurance", "ID on the card A12345678.", "A12345678", "MEMBER_ID"),
        ("insurance", "Employer group code 4221299-78.", "4221299-78", "GROUP_NUMBER"),
        ("insurance", "The group number is GRP-22309.", "GRP-22309", "GROUP_NUMBER"),
        ("insurance", "Contract number H1234-56789.", "H1234-56789", "POLICY_NUMBER"),
        ("insurance", "My policy is POL-9249168.", "POL-9249168", "POLICY_NUMBER"),
        ("insurance", "EOB shows claim C20458812.", "C20458812", "CLAIM_ID"),
        ("insurance", "They denied claim CLM-2023-80974.", "CLM-2023-80974", "CLAIM_ID"),
        ("insurance", "The prior auth number is PA-9565.", "PA-9565", "AUTH_NUMBER"),
        ("insurance", "Pre-cert code AUTH204981.", "AUTH204981", "AUTH_NUMBER"),
    ],
)
def test_id_with_cue_found(task: str, text: str, value: str, label: str) -> None:
    spans = recognize(text, task)
    assert [(s["label"], s["text"]) for s in spans] == [(label, value)]
    assert text[spans[0]["start"] : spans[0]["end"]] == value


@pytest.mark.parametrize(
    ("task", "text"),
    [
        ("phi", "Room 4821937 is on the left, next to 55321 and W123456789."),
        ("phi", "The code on the box was 4KX9-20417."),
        ("phi", "A VIN-like string with a wrong check digit: 1HGCM82633A004353."),  # valid one ends ...352
        ("insurance", "Room 4821937 is on the left. A12345678 and C20458812 were on the sign."),
        ("insurance", "The parking was $12 and the coffee $3.50."),
        # a cue word in the neighbouring sentence does not count
        ("phi", "Please update my chart. Room 4821937 is on the left."),
        ("insurance", "Parking was $12. Copay questions go to the front desk."),
    ],
)
def test_id_like_without_cue_not_reported(task: str, text: str) -> None:
    assert recognize(text, task) == []


def test_context_word_raises_score() -> None:
    engine = build_analyzer()

    def score(text: str) -> float:
        [result] = engine.analyze(
            text=text, language="en", entities=["MEDICAL_RECORD_NUMBER"], score_threshold=0
        )
        return result.score

    cued, uncued = score("My chart is 8472301"), score("My seat is 8472301")
    assert uncued < MIN_SCORE <= cued
    assert cued > uncued


def test_money_label_by_cue() -> None:
    text = "My copay should be $35 but you billed me $1,250.00. I already met my $500 deductible."
    assert found(text, "insurance") == [
        ("COPAY", "$35"),
        ("BILLED_AMOUNT", "$1,250.00"),
        ("DEDUCTIBLE", "$500"),
    ]
    assert found("Still $1,234.56 left on the deductible.", "insurance") == [("DEDUCTIBLE", "$1,234.56")]
    assert found("The statement says I owe $88.", "insurance") == [("BILLED_AMOUNT", "$88")]


def test_same_format_ids_told_apart_by_nearest_cue() -> None:
    assert found("Member A12345678, claim C20458812.", "insurance") == [
        ("MEMBER_ID", "A12345678"),
        ("CLAIM_ID", "C20458812"),
    ]
    assert found("My MRN is 8472301 and my account number is 55321.", "phi") == [
        ("MRN", "8472301"),
        ("ACCOUNT", "55321"),
    ]


def test_task_selects_labels() -> None:
    text = "Call (617) 555-0182 about claim CLM-2023-80974."
    assert found(text, "phi") == [("PHONE", "(617) 555-0182")]
    assert found(text, "insurance") == [("CLAIM_ID", "CLM-2023-80974")]


def test_unknown_task_raises_without_text() -> None:
    with pytest.raises(ValueError) as err:
        recognize("my secret SSN 536-22-8041", "intent")
    assert "536-22-8041" not in str(err.value) and "secret" not in str(err.value)


def test_no_text_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        spans = recognize("Hi, my chart number is HVN-68105, zebra walrus.", "phi")
    assert spans
    assert "68105" not in caplog.text and "walrus" not in caplog.text


def test_registry_takes_added_recognizer_without_engine_change() -> None:
    extra = PatternRecognizer(
        supported_entity="MEMBER_ID",
        name="ZZ member",
        patterns=[Pattern("ZZ member", r"\bZZ\d{4}\b", 0.9)],
    )
    text = "My card says ZZ1234 on it."
    assert recognize(text, "insurance") == []
    engine = build_analyzer([*default_recognizers(), extra])
    assert [(s["label"], s["text"]) for s in recognize(text, "insurance", engine)] == [
        ("MEMBER_ID", "ZZ1234")
    ]
    only_ssn = build_analyzer([UsSsnRecognizer()])
    assert recognize("SSN 536-22-8041, call (617) 555-0182", "phi", only_ssn)[0]["label"] == "SSN"
    assert len(recognize("SSN 536-22-8041, call (617) 555-0182", "phi", only_ssn)) == 1


def test_builds_and_runs_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network or spaCy model load attempted")

    monkeypatch.setattr(spacy, "load", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    engine = build_analyzer()
    spans = recognize("Send it to jane.doe@example.org or fax (617) 555-0199.", "phi", engine)
    assert [(s["label"], s["text"]) for s in spans] == [
        ("EMAIL", "jane.doe@example.org"),
        ("FAX", "(617) 555-0199"),
    ]


def test_default_engine_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    builds = Counter[str]()
    real = rec.build_analyzer

    def counting(*args: object, **kwargs: object) -> object:
        builds["n"] += 1
        return real()

    rec._default_analyzer.cache_clear()
    monkeypatch.setattr(rec, "build_analyzer", counting)
    for _ in range(3):
        recognize("My MRN is 8472301.", "phi")
    assert builds["n"] == 1
    rec._default_analyzer.cache_clear()


# ------------------------------------------------------------------------------------------------ merging
def test_merge_recognizer_replaces_overlapping_model_spans() -> None:
    text = "Patient Ana Ruiz, MRN 8472301, account 55321."
    model = [
        {"start": 8, "end": 16, "label": "NAME", "score": 0.9},
        {"start": 18, "end": 29, "label": "MRN"},  # wrong boundary: holds the cue "MRN "
        {"start": 39, "end": 44, "label": "MRN", "source": "model"},  # wrong type
    ]
    ids = recognize(text, "phi")
    assert [(s["label"], s["text"]) for s in ids] == [("MRN", "8472301"), ("ACCOUNT", "55321")]
    merged = merge_spans(model, ids)
    assert [(s["label"], text[s["start"] : s["end"]], s["source"]) for s in merged] == [
        ("NAME", "Ana Ruiz", "model"),
        ("MRN", "8472301", "recognizer"),
        ("ACCOUNT", "55321", "recognizer"),
    ]
    assert merged[0]["score"] == 0.9  # extra keys are kept
    assert "source" not in model[0]  # inputs are not changed


def test_merge_keeps_non_overlapping_and_given_sources() -> None:
    model = [
        {"start": 30, "end": 35, "label": "DATE", "source": "llm"},
        {"start": 0, "end": 5, "label": "NAME"},
    ]
    ids = [{"start": 10, "end": 20, "label": "PHONE"}]
    merged = merge_spans(model, ids)
    assert [(s["start"], s["label"], s["source"]) for s in merged] == [
        (0, "NAME", "model"),
        (10, "PHONE", "recognizer"),
        (30, "DATE", "llm"),
    ]


def test_merge_output_has_no_overlaps() -> None:
    model = [
        {"start": 0, "end": 10, "label": "LOC", "score": 0.6},
        {"start": 5, "end": 12, "label": "NAME", "score": 0.9},
        {"start": 40, "end": 50, "label": "NAME"},
        {"start": 44, "end": 46, "label": "DATE"},
    ]
    ids = [
        {"start": 20, "end": 30, "label": "SSN", "score": 0.85, "source": "recognizer"},
        {"start": 25, "end": 33, "label": "PHONE", "score": 0.4, "source": "recognizer"},
    ]
    merged = merge_spans(model, ids)
    assert [(s["start"], s["end"], s["label"]) for s in merged] == [
        (5, 12, "NAME"),  # higher score wins among model spans
        (20, 30, "SSN"),  # higher score wins among recognizer spans
        (40, 50, "NAME"),  # then the longer one
    ]
    assert merge_spans([], []) == []


# ------------------------------------------------------------------------------------------ LLM fallback
def test_unresolved_cues() -> None:
    text = "My member ID is on the card, group number GRP-22309, the claim was denied."
    spans = recognize(text, "insurance")
    assert [s["label"] for s in spans] == ["GROUP_NUMBER"]
    assert unresolved_cues(text, "insurance", spans) == ["CLAIM_ID", "MEMBER_ID"]
    assert unresolved_cues(text, "insurance", [*spans, {"start": 0, "end": 1, "label": "CLAIM_ID"}]) == [
        "MEMBER_ID"
    ]
    # An SSN the validity rules reject leaves its cue unresolved: the fallback is asked.
    assert unresolved_cues("My SSN is 123-45-6789.", "phi", recognize("My SSN is 123-45-6789.", "phi")) == [
        "SSN"
    ]
    assert unresolved_cues("Can I book a check up next week?", "phi", []) == []
    assert unresolved_cues("My license plate is 7ABC 123.", "phi", []) == ["VEHICLE"]


# ---------------------------------------------------------------------------------- generated data
# Measured on seed 0 (demo): phi recall 317/318, insurance 389/391, precision 1.0 for both. The misses are
# generator values the validators reject (SSN group 00) and typos in the only cue word ("dedutcible").
@pytest.mark.parametrize(("task", "min_recall"), [("phi", 0.97), ("insurance", 0.97)])
def test_recall_and_precision_on_generated_data(task: str, min_recall: float) -> None:
    # Cue-word cleaning first: the generator folds cue words into some gold spans on purpose ("MRN 8472301").
    records, _ = clean_records(raw_records(task, "demo", 0))  # type: ignore[arg-type]
    # NAME: the recognizers find only the name that signs a letter (the model finds the rest): precision only
    labels = set(TASK_LABELS[task].values()) - {"NAME"}
    gold_n, pred_n, hits = Counter[str](), Counter[str](), Counter[str]()
    signed, signed_hits = 0, 0
    for record in records:
        # Voicemail apart: IDs read out in run-on speech have no sentence ends to bound their context
        # (measured on seed 0: phi recall 0.970 precision 0.981, insurance 0.973 / 0.944).
        if record["channel"] == "voicemail":
            continue
        gold = {(s["start"], s["end"], s["label"]) for s in record["spans"] if s["label"] in labels}
        found = {(s["start"], s["end"], s["label"]) for s in recognize(record["text"], task)}
        names = {p for p in found if p[2] == "NAME"}
        signed += len(names)
        signed_hits += len(names & {(s["start"], s["end"], s["label"]) for s in record["spans"]})
        pred = found - names
        gold_n.update(g[2] for g in gold)
        pred_n.update(p[2] for p in pred)
        hits.update(h[2] for h in gold & pred)
    recall = sum(hits.values()) / sum(gold_n.values())
    precision = sum(hits.values()) / sum(pred_n.values())
    per_label = {label: round(hits[label] / gold_n[label], 3) for label in sorted(gold_n)}
    print(f"{task}: recall {recall:.3f} precision {precision:.3f} per label {per_label}")
    print(f"signed names right: {signed_hits}/{signed}")
    assert signed_hits >= 0.95 * signed
    assert set(gold_n) == labels  # every structured label occurs in the sample
    assert recall >= min_recall
    assert precision >= 0.98
    assert min(per_label.values()) >= 0.9, per_label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Blue Cross Blue Shield of Illinois PPO", [("CARRIER", "Blue Cross Blue Shield of Illinois"),
                                                    ("PLAN_TYPE", "PPO")]),
        ("my bcbs ppo card", [("CARRIER", "bcbs"), ("PLAN_TYPE", "ppo")]),
        ("Medicare Advantage through Humana", [("PLAN_TYPE", "Medicare Advantage"), ("CARRIER", "Humana")]),
        # a store is no payer, its PBM is
        ("picked it up at CVS but CVS Caremark denied it", [("CARRIER", "CVS Caremark")]),
        # a product after the payer is the plan type, not part of the payer's name
        ("Insurance: Humana Medicare Advantage",
         [("CARRIER", "Humana"), ("PLAN_TYPE", "Medicare Advantage")]),
        ("My coverage is MetLife Dental PPO through my employer",
         [("CARRIER", "MetLife"), ("PLAN_TYPE", "Dental PPO")]),
        ("we have delta dental ppo, it's under my name", [("CARRIER", "delta dental"), ("PLAN_TYPE", "ppo")]),
        ("Carrier: Geisinger Health Plan", [("CARRIER", "Geisinger Health Plan")]),
        # acronyms spelled out in a transcript
        ("my insurance is tufts h m o so", [("CARRIER", "tufts"), ("PLAN_TYPE", "h m o")]),
        ("uh my insurance is v s p and", [("CARRIER", "v s p")]),
        ("seen at Tufts Medical Center", []),  # a hospital, not the payer
    ],
)  # fmt: skip
def test_payer_and_plan_gazetteers(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "insurance") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I've paid $800 toward my deductible so far", []),  # progress toward it is no DEDUCTIBLE
        ("My deductible is $1,500.", [("DEDUCTIBLE", "$1,500")]),
        ("the place across town quoted me $150 for the bill", []),  # a competitor's quote
        ("I can pay $50 today toward the balance", []),  # an offer to pay
        ("The statement says I owe $1,240.50", [("BILLED_AMOUNT", "$1,240.50")]),
    ],
)
def test_money_the_patient_paid_offered_or_was_quoted_is_not_billed(text, expected) -> None:
    assert found(text, "insurance") == expected


def test_last_four_photo_and_biometric_ids_after_their_cues() -> None:
    text = "Last four of my social is 4417, card ending 8812. Photo IMG_4471.JPG, palm scan code BIO1234567."
    assert found(text, "phi") == [
        ("SSN", "4417"), ("ACCOUNT", "8812"), ("PHOTO_REF", "IMG_4471.JPG"), ("BIOMETRIC", "BIO1234567"),
    ]  # fmt: skip
    assert found("Shift ends at 1130 and I took 2 tablets", "phi") == []  # four digits without a cue


def _spans_of(text: str, *pairs: tuple[str, str]) -> list[dict[str, object]]:
    return [{"start": text.index(v), "end": text.index(v) + len(v), "label": lab} for lab, v in pairs]


def test_subscriber_and_relationship_need_coverage_in_their_sentence_or_the_one_before() -> None:
    text = (
        "My name is Priya Raman. My husband will drive me. "
        "The insurance is in my wife's name. It's Dana Cole. I'm on my mom's plan. Aetna, my dad says."
    )
    spans = _spans_of(
        text, ("SUBSCRIBER_NAME", "Priya Raman"), ("RELATIONSHIP", "husband"),
        ("SUBSCRIBER_NAME", "Dana Cole"), ("RELATIONSHIP", "mom"),
        ("RELATIONSHIP", "dad"), ("CARRIER", "Aetna"),
    )  # fmt: skip
    kept = [(s["label"], text[s["start"] : s["end"]]) for s in drop_off_topic(text, spans)]
    # "dad": the sentence before names a plan; a carrier needs no cue
    assert kept == [("SUBSCRIBER_NAME", "Dana Cole"), ("RELATIONSHIP", "mom"), ("RELATIONSHIP", "dad"),
                    ("CARRIER", "Aetna")]  # fmt: skip


def test_generic_words_and_bare_numbers_as_dates_are_dropped() -> None:
    text = "I have a plan with Aetna, the PPO one, since 2019; seen on the 21st, 3 times."
    spans = _spans_of(
        text, ("PLAN_TYPE", "plan"), ("CARRIER", "Aetna"), ("PLAN_TYPE", "PPO"), ("DATE", "2019"),
        ("DATE", "21st"), ("DATE", "3"),
    )  # fmt: skip
    assert [text[s["start"] : s["end"]] for s in drop_generic(text, spans)] == ["Aetna", "PPO", "21st"]


@pytest.mark.parametrize(
    ("text", "task", "expected"),
    [
        ("my number is five oh eight five five five two two nine one thank you", "phi",
         [("PHONE", "five oh eight five five five two two nine one")]),
        ("the fax is eight five seven, five five five, two one nine oh ok", "phi",
         [("FAX", "eight five seven, five five five, two one nine oh")]),
        ("the policy number is u h eight eight one two two zero four and", "insurance",
         [("POLICY_NUMBER", "u h eight eight one two two zero four")]),
        ("my member id is w nine eight eight four one two oh nine three", "insurance",
         [("MEMBER_ID", "w nine eight eight four one two oh nine three")]),
        ("the account number is four four eight two nine one zero", "phi",
         [("ACCOUNT", "four four eight two nine one zero")]),
        ("my number is five oh eight five five five two two nine one", "insurance", []),  # no insurance label
        ("i have two kids one is five and one is nine", "phi", []),  # counts, not an ID
    ],
)  # fmt: skip
def test_ids_read_out_in_words_are_recognized_on_the_spoken_words(text, task, expected) -> None:
    assert found(text, task) == expected


def test_spoken_runs_write_the_characters_and_leave_words_alone() -> None:
    text = "it's a six one seven five five five oh one four two i think, k o w a l s k i"
    number = "six one seven five five five oh one four two"
    assert spoken_runs(text) == [(text.index(number), text.index(number) + len(number), "6175550142")]


@pytest.mark.parametrize(
    ("text", "task", "model", "expected"),
    [
        # a referral number is no PHI: the PHI model's HEALTH_PLAN span on it goes
        ("Aetna approved it, auth number is A90023817.", "phi", ("A90023817", "HEALTH_PLAN"), []),
        ("I have Kaiser Permanente now.", "phi", ("Kaiser Permanente", "LOC"), []),
        # a call-back number is no member ID
        ("my ins is through anthem so call 301 345 7799 after 5", "insurance",
         ("301 345 7799", "MEMBER_ID"), [("CARRIER", "anthem")]),
        ("text me at six one seven five five five oh one four two", "insurance",
         ("six one seven five five five oh one four two", "MEMBER_ID"), []),
        ("The sensor serial is SM41902238.", "phi",
         ("SM41902238", "HEALTH_PLAN"), [("DEVICE", "SM41902238")]),
        ("my member id is W88412093 thanks", "insurance",
         ("W88412093", "MEMBER_ID"), [("MEMBER_ID", "W88412093")]),
        # other shops' order and requisition numbers are nothing
        ("I ordered a new mask from Amazon, order 112-4482019-5530119, comes Thursday", "phi",
         ("112-4482019-5530119", "PHONE"), []),
        ("had it drawn monday morning at quest, req # 7Q44120", "phi", ("7Q44120", "HEALTH_PLAN"), []),
        ("the payment site gave me confirmation number 55190-QX", "insurance", ("55190-QX", "CLAIM_ID"), []),
    ],
)  # fmt: skip
def test_blockers_keep_the_model_off_what_belongs_to_another_label(text, task, model, expected) -> None:
    value, label = model
    model_spans = [{"start": text.index(value), "end": text.index(value) + len(value), "label": label}]
    merged = merge_spans(model_spans, recognize(text, task, keep_blockers=True))
    assert [(s["label"], text[s["start"] : s["end"]]) for s in merged] == expected
    assert all(s["label"] is not None for s in recognize(text, task))


@pytest.mark.parametrize(
    ("text", "task", "expected"),
    [
        # IDs printed in groups, with a letter prefix or a person suffix
        ("id on my card is TH 6620 4471 03 if u need it", "insurance", [("MEMBER_ID", "TH 6620 4471 03")]),
        ("also his new insurance is uhc choice plus member 9124 4750 18", "insurance",
         [("CARRIER", "uhc"), ("PLAN_TYPE", "choice plus"), ("MEMBER_ID", "9124 4750 18")]),
        ("My member ID is U99180245 01 and", "phi", [("HEALTH_PLAN", "U99180245 01")]),
        ("member ID W 4410 8827 3. Thanks", "insurance", [("MEMBER_ID", "W 4410 8827 3")]),
        # a number inside a longer ID cued nearer is part of it, not an SSN or a phone number
        ("My member ID is ZGP 338 41 0276 in case", "phi", [("HEALTH_PLAN", "ZGP 338 41 0276")]),
        ("Policy MET 882 019 4471, group MLD-20334.", "insurance",
         [("POLICY_NUMBER", "MET 882 019 4471"), ("GROUP_NUMBER", "MLD-20334")]),
        # the full stop of "no." ends no sentence: the cue still counts
        ("new card info: Allways Health Partners policy no. AHP 5520 3317", "insurance",
         [("CARRIER", "Allways Health Partners"), ("POLICY_NUMBER", "AHP 5520 3317")]),
        ("faxed to the school nurse at 915-555-0176?", "phi", [("FAX", "915-555-0176")]),
        ("My CPAP (ResMed AirSense 11, serial 23171504928) has", "phi", [("DEVICE", "23171504928")]),
    ],
)  # fmt: skip
def test_grouped_and_nested_ids(text: str, task: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, task) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok.\n\nThank you,\nIngrid Halvorsen\nihalvorsen@example.com",
         [("NAME", "Ingrid Halvorsen"), ("EMAIL", "ihalvorsen@example.com")]),
        ("what went wrong.\n\nGregory Asante\ngasante@example.com",
         [("NAME", "Gregory Asante"), ("EMAIL", "gasante@example.com")]),
        ("Best regards,\nDr. Amara Okafor", [("NAME", "Dr. Amara Okafor")]),
        ("Thanks,\nBilling Department", []),  # office words sign for no person
        ("Gregory Asante called\nabout it", []),  # no sign-off, no address under it
    ],
)  # fmt: skip
def test_the_name_that_signs_a_message(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "phi") == expected


def test_amounts_said_in_words_and_relations_near_their_coverage_cue() -> None:
    assert found("it says i owe three hundred and twelve dollars for her visit", "insurance") == [
        ("BILLED_AMOUNT", "three hundred and twelve dollars")
    ]
    assert found("bills for three hundred forty two dollars and fifty cents", "insurance") == [
        ("BILLED_AMOUNT", "three hundred forty two dollars and fifty cents")
    ]
    # the relation word must sit near the coverage cue, not only in the same run-on sentence
    far = "calling for my wife um she needs to move her visit and also i had one question on the plan"
    assert found(far, "insurance") == []
    assert found("Policyholder is Andrew Marie Johnson, my wife.", "insurance") == [("RELATIONSHIP", "wife")]
