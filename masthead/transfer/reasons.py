"""Why something in a file was not imported, or was imported with a correction: the codes
parsers and the importer use, and the sentence the report shows for each."""

from django.utils.translation import gettext_lazy as _

SKIPPED = {
    "pingback": _("Pingbacks and trackbacks are notices from other sites, not comments."),
    "no_id": _("It has no id, so a later import could not tell it apart."),
    "empty_thread_id": _("The discussion has an empty id."),
    "duplicate_id": _("Its id was already used earlier in the file; the first one is kept."),
    "orphan_thread": _("The discussion it belongs to is not in the file."),
    "item_skipped": _(
        "The post or page it belongs to was not imported (its own line in this report says why)."
    ),
    "orphan_parent": _("The comment it answers is not in the file (or was not imported)."),
    "malformed": _("It could not be read (a field is missing or broken)."),
    "deleted": _("It was deleted in the old system (or lay in its trash)."),
    "unsupported": _("Masthead does not import this kind of item."),
    "no_target": _("Its discussion has no address Masthead could attach it to."),
    "no_comments": _("The discussion has no comments, so none was made for it."),
    "already_imported": _("An earlier import brought it in already."),
}

CORRECTED = {
    "empty": _(
        "It has no text: it is kept as a deleted comment, so that replies to it keep their place."
    ),
    "date_unreadable": _("Its date could not be read; the time of the import is used."),
    "date_in_future": _("Its date was in the future; the time of the import is used."),
    "html_cleaned": _("Scripts, styles or other unsafe markup were removed from its text."),
    "depth_flattened": _(
        "It answered a reply deeper than this site's nesting allows; it is shown beside it instead."
    ),
    "media_missing": _(
        "Its image file was not in the media folder: a picture in an article's text is kept "
        "as a link to its old address, a lead image is left out."
    ),
    "block_dropped": _(
        "A WordPress block that draws itself (latest posts, a reusable block) has no content "
        "to import."
    ),
    "shortcode_kept": _("A WordPress shortcode Masthead does not know is kept as text."),
    "meta_trimmed": _(
        "What the old system kept beside it was too long to keep whole; its largest values "
        "were left out."
    ),
}


def reason_text(code: str) -> str:
    """Return the sentence for a reason code (the code itself for one this version lacks)."""
    return str(SKIPPED.get(code) or CORRECTED.get(code) or code)
