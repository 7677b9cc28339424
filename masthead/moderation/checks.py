"""A system check that the moderation models are installed and intact.

`masthead serve` runs it before starting any server process (core.startup's tag), and so does
`masthead check`: a missing or corrupt model file is reported by name, once, on the console.
"""

from django.core import checks

from masthead.core.startup import STARTUP_CHECK_TAG


@checks.register(STARTUP_CHECK_TAG)
def moderation_models_check(app_configs=None, **kwargs):
    from django.conf import settings

    from masthead.moderation.classifier import ModelError, classifier_load
    from masthead.moderation.languages import languages_warm_up

    try:
        classifier = classifier_load()
        languages_warm_up()
        if classifier.encoder_head is not None and settings.MODERATION_SENTENCE_ENCODER:
            from masthead.moderation.encoder import model_zip_path

            model_zip_path()  # present; read in full when a server warms up
    except ModelError as problem:
        return [
            checks.Error(
                str(problem),
                hint="Comments cannot be screened without it; the server will not start.",
                obj=problem.path,
                id="moderation.E001",
            )
        ]
    return []
