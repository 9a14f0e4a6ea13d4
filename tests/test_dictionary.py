"""docs/data-dictionary.md is generated from the codebook and cannot go stale."""

from __future__ import annotations

import json
import shutil

from peerlearn.codebook import load_codebook
from peerlearn.dictionary import data_dictionary
from peerlearn.paths import REPO_ROOT

DOC = REPO_ROOT / "docs" / "data-dictionary.md"


def test_the_committed_data_dictionary_is_the_generated_one():
    assert DOC.read_text(encoding="utf-8") == data_dictionary(), (
        "docs/data-dictionary.md is stale: python -m peerlearn.dictionary > docs/data-dictionary.md"
    )


def test_every_table_column_and_code_is_in_the_dictionary():
    cb, text = load_codebook(), data_dictionary()
    for name, resource in cb.resources.items():
        section = text.split(f"### {name.replace('_', chr(92) + '_')}: ", 1)[1].split("\n### ", 1)[0]
        for field in resource["schema"]["fields"]:
            row = f"\n| {field['name'].replace('_', chr(92) + '_')} | {field['type']} |"
            assert row in section, (name, field["name"])
    for name, vocabulary in cb.vocabularies.items():
        section = text.split(f"\n### {name.replace('_', chr(92) + '_')}\n", 1)[1].split("\n### ", 1)[0]
        section = section.split("\n## ", 1)[0]
        assert section.count("\n| ") - 1 == len(vocabulary.codes), name


def test_a_changed_codebook_changes_the_dictionary(corpus):
    path = corpus / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["vocabularies"]["mechanism"]["codes"][0]["en"] = "Thinking it over"
    path.write_text(json.dumps(package), encoding="utf-8")
    changed = data_dictionary(corpus)
    assert changed != data_dictionary() and "Thinking it over" in changed


def test_text_from_the_codebook_lands_as_literal_markdown(tmp_path):
    target = tmp_path / "raw"
    shutil.copytree(REPO_ROOT / "data" / "raw", target)
    path = target / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"][0]["schema"]["fields"][0]["description"] = "a | b <script>x</script>\n# heading"
    path.write_text(json.dumps(package), encoding="utf-8")
    row = next(line for line in data_dictionary(target).splitlines() if line.startswith("| study\\_id |"))
    assert row.count(" | ") == 4 and "<script>" not in row and "\n#" not in row
