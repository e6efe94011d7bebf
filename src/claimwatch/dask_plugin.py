"""The Dask WorkerPlugin that loads the language model once per worker (kept apart so that only
`--dask` imports distributed)."""
from __future__ import annotations

from distributed.diagnostics.plugin import WorkerPlugin


class ModelPlugin(WorkerPlugin):
    name = "claimwatch-model"

    def setup(self, worker):
        from .executors import worker_setup
        worker_setup()
