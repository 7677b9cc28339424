"""Screens for tests: stand-ins for the moderation app behind DISCUSSION_SCREEN."""

from masthead.discussion.screening import Verdict


class HoldEverything:
    def screen(self, submission):
        return Verdict("hold", ["held by the test screen"], "Waiting for a moderator.")


class Broken:
    def screen(self, submission):
        raise RuntimeError("the model file is missing")
