"""Holds an answer built by a plain function against the OpenAPI component that documents it."""

import datetime as dt

from drf_spectacular.generators import SchemaGenerator


def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(schema: dict, prop: dict) -> dict:
    """The property with its $ref (drf-spectacular writes enums as allOf: [$ref]) followed."""
    for ref in [prop.get("$ref"), *(part.get("$ref") for part in prop.get("allOf", []))]:
        if ref:
            return {**prop, **schema["components"]["schemas"][ref.rsplit("/", 1)[1]]}
    return prop


TYPES = {"integer": int, "string": str, "boolean": bool, "array": list, "object": dict}


def type_errors(schema: dict, component: str, answer: dict, *, null_anyway=frozenset()) -> list[str]:
    """What in `answer` the component does not say: keys it lacks or adds, nulls, enum values, types, offsets."""
    properties = schema["components"]["schemas"][component]["properties"]
    errors = [f"{key}: not in the schema" for key in answer.keys() - properties.keys()]
    errors += [f"{key}: missing" for key in properties.keys() - answer.keys()]
    for key in properties.keys() & answer.keys():
        prop, value = resolve(schema, properties[key]), answer[key]
        if value is None:
            if not prop.get("nullable") and key not in null_anyway:
                errors.append(f"{key}: null where the schema has no null")
            continue
        if "enum" in prop and value not in prop["enum"]:
            errors.append(f"{key}: {value!r} is not one of {prop['enum']}")
        expected = TYPES[prop.get("type", "string")]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            errors.append(f"{key}: {value!r} is not {prop.get('type')}")
        elif prop.get("format") == "date-time" and dt.datetime.fromisoformat(value).tzinfo is None:
            errors.append(f"{key}: {value!r} has no offset")
        elif expected is list:
            item = TYPES[resolve(schema, prop.get("items", {})).get("type", "string")]
            errors += [f"{key}: {one!r} is not {item.__name__}" for one in value if not isinstance(one, item)]
    return errors
