"""Providers: one structured-output call each, through the official SDKs or a local callable.

A provider sends one request and reports what came back (:class:`ProviderResponse`): the text, the
token usage, and whether the model refused or was cut off. Transport failures that the SDK's own
retries (429 with retry-after, 5xx, connection errors) did not cure raise :class:`ProviderError`,
with every credential redacted. Validation against the schema, retries of bad answers, caching and
accounting live in :mod:`slmkit.llm.client`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import anthropic
import openai
from openai.lib._pydantic import to_strict_json_schema

from slmkit.http import redact
from slmkit.llm.types import REFUSED, TRUNCATED, GenerationRequest, ProviderResponse

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_RETRIES = 4


class ProviderError(Exception):
    """A request that failed at the transport or API level (after the SDK's retries).
    ``transient``: a later run may succeed (429, 5xx, connection errors); otherwise the call is
    wrong (401, 400, …) and retrying would fail again."""

    def __init__(self, message: str, *, transient: bool, status: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.status = status


@runtime_checkable
class Provider(Protocol):
    name: str

    def complete(self, request: GenerationRequest) -> ProviderResponse: ...


def _wrap_sdk_error(
    provider: str, error: Exception, secret: str | None, status_error: type, connection_error: type
) -> ProviderError:
    if isinstance(error, status_error):
        status = int(getattr(error, "status_code", 0)) or None
        transient = status is not None and (status in (408, 409, 429) or status >= 500)
        message = f"{provider} API error {status}: {error}"
    elif isinstance(error, connection_error):
        status, transient = None, True
        message = f"{provider} connection error: {error}"
    else:
        status, transient = None, False
        message = f"{provider} error {type(error).__name__}: {error}"
    return ProviderError(redact(message, [secret]), transient=transient, status=status)


class _SdkProvider:
    """What both SDK providers share: the SDK client, built with the SDK's own env defaults for the
    base URL, its retries and timeout, and a repr that never shows the key."""

    name: str
    sdk_client: Callable[..., Any]

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: float = DEFAULT_TIMEOUT_S,
    ):
        self._api_key = api_key
        self._client = type(self).sdk_client(
            api_key=api_key, base_url=base_url, max_retries=max_retries, timeout=timeout
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._client.base_url)!r}, api_key='***')"


class OpenAIProvider(_SdkProvider):
    """Chat Completions with a strict JSON-schema response format. The SDK reads ``OPENAI_BASE_URL``
    when ``base_url`` is None; it retries 429/5xx ``max_retries`` times, honouring retry-after."""

    name = "openai"
    sdk_client = openai.OpenAI
    _client: openai.OpenAI

    def complete(self, request: GenerationRequest) -> ProviderResponse:
        kwargs: dict[str, Any] = dict(request.parameters)
        if request.temperature is not None:
            kwargs["temperature"] = request.temperature
        if request.schema is not None:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": request.schema.__name__,
                    "schema": to_strict_json_schema(request.schema),
                    "strict": True,
                },
            }
        try:
            completion = self._client.chat.completions.create(
                model=request.model,
                messages=[dict(m) for m in request.messages],  # type: ignore[misc]
                max_completion_tokens=request.max_tokens,
                **kwargs,
            )
        except openai.OpenAIError as error:
            raise _wrap_sdk_error(
                self.name, error, self._api_key, openai.APIStatusError, openai.APIConnectionError
            ) from None
        raw = completion.model_dump(mode="json")
        usage = completion.usage
        tokens_in = usage.prompt_tokens if usage else 0
        tokens_out = usage.completion_tokens if usage else 0
        if not completion.choices:
            return ProviderResponse(text=None, raw=raw, input_tokens=tokens_in, output_tokens=tokens_out)
        choice = completion.choices[0]
        message = choice.message
        if message.refusal or choice.finish_reason == "content_filter":
            return ProviderResponse(
                text=None,
                raw=raw,
                problem=REFUSED,
                detail=message.refusal or "content_filter",
                input_tokens=tokens_in,
                output_tokens=tokens_out,
            )
        if choice.finish_reason == "length":
            return ProviderResponse(
                text=message.content,
                raw=raw,
                problem=TRUNCATED,
                detail="finish_reason=length",
                input_tokens=tokens_in,
                output_tokens=tokens_out,
            )
        return ProviderResponse(
            text=message.content, raw=raw, input_tokens=tokens_in, output_tokens=tokens_out
        )


class AnthropicProvider(_SdkProvider):
    """Messages API with structured outputs (``output_config.format`` JSON schema, which this SDK
    supports). The SDK reads ``ANTHROPIC_BASE_URL`` when ``base_url`` is None; it retries 429/5xx
    ``max_retries`` times, honouring retry-after. System messages go to the ``system`` parameter."""

    name = "anthropic"
    sdk_client = anthropic.Anthropic
    _client: anthropic.Anthropic

    def complete(self, request: GenerationRequest) -> ProviderResponse:
        kwargs: dict[str, Any] = dict(request.parameters)
        if request.temperature is not None:
            # This SDK's `create` has no `temperature` argument; models that still accept it get it raw.
            kwargs["extra_body"] = {"temperature": request.temperature}
        system = "\n\n".join(m["content"] for m in request.messages if m["role"] == "system")
        if system:
            kwargs["system"] = system
        if request.schema is not None:
            kwargs["output_config"] = {
                "format": {"type": "json_schema", "schema": anthropic.transform_schema(request.schema)}
            }
        messages = [
            {"role": m["role"], "content": m["content"]} for m in request.messages if m["role"] != "system"
        ]
        try:
            message = self._client.messages.create(
                model=request.model,
                max_tokens=request.max_tokens,
                messages=messages,  # type: ignore[arg-type]
                **kwargs,
            )
        except anthropic.AnthropicError as error:
            raise _wrap_sdk_error(
                self.name, error, self._api_key, anthropic.APIStatusError, anthropic.APIConnectionError
            ) from None
        raw = message.model_dump(mode="json")
        tokens_in, tokens_out = message.usage.input_tokens, message.usage.output_tokens
        text = "".join(block.text for block in message.content if block.type == "text") or None
        if message.stop_reason == "refusal":
            return ProviderResponse(
                text=None,
                raw=raw,
                problem=REFUSED,
                detail="stop_reason=refusal",
                input_tokens=tokens_in,
                output_tokens=tokens_out,
            )
        if message.stop_reason in ("max_tokens", "model_context_window_exceeded"):
            detail = f"stop_reason={message.stop_reason}"
            return ProviderResponse(
                text=text,
                raw=raw,
                problem=TRUNCATED,
                detail=detail,
                input_tokens=tokens_in,
                output_tokens=tokens_out,
            )
        return ProviderResponse(text=text, raw=raw, input_tokens=tokens_in, output_tokens=tokens_out)


class LocalProvider:
    """Offline and free: ``generate(request) -> dict`` produces the answer (the local generators
    plug in here). Deterministic as long as ``generate`` is a function of the request; it can
    seed itself with ``request.seed()``. An exception from ``generate`` propagates (a bug, not a
    bad answer)."""

    name = "local"

    def __init__(self, generate: Callable[[GenerationRequest], dict[str, Any]]):
        self._generate = generate

    def __repr__(self) -> str:
        return f"LocalProvider({getattr(self._generate, '__qualname__', self._generate)!r})"

    def complete(self, request: GenerationRequest) -> ProviderResponse:
        answer = self._generate(request)
        text = json.dumps(answer, ensure_ascii=False)
        return ProviderResponse(text=text, raw={"generator": repr(self), "answer": answer})
