"""The library's schema as append-only named migrations (sqlite-utils ``Migrations``).

Never edit a migration once it has been released: add a new one, its body a function in
its feature's module under ``desktop/core/migrations/`` and its name at the end of the
list below.
Tables are plain SQL so that Datasette can browse a library file as it is.

This module owns the registry (``migrations``, applied in the order below) and
the constants that mark a library file; the migration bodies live in
``desktop/core/migrations/``, one module per feature.
"""

from __future__ import annotations

from sqlite_utils import Migrations

from .migrations import entities, imports, initial, languages, row_numbers, search, stories, tags, titles

MIGRATION_SET = "dossier"
APPLICATION_ID = 0x444F5353  # "DOSS": marks a SQLite file as a Dossier library

migrations = Migrations(MIGRATION_SET)

for _name, _body in (
    ("0001_initial", initial.initial),
    ("0002_search_facet_index", search.search_facet_index),
    ("0003_entities_corrections", entities.entities_corrections),
    ("0004_resumable_import_runs", imports.resumable_import_runs),
    ("0005_fts_declared_for_datasette", search.fts_declared_for_datasette),
    ("0006_import_updates_and_missing_files", imports.import_updates_and_missing_files),
    ("0007_search_index_for_all_scripts", search.search_index_for_all_scripts),
    ("0008_article_languages", languages.article_languages),
    ("0010_entity_name_keys", entities.entity_name_keys),
    ("0011_extraction_queue", entities.extraction_queue),
    ("0012_facet_index_store", search.facet_index_store),
    ("0013_story_grouping", stories.story_grouping),
    ("0014_tag_looks_logged", search.tag_looks_logged),
    ("0015_unchanged_files_on_import", imports.unchanged_files_on_import),
    ("0016_tag_renames_logged", search.tag_renames_logged),
    ("0017_entity_family_names", entities.entity_family_names),
    ("0018_entity_keys_keep_j", entities.entity_keys_keep_j),
    ("0019_tags_one_per_name", tags.tags_one_per_name),
    ("0020_import_run_stopped_within", imports.import_run_stopped_within),
    ("0021_whole_opening_titles", titles.whole_opening_titles),
    ("0022_sort_keys_in_every_script", search.sort_keys_in_every_script),
    ("0023_state_and_language_sort_indexes", search.state_and_language_sort_indexes),
    ("0024_entity_keys_one_han_form", entities.entity_keys_one_han_form),
    ("0025_saved_search_sort", search.saved_search_sort),
    ("0026_given_numbers_kept", row_numbers.given_numbers_kept),
    ("0027_entity_keys_short_country_names", entities.entity_keys_short_country_names),
):
    migrations(name=_name)(_body)
