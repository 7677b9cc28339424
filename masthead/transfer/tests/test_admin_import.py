"""Settings → Import: an editor uploads an export, reads the dry run's report, runs the import
in the background and reads the final report; nobody else gets in."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from masthead.discussion.models import Comment
from masthead.transfer.models import ImportRun

pytestmark = pytest.mark.django_db

INDEX = "/admin/import/"
FIXTURE = Path(__file__).parent / "fixtures" / "disqus" / "admin-upload.xml"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-1")


def staff(*codenames, username="sam"):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-123-x")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


def kept_uploads(settings) -> set[Path]:
    folder = Path(settings.VAR_DIR) / "imports"
    return set(folder.iterdir()) if folder.exists() else set()


def upload(client, format="disqus", path=FIXTURE, **fields):
    file = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/xml")
    return client.post(INDEX, {"format": format, "file": file, **fields})


def run_of(response) -> ImportRun:
    match = re.fullmatch(r"/admin/import/(\d+)/", response["Location"])
    assert match, response["Location"]
    return ImportRun.objects.get(pk=int(match[1]))


def status(client, run):
    response = client.get(f"{INDEX}{run.pk}/status/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.json()


def text_of(response) -> str:
    """The page's text without tags, spaces collapsed: what the editor reads."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_upload_is_checked_then_imported_with_a_report_at_each_step(
    client, settings, django_capture_on_commit_callbacks
):
    client.force_login(superuser())
    form = client.get(INDEX)
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()
    assert "Disqus" in form.content.decode() and "WordPress (WXR)" in form.content.decode()
    assert "--media-dir" in form.content.decode()  # a server folder is a console option

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, media_base_url="https://courier.example/uploads/")
    assert response.status_code == 302
    run = run_of(response)
    assert run.file_name == "admin-upload.xml"
    assert run.options["media_base_url"] == "https://courier.example/uploads/"

    # The dry run changed nothing, and its report is on the run's page.
    assert not Comment.objects.exists()
    assert status(client, run) | {"message": ""} == {
        "run": run.pk,
        "status": "staged",
        "status_label": "Read, ready to import",
        "stage": "checked",
        "active": False,
        "items_done": 4,
        "items_total": 4,
        "percent": 100,
        "message": "",
    }
    page = client.get(f"{INDEX}{run.pk}/")
    text = text_of(page)
    assert "Dry run: nothing was changed. The import would bring in:" in text
    assert "Comments 3" in text
    assert "Discussions kept by their old address 1" in text
    assert "1 × It has no id, so a later import could not tell it apart." in text
    assert "(line 45)" in text
    assert "Run the import" in text

    # The uploaded copy is private: under VAR_DIR/imports, never under the public media.
    kept = Path(ImportRun.objects.get(pk=run.pk).file_path)
    assert kept.parent == Path(settings.VAR_DIR) / "imports" and kept.is_file()
    assert Path(settings.MEDIA_ROOT) not in kept.parents
    assert kept.stat().st_mode & 0o077 == 0

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{INDEX}{run.pk}/run/")
    assert started.status_code == 302 and started["Location"] == f"{INDEX}{run.pk}/"
    conversation = Comment.objects.order_by("created")
    assert [c.author_name for c in conversation] == ["Ines Harbour", "Pavel Quay", "Ines Harbour"]
    assert [c.depth for c in conversation] == [0, 1, 2]

    done = status(client, run)
    assert (done["stage"], done["percent"], done["items_done"]) == ("done", 100, 4)
    assert done["message"] == "Imported: 4 entries."
    text = text_of(client.get(f"{INDEX}{run.pk}/"))
    assert "Imported on" in text and "Comments 3" in text
    assert "Dry run" not in text and "Run the import" not in text
    assert not kept.exists()  # the commenters' addresses in it go with the import

    listing = client.get(INDEX).content.decode()
    assert f'href="{INDEX}{run.pk}/"' in listing and "Imported" in listing


# The worker checks its connection between tasks as a real one does: on PostgreSQL that ends
# the transaction a plain database test runs in, so this test commits for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_the_database_queue_nothing_happens_until_the_worker_runs(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    client.force_login(superuser())
    with django_capture_on_commit_callbacks(execute=True):
        run = run_of(upload(client))

    waiting = status(client, run)
    assert (waiting["stage"], waiting["active"], waiting["percent"]) == ("reading", True, None)
    assert "Waiting for the background worker" in waiting["message"]
    page = client.get(f"{INDEX}{run.pk}/").content.decode()
    assert 'data-active="true"' in page and f'data-status-url="{INDEX}{run.pk}/status/"' in page
    assert "transfer/import.js" in page

    call_command("db_worker", batch=True, interval=0, verbosity=0)
    assert status(client, run)["stage"] == "checked"
    assert not Comment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{INDEX}{run.pk}/run/")
    queued = status(client, run)
    assert (queued["stage"], queued["status"], queued["items_done"]) == ("running", "running", 0)
    # A second click (or a second editor) queues nothing more.
    again = client.post(f"{INDEX}{run.pk}/run/", follow=True)
    assert "This import is not waiting to be run" in again.content.decode()

    call_command("db_worker", batch=True, interval=0, verbosity=0)
    assert status(client, run)["stage"] == "done"
    assert Comment.objects.count() == 3


def test_a_file_of_another_format_is_refused_with_the_reason(
    client, settings, django_capture_on_commit_callbacks
):
    client.force_login(superuser())
    before = kept_uploads(settings)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_of(upload(client, format="isso"))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.REFUSED
    text = text_of(client.get(f"{INDEX}{run.pk}/"))
    assert "The file was refused; nothing was imported." in text
    assert "This looks like a Disqus export, not a Isso one" in text
    assert "Run the import" not in text
    assert status(client, run)["stage"] == "refused"
    assert run.file_path == "" and kept_uploads(settings) == before
    # Nothing to run: the button's address refuses it too.
    client.post(f"{INDEX}{run.pk}/run/")
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.REFUSED
    assert not Comment.objects.exists()


def test_an_import_that_stops_shows_why_and_resumes(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from masthead.transfer.appliers import comments as comment_appliers

    client.force_login(superuser())
    with django_capture_on_commit_callbacks(execute=True):
        run = run_of(upload(client))

    real = comment_appliers.comments_apply

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(comment_appliers, "comments_apply", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{INDEX}{run.pk}/run/")
    assert status(client, run)["stage"] == "failed"
    text = text_of(client.get(f"{INDEX}{run.pk}/"))
    assert "The import stopped: disk full" in text and "Resume" in text

    monkeypatch.setattr(comment_appliers, "comments_apply", real)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{INDEX}{run.pk}/run/")
    assert status(client, run)["stage"] == "done"
    assert Comment.objects.count() == 3


def test_a_dry_run_that_stops_says_why_and_can_be_tried_again(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from masthead.transfer.appliers import comments as comment_appliers

    client.force_login(superuser())
    real = comment_appliers.comments_apply

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(comment_appliers, "comments_apply", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_of(upload(client))
    assert status(client, run)["stage"] == "check_failed"
    text = text_of(client.get(f"{INDEX}{run.pk}/"))
    assert "The dry run stopped: database is locked" in text
    assert "Check again" in text and "Run the import" in text
    assert not Comment.objects.exists()

    monkeypatch.setattr(comment_appliers, "comments_apply", real)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{INDEX}{run.pk}/check/")
    assert status(client, run)["stage"] == "checked"
    text = text_of(client.get(f"{INDEX}{run.pk}/"))
    assert "Comments 3" in text and "database is locked" not in text
    assert not Comment.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(client, settings):
    settings.TRANSFER_MAX_FILE_BYTES = 1000
    client.force_login(superuser())
    before = kept_uploads(settings)
    response = upload(client)
    assert response.status_code == 400
    assert "more than the 1,000 Masthead imports" in response.content.decode()
    assert not ImportRun.objects.exists()
    assert kept_uploads(settings) == before


def test_the_run_button_needs_the_csrf_token(django_capture_on_commit_callbacks):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(superuser())
    page = browser.get(INDEX)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    file = SimpleUploadedFile(FIXTURE.name, FIXTURE.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        run = run_of(
            browser.post(INDEX, {"format": "disqus", "file": file, "csrfmiddlewaretoken": token})
        )

    forged = browser.post(f"{INDEX}{run.pk}/run/")
    assert forged.status_code == 403
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.STAGED
    assert not Comment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        genuine = browser.post(f"{INDEX}{run.pk}/run/", {"csrfmiddlewaretoken": token})
    assert genuine.status_code == 302
    assert Comment.objects.count() == 3


def test_only_people_allowed_to_import_get_in(client):
    run = ImportRun.objects.create(format="disqus", file_name="x.xml", status="staged")
    pages = [INDEX, f"{INDEX}{run.pk}/", f"{INDEX}{run.pk}/status/"]

    # Signed out, or signed in without admin access: Wagtail's login page.
    reader = get_user_model().objects.create_user("reader", "reader@example.org", "pw-123-x")
    for user in (None, reader):
        if user:
            client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert client.post(f"{INDEX}{run.pk}/run/").status_code == 302

    # An editor without the import permission: 403, and no Settings → Import in the menu.
    client.force_login(staff("add_page"))
    assert client.get(INDEX).status_code == 403
    assert client.get(f"{INDEX}{run.pk}/").status_code == 403
    assert client.get(f"{INDEX}{run.pk}/status/").json() == {"error": "Not allowed."}
    assert client.post(f"{INDEX}{run.pk}/run/").status_code == 403
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.STAGED
    assert INDEX not in client.get("/admin/").content.decode()

    # With it, the page and the menu item are there.
    client.force_login(staff("add_importrun", username="ivy"))
    assert client.get(INDEX).status_code == 200
    assert INDEX in client.get("/admin/").content.decode()
