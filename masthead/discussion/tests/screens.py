"""Screens for tests: stand-ins for the moderation app behind DISCUSSION_SCREEN."""

from masthead.discussion.screening import Verdict


class HoldEverything:
    def screen(self, submission):
        return Verdict("hold", ["held by the test screen"], "Waiting for a moderator.")


class Broken:
    def screen(self, submission):
        raise RuntimeError("the model file is missing")


class WaitsForSignal:
    """Screens "slow" comments only once `release` is set, as a model on a busy machine would
    take its time; says in `screening` when it started."""

    screening = None  # threading.Event, set by the test
    release = None

    def screen(self, submission):
        if submission.text.startswith("slow"):
            self.screening.set()
            assert self.release.wait(timeout=30), "the test never let the screen finish"
        return Verdict("publish")
