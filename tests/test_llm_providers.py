"""The generation layer through the real OpenAI and Anthropic SDKs, pointed at local fakes."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import BaseModel

from slmkit.llm import (
    AnthropicProvider,
    Budget,
    BudgetExceeded,
    GenerationClient,
    GenerationRequest,
    Ledger,
    OpenAIProvider,
    PriceTable,
    ProviderError,
    ResponseCache,
    UnknownPrice,
)
from slmkit.storage import LocalArtifactStore
from tests.fakes.llm_servers import CHAT_PATH, MESSAGES_PATH, FakeAnthropicServer, FakeOpenAIServer

KEY = "sk-SECRET-llm-key-7f3a91"
MODEL = {"openai": "gpt-fake", "anthropic": "claude-fake"}


class Item(BaseModel):
    name: str
    count: int


class Harness:
    def __init__(self, name, server, path, provider, tmp_path):
        self.name, self.server, self.path, self.provider = name, server, path, provider
        self.cache = ResponseCache(LocalArtifactStore(tmp_path / "artifacts"))
        self.prices = PriceTable({(name, MODEL[name]): (1.0, 2.0)})

    def client(self, **kwargs) -> GenerationClient:
        kwargs.setdefault("cache", self.cache)
        kwargs.setdefault("ledger", Ledger(self.prices))
        return GenerationClient(self.provider, **kwargs)

    def request(self, text: str = "Make one item.", **kwargs) -> GenerationRequest:
        return GenerationRequest(
            model=MODEL[self.name],
            messages=[{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": text}],
            schema=Item,
            **kwargs,
        )

    @property
    def sent(self) -> int:
        return self.server.count(self.path)


def make_provider(name: str, key: str = KEY, **kwargs):
    cls = OpenAIProvider if name == "openai" else AnthropicProvider
    kwargs.setdefault("max_retries", 2)
    kwargs.setdefault("timeout", 5.0)
    return cls(key, **kwargs)


@pytest.fixture(params=["openai", "anthropic"])
def llm(request, monkeypatch, tmp_path):
    name = request.param
    if name == "openai":
        server, path = FakeOpenAIServer(api_key=KEY), CHAT_PATH
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
    else:
        server, path = FakeAnthropicServer(api_key=KEY), MESSAGES_PATH
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
    with server:
        yield Harness(name, server, path, make_provider(name), tmp_path)


def test_valid_structured_output_is_parsed(llm):
    llm.server.content = {"name": "widget", "count": 3}
    result = llm.client().generate(llm.request())
    assert result.ok and not result.cached and result.attempts == 1
    assert result.output == Item(name="widget", count=3)
    assert (result.input_tokens, result.output_tokens) == (50, 10)
    assert result.cost_usd == pytest.approx((50 * 1.0 + 10 * 2.0) / 1e6)
    body = llm.server.requests[0].body
    if llm.name == "openai":
        fmt = body["response_format"]
        assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
        assert fmt["json_schema"]["name"] == "Item"
        assert fmt["json_schema"]["schema"]["additionalProperties"] is False
        assert body["max_completion_tokens"] == 1024
    else:
        assert body["output_config"]["format"]["type"] == "json_schema"
        assert body["system"] == "Answer in JSON."
        assert [m["role"] for m in body["messages"]] == ["user"]


def test_temperature_reaches_the_provider(llm):
    # The Anthropic SDK's `create` has no `temperature` argument any more: it must still be sent.
    llm.server.content = {"name": "widget", "count": 3}
    assert llm.client().generate(llm.request(temperature=0.9)).ok
    assert llm.server.requests[0].body["temperature"] == 0.9


def test_cache_hit_sends_nothing_and_survives_a_new_client(llm):
    first = llm.client().generate(llm.request())
    assert llm.sent == 1
    ledger = Ledger(llm.prices)
    fresh_cache = ResponseCache(LocalArtifactStore(llm.cache.store.root))  # another run, same disk
    again = GenerationClient(llm.provider, cache=fresh_cache, ledger=ledger).generate(llm.request())
    assert llm.sent == 1
    assert again.cached and again.ok and again.output == first.output
    assert ledger.summary()["cache_hits"] == 1 and ledger.total_requests == 0
    # A different sample index is a different key: one more request.
    llm.client().generate(llm.request(sample_index=1))
    assert llm.sent == 2
    entry = llm.cache.get(first.cache_key)
    assert entry is not None and entry["request"]["model"] == MODEL[llm.name]
    assert entry["output"] == first.data and entry["input_tokens"] == 50 and entry["created_at"]


@pytest.mark.parametrize("answer", ["malformed", "invalid", "refusal", "truncated"])
def test_bad_answers_are_retried_then_dropped_and_counted(llm, answer):
    llm.server.script(answer, answer, answer)
    ledger = Ledger(llm.prices)
    result = llm.client(ledger=ledger, max_attempts=3).generate(llm.request())
    expected = {"invalid": "malformed"}.get(answer, answer if answer != "refusal" else "refused")
    assert not result.ok and result.reason == expected and result.output is None
    assert result.attempts == 3 and llm.sent == 3
    assert ledger.summary()["models"][0]["dropped"] == {expected: 1}
    assert ledger.summary()["requests"] == 3 and ledger.summary()["models"][0]["retries"] == 2
    # The drop is cached too: re-running the same request sends nothing.
    assert llm.client().generate(llm.request()).reason == expected
    assert llm.sent == 3


def test_a_bad_answer_then_a_good_one_succeeds(llm):
    llm.server.script("malformed", "refusal")
    result = llm.client(max_attempts=3).generate(llm.request())
    assert result.ok and result.attempts == 3 and llm.sent == 3
    assert [a["reason"] for a in llm.cache.get(result.cache_key)["attempts"]] == [
        "malformed",
        "refused",
        None,
    ]


def test_429_is_retried_by_the_sdk_after_retry_after(llm):
    llm.server.retry_after_s = 0.05
    llm.server.script("429")
    result = llm.client().generate(llm.request())
    assert result.ok and result.attempts == 1
    first, second = llm.server.requests
    assert (first.status, second.status) == (429, 200)
    gap = second.arrived - first.arrived
    # The SDK's own backoff would wait at least 0.375 s; it waited what the server asked.
    assert 0.05 <= gap < 0.3


def test_500_is_retried_by_the_sdk_and_persistent_failure_raises_transient(llm):
    llm.server.script("500")
    assert llm.client().generate(llm.request()).ok
    assert llm.sent == 2
    client = GenerationClient(make_provider(llm.name, max_retries=0), cache=llm.cache)
    llm.server.script("500")
    with pytest.raises(ProviderError) as caught:
        client.generate(llm.request("another prompt"))
    assert caught.value.transient and caught.value.status == 500
    assert client.ledger.total_requests == 0  # an unanswered request is not billed
    assert llm.cache.get(llm.request("another prompt").cache_key(llm.name)) is None  # not cached


def test_budget_stops_before_it_would_be_exceeded(llm):
    # $1 per output token, inputs free: each request is estimated at max_tokens=10 -> $10 and
    # billed at the 4 output tokens the server reports -> $4.
    llm.server.usage = (50, 4)
    prices = PriceTable({(llm.name, MODEL[llm.name]): (0.0, 1_000_000.0)})
    budget = Budget(cap_usd=15.0)
    client = llm.client(ledger=Ledger(prices), budget=budget)
    assert client.generate(llm.request("one", max_tokens=10)).ok  # 0 + 10 <= 15, spent 4
    assert client.generate(llm.request("two", max_tokens=10)).ok  # 4 + 10 <= 15, spent 8
    with pytest.raises(BudgetExceeded) as caught:
        client.generate(llm.request("three", max_tokens=10))  # 8 + 10 > 15: not sent
    assert llm.sent == 2
    assert budget.spent_usd == pytest.approx(8.0) and budget.spent_usd <= budget.cap_usd
    assert caught.value.estimate_usd == pytest.approx(10.0)
    # A cached request still answers once the budget is spent.
    assert client.generate(llm.request("one", max_tokens=10)).cached


def test_budget_counts_retries_of_bad_answers(llm):
    llm.server.usage = (0, 4)
    prices = PriceTable({(llm.name, MODEL[llm.name]): (0.0, 1_000_000.0)})
    budget = Budget(cap_usd=15.0)
    llm.server.script("malformed", "malformed", "malformed")
    with pytest.raises(BudgetExceeded):
        llm.client(ledger=Ledger(prices), budget=budget, max_attempts=3).generate(llm.request(max_tokens=10))
    assert llm.sent == 2 and budget.spent_usd == pytest.approx(8.0)


def test_unpriced_model_is_refused_before_sending(llm):
    client = llm.client(ledger=Ledger(PriceTable({})), budget=Budget(100.0))
    with pytest.raises(UnknownPrice, match="add it to the price table"):
        client.generate(llm.request())
    assert llm.sent == 0


def test_key_never_leaks(llm, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    for name in ("openai", "anthropic", "httpx2", "httpcore", "slmkit"):
        caplog.set_level(logging.DEBUG, logger=name)
    llm.server.script("malformed", "429")
    client = llm.client()
    assert client.generate(llm.request()).ok
    assert KEY not in repr(llm.provider) and KEY not in repr(client)

    wrong = "sk-SECRET-wrong-key-0c44e2"
    bad_client = GenerationClient(make_provider(llm.name, key=wrong), cache=llm.cache)
    with pytest.raises(ProviderError) as caught:
        bad_client.generate(llm.request("rejected"))
    assert caught.value.status == 401 and not caught.value.transient
    assert "Incorrect API key provided: ***" in str(caught.value)  # the server echoed it; redacted

    assert caught.value.__cause__ is None
    assert any(r.name.startswith(llm.name) for r in caplog.records)  # the SDK's debug log was captured
    for secret in (KEY, wrong):
        assert secret not in str(caught.value) and secret not in repr(caught.value)
        assert secret not in caplog.text
        for record in caplog.records:
            assert secret not in record.getMessage()
        for path in (tmp_path / "artifacts").rglob("*"):
            if path.is_file():
                assert secret not in path.read_text()


def test_budget_holds_with_concurrent_requests(llm):
    llm.server.usage = (0, 4)
    prices = PriceTable({(llm.name, MODEL[llm.name]): (0.0, 1_000_000.0)})
    budget = Budget(cap_usd=25.0)
    client = llm.client(ledger=Ledger(prices), budget=budget)

    def one(i):
        try:
            return client.generate(llm.request(f"prompt {i}", max_tokens=10)).ok
        except BudgetExceeded:
            return False

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(one, range(8)))
    assert budget.spent_usd <= budget.cap_usd and budget.reserved_usd == 0.0
    assert sum(outcomes) == llm.sent >= 2  # at most two requests are ever in flight under a $25 cap
