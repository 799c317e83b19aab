"""QR codes for the stations' content links, drawn as crisp pixmaps and cached.

Students scan the code on the projector with their own devices to open a station's
digital content. A code is made once per link (``segno``, pure Python) as a one pixel per
module image; scaling is by a whole number of pixels per module with no smoothing, so
the edges stay sharp for the camera. Pixmaps are cached per (link, size): drawing the
projector every second never re-encodes anything.
"""

from __future__ import annotations

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_image(url: str) -> QImage:
    """The code for ``url`` at one pixel per module, quiet zone included."""
    # Level L, raised by segno when the same size allows: fewer, larger modules scan
    # from farther away, and a projected code is not scratched like a printed one.
    code = segno.make(url, error="l", boost_error=True, micro=False)
    rows = [
        bytes(0 if dark else 255 for dark in row) for row in code.matrix_iter(border=QUIET_ZONE)
    ]
    side = len(rows)
    data = b"".join(rows)
    image = QImage(data, side, side, side, QImage.Format.Format_Grayscale8)
    return image.copy()  # own the pixels (``data`` goes away with this frame)


class QrCache:
    """Pixmaps of QR codes by link and side length; made on first use, then reused."""

    def __init__(self) -> None:
        self._images: dict[str, QImage] = {}
        self._pixmaps: dict[tuple[str, int], QPixmap] = {}

    def pixmap(self, url: str, side: int) -> QPixmap:
        """The code for ``url`` no larger than ``side`` pixels square (crisp modules)."""
        key = (url, side)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        image = self._images.get(url)
        if image is None:
            image = self._images[url] = qr_image(url)
        scale = max(1, side // image.width())
        target = image.width() * scale
        pixmap = QPixmap.fromImage(
            image.scaled(
                target,
                target,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )
        self._pixmaps[key] = pixmap
        return pixmap

    def urls(self) -> list[str]:
        """Every link a code was made for (what the projector may have shown)."""
        return list(self._images)

    def __len__(self) -> int:
        return len(self._images)
