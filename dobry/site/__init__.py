"""What assembles the site above the domain apps.

The home page, the root URL conf, the API's router list, the periodic-job schedule and the
order of the demo data live here, so that `core`, `api` and the domain apps import only
what sits below them (see `pyproject.toml`, `[tool.importlinter]`, and
`docs/development.md`).
"""
