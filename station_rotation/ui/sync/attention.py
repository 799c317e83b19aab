"""The Sync page's "Needs your attention" section: overwritten edits and refused changes.

It renders :class:`~station_rotation.services.sync.attention.Attention` as one card per
item, in plain sentences with both versions side by side, and forwards the teacher's
choice as a signal; the page hands it to the scheduler, which runs it off the GUI
thread. Every button is reachable with Tab and pressed with Space; after a choice the
focus moves to the next item's first button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_rotation.ui.sync.status_text import when_text
from station_rotation.ui.widgets import SYNC_TROUBLE_STYLE, named

if TYPE_CHECKING:
    from station_rotation.services.sync.attention import (
        Attention,
        ConflictItem,
        RefusedItem,
    )
    from station_rotation.services.sync.words import Edit

CARD_STYLE = (
    "QFrame#attentionCard { background: palette(base); border: 1px solid palette(mid);"
    " border-radius: 6px; }"
)
HEADER_STYLE = "font-weight: bold;"
MUTED_STYLE = "color: palette(placeholder-text);"


def _label(text: str = "", *, bold: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names come from records: never markup
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        label.setStyleSheet(HEADER_STYLE)
    return label


def _when(edit: Edit) -> str:
    return when_text(edit.at, today_word=True) if edit.at is not None else "at an unknown time"


def conflict_sentence(item: ConflictItem) -> str:
    """What happened, in one sentence the teacher can read aloud."""
    lost, kept = item.lost, item.kept
    if kept.district:
        return (
            f"Your edit of {item.what} ({_when(lost)}) was changed back by the district's "
            "roster, which decides these details. Ask your district office if they are wrong."
        )
    if lost.mine:
        return (
            f"Your edit of {item.what} on this laptop ({_when(lost)}) was replaced by an edit "
            f"from {kept.by} ({_when(kept)})."
        )
    return (
        f"An edit of {item.what} from {lost.by} ({_when(lost)}) was replaced by your newer "
        f"edit on this laptop ({_when(kept)})."
    )


class _Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attentionCard")
        self.setStyleSheet(CARD_STYLE)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(12, 10, 12, 10)
        self.body.setSpacing(6)
        self.buttons: list[QPushButton] = []
        self._row = QHBoxLayout()
        self._row.setSpacing(8)

    def add_button(self, text: str, name: str, tip: str, accessible: str) -> QPushButton:
        button = named(QPushButton(text), name)
        button.setToolTip(tip)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        self.buttons.append(button)
        self._row.addWidget(button)
        return button

    def finish(self) -> None:
        self._row.addStretch(1)
        self.body.addLayout(self._row)


class ConflictCard(_Card):
    """One conflict record: the sentence, the differing fields side by side, the choice."""

    def __init__(self, item: ConflictItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.sentence = named(_label(conflict_sentence(item)), "conflictSentence")
        self.body.addWidget(self.sentence)
        mine, theirs = (item.lost, item.kept) if item.lost.mine else (item.kept, item.lost)
        mine_is_lost = item.lost.mine
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        now = " — in use now"
        mine_head = f"Yours ({_when(mine)}){'' if mine_is_lost else now}"
        theirs_title = "The district's" if theirs.district else "Theirs"
        theirs_head = f"{theirs_title} ({_when(theirs)}){now if mine_is_lost else ''}"
        for column, text in enumerate(("", mine_head, theirs_head)):
            grid.addWidget(_label(text, bold=True), 0, column)
        for row, diff in enumerate(item.differences, start=1):
            lost_value, kept_value = diff.first, diff.second
            mine_value, theirs_value = (
                (lost_value, kept_value) if mine_is_lost else (kept_value, lost_value)
            )
            top = Qt.AlignmentFlag.AlignTop
            grid.addWidget(_label(diff.label), row, 0, top)
            grid.addWidget(named(_label(mine_value), "mineValue"), row, 1, top)
            grid.addWidget(named(_label(theirs_value), "theirsValue"), row, 2, top)
        if not item.differences:
            grid.addWidget(_label("The two versions read the same."), 1, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.body.addLayout(grid)
        what = item.what
        self.ok: QPushButton | None = None
        self.keep_mine: QPushButton | None = None
        self.keep_theirs: QPushButton | None = None
        if not item.can_restore:
            self.ok = self.add_button(
                "OK", "conflictOkButton", "This notice goes away.", f"OK: {what}"
            )
        else:
            self.keep_mine = self.add_button(
                "Keep mine",
                "keepMineButton",
                "Use your version; it syncs to your other laptop and the district."
                if mine_is_lost
                else "Keep your version, which is in use now; this notice goes away.",
                f"Keep mine: {what}",
            )
            self.keep_theirs = self.add_button(
                "Keep theirs",
                "keepTheirsButton",
                "Keep the version in use now; this notice goes away."
                if mine_is_lost
                else "Use their version instead; it syncs to your other laptop and the district.",
                f"Keep theirs: {what}",
            )
        self.finish()


class RefusedCard(_Card):
    """A change the server would not apply: what, why, and what the teacher can do."""

    def __init__(self, item: RefusedItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.body.addWidget(
            named(
                _label(f"The district server did not accept your change to {item.what}."),
                "refusedSentence",
            )
        )
        self.body.addWidget(named(_label(f"Why: {item.reason}"), "refusedReason"))
        self.body.addWidget(named(_label(f"What you can do: {item.advice}"), "refusedAdvice"))
        self.send_again = self.add_button(
            "Send again",
            "sendAgainButton",
            "Send this laptop's version of the record to the district server once more.",
            f"Send again: {item.what}",
        )
        self.dismiss = self.add_button(
            "Dismiss",
            "dismissRefusedButton",
            "Hide this notice; the record stays as it is on this laptop.",
            f"Dismiss: {item.what}",
        )
        self.finish()


class HeldBackCard(_Card):
    """The server would not take the waiting changes at all; they wait on the laptop."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addWidget(
            _label("The district server would not take the changes waiting on this laptop.")
        )
        self.body.addWidget(named(_label(f"Why: {message}"), "heldBackReason"))
        self.body.addWidget(
            _label(
                "What you can do: nothing is lost — the changes stay on this laptop. Do what "
                "the reason says, then press Sync now."
            )
        )
        self.sync = self.add_button(
            "Sync now", "heldBackSyncButton", "Try again now.", "Sync now and send the changes"
        )
        self.finish()


class AttentionSection(QGroupBox):
    """Cards for everything sync needs the teacher to look at; hidden when there is none."""

    keep_current = Signal(str)  # conflict id: the version in use stays
    restore = Signal(str)  # conflict id: the overwritten version comes back as a new edit
    send_again = Signal(str)  # change id of a refused change
    dismiss = Signal(str)  # change id of a refused change
    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Needs your attention", parent)
        self.setObjectName("syncAttentionBox")
        self.intro = _label(
            "Sync keeps everything on this laptop. These changes were replaced by another "
            "edit or not accepted by the district server; choose what to keep."
        )
        self.error_label = named(_label(), "attentionError")
        self.error_label.setStyleSheet(SYNC_TROUBLE_STYLE)
        self.error_label.hide()
        self.cards_widget = QWidget()
        self.cards = QVBoxLayout(self.cards_widget)
        self.cards.setContentsMargins(0, 0, 0, 0)
        self.cards.setSpacing(8)
        self.cards.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.error_label)
        layout.addWidget(self.cards_widget)
        self.shown: Attention | None = None
        # Items whose choice is on its way: a second press before the page redraws (a
        # double click) would send the record twice, or report the item already dealt with.
        self._acting: set[str] = set()
        self.hide()

    @property
    def conflict_cards(self) -> list[ConflictCard]:
        return self.cards_widget.findChildren(ConflictCard)

    @property
    def refused_cards(self) -> list[RefusedCard]:
        return self.cards_widget.findChildren(RefusedCard)

    def show_attention(self, attention: Attention) -> None:
        """Render ``attention`` (nothing happens when it has not changed: focus stays)."""
        if attention == self.shown:
            return
        focused = self._focused_card_index()
        self.shown = attention
        self._acting.clear()
        self.error_label.hide()
        self._clear()
        cards: list[_Card] = []
        for conflict in attention.conflicts:
            card = ConflictCard(conflict)
            self._wire_conflict(card, conflict.id)
            cards.append(card)
        for refused in attention.refused:
            refused_card = RefusedCard(refused)
            change_id = refused.change_id
            refused_card.send_again.clicked.connect(
                lambda _=False, i=change_id: self._choose(self.send_again, i)
            )
            refused_card.dismiss.clicked.connect(
                lambda _=False, i=change_id: self._choose(self.dismiss, i)
            )
            cards.append(refused_card)
        if attention.held_back:
            held = HeldBackCard(attention.held_back)
            held.sync.clicked.connect(self.sync_requested)
            cards.append(held)
        for index, each in enumerate(cards):
            self.cards.insertWidget(index, each)
            for button in each.buttons:
                button.installEventFilter(self)
        self.setTitle(f"Needs your attention ({attention.count})")
        self.setVisible(attention.count > 0)
        if focused is not None and cards:
            cards[min(focused, len(cards) - 1)].buttons[0].setFocus()

    def _wire_conflict(self, card: ConflictCard, conflict_id: str) -> None:
        def keep(_: bool = False) -> None:
            self._choose(self.keep_current, conflict_id)

        def restore(_: bool = False) -> None:
            self._choose(self.restore, conflict_id)

        if card.keep_mine is None or card.keep_theirs is None:
            assert card.ok is not None
            card.ok.clicked.connect(keep)
        elif card.item.lost.mine:
            card.keep_mine.clicked.connect(restore)
            card.keep_theirs.clicked.connect(keep)
        else:
            card.keep_mine.clicked.connect(keep)
            card.keep_theirs.clicked.connect(restore)

    def _choose(self, choice: SignalInstance, item_id: str) -> None:
        """Forward the teacher's choice for an item, once until the page shows the outcome."""
        if item_id not in self._acting:
            self._acting.add(item_id)
            choice.emit(item_id)

    def show_error(self, message: str) -> None:
        self._acting.clear()  # the choice did not happen: it can be made again
        self.error_label.setText(message)
        self.error_label.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the focused button in view (the page scrolls), however it got the focus."""
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            parent = self.parentWidget()
            while parent is not None and not isinstance(parent, QScrollArea):
                parent = parent.parentWidget()
            if parent is not None:
                parent.ensureWidgetVisible(watched, 0, 24)
        return False

    def _focused_card_index(self) -> int | None:
        focus = self.cards_widget.focusWidget()
        if focus is None or not focus.hasFocus():
            return None
        for index in range(self.cards.count()):
            widget = self.cards.itemAt(index).widget()  # type: ignore[union-attr]
            if widget is not None and widget.isAncestorOf(focus):
                return index
        return None

    def _clear(self) -> None:
        while self.cards.count() > 1:  # the stretch stays last
            item = self.cards.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
