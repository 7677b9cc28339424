"""What an import carries from record to record: its options, the map from source ids to what
was created, and the report."""

from dataclasses import dataclass, field
from pathlib import Path

from masthead.transfer.records import SourceRecord

# Examples kept per reason: enough for an editor to find the entries in the file.
EXAMPLES_PER_REASON = 5


@dataclass
class ImportOptions:
    site_id: int | None = None  # the Wagtail site to import into (default: the default site)
    media_dir: Path | None = None  # a local copy of wp-content/uploads
    media_base_url: str = ""  # the uploads address the export's URLs start with
    # WordPress author login → an existing Masthead Author snippet's slug.
    author_map: dict[str, str] = field(default_factory=dict)
    screen: bool = False  # screen imported comments with the moderation pipeline
    dry_run: bool = False


@dataclass
class Report:
    """Counts of what was created, and of what was skipped or corrected, with examples."""

    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, dict] = field(default_factory=dict)
    corrected: dict[str, dict] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def skip(self, code: str, *, source_id: str = "", detail: str = "", line=None) -> None:
        self._note(self.skipped, code, source_id, detail, line)

    def correct(self, code: str, *, source_id: str = "", detail: str = "", line=None) -> None:
        self._note(self.corrected, code, source_id, detail, line)

    @staticmethod
    def _note(bucket: dict, code: str, source_id: str, detail: str, line) -> None:
        entry = bucket.setdefault(code, {"count": 0, "examples": []})
        entry["count"] += 1
        if len(entry["examples"]) < EXAMPLES_PER_REASON:
            entry["examples"].append({"source_id": source_id, "detail": detail[:300], "line": line})

    def as_dict(self) -> dict:
        return {"created": self.created, "skipped": self.skipped, "corrected": self.corrected}

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        return cls(
            created=dict(data.get("created", {})),
            skipped=dict(data.get("skipped", {})),
            corrected=dict(data.get("corrected", {})),
        )


class Links:
    """Source ids → ids of what the import created, by kind ("article", "page", "author",
    "attachment", "thread", "comment"), stored in the database (transfer.SourceLink) so a
    second run of the same file finds them and adds nothing.

    The map is read per batch, never loaded whole: memory stays flat in the file's size.
    """

    CACHE_SIZE = 50_000

    def __init__(self, source: str):
        self.source = source
        self._cache: dict[tuple[str, str], int] = {}

    def get(self, kind: str, source_id: str) -> int | None:
        from masthead.transfer.models import SourceLink

        key = (kind, source_id)
        if key not in self._cache:
            found = (
                SourceLink.objects.filter(source=self.source, kind=kind, source_id=source_id)
                .values_list("object_id", flat=True)
                .first()
            )
            if found is None:
                return None
            self._remember(key, found)
        return self._cache[key]

    def get_many(self, kind: str, source_ids) -> dict[str, int]:
        """Return the known ids of `source_ids` in one query (for a batch of records)."""
        from masthead.transfer.models import SourceLink

        found = {s: self._cache[(kind, s)] for s in source_ids if (kind, s) in self._cache}
        wanted = {s for s in source_ids if s not in found}
        if wanted:
            rows = SourceLink.objects.filter(
                source=self.source, kind=kind, source_id__in=wanted
            ).values_list("source_id", "object_id")
            for source_id, object_id in rows:
                # Answered from the rows, not the cache: remembering may empty the cache.
                found[source_id] = object_id
                self._remember((kind, source_id), object_id)
        return found

    def add(self, kind: str, source_id: str, object_id: int) -> None:
        from masthead.transfer.models import SourceLink

        SourceLink.objects.create(
            source=self.source, kind=kind, source_id=source_id, object_id=object_id
        )
        self._remember((kind, source_id), object_id)

    def add_many(self, kind: str, pairs: list[tuple[str, int]]) -> None:
        from masthead.transfer.models import SourceLink

        SourceLink.objects.bulk_create(
            [SourceLink(source=self.source, kind=kind, source_id=s, object_id=o) for s, o in pairs]
        )
        for source_id, object_id in pairs:
            self._remember((kind, source_id), object_id)

    def _remember(self, key, object_id: int) -> None:
        # A bounded cache: recent parents are what the next records ask for.
        if len(self._cache) > self.CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = object_id


@dataclass
class ImportContext:
    source: SourceRecord
    options: ImportOptions
    report: Report
    links: Links
    run_id: int | None = None
    # Source threads that could be attached nowhere: their comments are skipped, not retried.
    dead_threads: dict[str, str] = field(default_factory=dict)
