"""Posting, editing, deleting, voting and closing, through the services every interface uses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.discussion import services, signals
from masthead.discussion.models import Comment, Thread
from masthead.discussion.tests.factories import article_thread, guest

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    return article_thread()[1]


def test_posting_stores_rendered_text_and_counts_it(thread, django_capture_on_commit_callbacks):
    published = []
    signals.comment_published.connect(lambda comment, **_: published.append(comment.pk), weak=False)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_post(thread=thread, text="**Good** point", author=guest("Ada"))

    assert comment.status == Comment.Status.PUBLISHED
    assert comment.html == "<p><strong>Good</strong> point</p>"
    assert Thread.objects.get(pk=thread.pk).comment_count == 1
    assert published == [comment.pk]


def test_replies_nest_and_count_on_their_parent(thread):
    parent = services.comment_post(thread=thread, text="First", author=guest("Ada"))
    child = services.comment_post(
        thread=thread, text="Second", author=guest("Bo"), parent_id=parent.pk
    )
    grandchild = services.comment_post(
        thread=thread, text="Third", author=guest("Cy"), parent_id=child.pk
    )

    assert (child.depth, grandchild.depth) == (1, 2)
    assert grandchild.root_id == parent.pk
    assert Comment.objects.get(pk=parent.pk).reply_count == 1
    assert Thread.objects.get(pk=thread.pk).comment_count == 3


@pytest.mark.parametrize(
    ("text", "name", "email", "field"),
    [
        ("", "Ada", "ada@example.org", "text"),
        ("   \n\t ", "Ada", "ada@example.org", "text"),
        ("x" * 5001, "Ada", "ada@example.org", "text"),
        ("Fine", "", "ada@example.org", "author_name"),
        ("Fine", "A" * 81, "ada@example.org", "author_name"),
        ("Fine", "Ada", "not-an-email", "author_email"),
        ("Fine", "Ada", "", "author_email"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_is_written(
    thread, text, name, email, field
):
    with pytest.raises(services.DiscussionError) as raised:
        services.comment_post(
            thread=thread, text=text, author=services.Author(name=name, email=email)
        )

    assert raised.value.field == field
    assert raised.value.status == 400
    assert Comment.objects.count() == 0
    assert Thread.objects.get(pk=thread.pk).comment_count == 0


def test_text_at_the_length_limit_is_accepted(thread):
    comment = services.comment_post(thread=thread, text="x" * 5000, author=guest())

    assert len(comment.text) == 5000


def test_parent_from_another_thread_or_not_visible_is_refused(thread):
    _, other = article_thread("Another story")
    foreign = services.comment_post(thread=other, text="Elsewhere", author=guest())
    deleted = services.comment_post(thread=thread, text="Gone soon", author=guest("Del"))
    services.comment_delete(comment_id=deleted.pk, author=guest("Del"))

    for parent in (foreign, deleted):
        with pytest.raises(services.DiscussionError) as raised:
            services.comment_post(thread=thread, text="Reply", author=guest(), parent_id=parent.pk)
        assert raised.value.field == "parent"


def test_a_thread_deleted_while_a_comment_is_posted_is_a_not_found_and_stores_nothing(thread):
    # The post read the thread; the article and its discussion are deleted before its
    # transaction locks the row.
    Thread.objects.filter(pk=thread.pk).delete()

    with pytest.raises(services.NotFoundError):
        services.comment_post(thread=thread, text="Still there?", author=guest())
    assert not Comment.objects.exists()


def test_closed_thread_refuses_comments_with_409(thread):
    services.thread_close(thread=thread)

    with pytest.raises(services.ThreadClosedError) as raised:
        services.comment_post(thread=thread, text="Too late", author=guest())
    assert raised.value.status == 409


def test_threads_close_by_themselves_after_the_configured_days(settings):
    settings.DISCUSSION_CLOSE_AFTER_DAYS = 7
    _, old = article_thread("Old news", date=timezone.now() - timedelta(days=8))
    _, fresh = article_thread("Fresh news", date=timezone.now() - timedelta(days=6))

    assert services.thread_is_closed(old) and not services.thread_is_closed(fresh)
    with pytest.raises(services.ThreadClosedError):
        services.comment_post(thread=old, text="Hello?", author=guest())


def test_the_admin_site_setting_overrides_the_server_default_for_closing(settings):
    from wagtail.models import Site

    from masthead.discussion.models import DiscussionSettings

    settings.DISCUSSION_CLOSE_AFTER_DAYS = 0
    _, old = article_thread("Old news", date=timezone.now() - timedelta(days=8))
    assert not services.thread_is_closed(old)

    discussion = DiscussionSettings.for_site(Site.objects.get(is_default_site=True))
    discussion.close_after_days = 7
    discussion.save()

    assert services.thread_is_closed(old)
    discussion.close_after_days = 0
    discussion.save()
    assert not services.thread_is_closed(old)


def test_author_edits_within_the_window_and_edit_is_marked(thread):
    comment = services.comment_post(thread=thread, text="Teh typo", author=guest("Ada"))

    edited = services.comment_edit(
        comment_id=comment.pk, text="The typo, fixed", author=guest("Ada")
    )

    assert edited.html == "<p>The typo, fixed</p>" and edited.edited is not None


def test_edit_refused_for_others_after_the_window_or_with_replies(thread, settings):
    comment = services.comment_post(thread=thread, text="Original", author=guest("Ada"))
    with pytest.raises(services.NotAllowedError):
        services.comment_edit(comment_id=comment.pk, text="Hijack", author=guest("Mallory"))

    Comment.objects.filter(pk=comment.pk).update(created=timezone.now() - timedelta(minutes=16))
    with pytest.raises(services.ConflictError, match="time for editing"):
        services.comment_edit(comment_id=comment.pk, text="Late", author=guest("Ada"))

    fresh = services.comment_post(thread=thread, text="Fresh", author=guest("Ada"))
    services.comment_post(thread=thread, text="Answer", author=guest("Bo"), parent_id=fresh.pk)
    with pytest.raises(services.ConflictError, match="has replies"):
        services.comment_edit(comment_id=fresh.pk, text="Changed", author=guest("Ada"))
    assert Comment.objects.get(pk=fresh.pk).text == "Fresh"


def test_every_edit_passes_the_screen_again(thread, settings):
    comment = services.comment_post(thread=thread, text="Calm words", author=guest("Ada"))
    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.HoldEverything"

    edited = services.comment_edit(comment_id=comment.pk, text="Other words", author=guest("Ada"))

    assert edited.status == Comment.Status.PENDING
    assert edited.moderation_reasons == ["held by the test screen"]
    assert Thread.objects.get(pk=thread.pk).comment_count == 0


def test_a_failing_screen_holds_the_comment(thread, settings):
    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.Broken"

    comment = services.comment_post(thread=thread, text="Anything", author=guest())

    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reasons == ["could not be checked"]
    assert Thread.objects.get(pk=thread.pk).comment_count == 0


def test_deleting_keeps_a_placeholder_only_when_there_are_replies(thread):
    lonely = services.comment_post(thread=thread, text="Alone", author=guest("Ada"))
    parent = services.comment_post(thread=thread, text="Parent", author=guest("Ada"))
    services.comment_post(thread=thread, text="Child", author=guest("Bo"), parent_id=parent.pk)

    services.comment_delete(comment_id=lonely.pk, author=guest("Ada"))
    services.comment_delete(comment_id=parent.pk, author=guest("Ada"))

    assert not Comment.objects.get(pk=lonely.pk).is_visible
    assert Comment.objects.get(pk=parent.pk).is_visible
    assert Thread.objects.get(pk=thread.pk).comment_count == 1
    with pytest.raises(services.NotAllowedError):
        services.comment_delete(
            comment_id=Comment.objects.get(text="Child").pk, author=guest("Ada")
        )


def test_votes_change_and_withdraw_with_exact_counts(thread):
    comment = services.comment_post(thread=thread, text="Vote on me", author=guest())

    services.vote_cast(comment_id=comment.pk, voter="guest:a", value=1)
    services.vote_cast(comment_id=comment.pk, voter="guest:b", value=1)
    services.vote_cast(comment_id=comment.pk, voter="guest:c", value=-1)
    services.vote_cast(
        comment_id=comment.pk, voter="guest:a", value=1
    )  # same vote again: no change
    result = services.vote_cast(comment_id=comment.pk, voter="guest:b", value=-1)
    assert (result.score, result.upvotes, result.downvotes) == (-1, 1, 2)

    result = services.vote_cast(comment_id=comment.pk, voter="guest:c", value=0)
    assert (result.score, result.upvotes, result.downvotes) == (0, 1, 1)


@pytest.mark.parametrize("value", [2, -2, 10])
def test_vote_values_other_than_minus_one_zero_one_are_refused(thread, value):
    comment = services.comment_post(thread=thread, text="Vote on me", author=guest())

    with pytest.raises(services.DiscussionError):
        services.vote_cast(comment_id=comment.pk, voter="guest:a", value=value)


def test_guests_behind_one_address_share_a_vote_quota(thread, settings):
    settings.DISCUSSION_GUEST_VOTES_PER_ADDRESS = 2
    comment = services.comment_post(thread=thread, text="Popular?", author=guest())
    for voter in ("guest:one", "guest:two"):
        services.vote_cast(comment_id=comment.pk, voter=voter, value=1, ip_hash="same-office")

    with pytest.raises(services.ConflictError):
        services.vote_cast(
            comment_id=comment.pk, voter="guest:cleared-cookies", value=1, ip_hash="same-office"
        )
    assert Comment.objects.get(pk=comment.pk).upvotes == 2


def test_external_pages_get_one_stable_thread_per_address():
    first = services.thread_for_url("https://Blog.example/post/1/#comments", title="A post")
    again = services.thread_for_url("https://blog.example/post/1")
    other = services.thread_for_url("https://blog.example/post/2")

    assert first.pk == again.pk != other.pk
    assert first.key.startswith("url-") and first.url == "https://blog.example/post/1"
    comment = services.comment_post(thread=first, text="From an embed", author=guest())
    assert services.thread_get(first.key).comment_count == 1 and comment.thread_id == first.pk
    with pytest.raises(services.DiscussionError):
        services.thread_for_url("javascript:alert(1)")


def test_editors_close_a_thread_in_the_admin(client, django_user_model):
    _, thread = article_thread()
    editor = django_user_model.objects.create_superuser("moe", "moe@example.org", "pw-for-tests")
    client.force_login(editor)

    listing = client.get("/admin/snippets/discussion/thread/")
    assert listing.status_code == 200 and thread.title.encode() in listing.content
    edit = client.get(f"/admin/snippets/discussion/thread/edit/{thread.pk}/")
    assert edit.status_code == 200
    response = client.post(
        f"/admin/snippets/discussion/thread/edit/{thread.pk}/",
        {"closed": "on", "title": thread.title},
    )
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).closed
