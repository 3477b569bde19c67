"""Safe, strict YAML: the loaders sitegen reads a config and front matter with.

A module of its own, imported when a YAML text is read: importing PyYAML took about 100
million instructions (callgrind) in every run of sitegen, for corpora of text files with no
config and no front matter: a rebuild of 10,000 articles with nothing to do went from 0.71
to 0.585 s without it (medians of 8 alternating runs in a slow hour)."""

from __future__ import annotations

from typing import Any

import yaml

from sitegen.config import ValuePath, YamlProblem

# libyaml's loader when PyYAML was built with it (its wheels are): the same documents, eight
# times faster than the pure-Python one (75 against 630 µs for a five-line front matter), which
# a corpus whose articles carry front matter pays per file.
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BASE_LOADER):
    """The safe loader, stricter where PyYAML is silent or vague: a key given twice is an
    error (PyYAML kept the last value, so `draft: true` then `draft: false` published a
    draft), and a value it cannot make (the date 2026-02-30, a number of 5,000 digits) is an
    error at its line, in words for the user rather than Python's advice to programmers."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if not isinstance(node, yaml.MappingNode):  # "!!set [a]": PyYAML's own error is a crash
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, but found a {node.id}", node.start_mark
            )
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = (key_node.tag, key_node.value)  # 1 and '1' are two keys
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"{key_node.value!r} is given twice", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except CONSTRUCTOR_FAILURES as exc:
            reason = str(exc)
            if "integer string conversion" in reason:
                reason = "a number of over 4,300 digits"
            elif reason.startswith("offset must be a timedelta"):  # Python's, for "+99:00"
                reason = "a time zone offset of 24 hours or more"
            elif not isinstance(exc, ValueError) or not reason:
                # PyYAML's constructors fail so on a value of the wrong kind for its tag
                # ("!!timestamp abc", "!!int ''", "!!set [a]"): they expect what the tag says.
                reason = f"not a value of its type ({node.tag.rpartition(':')[2]})"
            raise yaml.constructor.ConstructorError(
                None, None, f"bad value: {reason}", node.start_mark
            ) from None


# How PyYAML's safe constructors fail on a value they cannot make (besides YAMLError).
CONSTRUCTOR_FAILURES = (ValueError, TypeError, KeyError, IndexError, AttributeError)


YAML_LOADER = StrictLoader


class FrontMatterLoader(StrictLoader):
    """For front matter, where every value but `date` and `draft` is text: a number or a yes
    or no is kept as written. YAML 1.1 read `title: 12:30:00` as 45000 (base 60), `title: 0777`
    as 511 and `tags: [1.10]` as 1.1, without a word; `tags: [Norway, NO]` gave the tag "False"
    and `lang: no` (Norwegian) skipped its article (the hostile-input helper). `draft` reads
    the words (`read.FLAG_WORDS`)."""


def _as_written(loader: StrictLoader, node: Any) -> str:
    return loader.construct_scalar(node)  # type: ignore[no-any-return]


for _kind in ("int", "float", "bool"):
    FrontMatterLoader.add_constructor(f"tag:yaml.org,2002:{_kind}", _as_written)


def parse_yaml(text: str, loader: type[StrictLoader] = YAML_LOADER) -> Any:
    """Safe YAML (plain data only), every failure a `YamlProblem`, never a traceback.

    Beyond syntax errors, the safe loader fails with a ValueError for values such as the date
    2026-02-30, and recurses per level of nesting: `[[[[...]]]]` a few hundred deep.
    """
    try:
        return yaml.load(text, Loader=loader)  # a safe loader: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or "cannot parse"
        if mark is None:
            raise YamlProblem(reason, None) from None
        # libyaml marks an unclosed bracket where the text ends: name the text's last line.
        last = max(0, text.count("\n") - text.endswith("\n"))
        raise YamlProblem(reason, min(mark.line, last) + 1) from None
    except RecursionError:
        raise YamlProblem("nested too deeply", None) from None
    except CONSTRUCTOR_FAILURES as exc:  # a value the loader cannot make, not located
        raise YamlProblem(f"bad value: {exc}", None) from None


def value_lines(text: str) -> dict[ValuePath, int]:
    """The line of each key and list item of the config, by its path: a warning about a value
    names where it is written. YAML's own parser knows that where a pattern over the text's
    lines would guess (an item of a list, a flow mapping, a quoted key)."""
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except (yaml.YAMLError, RecursionError):
        return {}
    lines: dict[ValuePath, int] = {}
    seen: set[int] = set()  # an alias (*name) is its anchor's node: walked once, so no loop

    def walk(node: Any, path: ValuePath) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[(*path, key.value)] = key.start_mark.line + 1
                    walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + 1
                walk(item, (*path, index))

    walk(root, ())
    return lines
