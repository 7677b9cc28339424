/* Keep every goal bar on the page current without making pages uncacheable.
 *
 * The bar arrives inside the (cached) page, and the page cache is purged on each gift; this
 * script only refreshes it from the cheap JSON endpoint when the tab becomes visible again and
 * every minute while it stays visible. It also wires the Support page's small conveniences.
 */
(function () {
    "use strict";
    if (window.mastheadFunding) return; // the bar may appear twice on a page (header + Support)
    window.mastheadFunding = true;

    var REFRESH_MS = 60000;
    var timer = null;
    // The page's message catalog (base.html loads it first); English if it failed to load.
    var gettext = window.gettext || function (message) { return message; };
    var interpolate = window.interpolate || function (format, values) {
        return format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
    };
    var LANGUAGE = document.documentElement.lang || "";

    function bars() {
        return Array.prototype.slice.call(document.querySelectorAll("[data-funding-bar]"));
    }

    function setText(bar, selector, text) {
        bar.querySelectorAll(selector).forEach(function (node) { node.textContent = text; });
    }

    function show(bar, data) {
        var passed = Number(data.raised) > Number(data.goal);
        // A live event carries every language's words; the API answers in the page's already.
        var own = (data.languages && data.languages[LANGUAGE]) || data;
        var formatted = own.formatted;
        var percent = formatted.percent || data.percent + "%";
        bar.hidden = false;
        bar.classList.toggle("funding-bar-passed", passed);
        setText(bar, "[data-funding-title]", own.title.toLocaleUpperCase(LANGUAGE || undefined));
        setText(bar, "[data-funding-raised]", formatted.raised);
        setText(bar, "[data-funding-goal]", formatted.goal);
        setText(bar, "[data-funding-percent]", percent);
        bar.querySelectorAll("[data-funding-passed]").forEach(function (node) { node.hidden = !passed; });
        var fill = bar.querySelector("[data-funding-fill]");
        if (fill) fill.style.width = Math.max(0, Math.min(100, data.percent)) + "%";
        var track = bar.querySelector("[role=progressbar]");
        if (track) {
            track.setAttribute("aria-valuemax", data.goal);
            track.setAttribute("aria-valuenow", data.raised);
            var spoken = passed
                ? gettext("raised %(raised)s of %(goal)s, %(percent)s, goal passed")
                : gettext("raised %(raised)s of %(goal)s, %(percent)s");
            track.setAttribute("aria-valuetext", interpolate(spoken, {
                raised: formatted.raised, goal: formatted.goal, percent: percent,
            }, true));
        }
        var ticks = bar.querySelector("[data-funding-ticks]");
        if (ticks) {
            var goal = Number(data.goal);
            ticks.replaceChildren.apply(ticks, data.ticks.map(function (tick, index) {
                var item = document.createElement("li");
                item.className = "funding-bar-tick";
                item.style.left = Math.min(100, Number(tick) * 100 / goal).toFixed(2) + "%";
                item.textContent = formatted.ticks[index];
                return item;
            }));
        }
    }

    function refresh() {
        var found = bars();
        if (!found.length) return;
        fetch(found[0].getAttribute("data-funding-api"), { headers: { Accept: "application/json" } })
            .then(function (response) {
                if (response.status === 404) return null; // the campaign has ended
                if (!response.ok) throw new Error("funding " + response.status);
                return response.json();
            })
            .then(function (data) {
                found.forEach(function (bar) {
                    if (data) show(bar, data); else bar.hidden = true;
                });
            })
            .catch(function () { /* keep what the page showed; try again next time */ });
    }

    // Live: article pages' event streams carry a "funding" event when a gift arrives.
    document.addEventListener("masthead:funding", function (event) {
        bars().forEach(function (bar) { show(bar, event.detail); });
    });

    function schedule() {
        clearInterval(timer);
        timer = null;
        if (document.visibilityState === "visible") timer = setInterval(refresh, REFRESH_MS);
    }

    document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "visible") refresh();
        schedule();
    });
    schedule();

    // Support page: typing an amount of one's own chooses "Other amount"; copy crypto addresses.
    document.addEventListener("input", function (event) {
        if (!event.target.matches("[data-amount-other]")) return;
        var choice = document.querySelector("[data-amount-other-choice]");
        if (choice) choice.checked = true;
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
        button.hidden = !navigator.clipboard; // the address stays selectable without it
    });
    document.addEventListener("click", function (event) {
        var button = event.target.closest("[data-copy]");
        if (!button || !navigator.clipboard) return;
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
            var label = button.textContent;
            button.textContent = gettext("Copied");
            setTimeout(function () { button.textContent = label; }, 2000);
        });
    });
}());
