"""Learning from the moderators' decisions.

Every approve, reject and spam in the queue is kept as a labelled example (one per comment),
erased with its commenter; `learn` turns the examples into a local adaptation of the shipped
model and installs it only when it does no worse; the Model page shows it all to moderators.
"""

import re

import numpy as np
import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from scipy import sparse
from scipy.special import expit

from masthead.discussion import services as discussion
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread
from masthead.moderation import learning, privacy, services, tasks
from masthead.moderation.classifier import ModelError, classifier_shipped, shipped_evaluation
from masthead.moderation.models import AuditEntry, Flag, LearningAttempt, ModeratorDecision
from masthead.moderation.scoring import text_analyze
from masthead.moderation.tests.queue_helpers import HOLD_EVERYTHING, held, screened

pytestmark = pytest.mark.django_db

Status = Comment.Status
Outcome = LearningAttempt.Outcome
MODEL_PAGE = "/admin/moderation/model/"
LEARN = "/admin/moderation/model/learn/"

# What a local outlet's readers write; moderators approve it.
PLAIN = [
    "The council meeting ran late again last night.",
    "I think the new bus timetable is better than the old one.",
    "Thanks for covering the school board vote.",
    "Parking near the market is still a problem on Saturdays.",
    "The harbour festival was lovely this year.",
    "Has anyone asked the mayor about the library hours?",
    "The roadworks on Elm Street should finish next month.",
    "My neighbour says the ferry was on time all week.",
    "Good article, but the chart needs units.",
    "The bakery on Main Street closes at six now.",
    "Will the pool reopen before summer?",
    "I disagree with the editorial on the budget.",
    "The bridge detour adds ten minutes to my commute.",
    "Kids loved the new playground in the park.",
    "Rents keep going up in the old town.",
]
# A local slur the shipped model has never seen; the outlet's moderators reject it.
SLUR = "skrunt"


@pytest.fixture(autouse=True)
def no_adaptation_in_force():
    """Each test starts, and leaves, with no adaptation remembered by this process."""
    learning.adaptation_changed()
    yield
    learning.adaptation_changed()


@pytest.fixture
def thread(settings):
    settings.DISCUSSION_SCREEN = HOLD_EVERYTHING
    return article_thread("Harbour bridge closes for repairs")[1]


def decisions_store(thread, rows, moderator=None) -> list[Comment]:
    """Store comments and a decision on each at once (rows of (text, decision))."""
    status = {"approve": Status.PUBLISHED, "reject": Status.REJECTED, "spam": Status.SPAM}
    comments = Comment.objects.bulk_create(
        Comment(
            thread=thread,
            author_name=f"Reader {number}",
            author_email=f"reader{number}@example.org",
            text=text,
            html=f"<p>{text}</p>",
            status=status[decision],
            created=timezone.now(),
        )
        for number, (text, decision) in enumerate(rows)
    )
    ModeratorDecision.objects.bulk_create(
        ModeratorDecision(
            comment=comment, text=comment.text, decision=decision, moderator=moderator
        )
        for comment, (_text, decision) in zip(comments, rows, strict=True)
    )
    return comments


def slur_decisions(count: int = 30) -> list[tuple[str, str]]:
    """Rejections of the slur in everyday sentences, and as many approvals of the same talk."""
    rejected = [
        (f"{PLAIN[n % len(PLAIN)]} You are a total {SLUR}.", "reject") for n in range(count)
    ]
    tails = ["", " Just my view.", " Cheers.", " Regards from the north end."]
    approved = [(PLAIN[n % len(PLAIN)] + tails[n % len(tails)], "approve") for n in range(count)]
    return rejected + approved


def contradicting_decisions() -> list[tuple[str, str]]:
    """Approve what the shipped evaluation data calls abusive, reject what it calls fine."""
    rows = []
    for text, categories in shipped_evaluation():
        if "insult" in categories:
            rows.append((text, "approve"))
        elif not categories:
            rows.append((text, "reject"))
    return rows


def learned(moderator, django_capture_on_commit_callbacks, **options) -> LearningAttempt:
    with django_capture_on_commit_callbacks(execute=True):
        return services.adaptation_learn(moderator=moderator, **options)


def insult_probability(text: str) -> float:
    """The insult probability the model in force gives `text` (shipped, plus any adaptation)."""
    classifier = classifier_shipped()
    features = classifier.features([text])
    logits = classifier.logits(features)
    adaptation = learning.adaptation_current()
    if adaptation is not None:
        logits = adaptation.apply(logits, features)
    return float(expit(logits)[0, classifier.categories.index("insult")])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- decisions from the queue -----------------------------------------------------------------


def test_approve_reject_and_spam_each_keep_the_text_and_decision_as_an_example(
    thread, moderator, settings
):
    fine = screened(
        held(thread, "The detour adds ten minutes.", settings=settings),
        reasons=["first comment"],
        scores={"toxicity": 0.02, "spam": 0.05},
    )
    rude = held(thread, "Shut up, you clueless idiot.", "Troll Tom")
    selling = held(thread, "Cheap watches at example.biz", "Sly Seller")

    services.comment_approve_by(moderator, fine.pk)
    services.comment_reject_by(moderator, rude.pk)
    services.comment_mark_spam_by(moderator, selling.pk)

    kept = {row.comment_id: row for row in ModeratorDecision.objects.all()}
    assert {pk: row.decision for pk, row in kept.items()} == {
        fine.pk: "approve",
        rude.pk: "reject",
        selling.pk: "spam",
    }
    assert kept[fine.pk].text == "The detour adds ten minutes."
    assert kept[fine.pk].scores == {"toxicity": 0.02, "spam": 0.05}
    assert kept[rude.pk].moderator == moderator


def test_a_bulk_action_keeps_a_decision_for_every_comment_it_changed(thread, moderator, settings):
    first = held(thread, "One", settings=settings)
    second = held(thread, "Two", "Bob Guest")
    services.comments_act(moderator, "reject", [first.pk, second.pk, 999_999])
    assert set(ModeratorDecision.objects.values_list("comment_id", "decision")) == {
        (first.pk, "reject"),
        (second.pk, "reject"),
    }


def test_the_queue_page_buttons_keep_decisions_row_by_row_and_in_bulk(
    client, thread, moderator, settings
):
    single = held(thread, "Row button", settings=settings)
    ticked = [held(thread, f"Ticked {n}", f"Guest {n}").pk for n in range(2)]
    client.force_login(moderator)
    client.post("/admin/moderation/act/", {"row_action": f"approve:{single.pk}"})
    client.post("/admin/moderation/act/", {"action": "spam", "ids": ticked})
    assert dict(ModeratorDecision.objects.values_list("comment_id", "decision")) == {
        single.pk: "approve",
        ticked[0]: "spam",
        ticked[1]: "spam",
    }


def test_a_later_decision_replaces_the_earlier_one(thread, moderator, settings):
    comment = held(thread, "Borderline remark", settings=settings)
    services.comment_reject_by(moderator, comment.pk)
    Comment.objects.filter(pk=comment.pk).update(text="Borderline remark, edited")
    services.comment_approve_by(moderator, comment.pk)
    decision = ModeratorDecision.objects.get()
    assert (decision.comment_id, decision.decision) == (comment.pk, "approve")
    assert decision.text == "Borderline remark, edited"


def test_keeping_a_reported_comment_is_a_decision_too(thread, moderator, settings):
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    from masthead.discussion.tests.factories import guest

    comment = discussion.comment_post(thread=thread, text="Reported", author=guest("Flo Fine"))
    Flag.objects.create(comment=comment, reason="abusive", reporter="guest:9")
    services.comment_approve_by(moderator, comment.pk)
    assert ModeratorDecision.objects.get().decision == "approve"


def test_deleting_teaches_nothing_and_keeps_the_earlier_decision(thread, moderator, settings):
    comment = held(thread, "Spam again", settings=settings)
    services.comment_mark_spam_by(moderator, comment.pk)
    services.comment_delete_by(moderator, comment.pk)
    assert ModeratorDecision.objects.get().decision == "spam"


def test_ban_and_reject_keeps_a_rejection(thread, moderator, settings):
    comment = held(thread, "You again, idiot", "Troll Tom", settings=settings)
    services.author_ban(moderator, comment.pk, duration=None, reject_comment=True)
    assert ModeratorDecision.objects.get().decision == "reject"


def test_an_action_that_changes_nothing_keeps_nothing(thread, moderator, settings):
    comment = held(thread, "Already gone", settings=settings)
    Comment.objects.filter(pk=comment.pk).update(status=Status.REJECTED)
    services.comment_reject_by(moderator, comment.pk)
    assert not ModeratorDecision.objects.exists()


# --- privacy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["anonymize", "delete"])
def test_erasing_a_commenter_deletes_the_decisions_about_their_comments(
    thread, moderator, settings, mode
):
    ada_first = held(thread, "Ada's first words", "Ada Guest", settings=settings)
    ada_second = held(thread, "Ada's second words", "Ada Guest")
    bob = held(thread, "Bob's words", "Bob Guest")
    services.comments_act(moderator, "reject", [ada_first.pk, ada_second.pk, bob.pk])

    summary = privacy.personal_data_erase(email="ada@example.org", mode=mode)

    assert summary["moderator_decisions_deleted"] == 2
    assert list(ModeratorDecision.objects.values_list("comment_id", flat=True)) == [bob.pk]
    assert not ModeratorDecision.objects.filter(text__contains="Ada").exists()


# --- the adaptation's parts -------------------------------------------------------------------


def test_labels_follow_the_decision_and_the_shipped_models_leaning():
    classifier = classifier_shipped()
    names = list(classifier.categories)
    threat, insult, spam = names.index("threat"), names.index("insult"), names.index("spam")
    shipped = np.full((4, len(names)), 0.01)  # the shipped model sees nothing...
    shipped[1, threat] = 0.4  # ...but leans to threat here (over half its threshold)
    labels, known = learning.category_labels(
        [set(), {"insult"}, {"insult"}, {"spam"}], shipped, classifier
    )
    assert known[0].all() and not labels[0].any()  # approved: no category
    assert known[1].sum() == 1 and labels[1, threat] == 1  # rejected, as the model leans
    assert known[2].sum() == 1 and labels[2, insult] == 1  # rejected, nothing seen: insult
    assert known[3].sum() == 1 and labels[3, spam] == 1


def test_the_held_out_quarter_is_stratified_and_stays_put_as_decisions_accumulate():
    kinds = ["approve"] * 120 + ["reject"] * 60 + ["spam"] * 20
    keys = list(range(1, 201))
    held_out = learning.held_out_rows(keys, kinds)
    for kind, count in (("approve", 120), ("reject", 60), ("spam", 20)):
        share = sum(h for h, k in zip(held_out, kinds, strict=True) if k == kind) / count
        assert 0.1 < share < 0.4, (kind, share)
    more = learning.held_out_rows([*keys, *range(201, 301)], kinds + ["approve"] * 100)
    assert list(more[:200]) == list(held_out)


def test_an_adaptation_survives_storage_unchanged():
    classifier = classifier_shipped()
    k = len(classifier.categories)
    delta = sparse.csr_matrix(([1.5, -0.25], ([7, 9000], [0, 5])), shape=(classifier.n_features, k))
    adaptation = learning.Adaptation.from_delta(
        categories=tuple(classifier.categories),
        scale=np.linspace(0.9, 1.1, k),
        bias=np.linspace(-0.2, 0.2, k),
        delta=delta,
    )
    copy = learning.Adaptation.from_bytes(adaptation.to_bytes(), attempt_id=3)
    features = classifier.features(["Only a skrunt would say so", "Fine weather"])
    logits = classifier.logits(features)
    assert copy.attempt_id == 3
    assert np.allclose(copy.apply(logits, features), adaptation.apply(logits, features))


# --- learning ---------------------------------------------------------------------------------


def test_learning_a_local_slur_makes_new_comments_with_it_score_higher(
    thread, moderator, django_capture_on_commit_callbacks
):
    decisions_store(thread, slur_decisions(), moderator)
    new_comment = f"Only a {SLUR} would write that about the council."
    before = insult_probability(new_comment)
    before_plain = insult_probability("The ferry timetable changes in May.")
    before_scored = text_analyze(new_comment).scores["insult"]

    attempt = learned(moderator, django_capture_on_commit_callbacks, min_decisions=20)

    assert attempt.outcome == Outcome.INSTALLED, attempt.reason
    assert attempt.decisions == 60 and 0 < attempt.held_out < 30
    assert attempt.parameters
    figures = attempt.figures["decisions"]
    assert figures["candidate"]["log_loss"] < figures["current"]["log_loss"]
    assert learning.adaptation_current().attempt_id == attempt.pk
    assert insult_probability(new_comment) > before + 0.1
    assert abs(insult_probability("The ferry timetable changes in May.") - before_plain) < 0.05
    # Scoring, which every screen and the API share, applies it too.
    assert text_analyze(new_comment).scores["insult"] > before_scored + 0.1
    entry = AuditEntry.objects.get(action="adaptation_learn")
    assert entry.actor == moderator and entry.summary.startswith("Installed")
    assert set(entry.after) == {"decisions", "shipped"}


def test_learning_refuses_what_contradicts_the_shipped_evaluation_data(
    thread, moderator, django_capture_on_commit_callbacks
):
    decisions_store(thread, contradicting_decisions(), moderator)

    attempt = learned(moderator, django_capture_on_commit_callbacks, min_decisions=20)

    assert attempt.outcome == Outcome.REFUSED
    assert attempt.reason.startswith("Kept the current model")
    assert "on the shipped evaluation data" in attempt.reason
    assert attempt.parameters is None
    assert learning.adaptation_current() is None
    assert AuditEntry.objects.get(action="adaptation_learn").summary.startswith("Refused")


def test_too_few_decisions_says_so_and_installs_nothing(thread, moderator):
    decisions_store(thread, slur_decisions(2), moderator)
    with pytest.raises(services.ModerationError) as refusal:
        services.adaptation_learn(moderator=moderator, min_decisions=20)
    assert refusal.value.message == (
        "Only 4 decisions so far; learning needs at least 20 "
        "(approve, reject or spam in the moderation queue)."
    )
    assert not LearningAttempt.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_dry_run_measures_but_installs_and_records_nothing(thread, moderator):
    decisions_store(thread, slur_decisions(), moderator)
    attempt = services.adaptation_learn(moderator=moderator, min_decisions=20, dry_run=True)
    assert attempt.outcome == Outcome.INSTALLED and attempt.pk is None
    assert attempt.figures["shipped"]["candidate"]["examples"] == len(shipped_evaluation())
    assert not LearningAttempt.objects.exists() and not AuditEntry.objects.exists()
    assert learning.adaptation_current() is None


def test_a_new_candidate_is_measured_against_the_adaptation_in_force(
    thread, moderator, django_capture_on_commit_callbacks
):
    decisions_store(thread, slur_decisions(), moderator)
    first = learned(moderator, django_capture_on_commit_callbacks, min_decisions=20)
    decisions_store(thread, [(f"{SLUR}s, the lot of you.", "reject")] * 4, moderator)
    second = learned(moderator, django_capture_on_commit_callbacks, min_decisions=20)
    assert first.outcome == Outcome.INSTALLED
    assert second.figures["current_attempt"] == first.pk
    in_force = first if second.outcome == Outcome.REFUSED else second
    assert learning.adaptation_current().attempt_id == in_force.pk


def test_without_a_usable_shipped_model_learning_and_the_page_say_why(
    client, thread, moderator, monkeypatch
):
    decisions_store(thread, slur_decisions(), moderator)

    def missing():
        raise ModelError("The moderation model file classifier.npz is missing.")

    monkeypatch.setattr("masthead.moderation.classifier.classifier_shipped", missing)
    with pytest.raises(services.ModerationError, match=r"classifier\.npz is missing"):
        services.adaptation_learn(moderator=moderator, min_decisions=20)
    client.force_login(moderator)
    assert "classifier.npz is missing" in client.get(MODEL_PAGE).content.decode()


def test_a_queued_run_that_cannot_learn_any_more_ends_failed_with_the_reason(
    thread, moderator, settings
):
    settings.MODERATION_LEARN_MIN_DECISIONS = 20
    attempt = LearningAttempt.objects.create(outcome=Outcome.LEARNING, created_by=moderator)
    # Its decisions were erased between the button and the worker.
    assert tasks.learn_adaptation.call(attempt.pk) == Outcome.FAILED
    attempt.refresh_from_db()
    assert attempt.reason.startswith("Only 0 decisions so far")
    assert tasks.learn_adaptation.call(attempt.pk) is None  # an ended run is left alone


def test_learning_needs_a_moderator(thread, bystander):
    with pytest.raises(services.PermissionDenied):
        services.adaptation_learn(moderator=bystander, min_decisions=2)


# --- the adaptation in force, on every app server ---------------------------------------------


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_servers_pick_up_an_install_at_once_through_the_cache_or_within_a_minute(
    thread, moderator, monkeypatch, django_assert_num_queries
):
    clock = Clock()
    monkeypatch.setattr(learning.time, "monotonic", clock)
    assert learning.adaptation_current() is None
    decisions_store(thread, slur_decisions(), moderator)
    # Another server installs: its row is in the database, this process has not been told.
    attempt = services.adaptation_learn(moderator=moderator, min_decisions=20)
    assert attempt.outcome == Outcome.INSTALLED

    with django_assert_num_queries(0):  # within the second: nothing is read
        assert learning.adaptation_current() is None
    clock.now += 2  # the shared cache still holds the old version: no database query either
    with django_assert_num_queries(0):
        assert learning.adaptation_current() is None
    clock.now += 60  # a minute on, the database is asked (a per-process cache learns it here)
    assert learning.adaptation_current().attempt_id == attempt.pk

    # The installing server clears the shared key after commit: everyone sees it within a second.
    newer = LearningAttempt.objects.create(
        outcome=Outcome.INSTALLED,
        shipped_version=attempt.shipped_version,
        parameters=attempt.parameters,
    )
    cache.delete(learning.VERSION_CACHE_KEY)
    clock.now += 2
    assert learning.adaptation_current().attempt_id == newer.pk


def test_an_adaptation_for_another_shipped_model_is_not_used(thread, moderator):
    decisions_store(thread, slur_decisions(), moderator)
    attempt = services.adaptation_learn(moderator=moderator, min_decisions=20)
    LearningAttempt.objects.filter(pk=attempt.pk).update(shipped_version="an older model")
    learning.adaptation_changed()
    assert learning.adaptation_current() is None


# --- the command ------------------------------------------------------------------------------


def test_command_learns_installs_and_prints_the_figures(thread, capsys):
    decisions_store(thread, slur_decisions())
    call_command("moderation", "learn", "--min-decisions", "20")
    output = capsys.readouterr().out
    assert output.startswith("Installed (60 decisions")
    assert "Held-out decisions · abuse held:" in output
    assert "Shipped evaluation data · acceptable comments held:" in output
    attempt = LearningAttempt.objects.get()
    assert attempt.created_by is None
    assert AuditEntry.objects.get().actor_name == "masthead command"


def test_command_dry_run_installs_nothing(thread, capsys):
    decisions_store(thread, slur_decisions())
    call_command("moderation", "learn", "--min-decisions", "20", "--dry-run")
    assert capsys.readouterr().out.startswith("Dry run: would install")
    assert not LearningAttempt.objects.exists()


def test_command_with_too_few_decisions_says_so(thread, settings):
    settings.MODERATION_LEARN_MIN_DECISIONS = 50
    decisions_store(thread, slur_decisions(3))
    with pytest.raises(CommandError, match="Only 6 decisions so far; learning needs at least 50"):
        call_command("moderation", "learn")
    assert not LearningAttempt.objects.exists()


# --- the Model page ---------------------------------------------------------------------------

PAGE_REQUESTS = [("get", MODEL_PAGE), ("post", LEARN)]


@pytest.mark.parametrize(("method", "url"), PAGE_REQUESTS)
def test_model_page_sends_anonymous_visitors_to_the_login(client, thread, method, url):
    decisions_store(thread, slur_decisions())
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not LearningAttempt.objects.exists()


@pytest.mark.parametrize(("method", "url"), PAGE_REQUESTS)
def test_model_page_refuses_admin_users_without_the_permission(
    client, thread, bystander, method, url, settings
):
    settings.MODERATION_LEARN_MIN_DECISIONS = 20
    decisions_store(thread, slur_decisions())
    client.force_login(bystander)
    response = getattr(client, method)(url)
    refused = response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )
    assert refused, (response.status_code, response.get("Location"))
    assert not LearningAttempt.objects.exists()


def test_model_page_shows_the_shipped_model_and_no_adaptation_yet(client, thread, moderator):
    decisions_store(thread, slur_decisions(2), moderator)
    client.force_login(moderator)
    page = client.get(MODEL_PAGE).content.decode()
    manifest = classifier_shipped().manifest
    assert f"Version <strong>{manifest['version']}</strong>" in page
    assert "None yet: the shipped model scores on its own." in page
    assert "4 decisions collected so far" in page
    assert "Learn from decisions now" in page
    assert "No attempt yet." in page
    assert "Model" in client.get("/admin/").content.decode()


def test_learn_button_installs_and_the_page_shows_the_new_figures(
    client, thread, moderator, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_LEARN_MIN_DECISIONS = 20
    decisions_store(thread, slur_decisions(), moderator)
    client.force_login(moderator)
    # The run is queued after commit; the test's queue runs it when the block ends (in
    # production the immediate queue has finished it before the page answers).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LEARN)
    assert response.status_code == 302 and response["Location"] == MODEL_PAGE

    page = client.get(MODEL_PAGE).content.decode()
    attempt = LearningAttempt.objects.get()
    assert attempt.outcome == Outcome.INSTALLED and attempt.created_by == moderator
    assert "learned from 60 decisions" in page
    assert "Held-out decisions" in page and "acceptable comments held" in page
    assert "0 decisions collected since then" in page
    assert f'data-attempt="{attempt.pk}" data-outcome="installed"' in page


def test_learn_button_with_too_few_decisions_says_so(client, thread, moderator, settings):
    settings.MODERATION_LEARN_MIN_DECISIONS = 20
    decisions_store(thread, slur_decisions(2), moderator)
    client.force_login(moderator)
    response = client.post(LEARN)
    assert messages_of(response) == [
        "Only 4 decisions so far; learning needs at least 20 "
        "(approve, reject or spam in the moderation queue)."
    ]
    assert not LearningAttempt.objects.exists()


def test_learn_button_shows_a_refusal_and_its_reason(
    client, thread, moderator, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_LEARN_MIN_DECISIONS = 20
    decisions_store(thread, contradicting_decisions(), moderator)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LEARN)
    page = client.get(MODEL_PAGE).content.decode()
    assert 'data-outcome="refused"' in page and "None yet" in page
    # Which set shows the loss first depends on which decisions are held out (by comment id).
    assert re.search(
        r"Kept the current model: on the (shipped evaluation data|held-out decisions)", page
    )


def test_learn_button_is_refused_while_a_run_is_under_way(client, thread, moderator, settings):
    settings.MODERATION_LEARN_MIN_DECISIONS = 20
    decisions_store(thread, slur_decisions(), moderator)
    LearningAttempt.objects.create(outcome=Outcome.LEARNING, created_by=moderator)
    client.force_login(moderator)
    page = client.get(MODEL_PAGE).content.decode()
    assert "Learning since" in page and "Learn from decisions now" not in page
    response = client.post(LEARN)
    assert messages_of(response) == ["A learning run is already under way."]
    assert LearningAttempt.objects.count() == 1


def test_learn_button_only_posts(client, moderator):
    client.force_login(moderator)
    assert client.get(LEARN).status_code == 405


# Real commits, so the run reaches the database queue as it does in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_the_database_queue_a_worker_completes_the_run(client, moderator, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.MODERATION_LEARN_MIN_DECISIONS = 20
    settings.DISCUSSION_SCREEN = HOLD_EVERYTHING
    thread = article_thread("Queued learning")[1]
    decisions_store(thread, slur_decisions(), moderator)
    client.force_login(moderator)

    response = client.post(LEARN)
    assert messages_of(response) == [
        "Learning in the background; reload the page in a minute for the outcome."
    ]
    assert LearningAttempt.objects.get().outcome == Outcome.LEARNING
    assert "Learning since" in client.get(MODEL_PAGE).content.decode()

    call_command("worker", batch=True, verbosity=0)
    assert LearningAttempt.objects.get().outcome == Outcome.INSTALLED
    assert learning.adaptation_current() is not None
