"""Check the shape of ``datapackage.json`` before anything reads the tables it names.

The descriptor is input like the CSVs: a malformed one gets one :class:`~peerlearn.Problem`
naming the file and the key (``resources[3].schema.fields[2].type``) instead of a traceback,
and a resource path may only name a file inside the package's own folder. Only the first
problem is reported: later ones are usually its consequences. Patterns are compiled with RE2,
which matches in linear time, so no pattern can make validation hang.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import re2

from .codebook import TABLES, ContentCache
from .problems import Problem, display

FIELD_TYPES = ("string", "integer", "number")
ITEM_TYPES = ("string", "integer")
CONSTRAINTS = {"required": bool, "minimum": "number", "maximum": "number", "pattern": str, "enum": list}
# what the code reads from each table it needs: column -> type, or @vocabulary for a coded column
NEEDS = {
    "studies": "study_id:integer appendix:@appendix authors title source volume issue pages doi url "
    "bib_status:@bib_status bib_lost_fields:list bib_truncated_fields:list "
    "participant_group:@participant_group activity_type:@activity_type setting:@setting design:@design "
    "descriptor_basis:@descriptor_basis descriptor_note study_group:integer "
    "study_group_basis:@study_group_basis label_nl label_en source_line:integer",
    "citations": "statement_id study_id:integer chapter:@chapter code_kind:@code_kind code direction:@direction "
    "printed resolution source_line:integer",
    "prose_counts": "count_id chapter:@chapter code_kind:@code_kind code n_studies:integer scope:@prose_scope "
    "printed source_line:integer note",
    "factors": "category:@factor_category subcategory:@factor_subcategory n_factors:integer n_studies:integer source",
    "domain_effects": "domain:@domain n_effects:integer n_studies:integer source",
    "pathways": "from_domain:@domain mechanism:@mechanism to_domain:@domain n_effects:integer n_studies:integer source",
    "hypotheses": "hypothesis:integer role:@hypothesis_role n_studies:integer verdict:@verdict label_nl label_en "
    "source",
    "hypothesis_cmo": "hypothesis:integer element:@hypothesis_role text_nl text_en basis:@cmo_basis note",
    "characteristics": "characteristic:@characteristic level:@characteristic_level group:@report_group n:integer "
    "pct:number n_corrected:integer correction_reason source layout_note",
    "characteristic_values": "characteristic:@value_characteristic group:@report_group quantity:@quantity "
    "value:integer unit:@unit source note",
    "countries": "continent:@continent country:@country part_of:@country n:integer pct:number source note",
    "published_totals": "table:@totals_table scope mechanism:@mechanism_or_all measure:@measure value:number source",
    "selection_flow": "step:@flow_step n:integer unit:@unit qualifier:@qualifier printed source label_nl label_en",
    "checklist": "item_id theme:@checklist_theme row:integer audience:@audience recommendation_nl recommendation_en "
    "hypotheses:list layout_note source_line:integer",
    "model_edges": "from_domain:@domain process:@mechanism to_domain:@domain model_arrow source basis:@arrow_basis "
    "basis_source",
    "hypothesis_evidence_notes": "hypothesis:integer study_id:integer statement_ids "
    "configuration:@evidence_configuration "
    "finding_nl finding_en direction:@evidence_direction basis note",
    "recovered_references": "study_id:integer status:@recovery_status confidence:@recovery_confidence authors "
    "year:integer title source volume issue pages doi url entry_type:@publication_type record "
    "record_2 fields_from_record_2 record_participant_group:@participant_group "
    "record_activity_type:@activity_type record_setting:@setting record_design:@design "
    "match_basis candidates unresolved_reason",
}
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")


def re2_options():
    """RE2's options for field patterns: errors are raised to us, never logged to stderr by RE2 itself."""
    options = re2.Options()
    options.log_errors = False
    return options


def compile_pattern(pattern: str):
    """``pattern`` compiled with RE2 (linear-time matching); ``re2.error`` when RE2 cannot match it."""
    return re2.compile(pattern, re2_options())


def _reason(error: Exception) -> str:
    arg = error.args[0] if error.args else error
    return arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)


class DescriptorProblem(Exception):
    """The first thing wrong with the descriptor: ``key`` (a path such as ``resources[2].path``) and what was
    expected."""

    def __init__(self, key: str, message: str):
        self.key, self.message = key, message
        super().__init__(f"{key}: {message}" if key else message)


def _fail(key: str, message: str):
    raise DescriptorProblem(key, message)


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


def _get(obj: dict, key: str, path: str, kind, required: bool = True):
    """``obj[key]`` checked to be of ``kind`` (a type, or "number"); None when absent and not required."""
    where = f"{path}.{key}" if path else key
    if key not in obj:
        if required:
            _fail(where, f"missing; expected {_expected(kind)}")
        return None
    value = obj[key]
    ok = (
        (isinstance(value, (int, float)) and not isinstance(value, bool))
        if kind == "number"
        else (isinstance(value, kind) and not (kind is int and isinstance(value, bool)))
    )
    if not ok:
        _fail(where, f"is {_kind(value)}; expected {_expected(kind)}")
    if kind in (str, list, dict) and required and not value:
        _fail(where, f"is empty; expected {_expected(kind)}")
    return value


def _expected(kind) -> str:
    return (
        "a number"
        if kind == "number"
        else {dict: "an object", list: "a list", str: "text", bool: "true or false"}[kind]
    )


def safe_path(value: str) -> str | None:
    """Why a resource path may not be read (None when it may): it must be relative and stay in the folder."""
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value):
        return "is an absolute path; expected a file name relative to the package's folder"
    if "\\" in value or "\0" in value:
        return "contains a backslash or NUL; expected a file name with '/' between folders"
    if ".." in value.split("/") or "://" in value:
        return "leads outside the package's folder; expected a file inside it"
    return None


def check_package(package) -> None:
    """Raise :class:`DescriptorProblem` for the first thing that makes ``package`` unusable as peerlearn's codebook."""
    if not isinstance(package, dict):
        _fail("", f"the top level is {_kind(package)}; expected a JSON object (a Data Package)")
    vocabularies = _get(package, "vocabularies", "", dict)
    for name, voc in vocabularies.items():
        _vocabulary(name, voc)
    for name, spec in (_get(package, "composites", "", dict, required=False) or {}).items():
        where = f"composites.{name}"
        if not isinstance(spec, dict):
            _fail(where, f"is {_kind(spec)}; expected an object with 'parts' and 'separator'")
        for i, part in enumerate(_get(spec, "parts", where, list)):
            if part not in vocabularies:
                _fail(f"{where}.parts[{i}]", f"{part!r} is not a vocabulary of this package")
        _get(spec, "separator", where, str)
    codes = set(vocabularies) | set(package.get("composites", {}))
    resources = _get(package, "resources", "", list)
    names: dict[str, int] = {}
    for i, res in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(res, dict):
            _fail(where, f"is {_kind(res)}; expected an object (a table)")
        name = _get(res, "name", where, str)
        if not _NAME.fullmatch(name):
            _fail(f"{where}.name", f"{name!r} is not a valid name; expected lower-case letters, digits, '.', '_', '-'")
        if name in names:
            _fail(f"{where}.name", f"{name!r} is also the name of resources[{names[name]}]; expected each name once")
        names[name] = i
        why = safe_path(_get(res, "path", where, str))
        if why:
            _fail(f"{where}.path", f"{res['path']!r} {why}")
        _get(res, "title", where, str, required=False)
    schemas = {}
    for i, res in enumerate(resources):
        schemas[res["name"]] = _schema(f"resources[{i}].schema", _get(res, "schema", f"resources[{i}]", dict), codes)
    for i, res in enumerate(resources):
        _keys(f"resources[{i}].schema", res["schema"], res["name"], schemas)
        _required_rows(f"resources[{i}]", res, schemas[res["name"]])
    for table, need in NEEDS.items():
        if table not in schemas:
            _fail("resources", f"has no table {table!r}; expected every table peerlearn reads ({', '.join(TABLES)})")
        where = f"resources[{names[table]}].schema.fields"
        for spec in need.split():
            column, _, kind = spec.partition(":")
            field = schemas[table].get(column)
            if field is None:
                _fail(where, f"table {table!r} has no column {column!r}; peerlearn reads it")
            got = (
                "@" + field["vocabulary"]
                if "vocabulary" in field
                else "list"
                if "delimiter" in field
                else field["type"]
            )
            if got != (kind or "string"):
                _fail(
                    where,
                    f"column {table}.{column} is {got.lstrip('@')}; peerlearn reads it as "
                    f"{(kind or 'string').replace('@', 'codes of vocabulary ')}",
                )


def _vocabulary(name: str, voc) -> None:
    where = f"vocabularies.{name}"
    if not isinstance(voc, dict):
        _fail(where, f"is {_kind(voc)}; expected an object with 'codes'")
    seen = set()
    for j, code in enumerate(_get(voc, "codes", where, list)):
        at = f"{where}.codes[{j}]"
        if not isinstance(code, dict):
            _fail(at, f"is {_kind(code)}; expected an object with 'code', 'nl' and 'en'")
        for key in ("code", "nl", "en"):
            _get(code, key, at, str)
        _get(code, "parent", at, str, required=False)
        if code["code"] in seen:
            _fail(f"{at}.code", f"{code['code']!r} appears twice; expected each code once")
        seen.add(code["code"])
    _get(voc, "ordered", where, bool, required=False)


def _schema(where: str, schema: dict, codes: set) -> dict:
    """The schema's fields by name, each checked."""
    fields: dict[str, dict] = {}
    for j, f in enumerate(_get(schema, "fields", where, list)):
        at = f"{where}.fields[{j}]"
        if not isinstance(f, dict):
            _fail(at, f"is {_kind(f)}; expected an object (a column)")
        name = _get(f, "name", at, str)
        if name in fields:
            _fail(f"{at}.name", f"{name!r} appears twice in this table; expected each column once")
        typ = _get(f, "type", at, str)
        if typ not in FIELD_TYPES:
            _fail(f"{at}.type", f"{typ!r} is not a type peerlearn reads; expected one of {', '.join(FIELD_TYPES)}")
        labels = _get(f, "labels", at, dict)
        for lang in ("nl", "en"):
            _get(labels, lang, f"{at}.labels", str)
        _field(at, f, codes)
        fields[name] = f
    for j, f in enumerate(schema["fields"]):
        for key in ("parentField",):
            if key in f and f[key] not in fields:
                _fail(f"{where}.fields[{j}].{key}", f"{f[key]!r} is not a column of this table")
        if "vocabularyBy" in f and f["vocabularyBy"]["field"] not in fields:
            _fail(
                f"{where}.fields[{j}].vocabularyBy.field",
                f"{f['vocabularyBy']['field']!r} is not a column of this table",
            )
    return fields


def _field(at: str, f: dict, codes: set) -> None:
    c = _get(f, "constraints", at, dict, required=False) or {}
    for key in c:
        kind = CONSTRAINTS.get(key)
        if kind is None:
            _fail(
                f"{at}.constraints.{key}",
                f"is not a constraint peerlearn checks; expected one of {', '.join(CONSTRAINTS)}",
            )
        _get(c, key, f"{at}.constraints", kind)
        if key in ("minimum", "maximum") and f["type"] not in ("integer", "number"):
            _fail(f"{at}.constraints.{key}", f"applies to numbers, but the column is {f['type']}")
    if "pattern" in c:
        try:
            compile_pattern(c["pattern"])
        except re2.error as e:
            _fail(
                f"{at}.constraints.pattern",
                f"{c['pattern']!r} of column {f['name']!r} cannot be matched "
                f"in linear time ({_reason(e)}); expected a pattern without "
                "backreferences or lookaround",
            )
    if "enum" in c and not all(isinstance(v, str) for v in c["enum"]):
        _fail(f"{at}.constraints.enum", "holds a value that is not text; expected the codes as text")
    for key in ("vocabulary", "itemVocabulary"):
        if key in f and _get(f, key, at, str) not in codes:
            _fail(f"{at}.{key}", f"{f[key]!r} is not a vocabulary of this package")
    if "vocabularyBy" in f:
        by = _get(f, "vocabularyBy", at, dict)
        _get(by, "field", f"{at}.vocabularyBy", str)
        for code, voc in _get(by, "map", f"{at}.vocabularyBy", dict).items():
            if voc not in codes:
                _fail(f"{at}.vocabularyBy.map.{code}", f"{voc!r} is not a vocabulary of this package")
    if "delimiter" in f:
        if f["type"] != "string" or _get(f, "delimiter", at, str) in ("", ",", '"'):
            _fail(f"{at}.delimiter", "expected one character other than ',' and '\"' on a string column")
        if _get(f, "itemType", at, str, required=False) not in (None, *ITEM_TYPES):
            _fail(
                f"{at}.itemType",
                f"{f['itemType']!r} is not an item type peerlearn reads; expected one of {', '.join(ITEM_TYPES)}",
            )
        ref = _get(f, "itemReference", at, dict, required=False)
        if ref is not None:
            _get(ref, "resource", f"{at}.itemReference", str)
            _get(ref, "field", f"{at}.itemReference", str)
    for key in ("itemType", "itemVocabulary", "itemReference"):
        if key in f and "delimiter" not in f:
            _fail(f"{at}.{key}", "belongs to a list column; expected a 'delimiter' beside it")
    _get(f, "recordPrecision", at, bool, required=False)


def _required_rows(where: str, res: dict, fields: dict) -> None:
    spec = _get(res, "requiredRows", where, dict, required=False)
    if spec is None:
        return
    cols = _get(spec, "fields", f"{where}.requiredRows", list)
    for j, col in enumerate(cols):
        if col not in fields:
            _fail(f"{where}.requiredRows.fields[{j}]", f"{col!r} is not a column of this table")
    for j, row in enumerate(_get(spec, "rows", f"{where}.requiredRows", list)):
        if (
            not isinstance(row, list)
            or len(row) != len(cols)
            or not all(v is None or (isinstance(v, int) and not isinstance(v, bool)) or isinstance(v, str) for v in row)
        ):
            _fail(
                f"{where}.requiredRows.rows[{j}]",
                f"expected a list of {len(cols)} values (text, whole numbers or null)",
            )


def _keys(where: str, schema: dict, name: str, schemas: dict) -> None:
    """Primary and foreign keys name existing columns and tables (one column per foreign key)."""
    fields = schemas[name]
    pk = _get(schema, "primaryKey", where, list, required=False) or []
    for j, col in enumerate(pk):
        if col not in fields:
            _fail(f"{where}.primaryKey[{j}]", f"{col!r} is not a column of this table")
    refs = []
    for j, fk in enumerate(_get(schema, "foreignKeys", where, list, required=False) or []):
        at = f"{where}.foreignKeys[{j}]"
        if not isinstance(fk, dict):
            _fail(at, f"is {_kind(fk)}; expected an object with 'fields' and 'reference'")
        cols = _get(fk, "fields", at, list)
        ref = _get(fk, "reference", at, dict)
        ref_cols = _get(ref, "fields", f"{at}.reference", list)
        if len(cols) != 1 or len(ref_cols) != 1:
            _fail(f"{at}.fields", "names several columns; expected one column pointing at one column")
        refs.append(
            (f"{at}.fields[0]", cols[0], f"{at}.reference", _get(ref, "resource", f"{at}.reference", str), ref_cols[0])
        )
    for col, f in fields.items():
        if "itemReference" in f:
            at = f"{where}.fields[{list(fields).index(col)}].itemReference"
            refs.append((at, col, at, f["itemReference"]["resource"], f["itemReference"]["field"]))
    for at, col, ref_at, table, ref_col in refs:
        if col not in fields:
            _fail(at, f"{col!r} is not a column of this table")
        if table not in schemas:
            _fail(
                f"{ref_at}.resource", f"{table!r} is not a table of this package; expected one of {', '.join(schemas)}"
            )
        if ref_col not in schemas[table]:
            _fail(ref_at, f"table {table!r} has no column {ref_col!r}")


def outside(directory: Path, path: str) -> str | None:
    """Why the resource ``path`` may not be read from ``directory`` (None when it may): nothing outside the folder,
    not even through a symbolic link, is opened."""
    why = safe_path(path)
    if why:
        return f"the path {path!r} {why}"
    try:
        inside = (directory / path).resolve().is_relative_to(directory.resolve())
    except (OSError, RuntimeError) as e:  # a symlink loop
        return f"the path {path!r} cannot be resolved ({e}); expected a file inside the package's folder"
    if not inside:
        return (
            f"the path {path!r} leads outside the package's folder through a symbolic link; expected a file inside it"
        )
    return None


_CHECKED = ContentCache(8)


def descriptor_problem(path: str, data: bytes, content: str) -> Problem | None:
    """The first problem of the codebook file ``path`` whose bytes are ``data`` (None when it can serve), checked
    once per ``content`` (the :func:`~peerlearn.codebook.digest` of ``data``)."""
    return _CHECKED.get(path, content, lambda: _problem(path, data))


def _problem(path: str, data: bytes) -> Problem | None:
    file = display(Path(path))
    try:
        package = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        return Problem(file, f"not valid UTF-8 ({e.reason}); expected a UTF-8 JSON file")
    except json.JSONDecodeError as e:
        return Problem(file, f"not valid JSON ({e.msg}, column {e.colno}); expected a Data Package", line=e.lineno)
    except RecursionError:
        return Problem(file, "nested too deeply; expected a Data Package")
    try:
        check_package(package)
    except DescriptorProblem as e:
        return Problem(file, f"key {e.key!r}: {e.message}" if e.key else e.message)
    return None
