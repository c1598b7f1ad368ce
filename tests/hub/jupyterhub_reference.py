"""What JupyterHub accepts in its configuration, for checking hub/ without installing JupyterHub.

JupyterHub is not a dependency of the course (the hub runs it, not the course's venv), so the hub
tests check names against these lists, taken from JupyterHub's own source:
  repository https://github.com/jupyterhub/jupyterhub, tag 5.5.1
  (commit 4b520710d97766554b76e43839d16b2e22d1735f; the version Zero to JupyterHub 4.4.0 ships
  is 5.5.0), BSD-3-Clause, Copyright (c) Jupyter Development Team.
Each list is read from one place there, as named below (the traits tagged ``config=True`` in a class
body, the service fields tagged ``input=True``, the keys of ``scope_definitions``). Traits a class
inherits (e.g. from traitlets' Application) are not listed. When JupyterHub is importable, the
tests use the real classes instead.
"""

import re

#: ``class JupyterHub`` in jupyterhub/app.py: its ``config=True`` traits
JUPYTERHUB_TRAITS = frozenset({
    "active_server_limit", "active_user_window", "activity_resolution", "admin_access",
    "admin_users", "allow_named_servers", "answer_yes", "api_page_default_limit",
    "api_page_max_limit", "api_tokens", "authenticate_prometheus", "authenticator_class",
    "base_url", "bind_url", "cleanup_proxy", "cleanup_servers", "concurrent_spawn_limit",
    "config_file", "confirm_no_ssl", "cookie_host_prefix_enabled", "cookie_max_age_days",
    "cookie_secret", "cookie_secret_file", "custom_scopes", "data_files_path", "db_kwargs",
    "db_url", "debug_db", "debug_proxy", "default_server_name", "default_url",
    "external_ssl_authorities", "extra_handlers", "extra_log_file", "extra_log_handlers",
    "forwarded_host_header", "generate_certs", "generate_config", "hub_bind_url", "hub_connect_ip",
    "hub_connect_port", "hub_connect_url", "hub_ip", "hub_port", "hub_routespec",
    "implicit_spawn_seconds", "init_spawners_timeout", "internal_certs_location", "internal_ssl",
    "ip", "jinja_environment_options", "last_activity_interval", "load_groups", "load_roles",
    "logo_file", "named_server_limit_per_user", "oauth_token_expires_in", "pid_file", "port",
    "proxy_api_ip", "proxy_api_port", "proxy_auth_token", "proxy_check_interval", "proxy_class",
    "proxy_cmd", "public_url", "recreate_internal_certs", "redirect_to_server", "reset_db",
    "service_check_interval", "service_tokens", "services", "shutdown_on_logout", "spawner_class",
    "ssl_cert", "ssl_key", "statsd_host", "statsd_port", "statsd_prefix", "subdomain_hook",
    "subdomain_host", "template_paths", "template_vars", "token_expires_in_max_seconds",
    "tornado_settings", "trust_user_provided_tokens", "trusted_alt_names", "trusted_downstream_ips",
    "upgrade_db", "use_legacy_stopped_server_status_code", "user_redirect_hook",
})

#: ``class Authenticator`` in jupyterhub/auth.py: its ``config=True`` traits
AUTHENTICATOR_TRAITS = frozenset({
    "admin_users", "allow_all", "allow_existing_users", "allowed_users", "any_allow_config",
    "auth_refresh_age", "auto_login", "auto_login_oauth2_authorize", "blocked_users",
    "delete_invalid_users", "enable_auth_state", "manage_groups", "manage_roles", "otp_prompt",
    "post_auth_hook", "refresh_pre_spawn", "refresh_pre_stop", "request_otp",
    "reset_managed_roles_on_startup", "username_map", "username_pattern", "whitelist",
})

#: ``class Service`` in jupyterhub/services/service.py: the fields tagged ``input=True``, i.e. the
#: keys a dict in ``c.JupyterHub.services`` may have
SERVICE_KEYS = frozenset({
    "admin", "api_token", "command", "cwd", "display", "environment", "info", "name",
    "oauth_client_allowed_scopes", "oauth_client_id", "oauth_no_confirm", "oauth_redirect_uri",
    "oauth_roles", "url", "user",
})

#: a role in ``c.JupyterHub.load_roles`` (docstring of ``JupyterHub.load_roles`` in jupyterhub/app.py)
ROLE_KEYS = frozenset({"name", "description", "scopes", "users", "services", "groups"})

#: ``_role_name_pattern`` in jupyterhub/roles.py
ROLE_NAME = re.compile(r'^[a-z][a-z0-9\-_~\.]{1,253}[a-z0-9]$')

#: the keys of ``scope_definitions`` in jupyterhub/scopes.py
SCOPES = frozenset({
    "access:servers", "access:services", "admin-ui", "admin:auth_state", "admin:groups",
    "admin:server_state", "admin:servers", "admin:services", "admin:users", "delete:groups",
    "delete:servers", "delete:users", "groups", "groups:shares", "inherit", "list:groups",
    "list:services", "list:users", "proxy", "read:groups", "read:groups:name", "read:groups:shares",
    "read:hub", "read:metrics", "read:roles", "read:roles:groups", "read:roles:services",
    "read:roles:users", "read:servers", "read:services", "read:services:name", "read:shares",
    "read:tokens", "read:users", "read:users:activity", "read:users:groups", "read:users:name",
    "read:users:shares", "self", "servers", "shares", "shutdown", "tokens", "users",
    "users:activity", "users:shares",
})


def scope_error(scope: str) -> str | None:
    """Why JupyterHub would refuse ``scope`` (its ``_check_scopes_exist``), or None if it would not."""
    name, _, filter_ = scope.partition("!")
    if name not in SCOPES:
        return f"no scope {name!r} in JupyterHub"
    if filter_ and f"!{filter_}" not in {"!user", "!service", "!server"} and not f"!{filter_}".startswith(
            ("!user=", "!service=", "!group=", "!server=")):
        return f"no scope filter !{filter_} in JupyterHub"
    return None
