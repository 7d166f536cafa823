"""Fake OpenAI-compatible (``POST /v1/chat/completions``) and Anthropic-compatible
(``POST /v1/messages``) servers on 127.0.0.1, for driving the real SDKs in tests.

Usage::

    with FakeOpenAIServer(api_key="sk-test") as server:
        server.content = {"name": "x", "count": 1}            # what a "valid" answer holds
        server.script("malformed", "429", "valid")            # consumed in order by the next requests
        # point the SDK at server.base_url + "/v1" (Anthropic: server.base_url)
        server.count(CHAT_PATH)                               # requests received there

Scripted answers (anything not scripted is "valid"):

- ``valid``: the JSON of ``content`` (or of the payload of a ``("valid", {...})`` tuple);
- ``malformed``: text that is not JSON; ``invalid``: JSON the schema rejects;
- ``refusal``: the model declines; ``truncated``: cut at max tokens (partial JSON);
- ``429``: rate limited, with ``retry-after`` = ``retry_after_s``; ``500``: server error.

A wrong or missing key gets 401 with the key echoed in the error message (as real services echo part
of it), so tests can check the client redacts it. Every request is counted, whatever its answer.
"""

from __future__ import annotations

import collections
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, cast

from tests.fakes._http import Handler, LocalHTTPServer

CHAT_PATH = "/v1/chat/completions"
MESSAGES_PATH = "/v1/messages"
ANSWERS = frozenset({"valid", "malformed", "invalid", "refusal", "truncated", "429", "500"})
MALFORMED_TEXT = '{"name": "unterminated'
INVALID_JSON = {"unexpected": True}
TRUNCATED_TEXT = '{"name": "cut off mid'
REFUSAL_TEXT = "I can't help with that."


@dataclass
class ReceivedRequest:
    path: str
    body: dict[str, Any]
    answer: str
    key_ok: bool
    arrived: float = field(default_factory=time.monotonic)
    status: int | None = None


class _FakeLLMServer(LocalHTTPServer):
    path: str = ""

    def __init__(self, api_key: str = "sk-test-key", *, usage: tuple[int, int] = (50, 10)):
        super().__init__()
        handler_class = cast(type, self._httpd.RequestHandlerClass)
        self._httpd.RequestHandlerClass = type("PostHandler", (handler_class,), {"do_POST": _do_post})
        self.api_key = api_key
        self.usage = usage  # (input tokens, output tokens) reported per answer
        self.content: dict[str, Any] = {"name": "default", "count": 1}
        self.retry_after_s = 0.05
        self._script: collections.deque[str | tuple[str, dict[str, Any]]] = collections.deque()
        self._script_lock = threading.Lock()

    def script(self, *answers: str | tuple[str, dict[str, Any]]) -> None:
        for answer in answers:
            name = answer[0] if isinstance(answer, tuple) else answer
            if name not in ANSWERS:
                raise ValueError(f"unknown answer {name!r}")
        with self._script_lock:
            self._script.extend(answers)

    def _next(self) -> tuple[str, dict[str, Any]]:
        with self._script_lock:
            answer = self._script.popleft() if self._script else "valid"
        if isinstance(answer, tuple):
            return answer
        return answer, self.content

    def handle(self, handler: Handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {}
        path = handler.path.split("?", 1)[0]
        presented = self.presented_key(handler)
        key_ok = presented == self.api_key
        answer, content = self._next() if key_ok and path == self.path else ("", {})
        request = ReceivedRequest(path=path, body=body, answer=answer, key_ok=key_ok)
        self.log(request)
        if handler.command != "POST" or path != self.path:
            request.status = 404
            handler.reply_json(404, self.error("not_found_error", f"no route {path}"))
        elif not key_ok:
            request.status = 401
            handler.reply_json(
                401, self.error("authentication_error", f"Incorrect API key provided: {presented}")
            )
        elif answer == "429":
            request.status = 429
            payload = json.dumps(self.error("rate_limit_error", "Rate limit reached")).encode()
            headers = {"Content-Type": "application/json", "retry-after": str(self.retry_after_s)}
            handler.reply(429, payload, headers)
        elif answer == "500":
            request.status = 500
            handler.reply_json(500, self.error("api_error", "Internal server error"))
        else:
            request.status = 200
            handler.reply_json(200, self.answer(body, answer, content))

    # -- per API -----------------------------------------------------------------------------------

    def presented_key(self, handler: Handler) -> str | None:
        raise NotImplementedError

    def error(self, kind: str, message: str) -> dict[str, Any]:
        raise NotImplementedError

    def answer(self, body: dict[str, Any], answer: str, content: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


def _do_post(self: Handler) -> None:
    self.server.fake.handle(self)  # type: ignore[attr-defined]


def _text_for(answer: str, content: dict[str, Any]) -> str | None:
    return {
        "valid": json.dumps(content),
        "malformed": MALFORMED_TEXT,
        "invalid": json.dumps(INVALID_JSON),
        "truncated": TRUNCATED_TEXT,
        "refusal": None,
    }[answer]


class FakeOpenAIServer(_FakeLLMServer):
    path = CHAT_PATH
    thread_name = "fake-openai"

    def presented_key(self, handler: Handler) -> str | None:
        auth = handler.headers.get("Authorization") or ""
        return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None

    def error(self, kind: str, message: str) -> dict[str, Any]:
        return {"error": {"message": message, "type": kind, "param": None, "code": None}}

    def answer(self, body: dict[str, Any], answer: str, content: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": _text_for(answer, content)}
        message["refusal"] = REFUSAL_TEXT if answer == "refusal" else None
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_764_000_000,
            "model": body.get("model", "unknown"),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "length" if answer == "truncated" else "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": self.usage[0],
                "completion_tokens": self.usage[1],
                "total_tokens": sum(self.usage),
            },
        }


class FakeAnthropicServer(_FakeLLMServer):
    path = MESSAGES_PATH
    thread_name = "fake-anthropic"

    def presented_key(self, handler: Handler) -> str | None:
        # Older SDKs send ``x-api-key``; this one sends the key as a bearer token.
        auth = handler.headers.get("Authorization") or ""
        return handler.headers.get("x-api-key") or (auth.removeprefix("Bearer ") if auth else None)

    def error(self, kind: str, message: str) -> dict[str, Any]:
        return {"type": "error", "error": {"type": kind, "message": message}}

    def answer(self, body: dict[str, Any], answer: str, content: dict[str, Any]) -> dict[str, Any]:
        text = _text_for(answer, content)
        stop_reason = {"refusal": "refusal", "truncated": "max_tokens"}.get(answer, "end_turn")
        return {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "unknown"),
            "content": [{"type": "text", "text": text}] if text is not None else [],
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": self.usage[0], "output_tokens": self.usage[1]},
        }
