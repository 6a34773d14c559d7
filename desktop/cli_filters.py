"""The filters of ``dossier search`` (--tag, --source, --language, --entity, --since, --until):
read from the command line, the tags and entities named as the library spells them, and the one
filter that matches nothing named on stderr."""

from __future__ import annotations

import argparse

from desktop.cli_common import UsageError


def _entity_parts(entity: str) -> tuple[str, str]:
    """``("PERSON", "Zhang Qiang")`` of ``--entity person:Zhang Qiang``."""
    label, sep, name = entity.partition(":")
    if not sep or not label or not name:
        raise UsageError(f"--entity takes LABEL:NAME, e.g. PERSON:Zhang Qiang (got {entity!r})")
    return label.upper(), name


def search_filters(args: argparse.Namespace):
    """The ``Filters`` the options of ``dossier search`` ask for."""
    from desktop.core.search import Filters

    filters = Filters()
    for tag in args.tag:
        filters = filters.including("tag", tag)
    for source in args.source:
        filters = filters.including("source", source)
    for language in args.language:
        filters = filters.including("language", language)
    for entity in args.entity:
        label, name = _entity_parts(entity)
        filters = filters.including(f"entity:{label}", name)
    if args.since and args.until and args.since > args.until + "~":  # "~" sorts after any -MM-DD
        raise UsageError(f"--since {args.since} is later than --until {args.until}")
    if args.since or args.until:
        filters = filters.with_dates(args.since, args.until)
    return filters


def _stored_tag_name(library, name: str) -> str:
    """The name of the tag ``name`` (in any case) as the library spells it; ``name`` itself when
    no tag has it."""
    from desktop.core.errors import InvalidInput
    from desktop.core.tags import find_tag

    try:
        found = find_tag(library.db, name)
    except InvalidInput:  # not a tag's name at all ("a//b"): no article has it
        return name
    return found["name"] if found else name


def _stored_entity(library, entity: str) -> str:
    """``LABEL:NAME`` of the entity ``entity`` names by any of its names, in any case
    (``GPE:Москва`` is ``GPE:Moscow`` once the two are merged); ``entity`` itself when no entity has
    that name."""
    from desktop.core.entities import find_entity
    from desktop.core.errors import NotFound

    label, name = _entity_parts(entity)
    try:
        found = find_entity(library.db, label, name)
    except NotFound:
        return entity
    return f"{found['label']}:{found['name']}"


def stored_names(library, args: argparse.Namespace):
    """``search_filters`` after putting each --tag and --entity in ``args`` as the library spells
    it (a tag typed in another case, an entity by another of its names)."""
    args.tag = [_stored_tag_name(library, tag) for tag in args.tag]
    args.entity = [_stored_entity(library, entity) for entity in args.entity]
    return search_filters(args)


def filter_matching_nothing(library, args: argparse.Namespace) -> str:
    """``": no article has the tag 'x'"`` for the first --tag, --source, --language or --entity
    that no article of the library matches on its own (a name mistyped), else ``""``."""
    from desktop.core.language import language_name
    from desktop.core.search import Filters, search_hits

    named = [("tag", tag, f"no article has the tag {tag!r}") for tag in args.tag]
    named += [("source", source, f"no article is from {source!r}") for source in args.source]
    named += [("language", code, f"no article is in {language_name(code)}") for code in args.language]
    for entity in args.entity:
        label, name = _entity_parts(entity)
        named.append((f"entity:{label}", name, f"no article mentions {label}:{name}"))
    for facet, value, why in named:
        if not search_hits(library.db, "", filters=Filters().including(facet, value), limit=1, follow_names=False):
            return f": {why}"
    return ""
