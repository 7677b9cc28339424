"""Replace Wagtail's placeholder welcome page with an empty front page."""

from django.db import migrations


def create_front_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("publishing.HomePage")

    # Only on a fresh database: the welcome page is wagtailcore's own, at the top of the tree.
    welcome = Page.objects.filter(
        depth=2, content_type__app_label="wagtailcore", content_type__model="page"
    ).first()
    if welcome is None or Page.objects.filter(depth=2).count() != 1:
        return
    path, url_path = welcome.path, welcome.url_path
    Site.objects.filter(root_page=welcome).delete()
    welcome.delete()

    content_type, _ = ContentType.objects.get_or_create(app_label="publishing", model="homepage")
    home = HomePage.objects.create(
        title="Front page",
        draft_title="Front page",
        slug="home",
        content_type=content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path=url_path,
        locale=Locale.objects.order_by("pk").first(),
        live=True,
    )
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def remove_front_page(apps, schema_editor):
    # The page is ordinary content from here on; leave it where it is.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_front_page, remove_front_page)]
