"""Many people at once: concurrent sessions, each building its own map, against one real server.

Each session is a websocket client speaking Streamlit's own protocol to the real server on
loopback (what the browser's page sends when a widget is used: a rerun with the widgets' values),
so twenty of them fit on a small machine where twenty Chromium pages would spend the time parsing
Streamlit's page. Each has a person of its own (added to the store first), opens that person's map
page, then adds ties one after another for a bounded time: a name in the quick add's Name, the
Friend chip, a tap on "Add to the map", then "Done" on the editor that opens. Each tap on "Add to the
map" is timed from the moment it is sent to the message that brings the map's new data (the tie
drawn: tap to redraw, without the browser's own drawing, which ``bench.browser`` measures).

Afterwards :func:`check` compares what each session did and saw with what the store holds: every
tie added is on its map, every add is a saved version, and no message any session received names
another session's person or ties.

``tests/e2e/test_load.py`` runs it for a bounded time in the test command; ``python -m bench --only
load`` records the p95 over the twenty sessions (:func:`results`).
"""

from __future__ import annotations

import asyncio
import math
import re
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import Result
from ecomap.model import new_map
from ecomap.store import LOCAL_USER, Store

#: How many sessions build a map at the same time.
SESSIONS = 20
#: The longest wait for one answer of the server, in seconds.
PATIENCE = 60.0


@dataclass
class Session:
    """What one session did and saw: its person and map, the ties it added, each add's tap-to-redraw, any
    other session's number it saw named."""

    index: int
    person: str
    map_id: str
    ties: list[str] = field(default_factory=list)
    redraws_ms: list[float] = field(default_factory=list)
    foreign: list[int] = field(default_factory=list)
    error: str = ""


def person_name(tag: str, index: int) -> str:
    """The name session ``index`` of run ``tag`` gives its person (no session's name is part of another's)."""
    return f"Llwyth {tag} {index:02d}x"


def tie_name(tag: str, index: int, number: int) -> str:
    """The name of the ``number``-th tie session ``index`` adds."""
    return f"Cyswllt {tag} {index:02d}x {number:03d}"


class _Client:
    """One session's websocket to the server: reruns with widget values, and the elements each run draws."""

    def __init__(self, socket: Any, tag: str, index: int, session: Session) -> None:
        self.socket = socket
        self.names = re.compile(rf"(?:Llwyth|Cyswllt) {tag} (\d\d)x".encode())
        self.index = index
        self.session = session
        self.widgets: dict[str, Any] = {}  # the last run's widgets, by their key (the end of their id)

    async def rerun(self, *, page: str = "", query: str = "", states: Sequence[Any] = (), until: bytes = b"") -> float:
        """Send a rerun with ``states``; wait for the run to finish. The milliseconds until the first message
        holding ``until`` (or the run's end) are returned."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = page
        message.rerun_script.widget_states.widgets.extend(states)
        sent = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        arrived: float | None = None
        widgets: dict[str, Any] = {}
        while True:
            data = await asyncio.wait_for(self.socket.recv(), PATIENCE)
            self._watch(data)
            if until and arrived is None and until in data:
                arrived = time.perf_counter()
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                inner = getattr(element, element.WhichOneof("type") or "empty", None)
                widget_id = getattr(inner, "id", "")
                if widget_id:
                    widgets[widget_id.rsplit("-", 1)[-1]] = inner
            elif kind == "script_finished":
                self.widgets = widgets
                return ((arrived or time.perf_counter()) - sent) * 1000

    def _watch(self, data: bytes) -> None:
        for found in self.names.findall(data):
            other = int(found)
            if other != self.index and other not in self.session.foreign:
                self.session.foreign.append(other)

    def state(self, key: str, **value: Any) -> Any:
        """The state of the widget ``key`` of the last run, with ``value`` (``string_value="..."``, ...)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget = self.widgets.get(key)
        if widget is None:
            raise LookupError(f"no widget {key!r} on the page")
        state = WidgetState(id=widget.id)
        for name, given in value.items():
            if isinstance(given, list):
                getattr(state, name).data.extend(given)
            else:
                setattr(state, name, given)
        return state


async def _session(
    url: str, tag: str, session: Session, start: asyncio.Event, until: list[float], ready: list[int]
) -> Session:
    """One tablet: its person's map opened, then (once every session has opened its own) ties added until
    ``until[0]``."""
    from websockets.asyncio.client import connect

    counted = False
    try:
        address = url.replace("http://", "ws://", 1) + "/_stcore/stream"
        async with connect(address, subprotocols=["streamlit"], max_size=None, open_timeout=PATIENCE) as socket:  # type: ignore[list-item]
            client = _Client(socket, tag, session.index, session)
            query = f"map={session.map_id}&lang=en"
            await client.rerun(page="map", query=query)
            if "quick_name" not in client.widgets:
                raise LookupError("the map page has no quick add")
            ready[0] += 1
            counted = True
            await start.wait()
            number = 0
            while time.monotonic() < until[0]:
                number += 1
                name = tie_name(tag, session.index, number)
                states = [
                    client.state("quick_name", string_value=name),
                    client.state("quick_role", string_array_value=["Friend"]),
                    client.state("quick_add", trigger_value=True),
                ]
                waited = await client.rerun(page="map", query=query, states=states, until=name.encode())
                session.redraws_ms.append(waited)
                session.ties.append(name)
                await client.rerun(page="map", query=query, states=[client.state("close_editor", trigger_value=True)])
    except Exception as exc:  # the run goes on: a session that fails is reported, not raised
        session.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        if not counted:
            ready[0] += 1
    return session


async def _run(url: str, sessions: list[Session], seconds: float, tag: str) -> list[Session]:
    start = asyncio.Event()
    until = [math.inf]
    ready = [0]
    tasks = [asyncio.create_task(_session(url, tag, session, start, until, ready)) for session in sessions]
    deadline = time.monotonic() + PATIENCE
    while ready[0] < len(sessions) and time.monotonic() < deadline:  # every session has its map open, or failed
        await asyncio.sleep(0.05)
    until[0] = time.monotonic() + seconds
    start.set()
    return list(await asyncio.gather(*tasks))


def run(url: str, store: Store, *, sessions: int = SESSIONS, seconds: float = 20.0, tag: str = "") -> list[Session]:
    """``sessions`` concurrent sessions against the server at ``url`` (whose database ``store`` opens), each
    adding ties to its own person's map for ``seconds`` once all are open."""
    tag = tag or uuid.uuid4().hex[:6]
    made = []
    for index in range(1, sessions + 1):
        m = new_map(person_name(tag, index))
        store.add_person(LOCAL_USER, m)
        made.append(Session(index, m.person.name, m.id))
    with ThreadPoolExecutor(1) as thread:  # a loop of its own, even where one runs already (sync Playwright's)
        return thread.submit(asyncio.run, _run(url, made, seconds, tag)).result()


def check(store: Store, sessions: list[Session]) -> list[str]:
    """What went wrong: a session that failed, saw another's names, or whose edits are not all saved."""
    problems = []
    for session in sessions:
        where = f"session {session.index}"
        if session.error:
            problems.append(f"{where}: {session.error}")
        if session.foreign:
            problems.append(f"{where} was sent the names of sessions {', '.join(map(str, session.foreign))}")
        opened = store.open(LOCAL_USER, session.map_id)
        if opened.map.person.name != session.person:
            problems.append(f"{where}: its map is another person's")
        saved = [tie.name for tie in opened.map.ties]
        if saved != session.ties:
            problems.append(f"{where}: added {len(session.ties)} ties, the store holds {len(saved)}")
        if opened.version != 1 + len(session.ties):
            problems.append(f"{where}: {len(session.ties)} edits, but the map is at version {opened.version}")
    return problems


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile of ``samples`` (nearest rank).

    >>> p95([float(n) for n in range(1, 101)])
    95.0
    """
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else math.nan


def summary(sessions: list[Session], seconds: float) -> str:
    """The run in one line: sessions, ties added and saved, and the tap-to-redraw median, p95 and most."""
    redraws = [ms for session in sessions for ms in session.redraws_ms]
    if not redraws:
        return f"load: {len(sessions)} sessions for {seconds:g} s, no tie added"
    counts = [len(session.ties) for session in sessions]
    return (
        f"load: {len(sessions)} sessions for {seconds:g} s: {sum(counts)} ties added and saved "
        f"({min(counts)} to {max(counts)} a session); tap to redraw median {statistics.median(redraws):.0f} ms, "
        f"p95 {p95(redraws):.0f} ms, most {max(redraws):.0f} ms"
    )


def results(seconds: float = 60.0) -> list[Result]:
    """The bench section: 20 sessions adding ties for ``seconds``, their p95 tap-to-redraw beside one session's."""
    from bench.browser import serve

    folder = Path(tempfile.mkdtemp(prefix="ecomap-load-"))
    database = folder / "ecomap.db"
    store = Store.from_url(f"sqlite:///{database}")
    store.migrate()
    with serve("streamlit_app.py", database) as (url, _, _):
        alone = run(url, store, sessions=1, seconds=min(seconds, 15.0))
        crowd = run(url, store, sessions=SESSIONS, seconds=seconds)
    problems = check(store, [*alone, *crowd])
    store.engine.dispose()
    one = [ms for session in alone for ms in session.redraws_ms]
    many = [ms for session in crowd for ms in session.redraws_ms]
    note = summary(crowd, seconds) + (f"; problems: {'; '.join(problems)}" if problems else "; nothing lost")
    return [
        Result(
            f"tap to redraw p95, {SESSIONS} sessions adding ties",
            p95(many),
            "ms",
            baseline=p95(one),
            baseline_name="one session alone",
            note=note,
            samples=many,
        )
    ]
