"""One writer per table: no app writes another app's rows; it asks that app's service.

Import-linter sees which module imports which, not what is done with an import, so this test
reads the code itself. Every module under masthead/<app>/ (tests and migrations aside) is
parsed with `ast`, and a call of a write method (`.save()`, `.update()`, `.create()`,
`select_for_update()` …) fails the build when what it is called on comes from another
Masthead app's model: a class imported from `masthead.<other>.models`, a model reached through
`apps.get_model("<other>", …)`, or a query set, row or helper result derived from one (names
assigned from such an expression, loops over it, functions returning it).

It is a reader of code, not a prover: a write through a foreign key of one's own row
(`flag.comment.save()`) or a model handed in as an argument goes unseen. Legitimate
exceptions are listed, each with its reason, in `cross_app_writes_allowed.toml` next to this
file; an entry that no longer matches anything fails too, so the list only shrinks.
"""

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "masthead"
ALLOWED_FILE = Path(__file__).with_name("cross_app_writes_allowed.toml")

WRITE_METHODS = frozenset(
    {
        "save",
        "delete",
        "update",
        "create",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "select_for_update",
    }
)
# What leads from a model to its rows: managers and query set methods. Any other attribute
# (`comment.thread`, `comment.moderation_flags`) is a relation to who knows which model.
QUERY_ATTRIBUTES = frozenset(
    {
        "objects",
        "_default_manager",
        "_base_manager",
        "all",
        "filter",
        "exclude",
        "select_related",
        "prefetch_related",
        "order_by",
        "only",
        "defer",
        "annotate",
        "alias",
        "distinct",
        "reverse",
        "using",
        "none",
        "get",
        "first",
        "last",
        "latest",
        "earliest",
        "iterator",
        "select_for_update",
        "specific",
        "live",
        "public",
        "for_site",
        "load",
    }
)
# Calls that hand back (rows of) their first argument: list(qs), get_object_or_404(Model, …).
PASS_THROUGH = frozenset({"list", "tuple", "sorted", "next", "iter", "get_object_or_404"})


@dataclass(frozen=True, order=True)
class Write:
    module: str  # "masthead/moderation/privacy.py"
    line: int
    model: str  # "notifications.OutboundMail"
    method: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: .{self.method}() on {self.model}"


def masthead_apps() -> set[str]:
    return {path.parent.name for path in PACKAGE.glob("*/apps.py")}


def _model_module_owner(dotted: str, app: str, apps: set[str]) -> str | None:
    """Return the app owning `dotted` when it is another app's models module (or inside it)."""
    parts = dotted.split(".")
    if len(parts) >= 3 and parts[0] == "masthead" and parts[2] == "models":
        other = parts[1]
        if other != app and other in apps:
            return other
    return None


class _Origins:
    """Which names in one module stand for another app's models, rows or query sets.

    A name maps to "app.Model" (a model, or something derived from it) or to "app.*" (another
    app's models module, whose attributes are models).
    """

    def __init__(self, tree: ast.Module, *, app: str, apps: set[str]):
        self.app, self.apps = app, apps
        self.names: dict[str, str] = {}
        self.functions: dict[str, str] = {}
        self._imports(tree)
        # Assignments and returns may refer to each other in any order: repeat until stable.
        while self._derive(tree):
            pass

    def _imports(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    bound = alias.asname or alias.name
                    # `from masthead.discussion.models import Comment`
                    owner = _model_module_owner(node.module, self.app, self.apps)
                    if owner:
                        self.names[bound] = f"{owner}.{alias.name}"
                        continue
                    # `from masthead.discussion import models`
                    dotted = f"{node.module}.{alias.name}"
                    owner = _model_module_owner(dotted, self.app, self.apps)
                    if owner:
                        self.names[bound] = f"{owner}.*"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    owner = _model_module_owner(alias.name, self.app, self.apps)
                    if owner and alias.asname:
                        self.names[alias.asname] = f"{owner}.*"

    def get_model(self, call: ast.Call) -> str | None:
        """Return "app.Model" for `apps.get_model("app", "Model")` of another app."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "get_model"):
            return None
        literals = [arg.value for arg in call.args if isinstance(arg, ast.Constant)]
        if not literals or not isinstance(literals[0], str):
            return None
        if len(literals) >= 2:
            label, model = literals[0], str(literals[1])
        else:
            label, _, model = literals[0].partition(".")
        if label != self.app and label in self.apps:
            return f"{label}.{model or '?'}"
        return None

    def origin(self, node: ast.AST) -> str | None:
        """Return the foreign model `node` is derived from, following it to its root."""
        attributes: list[str] = []

        def through_queries(found: str | None, skip: int = 0) -> str | None:
            chain = attributes[: len(attributes) - skip]
            return found if found and set(chain) <= QUERY_ATTRIBUTES else None

        while True:
            if isinstance(node, ast.Attribute):
                attributes.append(node.attr)
                node = node.value
            elif isinstance(node, ast.Subscript | ast.Await):
                node = node.value
            elif isinstance(node, ast.Call):
                found = self.get_model(node)
                if found:
                    return through_queries(found)
                func = node.func
                if isinstance(func, ast.Name):
                    if func.id in self.functions:
                        return through_queries(self.functions[func.id])
                    if func.id in PASS_THROUGH and node.args:
                        node = node.args[0]
                        continue
                    return None
                node = func
            elif isinstance(node, ast.Name):
                found = self.names.get(node.id)
                if found and found.endswith(".*"):
                    # A models module: the attribute right after it is the model.
                    if not attributes:
                        return None
                    return through_queries(found[:-1] + attributes[-1], skip=1)
                if found is None and node.id == "masthead" and len(attributes) >= 3:
                    # `import masthead.discussion.models`, then masthead.discussion.models.Comment
                    dotted = ".".join(["masthead", *reversed(attributes)][:3])
                    owner = _model_module_owner(dotted, self.app, self.apps)
                    if owner:
                        return through_queries(f"{owner}.{attributes[-3]}", skip=3)
                return through_queries(found)
            else:
                return None

    def _bind(self, target: ast.AST, origin: str) -> bool:
        changed = False
        for name in ast.walk(target):
            if isinstance(name, ast.Name) and name.id not in self.names:
                self.names[name.id] = origin
                changed = True
        return changed

    def _derive(self, tree: ast.Module) -> bool:
        changed = False
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                origin = self.origin(node.value)
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if origin:
                    for target in targets:
                        changed |= self._bind(target, origin)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                origin = self.origin(node.iter)
                if origin:
                    changed |= self._bind(node.target, origin)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                origin = self.origin(node.context_expr)
                if origin:
                    changed |= self._bind(node.optional_vars, origin)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                # Parameters typed with another app's model (`comment: Comment | None`).
                arguments = node.args
                for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                    if argument.annotation is None or argument.arg in self.names:
                        continue
                    for part in ast.walk(argument.annotation):
                        origin = self.origin(part) if isinstance(part, ast.Name) else None
                        if origin:
                            self.names[argument.arg] = origin
                            changed = True
                            break
                if node.name in self.functions:
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Return) and inner.value is not None:
                        origin = self.origin(inner.value)
                        if origin:
                            self.functions[node.name] = origin
                            changed = True
                            break
        return changed


def cross_app_writes(source: str, *, app: str, module: str, apps: set[str]) -> list[Write]:
    """Return the writes in `source` (a module of `app`) to rows of another app's models."""
    tree = ast.parse(source)
    origins = _Origins(tree, app=app, apps=apps)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITE_METHODS
        ):
            model = origins.origin(node.func.value)
            if model:
                found.append(Write(module, node.lineno, model, node.func.attr))
    return sorted(found)


def application_modules():
    """Yield (app, path) for every module the running site is made of."""
    for app in sorted(masthead_apps()):
        for path in sorted((PACKAGE / app).rglob("*.py")):
            parts = path.relative_to(PACKAGE / app).parts
            if any(part in ("tests", "migrations") for part in parts[:-1]):
                continue
            if parts[-1].startswith("test_") or parts[-1] == "conftest.py":
                continue
            yield app, path


def tree_writes() -> list[Write]:
    apps = masthead_apps()
    found = []
    for app, path in application_modules():
        module = path.relative_to(ROOT).as_posix()
        found += cross_app_writes(path.read_text(), app=app, module=module, apps=apps)
    return found


def allowed_writes() -> list[dict]:
    return tomllib.loads(ALLOWED_FILE.read_text())["allowed"]


def _is_allowed(write: Write, entry: dict) -> bool:
    return write.module == entry["module"] and write.model == entry["model"]


# --- the checker itself -------------------------------------------------------------------

APPS = {"discussion", "moderation", "notifications", "publishing"}

PLANTED = """
from django.apps import apps
from masthead.discussion.models import Comment, Vote as Ballot
from masthead.discussion import models as discussion_models
from masthead.moderation.models import Flag


def _mails():
    return apps.get_model("notifications", "OutboundMail")


def erase(ids):
    Comment.objects.filter(pk__in=ids).update(author_name="Anonymous")
    Ballot.objects.filter(comment_id__in=ids).delete()
    discussion_models.Thread.objects.get_or_create(key="x")
    _mails().objects.filter(comment_id__in=ids).update(subject="")
    apps.get_model("notifications.SuppressedAddress").objects.all().delete()
    rows = list(Comment.objects.select_related("thread").filter(pk__in=ids))
    for comment in rows:
        comment.text = ""
        comment.save(update_fields=["text"])
    Flag.objects.filter(comment_id__in=ids).delete()
    import masthead.publishing.models
    masthead.publishing.models.Author.objects.filter(pk=1).delete()


def hide(reply: Comment | None):
    reply.save()
"""


def test_the_checker_finds_writes_to_another_apps_rows_however_they_are_reached():
    found = cross_app_writes(PLANTED, app="moderation", module="planted.py", apps=APPS)

    assert [(write.model, write.method) for write in found] == [
        ("discussion.Comment", "update"),
        ("discussion.Vote", "delete"),
        ("discussion.Thread", "get_or_create"),
        ("notifications.OutboundMail", "update"),
        ("notifications.SuppressedAddress", "delete"),
        ("discussion.Comment", "save"),
        ("publishing.Author", "delete"),
        ("discussion.Comment", "save"),
    ]


def test_the_checker_leaves_reads_services_and_the_apps_own_rows_alone():
    source = """
from django.apps import apps
from masthead.discussion import services as discussion
from masthead.discussion.models import Comment
from masthead.moderation.models import Flag

def act(ids):
    count = Comment.objects.filter(pk__in=ids).count()
    discussion.comments_anonymize(comment_ids=ids, name="Anonymous")
    Flag.objects.filter(comment_id__in=ids).update(resolved=None)
    apps.get_model("moderation", "Ban").objects.create(kind="email", value="a@b.c")
    {"a": 1}.update(b=2)
    return count
"""
    assert cross_app_writes(source, app="moderation", module="fine.py", apps=APPS) == []


# --- the tree -----------------------------------------------------------------------------


def test_no_app_writes_another_apps_rows_outside_the_allow_list():
    unlisted = [
        str(write)
        for write in tree_writes()
        if not any(_is_allowed(write, entry) for entry in allowed_writes())
    ]
    assert not unlisted, (
        "Ask the owning app's service instead (docs/architecture.md, one writer per table), "
        "or list a justified exception in tests/cross_app_writes_allowed.toml:\n"
        + "\n".join(unlisted)
    )


def test_every_exception_has_a_reason_and_still_exists():
    writes = tree_writes()
    for entry in allowed_writes():
        assert entry.get("reason", "").strip(), f"{entry} needs a reason"
        assert any(_is_allowed(write, entry) for write in writes), (
            f"{entry['module']} no longer writes {entry['model']}: remove its allow-list entry"
        )


@pytest.mark.parametrize("app", sorted(masthead_apps()))
def test_every_app_is_read(app):
    # A parse error or an empty walk would make the rule pass vacuously.
    assert any(found_app == app for found_app, _path in application_modules())
