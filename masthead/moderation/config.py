"""The moderation rules in force: thresholds, limits, stages and word lists.

Editors change them in the admin (Settings → Moderation); an empty field there means "the
server's default", which comes from a MODERATION_* environment variable (see .env.example).
Everything that scores text receives a `ModerationConfig`, never reads settings itself, so the
`check` command, the evaluation test and the benchmark score exactly as the site does.
"""

from dataclasses import dataclass, field, fields, replace

from django.conf import settings


@dataclass(frozen=True)
class ModerationConfig:
    # Content scores (0..1). Toxicity, the highest abuse category, nudges and rejects; each
    # category holds from its own threshold (1 = never: profanity alone holds nothing).
    toxicity_nudge: float = 0.5
    toxicity_reject: float = 1.0
    insult_hold: float = 0.5
    identity_hate_hold: float = 0.5
    threat_hold: float = 0.5
    sexual_hold: float = 0.5
    profanity_hold: float = 1.0
    spam_hold: float = 0.5
    spam_reject: float = 0.9
    # Spam signals.
    max_links: int = 2
    min_fill_seconds: int = 3
    # Stages that can be switched off.
    toxicity_enabled: bool = True
    spam_enabled: bool = True
    rate_limits_enabled: bool = True
    # Trust.
    premoderate_all: bool = False
    premoderate_first_guest_comment: bool = False
    trusted_after_approved: int = 3
    # Reader flags from this many distinct readers hide a comment until reviewed.
    flags_to_hide: int = 3
    # Rate limits (comments per window, per IP hash and per identity).
    burst_limit: int = 5
    burst_seconds: int = 60
    sustained_limit: int = 40
    sustained_seconds: int = 3600
    # The same text this many times within the window (any thread, any author) is a flood.
    flood_repeats: int = 3
    flood_seconds: int = 3600
    # Editable lists, lower-cased; words may use * as a wildcard.
    block_words: tuple[str, ...] = ()
    allow_words: tuple[str, ...] = ()
    blocked_domains: tuple[str, ...] = ()
    # Optional services.
    altcha_enabled: bool = False
    akismet_enabled: bool = False
    stage_timeout_seconds: float = 2.0
    extra: dict = field(default_factory=dict)

    def hold_threshold(self, category: str) -> float:
        """The probability from which `category` holds a comment (spam included)."""
        return getattr(self, f"{category}_hold")


def default_config() -> ModerationConfig:
    """Return the server's defaults (MODERATION_* settings), before any admin edits."""
    values = {}
    for spec in fields(ModerationConfig):
        name = f"MODERATION_{spec.name.upper()}"
        if hasattr(settings, name):
            values[spec.name] = getattr(settings, name)
    values["rate_limits_enabled"] = values.get("rate_limits_enabled", True) and getattr(
        settings, "MASTHEAD_RATE_LIMITS", True
    )
    return replace(ModerationConfig(), **values)


CONFIG_CACHE_KEY = "moderation:config:v2"
CONFIG_TAG = "moderation-config"
CONFIG_CACHE_SECONDS = 300
SWITCHES = (
    "toxicity_enabled",
    "spam_enabled",
    "rate_limits_enabled",
    "premoderate_all",
    "premoderate_first_guest_comment",
    "altcha_enabled",
    "akismet_enabled",
)


def current_config() -> ModerationConfig:
    """Return the rules in force: server defaults, then the admin's settings and lists.

    Kept in each process while the "moderation-config" tag stands, and in the shared cache,
    so every app server sees an editor's change at once (`config_changed` bumps the tag when
    settings, bans or lists change) without a read of the shared cache on every comment.
    """
    from masthead.core.pagecache import tagged_value

    return tagged_value(
        CONFIG_CACHE_KEY,
        tags=[CONFIG_TAG],
        compute=_config_from_database,
        seconds=CONFIG_CACHE_SECONDS,
    )


def config_changed() -> None:
    """Make every process read the rules again after an editor changed settings or lists."""
    from masthead.core.pagecache import cache_tags_invalidate

    cache_tags_invalidate(CONFIG_TAG)


def _config_from_database() -> ModerationConfig:
    from masthead.moderation.models import ListEntry, ModerationSettings

    config = default_config()
    overrides = {}
    row = ModerationSettings.objects.filter(site__is_default_site=True).first()
    if row is not None:
        for spec in fields(ModerationConfig):
            value = getattr(row, spec.name, None)
            if value is not None and spec.name not in {"block_words", "allow_words", "extra"}:
                overrides[spec.name] = value
    lists: dict[str, list[str]] = {kind: [] for kind in ListEntry.Kind.values}
    for kind, value in ListEntry.objects.values_list("kind", "value"):
        lists[kind].append(value.strip().lower())
    overrides["block_words"] = tuple(config.block_words) + tuple(lists["block_word"])
    overrides["allow_words"] = tuple(config.allow_words) + tuple(lists["allow_word"])
    overrides["blocked_domains"] = tuple(config.blocked_domains) + tuple(lists["blocked_domain"])
    config = replace(config, **overrides)
    # MASTHEAD_RATE_LIMITS=off wins over the admin's switch: it is how load tests run.
    if not getattr(settings, "MASTHEAD_RATE_LIMITS", True):
        config = replace(config, rate_limits_enabled=False)
    return config
