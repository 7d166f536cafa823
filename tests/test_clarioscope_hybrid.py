"""The hybrid extractor (model + recognizers + optional LLM fallback through the fake OpenAI server), the
ClarioScope frontier baselines through the fake Anthropic server, and the predict/redact output helpers."""

import pytest
from transformers import AutoModelForTokenClassification, AutoTokenizer

from clarioscope_pipeline.models import baselines
from clarioscope_pipeline.models.hybrid import HybridExtractor, LLMFallback
from clarioscope_pipeline.models.training import labels_of
from clarioscope_pipeline.predict import insurance_fields, redact
from pipeline_runtime.llm import LLMResource
from slmkit import metrics
from slmkit.llm.baseline import run_baseline
from slmkit.modeling.encoding import WindowSettings
from slmkit.modeling.predict import TokenTagger
from slmkit.storage import LocalArtifactStore
from tests.fakes.llm_servers import CHAT_PATH, FakeAnthropicServer, FakeOpenAIServer


class FixedTagger(TokenTagger):
    """A tagger whose model output is given: what the hybrid does with model spans is under test."""

    def __init__(self, spans):
        self.spans = spans

    def predict(self, texts):
        return [list(self.spans.get(text, [])) for text in texts]


def test_recognizer_span_replaces_an_overlapping_model_span_and_model_names_stay():
    text = "Ana Ruiz, SSN 219-09-9999, called."
    model = [{"start": 0, "end": 8, "label": "NAME", "score": 0.9}, {"start": 14, "end": 20, "label": "DATE"}]
    spans = HybridExtractor(FixedTagger({text: model}), "phi").extract([text])[0]
    assert [(s["label"], text[s["start"] : s["end"]], s["source"]) for s in spans] == [
        ("NAME", "Ana Ruiz", "model"),
        ("SSN", "219-09-9999", "recognizer"),
    ]


def test_model_spans_get_the_guides_edges_and_stay_on_one_line():
    text = "Thank you,\nJavier Mendoza\n4410 Montana Ave, El Paso, TX 79903\nseen by fayetteville, the 3rd"

    def at(value: str, label: str) -> dict[str, object]:
        return {"start": text.index(value), "end": text.index(value) + len(value), "label": label}

    model = [at("Mendoza\n4410 Montana Ave, El Paso, TX 79903", "LOC"), at("by fayetteville,", "LOC"),
             at("3", "DATE")]  # fmt: skip
    spans = HybridExtractor(FixedTagger({text: model}), "phi").extract([text])[0]
    # the signed name is the signature recognizer's
    assert [(s["label"], text[s["start"] : s["end"]]) for s in spans] == [
        ("NAME", "Javier Mendoza"), ("LOC", "4410 Montana Ave, El Paso, TX 79903"), ("LOC", "fayetteville"),
    ]  # fmt: skip


def test_llm_fallback_is_asked_only_about_unresolved_cues_and_its_cost_is_in_the_ledger(
    tmp_path, monkeypatch
):
    resolved = "Member ID: XJH448812901 for my visit."
    unresolved = "My member id is on the card, it reads kappa seven."
    with FakeOpenAIServer(api_key="sk-test-fallback") as server:
        server.content = {"entities": [{"label": "MEMBER_ID", "value": "kappa seven"}]}
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
        session = LLMResource(provider="openai", openai_api_key="sk-test-fallback").session(
            LocalArtifactStore(tmp_path)
        )
        fallback = LLMFallback(session.client, session.model, "insurance")
        hybrid = HybridExtractor(FixedTagger({}), "insurance", fallback)
        first, second = hybrid.extract([resolved, unresolved])
        assert server.count(CHAT_PATH) == 1  # the resolved message sent nothing
        body = server.requests[-1].body
    assert [s["source"] for s in first] == ["recognizer"]
    assert [(s["label"], unresolved[s["start"] : s["end"]], s["source"]) for s in second] == [
        ("MEMBER_ID", "kappa seven", "llm")
    ]
    assert "MEMBER_ID" in body["messages"][0]["content"]
    assert session.ledger.summary()["cost_usd"] > 0


def test_hybrid_refuses_the_intent_task():
    with pytest.raises(ValueError, match="no hybrid extractor"):
        HybridExtractor(FixedTagger({}), "intent")


def test_clarioscope_baseline_through_the_fake_anthropic_server_scores_the_answers(tmp_path, monkeypatch):
    texts = ["I was charged twice and nobody calls back.", "Can I book a checkup next week?"]
    with FakeAnthropicServer(api_key="sk-ant-test") as server:
        server.content = {"intent": "complaint"}
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        llm = LLMResource(provider="local", anthropic_api_key="sk-ant-test")
        session = llm.session(LocalArtifactStore(tmp_path), provider="anthropic")
        run = run_baseline(session.client, baselines.baseline_requests("intent", texts, session.model))
        again = run_baseline(session.client, baselines.baseline_requests("intent", texts, session.model))
        sent = server.count()
    assert sent == 2  # the second run came from the cache
    predicted = baselines.intent_predictions(run.outputs)
    assert predicted == ["complaint", "complaint"] == baselines.intent_predictions(again.outputs)
    report = metrics.classification_report(
        ["complaint", "appointment_request"], predicted, ["complaint", "appointment_request"]
    )
    assert report["accuracy"] == 0.5
    assert run.costs_usd == again.costs_usd and sum(run.costs_usd) > 0  # cached calls keep their cost
    assert len(again.latencies_s) == 2


def test_baseline_spans_are_located_in_the_text_and_unknown_labels_dropped():
    texts = ["Call 617-555-0142 or mail a@b.org"]
    outputs = [
        baselines.EntitiesAnswer(
            entities=[
                {"label": "PHONE", "value": "617-555-0142"},
                {"label": "PASSWORD", "value": "a@b.org"},
                {"label": "EMAIL", "value": "not@there.org"},
            ]
        )
    ]
    assert baselines.span_predictions("phi", texts, outputs) == [[{"start": 5, "end": 17, "label": "PHONE"}]]
    assert baselines.span_predictions("phi", texts, [None]) == [[]]


def test_insurance_fields_prefer_recognizer_values_and_redaction_replaces_every_span():
    text = "Member ID XJH1 / member id XJH2, copay $25"
    spans = [
        {"start": 10, "end": 14, "label": "MEMBER_ID", "score": 0.9, "source": "model"},
        {"start": 27, "end": 31, "label": "MEMBER_ID", "score": 0.5, "source": "recognizer"},
        {"start": 39, "end": 42, "label": "COPAY", "score": None, "source": "llm"},
    ]
    assert insurance_fields(text, spans) == {"COPAY": "$25", "MEMBER_ID": "XJH2"}
    assert (
        redact(text, list(reversed(spans))) == "Member ID [MEMBER_ID] / member id [MEMBER_ID], copay [COPAY]"
    )
    assert redact(text, []) == text


def test_tagger_labels_match_the_schema(tiny_base_model):
    tags = labels_of("phi")
    model = AutoModelForTokenClassification.from_pretrained(
        tiny_base_model,
        num_labels=len(tags),
        id2label=dict(enumerate(tags)),
        label2id={t: i for i, t in enumerate(tags)},
    )
    tagger = TokenTagger(model, AutoTokenizer.from_pretrained(tiny_base_model), WindowSettings(32, 8))
    spans = tagger.predict(["Jane Doe, 12 Elm St", ""])
    assert len(spans) == 2 and spans[1] == []
    assert all(s["label"] in {t[2:] for t in tags if t != "O"} for s in spans[0])
