"""The schemas of the skill and command tools, as plain constants.

They equal the compacted JSON schemas of the pydantic models that validate the calls
(``skill_models``, ``command_calls``; tests/test_tool_schemas.py checks that they do not
drift), so that listing tools builds no model: that was most of a cold server's first
tools/list.
"""

from typing import Any

LIST_SKILLS_IN: dict[str, Any] = {
    "properties": {
        "cursor": {
            "type": ["string", "null"],
            "default": None,
            "description": "nextCursor from the previous page.",
        },
        "limit": {
            "default": 50,
            "description": "Skills per page.",
            "maximum": 200,
            "minimum": 1,
            "type": "integer",
        },
    },
    "type": "object",
}

SKILL_LIST_OUT: dict[str, Any] = {
    "$defs": {
        "SkillSummary": {
            "properties": {
                "name": {"type": "string"},
                "path": {"type": "string"},
                "description": {"type": "string"},
                "uri": {"type": "string"},
            },
            "required": ["name", "path", "description", "uri"],
            "type": "object",
        }
    },
    "properties": {
        "skills": {"items": {"$ref": "#/$defs/SkillSummary"}, "type": "array"},
        "total": {"type": "integer"},
        "nextCursor": {"type": ["string", "null"]},
    },
    "required": ["skills", "total", "nextCursor"],
    "type": "object",
}

SKILL_IN: dict[str, Any] = {
    "properties": {
        "skill": {
            "description": "Skill name, plugin/name path, or its skill://.../SKILL.md URI.",
            "type": "string",
        }
    },
    "required": ["skill"],
    "type": "object",
}

READ_FILE_IN: dict[str, Any] = {
    "properties": {
        "skill": {
            "description": "Skill name or plugin/name path (or a file's skill:// URI).",
            "type": "string",
        },
        "path": {
            "type": ["string", "null"],
            "default": None,
            "description": "File path inside the skill, e.g. references/guide.md.",
        },
    },
    "required": ["skill"],
    "type": "object",
}

SEARCH_IN: dict[str, Any] = {
    "properties": {
        "query": {
            "description": "What you need, in words.",
            "maxLength": 500,
            "minLength": 1,
            "type": "string",
        },
        "limit": {
            "default": 5,
            "description": "How many skills to return.",
            "maximum": 20,
            "minimum": 1,
            "type": "integer",
        },
    },
    "required": ["query"],
    "type": "object",
}

SEARCH_OUT: dict[str, Any] = {
    "$defs": {
        "SearchResult": {
            "properties": {
                "name": {"type": "string"},
                "path": {"type": "string"},
                "uri": {"type": "string"},
                "description": {"type": "string"},
                "score": {"type": "number"},
                "section": {"type": "string"},
                "line": {"type": "integer"},
                "snippet": {"type": "string"},
                "snippetUri": {"type": "string"},
            },
            "required": [
                "name",
                "path",
                "uri",
                "description",
                "score",
                "section",
                "line",
                "snippet",
                "snippetUri",
            ],
            "type": "object",
        }
    },
    "properties": {
        "query": {"type": "string"},
        "results": {"items": {"$ref": "#/$defs/SearchResult"}, "type": "array"},
    },
    "required": ["query", "results"],
    "type": "object",
}

LIST_COMMANDS_IN: dict[str, Any] = {
    "properties": {
        "query": {
            "default": "",
            "description": "Only commands whose name or description contains this.",
            "type": "string",
        },
        "offset": {
            "default": 0,
            "description": "How many matching commands to skip.",
            "minimum": 0,
            "type": "integer",
        },
    },
    "type": "object",
}

COMMAND_LIST_OUT: dict[str, Any] = {
    "$defs": {
        "CommandSummary": {
            "properties": {
                "name": {"type": "string"},
                "description": {"type": "string"},
                "argumentHint": {"type": ["string", "null"]},
            },
            "required": ["name", "description", "argumentHint"],
            "type": "object",
        }
    },
    "properties": {
        "commands": {"items": {"$ref": "#/$defs/CommandSummary"}, "type": "array"},
        "total": {"type": "integer"},
    },
    "required": ["commands", "total"],
    "type": "object",
}

LOAD_COMMAND_IN: dict[str, Any] = {
    "properties": {
        "name": {
            "description": "Command name as list_commands gives it, e.g. plugin:review.",
            "type": "string",
        },
        "arguments": {
            "default": "",
            "description": "The text typed after the command ($ARGUMENTS).",
            "type": "string",
        },
    },
    "required": ["name"],
    "type": "object",
}

LOADED_COMMAND_OUT: dict[str, Any] = {
    "properties": {
        "name": {"type": "string"},
        "text": {"type": "string"},
        "files": {"items": {"type": "string"}, "type": "array"},
    },
    "required": ["name", "text", "files"],
    "type": "object",
}
