"""The authoritative exercise loop and the seats' connections (websockets on asyncio).

The host owns nothing of the simulation itself: it is given a driver (the console's
:class:`~drillsim.tui.driver.LiveDriver`, which applies inputs through ``Exercise.submit`` at a
clean instant) and a clock (:class:`~drillsim.tui.clock.Clock`). Headless, the host ticks that clock;
under the facilitator's console, the console ticks it and the host runs in the console's own event
loop, so the engine is only ever touched from one thread, between ticks.

Per seat the host keeps a :class:`~drillsim.serve.knowledge.Knowledge` and the positions, in the
driver's records, of the records the seat has learned (four bytes each: the records themselves stay
in the driver's compact store; the newest are encoded once for every seat). Each connection has its
own sender task that sends what the seat has not been sent yet and the clock's status, so a slow or
stalled client never holds up the others or the exercise. Every request passes, in order: the seat's
rate limit, protocol validation, de-duplication by request id, authorisation
(:mod:`drillsim.serve.authz`), and then the driver. Refusals, bad tokens and closed connections are
written to the server's log (the ``serve.log`` file), never to the event log, which must stay
deterministic.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import time
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

import orjson
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from drillsim.engine import InputRefused
from drillsim.serve.authz import Refused, authorize
from drillsim.serve.knowledge import Knowledge
from drillsim.serve.limits import Backoff, Bucket
from drillsim.serve.protocol import (
    HELLO_TIMEOUT,
    MAX_MESSAGE,
    PROTOCOL,
    Bye,
    ClockCommand,
    Error,
    Hello,
    ProtocolError,
    Result,
    SeatInfo,
    Status,
    Welcome,
    dump,
    parse_client,
)
from drillsim.serve.seats import Seat, find_seat


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free port), IPv4 or IPv6 as the address says."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock

if TYPE_CHECKING:
    from drillsim.engine import Exercise
    from drillsim.log import Row

LOG = logging.getLogger("drillsim.serve")

TICK = 0.05
"""Seconds between the host's ticks (the clock, when headless; new records and status for the seats)."""

STATUS_INTERVAL = 0.25
"""Longest wait between status messages to a seat while the clock runs (every screen moves ≥ 4×/s)."""

STATUS_MIN = 0.1
"""Shortest wait between two status messages that only move the time (at most 10 a second per seat)."""

IDLE_STATUS = 2.0
"""Seconds between status messages while nothing changes (a heartbeat the client shows as 'connected')."""

BATCH = 4000
"""Records per ``records`` message (a reconnecting seat gets its history in batches)."""

ENCODED = 4096
"""Newest records kept encoded as sent (each is encoded once for every seat that learns it while it is new)."""

FLOOD_CLOSE = 200
"""Messages over the rate limit in a row before the flooding connection is closed."""

REMEMBERED = 2048
"""Request ids remembered per seat for de-duplication."""

POLICY = 1008
"""WebSocket close code for a policy violation (bad token, bad message, flood)."""


class Driver(Protocol):
    """What the host needs from whatever runs the exercise (the console's ``LiveDriver``)."""

    exercise: Exercise
    header: dict[str, Any]
    @property
    def records(self) -> Sequence[Row]:
        """Every record after the header, in log order (a live sequence)."""
        ...

    @property
    def now(self) -> float:
        """Simulated minutes."""
        ...

    @property
    def end_reason(self) -> str | None:
        """The reason in the log's ``exercise.ended`` record (None: not ended)."""
        ...

    @property
    def duration(self) -> float:
        """The scenario's duration."""
        ...

    @property
    def ended(self) -> bool:
        """The exercise is over."""
        ...

    def submit(self, payload: dict[str, Any]) -> None:
        """Apply an input at a clean instant (ValueError: refused)."""
        ...

    def finish(self, reason: str) -> None:
        """Close the exercise at its scheduled end."""
        ...

    def stop(self, reason: str) -> bool:
        """End now (an ``end`` input when healthy) and close the log; never raises."""
        ...


class ClockControl(Protocol):
    """The exercise clock (the console's ``Clock``)."""

    running: bool
    behind: bool

    @property
    def speed(self) -> int:
        """Simulated seconds per wall second."""
        ...

    @property
    def active(self) -> bool:
        """True while ticks move the clock."""
        ...

    def pause(self) -> None:
        """Stop the clock."""

    def resume(self) -> None:
        """Start the clock."""

    def faster(self) -> int:
        """One speed step up."""
        ...

    def slower(self) -> int:
        """One speed step down."""
        ...

    def start_run_to(self, t: float, kind: str) -> None:
        """Run to ``t`` and pause."""

    def tick(self, wall_dt: float) -> Any:
        """Advance for ``wall_dt`` wall seconds; the result has ``at_end``."""
        ...


@dataclass
class SeatState:
    """A seat's knowledge, the records it learned (their positions), its rate limit and its answered requests."""

    seat: Seat
    knowledge: Knowledge
    released: array[int] = field(default_factory=lambda: array("I"))
    bucket: Bucket = field(default_factory=Bucket)
    results: OrderedDict[str, Result] = field(default_factory=OrderedDict)
    session: Session | None = None


class Session:
    """One open connection of a seat."""

    def __init__(self, ws: ServerConnection, state: SeatState) -> None:
        self.ws = ws
        self.state = state
        self.sent = 0
        self.wake = asyncio.Event()
        self.last_status: tuple[Any, ...] | None = None
        self.status_at = 0.0
        self.closing = False
        self.sender: asyncio.Task[None] | None = None

    @property
    def address(self) -> str:
        """The peer's address (for the server log)."""
        peer = self.ws.remote_address
        return str(peer[0]) if peer else "?"


class Host:
    """Runs one exercise for many seats.

    Args:
        driver: Applies inputs and finishes the exercise.
        clock: The exercise clock.
        seats: Every seat, with tokens.
        ticking: Tick the clock (headless); False when a console ticks it.
        clock_seconds: Wall clock (injectable).
    """

    def __init__(self, driver: Driver, clock: ClockControl, seats: Sequence[Seat], *, ticking: bool = True,
                 clock_seconds: Callable[[], float] = time.monotonic) -> None:
        self.driver = driver
        self.clock = clock
        self.seats = list(seats)
        self.ticking = ticking
        self.wall = clock_seconds
        header = driver.header
        self.states = {s.id: SeatState(s, Knowledge(header, s.roles, s.id, everything=s.sees_all)) for s in seats}
        self._fed = 0
        self._encoded: deque[bytes | None] = deque(maxlen=ENCODED)  # the newest records as sent, once each
        self._backoff = Backoff()
        self._locks: dict[str, asyncio.Lock] = {}
        self._connections = 0
        self.max_connections = 4 * len(self.seats) + 16
        self.stop_reason: str | None = None
        self.failure: BaseException | None = None
        self._stop = asyncio.Event()
        self.server: Server | None = None
        self.address: tuple[str, int] | None = None
        self.ended_at: float | None = None

    # -- records and status ---------------------------------------------------------------------------

    def pump(self) -> None:
        """Hand new records to every seat's knowledge and wake the senders."""
        records = self.driver.records
        if self._fed < len(records):
            first = self._fed
            fresh = records[first:]
            self._fed = first + len(fresh)
            self._encoded.extend([None] * len(fresh))
            states = list(self.states.values())
            for at, rec in enumerate(fresh, first):
                for st in states:
                    for learned in st.knowledge.feed(rec):
                        # a held record is an earlier one of the same log: its position follows from seq
                        st.released.append(at if learned is rec else at + learned[1] - rec[1])
        for st in self.states.values():
            if st.session is not None:
                st.session.wake.set()

    def status(self) -> Status:
        """The clock as the seats see it."""
        d, c = self.driver, self.clock
        ended = d.ended
        reason = None
        if ended:
            reason = d.end_reason
        online = sorted(k for k, st in self.states.items() if st.session is not None)
        return Status(now=round(d.now, 4), duration=d.duration, running=c.active and not ended, speed=c.speed,
                      behind=c.behind, ended=ended, end_reason=reason, online=online)

    def _wire(self, at: int) -> bytes:
        """The record at position ``at`` as sent to a seat (the newest are encoded once for all seats)."""
        base = self._fed - len(self._encoded)
        if at < base:  # an old record (a seat reconnecting): read back from the store
            return orjson.dumps(list(self.driver.records[at]))
        got = self._encoded[at - base]
        if got is None:
            got = self._encoded[at - base] = orjson.dumps(list(self.driver.records[at]))
        return got

    async def _sender(self, session: Session) -> None:
        """Send a seat what it has not been sent, and the status, whenever woken (one task per connection)."""
        try:
            await self._send_loop(session)
        except ConnectionClosed:  # the receiving side notices and logs it
            session.closing = True

    async def _send_loop(self, session: Session) -> None:
        ws, st = session.ws, session.state
        while not session.closing:
            await session.wake.wait()
            session.wake.clear()
            while session.sent < len(st.released):
                batch = [self._wire(at) for at in st.released[session.sent:session.sent + BATCH]]
                frame = b'{"type":"records","reset":' + (b"true" if session.sent == 0 else b"false")
                frame += b',"records":[' + b",".join(batch) + b"]}"
                await ws.send(frame.decode())
                session.sent += len(batch)
            status = self.status()
            key = (status.running, status.speed, status.ended, tuple(status.online), status.behind)
            wall = self.wall()
            since = wall - session.status_at
            changed = session.last_status is None or key != session.last_status[1:]
            moved = session.last_status is not None and status.now != session.last_status[0]
            interval = STATUS_INTERVAL if status.running else IDLE_STATUS
            if changed or (moved and since >= STATUS_MIN) or since >= interval:
                session.last_status, session.status_at = (status.now, *key), wall
                await ws.send(dump(status))

    # -- connections --------------------------------------------------------------------------------

    async def handle(self, ws: ServerConnection) -> None:
        """One connection: hello, then requests until it closes."""
        peer = ws.remote_address
        address = str(peer[0]) if peer else "?"
        if self._connections >= self.max_connections:
            LOG.warning("refused a connection from %s: too many connections (%d)", address, self._connections)
            await ws.close(1013, "too many connections")
            return
        self._connections += 1
        try:
            state = await self._hello(ws, address)
            if state is not None:
                await self._serve_seat(ws, state, address)
        finally:
            self._connections -= 1

    async def _hello(self, ws: ServerConnection, address: str) -> SeatState | None:
        try:
            raw = await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT)
        except TimeoutError:
            LOG.warning("closed a connection from %s: no hello within %g s", address, HELLO_TIMEOUT)
            await ws.close(POLICY, "no hello")
            return None
        except ConnectionClosed as exc:
            LOG.warning("connection from %s closed before hello: %s", address, _closed(exc))
            return None
        try:
            msg = parse_client(raw)
            if not isinstance(msg, Hello):
                raise ProtocolError("the first message must be hello")
            if msg.protocol != PROTOCOL:
                raise ProtocolError(f"protocol {msg.protocol} is not spoken here (this server speaks {PROTOCOL})")
        except ProtocolError as exc:
            LOG.warning("closed a connection from %s before hello: %s", address, exc.reason)
            await _refuse(ws, exc.reason)
            return None
        seat = find_seat(self.seats, msg.token)
        if seat is None:
            lock = self._locks.setdefault(address, asyncio.Lock())
            async with lock:  # failures from one address are answered one at a time, each slower
                delay = self._backoff.failed(address)
                LOG.warning("refused a join from %s: wrong token (failure %d from this address; answered after "
                            "%.2f s)", address, self._backoff.failures(address), delay)
                await asyncio.sleep(delay)
            await _refuse(ws, "invalid token")
            return None
        state = self.states[seat.id]
        old = state.session
        if old is not None:
            LOG.info("seat %s: a new connection from %s replaces the one from %s", seat.id, address, old.address)
            await self._close(old, Bye(reason="another connection took this seat", code="replaced"))
        LOG.info("seat %s (%s) joined from %s", seat.id, seat.rights, address)
        header = state.knowledge.header()
        await ws.send(dump(Welcome(seat=SeatInfo(id=seat.id, name=seat.name, rights=seat.rights,
                                                 roles=list(seat.roles)), header=header)))
        return state

    async def _serve_seat(self, ws: ServerConnection, state: SeatState, address: str) -> None:
        session = Session(ws, state)
        state.session = session
        self.pump()
        session.sender = asyncio.create_task(self._sender(session))
        session.wake.set()
        seat = state.seat
        try:
            async for raw in ws:
                if not await self._on_message(session, raw):
                    break
        except ConnectionClosed as exc:
            LOG.info("seat %s from %s: connection lost: %s", seat.id, address, _closed(exc))
        else:
            if ws.close_code not in (None, 1000, 1001) and not session.closing:
                LOG.warning("seat %s from %s: connection closed: %s", seat.id, address,
                            _code(ws.close_code, ws.close_reason))
        finally:
            session.closing = True
            session.wake.set()
            if session.sender is not None:
                session.sender.cancel()
            if state.session is session:
                state.session = None
            self.pump()

    async def _on_message(self, session: Session, raw: str | bytes) -> bool:
        """Handle one message; False closes the connection."""
        st, ws = session.state, session.ws
        seat = st.seat
        if not st.bucket.take():
            if st.bucket.dropped == 1:
                LOG.warning("seat %s from %s: over the rate limit; messages are dropped", seat.id, session.address)
                await ws.send(dump(Result(id="", ok=False, error="rate limited: slow down")))
            if st.bucket.dropped >= FLOOD_CLOSE:
                LOG.warning("seat %s from %s: closed for flooding (%d messages over the limit)", seat.id,
                            session.address, st.bucket.dropped)
                await _refuse(ws, "flooding: too many messages")
                return False
            return True
        try:
            msg = parse_client(raw)
            if isinstance(msg, Hello):
                raise ProtocolError("hello was already said")
        except ProtocolError as exc:
            LOG.warning("seat %s from %s: closed: %s", seat.id, session.address, exc.reason)
            session.closing = True
            await _refuse(ws, exc.reason)
            return False
        previous = st.results.get(msg.id)
        if previous is not None:
            await ws.send(dump(previous.model_copy(update={"duplicate": True})))
            return True
        result = self.apply(st, msg)
        st.results[msg.id] = result
        while len(st.results) > REMEMBERED:
            st.results.popitem(last=False)
        self.pump()
        await ws.send(dump(result))
        return True

    def apply(self, st: SeatState, msg: Any) -> Result:
        """Authorise and apply one request (on the loop's thread, between clock ticks)."""
        seat = st.seat
        exercise = self.driver.exercise

        def role_of(decision: str) -> str | None:
            return next((p.role for p in exercise.pending if p.id == decision), None)

        try:
            payload = authorize(seat, msg, role_of)
            if payload is not None:
                if self.driver.ended:
                    raise Refused("the exercise has ended")
                self.driver.submit(payload)
            elif isinstance(msg, ClockCommand):
                self._clock(msg.action)
        except Refused as exc:
            LOG.warning("seat %s: refused %s: %s", seat.id, msg.type, exc)
            return Result(id=msg.id, ok=False, error=str(exc))
        except InputRefused as exc:
            return Result(id=msg.id, ok=False, error=str(exc))
        except ValueError as exc:  # the driver refuses once the exercise has ended or stopped
            return Result(id=msg.id, ok=False, error=str(exc))
        except Exception as exc:  # the engine failed while applying it: the exercise stops
            self.fail(exc)
            return Result(id=msg.id, ok=False, error="the exercise stopped after an internal error")
        return Result(id=msg.id, ok=True)

    def _clock(self, action: str) -> None:
        clock, driver = self.clock, self.driver
        if driver.ended:
            raise Refused("the exercise has ended")
        if action == "run":
            clock.resume()
        elif action == "pause":
            clock.pause()
        elif action == "faster":
            clock.faster()
        elif action == "slower":
            clock.slower()
        elif action == "step":
            clock.start_run_to(driver.now + 1.0, "step")

    async def _close(self, session: Session, bye: Bye) -> None:
        session.closing = True
        try:
            await asyncio.wait_for(session.ws.send(dump(bye)), 2.0)
            await asyncio.wait_for(session.ws.close(1001, bye.code), 2.0)
        except (ConnectionClosed, TimeoutError, OSError):
            pass

    # -- running ------------------------------------------------------------------------------------

    def fail(self, exc: BaseException) -> None:
        """The engine raised: stop the exercise (the log is closed; see ``LiveDriver.stop``)."""
        if self.failure is None:
            self.failure = exc
            LOG.error("the exercise stopped after an internal error", exc_info=exc)
        self.driver.stop("error")
        self._stop.set()

    def request_stop(self, reason: str) -> None:
        """End the exercise from outside (a signal): it ends with an ``end`` input at the next tick."""
        if self.stop_reason is None:
            self.stop_reason = reason
        self._stop.set()

    async def _ticker(self) -> None:
        last = self.wall()
        while True:
            await asyncio.sleep(TICK)
            now = self.wall()
            dt, last = now - last, now
            if self.ticking and not self.driver.ended and self.failure is None:
                try:
                    tick = self.clock.tick(dt)
                    if getattr(tick, "at_end", False) and not self.driver.ended:
                        self.driver.finish("duration")
                except Exception as exc:
                    self.fail(exc)
            self.pump()
            if self.driver.ended and self.ticking:
                self._stop.set()

    async def start(self, sock: socket.socket, tls: ssl.SSLContext | None = None) -> tuple[str, int]:
        """Serve on a bound listening socket (bound by the caller, so the port is known before the loop runs)."""
        self.server = await serve(self.handle, sock=sock, ssl=tls, max_size=MAX_MESSAGE, max_queue=16,
                                  compression=None, server_header=None, ping_interval=10, ping_timeout=20,
                                  close_timeout=2, logger=logging.getLogger("drillsim.serve.websockets"))
        bound = sock.getsockname()
        self.address = (str(bound[0]), int(bound[1]))
        return self.address

    async def run(self) -> None:
        """Tick until the exercise ends or a stop is requested, then end it and say goodbye to every seat."""
        ticker = asyncio.create_task(self._ticker())
        try:
            await self._stop.wait()
        finally:
            ticker.cancel()
        if not self.driver.ended:
            self.driver.stop(self.stop_reason or "facilitator")
        await self.shutdown("ended" if self.failure is None else "shutdown")

    async def serve_forever(self) -> None:
        """Under a console: keep the seats informed until cancelled (the console owns the clock and the end)."""
        ticker = asyncio.create_task(self._ticker())
        try:
            await asyncio.Event().wait()
        finally:
            ticker.cancel()
            await asyncio.shield(self.shutdown("shutdown"))

    async def shutdown(self, code: Literal["ended", "shutdown"]) -> None:
        """Send what is left, say goodbye to every seat, stop listening."""
        self.pump()
        sessions = [st.session for st in self.states.values() if st.session is not None]
        for session in sessions:
            session.wake.set()
        await asyncio.sleep(0.1)  # let the senders flush the last records and the final status
        reason = ("the exercise has ended" if code == "ended" else "the server is shutting down")
        await asyncio.gather(*(self._close(s, Bye(reason=reason, code=code)) for s in sessions),
                             return_exceptions=True)
        if self.server is not None:
            self.server.close()
            try:
                await asyncio.wait_for(self.server.wait_closed(), 3.0)
            except TimeoutError:
                pass


async def _refuse(ws: ServerConnection, reason: str) -> None:
    """Tell the client why, close with a policy-violation code, and drop the connection if it does not answer.

    A flooding client's unread messages stand between the server and its closing handshake (the
    connection reads no more once its queue is full), so the close is not waited for long.
    """
    try:
        await asyncio.wait_for(ws.send(dump(Error(reason=reason))), 2.0)
        await asyncio.wait_for(ws.close(POLICY, reason[:120]), 1.0)
    except (ConnectionClosed, TimeoutError, OSError):
        pass
    if ws.state is not State.CLOSED:
        ws.transport.abort()


def _closed(exc: ConnectionClosed) -> str:
    rcvd = exc.rcvd
    if rcvd is None:
        sent = exc.sent
        if sent is not None:
            return _code(sent.code, sent.reason)
        return "the connection dropped"
    return _code(rcvd.code, rcvd.reason)


def _code(code: int | None, reason: str | None) -> str:
    if code == 1009:
        return f"message over {MAX_MESSAGE // 1024} KiB (1009)"
    if code == 1006 or code is None:
        return "the connection dropped (1006)"
    return f"code {code}" + (f" ({reason})" if reason else "")
