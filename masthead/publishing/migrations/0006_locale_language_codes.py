"""Give existing locales the language codes the site now speaks ("en-us" becomes "en").

Before translations, LANGUAGE_CODE was "en-us" and Wagtail created its first locale with that
code. The interface languages are now plain codes ("en", "ru", ...); a locale whose code is a
regional variant of one of them takes the plain code, unless a locale with it already exists.
"""

from django.conf import settings
from django.db import migrations


def _plain_codes(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    content = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    taken = set(Locale.objects.values_list("language_code", flat=True))
    for locale in Locale.objects.all():
        plain = locale.language_code.split("-")[0].lower()
        if locale.language_code not in content and plain in content and plain not in taken:
            taken.discard(locale.language_code)
            taken.add(plain)
            locale.language_code = plain
            locale.save(update_fields=["language_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0005_body_preformatted"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(_plain_codes, migrations.RunPython.noop)]
