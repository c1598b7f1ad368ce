# VENDORED, unmodified below this header: the schema `tljh-config` validates config.yaml against.
#   repository: https://github.com/jupyterhub/the-littlest-jupyterhub
#   path:       tljh/config_schema.py
#   tag:        2.0.0
#   commit:     a47a171850afc22d46f3b5b5bb0d09f2fae0937f
#   license:    BSD-3-Clause, Copyright (c) 2018, Yuvi Panda; see
#               https://github.com/jupyterhub/the-littlest-jupyterhub/blob/2.0.0/LICENSE
# Used by tests/hub/test_hub_config.py to validate hub/littlest-jupyterhub/config.yaml offline.
"""
The schema against which the TLJH config file can be validated.

Validation occurs when changing values with tljh-config.
"""

config_schema = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Littlest JupyterHub YAML config file",
    "definitions": {
        "BaseURL": {
            "type": "string",
        },
        "Users": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "extra_user_groups": {"type": "object", "items": {"type": "string"}},
                "allowed": {"type": "array", "items": {"type": "string"}},
                "banned": {"type": "array", "items": {"type": "string"}},
                "admin": {"type": "array", "items": {"type": "string"}},
            },
        },
        "Services": {
            "type": "object",
            "properties": {
                "cull": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "enabled": {"type": "boolean"},
                        "timeout": {"type": "integer"},
                        "every": {"type": "integer"},
                        "concurrency": {"type": "integer"},
                        "users": {"type": "boolean"},
                        "max_age": {"type": "integer"},
                        "remove_named_servers": {"type": "boolean"},
                    },
                }
            },
        },
        "HTTP": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "address": {"type": "string", "format": "ipv4"},
                "port": {"type": "integer"},
            },
        },
        "HTTPS": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enabled": {"type": "boolean"},
                "address": {"type": "string", "format": "ipv4"},
                "port": {"type": "integer"},
                "tls": {"$ref": "#/definitions/TLS"},
                "letsencrypt": {"$ref": "#/definitions/LetsEncrypt"},
            },
        },
        "LetsEncrypt": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "email": {"type": "string", "format": "email"},
                "domains": {
                    "type": "array",
                    "items": {"type": "string", "format": "hostname"},
                },
                "staging": {"type": "boolean"},
            },
        },
        "TLS": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"key": {"type": "string"}, "cert": {"type": "string"}},
        },
        "Limits": {
            "description": "User CPU and memory limits.",
            "type": "object",
            "additionalProperties": False,
            "properties": {"memory": {"type": "string"}, "cpu": {"type": "integer"}},
        },
        "UserEnvironment": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "default_app": {
                    "type": "string",
                    "enum": ["jupyterlab", "classic"],
                    "default": "jupyterlab",
                }
            },
        },
        "TraefikAPI": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "ip": {"type": "string", "format": "ipv4"},
                "port": {"type": "integer"},
                "username": {"type": "string"},
                "password": {"type": "string"},
            },
        },
    },
    "properties": {
        "additionalProperties": False,
        "base_url": {"$ref": "#/definitions/BaseURL"},
        "user_environment": {"$ref": "#/definitions/UserEnvironment"},
        "users": {"$ref": "#/definitions/Users"},
        "limits": {"$ref": "#/definitions/Limits"},
        "https": {"$ref": "#/definitions/HTTPS"},
        "http": {"$ref": "#/definitions/HTTP"},
        "traefik_api": {"$ref": "#/definitions/TraefikAPI"},
        "services": {"$ref": "#/definitions/Services"},
    },
}
