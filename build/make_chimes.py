"""Generate the rotation chimes in ``resources/sounds/`` (run once; the WAVs are committed).

Soft bell tones (a few harmonics with an exponential decay and a short fade-in, so there
is no click) at a moderate level: a classroom hears them without anyone jumping.

    python build/make_chimes.py
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"

# (start seconds, frequency Hz) of each note.
WARNING = [(0.0, 659.25), (0.32, 523.25)]  # E5 then C5: "soon"
CHANGE = [(0.0, 523.25), (0.22, 659.25), (0.44, 783.99)]  # C5 E5 G5: "move"


def bell(notes: list[tuple[float, float]], length: float, level: float = 0.45) -> list[float]:
    """Mix decaying bell notes into one mono signal in [-1, 1]."""
    samples = [0.0] * int(RATE * length)
    for start, freq in notes:
        first = int(start * RATE)
        for i in range(first, len(samples)):
            t = (i - first) / RATE
            envelope = math.exp(-3.2 * t) * min(1.0, t / 0.008)
            tone = (
                math.sin(2 * math.pi * freq * t)
                + 0.35 * math.sin(2 * math.pi * 2 * freq * t) * math.exp(-4 * t)
                + 0.12 * math.sin(2 * math.pi * 3.01 * freq * t) * math.exp(-6 * t)
            )
            samples[i] += level * envelope * tone / 1.47
    tail = int(0.05 * RATE)  # fade the last 50 ms to silence
    for k in range(tail):
        samples[-1 - k] *= k / tail
    return [max(-1.0, min(1.0, s)) for s in samples]


def write(name: str, samples: list[float]) -> Path:
    path = OUT / name
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", round(s * 32767)) for s in samples))
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for path in (
        write("warning.wav", bell(WARNING, 1.4)),
        write("change.wav", bell(CHANGE, 1.6)),
    ):
        print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
