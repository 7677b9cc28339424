"""Read what `wrk --latency` prints: the figures every load benchmark here reports."""


def milliseconds(text: str) -> float:
    """wrk's durations ("812.00us", "3.20ms", "1.10s", "1.00m") in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def wrk_figures(output: str) -> dict:
    """Requests per second, p50 and p99 latency (ms), requests made, and every answer that
    was not 2xx/3xx or failed on the socket."""
    figures = {"rps": 0.0, "p50": None, "p99": None, "errors": 0, "requests": 0}
    for line in output.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            figures["rps"] = float(parts[1])
        elif parts[:1] == ["50%"]:
            figures["p50"] = milliseconds(parts[1])
        elif parts[:1] == ["99%"]:
            figures["p99"] = milliseconds(parts[1])
        elif "requests in" in line:
            figures["requests"] = int(parts[0])
        elif "Non-2xx" in line or line.strip().startswith("Socket errors"):
            figures["errors"] += sum(int(n.strip(",")) for n in parts if n.strip(",").isdigit())
    return figures
