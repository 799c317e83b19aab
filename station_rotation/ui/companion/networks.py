"""The networks the companion can serve on: the laptop's IPv4 addresses, by name.

The teacher picks one, and the server listens on that address only: never on every
interface by surprise (a laptop on the school's Wi-Fi and a cable at once serves on the
one she chose). "This laptop only" (loopback) comes last, to try it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtNetwork import QAbstractSocket, QNetworkInterface

from station_rotation.ui.rotation.settings import Setting

LOOPBACK = "127.0.0.1"
LOOPBACK_LABEL = f"This laptop only ({LOOPBACK})"

NETWORK = Setting("companion/network", "")
"""The address last chosen (kept if the laptop has it again next time)."""

_KINDS = {
    QNetworkInterface.InterfaceType.Wifi: "Wi-Fi",
    QNetworkInterface.InterfaceType.Ethernet: "Ethernet",
}


@dataclass(frozen=True)
class Network:
    label: str  # "Wi-Fi (wlan0) 192.168.1.23"
    address: str


def _kind(interface: QNetworkInterface) -> str:
    human = interface.humanReadableName()
    if human and human != interface.name():
        return human  # Windows and macOS name it for people ("Wi-Fi", "Ethernet 2")
    return _KINDS.get(interface.type(), "Network")


def networks() -> list[Network]:
    """Every IPv4 address of an interface that is up and running, then loopback."""
    found: list[Network] = []
    wanted = QNetworkInterface.InterfaceFlag.IsUp | QNetworkInterface.InterfaceFlag.IsRunning
    for interface in QNetworkInterface.allInterfaces():
        flags = interface.flags()
        if (flags & wanted) != wanted or flags & QNetworkInterface.InterfaceFlag.IsLoopBack:
            continue
        for entry in interface.addressEntries():
            ip = entry.ip()
            if ip.protocol() is not QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
                continue
            if ip.isLoopback():
                continue
            address = ip.toString()
            found.append(Network(f"{_kind(interface)} ({interface.name()}) {address}", address))
    found.append(Network(LOOPBACK_LABEL, LOOPBACK))
    return found


def preferred(choices: list[Network], remembered: str) -> int:
    """The index to select: the remembered address if still there, else the first."""
    for index, choice in enumerate(choices):
        if choice.address == remembered:
            return index
    return 0
