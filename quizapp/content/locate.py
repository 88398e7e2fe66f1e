"""Turn pydantic's error `loc` tuples into a YAML node's position and a readable message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import yaml
from pydantic import BaseModel, ValidationError

from quizapp.content.models import DOC_HOSTS, DOC_URL, ID_PATTERN, NOT_BLANK, TASK_PATTERN
from quizapp.content.problems import Problem
from quizapp.content.yamlrules import unsafe_message
from quizapp.textsafe import first_unsafe

_ITEM_LISTS = {"questions", "case_studies", "cards", "domains", "tasks"}


def _known_keys(models: Iterable[type[BaseModel]]) -> set[str]:
    keys: set[str] = set()
    for model in models:
        keys.update(model.model_fields)
    return keys


def _describe(error: dict, known_keys: set[str]) -> str:
    kind = error["type"]
    last = error["loc"][-1] if error["loc"] else None
    if kind == "missing":
        return f"missing required key {last!r}"
    if kind == "extra_forbidden":
        guess = difflib.get_close_matches(str(last), known_keys, n=1, cutoff=0.75)
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        return f"unknown key {last!r}{hint}"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        return f"type {ctx.get('tag')!r} is not one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "missing required key 'type' (single, multi, ordering or matching)"
    if kind == "string_pattern_mismatch":
        pattern, value = error.get("ctx", {}).get("pattern"), error.get("input")
        unsafe = first_unsafe(value) if isinstance(value, str) else None
        if unsafe is not None:
            return unsafe_message(value[unsafe])
        if pattern == NOT_BLANK:
            return "text must not be empty"
        if pattern == ID_PATTERN.pattern:
            return f"id {value!r} must be lowercase letters and digits joined by '-', '.' or '_'"
        if pattern == TASK_PATTERN.pattern:
            return f'task {value!r} must look like "1.2"'
        if pattern == DOC_URL:
            return f"url {value!r} must be https:// on {', '.join(DOC_HOSTS)} (or a subdomain)"

    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        value = error.get("input")
        return f"expected a date written YYYY-MM-DD without quotes, got {value!r}"
    if kind == "model_type" and len(error["loc"]) >= 2 and error["loc"][-2] == "refs":
        return "a reference needs a title and a url, e.g. {title: ..., url: https://docs.aws.amazon.com/...}"
    if kind == "string_type":
        value = error.get("input")
        if isinstance(value, bool):
            return f'expected text, but YAML read a boolean ({str(value).lower()}); quote it, e.g. "yes"'
        return f"expected text, got {type(value).__name__} {value!r}"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _walk(root: yaml.Node, loc: tuple) -> tuple[yaml.Node, yaml.Node | None, list[str], str | None]:
    """Follow `loc` through the node tree as far as it goes.

    Parts that are not in the document (a discriminated union's tag, a missing key) are skipped, so
    the result is the deepest node that exists: the offending value, or the mapping that lacks a key.
    """
    node, key_node, path, item_id = root, None, [], None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    key_node, node = k, v
                    path.append(str(part))
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node, key_node = node.value[part], None
            if path and path[-1] in _ITEM_LISTS and isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == "id" and isinstance(v, yaml.ScalarNode):
                        item_id = v.value
            path.append(f"[{part}]")
    return node, key_node, path, item_id


def problems_from(
    exc: ValidationError, root: yaml.Node, path: str, models: Iterable[type[BaseModel]]
) -> list[Problem]:
    """One Problem per pydantic error, positioned on the YAML node it concerns."""
    known = _known_keys(models)
    out = []
    for error in exc.errors(include_url=False):
        node, key_node, trail, item_id = _walk(root, tuple(error["loc"]))
        mark = (
            key_node.start_mark
            if error["type"] == "extra_forbidden" and key_node is not None
            else node.start_mark
        )
        where = "".join(f".{p}" if not p.startswith("[") else p for p in trail).lstrip(".")
        prefix = f"{item_id}: " if item_id else ""
        detail = _describe(error, known)
        message = f"{prefix}{where}: {detail}" if where else f"{prefix}{detail}"
        out.append(Problem(path, mark.line + 1, mark.column + 1, message))
    return out
