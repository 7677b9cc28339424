# Shortcuts for the scripts in scripts/ (which need nothing but sh and Python).
.PHONY: help run test lint format

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run: ## Set up, load the demo on first run, and serve on http://127.0.0.1:8000/
	scripts/run

test: ## Set up with test tools, lint, and run the whole test suite
	scripts/test

lint: ## ruff format --check, ruff check and the import-layer contract
	.venv/bin/ruff format --check . && .venv/bin/ruff check . && .venv/bin/lint-imports

format: ## Format and autofix with ruff
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
