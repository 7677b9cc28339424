"""The scheduler's periodic jobs: every registered job runs, a broken one stops no other."""

from masthead.core import periodic


def test_a_failing_job_does_not_stop_the_others(monkeypatch, caplog):
    ran = []
    monkeypatch.setattr(periodic, "_jobs", {})

    def broken():
        raise RuntimeError("boom")

    periodic.periodic_job_register("first", broken)
    periodic.periodic_job_register("second", lambda: ran.append("second"))
    periodic.periodic_jobs_run()
    assert ran == ["second"]
    assert "Periodic job first failed" in caplog.text
