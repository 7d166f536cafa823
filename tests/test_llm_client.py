"""The generation client offline: local provider, cache layout, ledger, provider selection."""

from __future__ import annotations

import json
import random

import pytest
from pydantic import BaseModel

from slmkit.llm import (
    DEFAULT_PRICES,
    Budget,
    BudgetExceeded,
    GenerationClient,
    GenerationRequest,
    Ledger,
    LocalProvider,
    PriceTable,
    Provider,
    ResponseCache,
    build_provider,
    select_provider,
)
from slmkit.llm.ledger import estimate_input_tokens
from slmkit.storage import LocalArtifactStore


class Greeting(BaseModel):
    text: str
    seed: int


def greet(request: GenerationRequest) -> dict:
    rng = random.Random(request.seed())
    return {"text": rng.choice(["hi", "hello", "hey"]) + f" #{request.sample_index}", "seed": request.seed()}


class Counting:
    def __init__(self, answer):
        self.calls = 0
        self.answer = answer

    def __call__(self, request):
        self.calls += 1
        return self.answer(request) if callable(self.answer) else self.answer


def request(sample_index: int = 0, **kwargs) -> GenerationRequest:
    return GenerationRequest(
        model="local-a",
        messages=[{"role": "user", "content": "greet"}],
        schema=Greeting,
        sample_index=sample_index,
        **kwargs,
    )


@pytest.fixture
def cache(tmp_path):
    return ResponseCache(LocalArtifactStore(tmp_path / "artifacts"))


def test_local_provider_is_deterministic_and_free(cache):
    provider = LocalProvider(greet)
    assert isinstance(provider, Provider)
    one = GenerationClient(provider).generate(request(3))
    two = GenerationClient(provider).generate(request(3))
    assert one.ok and one.output == two.output and one.cost_usd == 0.0
    assert GenerationClient(provider).generate(request(4)).output != one.output
    budget = Budget(0.0)  # local calls cost nothing, so a zero cap still admits them
    assert GenerationClient(provider, budget=budget).generate(request(5)).ok


def test_local_calls_are_cached_in_sharded_readable_files(cache):
    generate = Counting(greet)
    client = GenerationClient(LocalProvider(generate), cache=cache)
    result = client.generate(request())
    assert client.generate(request()).cached and generate.calls == 1
    key = result.cache_key
    path = cache.store.path(f"llm_cache/{key[:2]}/{key[2:4]}/{key}.json")
    entry = json.loads(path.read_text())
    assert entry["key"] == key and entry["ok"] and entry["output"] == result.data
    assert entry["request"]["schema_name"] == "Greeting" and entry["request"]["sample_index"] == 0
    assert set(entry) >= {"response", "attempts", "input_tokens", "output_tokens", "latency_s", "created_at"}
    assert len(cache) == 1


def test_cache_key_covers_every_input():
    base = request()
    keys = {
        base.cache_key("local"),
        base.cache_key("openai"),
        request(1).cache_key("local"),
        request(temperature=0.7).cache_key("local"),
        request(max_tokens=5).cache_key("local"),
        request(parameters={"top_p": 0.5}).cache_key("local"),
        GenerationRequest(model="other", messages=base.messages, schema=Greeting).cache_key("local"),
        GenerationRequest(
            model="local-a", messages=[{"role": "user", "content": "x"}], schema=Greeting
        ).cache_key("local"),
    }
    assert len(keys) == 8
    assert request().cache_key("local") == base.cache_key("local")  # stable


def test_local_bad_answers_are_dropped_and_counted(cache):
    generate = Counting({"text": "no seed"})
    ledger = Ledger()
    result = GenerationClient(LocalProvider(generate), cache=cache, ledger=ledger, max_attempts=2).generate(
        request()
    )
    assert not result.ok and result.reason == "malformed" and generate.calls == 2
    assert ledger.total_dropped == 1 and "malformed: 1" in ledger.markdown()


def test_a_changed_schema_under_the_same_cache_key_is_a_miss(cache):
    generate = Counting(greet)
    client = GenerationClient(LocalProvider(generate), cache=cache)
    key = client.generate(request()).cache_key
    entry = cache.get(key)
    cache.put(key, {**entry, "output": {"text": 1}})
    assert client.generate(request()).ok and generate.calls == 2


def test_ledger_summary_and_markdown():
    prices = PriceTable.default().with_prices({("openai", "tiny"): (1.0, 4.0)})
    ledger = Ledger(prices)
    assert ledger.record_request("openai", "tiny", 1_000_000, 500_000) == pytest.approx(3.0)
    ledger.record_outcome("openai", "tiny", reason=None, retries=0)
    ledger.record_cache_hit("openai", "tiny")
    summary = ledger.summary()
    assert summary["cost_usd"] == 3.0 and summary["requests"] == 1 and summary["cache_hits"] == 1
    assert summary["models"][0]["ok"] == 1
    assert "| openai | tiny | 1 | 1 | 1000000 | 500000 | 3.0000 | 1 | 0 |" in ledger.markdown()
    assert ("openai", "gpt-4o-mini") in DEFAULT_PRICES


def test_budget_estimate_bounds_the_prompt():
    req = request(max_tokens=100)
    assert estimate_input_tokens(req) >= len(json.dumps(req.messages))
    budget = Budget(1.0)
    budget.reserve(0.5)
    budget.settle(0.5, 0.4)
    budget.reserve(0.5)  # in flight: 0.4 spent + 0.5 reserved
    with pytest.raises(BudgetExceeded):
        budget.reserve(0.2)
    budget.reserve(0.1)
    budget.settle(0.5, 0.3)
    budget.settle(0.1, 0.1)
    assert budget.spent_usd == pytest.approx(0.8) and budget.reserved_usd == pytest.approx(0.0)


def test_a_failed_request_releases_its_reservation():
    def broken(request):
        raise RuntimeError("generator bug")

    prices = PriceTable({("local", "local-a"): (0.0, 0.0)})
    budget = Budget(1.0)
    with pytest.raises(RuntimeError):
        GenerationClient(LocalProvider(broken), ledger=Ledger(prices), budget=budget).generate(request())
    assert budget.reserved_usd == 0.0 and budget.spent_usd == 0.0


def test_select_provider():
    assert select_provider(None, {}).provider == "local"
    assert select_provider(None, {}).reason is None
    assert select_provider(None, {"LLM_PROVIDER": "openai", "OPENAI_API_KEY": "k"}).provider == "openai"
    assert select_provider("anthropic", {"LLM_PROVIDER": "openai", "ANTHROPIC_API_KEY": "k"}).provider == (
        "anthropic"
    )
    fallback = select_provider("openai", {"ANTHROPIC_API_KEY": "k"})
    assert (fallback.provider, fallback.requested) == ("local", "openai")
    assert fallback.reason == "openai requested but OPENAI_API_KEY is not set: using local"
    assert select_provider(None, {"LLM_PROVIDER": "anthropic"}).reason == (
        "anthropic requested but ANTHROPIC_API_KEY is not set: using local"
    )
    with pytest.raises(ValueError, match="unknown LLM provider"):
        select_provider("gemini", {})


def test_build_provider_keeps_the_key_out_of_repr():
    secret = "sk-SECRET-build-123"
    env = {"OPENAI_API_KEY": secret, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    provider = build_provider(select_provider("openai", env), env)
    assert provider.name == "openai" and secret not in repr(provider)
    assert build_provider(select_provider(None, {}), {}, local_generate=greet).name == "local"
    with pytest.raises(ValueError):
        build_provider(select_provider(None, {}), {})
