"""Multi-seat exercises: ``drillsim serve`` runs one exercise for several seats over websockets.

The engine and its clock live in the server (authoritative). Seats join with a token
(``drillsim join``); every seat input is authorised here, applied through the engine's own input
path (``Exercise.submit``) and logged, and each seat is sent only what its role would know.

Modules: :mod:`~drillsim.serve.protocol` (the versioned messages), :mod:`~drillsim.serve.seats`
(the seats file and tokens), :mod:`~drillsim.serve.authz` (who may do what),
:mod:`~drillsim.serve.knowledge` (what a seat may see), :mod:`~drillsim.serve.limits` (rate limits
and slowing repeated failures), :mod:`~drillsim.serve.host` (the authoritative loop and the
connections). Nothing here imports textual: the seat console talks to it through the protocol only.
"""
