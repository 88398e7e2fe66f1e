"""JSON Schemas of the bank files, for editors (yaml-language-server) and CI checks."""

from __future__ import annotations

from pydantic import BaseModel

from quizapp.content.models import Blueprint, Deck, QuestionFile

_MODELS: dict[str, type[BaseModel]] = {
    "questions": QuestionFile,
    "flashcards": Deck,
    "blueprint": Blueprint,
}


def json_schema(kind: str = "questions") -> dict[str, object]:
    schema = _MODELS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault("title", f"quizapp {kind} file")
    return schema
