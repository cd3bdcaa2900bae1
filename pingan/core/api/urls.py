"""API v1 root: each app adds its routes to the one router (`core.api.urls.router`)."""
