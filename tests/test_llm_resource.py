"""The LLM resource: stated fallback, configurable prices, keys kept out of its repr."""

from pipeline_runtime.llm import LLMResource
from slmkit.storage import LocalArtifactStore


def test_prices_can_be_added_per_provider_and_model(tmp_path):
    resource = LLMResource(provider="local", prices={"openai/gpt-9": [1.0, 2.0]})
    session = resource.session(LocalArtifactStore(tmp_path), lambda request: {})
    assert session.ledger.prices.price("openai", "gpt-9") == (1.0, 2.0)
    assert session.ledger.prices.price("openai", "gpt-4.1-mini") == (0.40, 1.60)  # defaults kept


def test_a_requested_provider_without_its_key_falls_back_to_local_with_a_reason(monkeypatch):
    monkeypatch.delenv("LLM_PROVIDER", raising=False)
    selection = LLMResource(provider="openai").selection()
    assert selection.provider == "local"
    assert selection.reason == "openai requested but OPENAI_API_KEY is not set: using local"
    assert LLMResource().selection().provider == "local" and LLMResource().selection().reason is None


def test_repr_never_shows_keys():
    resource = LLMResource(openai_api_key="sk-secret-1", anthropic_api_key="sk-ant-secret-2")
    for text in (repr(resource), str(resource)):
        assert "secret" not in text


def test_generate_all_stops_at_the_dollar_cap_before_sending(tmp_path, monkeypatch):
    from clarioscope_pipeline.generation.llm import GeneratedMessage, plan_message_requests
    from tests.fakes.llm_servers import CHAT_PATH, FakeOpenAIServer

    with FakeOpenAIServer(api_key="sk-test") as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
        # 600 output tokens at $1.60 per million cost more than the cap allows for even one request.
        resource = LLMResource(provider="openai", openai_api_key="sk-test", budget_usd=0.0001)
        session = resource.session(LocalArtifactStore(tmp_path))
        requests = plan_message_requests("phi", "A", 5, seed=0, model=session.model)
        logged: list[str] = []
        pairs, stop = session.generate_all(requests, GeneratedMessage, log=logged.append)
        assert pairs == [] and stop and "budget" in logged[0]
        assert server.count(CHAT_PATH) == 0
