"""The output schemas of the decision and checklist tools, as plain constants.

They equal the compacted JSON schemas of ``framework_outputs.DecisionOut`` and
``ChecklistOut`` (tests/test_tool_schemas.py checks that they do not drift): deriving
them with pydantic at import was a large part of the first tools/list of a cold server.
"""

from typing import Any

DECISION_SCHEMA: dict[str, Any] = {
    "$defs": {
        "OptionOut": {
            "properties": {
                "label": {"type": "string"},
                "outcome": {"type": ["string", "null"]},
                "nextQuestion": {"type": ["string", "null"]},
            },
            "required": ["label", "outcome", "nextQuestion"],
            "type": "object",
        },
        "QuestionOut": {
            "properties": {
                "question": {"type": ["string", "null"]},
                "options": {"items": {"$ref": "#/$defs/OptionOut"}, "type": "array"},
            },
            "required": ["question", "options"],
            "type": "object",
        },
        "SkillOut": {
            "properties": {
                "name": {"type": "string"},
                "uri": {"type": "string"},
                "score": {"type": "integer"},
                "matched": {"items": {"type": "string"}, "type": "array"},
            },
            "required": ["name", "uri", "score", "matched"],
            "type": "object",
        },
        "StepOut": {
            "properties": {
                "question": {"type": ["string", "null"]},
                "answer": {"type": "string"},
                "outcome": {"type": ["string", "null"]},
                "options": {"items": {"$ref": "#/$defs/OptionOut"}, "type": "array"},
            },
            "required": ["question", "answer", "outcome", "options"],
            "type": "object",
        },
    },
    "properties": {
        "agent": {"type": "string"},
        "framework": {"type": "string"},
        "title": {"type": "string"},
        "status": {"enum": ["recommendation", "question"], "type": "string"},
        "recommendation": {"type": ["string", "null"]},
        "path": {"items": {"$ref": "#/$defs/StepOut"}, "type": "array"},
        "next": {"anyOf": [{"$ref": "#/$defs/QuestionOut"}, {"type": "null"}]},
        "skills": {"items": {"$ref": "#/$defs/SkillOut"}, "type": "array"},
        "nextStep": {"type": "string"},
    },
    "required": [
        "agent",
        "framework",
        "title",
        "status",
        "recommendation",
        "path",
        "next",
        "skills",
        "nextStep",
    ],
    "type": "object",
}

CHECKLIST_SCHEMA: dict[str, Any] = {
    "$defs": {
        "ItemOut": {
            "properties": {
                "id": {"type": "string"},
                "text": {"type": "string"},
                "section": {"type": "string"},
                "met": {"type": "boolean"},
            },
            "required": ["id", "text", "section", "met"],
            "type": "object",
        }
    },
    "properties": {
        "agent": {"type": "string"},
        "items": {"items": {"$ref": "#/$defs/ItemOut"}, "type": "array"},
        "remaining": {"items": {"type": "string"}, "type": "array"},
        "complete": {"type": "boolean"},
    },
    "required": ["agent", "items", "remaining", "complete"],
    "type": "object",
}
