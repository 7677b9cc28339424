/* Masthead discussion: progressive enhancement of the server-rendered comment section.
 *
 * Plain JavaScript, no build step, no third-party code. Without this file everything still
 * works: the form posts to the server, tabs and "Load more" are links. With it, posting,
 * replying, voting, sorting, paging, permalinks, editing and inline feedback happen in place,
 * and comments posted by others are announced while the page is open (Server-Sent Events).
 *
 * Rule of this file: text a reader wrote is only ever inserted with textContent. The only HTML
 * inserted as HTML is what the server rendered (and sanitized) as a fragment.
 *
 * Every text this file shows or announces goes through gettext, ngettext or pgettext (by those
 * names: `makemessages -d djangojs` looks for them) with named placeholders for interpolate.
 * What readers wrote goes in elements with dir="auto" or <bdi>, or between Unicode isolates
 * in attributes, so a name in another script (or with a stray override character) cannot
 * reorder the sentence around it.
 */
(function () {
    "use strict";

    /* The language's catalog (Django's JavaScriptCatalog, loaded in the page's head) defines
     * these globals; a page without it shows the English source text instead of failing. */
    var gettext =
        window.gettext ||
        function (text) {
            return text;
        };
    var ngettext =
        window.ngettext ||
        function (singular, plural, count) {
            return count === 1 ? singular : plural;
        };
    var pgettext =
        window.pgettext ||
        function (context, text) {
            return text;
        };
    var interpolate =
        window.interpolate ||
        function (format, values, named) {
            if (named) {
                return format.replace(/%\(\s*([^)]+?)\s*\)s/g, function (match, name) {
                    return String(values[name]);
                });
            }
            var index = 0;
            return format.replace(/%s/g, function () {
                index += 1;
                return String(values[index - 1]);
            });
        };

    var root = document.querySelector(".discussion[data-thread-key]");
    if (!root || !window.fetch || !("content" in document.createElement("template"))) {
        return;
    }

    var KEY = root.getAttribute("data-thread-key");
    var API = (root.getAttribute("data-api") || "/api/v1").replace(/\/$/, "");
    var FRAGMENTS = (root.getAttribute("data-fragments") || "/discussion").replace(/\/$/, "");
    var LIVE = (root.getAttribute("data-live") || "").replace(/\/$/, "");
    var MAX_DEPTH = parseInt(root.getAttribute("data-max-depth") || "5", 10);
    var MAX_LENGTH = parseInt(root.getAttribute("data-max-length") || "5000", 10);
    var LANG = document.documentElement.lang || navigator.language || "en";
    var GUEST_KEY = "masthead:guest";
    var BUBBLE_KEY = "masthead:bubble-dismissed";
    var QUOTE_MIN = 3;
    var QUOTE_MAX = 1000;
    var CONTEXT = 32;

    var list = root.querySelector("[data-comment-list]");
    var mainForm = root.querySelector("[data-comment-form]");
    var countEl = root.querySelector("[data-comment-count]");
    var notice = root.querySelector("[data-discussion-notice]");
    var liveRegion = root.querySelector("[data-discussion-live]");
    var newButton = root.querySelector("[data-new-comments]");
    var articleBody = document.querySelector(".article-body");
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

    var reader = { csrf: "", authenticated: false, name: "", votes: {}, editable: new Set() };
    var currentSort = root.getAttribute("data-sort") || "newest";
    var listRequest = 0;

    /* ---------------------------------------------------------------- small helpers */

    function el(tag, attributes, text) {
        var node = document.createElement(tag);
        Object.keys(attributes || {}).forEach(function (name) {
            var value = attributes[name];
            if (value === false || value === null || value === undefined) return;
            node.setAttribute(name, value === true ? "" : String(value));
        });
        if (text !== undefined && text !== null) node.textContent = text;
        return node;
    }

    function own(card, selector) {
        // The element of this card itself, not of a nested reply.
        return card.querySelector(":scope > .comment-main " + selector);
    }

    function scrollBehaviour() {
        return reduceMotion ? "auto" : "smooth";
    }

    var store = {
        get: function (key) {
            try {
                return window.localStorage.getItem(key);
            } catch (error) {
                return null;
            }
        },
        set: function (key, value) {
            try {
                window.localStorage.setItem(key, value);
            } catch (error) {
                /* private mode or storage disabled: remember nothing */
            }
        },
    };

    var uid = 0;
    function uniqueId(prefix) {
        uid += 1;
        return prefix + "-" + uid;
    }

    /* Announce to screen readers; `visible` also shows the message in the notice above the list. */
    var noticeTimer = null;
    function announce(message, visible, tone) {
        if (liveRegion) {
            liveRegion.textContent = "";
            window.setTimeout(function () {
                liveRegion.textContent = message;
            }, 50);
        }
        if (visible && notice) {
            notice.textContent = message;
            notice.hidden = false;
            notice.className = "discussion-notice" + (tone ? " discussion-notice-" + tone : "");
            window.clearTimeout(noticeTimer);
            if (tone !== "pending") {
                noticeTimer = window.setTimeout(function () {
                    notice.hidden = true;
                }, 8000);
            }
        }
    }

    /* ---------------------------------------------------------------- requests */

    function RequestError(message, status, fields, code) {
        this.message = message;
        this.status = status || 0;
        this.fields = fields || {};
        this.code = code || ""; // "nudge": the reader may edit, or confirm and post anyway
    }

    function messageForStatus(status) {
        if (status === 403) return gettext("You are not allowed to do that.");
        if (status === 404) return gettext("That comment or discussion no longer exists.");
        if (status === 429) return gettext("Too many requests at once. Wait a moment and try again.");
        if (status >= 500) return gettext("Something went wrong on our side. Please try again in a moment.");
        return gettext("That did not work. Please try again.");
    }

    var OFFLINE = gettext("Could not reach the server. Check your connection and try again.");

    /* Bidi embedding, override and isolate controls. The server strips them from names
     * already; stripped here too, a name can never close the isolate put around it. */
    var BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

    /* A reader's name for a sentence in an attribute (placeholder, aria-label), where no <bdi>
     * can go: between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, so an Arabic name in
     * an English sentence, or the reverse, keeps the sentence's word order. */
    function isolated(name) {
        return "\u2068" + name.replace(BIDI_CONTROLS, "") + "\u2069";
    }

    function loadReader() {
        return fetch(API + "/threads/" + encodeURIComponent(KEY) + "/me", {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
        })
            .then(function (response) {
                return response.ok ? response.json() : null;
            })
            .then(function (data) {
                if (!data) return;
                reader.csrf = data.csrf_token || "";
                reader.authenticated = Boolean(data.authenticated);
                reader.name = data.name || "";
                reader.votes = data.votes || {};
                reader.editable = new Set((data.editable || []).map(Number));
                reader.formToken = data.form_token || "";
                reader.extras = data.extras || {};
            })
            .catch(function () {
                /* the section still works for reading and guest posting */
            });
    }

    var readerReady = loadReader();

    function apiCall(method, path, body, extraHeaders) {
        return readerReady.then(function () {
            var headers = Object.assign({ Accept: "application/json" }, extraHeaders);
            if (body !== undefined) headers["Content-Type"] = "application/json";
            if (reader.csrf) headers["X-CSRFToken"] = reader.csrf;
            return fetch(API + path, {
                method: method,
                headers: headers,
                credentials: "same-origin",
                body: body === undefined ? undefined : JSON.stringify(body),
            }).then(
                function (response) {
                    if (response.status === 204) return null;
                    return response
                        .json()
                        .catch(function () {
                            return null;
                        })
                        .then(function (data) {
                            if (!response.ok) {
                                throw new RequestError(
                                    (data && data.error) || messageForStatus(response.status),
                                    response.status,
                                    data && data.fields,
                                    data && data.code,
                                );
                            }
                            return data;
                        });
                },
                function () {
                    throw new RequestError(OFFLINE, 0);
                },
            );
        });
    }

    function parseFragment(html) {
        var template = document.createElement("template");
        template.innerHTML = html; // server-rendered and sanitized
        return template.content;
    }

    function fragment(path) {
        return fetch(FRAGMENTS + path, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(
            function (response) {
                if (!response.ok) throw new RequestError(messageForStatus(response.status), response.status);
                return response.text().then(parseFragment);
            },
            function () {
                throw new RequestError(OFFLINE, 0);
            },
        );
    }

    function threadPath(suffix) {
        return "/threads/" + encodeURIComponent(KEY) + suffix;
    }

    /* ---------------------------------------------------------------- comment cards */

    function cardsIn(scope) {
        var cards = Array.prototype.slice.call(scope.querySelectorAll(".comment[data-comment-id]"));
        if (scope.matches && scope.matches(".comment[data-comment-id]")) cards.unshift(scope);
        return cards;
    }

    function markVote(card, value) {
        card.querySelectorAll(":scope > .comment-main [data-vote]").forEach(function (button) {
            var active = Number(button.getAttribute("data-vote")) === value && value !== 0;
            button.classList.toggle("is-active", active);
            button.setAttribute("aria-pressed", active ? "true" : "false");
        });
    }

    function markOwn(card) {
        var mine = reader.editable.has(Number(card.getAttribute("data-comment-id")));
        card.querySelectorAll(":scope > .comment-main [data-edit], :scope > .comment-main [data-delete]").forEach(
            function (button) {
                button.hidden = !mine;
            },
        );
    }

    /* Apply what is personal or time-dependent to server-rendered cards. */
    function enhance(scope) {
        cardsIn(scope).forEach(function (card) {
            markVote(card, reader.votes[card.getAttribute("data-comment-id")] || 0);
            markOwn(card);
            var score = own(card, "[data-score]");
            if (score) score.setAttribute("aria-label", scoreLabel(score.textContent.trim()));
        });
        renderTimes(scope);
        checkPassages(scope);
    }

    function scoreLabel(score) {
        // Translators: read out by screen readers on a comment's vote count, e.g. "Score 3".
        return interpolate(gettext("Score %(score)s"), { score: score }, true);
    }

    function shownCount() {
        return countEl ? parseInt(countEl.getAttribute("data-comment-count"), 10) || 0 : 0;
    }

    function showCount(count) {
        if (!countEl) return;
        count = Math.max(0, count);
        countEl.setAttribute("data-comment-count", String(count));
        countEl.textContent = interpolate(ngettext("%(count)s Comment", "%(count)s Comments", count), { count: count }, true);
    }

    function setCount(delta) {
        // While the live stream is open the server sends the exact count after every change;
        // adding the reader's own change as well would count it twice when the event came first.
        if (live.open) return;
        showCount(shownCount() + delta);
    }

    function highlight(card, options) {
        root.querySelectorAll(".comment-highlight").forEach(function (other) {
            other.classList.remove("comment-highlight");
        });
        void card.offsetWidth; // restart the fade when the same card is highlighted again
        card.classList.add("comment-highlight");
        if (!options || options.scroll !== false) {
            card.scrollIntoView({ block: "center", behavior: scrollBehaviour() });
        }
        if (!card.hasAttribute("tabindex")) card.setAttribute("tabindex", "-1");
        card.focus({ preventScroll: true });
    }

    function removeEmptyMessage() {
        var empty = list.querySelector(":scope > .discussion-empty");
        if (empty) empty.remove();
    }

    function addMention(card, parent) {
        var body = own(card, ".comment-body");
        var name = own(parent, ".comment-author");
        if (!body || !name || body.querySelector(".comment-mention")) return;
        var mention = el("span", { class: "comment-mention" }, "@");
        mention.appendChild(el("bdi", {}, name.textContent.trim().replace(BIDI_CONTROLS, "")));
        body.insertBefore(document.createTextNode(" "), body.firstChild);
        body.insertBefore(mention, body.firstChild);
    }

    function repliesOf(card) {
        var replies = card.querySelector(":scope > .comment-replies");
        if (!replies) {
            replies = el("div", { class: "comment-replies" });
            card.appendChild(replies);
        }
        return replies;
    }

    function placeCard(card, parentId) {
        var parent = parentId ? document.getElementById("comment-" + parentId) : null;
        if (!parent) {
            removeEmptyMessage();
            // Pinned comments stay first: a new one goes right below them.
            var pinned = list.querySelectorAll(":scope > .comment-pinned");
            var after = pinned.length ? pinned[pinned.length - 1] : null;
            list.insertBefore(card, after ? after.nextSibling : list.firstChild);
            return;
        }
        var depth = parseInt(card.getAttribute("data-depth"), 10) || 0;
        // Deep replies are shown flat, "@name" style, like the server renders them.
        var container = parent.classList.contains("comment-flat") ? parent.parentElement : repliesOf(parent);
        if (depth >= MAX_DEPTH) {
            card.classList.add("comment-flat");
            addMention(card, parent);
        }
        container.appendChild(card);
        // A comment with replies can no longer be edited or deleted by its author.
        reader.editable.delete(Number(parentId));
        markOwn(parent);
    }

    /* Fetch a comment's card again and put it in place of `card`, keeping its replies. */
    function refreshCard(card) {
        var id = card.getAttribute("data-comment-id");
        return fragment("/comments/" + id + "/")
            .then(
                function (content) {
                    return content.querySelector(".comment");
                },
                function (error) {
                    if (error.status === 404) return null;
                    throw error;
                },
            )
            .then(function (fresh) {
                var replies = card.querySelector(":scope > .comment-replies");
                if (!fresh) {
                    card.remove();
                    return null;
                }
                if (card.classList.contains("comment-flat")) {
                    fresh.classList.add("comment-flat");
                    var mention = own(card, ".comment-mention");
                    var body = own(fresh, ".comment-body");
                    if (mention && body) {
                        body.insertBefore(document.createTextNode(" "), body.firstChild);
                        body.insertBefore(mention, body.firstChild);
                    }
                }
                if (replies && !fresh.querySelector(":scope > .comment-replies")) fresh.appendChild(replies);
                card.replaceWith(fresh);
                enhance(fresh);
                return fresh;
            });
    }

    /* ---------------------------------------------------------------- relative times */

    var relativeFormat = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(LANG, { numeric: "auto" }) : null;
    var exactFormat = window.Intl ? new Intl.DateTimeFormat(LANG, { dateStyle: "long", timeStyle: "short" }) : null;
    var UNITS = [
        ["year", 365 * 86400],
        ["month", 30 * 86400],
        ["week", 7 * 86400],
        ["day", 86400],
        ["hour", 3600],
        ["minute", 60],
    ];

    function relativeTime(date, now) {
        var seconds = (date.getTime() - now) / 1000;
        var size = Math.abs(seconds);
        // Translators: how long ago a comment was written, when it is less than a minute.
        if (size < 60) return pgettext("time of a comment", "just now");
        for (var index = 0; index < UNITS.length; index += 1) {
            if (size >= UNITS[index][1]) {
                return relativeFormat.format(Math.trunc(seconds / UNITS[index][1]), UNITS[index][0]);
            }
        }
        return relativeFormat.format(Math.trunc(seconds / 60), "minute");
    }

    function renderTimes(scope) {
        if (!relativeFormat) return;
        var now = Date.now();
        (scope || root).querySelectorAll(".comment time[datetime]").forEach(function (time) {
            var date = new Date(time.getAttribute("datetime"));
            if (isNaN(date.getTime())) return;
            if (!time.hasAttribute("data-exact")) {
                time.setAttribute("data-exact", time.textContent);
                time.title = exactFormat ? exactFormat.format(date) : time.textContent;
            }
            time.textContent = relativeTime(date, now);
        });
    }

    /* ---------------------------------------------------------------- posting */

    function rememberGuest(form) {
        var name = form.querySelector("[name=author_name]");
        var email = form.querySelector("[name=author_email]");
        if (!name || !name.value.trim()) return;
        store.set(GUEST_KEY, JSON.stringify({ name: name.value.trim(), email: email ? email.value.trim() : "" }));
    }

    function prefillGuest(form) {
        var saved = null;
        try {
            saved = JSON.parse(store.get(GUEST_KEY) || "null");
        } catch (error) {
            saved = null;
        }
        var name = form.querySelector("[name=author_name]");
        var email = form.querySelector("[name=author_email]");
        var mainName = mainForm && mainForm.querySelector("[name=author_name]");
        var mainEmail = mainForm && mainForm.querySelector("[name=author_email]");
        if (name && !name.value) name.value = (mainName && mainName.value) || (saved && saved.name) || "";
        if (email && !email.value) email.value = (mainEmail && mainEmail.value) || (saved && saved.email) || "";
    }

    function showFormError(form, error) {
        var box = form.querySelector("[data-form-error]");
        if (!box) return;
        box.textContent = error ? error.message : "";
        box.hidden = !error;
        if (!error) return;
        var fields = Object.keys(error.fields || {});
        var names = { author_name: "author_name", author_email: "author_email", text: "text" };
        for (var index = 0; index < fields.length; index += 1) {
            var field = names[fields[index]] && form.querySelector("[name=" + names[fields[index]] + "]");
            if (field) {
                field.setAttribute("aria-invalid", "true");
                field.focus();
                return;
            }
        }
    }

    function setSending(form, sending) {
        var button = form.querySelector("[type=submit]");
        form.classList.toggle("is-sending", sending);
        form.setAttribute("aria-busy", sending ? "true" : "false");
        if (!button) return;
        if (sending) {
            button.setAttribute("data-label", button.textContent);
            button.textContent = gettext("Posting…");
            button.disabled = true;
        } else {
            button.textContent = button.getAttribute("data-label") || button.textContent;
            button.disabled = false;
        }
    }

    function formPayload(form) {
        var value = function (name) {
            var field = form.querySelector("[name=" + name + "]");
            return field ? field.value : "";
        };
        var payload = { text: value("text") };
        if (form.querySelector("[name=author_name]")) payload.author_name = value("author_name");
        if (form.querySelector("[name=author_email]")) payload.author_email = value("author_email");
        var parent = value("parent");
        if (parent) payload.parent = Number(parent);
        var subscribe = form.querySelector("[name=subscribe]");
        if (subscribe && subscribe.checked) payload.subscribe = subscribe.value;
        // For the moderation screen: when the form was handed out, and the field people leave empty.
        if (reader.formToken) payload.form_token = reader.formToken;
        payload.website = value("website");
        return payload;
    }

    /* A proof of work for guests when the site asks for one (the solver is loaded on demand). */
    var proofOfWork = null;

    function proofStart() {
        var altcha = reader.extras && reader.extras.altcha;
        if (!altcha || reader.authenticated) return Promise.resolve("");
        if (proofOfWork) return proofOfWork;
        proofOfWork = new Promise(function (resolve, reject) {
            if (window.MastheadAltcha) return resolve();
            var script = el("script", { src: altcha.script, async: true });
            script.onload = function () { resolve(); };
            script.onerror = function () { reject(new RequestError(OFFLINE, 0)); };
            document.head.appendChild(script);
        }).then(function () {
            return window.MastheadAltcha.solve(altcha.challenge);
        });
        proofOfWork.catch(function () {
            proofOfWork = null; // try again on the next attempt
        });
        return proofOfWork;
    }

    function withProof(payload) {
        return readerReady.then(proofStart).then(function (solution) {
            if (solution) payload.altcha = solution;
            proofOfWork = null; // a solution is good for one comment
            return payload;
        });
    }

    /* After a warning ("nudge"): say why, and offer to edit or post anyway. */
    function showNudge(form, error, postAnyway) {
        var box = form.querySelector("[data-form-nudge]");
        if (!box) {
            box = el("div", { class: "comment-form-nudge", "data-form-nudge": true, role: "alert" });
            box.appendChild(el("p", { "data-nudge-message": true }));
            var buttons = el("div", { class: "comment-form-actions" });
            buttons.appendChild(el("button", { type: "button", class: "button button-small", "data-nudge-edit": true }, gettext("Edit my comment")));
            buttons.appendChild(el("button", { type: "button", class: "button button-small button-quiet", "data-post-anyway": true }, gettext("Post anyway")));
            box.appendChild(buttons);
            var errorBox = form.querySelector("[data-form-error]");
            (errorBox || form.lastChild).after(box);
        }
        box.querySelector("[data-nudge-message]").textContent = error.message;
        box.hidden = false;
        var textarea = form.querySelector("[name=text]");
        box.querySelector("[data-nudge-edit]").onclick = function () {
            hideNudge(form);
            textarea.focus();
        };
        box.querySelector("[data-post-anyway]").onclick = function () {
            hideNudge(form);
            postAnyway();
        };
        textarea.setAttribute("aria-invalid", "true");
        box.querySelector("[data-nudge-edit]").focus();
    }

    function hideNudge(form) {
        var box = form.querySelector("[data-form-nudge]");
        if (box) box.hidden = true;
    }

    /* A random key for one submission attempt (the server posts a key's comment once). */
    function newSubmissionKey() {
        if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
        var bytes = new Uint8Array(16);
        crypto.getRandomValues(bytes);
        return Array.prototype.map
            .call(bytes, function (byte) {
                return ("0" + byte.toString(16)).slice(-2);
            })
            .join("");
    }

    /* The key for posting `payload` from `form`: the same while the reader retries the same
       text (the first try may have been stored although its answer never arrived), a new one
       once the text or the parent changes or the comment was posted. */
    function submissionKey(form, payload) {
        var content = JSON.stringify([payload.text, payload.parent || null]);
        if (!form.submission || form.submission.content !== content) {
            form.submission = { content: content, key: newSubmissionKey() };
        }
        return form.submission.key;
    }

    /* Post `payload`; on success insert the new card and return [comment, card]. */
    function postComment(payload, key) {
        var headers = key ? { "Idempotency-Key": key } : undefined;
        return apiCall("POST", threadPath("/comments"), payload, headers).then(function (comment) {
            reader.editable.add(comment.id);
            return fragment("/comments/" + comment.id + "/")
                .then(
                    function (content) {
                        return content.querySelector(".comment");
                    },
                    function () {
                        return null;
                    },
                )
                .then(function (card) {
                    if (card) {
                        placeCard(card, payload.parent);
                        enhance(card);
                    }
                    liveForget(comment.id);
                    if (comment.status === "published") setCount(1);
                    return [comment, card];
                });
        });
    }

    /* What the reader is told once their comment ("comment"), reply ("reply") or edited
     * comment ("edit") is stored: one whole sentence each, as word order differs by language. */
    function postedMessage(comment, kind) {
        var pending = comment.status === "pending";
        var message;
        if (kind === "reply") {
            message = pending
                ? gettext("Thank you. Your reply is awaiting moderation and will appear once it is approved.")
                : gettext("Your reply was posted.");
        } else if (kind === "edit") {
            message = pending
                ? gettext("Thank you. Your edited comment is awaiting moderation and will appear once it is approved.")
                : gettext("Your edited comment was saved.");
        } else {
            message = pending
                ? gettext("Thank you. Your comment is awaiting moderation and will appear once it is approved.")
                : gettext("Your comment was posted.");
        }
        // What came of "Notify of new replies to this comment", when it was ticked.
        if (comment.subscription && comment.subscription.message) message += " " + comment.subscription.message;
        return message;
    }

    function submitCommentForm(form, confirmed) {
        if (form.classList.contains("is-sending")) return;
        hideNudge(form);
        var payload = formPayload(form);
        if (confirmed) payload.confirm = true;
        var isReply = Boolean(payload.parent);
        form.querySelectorAll("[aria-invalid]").forEach(function (field) {
            field.removeAttribute("aria-invalid");
        });
        showFormError(form, null);
        setSending(form, true);
        var key = submissionKey(form, payload);
        withProof(payload)
            .then(function (proven) {
                return postComment(proven, key);
            })
            .then(function (result) {
                var comment = result[0];
                var card = result[1];
                form.submission = null; // posted: the next comment is a new submission
                rememberGuest(form);
                var textarea = form.querySelector("[name=text]");
                if (textarea.value === payload.text) textarea.value = "";
                setSending(form, false);
                if (isReply) closeReply(false);
                announce(postedMessage(comment, isReply ? "reply" : "comment"), true, comment.status);
                if (card) highlight(card);
            })
            .catch(function (error) {
                setSending(form, false);
                if (error.code === "nudge") {
                    showNudge(form, error, function () {
                        submitCommentForm(form, true);
                    });
                    return;
                }
                showFormError(form, error);
                if (isReply && error.status === 409) replyRefused(payload.parent);
            });
    }

    /* A reply refused with 409: a moderator may have closed the conversation meanwhile. The
     * card as the server now draws it says so (no Reply button, "Replies are closed"); the
     * reader's text stays in the open form, with the server's message. */
    function replyRefused(id) {
        var card = document.getElementById("comment-" + id);
        if (!card) return;
        fetchCard(id).then(function (fresh) {
            if (!fresh || own(fresh, "[data-reply]")) return;
            var button = own(card, "[data-reply]");
            if (button) button.hidden = true;
            var note = own(fresh, "[data-replies-closed]");
            var actions = own(card, ".comment-actions");
            if (note && actions && !own(card, "[data-replies-closed]")) actions.appendChild(note);
        });
    }

    /* ---------------------------------------------------------------- replies */

    var openReplyState = null;

    function closeReply(restoreFocus) {
        if (!openReplyState) return;
        var state = openReplyState;
        openReplyState = null;
        state.form.remove();
        state.button.setAttribute("aria-expanded", "false");
        if (restoreFocus && document.body.contains(state.button)) state.button.focus();
    }

    function openReply(button) {
        if (!mainForm) return;
        var card = button.closest(".comment");
        if (openReplyState && openReplyState.button === button) {
            openReplyState.form.querySelector("textarea").focus();
            return;
        }
        closeReply(false);
        var form = mainForm.cloneNode(true);
        var id = card.getAttribute("data-comment-id");
        var textarea = form.querySelector("textarea");
        var label = form.querySelector("label[for='" + textarea.id + "']");
        var author = own(card, ".comment-author");
        var replyTo = author
            ? interpolate(gettext("Reply to %(name)s"), { name: isolated(author.textContent.trim()) }, true)
            : gettext("Reply to this comment");
        textarea.id = uniqueId("reply-text-" + id);
        textarea.value = "";
        textarea.placeholder = replyTo;
        if (label) {
            label.setAttribute("for", textarea.id);
            label.textContent = gettext("Your reply");
        }
        form.classList.remove("is-sending");
        form.removeAttribute("aria-busy");
        form.classList.add("comment-form-reply");
        form.setAttribute("aria-label", replyTo);
        form.querySelector("[data-parent-field]").value = id;
        var submit = form.querySelector("[type=submit]");
        submit.disabled = false;
        submit.removeAttribute("data-label");
        submit.textContent = gettext("Post reply");
        var cancel = form.querySelector("[data-cancel-reply]");
        if (cancel) cancel.hidden = false;
        var error = form.querySelector("[data-form-error]");
        if (error) {
            error.hidden = true;
            error.textContent = "";
        }
        var help = form.querySelector(".comment-form-help");
        if (help) help.remove();
        form.querySelectorAll("[aria-invalid]").forEach(function (field) {
            field.removeAttribute("aria-invalid");
        });
        form.querySelectorAll("input[name=author_name], input[name=author_email]").forEach(function (field) {
            field.value = "";
        });
        prefillGuest(form);
        own(card, ".comment-actions").after(form);
        button.setAttribute("aria-expanded", "true");
        openReplyState = { form: form, button: button };
        textarea.focus();
    }

    /* ---------------------------------------------------------------- votes */

    function voteError(box, message) {
        var old = box.parentElement.querySelector(".vote-error");
        if (old) old.remove();
        var bubble = el("span", { class: "vote-error", role: "alert" }, message);
        box.after(bubble);
        window.setTimeout(function () {
            bubble.remove();
        }, 5000);
    }

    function vote(button) {
        var card = button.closest(".comment");
        var box = button.closest("[data-votes]");
        if (!card || box.getAttribute("aria-busy") === "true") return;
        var id = card.getAttribute("data-comment-id");
        var wanted = Number(button.getAttribute("data-vote"));
        var current = reader.votes[id] || 0;
        var value = current === wanted ? 0 : wanted; // clicking the active arrow withdraws
        box.setAttribute("aria-busy", "true");
        apiCall("POST", "/comments/" + id + "/votes", { value: value })
            .then(function (result) {
                if (value) reader.votes[id] = value;
                else delete reader.votes[id];
                markVote(card, value);
                var score = box.querySelector("[data-score]");
                score.textContent = String(result.score);
                score.setAttribute("aria-label", scoreLabel(result.score));
                // Translators: the tooltip of a comment's score, e.g. "5 up, 2 down". Where the
                // words must agree with the numbers, a label form avoids it ("For: 5, against: 2").
                score.title = interpolate(gettext("%(up)s up, %(down)s down"), { up: result.upvotes, down: result.downvotes }, true);
                box.classList.remove("is-changed");
                void box.offsetWidth;
                box.classList.add("is-changed");
            })
            .catch(function (error) {
                voteError(box, error.message);
            })
            .then(function () {
                box.removeAttribute("aria-busy");
            });
    }

    /* ---------------------------------------------------------------- edit and delete */

    function openEdit(button) {
        var card = button.closest(".comment");
        var main = card.querySelector(":scope > .comment-main");
        if (main.querySelector(":scope > .comment-edit-form")) return;
        var template = main.querySelector(":scope > template[data-comment-text]");
        var body = main.querySelector(":scope > .comment-body");
        var actions = main.querySelector(":scope > .comment-actions");
        var form = el("form", { class: "comment-edit-form", "aria-label": gettext("Edit your comment") });
        var textareaId = uniqueId("edit-text");
        form.appendChild(el("label", { class: "visually-hidden", for: textareaId }, gettext("Edit your comment")));
        var textarea = el("textarea", { id: textareaId, name: "text", rows: 4, maxlength: MAX_LENGTH, required: true, dir: "auto" });
        textarea.value = template ? template.content.textContent : body.textContent.trim();
        form.appendChild(textarea);
        var error = el("p", { class: "comment-form-error", "data-form-error": true, role: "alert", hidden: true });
        form.appendChild(error);
        var buttons = el("div", { class: "comment-form-actions" });
        var save = el("button", { type: "submit", class: "button button-small" }, gettext("Save"));
        var cancel = el("button", { type: "button", class: "button button-small button-quiet" }, gettext("Cancel"));
        buttons.appendChild(save);
        buttons.appendChild(cancel);
        form.appendChild(buttons);

        function close() {
            form.remove();
            body.hidden = false;
            actions.hidden = false;
            button.focus();
        }

        cancel.addEventListener("click", close);
        textarea.addEventListener("keydown", function (event) {
            if (event.key === "Escape") close();
        });
        function saveEdit(confirmed) {
            if (form.classList.contains("is-sending")) return;
            showFormError(form, null);
            hideNudge(form);
            setSending(form, true);
            apiCall("PATCH", "/comments/" + card.getAttribute("data-comment-id"), { text: textarea.value, confirm: Boolean(confirmed) })
                .then(function (comment) {
                    return refreshCard(card).then(function (fresh) {
                        announce(postedMessage(comment, "edit"), true, comment.status);
                        if (fresh) highlight(fresh, { scroll: false });
                    });
                })
                .catch(function (problem) {
                    setSending(form, false);
                    if (problem.code === "nudge") {
                        showNudge(form, problem, function () {
                            saveEdit(true);
                        });
                        return;
                    }
                    showFormError(form, problem);
                });
        }

        form.addEventListener("submit", function (event) {
            event.preventDefault();
            saveEdit(false);
        });

        body.hidden = true;
        actions.hidden = true;
        body.after(form);
        textarea.focus();
        textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    }

    /* ---------------------------------------------------------------- reports */

    var REPORT_REASONS = [
        ["abusive", pgettext("reason for reporting a comment", "Abusive or hateful")],
        ["spam", pgettext("reason for reporting a comment", "Spam")],
        ["off_topic", pgettext("reason for reporting a comment", "Off-topic")],
        ["other", pgettext("reason for reporting a comment", "Something else")],
    ];

    function openReport(button) {
        var card = button.closest(".comment");
        var main = card.querySelector(":scope > .comment-main");
        if (main.querySelector(":scope > .comment-report-form")) return;
        var form = el("form", { class: "comment-report-form", "aria-label": gettext("Report this comment") });
        var fieldset = el("fieldset");
        fieldset.appendChild(el("legend", {}, gettext("Why should a moderator look at this comment?")));
        REPORT_REASONS.forEach(function (reason, index) {
            var label = el("label");
            var radio = el("input", { type: "radio", name: "reason", value: reason[0] });
            if (index === 0) radio.checked = true;
            label.appendChild(radio);
            label.appendChild(document.createTextNode(" " + reason[1]));
            fieldset.appendChild(label);
        });
        form.appendChild(fieldset);
        var noteId = uniqueId("report-note");
        form.appendChild(el("label", { for: noteId }, gettext("Anything to add? (optional)")));
        var note = el("input", { id: noteId, type: "text", name: "note", maxlength: 500, dir: "auto" });
        form.appendChild(note);
        var error = el("p", { class: "comment-form-error", "data-form-error": true, role: "alert", hidden: true });
        form.appendChild(error);
        var buttons = el("div", { class: "comment-form-actions" });
        buttons.appendChild(el("button", { type: "submit", class: "button button-small" }, gettext("Send report")));
        var cancel = el("button", { type: "button", class: "button button-small button-quiet" }, gettext("Cancel"));
        buttons.appendChild(cancel);
        form.appendChild(buttons);
        cancel.addEventListener("click", function () {
            form.remove();
            button.focus();
        });
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            if (form.classList.contains("is-sending")) return;
            showFormError(form, null);
            setSending(form, true);
            var reason = form.querySelector("[name=reason]:checked");
            apiCall("POST", "/comments/" + card.getAttribute("data-comment-id") + "/flags", {
                reason: reason ? reason.value : "other",
                note: note.value,
            })
                .then(function (result) {
                    var thanks = el("p", { class: "comment-report-thanks", role: "status" }, result.message);
                    form.replaceWith(thanks);
                    button.hidden = true;
                })
                .catch(function (problem) {
                    setSending(form, false);
                    showFormError(form, problem);
                });
        });
        main.querySelector(":scope > .comment-actions").after(form);
        form.querySelector("[name=reason]").focus();
    }

    function deleteComment(button) {
        var card = button.closest(".comment");
        if (!window.confirm(gettext("Delete your comment? This cannot be undone."))) return;
        var wasCounted = !own(card, ".comment-pending");
        var id = card.getAttribute("data-comment-id");
        button.disabled = true;
        apiCall("DELETE", "/comments/" + id)
            .then(function () {
                reader.editable.delete(Number(id));
                if (wasCounted) setCount(-1);
                var next = card.nextElementSibling || card.parentElement.closest(".comment") || countEl;
                return refreshCard(card).then(function (fresh) {
                    announce(gettext("Your comment was deleted."), true);
                    var target = fresh || next;
                    if (target) {
                        if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
                        target.focus({ preventScroll: Boolean(fresh) });
                    }
                });
            })
            .catch(function (error) {
                button.disabled = false;
                voteError(own(card, "[data-votes]"), error.message);
            });
    }

    /* ---------------------------------------------------------------- tabs, paging, permalinks */

    var tabs = Array.prototype.slice.call(root.querySelectorAll("[data-sort-tab]"));
    // What screen readers hear once a tab's comments are shown.
    var SORT_ANNOUNCEMENTS = {
        newest: gettext("Showing newest comments."),
        oldest: gettext("Showing oldest comments."),
        most_voted: gettext("Showing most voted comments."),
        inline: gettext("Showing inline feedback comments."),
    };

    function setTab(sort) {
        tabs.forEach(function (tab) {
            if (tab.getAttribute("data-sort-tab") === sort) tab.setAttribute("aria-current", "true");
            else tab.removeAttribute("aria-current");
        });
    }

    function setBusy(busy) {
        list.classList.toggle("is-loading", busy);
        list.setAttribute("aria-busy", busy ? "true" : "false");
    }

    function replaceUrl(mutate) {
        try {
            var url = new URL(window.location.href);
            mutate(url);
            window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
        } catch (error) {
            /* history not available (sandboxed frame): nothing to keep */
        }
    }

    function listSort() {
        return currentSort === "inline" ? "newest" : currentSort;
    }

    function showSort(sort) {
        closeReply(false);
        var request = (listRequest += 1);
        setBusy(true);
        var path = sort === "inline" ? threadPath("/inline/") : threadPath("/comments/?sort=" + encodeURIComponent(sort));
        return fragment(path)
            .then(function (content) {
                if (request !== listRequest) return;
                list.replaceChildren(content);
                currentSort = sort;
                root.setAttribute("data-sort", sort);
                setTab(sort);
                enhance(list);
                replaceUrl(function (url) {
                    url.searchParams.set("sort", sort);
                    url.searchParams.delete("cursor");
                    url.searchParams.delete("comment");
                    url.searchParams.delete("posted");
                    url.hash = "comments";
                });
                announce(SORT_ANNOUNCEMENTS[sort] || SORT_ANNOUNCEMENTS.newest, false);
            })
            .catch(function (error) {
                if (request === listRequest) announce(error.message, true, "error");
            })
            .then(function () {
                if (request === listRequest) setBusy(false);
            });
    }

    function loadMore(link) {
        var more = link.closest(".discussion-more") || link;
        if (link.getAttribute("aria-busy") === "true") return;
        var url = new URL(link.href, window.location.href);
        var cursor = link.getAttribute("data-cursor") || url.searchParams.get("cursor") || "";
        var sort = url.searchParams.get("sort") || listSort();
        var label = link.textContent;
        link.setAttribute("aria-busy", "true");
        link.textContent = gettext("Loading…");
        fragment(threadPath("/comments/?sort=" + encodeURIComponent(sort) + "&cursor=" + encodeURIComponent(cursor)))
            .then(function (content) {
                // A comment posted meanwhile may shift pages: show each conversation once.
                Array.prototype.slice.call(content.children).forEach(function (node) {
                    if (node.id && document.getElementById(node.id)) node.remove();
                });
                var first = content.querySelector(".comment");
                var added = Array.prototype.slice.call(content.children);
                more.replaceWith(content);
                added.forEach(function (node) {
                    if (node.nodeType === 1) enhance(node);
                });
                if (first) {
                    first.setAttribute("tabindex", "-1");
                    first.focus({ preventScroll: true });
                    announce(gettext("More comments loaded."), false);
                }
            })
            .catch(function (error) {
                link.removeAttribute("aria-busy");
                link.textContent = label;
                voteError(link, error.message);
            });
    }

    function revealComment(id) {
        var card = document.getElementById("comment-" + id);
        if (card && list.contains(card)) {
            highlight(card);
            return Promise.resolve(card);
        }
        // Not on this page of the thread: load the page that starts with its conversation.
        var sort = listSort();
        var request = (listRequest += 1);
        setBusy(true);
        return fragment(threadPath("/comments/?sort=" + encodeURIComponent(sort) + "&comment=" + encodeURIComponent(id)))
            .then(function (content) {
                if (request !== listRequest) return null;
                list.replaceChildren(content);
                currentSort = sort;
                setTab(sort);
                enhance(list);
                var found = document.getElementById("comment-" + id);
                if (found) highlight(found);
                else announce(gettext("That comment is not available any more."), true, "error");
                return found;
            })
            .catch(function (error) {
                announce(error.message, true, "error");
            })
            .then(function (found) {
                setBusy(false);
                return found;
            });
    }

    function commentFromHash() {
        var match = /^#comment-(\d+)$/.exec(window.location.hash);
        return match ? match[1] : null;
    }

    function copyPermalink(link) {
        var card = link.closest(".comment");
        var id = card.getAttribute("data-comment-id");
        var url = new URL(window.location.href);
        url.search = "";
        url.searchParams.set("comment", id);
        url.hash = "comment-" + id;
        try {
            window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
        } catch (error) {
            window.location.hash = "comment-" + id;
        }
        highlight(card, { scroll: false });
        var label = link.getAttribute("data-label") || link.textContent;
        link.setAttribute("data-label", label);
        function done(copied) {
            // Translators: shown for two seconds in place of a comment's "Link".
            link.textContent = copied ? pgettext("a comment's link", "Copied") : pgettext("a comment's link", "Link set");
            announce(copied ? gettext("Link to this comment copied.") : gettext("The link to this comment is in the address bar."), false);
            window.setTimeout(function () {
                link.textContent = label;
            }, 2000);
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(url.href).then(
                function () {
                    done(true);
                },
                function () {
                    done(false);
                },
            );
        } else {
            done(false);
        }
    }

    /* ---------------------------------------------------------------- article text model */

    var BLOCK = /^(P|DIV|H[1-6]|LI|UL|OL|BLOCKQUOTE|FIGURE|FIGCAPTION|SECTION|ARTICLE|ASIDE|TABLE|TR|TD|TH|PRE|DL|DT|DD)$/;

    function blockOf(node) {
        var element = node.nodeType === 1 ? node : node.parentElement;
        while (element && element !== articleBody && !BLOCK.test(element.tagName)) element = element.parentElement;
        return element;
    }

    function topBlockOf(node) {
        var element = node.nodeType === 1 ? node : node.parentElement;
        while (element && element.parentElement !== articleBody) {
            if (element === articleBody) return null;
            element = element.parentElement;
        }
        return element;
    }

    /* The article's text as readers see it: text nodes (not the discussion's own buttons and
     * forms), a line break between blocks, and a whitespace-normalized copy with index maps. */
    function textModel(scope) {
        scope = scope || articleBody;
        var segments = [];
        var raw = "";
        var lastBlock = null;
        var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
            acceptNode: function (node) {
                var parent = node.parentElement;
                return parent && parent.closest("[data-discussion-ui], script, style, template")
                    ? NodeFilter.FILTER_REJECT
                    : NodeFilter.FILTER_ACCEPT;
            },
        });
        var node = walker.nextNode();
        while (node) {
            var block = blockOf(node);
            if (lastBlock && block !== lastBlock) raw += "\n";
            lastBlock = block;
            segments.push({ node: node, start: raw.length });
            raw += node.data;
            node = walker.nextNode();
        }
        var norm = "";
        var normToRaw = [];
        var rawToNorm = new Array(raw.length + 1);
        var inSpace = true;
        for (var index = 0; index < raw.length; index += 1) {
            rawToNorm[index] = norm.length;
            var char = raw[index];
            if (/\s/.test(char)) {
                if (!inSpace) {
                    norm += " ";
                    normToRaw.push(index);
                    inSpace = true;
                }
            } else {
                norm += char;
                normToRaw.push(index);
                inSpace = false;
            }
        }
        rawToNorm[raw.length] = norm.length;
        return { segments: segments, raw: raw, norm: norm, normToRaw: normToRaw, rawToNorm: rawToNorm };
    }

    function normalize(text) {
        return (text || "").replace(/\s+/g, " ");
    }

    function pointToRaw(model, container, offset) {
        if (container.nodeType === 3) {
            for (var index = 0; index < model.segments.length; index += 1) {
                if (model.segments[index].node === container) return model.segments[index].start + offset;
            }
        }
        var probe = document.createRange();
        probe.setStart(container, offset);
        probe.collapse(true);
        for (var position = 0; position < model.segments.length; position += 1) {
            if (probe.comparePoint(model.segments[position].node, 0) >= 0) return model.segments[position].start;
        }
        return model.raw.length;
    }

    function segmentAt(model, rawOffset) {
        var found = null;
        for (var index = 0; index < model.segments.length; index += 1) {
            if (model.segments[index].start <= rawOffset) found = model.segments[index];
            else break;
        }
        return found;
    }

    /* The quote a selection makes, W3C TextQuoteSelector style, or null if it is not one. */
    function selectionQuote() {
        if (!articleBody) return null;
        var selection = window.getSelection();
        if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
        var range = selection.getRangeAt(0);
        var common = range.commonAncestorContainer;
        var commonElement = common.nodeType === 1 ? common : common.parentElement;
        if (!articleBody.contains(commonElement) || commonElement.closest("[data-discussion-ui]")) return null;
        var model = textModel();
        var rawStart = pointToRaw(model, range.startContainer, range.startOffset);
        var rawEnd = pointToRaw(model, range.endContainer, range.endOffset);
        var start = model.rawToNorm[rawStart];
        var end = model.rawToNorm[rawEnd];
        while (start < end && model.norm[start] === " ") start += 1;
        while (end > start && model.norm[end - 1] === " ") end -= 1;
        var exact = model.norm.slice(start, end);
        if (exact.length < QUOTE_MIN || exact.length > QUOTE_MAX) return null;
        var first = segmentAt(model, model.normToRaw[start]);
        var last = segmentAt(model, model.normToRaw[end - 1]);
        var block = first && topBlockOf(first.node);
        if (!block || !last || topBlockOf(last.node) !== block) return null; // one block only
        return {
            exact: exact,
            prefix: model.norm.slice(Math.max(0, start - CONTEXT), start),
            suffix: model.norm.slice(end, end + CONTEXT),
            block: block,
            rect: range.getBoundingClientRect(),
        };
    }

    function commonTail(a, b) {
        var count = 0;
        while (count < a.length && count < b.length && a[a.length - 1 - count] === b[b.length - 1 - count]) count += 1;
        return count;
    }

    function commonHead(a, b) {
        var count = 0;
        while (count < a.length && count < b.length && a[count] === b[count]) count += 1;
        return count;
    }

    /* Find a quote in the article: [normStart, normEnd) of the best match, or null. */
    function findQuote(model, exact, prefix, suffix) {
        var needle = normalize(exact).trim();
        if (!needle) return null;
        prefix = normalize(prefix);
        suffix = normalize(suffix);
        var best = null;
        var bestScore = -1;
        var from = 0;
        var at = model.norm.indexOf(needle, from);
        while (at !== -1) {
            var end = at + needle.length;
            var score =
                commonTail(model.norm.slice(Math.max(0, at - prefix.length), at), prefix) +
                commonHead(model.norm.slice(end, end + suffix.length), suffix);
            if (score > bestScore) {
                best = [at, end];
                bestScore = score;
            }
            from = at + 1;
            at = model.norm.indexOf(needle, from);
        }
        return best;
    }

    function clearMarks() {
        if (!articleBody) return;
        articleBody.querySelectorAll("mark.passage-mark").forEach(function (mark) {
            var parent = mark.parentNode;
            while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
            mark.remove();
            parent.normalize();
        });
    }

    function wrapQuote(model, normStart, normEnd) {
        var a = model.normToRaw[normStart];
        var b = model.normToRaw[normEnd - 1] + 1;
        var marks = [];
        model.segments.forEach(function (segment) {
            var node = segment.node;
            var s = segment.start;
            var e = s + node.data.length;
            if (e <= a || s >= b) return;
            var from = Math.max(a, s) - s;
            var to = Math.min(b, e) - s;
            if (from > 0) node = node.splitText(from);
            if (to - from < node.data.length) node.splitText(to - from);
            if (!node.data.trim()) return;
            var mark = el("mark", { class: "passage-mark" });
            node.parentNode.insertBefore(mark, node);
            mark.appendChild(node);
            marks.push(mark);
        });
        return marks;
    }

    function flash(element) {
        element.classList.remove("is-flashing");
        void element.offsetWidth;
        element.classList.add("is-flashing");
    }

    function passageChanged(link) {
        // Translators: replaces "Read more »" under a quoted passage the article no longer has.
        link.textContent = gettext("passage changed");
        link.classList.add("passage-changed");
        link.title = gettext("The article was edited since this comment was written; the passage is no longer in it.");
    }

    /* Mark "Read more »" links whose passage is no longer in the article. */
    function checkPassages(scope) {
        if (!articleBody) return;
        var model = null;
        (scope || root).querySelectorAll(".comment-passage").forEach(function (quote) {
            var link = quote.querySelector("[data-passage-link]");
            if (!link || link.classList.contains("passage-changed")) return;
            var block = quote.getAttribute("data-anchor-block");
            if (block) {
                if (!document.getElementById("feedback-" + block)) passageChanged(link);
                return;
            }
            var exact = quote.getAttribute("data-anchor-exact");
            if (!exact) return;
            model = model || textModel();
            if (!findQuote(model, exact, "", "")) passageChanged(link);
        });
    }

    function showPassage(link) {
        var quote = link.closest(".comment-passage");
        var block = quote.getAttribute("data-anchor-block");
        if (block) {
            var passage = document.getElementById("feedback-" + block);
            if (passage) {
                clearMarks();
                passage.scrollIntoView({ block: "center", behavior: scrollBehaviour() });
                flash(passage);
                return;
            }
        }
        var exact = quote.getAttribute("data-anchor-exact");
        if (exact && articleBody) {
            clearMarks();
            var model = textModel();
            var found = findQuote(
                model,
                exact,
                quote.getAttribute("data-anchor-prefix") || "",
                quote.getAttribute("data-anchor-suffix") || "",
            );
            if (found) {
                var marks = wrapQuote(model, found[0], found[1]);
                if (marks.length) {
                    marks[0].scrollIntoView({ block: "center", behavior: scrollBehaviour() });
                    marks.forEach(flash);
                    return;
                }
            }
        }
        passageChanged(link);
    }

    /* ---------------------------------------------------------------- inline feedback */

    var feedbackState = null;

    function feedbackCounts() {
        var script = document.getElementById("feedback-counts");
        if (!script) {
            var holder = root.querySelector("template[data-feedback-counts]");
            script = holder && holder.content.querySelector("#feedback-counts");
        }
        try {
            return (script && JSON.parse(script.textContent)) || {};
        } catch (error) {
            return {};
        }
    }

    function setMarker(marker, count) {
        marker.setAttribute("data-count", String(count));
        marker.querySelector(".feedback-marker-count").textContent = String(count);
        var question = marker.getAttribute("data-question");
        // Translators: %(question)s is the editor's question on a passage of the article.
        var inviting = ngettext("%(question)s %(count)s comment on this passage. Add yours.", "%(question)s %(count)s comments on this passage. Add yours.", count);
        // Translators: %(question)s is the editor's question on a passage of the article.
        var readOnly = ngettext("%(question)s %(count)s comment on this passage.", "%(question)s %(count)s comments on this passage.", count);
        marker.setAttribute("aria-label", interpolate(mainForm ? inviting : readOnly, { question: question, count: count }, true));
    }

    function setupMarkers() {
        if (!articleBody) return;
        var counts = feedbackCounts();
        articleBody.querySelectorAll(".feedback-passage[data-feedback-block]").forEach(function (passage) {
            var block = passage.getAttribute("data-feedback-block");
            var question = passage.getAttribute("data-question") || gettext("What do you think about this?");
            var bar = el("div", { class: "feedback-bar", "data-discussion-ui": true });
            var marker = el("button", {
                type: "button",
                class: "feedback-marker",
                "data-feedback-marker": block,
                "data-question": question,
                "aria-expanded": "false",
            });
            // The question first in the document, as it comes first in the accessible name
            // (WCAG 2.5.3, label in name); CSS still shows the count before it.
            marker.appendChild(el("span", { class: "feedback-marker-question", "aria-hidden": "true" }, question));
            marker.appendChild(document.createTextNode(" "));
            marker.appendChild(el("span", { class: "feedback-marker-count", "aria-hidden": "true" }));
            setMarker(marker, counts[block] || 0);
            marker.addEventListener("click", function () {
                if (!mainForm) {
                    // A closed discussion: show what readers said instead of a form.
                    showSort("inline").then(function () {
                        root.scrollIntoView({ block: "start", behavior: scrollBehaviour() });
                    });
                    return;
                }
                if (feedbackState && feedbackState.marker === marker) {
                    closeFeedback(true);
                    return;
                }
                var exact = normalize(textModel(passage).norm).trim().slice(0, QUOTE_MAX).trim();
                openFeedback({
                    block: block,
                    exact: exact,
                    question: question,
                    after: bar,
                    marker: marker,
                    returnFocus: marker,
                });
            });
            bar.appendChild(marker);
            passage.appendChild(bar);
        });
    }

    function closeFeedback(restoreFocus) {
        if (!feedbackState) return;
        var state = feedbackState;
        feedbackState = null;
        state.form.remove();
        if (state.marker) state.marker.setAttribute("aria-expanded", "false");
        if (restoreFocus && state.returnFocus && document.body.contains(state.returnFocus)) state.returnFocus.focus();
    }

    function feedbackThanks(after, comment, what) {
        var old = document.querySelector(".feedback-thanks");
        if (old) old.remove();
        var thanks = el("p", { class: "feedback-thanks", role: "status", "data-discussion-ui": true });
        thanks.appendChild(document.createTextNode(postedMessage(comment, what) + " "));
        if (document.getElementById("comment-" + comment.id)) {
            thanks.appendChild(el("a", { href: "#comment-" + comment.id }, gettext("See it in the comments")));
        }
        after.after(thanks);
        window.setTimeout(function () {
            thanks.remove();
        }, 12000);
    }

    function openFeedback(options) {
        closeFeedback(false);
        hideSelectionButton();
        var form = el("form", {
            class: "feedback-form",
            "data-discussion-ui": true,
            "aria-label": options.block ? gettext("Comment on this passage") : gettext("Comment on the selected text"),
        });
        if (options.block) {
            form.appendChild(el("p", { class: "feedback-form-question", dir: "auto" }, options.question));
        } else {
            var shown = options.exact.length > 300 ? options.exact.slice(0, 300) + "…" : options.exact;
            // Translators: the quotation marks around a passage of the article; use your language's.
            var quoted = interpolate(pgettext("a passage of the article, quoted", "“%(quote)s”"), { quote: shown }, true);
            form.appendChild(el("blockquote", { class: "feedback-form-quote", dir: "auto" }, quoted));
        }
        var textId = uniqueId("feedback-text");
        form.appendChild(el("label", { class: "visually-hidden", for: textId }, gettext("Your comment")));
        var textarea = el("textarea", {
            id: textId,
            name: "text",
            rows: 3,
            maxlength: MAX_LENGTH,
            required: true,
            dir: "auto",
            placeholder: options.block ? gettext("Your thoughts on this passage") : gettext("Your thoughts on this quote"),
        });
        form.appendChild(textarea);
        if (!reader.authenticated) {
            var guest = el("div", { class: "comment-form-guest" });
            var nameLabel = el("label", {}, pgettext("the name a commenter signs with", "Name") + " ");
            nameLabel.appendChild(el("input", { type: "text", name: "author_name", maxlength: 80, required: true, autocomplete: "name", dir: "auto" }));
            var emailLabel = el("label", {}, gettext("Email") + " ");
            emailLabel.appendChild(el("input", { type: "email", name: "author_email", maxlength: 254, required: true, autocomplete: "email" }));
            emailLabel.appendChild(el("small", {}, gettext("Never shown.")));
            guest.appendChild(nameLabel);
            guest.appendChild(emailLabel);
            form.appendChild(guest);
            prefillGuest(form);
        }
        form.appendChild(el("p", { class: "comment-form-error", "data-form-error": true, role: "alert", hidden: true }));
        var actions = el("div", { class: "comment-form-actions" });
        actions.appendChild(el("button", { type: "submit", class: "button button-small" }, gettext("Post comment")));
        var cancel = el("button", { type: "button", class: "button button-small button-quiet" }, gettext("Cancel"));
        actions.appendChild(cancel);
        form.appendChild(actions);

        cancel.addEventListener("click", function () {
            closeFeedback(true);
        });
        form.addEventListener("keydown", function (event) {
            if (event.key === "Escape") closeFeedback(true);
        });
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            if (form.classList.contains("is-sending")) return;
            var payload = formPayload(form);
            if (options.block) payload.anchor_block = options.block;
            payload.anchor_exact = options.exact;
            if (!options.block) {
                payload.anchor_prefix = options.prefix || "";
                payload.anchor_suffix = options.suffix || "";
            }
            showFormError(form, null);
            setSending(form, true);
            postComment(payload, submissionKey(form, payload))
                .then(function (result) {
                    var comment = result[0];
                    form.submission = null;
                    rememberGuest(form);
                    closeFeedback(false);
                    if (options.marker && comment.status === "published") {
                        setMarker(options.marker, (parseInt(options.marker.getAttribute("data-count"), 10) || 0) + 1);
                    }
                    feedbackThanks(options.after, comment, "comment");
                    announce(postedMessage(comment, "comment"), false);
                    if (options.returnFocus && document.body.contains(options.returnFocus)) options.returnFocus.focus();
                })
                .catch(function (error) {
                    setSending(form, false);
                    showFormError(form, error);
                });
        });

        options.after.after(form);
        if (options.marker) options.marker.setAttribute("aria-expanded", "true");
        feedbackState = { form: form, marker: options.marker, returnFocus: options.returnFocus };
        textarea.focus({ preventScroll: true });
        form.scrollIntoView({ block: "nearest", behavior: scrollBehaviour() });
    }

    /* The floating "Comment on this" button for a selected sentence. */
    var selectionButton = null;
    var pendingQuote = null;
    var selectionTimer = null;

    function hideSelectionButton() {
        if (selectionButton) selectionButton.hidden = true;
        pendingQuote = null;
    }

    function showSelectionButton(quote) {
        if (!selectionButton) {
            selectionButton = el("button", { type: "button", class: "selection-comment", "data-discussion-ui": true, hidden: true });
            selectionButton.appendChild(el("span", { class: "selection-comment-icon", "aria-hidden": "true" }));
            selectionButton.appendChild(document.createTextNode(gettext("Comment on this")));
            // Keep the selection when the button is pressed.
            selectionButton.addEventListener("mousedown", function (event) {
                event.preventDefault();
            });
            selectionButton.addEventListener("click", function () {
                var chosen = pendingQuote;
                if (!chosen) return;
                var selection = window.getSelection();
                if (selection) selection.removeAllRanges();
                openFeedback({
                    exact: chosen.exact,
                    prefix: chosen.prefix,
                    suffix: chosen.suffix,
                    after: chosen.block,
                    returnFocus: null,
                });
            });
            selectionButton.addEventListener("keydown", function (event) {
                if (event.key === "Escape") hideSelectionButton();
            });
            document.body.appendChild(selectionButton);
        }
        pendingQuote = quote;
        selectionButton.hidden = false;
        var rect = quote.rect;
        var width = selectionButton.offsetWidth;
        var height = selectionButton.offsetHeight;
        var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
        // Above the selection; below it on touch screens, where the system menu sits above.
        var top = coarse || rect.top < height + 16 ? rect.bottom + 10 : rect.top - height - 10;
        var left = rect.left + rect.width / 2 - width / 2;
        left = Math.max(8, Math.min(left, document.documentElement.clientWidth - width - 8));
        selectionButton.style.top = Math.round(top + window.scrollY) + "px";
        selectionButton.style.left = Math.round(left + window.scrollX) + "px";
    }

    function checkSelection() {
        var quote = selectionQuote();
        if (quote) showSelectionButton(quote);
        else if (!selectionButton || document.activeElement !== selectionButton) hideSelectionButton();
    }

    function setupSelection() {
        if (!articleBody || !mainForm) return;
        document.addEventListener("mouseup", function (event) {
            if (selectionButton && selectionButton.contains(event.target)) return;
            window.setTimeout(checkSelection, 10);
        });
        document.addEventListener("keyup", function (event) {
            if (event.key === "Escape") hideSelectionButton();
            else if (event.shiftKey || event.key === "Shift") checkSelection();
        });
        document.addEventListener("selectionchange", function () {
            window.clearTimeout(selectionTimer);
            selectionTimer = window.setTimeout(checkSelection, 300);
        });
        window.addEventListener("resize", hideSelectionButton);
    }

    /* ---------------------------------------------------------------- the bubble */

    function setupBubble() {
        var bubble = root.querySelector("[data-bubble]");
        if (!bubble) return;
        if (store.get(BUBBLE_KEY) || !articleBody || !mainForm || !("IntersectionObserver" in window)) {
            bubble.remove();
            return;
        }
        var sentinel = el("div", { class: "discussion-sentinel", "data-discussion-ui": true, "aria-hidden": "true" });
        articleBody.after(sentinel);
        // It appears once the reader, scrolling, has reached the end of the article (not at
        // once on a short article that fits the screen).
        var reached = false;
        var scrolled = false;
        var shown = false;
        function maybeShow() {
            if (shown || !reached || !scrolled) return;
            shown = true;
            observer.disconnect();
            window.removeEventListener("scroll", onScroll);
            bubble.hidden = false;
            bubble.classList.add("is-visible");
        }
        function onScroll() {
            scrolled = true;
            // A jump past the article (End key, a long wheel turn, a link to the comments)
            // takes the sentinel from below the screen to above it without ever crossing it,
            // so the observer never reports it: its position is read here too.
            if (!reached && sentinel.getBoundingClientRect().top <= window.innerHeight) {
                reached = true;
            }
            maybeShow();
        }
        var observer = new IntersectionObserver(function (entries) {
            entries.forEach(function (entry) {
                reached = entry.isIntersecting || entry.boundingClientRect.top < 0;
            });
            maybeShow();
        });
        observer.observe(sentinel);
        window.addEventListener("scroll", onScroll, { passive: true });
        bubble.querySelector("[data-bubble-open]").addEventListener("click", function () {
            bubble.hidden = true;
            var textarea = mainForm.querySelector("textarea");
            mainForm.scrollIntoView({ block: "center", behavior: scrollBehaviour() });
            textarea.focus({ preventScroll: true });
        });
        bubble.querySelector("[data-bubble-close]").addEventListener("click", function () {
            bubble.hidden = true;
            store.set(BUBBLE_KEY, "1");
        });
    }

    /* ---------------------------------------------------------------- live updates */

    /* An EventSource on /live/threads/<key> hears of comments others post ("comment": id,
     * parent, count) and of count changes ("count"). New comments are not inserted at once,
     * which would move the text under the reader's eyes: a "N new comments — show" button
     * collects them, and the count heading follows the thread. After a reconnect, or when the
     * server could not keep up ("resync"), the count is fetched again and what was missed is
     * shown by reloading the list. */
    var live = { source: null, open: false, opened: false, failures: 0, timer: null };
    var arrived = []; // [{id, parent}] announced but not shown yet, oldest first
    var missed = 0; // comments that arrived while disconnected: only a reload shows them
    var arrivedTimer = null;
    var announceTimer = null;

    function onPage(id) {
        return Boolean(document.getElementById("comment-" + id));
    }

    function waiting() {
        arrived = arrived.filter(function (item) {
            return !onPage(item.id) && !reader.editable.has(item.id);
        });
        return arrived.length + missed;
    }

    function renderNew() {
        if (!newButton) return;
        var count = waiting();
        newButton.hidden = count === 0;
        if (!count) return;
        var text = interpolate(ngettext("%(count)s new comment — show", "%(count)s new comments — show", count), { count: count }, true);
        if (newButton.textContent === text) return;
        newButton.textContent = text;
        window.clearTimeout(announceTimer);
        announceTimer = window.setTimeout(function () {
            var message = ngettext(
                "%(count)s new comment. Use the “show” button above the comments to read it.",
                "%(count)s new comments. Use the “show” button above the comments to read them.",
                count,
            );
            announce(interpolate(message, { count: count }, true), false);
        }, 1500);
    }

    /* The reader's own comment (its event may arrive before the POST answers) is not "new". */
    function liveForget(id) {
        arrived = arrived.filter(function (item) {
            return item.id !== id;
        });
        renderNew();
    }

    function liveComment(data) {
        if (!data || !data.id || onPage(data.id)) return;
        if (!arrived.some(function (item) { return item.id === data.id; })) {
            arrived.push({ id: data.id, parent: data.parent || null });
        }
        // A moment's grace lets the reader's own post finish placing its card first.
        window.clearTimeout(arrivedTimer);
        arrivedTimer = window.setTimeout(renderNew, 400);
    }

    function liveResync() {
        fetch(API + threadPath("/count"), { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) {
                return response.ok ? response.json() : null;
            })
            .then(function (data) {
                if (!data || typeof data.count !== "number") return;
                var known = shownCount();
                if (data.count > known) missed += data.count - known;
                showCount(data.count);
                renderNew();
            })
            .catch(function () {
                /* offline again: the next reconnect tries once more */
            });
    }

    function liveParse(event) {
        try {
            return JSON.parse(event.data);
        } catch (error) {
            return null;
        }
    }

    function liveState(state) {
        root.setAttribute("data-live-state", state);
    }

    function liveConnect() {
        if (!LIVE || !window.EventSource || live.source) return;
        var source = new EventSource(LIVE + "/threads/" + encodeURIComponent(KEY));
        live.source = source;
        liveState("connecting");
        source.addEventListener("open", function () {
            if (live.opened) liveResync(); // a reconnect: events may have been missed
            live.open = live.opened = true;
            live.failures = 0;
            liveState("open");
        });
        source.addEventListener("comment", function (event) {
            var data = liveParse(event);
            if (data && typeof data.count === "number") showCount(data.count);
            liveComment(data);
        });
        source.addEventListener("count", function (event) {
            var data = liveParse(event);
            if (data && typeof data.count === "number") showCount(data.count);
        });
        source.addEventListener("resync", liveResync);
        // Site-wide news on the same stream (the goal bar): handed to whichever script shows it.
        source.addEventListener("funding", function (event) {
            try {
                document.dispatchEvent(new CustomEvent("masthead:funding", { detail: JSON.parse(event.data) }));
            } catch (error) {
                /* a malformed event changes nothing */
            }
        });
        source.addEventListener("error", function () {
            live.open = false;
            if (source.readyState !== EventSource.CLOSED) {
                liveState("connecting"); // the browser reconnects by itself
                return;
            }
            // Refused (a server restarting answers 503): try again later, backing off; give up
            // on a server that never had live updates.
            source.close();
            live.source = null;
            live.failures += 1;
            liveState("closed");
            if (!live.opened && live.failures >= 3) return;
            live.timer = window.setTimeout(liveConnect, Math.min(60, 2 * Math.pow(2, live.failures)) * 1000);
        });
    }

    function liveDisconnect() {
        window.clearTimeout(live.timer);
        if (live.source) live.source.close();
        live.source = null;
        live.open = false;
        liveState("closed");
    }

    function fetchCard(id) {
        return fragment("/comments/" + id + "/").then(
            function (content) {
                return content.querySelector(".comment");
            },
            function () {
                return null;
            },
        );
    }

    function flashCards(cards) {
        if (!cards.length) return;
        highlight(cards[0]);
        cards.slice(1).forEach(function (card) {
            card.classList.add("comment-highlight");
        });
    }

    /* "Show": put the new comments in place (top-level ones at the top of Newest, replies under
     * their parent); reload the list when that is not possible. */
    function showNew() {
        var items = arrived.filter(function (item) {
            return !onPage(item.id);
        });
        var reload = missed > 0 || currentSort !== "newest";
        arrived = [];
        missed = 0;
        renderNew();
        var placeable = items.filter(function (item) {
            return !item.parent || onPage(item.parent);
        });
        if (reload || (items.length && !placeable.length)) {
            var replyId = !reload && items.length ? items[items.length - 1].id : null;
            var shown = replyId ? revealComment(replyId) : showSort("newest");
            return Promise.resolve(shown).then(function () {
                flashCards(
                    items
                        .map(function (item) {
                            return document.getElementById("comment-" + item.id);
                        })
                        .filter(Boolean),
                );
            });
        }
        return Promise.all(placeable.map(function (item) {
            return fetchCard(item.id);
        })).then(function (cards) {
            var placed = [];
            cards.forEach(function (card, index) {
                if (!card || onPage(placeable[index].id)) return;
                placeCard(card, placeable[index].parent);
                enhance(card);
                placed.push(card);
            });
            // Newest first on the page, so the first in reading order is the last placed.
            placed.reverse();
            flashCards(placed);
            announce(
                interpolate(ngettext("%(count)s new comment shown.", "%(count)s new comments shown.", placed.length), { count: placed.length }, true),
                false,
            );
        });
    }

    if (newButton) newButton.addEventListener("click", showNew);
    window.addEventListener("pagehide", liveDisconnect);
    window.addEventListener("pageshow", function (event) {
        if (event.persisted) {
            live.opened = true; // back from the page cache: resync on open
            liveConnect();
        }
    });

    /* ---------------------------------------------------------------- events */

    function plainClick(event) {
        return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
    }

    root.addEventListener("click", function (event) {
        var target = event.target.closest("button, a");
        if (!target || !root.contains(target)) return;
        if (target.matches("[data-vote]")) {
            vote(target);
        } else if (target.matches("[data-reply]")) {
            openReply(target);
        } else if (target.matches("[data-cancel-reply]")) {
            closeReply(true);
        } else if (target.matches("[data-edit]")) {
            openEdit(target);
        } else if (target.matches("[data-delete]")) {
            deleteComment(target);
        } else if (target.matches("[data-report]")) {
            openReport(target);
        } else if (!plainClick(event)) {
            return;
        } else if (target.matches("[data-sort-tab]")) {
            event.preventDefault();
            showSort(target.getAttribute("data-sort-tab"));
        } else if (target.matches("[data-load-more]")) {
            event.preventDefault();
            loadMore(target);
        } else if (target.matches("[data-view-all]")) {
            event.preventDefault();
            showSort(listSort()).then(function () {
                list.scrollIntoView({ block: "start", behavior: scrollBehaviour() });
            });
        } else if (target.matches(".comment-permalink")) {
            event.preventDefault();
            copyPermalink(target);
        } else if (target.matches("[data-passage-link]")) {
            event.preventDefault();
            if (!target.classList.contains("passage-changed")) showPassage(target);
        } else if (target.matches(".comment-time")) {
            event.preventDefault();
            copyPermalink(own(target.closest(".comment"), ".comment-permalink") || target);
        }
    });

    root.addEventListener("submit", function (event) {
        var form = event.target.closest("[data-comment-form]");
        if (!form) return;
        event.preventDefault();
        submitCommentForm(form);
    });

    // Start the proof of work (when the site asks for one) while the reader is still writing.
    root.addEventListener("focusin", function (event) {
        if (!event.target.closest("[data-comment-form]")) return;
        readerReady.then(proofStart).catch(function () {
            /* retried on submit */
        });
    });

    root.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && openReplyState && openReplyState.form.contains(event.target)) closeReply(true);
    });

    window.addEventListener("hashchange", function () {
        var id = commentFromHash();
        if (id) revealComment(id);
    });

    /* ---------------------------------------------------------------- start */

    root.classList.add("is-enhanced");
    if (mainForm) prefillGuest(mainForm);
    enhance(root);
    setupMarkers();
    setupSelection();
    setupBubble();
    window.setInterval(function () {
        renderTimes(root);
    }, 60000);

    readerReady.then(function () {
        enhance(root);
    });
    liveConnect();

    var startId = commentFromHash();
    var startSort = new URL(window.location.href).searchParams.get("sort");
    if (startId) {
        revealComment(startId);
    } else if (startSort === "inline") {
        showSort("inline");
    }
})();
