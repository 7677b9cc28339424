/*
 * "Notify of" under an article: subscribe to new comments or to replies, by email.
 *
 * Without JavaScript the control is a plain form (kind, email, Subscribe) that posts to the
 * server. With it, nothing extra shows until the reader picks what to be notified of; a
 * signed-in reader is subscribed at once, a guest is asked for an address first.
 */
(function () {
    "use strict";

    var GUEST_KEY = "masthead:guest";
    // The page's message catalog (base.html loads it first); English if it failed to load.
    var gettext = window.gettext || function (message) { return message; };

    function cookie(name) {
        var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
        return match ? decodeURIComponent(match[1]) : "";
    }

    function savedEmail() {
        try {
            var saved = JSON.parse(window.localStorage.getItem(GUEST_KEY) || "null");
            return (saved && saved.email) || "";
        } catch (error) {
            return "";
        }
    }

    function enhance(form) {
        var select = form.querySelector("[data-notify-of]");
        var extra = form.querySelector("[data-notify-extra]");
        var email = form.querySelector("[data-notify-email]");
        var submit = form.querySelector("[data-notify-submit]");
        var status = form.querySelector("[data-notify-status]");
        var key = form.getAttribute("data-thread-key");
        var signedIn = form.getAttribute("data-signed-in") === "true";
        var busy = false;

        var none = document.createElement("option");
        none.value = "";
        // Says what the control is for before it is opened (a bare dash read as broken).
        none.textContent = form.getAttribute("data-none-label") || "…";
        select.insertBefore(none, select.firstChild);
        select.value = "";
        extra.hidden = true;

        function show(message, tone) {
            status.textContent = message;
            status.hidden = !message;
            status.setAttribute("data-tone", tone || "");
        }

        function send() {
            if (busy || !select.value) return;
            if (email && !email.checkValidity()) {
                email.reportValidity();
                return;
            }
            busy = true;
            submit.disabled = true;
            show(gettext("Subscribing…"));
            var headers = { "Content-Type": "application/json", Accept: "application/json" };
            var token = cookie("csrftoken");
            if (token) headers["X-CSRFToken"] = token;
            fetch("/api/v1/threads/" + encodeURIComponent(key) + "/subscriptions", {
                method: "POST",
                credentials: "same-origin",
                headers: headers,
                // The mails are written in this page's language.
                body: JSON.stringify({
                    kind: select.value,
                    email: email ? email.value.trim() : "",
                    language: document.documentElement.lang || "",
                }),
            })
                .then(function (response) {
                    return response.json().then(
                        function (data) {
                            return { ok: response.ok, data: data };
                        },
                        function () {
                            return { ok: false, data: {} };
                        }
                    );
                })
                .then(function (result) {
                    if (result.ok) {
                        show(result.data.message, "ok");
                        if (!signedIn) extra.hidden = true;
                    } else {
                        show(result.data.error || gettext("The subscription did not work. Please try again."), "error");
                        if (email && result.data.fields && result.data.fields.email) email.focus();
                    }
                })
                .catch(function () {
                    show(gettext("The server could not be reached. Check your connection and try again."), "error");
                })
                .then(function () {
                    busy = false;
                    submit.disabled = false;
                });
        }

        select.addEventListener("change", function () {
            show("");
            if (!select.value) {
                extra.hidden = true;
                return;
            }
            if (signedIn) {
                extra.hidden = false;
                send();
                return;
            }
            extra.hidden = false;
            if (email && !email.value) email.value = savedEmail();
            if (email) email.focus();
        });
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            send();
        });
    }

    function start() {
        document.querySelectorAll("[data-notify-form]").forEach(enhance);
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
})();
