/* The colour theme: light, dark, or whatever the device prefers (the default).
 *
 * site.css follows `prefers-color-scheme` unless <html data-theme="light|dark"> says otherwise.
 * This file is loaded synchronously in <head>, so a saved choice is on <html> before the first
 * paint (no flash of the wrong theme); the switch (_theme_toggle.html) is wired once the page
 * is parsed. The choice lives in localStorage, not a cookie: pages are cached for everyone, and
 * the server never needs to know it.
 */
(function () {
    "use strict";
    var KEY = "masthead-theme";
    var root = document.documentElement;

    function saved() {
        try {
            var value = window.localStorage.getItem(KEY);
            return value === "light" || value === "dark" ? value : "system";
        } catch (error) {
            return "system"; // storage blocked (privacy settings): follow the device
        }
    }

    function store(choice) {
        try {
            if (choice === "system") window.localStorage.removeItem(KEY);
            else window.localStorage.setItem(KEY, choice);
        } catch (error) { /* the choice still applies to this page */ }
    }

    function apply(choice) {
        if (choice === "light" || choice === "dark") root.setAttribute("data-theme", choice);
        else root.removeAttribute("data-theme");
    }

    function showPressed(choice) {
        document.querySelectorAll("[data-theme-choice]").forEach(function (button) {
            button.setAttribute("aria-pressed", String(button.getAttribute("data-theme-choice") === choice));
        });
    }

    apply(saved());

    document.addEventListener("DOMContentLoaded", function () {
        showPressed(saved());
        document.querySelectorAll("[data-theme-toggle]").forEach(function (toggle) {
            toggle.hidden = false; // it can work now
            toggle.addEventListener("click", function (event) {
                var button = event.target.closest("[data-theme-choice]");
                if (!button) return;
                var choice = button.getAttribute("data-theme-choice");
                store(choice);
                apply(choice);
                showPressed(choice);
            });
        });
    });

    // A choice made in another tab of the site applies here too.
    window.addEventListener("storage", function (event) {
        if (event.key !== KEY && event.key !== null) return;
        var choice = saved();
        apply(choice);
        showPressed(choice);
    });
}());
