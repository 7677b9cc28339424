"""The analyze API, its Perspective-compatible route, and the API keys moderators hand out.

Requests are sent as programs send them: with a key in a header or `?key=`, or from the admin
with the session cookie and the CSRF token. Tests that read scores use texts no scorer can
doubt; they need `scoring.text_analyze`, the others pass without it.
"""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client

from masthead.moderation import services
from masthead.moderation.models import ApiKey, AuditEntry

pytestmark = pytest.mark.django_db

ANALYZE = "/api/v1/moderation/analyze"
PERSPECTIVE = "/v1alpha1/comments:analyze"
API_KEYS = "/admin/moderation/api-keys/"
THREAT = "I will kill you"
KIND = "Thank you for the careful reporting"


@pytest.fixture
def key(moderator) -> str:
    """A working key, created as a moderator would ("Newsletter tool")."""
    return services.api_key_create(moderator=moderator, name="Newsletter tool").key


def analyze(client, body, **headers):
    return client.post(ANALYZE, json.dumps(body), content_type="application/json", headers=headers)


def perspective(client, body, *, key: str | None = None, **headers):
    url = PERSPECTIVE + (f"?key={key}" if key is not None else "")
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def toxicity_request(text: str, **extra) -> dict:
    return {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, **extra}


# --- who may call /api/v1/moderation/analyze ----------------------------------------------------


def test_without_a_key_the_analyze_api_answers_401_and_says_how_to_get_in(client):
    response = analyze(client, {"text": THREAT})

    assert response.status_code == 401
    body = response.json()
    assert "API key" in body["error"] and "Authorization: Bearer" in body["error"]
    assert "scores" not in body


def test_a_caller_without_a_key_learns_nothing_about_the_body_it_sent(client):
    broken = client.post(ANALYZE, "{not json", content_type="application/json")
    plain = analyze(client, {"text": THREAT})

    assert broken.status_code == 401
    assert broken.content == plain.content  # the key is checked before the body is read


def test_a_wrong_key_and_a_revoked_key_get_the_same_401(client, moderator, key):
    revoked = services.api_key_create(moderator=moderator, name="Old tool")
    services.api_key_revoke(moderator=moderator, api_key_id=revoked.api_key.pk)
    wrong = key[:-4] + "abcd"

    answers = [
        analyze(client, {"text": THREAT}, authorization=f"Bearer {candidate}")
        for candidate in (wrong, revoked.key, "mh_000000000000_nothing", "not-a-key")
    ]

    assert [answer.status_code for answer in answers] == [401] * 4
    assert len({answer.content for answer in answers}) == 1  # nothing tells them apart
    assert "scores" not in answers[0].json()


def test_a_signed_in_user_who_may_not_moderate_is_refused_with_403(client, bystander):
    client.force_login(bystander)

    response = analyze(client, {"text": THREAT})

    assert response.status_code == 403
    assert "permission" in response.json()["error"]


def test_a_moderators_session_without_the_csrf_token_is_refused(moderator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)

    response = analyze(browser, {"text": THREAT})

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]


def test_a_moderators_session_with_the_csrf_token_is_answered(moderator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    browser.get(API_KEYS)  # any admin page with a form sets the CSRF cookie, as in the admin

    response = analyze(browser, {"text": THREAT}, x_csrftoken=browser.cookies["csrftoken"].value)

    assert response.status_code == 200
    assert response.json()["scores"]["threat"] > 0.5


# --- what /api/v1/moderation/analyze answers ----------------------------------------------------


def test_a_key_created_through_the_service_scores_a_threat_and_a_kind_text(client, key):
    threat = analyze(client, {"text": THREAT}, authorization=f"Bearer {key}")
    kind = analyze(client, {"text": KIND, "languages": ["en"]}, x_api_key=key)

    assert threat.status_code == 200 and kind.status_code == 200
    body = threat.json()
    assert set(body["scores"]) == {
        "insult",
        "identity_hate",
        "threat",
        "sexual",
        "profanity",
        "spam",
    }
    assert body["scores"]["threat"] > 0.5
    assert body["toxicity"] >= body["scores"]["threat"]
    assert isinstance(body["language"], str) and isinstance(body["reasons"], list)
    for span in body["spans"]:
        assert set(span) == {"start", "end", "category", "score", "quote"}
        assert 0 <= span["start"] < span["end"] <= len(THREAT)
    assert kind.json()["toxicity"] < 0.3


def test_using_a_key_shows_when_it_was_last_used(client, key):
    assert ApiKey.objects.get().last_used is None

    analyze(client, {"text": KIND}, x_api_key=key)

    assert ApiKey.objects.get().last_used is not None


def test_a_text_over_the_limit_is_refused_with_413_and_the_limit(client, key, settings):
    settings.MODERATION_ANALYZE_MAX_CHARS = 20_000

    response = analyze(client, {"text": "a" * 20_001}, x_api_key=key)

    assert response.status_code == 413
    assert "20000" in response.json()["error"]


def test_a_key_over_its_rate_limit_waits_while_other_keys_go_on(client, moderator, key, settings):
    settings.MODERATION_ANALYZE_PER_MINUTE = 2
    other = services.api_key_create(moderator=moderator, name="Comments desk").key

    statuses = [analyze(client, {"text": KIND}, x_api_key=key).status_code for _ in range(3)]
    limited = analyze(client, {"text": KIND}, x_api_key=key)

    assert statuses == [200, 200, 429]
    assert int(limited["Retry-After"]) >= 1
    assert "Try again" in limited.json()["error"]
    assert analyze(client, {"text": KIND}, x_api_key=other).status_code == 200


# --- the Perspective-compatible route -----------------------------------------------------------


def test_googles_documented_curl_example_is_answered_in_perspectives_shape(client, key):
    # Byte for byte the body of Perspective's "Using cURL" sample, keys without quotes.
    body = (
        '{comment: {text: "what kind of idiot name is foo?"},\n'
        '          languages: ["en"],\n'
        "          requestedAttributes: {TOXICITY:{}} }"
    )

    response = client.post(f"{PERSPECTIVE}?key={key}", body, content_type="application/json")

    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"attributeScores", "languages", "detectedLanguages"}
    assert set(answer["attributeScores"]) == {"TOXICITY"}
    summary = answer["attributeScores"]["TOXICITY"]["summaryScore"]
    assert summary["type"] == "PROBABILITY" and 0 <= summary["value"] <= 1
    assert "spanScores" not in answer["attributeScores"]["TOXICITY"]
    assert answer["languages"] == ["en"]


def test_the_python_sample_without_a_content_type_is_answered(client, key):
    # Perspective's Python sample: requests.post(url, data=json.dumps(...)) sends no type.
    body = json.dumps(toxicity_request("what kind of idiot name is foo?", languages=["en"]))

    response = client.generic("POST", f"{PERSPECTIVE}?key={key}", body, content_type="")

    assert response.status_code == 200
    assert "TOXICITY" in response.json()["attributeScores"]


def test_googles_python_client_query_and_headers_are_answered(client, key):
    # google-api-python-client adds ?alt=json; other clients send the key in a header.
    by_query = client.post(
        f"{PERSPECTIVE}?alt=json&key={key}",
        json.dumps(toxicity_request(KIND)),
        content_type="application/json",
    )
    by_bearer = perspective(client, toxicity_request(KIND), authorization=f"Bearer {key}")
    by_header = perspective(client, toxicity_request(KIND), x_api_key=key)

    assert [by_query.status_code, by_bearer.status_code, by_header.status_code] == [200] * 3


def test_a_full_request_gets_each_attribute_under_its_requested_name_with_spans(client, key):
    request = {
        "comment": {"text": THREAT, "type": "PLAIN_TEXT"},
        "context": {"entries": [{"text": "Council votes on the harbour", "type": "PLAIN_TEXT"}]},
        "languages": ["en"],
        "requestedAttributes": {
            "TOXICITY": {},
            "SEVERE_TOXICITY": {"scoreType": "PROBABILITY"},
            "THREAT": {"scoreThreshold": 0.5},
            "INSULT_EXPERIMENTAL": {},
            "IDENTITY_ATTACK": {},
            "PROFANITY": {},
            "SEXUALLY_EXPLICIT": {},
            "SPAM": {},
        },
        "spanAnnotations": True,
        "doNotStore": True,
        "clientToken": "comment-53922",
        "sessionId": "4581",
        "communityId": "/forum/news",
    }

    answer = perspective(client, request, key=key).json()

    scores = answer["attributeScores"]
    assert set(scores) == set(request["requestedAttributes"])
    assert scores["THREAT"]["summaryScore"]["value"] > 0.5
    assert scores["SEVERE_TOXICITY"]["summaryScore"]["value"] > 0.5
    assert answer["clientToken"] == "comment-53922"
    assert answer["languages"] == ["en"]
    assert isinstance(answer["detectedLanguages"], list)
    for name, scored in scores.items():
        whole, *phrases = scored["spanScores"]
        assert (whole["begin"], whole["end"]) == (0, len(THREAT)), name
        assert whole["score"] == scored["summaryScore"]
        for span in phrases:
            assert 0 <= span["begin"] < span["end"] <= len(THREAT)
            assert span["score"]["type"] == "PROBABILITY"


def test_an_attribute_below_its_threshold_is_left_out(client, key):
    request = {
        "comment": {"text": KIND},
        "requestedAttributes": {"TOXICITY": {"scoreThreshold": 0.5}, "INSULT": {}},
    }

    answer = perspective(client, request, key=key).json()

    assert set(answer["attributeScores"]) == {"INSULT"}


def test_a_kind_text_scores_low_and_a_threat_high(client, key):
    kind = perspective(client, toxicity_request(KIND), key=key).json()
    threat = perspective(
        client, {"comment": {"text": THREAT}, "requestedAttributes": {"THREAT": {}}}, key=key
    ).json()

    assert kind["attributeScores"]["TOXICITY"]["summaryScore"]["value"] < 0.3
    assert threat["attributeScores"]["THREAT"]["summaryScore"]["value"] > 0.5


def test_span_scores_come_only_when_asked_for(client, key):
    without = perspective(client, toxicity_request(THREAT, spanAnnotations=False), key=key)
    with_spans = perspective(client, toxicity_request(THREAT, spanAnnotations=True), key=key)

    assert "spanScores" not in without.json()["attributeScores"]["TOXICITY"]
    assert with_spans.json()["attributeScores"]["TOXICITY"]["spanScores"][0]["begin"] == 0


def test_an_unknown_attribute_is_refused_in_googles_error_shape(client, key):
    request = {"comment": {"text": KIND}, "requestedAttributes": {"FLIRTATION": {}}}

    response = perspective(client, request, key=key)

    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {"code", "message", "status"}
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert "FLIRTATION" in error["message"]


@pytest.mark.parametrize(
    ("request_body", "words"),
    [
        ({"requestedAttributes": {"TOXICITY": {}}}, "Comment text"),
        ({"comment": {"text": KIND}}, "at least one attribute"),
        (
            {"comment": {"text": KIND}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}},
            "RAW",
        ),
        (toxicity_request(KIND, spanAnnotation=True), "spanAnnotation"),
    ],
)
def test_a_malformed_request_is_refused_saying_what_is_wrong(client, key, request_body, words):
    response = perspective(client, request_body, key=key)

    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert words in response.json()["error"]["message"]


def test_the_perspective_route_without_a_key_is_refused_with_permission_denied(client, moderator):
    client.force_login(moderator)  # a session is no key: the route takes keys only

    response = perspective(client, toxicity_request(THREAT))

    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": 403,
            "message": "The request is missing a valid API key.",
            "status": "PERMISSION_DENIED",
        }
    }


def test_the_perspective_route_refuses_a_wrong_or_revoked_key_as_google_does(
    client, moderator, key
):
    revoked = services.api_key_create(moderator=moderator, name="Old tool")
    services.api_key_revoke(moderator=moderator, api_key_id=revoked.api_key.pk)

    answers = [
        perspective(client, toxicity_request(THREAT), key=candidate)
        for candidate in (key[:-4] + "abcd", revoked.key)
    ]

    for answer in answers:
        assert answer.status_code == 400
        assert answer.json()["error"]["message"] == (
            "API key not valid. Please pass a valid API key."
        )
    assert answers[0].content == answers[1].content


def test_a_too_long_comment_is_refused_in_googles_error_shape(client, key, settings):
    settings.MODERATION_ANALYZE_MAX_CHARS = 100

    response = perspective(client, toxicity_request("a" * 101), key=key)

    assert response.status_code == 400
    assert "100" in response.json()["error"]["message"]


def test_the_perspective_route_over_the_rate_limit_answers_resource_exhausted(
    client, key, settings
):
    settings.MODERATION_ANALYZE_PER_MINUTE = 1

    perspective(client, toxicity_request(KIND), key=key)
    response = perspective(client, toxicity_request(KIND), key=key)

    assert response.status_code == 429
    assert response.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert int(response["Retry-After"]) >= 1


# --- the services --------------------------------------------------------------------------------


def test_only_a_hash_of_the_key_is_stored_and_the_creation_is_audited(moderator):
    created = services.api_key_create(moderator=moderator, name="  Newsletter   tool ")

    stored = ApiKey.objects.values().get()
    assert created.key.startswith(stored["prefix"]) and stored["name"] == "Newsletter tool"
    assert created.key not in json.dumps(stored, default=str)
    entry = AuditEntry.objects.get(action="api_key_create")
    assert entry.actor == moderator and created.key not in json.dumps(entry.after)


def test_revoking_is_audited_once_and_a_second_revocation_changes_nothing(moderator, key):
    api_key = ApiKey.objects.get()

    first = services.api_key_revoke(moderator=moderator, api_key_id=api_key.pk)
    second = services.api_key_revoke(moderator=moderator, api_key_id=api_key.pk)

    assert first is not None and first.revoked is not None and second is None
    assert AuditEntry.objects.filter(action="api_key_revoke").count() == 1


def test_people_who_may_not_moderate_cannot_create_or_revoke_keys(bystander, key):
    for person in (bystander, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.api_key_create(moderator=person, name="Sneaky")
        with pytest.raises(PermissionDenied):
            services.api_key_revoke(moderator=person, api_key_id=ApiKey.objects.get().pk)
    assert ApiKey.objects.get().is_active


def test_a_key_needs_a_name(moderator):
    with pytest.raises(services.ModerationError, match="name"):
        services.api_key_create(moderator=moderator, name="   ")


# --- the admin pages -----------------------------------------------------------------------------


def test_a_moderator_creates_a_key_sees_it_once_and_it_works(client, moderator):
    client.force_login(moderator)
    assert "API keys" in client.get("/admin/").content.decode()  # in the Moderation menu

    created = client.post(API_KEYS + "add/", {"name": "Newsletter tool"})

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"] or "no-cache" in created["Cache-Control"]
    api_key = ApiKey.objects.get()
    page = created.content.decode()
    start = page.index(api_key.prefix)
    shown = page[start : page.index('"', start)]
    assert len(shown) > len(api_key.prefix) + 20
    listing = client.get(API_KEYS).content.decode()
    assert "Newsletter tool" in listing and api_key.prefix in listing
    assert shown not in listing  # never shown again
    client.logout()
    assert analyze(client, {"text": KIND}, x_api_key=shown).status_code == 200


def test_a_moderator_revokes_a_key_and_programs_sending_it_are_refused(client, moderator, key):
    client.force_login(moderator)
    api_key = ApiKey.objects.get()
    revoke_url = f"{API_KEYS}{api_key.pk}/revoke/"
    assert revoke_url in client.get(API_KEYS).content.decode()

    question = client.get(revoke_url)
    assert ApiKey.objects.get().is_active  # asking changes nothing
    response = client.post(revoke_url, follow=True)

    assert "Revoke the key “Newsletter tool”" in question.content.decode()
    page = response.content.decode()
    assert "Revoked the key “Newsletter tool”" in page
    assert "revoked" in page and revoke_url not in page
    client.logout()
    assert analyze(client, {"text": KIND}, x_api_key=key).status_code == 401
    assert perspective(client, toxicity_request(KIND), key=key).status_code == 400


def test_a_nameless_key_is_not_created_and_the_form_says_why(client, moderator):
    client.force_login(moderator)

    response = client.post(API_KEYS + "add/", {"name": ""})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_admin_users_without_the_permission_cannot_list_create_or_revoke(client, bystander, key):
    client.force_login(bystander)
    api_key = ApiKey.objects.get()

    answers = [
        client.get(API_KEYS),
        client.post(API_KEYS + "add/", {"name": "Sneaky"}),
        client.get(f"{API_KEYS}{api_key.pk}/revoke/"),
        client.post(f"{API_KEYS}{api_key.pk}/revoke/"),
    ]

    for answer in answers:
        assert answer.status_code in (302, 403)
        assert key not in answer.content.decode()
    assert ApiKey.objects.count() == 1 and ApiKey.objects.get().is_active
    assert "API keys" not in client.get("/admin/").content.decode()
