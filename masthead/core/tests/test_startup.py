"""Startup hooks: apps' warm-ups run when a server starts, and one failing stops nothing."""

from masthead.core import startup


def test_hooks_run_and_a_failing_one_does_not_stop_the_others(monkeypatch):
    monkeypatch.setattr(startup, "_hooks", {})
    ran = []
    startup.startup_hook_register("broken", lambda: 1 / 0)
    startup.startup_hook_register("fine", lambda: ran.append("fine"))
    startup.startup_hooks_run()
    assert ran == ["fine"]


def test_moderation_loads_its_model_at_startup():
    assert "moderation.warm_up" in startup._hooks
